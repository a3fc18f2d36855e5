// The fake GOV.UK Notify and the fake SMTP relay behave as the real services
// do, so a test that passes against them says something about the real ones.
// Only Node (and curl, when installed) talk to them here; no Coproduce server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFakeNotify, defaultApiKey } from './fake_notify.mjs';
import { startFakeSmtp } from './fake_smtp.mjs';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A Notify token made here from the documented recipe rather than with the
// fake's own helper, so a mistake in one is not hidden by the same mistake in
// the other.
function jwt(apiKey, { iat = Math.floor(Date.now() / 1000), iss } = {}) {
  const serviceId = apiKey.slice(-73, -37);
  const secret = apiKey.slice(-36);
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signed = `${enc({ typ: 'JWT', alg: 'HS256' })}.${enc({ iss: iss ?? serviceId, iat })}`;
  return `${signed}.${crypto.createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

const templateId = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

describe('fake GOV.UK Notify', () => {
  let notify;
  before(async () => { notify = await startFakeNotify(); });
  after(async () => { await notify.close(); });

  // Calls the fake as a Notify client does; resolves { status, body }.
  async function call(method, p, body, { token = jwt(defaultApiKey), headers = {} } = {}) {
    const res = await fetch(notify.url + p, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  test('an email is accepted with the documented answer, and can be looked up', async () => {
    notify.reset();
    const res = await call('POST', '/v2/notifications/email', {
      email_address: 'amala@example.com', template_id: templateId,
      personalisation: { subject: 'Your invitation', body: 'Hello Amala' }, reference: 'invite-1',
    });
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.reference, 'invite-1');
    assert.deepEqual(res.body.content, {
      subject: 'Your invitation', body: 'Hello Amala', from_email: 'coproduce.test@notifications.service.gov.uk',
    });
    assert.equal(res.body.uri, `${notify.url}/v2/notifications/${res.body.id}`);
    assert.equal(res.body.template.id, templateId);
    assert.equal(res.body.template.version, 1);

    const got = await call('GET', `/v2/notifications/${res.body.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.type, 'email');
    assert.equal(got.body.email_address, 'amala@example.com');
    assert.equal(got.body.status, 'delivered');
    assert.equal(got.body.subject, 'Your invitation');
    assert.match(got.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(notify.sent.length, 1);
    assert.equal(notify.requests.length, 2);
    assert.match(notify.requests[0].auth, /^Bearer /);
    assert.equal(notify.requests[0].body.email_address, 'amala@example.com');
  });

  test('a text message goes to a UK mobile written any usual way, and to nothing else', async () => {
    for (const phone of ['07700 900123', '+44 7700 900123', '0044 7700-900123']) {
      const res = await call('POST', '/v2/notifications/sms', { phone_number: phone, template_id: templateId });
      assert.equal(res.status, 201, phone);
      assert.equal(res.body.content.from_number, 'GOVUK');
    }
    for (const [phone, message] of [
      ['08515111111', 'phone_number Not a UK mobile number'],
      ['+33 6 12 34 56 78', 'phone_number Not a UK mobile number'],
      ['07700 9001234', 'phone_number Too many digits'],
      ['07700 9001', 'phone_number Not enough digits'],
      ['07515111*11', 'phone_number Must not contain letters or symbols'],
    ]) {
      const res = await call('POST', '/v2/notifications/sms', { phone_number: phone, template_id: templateId });
      assert.equal(res.status, 400, phone);
      assert.deepEqual(res.body, { status_code: 400, errors: [{ error: 'ValidationError', message }] });
    }
  });

  test('a letter needs three address lines ending in a real UK postcode', async () => {
    const ok = await call('POST', '/v2/notifications/letter', {
      template_id: templateId, reference: 'letter-1',
      personalisation: { address_line_1: 'Amala Bird', address_line_2: '123 High Street', address_line_3: 'sw14 6bh' },
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.scheduled_for, null);
    assert.equal(typeof ok.body.content.subject, 'string');
    const got = await call('GET', `/v2/notifications/${ok.body.id}`);
    assert.equal(got.body.type, 'letter');
    assert.equal(got.body.line_1, 'Amala Bird');
    assert.equal(got.body.line_3, 'SW14 6BH');
    assert.equal(got.body.postcode, 'SW14 6BH');
    assert.equal(got.body.status, 'received');

    const short = await call('POST', '/v2/notifications/letter', {
      template_id: templateId, personalisation: { address_line_1: 'Amala Bird', address_line_2: 'SW14 6BH' },
    });
    assert.equal(short.status, 400);
    assert.equal(short.body.errors[0].error, 'ValidationError');
    assert.equal(short.body.errors[0].message, 'Address must be at least 3 lines');
    const noPostcode = await call('POST', '/v2/notifications/letter', {
      template_id: templateId, personalisation: { address_line_1: 'A', address_line_2: 'B', address_line_3: 'Narnia' },
    });
    assert.equal(noPostcode.status, 400);
    assert.equal(noPostcode.body.errors[0].message, 'Must be a real UK postcode');
  });

  test('invalid requests get Notify\'s validation errors, all at once', async () => {
    const bad = await call('POST', '/v2/notifications/email', { email_address: 'not an address', template_id: 'abc' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      status_code: 400,
      errors: [
        { error: 'ValidationError', message: 'email_address Not a valid email address' },
        { error: 'ValidationError', message: 'template_id is not a valid UUID' },
      ],
    });
    const missing = await call('POST', '/v2/notifications/email', { template_id: templateId });
    assert.equal(missing.body.errors[0].message, 'email_address is a required property');
    for (const address of ['a@b', 'a..b@example.com', 'a@-example.com', 'a b@example.com']) {
      const res = await call('POST', '/v2/notifications/email', { email_address: address, template_id: templateId });
      assert.equal(res.status, 400, address);
    }
    const notJson = await call('POST', '/v2/notifications/email', undefined, {
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.errors[0].error, 'BadRequestError');
  });

  test('an address at fail.example is refused for good', async () => {
    const before_ = notify.sent.length;
    const res = await call('POST', '/v2/notifications/email', { email_address: 'someone@fail.example', template_id: templateId });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].error, 'BadRequestError');
    assert.match(res.body.errors[0].message, /team-only API key/);
    assert.equal(notify.sent.length, before_);
  });

  test('a request with a bad or missing token is refused', async () => {
    const body = { email_address: 'amala@example.com', template_id: templateId };
    const none = await call('POST', '/v2/notifications/email', body, { token: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.errors[0].error, 'AuthError');
    const wrongSecret = 'coproduce_test-26785a09-ab16-4eb0-8407-a37497a57506-00000000-0000-4000-8000-000000000000';
    const forged = await call('POST', '/v2/notifications/email', body, { token: jwt(wrongSecret) });
    assert.deepEqual(forged, {
      status: 403,
      body: { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token: signature, api token not found' }] },
    });
    const stale = await call('POST', '/v2/notifications/email', body, {
      token: jwt(defaultApiKey, { iat: Math.floor(Date.now() / 1000) - 45 }),
    });
    assert.equal(stale.status, 403);
    assert.equal(stale.body.errors[0].message, 'Error: Your system clock must be accurate to within 30 seconds');
    const otherService = await call('POST', '/v2/notifications/email', body, {
      token: jwt(defaultApiKey, { iss: crypto.randomUUID() }),
    });
    assert.equal(otherService.status, 403);
    const unknown = await call('GET', `/v2/notifications/${crypto.randomUUID()}`);
    assert.deepEqual(unknown.body, { status_code: 404, errors: [{ error: 'NoResultFound', message: 'No result found' }] });
  });

  test('notifications are found by reference, newest first, and repeats are counted', async () => {
    notify.reset();
    const ids = [];
    for (const ref of ['batch-7', 'batch-7', 'other']) {
      const res = await call('POST', '/v2/notifications/email', {
        email_address: 'amala@example.com', template_id: templateId, reference: ref,
      });
      ids.push(res.body.id);
    }
    const found = await call('GET', '/v2/notifications?reference=batch-7');
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.notifications.map((n) => n.id), [ids[1], ids[0]]);
    assert.equal(found.body.links.current, `${notify.url}/v2/notifications?reference=batch-7`);
    const sms = await call('GET', '/v2/notifications?reference=batch-7&template_type=sms');
    assert.deepEqual(sms.body.notifications, []);
    const badType = await call('GET', '/v2/notifications?template_type=fax');
    assert.equal(badType.status, 400);
    assert.equal(notify.byReference('batch-7').length, 2);
    assert.equal(notify.byReference('other').length, 1);
    assert.equal(notify.duplicateReferences(), 1);
  });

  test('429 and 500 come back for the requests failNext names, then sending works', async () => {
    notify.reset();
    notify.failNext(1, 429);
    notify.failNext(1, 500);
    const body = { email_address: 'amala@example.com', template_id: templateId, reference: 'retry-1' };
    const limited = await call('POST', '/v2/notifications/email', body);
    assert.deepEqual(limited, {
      status: 429,
      body: {
        status_code: 429,
        errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds' }],
      },
    });
    const broken = await call('POST', '/v2/notifications/email', body);
    assert.deepEqual(broken, {
      status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] },
    });
    assert.equal((await call('POST', '/v2/notifications/email', body)).status, 201);
    assert.equal(notify.byReference('retry-1').length, 1);
    assert.equal(notify.requests.length, 3);
  });

  test('setLatency slows every answer', async () => {
    notify.setLatency(150);
    const start = Date.now();
    const res = await call('GET', `/v2/notifications/${crypto.randomUUID()}`);
    notify.setLatency(0);
    assert.equal(res.status, 404);
    assert.ok(Date.now() - start >= 140, `answered after ${Date.now() - start} ms`);
  });

  test('a template fills its placeholders and refuses missing ones', async () => {
    const id = crypto.randomUUID();
    const fake = await startFakeNotify({ templates: { [id]: { subject: 'Hello ((name))', body: 'Bring:((things))' } } });
    try {
      const send = (personalisation, template = id) => fetch(`${fake.url}/v2/notifications/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt(defaultApiKey)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email_address: 'a@example.org', template_id: template, personalisation }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
      const ok = await send({ name: 'Amala', things: ['passport', 'bill'] });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.content.subject, 'Hello Amala');
      assert.match(ok.body.content.body, /\* passport\n\* bill/);
      const missing = await send({ name: 'Amala' });
      assert.deepEqual(missing.body.errors, [{ error: 'BadRequestError', message: 'Missing personalisation: things' }]);
      const unknown = await send({}, crypto.randomUUID());
      assert.equal(unknown.body.errors[0].message, 'Template not found');
    } finally {
      await fake.close();
    }
  });

  test('a notification stays "created" until delivered, and bounces end as permanent failures', async () => {
    const slow = await startFakeNotify({ deliverAfterMs: 200 });
    try {
      const post = (email) => fetch(`${slow.url}/v2/notifications/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt(defaultApiKey)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email_address: email, template_id: templateId }),
      }).then((r) => r.json());
      const status = (id) => fetch(`${slow.url}/v2/notifications/${id}`, {
        headers: { authorization: `Bearer ${jwt(defaultApiKey)}` },
      }).then((r) => r.json());
      const good = await post('amala@example.com');
      const bounce = await post('gone@bounce.example');
      assert.equal((await status(good.id)).status, 'created');
      assert.equal(slow.sent[0].status, 'created');
      assert.equal((await status(bounce.id)).status, 'created');
      await sleep(250);
      const delivered = await status(good.id);
      assert.equal(delivered.status, 'delivered');
      assert.ok(delivered.completed_at);
      assert.equal((await status(bounce.id)).status, 'permanent-failure');
      assert.equal(slow.sent[0].status, 'delivered');
    } finally {
      await slow.close();
    }
  });

  test('it answers well over 1,000 requests a second on kept-alive connections', async () => {
    notify.reset();
    // node:http rather than fetch: in this one process, fetch's own cost
    // would be measured more than the fake's.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const token = jwt(defaultApiKey);
    const post = (i) => new Promise((resolve, reject) => {
      const body = JSON.stringify({ email_address: 'load@example.com', template_id: templateId, reference: `load-${i}` });
      const req = http.request(`${notify.url}/v2/notifications/email`, {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(body);
    });
    const total = 4000;
    let next = 0;
    const start = performance.now();
    try {
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (next < total) assert.equal(await post(next++), 201);
      }));
    } finally {
      agent.destroy();
    }
    const perSecond = total / ((performance.now() - start) / 1000);
    assert.equal(notify.sent.length, total);
    assert.equal(notify.duplicateReferences(), 0);
    assert.ok(perSecond > 1000, `${Math.round(perSecond)} requests a second`);
  });

  test('run as a script it prints its URL, serves, and sums up on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(here, 'fake_notify.mjs'), '--port', '0', '--latency-ms', '20'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve();
    }));
    const { url } = JSON.parse(stdout);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const ref of ['s-1', 's-1', 's-2']) {
      const res = await fetch(`${url}/v2/notifications/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt(defaultApiKey)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email_address: 'a@example.org', template_id: templateId, reference: ref }),
      });
      assert.equal(res.status, 201);
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.deepEqual(JSON.parse(stderr.trim()), { accepted: 3, duplicateReferences: 1 });
  });
});

// A line-at-a-time SMTP client: send(line) resolves the server's whole reply
// as { code, lines }.
async function smtpClient(port) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let text = '';
  let waiting = null;
  const replies = [];
  const closed = new Promise((resolve) => socket.on('close', resolve));
  function pump() {
    for (;;) {
      const m = /^((?:\d{3}-[^\r\n]*\r\n)*)(\d{3})( [^\r\n]*|)\r\n/.exec(text);
      if (!m) break;
      text = text.slice(m[0].length);
      replies.push({ code: Number(m[2]), lines: m[0].trimEnd().split('\r\n').map((l) => l.slice(4)) });
    }
    if (waiting && replies.length) {
      const w = waiting;
      waiting = null;
      w(replies.shift());
    }
  }
  socket.on('data', (d) => { text += d; pump(); });
  socket.on('close', () => { if (waiting) waiting(null); });
  const reply = () => new Promise((resolve) => { waiting = resolve; pump(); });
  return {
    reply,
    send(line) { socket.write(`${line}\r\n`); return reply(); },
    write(data) { socket.write(data); },
    closed,
    end() { socket.destroy(); },
  };
}

describe('fake SMTP relay', () => {
  let smtp;
  before(async () => { smtp = await startFakeSmtp({ user: 'coproduce', password: 'p4ss' }); });
  after(async () => { await smtp.close(); });

  const plain = (user, password) => Buffer.from(`\0${user}\0${password}`).toString('base64');

  // Greets and authenticates with AUTH PLAIN; resolves the client.
  async function session() {
    const c = await smtpClient(smtp.port);
    assert.equal((await c.reply()).code, 220);
    assert.equal((await c.send('EHLO client.test')).code, 250);
    assert.equal((await c.send(`AUTH PLAIN ${plain('coproduce', 'p4ss')}`)).code, 235);
    return c;
  }

  test('a whole session delivers one message with its headers and decoded text', async () => {
    smtp.reset();
    const c = await smtpClient(smtp.port);
    const greeting = await c.reply();
    assert.equal(greeting.code, 220);
    assert.match(greeting.lines[0], /ESMTP/);
    const ehlo = await c.send('EHLO client.test');
    assert.equal(ehlo.code, 250);
    assert.ok(ehlo.lines.includes('AUTH PLAIN LOGIN'));
    assert.ok(ehlo.lines.includes('8BITMIME'));
    assert.equal(ehlo.lines.at(-1), 'SIZE 10485760');
    assert.ok(!ehlo.lines.some((l) => /STARTTLS/.test(l)));
    assert.equal((await c.send(`AUTH PLAIN ${plain('coproduce', 'p4ss')}`)).code, 235);
    assert.equal((await c.send('MAIL FROM:<noreply@coproduce.example> SIZE=400 BODY=8BITMIME')).code, 250);
    assert.equal((await c.send('RCPT TO:<amala@example.com>')).code, 250);
    assert.equal((await c.send('RCPT TO:<bird@example.com>')).code, 250);
    assert.equal((await c.send('DATA')).code, 354);
    c.write([
      'From: Coproduce <noreply@coproduce.example>',
      'To: amala@example.com',
      'Subject: =?UTF-8?B?WW91ciBpbnZpdGF0aW9u4oCZcw==?=',
      'X-Long: first part',
      ' second part',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 at 10 o=E2=80=99clock, a long line that wraps here =',
      'and carries on.',
      '..a line that began with a dot',
      '.',
      '',
    ].join('\r\n'));
    const queued = await c.reply();
    assert.equal(queued.code, 250);
    assert.match(queued.lines[0], /^2\.0\.0 Ok: queued as \w+$/);
    assert.equal((await c.send('QUIT')).code, 221);
    await c.closed;

    assert.equal(smtp.messages.length, 1);
    const m = smtp.messages[0];
    assert.equal(m.from, 'noreply@coproduce.example');
    assert.deepEqual(m.to, ['amala@example.com', 'bird@example.com']);
    assert.equal(m.user, 'coproduce');
    assert.equal(m.subject, 'Your invitation’s');
    assert.equal(m.headers['x-long'], 'first part second part');
    assert.equal(m.headers.to, 'amala@example.com');
    assert.equal(m.body, 'Café at 10 o’clock, a long line that wraps here and carries on.\r\n.a line that began with a dot\r\n');
    assert.match(m.data, /\r\n\.a line that began with a dot\r\n$/);
  });

  test('credentials are required and checked, by PLAIN or LOGIN', async () => {
    const c = await smtpClient(smtp.port);
    await c.reply();
    assert.equal((await c.send('MAIL FROM:<a@x.org>')).code, 503); // no EHLO yet
    await c.send('EHLO client.test');
    assert.equal((await c.send('MAIL FROM:<a@x.org>')).code, 530);
    assert.equal((await c.send(`AUTH PLAIN ${plain('coproduce', 'wrong')}`)).code, 535);
    const challenge = await c.send('AUTH PLAIN');
    assert.equal(challenge.code, 334);
    assert.equal((await c.send(plain('coproduce', 'nope'))).code, 535);
    assert.deepEqual(await c.send('AUTH LOGIN'), { code: 334, lines: ['VXNlcm5hbWU6'] });
    assert.deepEqual(await c.send(Buffer.from('coproduce').toString('base64')), { code: 334, lines: ['UGFzc3dvcmQ6'] });
    assert.equal((await c.send(Buffer.from('p4ss').toString('base64'))).code, 235);
    assert.equal((await c.send('MAIL FROM:<a@x.org>')).code, 250);
    assert.equal((await c.send('RSET')).code, 250);
    assert.equal((await c.send('NOOP')).code, 250);
    assert.equal((await c.send('STARTTLS')).code, 454);
    assert.equal((await c.send('QUIT')).code, 221);
  });

  test('recipients at reject.example and busy.example are refused with 550 and 451', async () => {
    const c = await session();
    await c.send('MAIL FROM:<a@x.org>');
    const rejected = await c.send('RCPT TO:<nobody@reject.example>');
    assert.equal(rejected.code, 550);
    assert.match(rejected.lines[0], /^5\.1\.1 .*User unknown/);
    const busy = await c.send('RCPT TO:<someone@busy.example>');
    assert.equal(busy.code, 451);
    assert.match(busy.lines[0], /^4\.3\.0 .*Try again later/);
    assert.equal((await c.send('DATA')).code, 554); // no recipient was accepted
    await c.send('QUIT');
  });

  test('failNext makes the next MAIL FROM fail; 421 also hangs up', async () => {
    smtp.failNext(1, 451);
    smtp.failNext(1, 421);
    const c = await session();
    assert.equal((await c.send('MAIL FROM:<a@x.org>')).code, 451);
    assert.equal((await c.send('MAIL FROM:<a@x.org>')).code, 421);
    await c.closed;
    const again = await session();
    assert.equal((await again.send('MAIL FROM:<a@x.org>')).code, 250);
    await again.send('QUIT');
  });

  test('setLatency delays every reply', async () => {
    const c = await session();
    smtp.setLatency(120);
    const start = Date.now();
    assert.equal((await c.send('NOOP')).code, 250);
    smtp.setLatency(0);
    assert.ok(Date.now() - start >= 110, `replied after ${Date.now() - start} ms`);
    await c.send('QUIT');
  });

  test('down refuses connections and up takes them again on the same port', async () => {
    await smtp.down();
    await assert.rejects(smtpClient(smtp.port), { code: 'ECONNREFUSED' });
    await smtp.up();
    const c = await session();
    await c.send('QUIT');
  });

  test('a multipart message gives its plain text and its HTML, base64 undone', async () => {
    smtp.reset();
    const c = await session();
    await c.send('MAIL FROM:<a@x.org>');
    await c.send('RCPT TO:<b@y.org>');
    await c.send('DATA');
    const b64 = (s) => Buffer.from(s).toString('base64');
    c.write([
      'Subject: plain',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="BOUNDARY"',
      '',
      '--BOUNDARY',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64('Hello Zoë'),
      '--BOUNDARY',
      'Content-Type: text/html; charset=UTF-8',
      '',
      '<p>Hello Zoë</p>',
      '--BOUNDARY--',
      '.',
      '',
    ].join('\r\n'));
    assert.equal((await c.reply()).code, 250);
    await c.send('QUIT');
    assert.equal(smtp.messages[0].body, 'Hello Zoë');
    assert.equal(smtp.messages[0].html, '<p>Hello Zoë</p>');
  });

  test('curl, which uses the libcurl Coproduce sends with, delivers through it', async (t) => {
    try {
      await execFileAsync('curl', ['--version']);
    } catch {
      t.skip('curl is not installed');
      return;
    }
    smtp.reset();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-fake-smtp-'));
    try {
      const file = path.join(dir, 'mail.txt');
      await writeFile(file, 'From: a@x.org\r\nTo: b@y.org\r\nSubject: Sent by curl\r\n\r\nHello from curl.\r\n.dot line\r\n');
      await execFileAsync('curl', ['--silent', '--show-error', '--url', smtp.url, '--mail-from', 'a@x.org',
        '--mail-rcpt', 'b@y.org', '--user', 'coproduce:p4ss', '--upload-file', file]);
      assert.equal(smtp.messages.length, 1);
      assert.equal(smtp.messages[0].from, 'a@x.org');
      assert.equal(smtp.messages[0].user, 'coproduce');
      assert.deepEqual(smtp.messages[0].to, ['b@y.org']);
      assert.equal(smtp.messages[0].subject, 'Sent by curl');
      assert.equal(smtp.messages[0].body, 'Hello from curl.\r\n.dot line\r\n');
      await assert.rejects(execFileAsync('curl', ['--silent', '--show-error', '--url', smtp.url,
        '--mail-from', 'a@x.org', '--mail-rcpt', 'b@y.org', '--user', 'coproduce:wrong', '--upload-file', file]),
      /Login denied|67/);
      await assert.rejects(execFileAsync('curl', ['--silent', '--show-error', '--url', smtp.url,
        '--mail-from', 'a@x.org', '--mail-rcpt', 'x@reject.example', '--user', 'coproduce:p4ss', '--upload-file', file]),
      /550|RCPT/);
      assert.equal(smtp.messages.length, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
