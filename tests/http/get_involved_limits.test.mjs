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
