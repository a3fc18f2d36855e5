// The messages module as an administrator meets it: `coproduce admin
// messages` sets how an organisation sends, POST /api/v1/messages/test queues
// a test email, and GET /api/v1/messages/{id} says what became of it, with a
// real server on loopback talking to the fake GOV.UK Notify and the fake SMTP
// relay (tests/support/fake_notify.mjs, fake_smtp.mjs) started here. `make
// test` runs this file on SQLite and again on PostgreSQL.
//
// Each case has an organisation (and a fake) of its own on one server, so
// what one case sends cannot reach another's fake. The restart case, a
// server without COPRODUCE_SECRET_KEY and a server with the default options
// each have a server of their own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { rm } from 'node:fs/promises';
import {
  admin, api, bin, dropDatabase, engine, freshDatabase, run, sleep, startServer, userPassword, userWithRole,
} from '../support/server.mjs';
import { sql } from '../support/sql.mjs';
import { defaultApiKey, parseApiKey, startFakeNotify } from '../support/fake_notify.mjs';
import { startFakeSmtp } from '../support/fake_smtp.mjs';

const secretKey = 'a passphrase for the messages tests';
// Quick retries (1 s, doubling), quick polling, and Notify asked about
// delivery as soon as a message is sent. Two senders keep the machine free
// for the rest of the suite; the last test runs the default.
const senders = 2;
const sendingArgs = ['--message-senders', String(senders), '--message-retry-seconds', '1', '--message-poll-ms', '100',
  '--message-check-seconds', '0'];
const finished = (m) => ['sent', 'delivered', 'failed'].includes(m.status);
const settled = (m) => ['delivered', 'failed'].includes(m.status);

// Runs a coproduce command with COPRODUCE_SECRET_KEY set to `key` (unset
// when null); resolves { code, stdout, stderr }.
function command(args, { key = secretKey } = {}) {
  const env = { ...process.env };
  delete env.COPRODUCE_SECRET_KEY;
  if (key !== null) env.COPRODUCE_SECRET_KEY = key;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// `coproduce admin messages` for `organisation` with `options`.
const setMessages = (db, organisation, options, opts) => command(
  ['admin', 'messages', '--database', db, '--organisation', organisation, ...options], opts);

// A new organisation with an administrator; resolves { name, id, token }.
async function newOrganisation(db, name, email) {
  await run(['admin', 'create-organisation', '--database', db, '--name', name]);
  await run(['admin', 'create-user', '--database', db, '--organisation', name, '--email', email,
    '--role', 'administrator'], { input: `${userPassword}\n` });
  const token = (await run(['admin', 'create-token', '--database', db, '--email', email])).trim().split('\n').at(-1);
  const id = Number(await sql(db, `SELECT id FROM organisations WHERE name = '${name.replace(/'/g, "''")}'`));
  return { name, id, token };
}

// Queues a test email; resolves { status, body }.
async function sendTest(server, token, to) {
  const res = await api(server, token, 'POST', '/api/v1/messages/test', { to });
  return { status: res.status, body: await res.json().catch(() => null) };
}

// Polls GET /api/v1/messages/{id} until `done(message)`; resolves the
// message and every status seen, in order, without repeats.
async function waitForMessage(server, token, id, done = settled, timeoutMs = 20_000) {
  const seen = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(server, token, 'GET', `/api/v1/messages/${id}`);
    assert.equal(res.status, 200, `GET /api/v1/messages/${id}`);
    const message = await res.json();
    if (seen.at(-1) !== message.status) seen.push(message.status);
    if (done(message)) return { message, seen };
    if (Date.now() > deadline) {
      throw new Error(`message ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(message)} (seen ${seen})`);
    }
    await sleep(50);
  }
}

// Checks a Notify JWT the way Notify does, independently of the fake.
function checkNotifyToken(authorization, apiKey) {
  const { serviceId, secret } = parseApiKey(apiKey);
  const [scheme, token] = authorization.split(' ');
  assert.equal(scheme, 'Bearer');
  const [head, claims, signature] = token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(head, 'base64url')), { typ: 'JWT', alg: 'HS256' });
  const body = JSON.parse(Buffer.from(claims, 'base64url'));
  assert.equal(body.iss, serviceId);
  assert.ok(Math.abs(body.iat - Date.now() / 1000) < 30, `iat ${body.iat} is now`);
  const expected = crypto.createHmac('sha256', secret).update(`${head}.${claims}`).digest('base64url');
  assert.equal(signature, expected, 'signed with the key\'s secret');
}

// The idempotency key of message `id`, as stored.
const keyOf = async (db, id) => sql(db, `SELECT idempotency_key FROM messages WHERE id = ${Number(id)}`);
// Letters and digits only, so a key can be found in a header that spells
// its separators differently.
const squash = (s) => s.replace(/[^A-Za-z0-9_-]/g, '');

describe(`messages: backends, retries, limits and restarts (${engine})`, () => {
  let server;
  const fakes = [];
  const fake = (f) => { fakes.push(f); return f; };

  before(async () => {
    server = await startServer({ args: sendingArgs, env: { COPRODUCE_SECRET_KEY: secretKey } });
  });
  after(async () => {
    await server?.stop();
    for (const f of fakes) await f.close();
  });

  test('GOV.UK Notify: the key is stored sealed, and a test email is sent, then delivered, once', async () => {
    const notify = fake(await startFakeNotify({ deliverAfterMs: 1000 }));
    const { secret } = parseApiKey(notify.apiKey);
    const org = await newOrganisation(server.db, 'Notify Borough Council', 'notify-admin@example.org');
    const template = crypto.randomUUID();
    const set = await setMessages(server.db, org.name,
      ['--notify-key', notify.apiKey, '--notify-url', notify.url, '--notify-email-template', template]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /'Notify Borough Council' now sends messages through GOV\.UK Notify/);
    assert.ok(!(set.stdout + set.stderr).includes(secret), 'the key is not printed');
    const row = await sql(server.db, `SELECT * FROM message_settings WHERE organisation_id = ${org.id}`);
    assert.match(row, /notify/);
    assert.ok(!row.includes(secret), 'the key is not stored in clear');
    const sealed = await sql(server.db, `SELECT notify_key_sealed FROM message_settings WHERE organisation_id = ${org.id}`);
    assert.ok(sealed.length > secret.length, 'a sealed key is stored');

    const to = 'ada.lovelace@example.org';
    const queued = await sendTest(server, org.token, to);
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    assert.equal(typeof queued.body.id, 'number');
    assert.equal(queued.body.status, 'queued');
    const { message, seen } = await waitForMessage(server, org.token, queued.body.id);
    assert.equal(message.status, 'delivered', JSON.stringify(message));
    assert.ok(seen.includes('sent') && seen.indexOf('sent') < seen.indexOf('delivered'), `seen: ${seen}`);
    assert.equal(message.kind, 'test');
    assert.equal(message.channel, 'email');
    assert.equal(message.attempts, 1);
    assert.ok(message.sent_at && message.delivered_at, JSON.stringify(message));
    assert.equal(message.reason, undefined);

    const emails = notify.sent.filter((n) => n.email_address === to);
    assert.equal(emails.length, 1, 'one email reached Notify');
    assert.equal(emails[0].template.id, template);
    assert.match(emails[0].personalisation.subject, /test message/i);
    assert.match(emails[0].personalisation.body, /Notify Borough Council/);
    assert.equal(emails[0].reference, await keyOf(server.db, queued.body.id), 'the reference is the idempotency key');
    const posts = notify.requests.filter((r) => r.method === 'POST' && r.body?.email_address === to);
    assert.equal(posts.length, 1);
    assert.equal(posts[0].status, 201);
    checkNotifyToken(posts[0].auth, notify.apiKey);
    assert.ok(!(server.stdout() + server.stderr()).includes(secret), 'the server never logs the key');
  });

  test('SMTP: user and password in the address, a UTF-8 email arrives whole; a wrong password and a refused address fail and say why', async () => {
    const smtp = fake(await startFakeSmtp({ user: 'coproduce', password: 'relay-pass-8271' }));
    const org = await newOrganisation(server.db, 'Cyngor Môn – Café ✓', 'smtp-admin@example.org');
    const set = await setMessages(server.db, org.name,
      ['--smtp', `smtp://coproduce:relay-pass-8271@127.0.0.1:${smtp.port}`, '--from', 'involvement@example.org']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /through an SMTP relay/);
    assert.ok(!(set.stdout + set.stderr).includes('relay-pass-8271'), 'the password is not printed');
    const row = await sql(server.db, `SELECT * FROM message_settings WHERE organisation_id = ${org.id}`);
    assert.ok(!row.includes('relay-pass-8271'), 'the password is not stored in clear');
    assert.equal(await sql(server.db, `SELECT smtp_user FROM message_settings WHERE organisation_id = ${org.id}`), 'coproduce');

    const to = 'bea@example.org';
    const queued = await sendTest(server, org.token, to);
    assert.equal(queued.status, 202);
    const { message } = await waitForMessage(server, org.token, queued.body.id, finished);
    assert.equal(message.status, 'sent', JSON.stringify(message));
    const mail = smtp.messages.filter((m) => m.to.includes(to));
    assert.equal(mail.length, 1, 'one email reached the relay');
    const [m] = mail;
    assert.equal(m.user, 'coproduce', 'it signed in with the user name in the address');
    assert.equal(m.from, 'involvement@example.org');
    assert.match(m.headers.to, /bea@example\.org/);
    assert.match(m.subject, /test message/i);
    assert.equal(m.headers['content-transfer-encoding'].toLowerCase(), 'base64');
    assert.match(m.headers['content-type'], /charset="?utf-8/i);
    assert.ok(m.body.includes('Cyngor Môn – Café ✓'), `the body, decoded, names the organisation: ${m.body}`);
    const key = await keyOf(server.db, queued.body.id);
    assert.match(m.headers['message-id'], /^<[^<>\s]+@[^<>\s]+>$/);
    assert.ok(squash(m.headers['message-id']).includes(squash(key)),
      `the Message-ID ${m.headers['message-id']} carries the idempotency key ${key}`);

    // A refused recipient: 550 from the relay.
    const refused = await sendTest(server, org.token, 'nobody@reject.example');
    const r = await waitForMessage(server, org.token, refused.body.id, finished);
    assert.equal(r.message.status, 'failed');
    assert.match(r.message.reason, /550/);

    // The right relay, the wrong password.
    const wrong = await newOrganisation(server.db, 'Wrong Password Trust', 'wrong-admin@example.org');
    const setWrong = await setMessages(server.db, wrong.name,
      ['--smtp', `smtp://coproduce:not-the-pass-77@127.0.0.1:${smtp.port}`, '--from', 'trust@example.org']);
    assert.equal(setWrong.code, 0, setWrong.stderr);
    const denied = await sendTest(server, wrong.token, 'cy@example.org');
    const d = await waitForMessage(server, wrong.token, denied.body.id, finished);
    assert.equal(d.message.status, 'failed', JSON.stringify(d.message));
    assert.match(d.message.reason, /user name or password/i);
    assert.ok(!d.message.reason.includes('not-the-pass-77'), 'the reason does not show the password');
    assert.equal(smtp.messages.filter((x) => x.to.includes('cy@example.org')).length, 0);
    assert.ok(!(server.stdout() + server.stderr()).includes('relay-pass-8271'), 'the server never logs the password');
  });

  test('a relay that is down: the message waits, says so and when it will try again, then goes once the relay is back', async () => {
    const smtp = fake(await startFakeSmtp());
    const org = await newOrganisation(server.db, 'Down Relay District', 'down-admin@example.org');
    assert.equal((await setMessages(server.db, org.name,
      ['--smtp', `smtp://127.0.0.1:${smtp.port}`, '--from', 'district@example.org'])).code, 0);
    await smtp.down();
    const to = 'dee@example.org';
    const queued = await sendTest(server, org.token, to);
    assert.equal(queued.status, 202);
    const waiting = await waitForMessage(server, org.token, queued.body.id, (m) => m.attempts >= 1 && m.status === 'queued');
    assert.match(waiting.message.reason, /waiting/i);
    assert.match(waiting.message.reason, /try again at \d\d:\d\d/i);
    assert.ok(waiting.message.next_attempt_at > waiting.message.created_at, JSON.stringify(waiting.message));
    await smtp.up();
    const { message } = await waitForMessage(server, org.token, queued.body.id, finished);
    assert.equal(message.status, 'sent', JSON.stringify(message));
    assert.ok(message.attempts >= 2);
    await sleep(300);
    assert.equal(smtp.messages.filter((m) => m.to.includes(to)).length, 1, 'sent exactly once');
  });

  test('GOV.UK Notify answering 500 three times: the message waits, saying why, and is sent once', async () => {
    const notify = fake(await startFakeNotify());
    const org = await newOrganisation(server.db, 'Busy Notify Borough', 'busy-admin@example.org');
    assert.equal((await setMessages(server.db, org.name, ['--notify-key', notify.apiKey, '--notify-url', notify.url,
      '--notify-email-template', crypto.randomUUID()])).code, 0);
    notify.failNext(3, 500);
    const to = 'eve@example.org';
    const queued = await sendTest(server, org.token, to);
    const waiting = await waitForMessage(server, org.token, queued.body.id, (m) => m.attempts >= 1 && m.status === 'queued');
    assert.match(waiting.message.reason, /waiting/i);
    assert.match(waiting.message.reason, /Notify.*500/);
    assert.ok(waiting.message.next_attempt_at, JSON.stringify(waiting.message));
    const { message } = await waitForMessage(server, org.token, queued.body.id, settled, 30_000);
    assert.equal(message.status, 'delivered', JSON.stringify(message));
    assert.equal(notify.sent.filter((n) => n.email_address === to).length, 1, 'sent exactly once');
    assert.equal(notify.duplicateReferences(), 0);
  });

  test('GOV.UK Notify refusing an address fails at once with its reason; a bounce is sent, then fails', async () => {
    const notify = fake(await startFakeNotify({ deliverAfterMs: 800 }));
    const org = await newOrganisation(server.db, 'Bounce City Council', 'bounce-admin@example.org');
    assert.equal((await setMessages(server.db, org.name, ['--notify-key', notify.apiKey, '--notify-url', notify.url,
      '--notify-email-template', crypto.randomUUID()])).code, 0);
    const refused = await sendTest(server, org.token, 'outsider@fail.example');
    const bounced = await sendTest(server, org.token, 'gone@bounce.example');
    const r = await waitForMessage(server, org.token, refused.body.id);
    assert.equal(r.message.status, 'failed');
    assert.equal(r.message.attempts, 1, 'a refusal is not tried again');
    assert.match(r.message.reason, /Can't send to this recipient using a team-only API key/);
    const b = await waitForMessage(server, org.token, bounced.body.id);
    assert.deepEqual(b.seen.slice(-2), ['sent', 'failed'], `seen: ${b.seen}`);
    assert.match(b.message.reason, /address/i);
    assert.ok(b.message.sent_at);
    assert.equal(notify.sent.length, 1, 'only the bounce was accepted');
  });

  test('a limit of 2 messages a day to one person: the third is failed with the limit as its reason and not sent', async () => {
    const notify = fake(await startFakeNotify());
    const org = await newOrganisation(server.db, 'Limited Council', 'limited-admin@example.org');
    assert.equal((await setMessages(server.db, org.name, ['--notify-key', notify.apiKey, '--notify-url', notify.url,
      '--notify-email-template', crypto.randomUUID(), '--recipient-daily-limit', '2'])).code, 0);
    const to = 'fay@example.org';
    const first = await sendTest(server, org.token, to);
    const second = await sendTest(server, org.token, to);
    const third = await sendTest(server, org.token, to);
    for (const q of [first, second, third]) assert.equal(q.status, 202);
    assert.equal(third.body.status, 'failed', JSON.stringify(third.body));
    assert.match(third.body.reason, /2 messages today/);
    for (const q of [first, second]) {
      assert.equal((await waitForMessage(server, org.token, q.body.id)).message.status, 'delivered');
    }
    const t = await waitForMessage(server, org.token, third.body.id);
    assert.equal(t.message.status, 'failed');
    assert.match(t.message.reason, /limit|most allowed/);
    assert.equal(t.message.attempts, 0, 'never tried');
    // The limit is per person: someone else is still sent theirs.
    const other = await sendTest(server, org.token, 'gil@example.org');
    assert.equal((await waitForMessage(server, org.token, other.body.id)).message.status, 'delivered');
    assert.equal(notify.sent.filter((n) => n.email_address === to).length, 2, 'nothing more reached Notify');
  });

  test('bad input: the admin command names what is wrong; the API refuses bad addresses, a missing backend and other roles', async () => {
    // The command.
    const key = parseApiKey(defaultApiKey);
    const notifyArgs = ['--notify-key', `live-${key.serviceId}-${key.secret}`, '--notify-url', 'http://127.0.0.1:9'];
    const noKey = await setMessages(server.db, admin.organisation, notifyArgs, { key: null });
    assert.notEqual(noKey.code, 0);
    assert.match(noKey.stderr, /COPRODUCE_SECRET_KEY/);
    assert.ok(!noKey.stderr.includes(key.secret));
    const both = await setMessages(server.db, admin.organisation,
      ['--smtp', 'smtp://127.0.0.1:2525', '--from', 'a@example.org', ...notifyArgs]);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /either --smtp .* or --notify-key/);
    const neither = await setMessages(server.db, admin.organisation, []);
    assert.notEqual(neither.code, 0);
    assert.match(neither.stderr, /either --smtp .* or --notify-key/);
    const malformed = await setMessages(server.db, admin.organisation, ['--notify-key', 'not-a-key-s3cr3tvalue']);
    assert.notEqual(malformed.code, 0);
    assert.match(malformed.stderr, /--notify-key/);
    assert.ok(!malformed.stderr.includes('s3cr3tvalue'), 'a refused key is not echoed');
    assert.equal(await sql(server.db, "SELECT COUNT(*) FROM message_settings ms JOIN organisations o ON o.id = ms.organisation_id WHERE o.name = 'Test Council'"), '0',
      'nothing was saved');

    // The API, for the organisation the server started with: no backend yet.
    const adminToken = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
    for (const to of ['not an address', '', 'a@b', 'two@@example.org']) {
      const bad = await sendTest(server, adminToken, to);
      assert.equal(bad.status, 400, `to ${JSON.stringify(to)}`);
      assert.equal(bad.body.error.field, 'to');
    }
    const missing = await api(server, adminToken, 'POST', '/api/v1/messages/test', {});
    assert.equal(missing.status, 400);
    const none = await sendTest(server, adminToken, 'hal@example.org');
    assert.equal(none.status, 409);
    assert.match(none.body.error.message, /set (one )?up/i);
    const { token: participant } = await userWithRole(server, admin.organisation, 'participant@example.org', 'participant');
    const { token: analyst } = await userWithRole(server, admin.organisation, 'analyst@example.org', 'analyst');
    for (const t of [participant, analyst]) {
      assert.equal((await sendTest(server, t, 'ivy@example.org')).status, 403);
    }

    // Who may see a message: its organisation's administrators and leads.
    const smtp = fake(await startFakeSmtp());
    const org = await newOrganisation(server.db, 'Seeing Council', 'seeing-admin@example.org');
    assert.equal((await setMessages(server.db, org.name,
      ['--smtp', `smtp://127.0.0.1:${smtp.port}`, '--from', 'seeing@example.org'])).code, 0);
    const queued = await sendTest(server, org.token, 'jo@example.org');
    assert.equal(queued.status, 202);
    const { token: lead } = await userWithRole(server, org.name, 'seeing-lead@example.org', 'coproduction-lead');
    const { token: seeingAnalyst } = await userWithRole(server, org.name, 'seeing-analyst@example.org', 'analyst');
    assert.equal((await api(server, lead, 'GET', `/api/v1/messages/${queued.body.id}`)).status, 200);
    assert.equal((await sendTest(server, lead, 'jo@example.org')).status, 403, 'a lead may not send a test');
    assert.equal((await api(server, seeingAnalyst, 'GET', `/api/v1/messages/${queued.body.id}`)).status, 403);
    assert.equal((await api(server, adminToken, 'GET', `/api/v1/messages/${queued.body.id}`)).status, 404,
      'another organisation\'s message is not found');
    assert.equal((await api(server, org.token, 'GET', '/api/v1/messages/999999')).status, 404);
  });
});

describe(`messages: a restart in the middle of a batch sends each message once (${engine})`, () => {
  let dir;
  let db;
  let notify;
  let server;

  before(async () => {
    ({ dir, db } = await freshDatabase());
    notify = await startFakeNotify({ latencyMs: 300 });
  });
  after(async () => {
    await server?.stop();
    await notify?.close();
    await dropDatabase(db);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('12 test emails, the server killed with SIGKILL while sends are in flight, then started again', async () => {
    const set = await setMessages(db, admin.organisation, ['--notify-key', notify.apiKey, '--notify-url', notify.url,
      '--notify-email-template', crypto.randomUUID()]);
    assert.equal(set.code, 0, set.stderr);
    const token = (await run(['admin', 'create-token', '--database', db, '--email', admin.email])).trim().split('\n').at(-1);
    const env = { COPRODUCE_SECRET_KEY: secretKey };
    server = await startServer({ db, args: sendingArgs, env });
    const ids = [];
    for (let i = 0; i < 12; i += 1) {
      const q = await sendTest(server, token, `person${i}@example.org`);
      assert.equal(q.status, 202);
      ids.push(q.body.id);
    }
    // Kill it once the second round of sends has reached Notify, whose
    // answers take 300 ms: those are accepted there but not recorded here.
    const posts = () => notify.requests.filter((r) => r.method === 'POST').length;
    const deadline = Date.now() + 15_000;
    while (posts() < senders + 1) {
      assert.ok(Date.now() < deadline, 'sending started');
      await sleep(5);
    }
    process.kill(server.pid, 'SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
    const before_ = notify.sent.length;
    assert.ok(before_ > senders && before_ < 12, `killed in the middle: ${before_} of 12 had reached Notify`);

    server = await startServer({ db, args: sendingArgs, env });
    for (const id of ids) {
      const { message } = await waitForMessage(server, token, id, (m) => ['sent', 'delivered', 'failed'].includes(m.status), 30_000);
      assert.ok(['sent', 'delivered'].includes(message.status), JSON.stringify(message));
    }
    assert.equal(notify.sent.length, 12, 'every message reached Notify');
    assert.equal(notify.duplicateReferences(), 0, 'none twice');
    for (const id of ids) {
      const key = await keyOf(db, id);
      assert.equal(notify.byReference(key).length, 1, `message ${id} (${key}) reached Notify once`);
    }
    const lookups = notify.requests.filter((r) => r.method === 'GET' && /[?&]reference=/.test(r.path));
    assert.ok(lookups.length >= 1, 'the sends cut short were looked up at Notify before sending again');
  });
});

describe(`messages: a server started without COPRODUCE_SECRET_KEY (${engine})`, () => {
  let server;
  let notify;
  before(async () => {
    notify = await startFakeNotify();
    // Empty counts as unset, whatever the shell running the tests has.
    server = await startServer({ args: sendingArgs, env: { COPRODUCE_SECRET_KEY: '' } });
  });
  after(async () => {
    await server?.stop();
    await notify?.close();
  });

  test('a message waits, saying the server cannot open the stored key, and nothing is sent', async () => {
    assert.match(server.stderr(), /COPRODUCE_SECRET_KEY is not set/);
    const set = await setMessages(server.db, admin.organisation, ['--notify-key', notify.apiKey, '--notify-url', notify.url,
      '--notify-email-template', crypto.randomUUID()]);
    assert.equal(set.code, 0, set.stderr);
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
    const queued = await sendTest(server, token, 'kit@example.org');
    assert.equal(queued.status, 202);
    const { message } = await waitForMessage(server, token, queued.body.id, (m) => m.attempts >= 1 && m.status === 'queued');
    assert.match(message.reason, /waiting/i);
    assert.match(message.reason, /COPRODUCE_SECRET_KEY/);
    assert.ok(message.next_attempt_at);
    assert.equal(notify.requests.length, 0, 'nothing reached Notify');
  });
});

describe(`messages: pages keep answering while the senders run, with the default options (${engine})`, () => {
  let server;
  before(async () => {
    server = await startServer({ env: { COPRODUCE_SECRET_KEY: secretKey } });
  });
  after(async () => {
    // Killed, not stopped: a stop would wait for the requests still waiting
    // for a connection.
    if (server) {
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      await server.stop();
    }
  });

  // On PostgreSQL every thread keeps one connection of the process's pool
  // while it lives: serve sizes the pool for its request threads, its
  // message senders and its other workers, so none waits for a connection.
  test('16 API requests at once all answer within 5 s', async () => {
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
    await sleep(300);  // the senders have started and looked for work
    const answers = await Promise.all(Array.from({ length: 16 }, () => fetch(`${server.base}/api/v1/messages/999999`, {
      headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000),
    }).then((r) => r.status, (e) => e.name)));
    assert.deepEqual(answers, Array(16).fill(404), `answers: ${answers}`);
  });
});
