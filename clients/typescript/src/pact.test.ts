// The TypeScript consumer's pact: the generated typescript-fetch client against Pact's mock server.
// Writes ../target/pacts/meshy-auth-typescript-client-meshy-auth-server.json, which contracts' MeshyServerPactIT
// replays against the real server beside the Java SDK's pact. The provider states are the ones that
// MeshyServerPactIT sets up (contracts/src/test/java/io/meshyauth/contracts/pact/ProviderStates.java).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MatchersV3, PactV3 } from '@pact-foundation/pact';
import {
  Configuration, DiscoveryApi, ErrorResponseFromJSON, RateLimitErrorFromJSON, ResponseError, TokenApi,
  TokenGrantTypeEnum, UsersApi,
} from '../../target/generated/typescript';

const { like, regex, integer, eachLike } = MatchersV3;
const CONSUMER = 'meshy-auth-typescript-client';
const PROVIDER = 'meshy-auth-server';
const dir = path.resolve(process.env.PACT_DIR ?? '../target/pacts');
// Pact merges into an existing file: start afresh so that a renamed or deleted interaction does not linger
fs.rmSync(path.join(dir, `${CONSUMER}-${PROVIDER}.json`), { force: true });
const pact = new PactV3({ consumer: CONSUMER, provider: PROVIDER, dir, logLevel: 'warn' });

const ACCOUNT = 'acme';
const CLIENT_ID = 'acme-public-key';
const SCOPE = 'meshy.api offline_access';
const JSON_TYPE = regex('application/json.*', 'application/json');
const FORM_TYPE = regex('application/x-www-form-urlencoded.*', 'application/x-www-form-urlencoded');
const JWT = '[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+';
const EXAMPLE_JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const tokenRequest = (fields: Record<string, string>) => ({
  method: 'POST', path: `/${ACCOUNT}/connect/token`, headers: { 'Content-Type': FORM_TYPE }, body: form(fields),
});
const passwordForm = (username: string, password: string) =>
  ({ client_id: CLIENT_ID, grant_type: 'password', username, password, scope: SCOPE });
const issuedTokens = (refreshToken: string) => ({
  status: 200,
  headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', Pragma: 'no-cache' },
  body: {
    access_token: regex(JWT, EXAMPLE_JWT),
    expires_in: integer(3600),
    token_type: 'Bearer',
    refresh_token: regex('[A-Za-z0-9_-]+', refreshToken),
    scope: SCOPE,
  },
});
const oauthError = (error: string, description: string) => ({
  status: 400, headers: { 'Content-Type': JSON_TYPE }, body: { error, error_description: description },
});
const api = (url: string) => new Configuration({ basePath: url });
const login = (url: string, username: string, password: string) => new TokenApi(api(url)).token({
  accountName: ACCOUNT, clientId: CLIENT_ID, grantType: TokenGrantTypeEnum.Password, username, password, scope: SCOPE,
});
async function refusal(call: Promise<unknown>): Promise<ResponseError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ResponseError) return e;
    throw e;
  }
  throw new Error('the call succeeded');
}

test('password login of an active user', async () => {
  pact.given('alice is an active user of account acme')
    .given('alice holds the live refresh token alice-login-refresh-token')
    .uponReceiving('a password login of an active user (TypeScript)')
    .withRequest(tokenRequest(passwordForm('alice', 'secret')))
    .willRespondWith(issuedTokens('alice-login-refresh-token'));
  await pact.executeTest(async (server) => {
    const issued = await login(server.url, 'alice', 'secret');
    assert.equal(issued.tokenType.toLowerCase(), 'bearer');
    assert.equal(issued.refreshToken, 'alice-login-refresh-token');
  });
});

test('a wrong password is invalid_grant', async () => {
  pact.given('alice is an active user of account acme')
    .uponReceiving('a password login with a wrong password (TypeScript)')
    .withRequest(tokenRequest(passwordForm('alice', 'not-the-password')))
    .willRespondWith(oauthError('invalid_grant', 'Username or password is invalid.'));
  await pact.executeTest(async (server) => {
    const e = await refusal(login(server.url, 'alice', 'not-the-password'));
    assert.equal(e.response.status, 400);
    assert.equal(ErrorResponseFromJSON(await e.response.json()).error, 'invalid_grant');
  });
});

test('refresh with a live refresh token', async () => {
  pact.given('alice holds the live refresh token alice-live-refresh-token')
    .uponReceiving('a refresh with a live refresh token (TypeScript)')
    .withRequest(tokenRequest(
      { client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: 'alice-live-refresh-token' }))
    .willRespondWith(issuedTokens('alice-next-refresh-token'));
  await pact.executeTest(async (server) => {
    const issued = await new TokenApi(api(server.url)).token({
      accountName: ACCOUNT, clientId: CLIENT_ID, grantType: TokenGrantTypeEnum.RefreshToken,
      refreshToken: 'alice-live-refresh-token',
    });
    assert.equal(issued.refreshToken, 'alice-next-refresh-token');
  });
});

test('sign-out revokes the refresh token', async () => {
  pact.given('alice holds the live refresh token alice-login-refresh-token')
    .uponReceiving('a sign-out revoking a refresh token (TypeScript)')
    .withRequest({
      method: 'POST', path: `/${ACCOUNT}/connect/revocation`, headers: { 'Content-Type': FORM_TYPE },
      body: form({ token: 'alice-login-refresh-token', token_type_hint: 'refresh_token', client_id: CLIENT_ID }),
    })
    .willRespondWith({ status: 200 });
  await pact.executeTest(async (server) => {
    await new TokenApi(api(server.url)).revoke({
      accountName: ACCOUNT, token: 'alice-login-refresh-token', tokenTypeHint: 'refresh_token', clientId: CLIENT_ID,
    });
  });
});

test('anonymous registration', async () => {
  pact.given('account open allows anonymous registration')
    .uponReceiving('an anonymous registration of a new username (TypeScript)')
    .withRequest({
      method: 'POST', path: '/open/users/register/anonymous', headers: { 'Content-Type': JSON_TYPE },
      body: { username: 'ts-device-1' },
    })
    .willRespondWith({
      status: 201,
      headers: { 'Content-Type': JSON_TYPE },
      body: { id: like('0b5a3c1e-8f57-4a47-9d0c-2a2b4f7e9c11'), username: 'ts-device-1', anonymous: true, isActive: true },
    });
  await pact.executeTest(async (server) => {
    const user = await new UsersApi(api(server.url)).registerAnonymousUser({
      accountName: 'open', anonymousRegistration: { username: 'ts-device-1' },
    });
    assert.equal(user.anonymous, true);
    assert.equal(user.isActive, true);
  });
});

test('discovery', async () => {
  const issuer = `https?://.+/${ACCOUNT}`;
  const exampleIssuer = `http://127.0.0.1:8080/${ACCOUNT}`;
  pact.given('account acme exists, with its signing key')
    .uponReceiving('a discovery request of an account (TypeScript)')
    .withRequest({ method: 'GET', path: `/${ACCOUNT}/.well-known/openid-configuration` })
    .willRespondWith({
      status: 200,
      headers: { 'Content-Type': JSON_TYPE },
      body: {
        issuer: regex(issuer, exampleIssuer),
        token_endpoint: regex(`${issuer}/connect/token`, `${exampleIssuer}/connect/token`),
        jwks_uri: regex(`${issuer}/\\.well-known/openid-configuration/jwks`,
          `${exampleIssuer}/.well-known/openid-configuration/jwks`),
        grant_types_supported: eachLike('password'),
      },
    });
  await pact.executeTest(async (server) => {
    const metadata = await new DiscoveryApi(api(server.url)).discovery({ accountName: ACCOUNT });
    assert.equal(metadata.tokenEndpoint, `${exampleIssuer}/connect/token`);
  });
});

test('429 with Retry-After once the failed-login budget is spent', async () => {
  pact.given('carol is a user of account acme whose failed logins used up her budget')
    .uponReceiving('a password login of a user whose failed logins used up her budget (TypeScript)')
    .withRequest(tokenRequest(passwordForm('carol', 'carol-secret')))
    .willRespondWith({
      status: 429,
      headers: { 'Content-Type': JSON_TYPE, 'Retry-After': regex('[1-9][0-9]*', '900') },
      body: { error: 'too_many_requests', error_description: like('Too many failed logins.') },
    });
  await pact.executeTest(async (server) => {
    const e = await refusal(login(server.url, 'carol', 'carol-secret'));
    assert.equal(e.response.status, 429);
    assert.equal(e.response.headers.get('Retry-After'), '900');
    assert.equal(RateLimitErrorFromJSON(await e.response.json()).error, 'too_many_requests');
  });
});
