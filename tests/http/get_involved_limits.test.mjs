// The public Get involved form is limited per network address, so a script
// cannot fill the pool; the limit is set with `serve --public-form-limit`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, freshDatabase, startServer } from '../support/server.mjs';

let server;
before(async () => {
  const { db, dir } = await freshDatabase();
  server = await startServer({ db, dir, args: ['--public-form-limit', '3'] });
});
after(async () => { await server?.stop(); });

test('starting the form too often from one address is refused with a 429 page', async () => {
  const c = new Client(server.base);
  for (let i = 0; i < 3; i += 1) {
    const res = await c.post('/get-involved', {}, { formPage: '/get-involved' });
    assert.equal(res.status, 303, `start ${i + 1} is allowed`);
  }
  const refused = await c.post('/get-involved', {}, { formPage: '/get-involved' });
  assert.equal(refused.status, 429);
  assert.match(refused.text_, /try again in an hour/);
  assert.equal((await fetch(`${server.base}/healthz`)).status, 200);
});

// Behind a proxy every visitor arrives from the proxy's address: with
// --trusted-proxy the limit counts each visitor by the address the proxy
// saw (X-Forwarded-For); without it, the header is not believed.
test('behind a trusted proxy the limit counts each visitor, and a forged header is not believed', async () => {
  const { db, dir } = await freshDatabase();
  const proxied = await startServer({ db, dir, args: ['--public-form-limit', '2', '--trusted-proxy', '127.0.0.1'] });
  try {
    const start = async (c, visitor) => {
      if (!c.cookies.has('coproduce_csrf')) await c.get('/get-involved');
      return c.request('POST', '/get-involved', {
        form: { csrf_token: c.cookies.get('coproduce_csrf') }, headers: { 'x-forwarded-for': visitor },
      });
    };
    const one = new Client(proxied.base);
    const two = new Client(proxied.base);
    for (let i = 0; i < 2; i += 1) assert.equal((await start(one, '198.51.100.1')).status, 303);
    assert.equal((await start(one, '198.51.100.1')).status, 429, 'the first visitor has used their starts');
    assert.equal((await start(two, '198.51.100.2')).status, 303, 'another visitor behind the same proxy is let in');
    // A visitor who writes their own X-Forwarded-For is still counted by the address the proxy added last.
    assert.equal((await start(two, '10.9.9.9, 198.51.100.1')).status, 429);
  } finally {
    await proxied.stop();
  }
  // The server without --trusted-proxy (limit 3, used up above) ignores the header.
  const c = new Client(server.base);
  await c.get('/get-involved');
  const forged = await c.request('POST', '/get-involved', {
    form: { csrf_token: c.cookies.get('coproduce_csrf') }, headers: { 'x-forwarded-for': '198.51.100.77' },
  });
  assert.equal(forged.status, 429);
});
