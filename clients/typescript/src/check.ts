// The generated typescript-fetch client against the real server: what a MeshyDB app in TypeScript does.
// Environment: MESHY_URL, MESHY_ACCOUNT, MESHY_CLIENT_ID, MESHY_USERNAME, MESHY_PASSWORD (clients/run sets them).
import {
  Configuration, DiscoveryApi, ErrorResponseFromJSON, RateLimitErrorFromJSON, ResponseError, TokenApi,
  TokenGrantTypeEnum, UsersApi,
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
const config = new Configuration({ basePath: env('MESHY_URL') });
const tokens = new TokenApi(config);
const scope = 'meshy.api offline_access';

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

async function main(): Promise<void> {
  let refreshToken = '';

  await check('discovery names the token endpoint and an EC signing key', async () => {
    const discovery = new DiscoveryApi(config);
    const metadata = await discovery.discovery({ accountName });
    expect(metadata.tokenEndpoint.endsWith(`/${accountName}/connect/token`), `token_endpoint ${metadata.tokenEndpoint}`);
    expect(metadata.grantTypesSupported.includes('password'), 'password grant supported');
    const jwks = await discovery.jwks({ accountName });
    expect(jwks.keys.length > 0 && jwks.keys.every((k) => k.kty === 'EC'), 'EC keys');
  });

  await check('password grant issues an access token and a refresh token', async () => {
    const issued = await login(username, password);
    expect(issued.accessToken.split('.').length === 3, 'a JWT');
    expect(issued.tokenType.toLowerCase() === 'bearer', `token_type ${issued.tokenType}`);
    expect(!!issued.refreshToken, 'a refresh token');
    refreshToken = issued.refreshToken!;
  });

  await check('refresh grant rotates the refresh token', async () => {
    const issued = await tokens.token({
      accountName, clientId, grantType: TokenGrantTypeEnum.RefreshToken, refreshToken,
    });
    expect(!!issued.refreshToken && issued.refreshToken !== refreshToken, 'a new refresh token');
    refreshToken = issued.refreshToken!;
  });

  await check('revocation ends the refresh token', async () => {
    await tokens.revoke({ accountName, token: refreshToken, tokenTypeHint: 'refresh_token', clientId });
    const e = await refusal(tokens.token({
      accountName, clientId, grantType: TokenGrantTypeEnum.RefreshToken, refreshToken,
    }));
    expect(ErrorResponseFromJSON(await e.response.json()).error === 'invalid_grant', 'invalid_grant after revocation');
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
