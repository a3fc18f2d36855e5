// The platform's machine-facing promises: health, metrics, security headers,
// error pages, static files and the API's authentication.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, engine, run, startServer } from '../support/server.mjs';

describe('platform', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('GET /healthz answers 200 with status, version and database', async () => {
    const res = await fetch(`${server.base}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    const body = await res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'ok');
    assert.match(body.version, /^\d+\.\d+\.\d+$/);
  });

  test('GET /metrics counts requests by route and status and has a latency histogram', async () => {
    await fetch(`${server.base}/no-such-page`);
    await fetch(`${server.base}/`);
    const text = await (await fetch(`${server.base}/metrics`)).text();
    assert.match(text, /# TYPE coproduce_http_requests_total counter/);
    assert.match(text, /coproduce_http_requests_total\{method="GET",route="\/",status="200"\} [1-9]/);
    assert.match(text, /coproduce_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} [1-9]/);
    assert.match(text, /coproduce_http_request_duration_seconds_bucket\{route="\/",le="\+Inf"\} [1-9]/);
    assert.ok(!text.includes('no-such-page'), 'metrics name routes, not paths');
  });

  test('every response carries the security headers', async () => {
    for (const url of ['/', '/sign-in', '/no-such-page', '/healthz', '/api/v1/me']) {
      const res = await fetch(server.base + url);
      const csp = res.headers.get('content-security-policy');
      assert.ok(csp, `${url} has a CSP`);
      assert.match(csp, /script-src 'self'/);
      assert.ok(!csp.includes("'unsafe-inline'"), `${url}: no inline script allowed`);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(res.headers.get('referrer-policy'), `${url} has a Referrer-Policy`);
    }
  });

  test('pages carry no inline scripts', async () => {
    const c = new Client(server.base);
    for (const url of ['/', '/what-is-co-production', '/sign-in', '/accessibility', '/privacy', '/cookies']) {
      const res = await c.get(url);
      assert.equal(res.status, 200, url);
      for (const m of res.text_.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
        assert.match(m[1], /src=/, `${url} has an inline script`);
        assert.equal(m[2].trim(), '', `${url} has an inline script`);
      }
    }
  });

  test('an unknown page is a 404 page in the site layout', async () => {
    const res = await fetch(`${server.base}/no-such-page`);
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.match(html, /Page not found/);
    assert.match(html, /<html lang="en"/);
  });

  test('the wrong method is a 405', async () => {
    const res = await fetch(`${server.base}/healthz`, { method: 'DELETE' });
    assert.equal(res.status, 405);
  });

  test('static files are served with cache headers and revalidate with ETag', async () => {
    const res = await fetch(`${server.base}/static/css/app.css`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/css/);
    assert.match(res.headers.get('cache-control'), /max-age=\d+/);
    const etag = res.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${server.base}/static/css/app.css`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  test('static paths cannot climb out of the static folder', async () => {
    for (const url of ['/static/../CMakeLists.txt', '/static/%2e%2e/%2e%2e/CMakeLists.txt', '/static/.hidden']) {
      const res = await fetch(server.base + url);
      assert.equal(res.status, 404, url);
    }
  });

  test('the API refuses a call without a valid token with a JSON 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-real-token' }, { authorization: 'Basic abc' }]) {
      const res = await fetch(`${server.base}/api/v1/me`, { headers });
      assert.equal(res.status, 401);
      const body = await res.json();
      assert.equal(body.error.code, 'unauthenticated');
      assert.ok(body.error.message.length > 0);
    }
    const unknown = await fetch(`${server.base}/api/v1/nothing-here`);
    assert.equal(unknown.status, 401, 'unknown API paths also need a token');
  });

  test('a token from `admin create-token` (its last line) opens the API', async () => {
    const out = await run(['admin', 'create-token', '--database', server.db, '--email', admin.email]);
    const token = out.trim().split('\n').at(-1);
    const res = await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const me = await res.json();
    assert.equal(me.email, admin.email);
    assert.equal(me.role, 'administrator');
    assert.equal(me.organisation.name, admin.organisation);
    const missing = await fetch(`${server.base}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, 'not_found');
  });

  test('request logs are JSON lines with no personal data', async () => {
    const c = new Client(server.base);
    await c.post('/sign-in', { email: 'someone.private@example.org', password: 'wrong password here' });
    await new Promise((r) => setTimeout(r, 100));
    const lines = server.stdout().trim().split('\n').filter(Boolean);
    assert.ok(lines.length > 5);
    for (const line of lines) {
      const entry = JSON.parse(line);
      for (const key of ['request_id', 'route', 'status', 'duration_ms']) assert.ok(key in entry, `${key} in ${line}`);
    }
    assert.ok(!server.stdout().includes('someone.private'), 'no email address in the log');
    assert.ok(!server.stdout().includes('127.0.0.1'), 'no client address in the log');
  });
});

// Several processes share public-form counts only when they share the key
// that hides addresses; on PostgreSQL (the engine for several processes)
// serve says so when it is missing.
test('serve on PostgreSQL warns when the rate-limit key is not shared', { skip: engine !== 'postgres' && 'one SQLite file is served by one process' }, async () => {
  const without = await startServer({ env: { COPRODUCE_RATE_LIMIT_KEY: '' } });
  await without.stop();
  assert.match(without.stderr(), /COPRODUCE_RATE_LIMIT_KEY is not set/);
  const keyed = await startServer({ env: { COPRODUCE_RATE_LIMIT_KEY: 'a shared secret of some length' } });
  await keyed.stop();
  assert.doesNotMatch(keyed.stderr(), /COPRODUCE_RATE_LIMIT_KEY/);
});
