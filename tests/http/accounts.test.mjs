// Accounts as people meet them: the first-run link, signing in and out,
// throttling, CSRF, invitations, and hostile text in fields.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, freshDatabase, startServer } from '../support/server.mjs';

const password = 'a long enough password';

describe('first run', () => {
  let server;
  before(async () => {
    const { db, dir } = await freshDatabase({ empty: true });
    server = await startServer({ db, dir });
  });
  after(async () => { await server?.stop(); });

  test('serve prints a one-time link that creates the first organisation and administrator', async () => {
    const link = server.stderr().match(/http:\/\/127\.0\.0\.1:\d+(\/setup\/[A-Za-z0-9_-]+)/);
    assert.ok(link, `a set-up link in:\n${server.stderr()}`);
    const c = new Client(server.base);
    const form = await c.get(link[1]);
    assert.equal(form.status, 200);
    assert.match(form.text_, /organisation_name/);

    const mismatch = await c.post(link[1], {
      organisation_name: 'Northfield Council', name: 'Nia', email: 'nia@example.org',
      password, password_confirm: 'something else entirely',
    });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.text_, /govuk-error-summary/);
    assert.match(mismatch.text_, /href="#password_confirm"/);
    assert.match(mismatch.text_, /value="Northfield Council"/, 'answers are kept');

    const done = await c.post(link[1], {
      organisation_name: 'Northfield Council', name: 'Nia', email: 'nia@example.org',
      password, password_confirm: password,
    });
    assert.equal(done.status, 200);
    await c.signIn('nia@example.org', password);
    const dash = await c.get('/dashboard');
    assert.equal(dash.status, 200);
    assert.match(dash.text_, /Northfield Council/);

    const again = await new Client(server.base).get(link[1]);
    assert.equal(again.status, 404, 'the link works once');
  });
});

describe('signing in', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('a signed-in session cookie is HttpOnly and SameSite=Lax, and sign-out ends it', async () => {
    const c = new Client(server.base);
    await c.get('/sign-in');
    const res = await c.request('POST', '/sign-in', {
      form: { csrf_token: c.cookies.get('coproduce_csrf'), email: admin.email, password: admin.password },
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/dashboard');
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith('coproduce_session='));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.ok(!/Secure/.test(cookie), 'not Secure over plain HTTP');
    assert.equal((await c.get('/dashboard')).status, 200);
    const out = await c.post('/sign-out', {}, { formPage: '/dashboard' });
    assert.equal(out.status, 303);
    const landing = await c.get(out.headers.get('location'));
    assert.match(landing.text_, /You have signed out/);
    assert.equal((await c.get('/dashboard')).status, 303, 'signed out');
  });

  test('sign-in goes back to the page asked for, but never to another site', async () => {
    const c = new Client(server.base);
    await c.get('/sign-in');
    const back = await c.post('/sign-in', { email: admin.email, password: admin.password, next: '/admin/users' });
    assert.equal(back.headers.get('location'), '/admin/users');
    const d = new Client(server.base);
    const away = await d.post('/sign-in', { email: admin.email, password: admin.password, next: '//evil.example/' });
    assert.equal(away.headers.get('location'), '/dashboard');
  });

  test('a wrong password shows the error summary and keeps the email', async () => {
    const c = new Client(server.base);
    const res = await c.post('/sign-in', { email: admin.email, password: 'not the password' });
    assert.equal(res.status, 400);
    assert.match(res.text_, /govuk-error-summary/);
    assert.match(res.text_, /Enter a correct email address and password/);
    assert.match(res.text_, new RegExp(`value="${admin.email}"`));
    const empty = await c.post('/sign-in', { email: '', password: '' });
    assert.match(empty.text_, /href="#email"/);
    assert.match(empty.text_, /href="#password"/);
  });

  test('a form without the right CSRF token is refused and changes nothing', async () => {
    const c = new Client(server.base);
    await c.get('/sign-in');
    const none = await c.request('POST', '/sign-in', { form: { email: admin.email, password: admin.password } });
    assert.equal(none.status, 403);
    assert.ok(!none.headers.getSetCookie().some((x) => x.startsWith('coproduce_session=')));
    const wrong = await c.request('POST', '/sign-in', {
      form: { csrf_token: 'x'.repeat(43), email: admin.email, password: admin.password },
    });
    assert.equal(wrong.status, 403);

    const signedIn = new Client(server.base);
    await signedIn.signIn();
    const forged = await signedIn.request('POST', '/admin/users', {
      form: { csrf_token: 'forged', email: 'forged@example.org', name: 'F', role: 'analyst' },
    });
    assert.equal(forged.status, 403);
    assert.ok(!(await signedIn.get('/admin/users')).text_.includes('forged@example.org'), 'nothing stored');
  });

  test('repeated wrong passwords lock the account for a while', async () => {
    const c = new Client(server.base);
    let last;
    for (let i = 0; i < 6; i += 1) last = await c.post('/sign-in', { email: admin.email, password: `wrong ${i}` });
    assert.equal(last.status, 429);
    assert.match(last.text_, /Too many attempts/);
    const right = await c.post('/sign-in', { email: admin.email, password: admin.password });
    assert.equal(right.status, 429, 'even the right password waits');
  });
});

describe('administration', () => {
  let server;
  let c;
  before(async () => {
    server = await startServer();
    c = new Client(server.base);
    await c.signIn();
  });
  after(async () => { await server?.stop(); });

  test('an administrator invites a user, who sets a password and signs in', async () => {
    const missing = await c.post('/admin/users', { email: 'not-an-email', name: '', role: '' });
    assert.equal(missing.status, 400);
    assert.match(missing.text_, /href="#name"/);
    assert.match(missing.text_, /href="#role"/);

    const res = await c.post('/admin/users', { email: 'lee@example.org', name: 'Lee', role: 'analyst' });
    assert.equal(res.status, 200);
    const link = res.text_.match(/\/invitation\/([A-Za-z0-9_-]{43})/);
    assert.ok(link, 'an invitation link is shown');
    const lee = new Client(server.base);
    assert.equal((await lee.get(link[0])).status, 200);
    const short = await lee.post(link[0], { name: 'Lee', password: 'short', password_confirm: 'short' });
    assert.equal(short.status, 400);
    const ok = await lee.post(link[0], { name: 'Lee', password, password_confirm: password });
    assert.equal(ok.status, 200);
    await lee.signIn('lee@example.org', password);
    assert.equal((await lee.get('/dashboard')).status, 200);
    assert.equal((await lee.get('/admin/users')).status, 403, 'an analyst is not an administrator');
    assert.equal((await new Client(server.base).get(link[0])).status, 404, 'the invitation works once');
  });

  test('HTML and SQL typed into fields are stored as text and shown escaped', async () => {
    const name = `<script>alert(1)</script>'); DROP TABLE users; --`;
    const res = await c.post('/admin/users', { email: 'mallory@example.org', name, role: 'analyst' });
    assert.equal(res.status, 200);
    const page = await c.get('/admin/users');
    assert.ok(!page.text_.includes('<script>alert(1)</script>'), 'not raw HTML');
    assert.ok(page.text_.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'shown escaped');
    assert.ok(page.text_.includes('mallory@example.org'), 'the users table still works');
  });

  test('a new organisation comes with a one-time link for its first administrator', async () => {
    const res = await c.post('/admin/organisations', { name: 'Riverside Care Homes', admin_email: 'rio@example.org' });
    assert.equal(res.status, 200);
    assert.match(res.text_, /Riverside Care Homes/);
    assert.match(res.text_, /\/invitation\/[A-Za-z0-9_-]{43}/);
    const dup = await c.post('/admin/organisations', { name: 'Riverside Care Homes', admin_email: 'rio2@example.org' });
    assert.equal(dup.status, 400);
    assert.match(dup.text_, /already exists/);
  });

  test('sign-ins and account changes appear in the audit log', async () => {
    const log = await c.get('/admin/audit-log');
    assert.equal(log.status, 200);
    for (const action of ['Signed in', 'Created a user account']) assert.ok(log.text_.includes(action), action);
    assert.match(log.text_, /\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC/, 'times people can read');
  });
});
