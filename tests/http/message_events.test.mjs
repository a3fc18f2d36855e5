// What people are sent when things happen, as they would find it: a real
// server on loopback sends through the fake GOV.UK Notify
// (tests/support/fake_notify.mjs), set up with `coproduce admin messages`
// for email, text messages and letters, and each case looks at what reached
// the fake and at the pages staff use. The events: an invitation to an
// activity (in each person's own way), a change of time and a cancellation,
// a password reset, a new user's invitation, a place offered after a fair
// draw with its reply link, and a payment made. `make test` runs this file on
// SQLite and again on PostgreSQL (scripts/with-postgres).
//
// One server; each case has an organisation and a fake Notify of its own, so
// what one case sends cannot reach another's fake, and a draw picks only
// from its own pool.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import {
  Client, api, bin, engine, run, sleep, startServer, userPassword, userWithRole, waitForRound,
} from '../support/server.mjs';
import { sql, sqlScript } from '../support/sql.mjs';
import { startFakeNotify } from '../support/fake_notify.mjs';

const secretKey = 'a passphrase for the message events tests';
// Links in messages start with this, not with the loopback address the
// server listens on: people follow the address the organisation gave.
const publicUrl = 'https://coproduce.test.example';
// Quick sending, quick polling, delivery asked about at once; no reminders,
// so only the events a case causes send anything.
const serverArgs = ['--public-url', publicUrl, '--message-senders', '2', '--message-retry-seconds', '1',
  '--message-poll-ms', '100', '--message-check-seconds', '0', '--reminder-hours', '0'];

// Runs a coproduce command with COPRODUCE_SECRET_KEY set, which `admin
// messages` needs to seal the Notify key; resolves { code, stdout, stderr }.
function withKey(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COPRODUCE_SECRET_KEY: secretKey } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Polls `check` until it gives something truthy; resolves that.
async function until(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(50);
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The one-time link path (such as /reset/TOKEN) in a message body, on the
// public address; fails when there is none.
function linkIn(body, path) {
  const m = new RegExp(`${escapeRe(publicUrl)}(${escapeRe(path)}[A-Za-z0-9_-]{16,})`).exec(body);
  assert.ok(m, `a ${publicUrl}${path}… link in: ${body}`);
  return m[1];
}
// The table row of a messages page that names `who`, or undefined.
const rowsFor = (html, who) => [...html.matchAll(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g)]
  .map((m) => m[0]).filter((row) => row.includes(`>${who}<`));

// A new organisation sending through a fake Notify of its own, with an
// administrator signed in and an API token. Resolves
// { name, id, token, client, notify }.
async function newOrganisation(server, name, slug) {
  const email = `${slug}-admin@example.org`;
  await run(['admin', 'create-organisation', '--database', server.db, '--name', name]);
  await run(['admin', 'create-user', '--database', server.db, '--organisation', name, '--email', email,
    '--role', 'administrator'], { input: `${userPassword}\n` });
  const token = (await run(['admin', 'create-token', '--database', server.db, '--email', email])).trim().split('\n').at(-1);
  const id = Number(await sql(server.db, `SELECT id FROM organisations WHERE name = '${name}'`));
  const notify = await startFakeNotify();
  const set = await withKey(['admin', 'messages', '--database', server.db, '--organisation', name,
    '--notify-key', notify.apiKey, '--notify-url', notify.url,
    '--notify-email-template', crypto.randomUUID(), '--notify-sms-template', crypto.randomUUID(),
    '--notify-letter-template', crypto.randomUUID()]);
  assert.equal(set.code, 0, set.stderr);
  const client = new Client(server.base);
  await client.signIn(email, userPassword);
  return { name, id, token, client, notify };
}

// Adds a person to the pool through the API; resolves their id.
async function addPerson(server, org, details) {
  const res = await api(server, org.token, 'POST', '/api/v1/people', { lived_experience: ['unpaid_carer'], ...details });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).id;
}

// A group (through the API) whose members are `people`, each having
// accepted their place (written straight in: how they came to be members
// does not matter here). Resolves the group's id.
async function groupOf(server, org, name, people) {
  const res = await api(server, org.token, 'POST', '/api/v1/groups', {
    name, purpose: 'Shape local services', setting: 'council', size: Math.max(people.length, 2), ladder_aim: 'co_production',
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = await res.json();
  if (people.length) {
    await sqlScript(server.db, people.map((p) => `INSERT INTO group_members (group_id, person_id, status, invited_at, responded_at)
      VALUES (${id}, ${p}, 'accepted', '2026-01-05T10:00:00Z', '2026-01-06T10:00:00Z')`).join(';\n'));
  }
  return id;
}

// Waits until the organisation has nothing waiting to send, as its messages
// page says: after that, what reached the fake is all there will be.
async function allSent(org) {
  await until(`${org.name}'s messages to be sent`, async () => {
    const page = await org.client.get('/messages?show=waiting');
    assert.equal(page.status, 200);
    return page.text_.includes('No messages are waiting to send.');
  });
}

describe(`message events: what people are sent when things happen (${engine})`, () => {
  let server;
  const orgs = [];
  const organisation = async (name, slug) => {
    const org = await newOrganisation(server, name, slug);
    orgs.push(org);
    return org;
  };

  before(async () => {
    server = await startServer({ args: serverArgs, env: { COPRODUCE_SECRET_KEY: secretKey } });
  });
  after(async () => {
    await server?.stop();
    for (const o of orgs) await o.notify.close();
  });

  describe('an activity: invitations in each person\'s own way, a change and a cancellation', () => {
    let org;
    let activity;
    const people = {};
    const emailOf = (m) => m.email_address;

    before(async () => {
      org = await organisation('Invite Borough Council', 'invite');
      people.ann = await addPerson(server, org, {
        name: 'Ann Easy', email: 'ann@example.org', contact_by: 'email', formats: ['easy_read'], consent: true,
      });
      people.tex = await addPerson(server, org, {
        name: 'Tex Mobile', phone: '07700 900123', contact_by: 'text', consent: true,
      });
      people.pat = await addPerson(server, org, {
        name: 'Pat Post', address: '12 Mill Lane, Northfield, Birmingham', postcode: 'B31 2AA', contact_by: 'post', consent: true,
      });
      people.phil = await addPerson(server, org, {
        name: 'Phil Phone', phone: '01632 960 001', contact_by: 'phone', consent: true,
      });
      people.nora = await addPerson(server, org, {
        name: 'Nora Noconsent', email: 'nora@example.org', contact_by: 'email', consent: false,
      });
      const group = await groupOf(server, org, 'Transport Forum', Object.values(people));
      const res = await api(server, org.token, 'POST', `/api/v1/groups/${group}/activities`, {
        kind: 'meeting', title: 'Spring forum', starts_at: '2027-03-09T10:30', duration_minutes: 120, place: 'Town hall, room 2',
      });
      assert.equal(res.status, 201, await res.clone().text());
      activity = (await res.json()).id;
    });

    test('inviting sends email, a text message and a letter, lists a call for staff, and nothing to who gave no consent; again sends nothing', async () => {
      const invite = await api(server, org.token, 'POST', `/api/v1/activities/${activity}/invite`);
      assert.equal(invite.status, 200);
      const told = await invite.json();
      assert.equal(told.invited, 5);
      assert.deepEqual(told.messages, { queued: 3, to_call: 1, to_print: 0, not_sent: 1 });
      await allSent(org);
      const { sent } = org.notify;
      assert.equal(sent.length, 3, `three notifications: ${JSON.stringify(sent.map((n) => [n.type, n.email_address, n.phone_number]))}`);

      // Ann asked for Easy Read by email.
      const emails = sent.filter((n) => n.type === 'email');
      assert.deepEqual(emails.map(emailOf), ['ann@example.org'], 'one email, to Ann; none to Nora');
      const ann = emails[0].personalisation;
      assert.match(ann.subject, /Spring forum/);
      assert.match(ann.body, /^Hello Ann Easy,/);
      assert.doesNotMatch(ann.body, /Dear /, 'not the plain wording');
      assert.match(ann.body, /It is on Tuesday 9 March 2027 at 10:30am\./);
      assert.match(ann.body, /It is at Town hall, room 2\./);
      // Easy Read: short sentences, one idea each. (The money line is
      // checked on its own below.)
      const sentences = ann.body.split('\n').filter((l) => l.trim() && !l.startsWith('Money:'))
        .flatMap((l) => l.split(/(?<=[.?!])\s+/));
      for (const s of sentences) assert.ok(s.split(/\s+/).length <= 12, `a short sentence: "${s}"`);

      // Tex asked for text messages: to his mobile, in international form.
      const texts = sent.filter((n) => n.type === 'sms');
      assert.equal(texts.length, 1);
      assert.equal(texts[0].phone_number, '+447700900123');
      assert.match(texts[0].personalisation.body, /Dear Tex Mobile,[\s\S]*Spring forum[\s\S]*Tuesday 9 March 2027 at 10:30am/);

      // Pat asked for post: a letter with her name, the address lines and the postcode last.
      const letters = sent.filter((n) => n.type === 'letter');
      assert.equal(letters.length, 1);
      const letter = letters[0];
      assert.deepEqual(['address_line_1', 'address_line_2', 'address_line_3', 'address_line_4', 'address_line_5']
        .map((k) => letter.personalisation[k]), ['Pat Post', '12 Mill Lane', 'Northfield', 'Birmingham', 'B31 2AA']);
      assert.equal(letter.postcode, 'B31 2AA', 'Notify read the last line as the postcode');
      assert.match(letter.personalisation.body, /^Dear Pat Post,/);
      assert.match(letter.personalisation.subject, /Invitation: Spring forum, Tuesday 9 March 2027 at 10:30am/);

      // Phil asked to be phoned: on the call list with what to say, not sent.
      const calls = await org.client.get('/messages?show=to_call');
      assert.equal(calls.status, 200);
      const [call] = rowsFor(calls.text_, 'Phil Phone');
      assert.ok(call, 'Phil is on the call list');
      assert.match(call, /href="tel:01632 960 001"/);
      assert.match(call, /You are invited to Spring forum/);
      assert.equal(rowsFor(calls.text_, 'Nora Noconsent').length, 0);

      // The activity's messages page: each person, how, and what became of it.
      const page = await org.client.get(`/activities/${activity}/messages`);
      assert.equal(page.status, 200);
      const row = (who) => {
        const rows = rowsFor(page.text_, who);
        assert.equal(rows.length, 1, `one message to ${who}`);
        return rows[0];
      };
      assert.match(row('Ann Easy'), /Email[\s\S]*>(Sent|Delivered)</);
      assert.match(row('Tex Mobile'), /Text message[\s\S]*>(Sent|Delivered)</);
      assert.match(row('Pat Post'), /Letter[\s\S]*>(Sent|Delivered)</);
      assert.match(row('Phil Phone'), /Phone call[\s\S]*To call/);
      assert.match(row('Nora Noconsent'), /Not sent[\s\S]*consent/);

      // Pressing the button again: nobody new, nothing more sent.
      const again = await api(server, org.token, 'POST', `/api/v1/activities/${activity}/invite`);
      assert.equal(again.status, 200);
      const second = await again.json();
      assert.equal(second.invited, 0);
      assert.deepEqual(second.messages, { queued: 0, to_call: 0, to_print: 0, not_sent: 0 });
      await sleep(300);
      await allSent(org);
      assert.equal(org.notify.sent.length, 3, 'nothing more reached Notify');
      assert.equal(org.notify.duplicateReferences(), 0);
      assert.equal(rowsFor((await org.client.get('/messages?show=to_call')).text_, 'Phil Phone').length, 1, 'one call to make');
    });

    test('the Easy Read invitation\'s money line is in short sentences too', async () => {
      const [ann] = org.notify.sent.filter((n) => n.email_address === 'ann@example.org');
      const money = ann.personalisation.body.split('\n').find((l) => l.startsWith('Money:'));
      assert.ok(money);
      for (const s of money.replace(/^Money:\s*/, '').split(/(?<=[.?!:])\s+/)) {
        assert.ok(s.split(/\s+/).length <= 12, `a short sentence: "${s}"`);
      }
    });

    test('the letter sent through Notify is addressed to the person by name', async () => {
      const [letter] = org.notify.sent.filter((n) => n.type === 'letter');
      assert.equal(letter.personalisation.address_line_1, 'Pat Post');
      assert.equal(letter.postcode, 'B31 2AA');
    });

    test('a new time is told to everyone invited, saying the new time; the same form again tells nobody', async () => {
      const before_ = org.notify.sent.length;
      const form = {
        kind: 'meeting', title: 'Spring forum', day: '9', month: '3', year: '2027', time: '14:00', duration_minutes: '120',
        place: 'Town hall, room 2', link: '', letter_text: '', easy_read_text: '',
      };
      const changed = await org.client.post(`/activities/${activity}/edit`, form, { formPage: `/activities/${activity}/edit` });
      assert.equal(changed.status, 303, changed.text_.slice(0, 500));
      await allSent(org);
      const news = org.notify.sent.slice(before_);
      assert.equal(news.length, 3, 'email, text and letter');
      const body = (n) => n.personalisation.body;
      const [email] = news.filter((n) => n.type === 'email');
      assert.equal(email.email_address, 'ann@example.org');
      assert.match(email.personalisation.subject, /changed/i);
      assert.match(body(email), /It now starts at 2pm\./);
      assert.match(body(email), /It is now on Tuesday 9 March 2027 at 2pm\./);
      const [sms] = news.filter((n) => n.type === 'sms');
      assert.match(body(sms), /Spring forum has changed\. It now starts at 2pm\./);
      assert.match(body(sms), /When: Tuesday 9 March 2027 at 2pm/);
      const [letter] = news.filter((n) => n.type === 'letter');
      assert.match(body(letter), /It now starts at 2pm\./);
      for (const n of news) assert.doesNotMatch(body(n), /10:30am/, 'the old time is not given as the time');
      const page = (await org.client.get(`/activities/${activity}/messages`)).text_;
      assert.ok(rowsFor(page, 'Phil Phone').some((r) => /An activity has changed[\s\S]*To call/.test(r)), 'Phil is to be phoned about it');
      assert.ok(rowsFor(page, 'Nora Noconsent').every((r) => /Not sent/.test(r)));

      // Saving the same again changes nothing, so tells nobody.
      assert.equal((await org.client.post(`/activities/${activity}/edit`, form)).status, 303);
      await sleep(300);
      await allSent(org);
      assert.equal(org.notify.sent.length, before_ + 3);
    });

    test('cancelling tells everyone invited', async () => {
      const before_ = org.notify.sent.length;
      const cancelled = await org.client.post(`/activities/${activity}/cancel`, {}, { formPage: `/activities/${activity}` });
      assert.equal(cancelled.status, 303);
      await allSent(org);
      const news = org.notify.sent.slice(before_);
      assert.deepEqual(news.map((n) => n.type).sort(), ['email', 'letter', 'sms']);
      const [email] = news.filter((n) => n.type === 'email');
      assert.match(email.personalisation.subject, /Cancelled: Spring forum/);
      assert.match(email.personalisation.body, /The meeting Spring forum on Tuesday 9 March 2027 at 2pm is not happening\./);
      const [sms] = news.filter((n) => n.type === 'sms');
      assert.equal(sms.phone_number, '+447700900123');
      assert.match(sms.personalisation.body, /Spring forum on Tuesday 9 March 2027 at 2pm is cancelled/);
      const [letter] = news.filter((n) => n.type === 'letter');
      assert.match(letter.personalisation.subject, /Cancelled: Spring forum/);
      const calls = (await org.client.get('/messages?show=to_call')).text_;
      assert.ok(rowsFor(calls, 'Phil Phone').some((r) => /An activity is cancelled/.test(r)), 'Phil is to be phoned about it');
      assert.equal(org.notify.duplicateReferences(), 0);
    });
  });

  test('a password reset: the link by email works once, the new password signs in, and the link is not kept', async () => {
    const org = await organisation('Reset Trust', 'reset');
    await userWithRole(server, org.name, 'rita@example.org', 'coproduction-lead');
    const newPassword = 'a brand new passphrase 2027';
    const visitor = new Client(server.base);

    const asked = await visitor.post('/password-reset', { email: 'rita@example.org' }, { formPage: '/password-reset' });
    assert.equal(asked.status, 200);
    assert.match(asked.text_, /Check your email/);
    const unknown = await visitor.post('/password-reset', { email: 'nobody-here@example.org' });
    assert.equal(unknown.status, 200);
    assert.equal(unknown.text_.replaceAll('nobody-here@example.org', 'ADDRESS'), asked.text_.replaceAll('rita@example.org', 'ADDRESS'),
      'the same page, whether or not there is an account');

    await allSent(org);
    assert.equal(org.notify.sent.length, 1, 'one email, and none for the unknown address');
    const [email] = org.notify.sent;
    assert.equal(email.email_address, 'rita@example.org');
    assert.match(email.personalisation.subject, /new password/i);
    const link = linkIn(email.personalisation.body, '/reset/');
    assert.match(email.personalisation.body, /stops working in 1 hour/);

    const form = await visitor.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text_, /name="password_confirm"/);
    const saved = await visitor.post(link, { password: newPassword, password_confirm: newPassword });
    assert.equal(saved.status, 200, saved.text_.slice(0, 500));
    assert.match(saved.text_, /Your new password is saved/);

    await new Client(server.base).signIn('rita@example.org', newPassword);
    const old = await new Client(server.base).post('/sign-in', { email: 'rita@example.org', password: userPassword }, { formPage: '/sign-in' });
    assert.notEqual(old.status, 303, 'the old password no longer signs in');
    assert.match(old.text_, /Enter a correct email address and password/);
    assert.equal((await visitor.get(link)).status, 404, 'the link works once');
    const used = await visitor.post(link, { password: 'yet another passphrase 99', password_confirm: 'yet another passphrase 99' });
    assert.equal(used.status, 404);

    // What staff see of it afterwards: that it went, not the link.
    const list = (await org.client.get('/messages')).text_;
    const id = /href="\/messages\/(\d+)">A link to choose a new password/.exec(list)?.[1];
    assert.ok(id, 'the reset is listed among the messages');
    const message = await until('the reset email to be delivered', async () => {
      const shown = await api(server, org.token, 'GET', `/api/v1/messages/${id}`);
      assert.equal(shown.status, 200);
      const m = await shown.json();
      return m.status === 'delivered' && m;
    });
    assert.equal(message.kind, 'password_reset');
    assert.equal(message.channel, 'email');
    const token = link.split('/').at(-1);
    assert.ok(!JSON.stringify(message).includes(token));
    const page = await org.client.get(`/messages/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /its words are not kept or shown/);
    assert.ok(!page.text_.includes(token), 'the page does not show the link');
    assert.equal(await sql(server.db, `SELECT body FROM messages WHERE id = ${Number(id)}`), '', 'the stored message keeps no link');
  });

  test('a new user invited by an administrator is emailed their one-time link', async () => {
    const org = await organisation('Newcomer District', 'newcomer');
    const added = await org.client.post('/admin/users', { email: 'nia@example.org', name: 'Nia New', role: 'coproduction-lead' },
      { formPage: '/admin/users' });
    assert.equal(added.status, 200, added.text_.slice(0, 500));
    assert.match(added.text_, /We have emailed the person their one-time link/);
    await allSent(org);
    assert.equal(org.notify.sent.length, 1);
    const [email] = org.notify.sent;
    assert.equal(email.email_address, 'nia@example.org');
    assert.match(email.personalisation.subject, /Newcomer District/);
    assert.match(email.personalisation.body, /^Dear Nia New,/);
    const link = linkIn(email.personalisation.body, '/invitation/');
    assert.ok(added.text_.includes(`${publicUrl}${link}`), 'the link emailed is the one shown to the administrator');
    const visitor = new Client(server.base);
    const form = await visitor.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text_, /nia@example\.org/);
    const password = 'nia chose this passphrase';
    const done = await visitor.post(link, { name: 'Nia New', password, password_confirm: password });
    assert.equal(done.status, 200, done.text_.slice(0, 500));
    assert.match(done.text_, /Your account is ready/);
    await new Client(server.base).signIn('nia@example.org', password);
    assert.equal((await visitor.get(link)).status, 404, 'the link works once');
  });

  test('a place offered after a fair draw: each new member gets their own link to say yes or no', async () => {
    const org = await organisation('Fair Draw Council', 'draw');
    const pool = {};
    for (const [name, email] of [['Dee Drawn', 'dee@example.org'], ['Eli Entry', 'eli@example.org'],
      ['Fay Field', 'fay@example.org'], ['Gus Green', 'gus@example.org']]) {
      pool[email] = await addPerson(server, org, { name, email, contact_by: 'email', consent: true });
    }
    const groupRes = await api(server, org.token, 'POST', '/api/v1/groups', {
      name: 'Carers Voice Panel', purpose: 'Shape support for carers', setting: 'council', size: 3, ladder_aim: 'co_production',
    });
    assert.equal(groupRes.status, 201);
    const group = (await groupRes.json()).id;
    const created = await api(server, org.token, 'POST', `/api/v1/groups/${group}/recruit`, { categories: ['experience'], quotas: [] });
    assert.equal(created.status, 201, await created.clone().text());
    const round = (await created.json()).id;
    assert.equal((await api(server, org.token, 'POST', `/api/v1/recruit/${round}/run`)).status, 202);
    assert.equal((await waitForRound(server, org.token, round)).status, 'done');
    const drawn = await api(server, org.token, 'POST', `/api/v1/recruit/${round}/draw`, {});
    assert.equal(drawn.status, 200);
    const { selected } = await drawn.json();
    assert.equal(selected.length, 3);

    const invited = await org.client.post(`/groups/${group}/rounds/${round}/invite`, {}, { formPage: `/groups/${group}/rounds/${round}` });
    assert.equal(invited.status, 303, invited.text_.slice(0, 500));
    await allSent(org);
    const offers = org.notify.sent;
    assert.deepEqual(offers.map((n) => pool[n.email_address]).sort(), [...selected].sort(), 'an offer to each one drawn, and to no one else');
    for (const n of offers) {
      assert.match(n.personalisation.subject, /A place for you on Carers Voice Panel/);
      assert.match(n.personalisation.body, /fair draw/);
    }
    const links = offers.map((n) => linkIn(n.personalisation.body, '/offers/'));
    assert.equal(new Set(links).size, 3, 'a link of their own each');

    // Inviting again is refused, and offers nothing more.
    const twice = await api(server, org.token, 'POST', `/api/v1/recruit/${round}/invite`);
    assert.equal(twice.status, 409);
    assert.match(JSON.stringify(await twice.json()), /already been invited/);
    await sleep(300);
    await allSent(org);
    assert.equal(org.notify.sent.length, 3);

    const [yesLink, noLink] = links;
    const [yesPerson, noPerson] = offers.map((n) => pool[n.email_address]);
    const visitor = new Client(server.base);
    const page = await visitor.get(yesLink);
    assert.equal(page.status, 200);
    assert.match(page.text_, /Would you like to join Carers Voice Panel\?/);
    const blank = await visitor.post(yesLink, {});
    assert.equal(blank.status, 400);
    assert.match(blank.text_, /Choose yes or no/);
    assert.ok(blank.text_.includes('href="#answer"'), 'the error summary points at the question');
    const yes = await visitor.post(yesLink, { answer: 'yes' });
    assert.equal(yes.status, 200);
    assert.match(yes.text_, /Thank you for joining/);
    const no = await visitor.post(noLink, { answer: 'no' });
    assert.equal(no.status, 200);
    assert.match(no.text_, /Thank you for telling us/);

    const members = (await (await api(server, org.token, 'GET', `/api/v1/groups/${group}`)).json()).members;
    const status = (p) => members.find((m) => m.person_id === p)?.status;
    assert.equal(status(yesPerson), 'accepted');
    assert.notEqual(status(noPerson), 'accepted');
    assert.notEqual(status(noPerson), 'invited', 'the no is recorded');

    const again = await visitor.get(yesLink);
    assert.equal(again.status, 404);
    assert.match(again.text_, /This link has already been used or has run out/);
    assert.equal((await visitor.post(yesLink, { answer: 'no' })).status, 404, 'an answer cannot be changed through a used link');
    assert.equal(status(yesPerson), 'accepted');
  });

  test('marking payroll paid tells each person what was paid, even after they withdrew consent', async () => {
    const org = await organisation('Payment Council', 'payment');
    const paul = await addPerson(server, org, {
      name: 'Paul Paid', email: 'paul@example.org', contact_by: 'email', payment: 'paid', consent: true,
    });
    const wanda = await addPerson(server, org, {
      name: 'Wanda Withdrawn', phone: '07700 900456', contact_by: 'text', payment: 'paid', consent: true,
    });
    const group = await groupOf(server, org, 'Housing Panel', [paul, wanda]);
    const res = await api(server, org.token, 'POST', `/api/v1/groups/${group}/activities`, {
      kind: 'meeting', title: 'Autumn forum', starts_at: '2026-11-10T10:00', duration_minutes: 90, place: 'Library',
    });
    assert.equal(res.status, 201);
    const activity = (await res.json()).id;
    assert.equal((await api(server, org.token, 'POST', `/api/v1/activities/${activity}/invite`)).status, 200);
    const attended = await api(server, org.token, 'POST', `/api/v1/activities/${activity}/attendance`, {
      attendance: [{ person_id: paul, attendance: 'attended', minutes: 60 }, { person_id: wanda, attendance: 'attended', minutes: 90 }],
    });
    assert.equal(attended.status, 200, await attended.clone().text());
    const c = org.client;
    assert.equal((await c.post('/payments/rates', { 'rate-member-hour': '20' }, { formPage: '/payments/rates' })).status, 303);
    const raised = await c.post(`/activities/${activity}/payments`, {}, { formPage: `/activities/${activity}` });
    assert.equal(raised.status, 200);
    assert.match(raised.text_, /2 payments raised/);
    const ids = [...(await c.get('/payments')).text_.matchAll(/action="\/payments\/(\d+)\/approve"/g)].map((m) => m[1]);
    assert.equal(ids.length, 2);
    for (const id of ids) assert.equal((await c.post(`/payments/${id}/approve`, {})).status, 303);

    // Wanda withdraws her consent before the payroll goes through: she is
    // still told she was paid.
    assert.equal((await c.post(`/people/${wanda}/consent`, { consent: 'withdraw' }, { formPage: `/people/${wanda}` })).status, 303);
    await allSent(org);
    const before_ = org.notify.sent.length;

    const payroll = await c.get('/payments/payroll');
    const pairs = [...payroll.text_.matchAll(/<input type="hidden" name="(payment|claim)" value="(\d+)">/g)].map((m) => [m[1], m[2]]);
    assert.equal(pairs.length, 2);
    const paid = await c.request('POST', '/payments/payroll/paid', { form: [['csrf_token', c.cookies.get('coproduce_csrf')], ...pairs] });
    assert.equal(paid.status, 303, paid.text_.slice(0, 500));
    await allSent(org);
    const news = org.notify.sent.slice(before_);
    assert.equal(news.length, 2, JSON.stringify(news.map((n) => n.personalisation)));
    const [email] = news.filter((n) => n.type === 'email');
    assert.equal(email.email_address, 'paul@example.org');
    assert.match(email.personalisation.subject, /We have paid you £20\.00/);
    assert.match(email.personalisation.body, /We have paid you £20\.00 for Autumn forum on 10 November 2026\./);
    const [sms] = news.filter((n) => n.type === 'sms');
    assert.ok(sms, 'Wanda is sent a text message although she withdrew consent');
    assert.equal(sms.phone_number, '+447700900456');
    assert.match(sms.personalisation.body, /We have paid you £30\.00 for Autumn forum on 10 November 2026\./);

    // Paying the same lines again is refused and tells nobody twice.
    const twice = await c.request('POST', '/payments/payroll/paid', { form: [['csrf_token', c.cookies.get('coproduce_csrf')], ...pairs] });
    assert.equal(twice.status, 409);
    await sleep(300);
    await allSent(org);
    assert.equal(org.notify.sent.length, before_ + 2);
  });

  test('a survey invitation goes to who said they will answer surveys, with a link of their own that counts a start', async () => {
    const org = await organisation('Survey Council', 'survey');
    await addPerson(server, org, { name: 'Sue Surveys', email: 'sue@example.org', contact_by: 'email', consent: true,
      ways: ['online', 'surveys'] });
    await addPerson(server, org, { name: 'Otto Online', email: 'otto@example.org', contact_by: 'email', consent: true,
      ways: ['online'] });
    await addPerson(server, org, { name: 'Nell Noconsent', email: 'nell@example.org', contact_by: 'email', consent: false,
      ways: ['surveys'] });
    const made = await org.client.postFiles('/surveys', { source: 'template', title: 'Carers voice survey' }, [],
      { formPage: '/surveys/new' });
    assert.equal(made.status, 303, made.text_);
    const id = made.headers.get('location').match(/\/surveys\/(\d+)/)[1];
    // A survey not yet open cannot be sent out.
    const early = await org.client.post(`/surveys/${id}/invite`, {}, { formPage: `/surveys/${id}` });
    assert.equal(early.status, 409);
    assert.match(early.text_, /Open the survey before inviting/);
    assert.equal((await org.client.post(`/surveys/${id}/status`, { status: 'open' }, { formPage: `/surveys/${id}` })).status, 303);

    const invited = await org.client.post(`/surveys/${id}/invite`, {}, { formPage: `/surveys/${id}` });
    assert.equal(invited.status, 303);
    assert.match((await org.client.get(invited.headers.get('location'))).text_, /1 invitation is on their way/);
    await allSent(org);
    assert.deepEqual(org.notify.sent.map((n) => n.email_address), ['sue@example.org'], 'only Sue said she answers surveys');
    const body = org.notify.sent[0].personalisation.body;
    assert.match(body, /Carers voice survey/);
    const found = new RegExp(`${escapeRe(publicUrl)}(/s/[a-z0-9-]+\\?invite=[A-Za-z0-9_-]{16,})`).exec(body);
    assert.ok(found, `a link of Sue's own in: ${body}`);
    const link = found[1];

    // Inviting again sends nobody anything.
    const again = await org.client.post(`/surveys/${id}/invite`, {}, { formPage: `/surveys/${id}` });
    assert.match((await org.client.get(again.headers.get('location'))).text_, /nobody new to invite/);
    await sleep(300);
    assert.equal(org.notify.sent.length, 1);

    // Sue follows her link and starts: the survey page counts one start from an invitation.
    const sue = new Client(server.base);
    const start = await sue.get(link);
    assert.equal(start.status, 200);
    const slug = link.match(/\/s\/([^?]+)/)[1];
    const code = link.split('invite=')[1];
    assert.match(start.text_, new RegExp(`name="invite" value="${escapeRe(code)}"`));
    const started = await sue.post(`/s/${slug}/start`, { invite: code }, { formPage: link });
    assert.equal(started.status, 303, started.text_);
    const page = (await org.client.get(`/surveys/${id}`)).text_;
    assert.match(page, /Invited so far: 1\. Started from their invitation: 1\./);
    // The code is not kept with the answers.
    assert.equal(await sql(server.db, `SELECT COUNT(*) FROM survey_invitations WHERE survey_id = ${id} AND started_at IS NOT NULL`), '1');
  });
});
