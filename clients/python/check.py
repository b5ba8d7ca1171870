"""The generated python-pydantic-v1 client against the real server: what a MeshyDB app in Python does.

Environment: MESHY_URL, MESHY_ACCOUNT, MESHY_CLIENT_ID, MESHY_USERNAME, MESHY_PASSWORD, and the confidential client's
MESHY_SERVICE_CLIENT_ID and MESHY_SERVICE_SECRET (clients/run sets them), and PYTHONPATH pointing at the generated
package.
"""
import base64
import json
import os
import sys
import time
from urllib.parse import quote_plus

import meshy_auth_client
from meshy_auth_client.exceptions import ApiException
from meshy_auth_client.models import AnonymousRegistration, ErrorResponse, RateLimitError

ACCOUNT = os.environ["MESHY_ACCOUNT"]
CLIENT_ID = os.environ["MESHY_CLIENT_ID"]
USERNAME = os.environ["MESHY_USERNAME"]
PASSWORD = os.environ["MESHY_PASSWORD"]
SERVICE_ID = os.environ["MESHY_SERVICE_CLIENT_ID"]
SERVICE_SECRET = os.environ["MESHY_SERVICE_SECRET"]
SCOPE = "meshy.api offline_access"
SERVICE_SCOPE = "meshy.api"
URL = os.environ["MESHY_URL"]

api_client = meshy_auth_client.ApiClient(meshy_auth_client.Configuration(host=URL))
tokens = meshy_auth_client.TokenApi(api_client)


def basic(secret):
    """The generated client's `basic` scheme: the configuration's username and password become the Authorization
    header; client_secret_basic form-urlencodes the id and the secret first (RFC 6749 section 2.3.1)."""
    configuration = meshy_auth_client.Configuration(host=URL, username=quote_plus(SERVICE_ID),
                                                    password=quote_plus(secret))
    return meshy_auth_client.TokenApi(meshy_auth_client.ApiClient(configuration))


service = basic(SERVICE_SECRET)  # the confidential client, with client_secret_basic
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


def claims(jwt):
    """The claims of a JWT, read without checking its signature (the server's own checks are introspection's)."""
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def expect_service_token(issued):
    """A client_credentials token: the client's own, no refresh token, no user."""
    expect(issued.access_token.count(".") == 2, "a JWT")
    expect(issued.token_type.lower() == "bearer", issued.token_type)
    expect(issued.refresh_token is None, "no refresh token")
    expect(SERVICE_SCOPE in (issued.scope or "").split(), f"scope {issued.scope}")
    payload = claims(issued.access_token)
    expect(payload.get("sub") == SERVICE_ID, f"sub {payload.get('sub')}")
    expect("id" not in payload, f"an id claim {payload.get('id')}")


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


@check("discovery names the introspection endpoint, client_credentials and client_secret_basic")
def _():
    metadata = meshy_auth_client.DiscoveryApi(api_client).discovery(ACCOUNT)
    expect((metadata.introspection_endpoint or "").endswith(f"/{ACCOUNT}/connect/introspect"),
           f"introspection_endpoint {metadata.introspection_endpoint}")
    expect("client_credentials" in metadata.grant_types_supported, "client_credentials supported")
    expect("client_secret_basic" in (metadata.token_endpoint_auth_methods_supported or []), "client_secret_basic")


@check("password grant issues an access token and a refresh token")
def _():
    issued = login(USERNAME, PASSWORD)
    expect(issued.access_token.count(".") == 2, "a JWT")
    expect(issued.token_type.lower() == "bearer", issued.token_type)
    expect(issued.refresh_token, "a refresh token")
    state["refresh_token"] = issued.refresh_token
    state["user_access_token"] = issued.access_token


@check("refresh grant rotates the refresh token")
def _():
    issued = tokens.token(ACCOUNT, client_id=CLIENT_ID, grant_type="refresh_token",
                          refresh_token=state["refresh_token"])
    expect(issued.refresh_token and issued.refresh_token != state["refresh_token"], "a new refresh token")
    state["refresh_token"] = issued.refresh_token


@check("client_credentials with client_secret_basic: the subject is the client, no refresh token")
def _():
    issued = service.token(ACCOUNT, grant_type="client_credentials", scope=SERVICE_SCOPE)
    expect_service_token(issued)
    state["service_access_token"] = issued.access_token


@check("client_credentials with client_secret_post: the subject is the client, no refresh token")
def _():
    expect_service_token(tokens.token(ACCOUNT, grant_type="client_credentials", client_id=SERVICE_ID,
                                      client_secret=SERVICE_SECRET, scope=SERVICE_SCOPE))


@check("a wrong secret is 401 invalid_client with WWW-Authenticate")
def _():
    e = refusal(lambda: basic(SERVICE_SECRET + "-wrong").token(ACCOUNT, grant_type="client_credentials",
                                                                 scope=SERVICE_SCOPE))
    challenge = (e.headers or {}).get("WWW-Authenticate") or ""
    expect(e.status == 401, f"status {e.status}")
    expect(challenge.lower().startswith("basic"), f"WWW-Authenticate {challenge!r}")
    expect(ErrorResponse.from_json(e.body).error == "invalid_client", "invalid_client")


@check("introspection of the user access token: active, with its username")
def _():
    answer = service.introspect(ACCOUNT, state["user_access_token"], token_type_hint="access_token")
    expect(answer.active is True, f"active {answer.active}")
    expect(answer.username == USERNAME, f"username {answer.username}")
    expect(answer.client_id == CLIENT_ID, f"client_id {answer.client_id}")
    expect((answer.token_type or "").lower() == "bearer", f"token_type {answer.token_type}")
    expect(answer.sub and (answer.exp or 0) > time.time(), f"sub {answer.sub} exp {answer.exp}")


@check("introspection of the client token (client_secret_post): active, no username")
def _():
    answer = tokens.introspect(ACCOUNT, state["service_access_token"], client_id=SERVICE_ID,
                               client_secret=SERVICE_SECRET)
    expect(answer.active is True, f"active {answer.active}")
    expect(answer.username is None, f"username {answer.username}")
    expect(answer.sub == SERVICE_ID and answer.client_id == SERVICE_ID,
           f"sub {answer.sub} client_id {answer.client_id}")


@check("introspection of garbage: inactive")
def _():
    answer = service.introspect(ACCOUNT, "not-a-token")
    expect(answer.active is False, f"active {answer.active}")
    expect(answer.username is None and answer.sub is None, str(answer))


@check("revocation ends the refresh token")
def _():
    tokens.revoke(ACCOUNT, state["refresh_token"], token_type_hint="refresh_token", client_id=CLIENT_ID)
    e = refusal(lambda: tokens.token(ACCOUNT, client_id=CLIENT_ID, grant_type="refresh_token",
                                     refresh_token=state["refresh_token"]))
    expect(ErrorResponse.from_json(e.body).error == "invalid_grant", "invalid_grant after revocation")


@check("introspection of the user access token after its session was revoked: inactive")
def _():
    answer = service.introspect(ACCOUNT, state["user_access_token"], token_type_hint="access_token")
    expect(answer.active is False, f"active {answer.active}")


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
