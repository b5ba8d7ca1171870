// The generated typescript-fetch client against the real server: what a MeshyDB app in TypeScript does.
// Environment: MESHY_URL, MESHY_ACCOUNT, MESHY_CLIENT_ID, MESHY_USERNAME, MESHY_PASSWORD, and the confidential
// client's MESHY_SERVICE_CLIENT_ID and MESHY_SERVICE_SECRET (clients/run sets them).
import {
  Configuration, DiscoveryApi, ErrorResponseFromJSON, RateLimitErrorFromJSON, ResponseError, TokenApi,
  TokenGrantTypeEnum, TokenResponse, UsersApi,
} from '../../target/generated/typescript';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const accountName = env('MESHY_ACCOUNT');
const clientId = env('MESHY_CLIENT_ID');
const username = env('MESHY_USERNAME');
const password = env('MESHY_PASSWORD');
const serviceId = env('MESHY_SERVICE_CLIENT_ID');
const serviceSecret = env('MESHY_SERVICE_SECRET');
const basePath = env('MESHY_URL');
const config = new Configuration({ basePath });
const tokens = new TokenApi(config);
const scope = 'meshy.api offline_access';
const serviceScope = 'meshy.api';

/** application/x-www-form-urlencoded, as client_secret_basic encodes the id and the secret (RFC 6749 2.3.1). */
const formEncoded = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
/** The generated client's `basic` scheme: the configuration's username and password become the Authorization header. */
const basic = (secret: string) => new TokenApi(new Configuration({
  basePath, username: formEncoded(serviceId), password: formEncoded(secret),
}));
/** The confidential client with client_secret_basic. */
const service = basic(serviceSecret);
/** The claims of a JWT, read without checking its signature (the server's own checks are introspection's). */
const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

let passed = 0;
let failed = 0;
async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : e}`);
  }
}
function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}
/** The typed body of a refused call: the generated client throws ResponseError with the raw response. */
async function refusal(call: Promise<unknown>): Promise<ResponseError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ResponseError) return e;
    throw e;
  }
  throw new Error('the call succeeded');
}
const login = (user: string, secret: string) => tokens.token({
  accountName, clientId, grantType: TokenGrantTypeEnum.Password, username: user, password: secret, scope,
});

/** A client_credentials token: the client's own, no refresh token, no user. */
function expectServiceToken(issued: TokenResponse): void {
  expect(issued.accessToken.split('.').length === 3, 'a JWT');
  expect(issued.tokenType.toLowerCase() === 'bearer', `token_type ${issued.tokenType}`);
  expect(issued.refreshToken === undefined, 'no refresh token');
  expect((issued.scope ?? '').split(' ').includes(serviceScope), `scope ${issued.scope}`);
  const payload = claims(issued.accessToken);
  expect(payload.sub === serviceId, `sub ${payload.sub}`);
  expect(!('id' in payload), `an id claim ${payload.id}`);
}

async function main(): Promise<void> {
  let refreshToken = '';
  let userAccessToken = '';
  let serviceAccessToken = '';

  await check('discovery names the token endpoint and an EC signing key', async () => {
    const discovery = new DiscoveryApi(config);
    const metadata = await discovery.discovery({ accountName });
    expect(metadata.tokenEndpoint.endsWith(`/${accountName}/connect/token`), `token_endpoint ${metadata.tokenEndpoint}`);
    expect(metadata.grantTypesSupported.includes('password'), 'password grant supported');
    const jwks = await discovery.jwks({ accountName });
    expect(jwks.keys.length > 0 && jwks.keys.every((k) => k.kty === 'EC'), 'EC keys');
  });

  await check('discovery names the introspection endpoint, client_credentials and client_secret_basic', async () => {
    const metadata = await new DiscoveryApi(config).discovery({ accountName });
    expect(!!metadata.introspectionEndpoint?.endsWith(`/${accountName}/connect/introspect`),
      `introspection_endpoint ${metadata.introspectionEndpoint}`);
    expect(metadata.grantTypesSupported.includes('client_credentials'), 'client_credentials supported');
    expect(!!metadata.tokenEndpointAuthMethodsSupported?.includes('client_secret_basic'), 'client_secret_basic');
  });

  await check('password grant issues an access token and a refresh token', async () => {
    const issued = await login(username, password);
    expect(issued.accessToken.split('.').length === 3, 'a JWT');
    expect(issued.tokenType.toLowerCase() === 'bearer', `token_type ${issued.tokenType}`);
    expect(!!issued.refreshToken, 'a refresh token');
    refreshToken = issued.refreshToken!;
    userAccessToken = issued.accessToken;
  });

  await check('refresh grant rotates the refresh token', async () => {
    const issued = await tokens.token({
      accountName, clientId, grantType: TokenGrantTypeEnum.RefreshToken, refreshToken,
    });
    expect(!!issued.refreshToken && issued.refreshToken !== refreshToken, 'a new refresh token');
    refreshToken = issued.refreshToken!;
  });

  await check('client_credentials with client_secret_basic: the subject is the client, no refresh token', async () => {
    const issued = await service.token({
      accountName, grantType: TokenGrantTypeEnum.ClientCredentials, scope: serviceScope,
    });
    expectServiceToken(issued);
    serviceAccessToken = issued.accessToken;
  });

  await check('client_credentials with client_secret_post: the subject is the client, no refresh token', async () => {
    expectServiceToken(await tokens.token({
      accountName, clientId: serviceId, clientSecret: serviceSecret, grantType: TokenGrantTypeEnum.ClientCredentials,
      scope: serviceScope,
    }));
  });

  await check('a wrong secret is 401 invalid_client with WWW-Authenticate', async () => {
    const e = await refusal(basic(`${serviceSecret}-wrong`).token({
      accountName, grantType: TokenGrantTypeEnum.ClientCredentials, scope: serviceScope,
    }));
    const challenge = e.response.headers.get('WWW-Authenticate') ?? '';
    expect(e.response.status === 401, `status ${e.response.status}`);
    expect(/^Basic\b/i.test(challenge), `WWW-Authenticate ${challenge}`);
    expect(ErrorResponseFromJSON(await e.response.json()).error === 'invalid_client', 'invalid_client');
  });

  await check('introspection of the user access token: active, with its username', async () => {
    const answer = await service.introspect({ accountName, token: userAccessToken, tokenTypeHint: 'access_token' });
    expect(answer.active === true, `active ${answer.active}`);
    expect(answer.username === username, `username ${answer.username}`);
    expect(answer.clientId === clientId, `client_id ${answer.clientId}`);
    expect((answer.tokenType ?? '').toLowerCase() === 'bearer', `token_type ${answer.tokenType}`);
    expect(!!answer.sub && (answer.exp ?? 0) > Date.now() / 1000, `sub ${answer.sub} exp ${answer.exp}`);
  });

  await check('introspection of the client token (client_secret_post): active, no username', async () => {
    const answer = await tokens.introspect({
      accountName, token: serviceAccessToken, clientId: serviceId, clientSecret: serviceSecret,
    });
    expect(answer.active === true, `active ${answer.active}`);
    expect(answer.username === undefined, `username ${answer.username}`);
    expect(answer.sub === serviceId && answer.clientId === serviceId, `sub ${answer.sub} client_id ${answer.clientId}`);
  });

  await check('introspection of garbage: inactive', async () => {
    const answer = await service.introspect({ accountName, token: 'not-a-token' });
    expect(answer.active === false, `active ${answer.active}`);
    expect(answer.username === undefined && answer.sub === undefined, JSON.stringify(answer));
  });

  await check('revocation ends the refresh token', async () => {
    await tokens.revoke({ accountName, token: refreshToken, tokenTypeHint: 'refresh_token', clientId });
    const e = await refusal(tokens.token({
      accountName, clientId, grantType: TokenGrantTypeEnum.RefreshToken, refreshToken,
    }));
    expect(ErrorResponseFromJSON(await e.response.json()).error === 'invalid_grant', 'invalid_grant after revocation');
  });

  await check('introspection of the user access token after its session was revoked: inactive', async () => {
    const answer = await service.introspect({ accountName, token: userAccessToken, tokenTypeHint: 'access_token' });
    expect(answer.active === false, `active ${answer.active}`);
  });

  await check('anonymous registration, then login with the static password', async () => {
    const device = `ts-device-${Date.now()}`;
    const user = await new UsersApi(config).registerAnonymousUser({
      accountName, anonymousRegistration: { username: device },
    });
    expect(user.anonymous && user.isActive && user.username === device, JSON.stringify(user));
    expect(!!(await login(device, 'nopassword')).accessToken, 'anonymous login');
  });

  await check('a wrong password is invalid_grant, read from the typed error', async () => {
    const e = await refusal(login(username, 'not-the-password'));
    const body = ErrorResponseFromJSON(await e.response.json());
    expect(e.response.status === 400 && body.error === 'invalid_grant', `${e.response.status} ${body.error}`);
  });

  await check('failed logins past the budget get 429 with Retry-After', async () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const e = await refusal(login(username, 'not-the-password'));
      if (e.response.status === 429) {
        const retryAfter = Number(e.response.headers.get('Retry-After'));
        expect(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${retryAfter}`);
        expect(RateLimitErrorFromJSON(await e.response.json()).error === 'too_many_requests', 'too_many_requests');
        return;
      }
    }
    throw new Error('no 429 after 20 failed logins');
  });

  console.log(`typescript: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
