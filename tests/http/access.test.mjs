// Walks the whole route table: every route that is not public refuses a
// signed-out visitor and every role it does not list, and no user sees
// another organisation's records.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, routes, run, startServer } from '../support/server.mjs';

const password = 'another long test password';
const roleEmail = (role) => `${role}@example.org`;
const allRoles = ['administrator', 'coproduction-lead', 'analyst', 'learning-lead', 'participant', 'learner'];

// A concrete path for a pattern: parameters get a plausible made-up value.
const concrete = (pattern) => pattern.replace(/\{[^}]+\}/g, '1').replace(/\/\*$/, '/x');

describe('access control over the whole route table', () => {
  let server;
  let table;
  const clients = {};
  const tokens = {};

  before(async () => {
    server = await startServer();
    table = await routes();
    for (const role of allRoles) {
      await run(['admin', 'create-user', '--database', server.db, '--organisation', admin.organisation,
        '--email', roleEmail(role), '--role', role], { input: `${password}\n` });
      clients[role] = new Client(server.base);
      await clients[role].signIn(roleEmail(role), password);
      const out = await run(['admin', 'create-token', '--database', server.db, '--email', roleEmail(role)]);
      tokens[role] = out.trim().split('\n').at(-1);
    }
    // The participant is also in the pool, so their own pages have a record to show.
    const res = await fetch(`${server.base}/api/v1/people`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.administrator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'A Participant', email: roleEmail('participant'), consent: true }),
    });
    assert.equal(res.status, 201);
    // The learner is also in the workforce, so their own learning pages have a record to show.
    const worker = await fetch(`${server.base}/api/v1/learning/workers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.administrator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ worker_id: 'L1', name: 'A Learner', role_category: 'care_worker',
        closeness: 'direct_care', started_on: '2025-01-06', email: roleEmail('learner') }),
    });
    assert.equal(worker.status, 201);
  });
  after(async () => { await server?.stop(); });

  test('the route table is not empty and every route declares its roles', () => {
    assert.ok(table.length >= 15);
    for (const r of table) {
      assert.ok(Array.isArray(r.roles) && r.roles.length > 0, `${r.method} ${r.path} declares who may use it`);
      for (const role of r.roles) assert.ok(role === 'public' || allRoles.includes(role), `${role} is a role`);
    }
  });

  test('signed-out visitors are refused every non-public route', async () => {
    const closed = table.filter((r) => !r.roles.includes('public'));
    assert.ok(closed.length > 0);
    for (const r of closed) {
      const res = await fetch(server.base + concrete(r.path), {
        method: r.method, redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: r.method === 'GET' ? undefined : 'x=1',
      });
      const where = `${r.method} ${r.path}`;
      if (r.channel === 'page' && r.method === 'GET') {
        assert.equal(res.status, 303, `${where} sends a signed-out visitor to sign in`);
        assert.match(res.headers.get('location'), /^\/sign-in\?next=/, where);
      } else {
        assert.equal(res.status, 401, `${where} answers 401 when signed out`);
      }
    }
  });

  test('each role is refused every route that does not list it', async () => {
    let checked = 0;
    for (const r of table.filter((x) => !x.roles.includes('public'))) {
      for (const role of allRoles.filter((x) => !r.roles.includes(x))) {
        const where = `${r.method} ${r.path} as ${role}`;
        let res;
        if (r.channel === 'api') {
          res = await fetch(server.base + concrete(r.path), {
            method: r.method, headers: { authorization: `Bearer ${tokens[role]}` },
          });
        } else {
          const c = clients[role];
          res = r.method === 'GET'
            ? await c.get(concrete(r.path))
            : await c.request(r.method, concrete(r.path), { form: { csrf_token: c.cookies.get('coproduce_csrf') ?? '' } });
        }
        assert.equal(res.status, 403, where);
        checked += 1;
      }
    }
    assert.ok(checked > 0, 'some route is closed to some role');
  });

  test('each role reaches the GET pages it is listed for', async () => {
    for (const r of table.filter((x) => x.channel === 'page' && x.method === 'GET' && !x.path.includes('{')
      && !x.roles.includes('public'))) {
      for (const role of r.roles) {
        const res = await clients[role].get(r.path);
        assert.equal(res.status, 200, `${r.path} as ${role}`);
      }
    }
  });

  test("an administrator never sees another organisation's users or audit log", async () => {
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Other Trust']);
    await run(['admin', 'create-user', '--database', server.db, '--organisation', 'Other Trust',
      '--email', 'other-admin@example.org', '--role', 'administrator'], { input: `${password}\n` });
    const other = new Client(server.base);
    await other.signIn('other-admin@example.org', password);
    const users = await other.get('/admin/users');
    assert.equal(users.status, 200);
    assert.ok(users.text_.includes('other-admin@example.org'));
    for (const role of allRoles) assert.ok(!users.text_.includes(roleEmail(role)), `${role} of Test Council hidden`);
    assert.ok(!/(^|[^-\w])admin@example\.org/.test(users.text_), 'Test Council\'s administrator hidden');
    const log = await other.get('/admin/audit-log');
    assert.equal(log.status, 200);
    assert.ok(log.text_.includes('other-admin@example.org'), "Other Trust's own sign-in is in its log");
    assert.ok(!/(^|[^-\w])admin@example\.org/.test(log.text_), "Test Council's sign-ins are not in Other Trust's log");
    const orgs = await other.get('/admin/organisations');
    assert.ok(!orgs.text_.includes(admin.organisation), 'Test Council is not listed to Other Trust');
    const mine = await clients.administrator.get('/admin/users');
    assert.ok(!mine.text_.includes('other-admin@example.org'));
  });
});
