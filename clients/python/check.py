"""The generated python-pydantic-v1 client against the real server: what a MeshyDB app in Python does.

Environment: MESHY_URL, MESHY_ACCOUNT, MESHY_CLIENT_ID, MESHY_USERNAME, MESHY_PASSWORD (clients/run sets them),
and PYTHONPATH pointing at the generated package.
"""
import os
import sys
import time

import meshy_auth_client
from meshy_auth_client.exceptions import ApiException
from meshy_auth_client.models import AnonymousRegistration, ErrorResponse, RateLimitError

ACCOUNT = os.environ["MESHY_ACCOUNT"]
CLIENT_ID = os.environ["MESHY_CLIENT_ID"]
USERNAME = os.environ["MESHY_USERNAME"]
PASSWORD = os.environ["MESHY_PASSWORD"]
SCOPE = "meshy.api offline_access"

api_client = meshy_auth_client.ApiClient(meshy_auth_client.Configuration(host=os.environ["MESHY_URL"]))
tokens = meshy_auth_client.TokenApi(api_client)
results = {"passed": 0, "failed": 0}
state = {}


def check(name):
    def run(body):
        try:
            body()
            results["passed"] += 1
            print(f"ok   {name}")
        except Exception as e:  # a failed check is reported, and the others still run
            results["failed"] += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
    return run


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def refusal(call):
    """The exception of a refused call; the generated client raises ApiException subclasses with body and headers."""
    try:
        call()
    except ApiException as e:
        return e
    raise AssertionError("the call succeeded")


def login(username, password):
    return tokens.token(ACCOUNT, client_id=CLIENT_ID, grant_type="password", username=username, password=password,
                        scope=SCOPE)


@check("discovery names the token endpoint and an EC signing key")
def _():
    discovery = meshy_auth_client.DiscoveryApi(api_client)
    metadata = discovery.discovery(ACCOUNT)
    expect(metadata.token_endpoint.endswith(f"/{ACCOUNT}/connect/token"), metadata.token_endpoint)
    expect("password" in metadata.grant_types_supported, "password grant supported")
    keys = discovery.jwks(ACCOUNT).keys
    expect(keys and all(k.kty == "EC" for k in keys), "EC keys")


@check("password grant issues an access token and a refresh token")
def _():
    issued = login(USERNAME, PASSWORD)
    expect(issued.access_token.count(".") == 2, "a JWT")
    expect(issued.token_type.lower() == "bearer", issued.token_type)
    expect(issued.refresh_token, "a refresh token")
    state["refresh_token"] = issued.refresh_token


@check("refresh grant rotates the refresh token")
def _():
    issued = tokens.token(ACCOUNT, client_id=CLIENT_ID, grant_type="refresh_token",
                          refresh_token=state["refresh_token"])
    expect(issued.refresh_token and issued.refresh_token != state["refresh_token"], "a new refresh token")
    state["refresh_token"] = issued.refresh_token


@check("revocation ends the refresh token")
def _():
    tokens.revoke(ACCOUNT, state["refresh_token"], token_type_hint="refresh_token", client_id=CLIENT_ID)
    e = refusal(lambda: tokens.token(ACCOUNT, client_id=CLIENT_ID, grant_type="refresh_token",
                                     refresh_token=state["refresh_token"]))
    expect(ErrorResponse.from_json(e.body).error == "invalid_grant", "invalid_grant after revocation")


@check("anonymous registration, then login with the static password")
def _():
    device = f"py-device-{time.time_ns()}"
    user = meshy_auth_client.UsersApi(api_client).register_anonymous_user(
        ACCOUNT, AnonymousRegistration(username=device))
    expect(user.anonymous and user.is_active and user.username == device, str(user))
    expect(login(device, "nopassword").access_token, "anonymous login")


@check("a wrong password is invalid_grant, read from the typed error")
def _():
    e = refusal(lambda: login(USERNAME, "not-the-password"))
    body = ErrorResponse.from_json(e.body)
    expect(e.status == 400 and body.error == "invalid_grant", f"{e.status} {body.error}")


@check("failed logins past the budget get 429 with Retry-After")
def _():
    for _attempt in range(20):
        e = refusal(lambda: login(USERNAME, "not-the-password"))
        if e.status == 429:
            retry_after = e.headers.get("Retry-After")
            expect(retry_after and retry_after.isdigit() and int(retry_after) >= 1, f"Retry-After {retry_after}")
            expect(RateLimitError.from_json(e.body).error == "too_many_requests", "too_many_requests")
            return
    raise AssertionError("no 429 after 20 failed logins")


print(f"python: {results['passed']} passed, {results['failed']} failed")
sys.exit(0 if results["failed"] == 0 and results["passed"] > 0 else 1)
