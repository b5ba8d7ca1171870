// The consumer guide's Node example (contracts/CONSUMERS.md): a consumer in another language tests against the
// real server started from the jar with `serve --fixtures`, writing its forms as MeshyDB's JS SDK does (Node's
// querystring: %20 for spaces, every field of the request object, empty ones included). Node 20, no packages.
// Run: MESHY_SERVER_JAR=path/to/meshy-auth-server.jar node --test fixtures-consumer.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import querystring from 'node:querystring';

const jar = process.env.MESHY_SERVER_JAR ?? 'meshy-auth-server.jar';
let server;
let baseUrl;

before(async () => {
  server = spawn('java', ['-jar', jar, 'serve', '--fixtures', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  baseUrl = await new Promise((resolve, reject) => {
    let seen = '';
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      seen += chunk;
      const banner = seen.match(/FIXTURES MODE on (http:\/\/\S+):/);
      if (banner) resolve(banner[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve --fixtures exited with ${code}:\n${seen}`)));
    setTimeout(() => reject(new Error(`serve --fixtures did not start within 60 s:\n${seen}`)), 60_000).unref();
  });
});

after(() => server?.kill());

async function post(path, fields) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: querystring.stringify(fields),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

// what MeshyDB's JS SDK posts for each grant
const login = (account, clientId, username, password) => post(`/${account}/connect/token`, {
  client_id: clientId, client_secret: '', grant_type: 'password', username, password,
  scope: 'meshy.api offline_access', refresh_token: '',
});
const refresh = (refreshToken) => post('/acme/connect/token', {
  client_id: 'acme-public-key', client_secret: '', grant_type: 'refresh_token', refresh_token: refreshToken,
  username: '', password: '',
});
const signOut = (refreshToken) => post('/acme/connect/revocation', {
  token: refreshToken, token_type_hint: 'refresh_token', client_id: 'acme-public-key',
});

test('login, refresh and sign-out', async () => {
  const loggedIn = await login('acme', 'acme-public-key', 'alice', 'secret');
  assert.equal(loggedIn.status, 200);
  assert.equal(loggedIn.body.token_type, 'Bearer');

  const refreshed = await refresh(loggedIn.body.refresh_token);
  assert.equal(refreshed.status, 200);
  assert.notEqual(refreshed.body.refresh_token, loggedIn.body.refresh_token);

  assert.equal((await signOut(refreshed.body.refresh_token)).status, 200);
  const afterSignOut = await refresh(refreshed.body.refresh_token);
  assert.equal(afterSignOut.status, 400);
  assert.equal(afterSignOut.body.error, 'invalid_grant');
});

test('a wrong password is invalid_grant', async () => {
  const answer = await login('acme', 'acme-public-key', 'alice', 'not-the-password');
  assert.equal(answer.status, 400);
  assert.deepEqual(answer.body, { error: 'invalid_grant', error_description: 'Username or password is invalid.' });
});

test('a brute-forced user gets 429 with Retry-After', async () => {
  const answer = await login('acme', 'acme-public-key', 'carol', 'carol-secret');
  assert.equal(answer.status, 429);
  // seconds until the budget refills one login: 300 when just spent, less as time passes
  const retryAfter = Number(answer.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 300, `Retry-After ${retryAfter}`);
  assert.equal(answer.body.error, 'too_many_requests');
});

test('the provider-state endpoint makes a spent refresh token live again', async () => {
  const first = await refresh('alice-live-refresh-token');
  assert.equal(first.status, 200);
  await signOut(first.body.refresh_token); // ends the token's family
  assert.equal((await refresh('alice-live-refresh-token')).status, 400);

  const setUp = await fetch(`${baseUrl}/_fixtures/provider-states`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: 'alice holds the live refresh token alice-live-refresh-token', params: {}, action: 'setup' }),
  });
  assert.equal(setUp.status, 200);
  assert.equal((await refresh('alice-live-refresh-token')).status, 200);
});
