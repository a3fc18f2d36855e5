// The messages pages in Chromium with axe, against a fake GOV.UK Notify on
// loopback: how the organisation sends (a key never shown again, errors by
// field, the form by keyboard alone, the warning when the server has no
// COPRODUCE_SECRET_KEY), a test email followed to delivery, the wording of a
// message (an unknown placeholder refused and named, a preview, going back to
// the wording provided), and the outbox: its filters, sending again, the call
// list and a letter laid out for printing, and one activity's messages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  admin, api, freshDatabase, run, sleep, startServer as startOn, userWithRole,
} from '../support/server.mjs';
import { defaultApiKey, parseApiKey, startFakeNotify } from '../support/fake_notify.mjs';
import { sql, sqlScript } from '../support/sql.mjs';
import { auditLog } from '../support/audit.mjs';
import {
  errorLinks, expectAccessible, expectFormErrors, focused, launchBrowser, mainText, signIn, submit, tabTo, visitClean,
} from './harness.mjs';

const secretKey = 'a passphrase for the messages browser tests';
const emailTemplate = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

let notify;
let server;
let browser;
let page;
let token;

// Starts coproduce serve on a fresh database, sending promptly and asking
// Notify about delivery at once; `env` adds to its environment.
async function startServer(env) {
  const { db, dir } = await freshDatabase();
  return startOn({
    db, dir, env, args: ['--message-poll-ms', '100', '--message-check-seconds', '0', '--message-retry-seconds', '1'],
  });
}

before(async () => {
  notify = await startFakeNotify();
  server = await startServer({ COPRODUCE_SECRET_KEY: secretKey });
  token = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signIn(page, server.base);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await notify?.close();
});

// Reloads the page until `pattern` is in its main text; fails after 15 s.
async function reloadUntil(p, pattern, what) {
  for (let i = 0; i < 150; i += 1) {
    if (pattern.test(await mainText(p))) return;
    await sleep(100);
    await p.reload();
  }
  assert.fail(`${what}: ${pattern} not shown on ${p.url()} within 15 s:\n${await mainText(p)}`);
}

describe('how the organisation sends', () => {
  test('GOV.UK Notify is set up by keyboard alone, and its key is never shown again', async () => {
    await visitClean(page, `${server.base}/admin/messages`, 'messages-settings');
    assert.equal(await page.locator('#conditional-backend-notify').isVisible(), false,
      'the Notify details are hidden until Notify is chosen');
    // The radios are one stop: the chosen one ("Not set up") takes focus, and
    // an arrow key chooses GOV.UK Notify, which shows its details.
    await page.locator('h1').click();
    await tabTo(page, '#backend');
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).id, 'backend-notify', 'the arrow key moves to GOV.UK Notify');
    assert.ok(await page.locator('#backend-notify').isChecked());
    assert.ok(await page.locator('#conditional-backend-notify').isVisible(), 'choosing Notify shows its details');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'notify_key', 'Tab goes from the radio to the API key');
    await page.keyboard.type(defaultApiKey);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'notify_email_template');
    await page.keyboard.type(emailTemplate);
    for (const next of ['notify_sms_template', 'notify_letter_template', 'notify_url']) {
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).id, next, `Tab goes on to ${next}`);
    }
    await page.keyboard.press('Control+A');
    await page.keyboard.type(notify.url);
    // The SMTP relay's details stay hidden, so Tab goes on to the limits.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'organisation_daily_limit', 'the hidden SMTP fields are skipped');
    await tabTo(page, 'form[action="/admin/messages"] button[type="submit"]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    assert.match(await mainText(page), /How messages are sent is saved/);
    await expectAccessible(page, 'messages-settings-saved');
    const html = await page.content();
    const { secret } = parseApiKey(defaultApiKey);
    assert.ok(!html.includes(secret), "the key's secret is not in the page");
    assert.ok(!html.includes(defaultApiKey), 'the key is not in the page');
    assert.equal(await page.inputValue('#notify_key'), '', 'the key field is empty');
    assert.match(await page.locator('#notify_key-hint').innerText(),
      /A key named coproduce_test is stored\. Enter a new key only to replace it\./);
    assert.equal(await page.getAttribute('#notify_key', 'type'), 'password');
    assert.ok(await page.locator('#backend-notify').isChecked(), 'GOV.UK Notify stays chosen');
    assert.equal(await page.inputValue('#notify_email_template'), emailTemplate);
    const stored = await sql(server.db, 'SELECT notify_key_sealed FROM message_settings');
    assert.ok(stored && !stored.includes(secret), 'the key is stored sealed');
  });

  test('wrong answers are named by field, and nothing is saved', async () => {
    await page.goto(`${server.base}/admin/messages`);
    await page.fill('#notify_key', 'not-a-key');
    await page.fill('#notify_sms_template', 'template seven');
    await page.fill('#organisation_daily_limit', 'lots');
    await submit(page, 'form[action="/admin/messages"] button[type="submit"]');
    await expectFormErrors(page, 'messages-settings-errors');
    assert.deepEqual(await errorLinks(page), ['#notify_key', '#notify_sms_template', '#organisation_daily_limit']);
    assert.match(await page.locator('#notify_key-error').innerText(), /whole API key/);
    assert.match(await page.locator('#notify_sms_template-error').innerText(), /template ID/);
    assert.match(await page.locator('#organisation_daily_limit-error').innerText(), /whole number/);
    assert.equal(await page.inputValue('#notify_key'), '', 'what was typed as a key is not shown back');
    assert.equal(await page.inputValue('#organisation_daily_limit'), 'lots', 'other answers are kept');
    // The SMTP relay's errors, at its own fields.
    await page.check('#backend-smtp');
    await page.fill('#smtp_url', 'ftp://relay:hunter2-secret@mail.example.org');
    await page.fill('#smtp_password', 'another-secret');
    await submit(page, 'form[action="/admin/messages"] button[type="submit"]');
    await expectFormErrors(page, 'messages-settings-smtp-errors');
    const links = await errorLinks(page);
    assert.ok(links.includes('#smtp_url') && links.includes('#smtp_from'), links.join(' '));
    assert.match(await page.locator('#smtp_url-error').innerText(), /smtp:\/\//);
    const shown = await page.content();
    assert.ok(!shown.includes('hunter2-secret') && !shown.includes('another-secret'), 'no password typed is shown back');
    assert.equal(await page.inputValue('#smtp_url'), 'ftp://relay@mail.example.org', 'the address is kept without it');
    await page.goto(`${server.base}/admin/messages`);
    assert.ok(await page.locator('#backend-notify').isChecked(), 'the Notify settings were kept');
    assert.match(await page.locator('#notify_key-hint').innerText(), /A key named coproduce_test is stored/);
  });

  test('without COPRODUCE_SECRET_KEY the page says so and refuses to store a key', async () => {
    const keyless = await startServer({ COPRODUCE_SECRET_KEY: '' });
    try {
      const other = await (await browser.newContext()).newPage();
      await signIn(other, keyless.base);
      await visitClean(other, `${keyless.base}/admin/messages`, 'messages-settings-no-key');
      assert.match(await other.locator('.govuk-warning-text').innerText(),
        /Keys and passwords cannot be stored on this server yet\. Set COPRODUCE_SECRET_KEY/);
      await other.check('#backend-notify');
      await other.fill('#notify_key', defaultApiKey);
      await submit(other, 'form[action="/admin/messages"] button[type="submit"]');
      await expectFormErrors(other, 'messages-settings-no-key-refused');
      assert.deepEqual(await errorLinks(other), ['#notify_key']);
      assert.match(await other.locator('#notify_key-error').innerText(),
        /The API key cannot be stored: this server was started without COPRODUCE_SECRET_KEY/);
      assert.equal(await sql(keyless.db, 'SELECT COUNT(*) FROM message_settings'), '0', 'nothing was saved');
      await other.context().close();
    } finally {
      await keyless.stop();
    }
  });
});

describe('a test email', () => {
  test('is queued from the settings page and followed to delivery', async () => {
    await page.goto(`${server.base}/admin/messages`);
    await page.fill('#to', 'someone@example.org');
    await submit(page, 'form[action="/admin/messages/test"] button[type="submit"]');
    assert.match(new URL(page.url()).pathname, /^\/messages\/\d+$/);
    assert.match(await mainText(page), /You asked for a test email/);
    await reloadUntil(page, /Delivered/, 'the test email');
    await expectAccessible(page, 'message-delivered');
    const text = await mainText(page);
    assert.match(text, /A test message/);
    assert.match(text, /someone@example\.org/);
    assert.match(text, /If you can read it, sending works/);
    assert.ok(notify.sent.some((n) => n.email_address === 'someone@example.org'), 'the fake Notify has it');
  });

  test('a wrong address is named at its field', async () => {
    await page.goto(`${server.base}/admin/messages`);
    await page.fill('#to', 'not an address');
    await submit(page, 'form[action="/admin/messages/test"] button[type="submit"]');
    await expectFormErrors(page, 'messages-test-error');
    assert.deepEqual(await errorLinks(page), ['#to']);
  });

  test('one Notify refuses is not sent, says why, and can be sent again', async () => {
    await page.goto(`${server.base}/admin/messages`);
    await page.fill('#to', 'nobody@fail.example');
    await submit(page, 'form[action="/admin/messages/test"] button[type="submit"]');
    await reloadUntil(page, /Not sent/, 'the refused email');
    assert.ok((await page.locator('.govuk-inset-text').innerText()).length > 0, 'the reason is shown');
    await expectAccessible(page, 'message-failed');

    await visitClean(page, `${server.base}/messages?show=failed`, 'messages-failed');
    assert.equal(await page.locator('a[aria-current="page"]').innerText(), 'Not sent');
    const row = page.locator('tr', { hasText: 'nobody@fail.example' });
    assert.equal(await row.count(), 1);
    assert.ok((await row.locator('td').nth(3).innerText()).trim().length > 0, 'each failure has its reason');
    const sendsBefore = notify.requests.filter((r) => r.method === 'POST').length;
    await submit(page, 'tr:has-text("nobody@fail.example") button:has-text("Send again")');
    assert.match(await mainText(page), /The message is queued to send again/);
    assert.match(page.url(), /show=failed/, 'back on the list it was sent again from');
    for (let i = 0; i < 100 && notify.requests.filter((r) => r.method === 'POST').length === sendsBefore; i += 1) await sleep(100);
    assert.ok(notify.requests.filter((r) => r.method === 'POST').length > sendsBefore, 'it was tried again');
  });
});

describe('the wording of messages', () => {
  const edit = '/admin/messages/templates/activity_invitation/plain';

  test('every kind is listed, as provided until changed', async () => {
    await visitClean(page, `${server.base}/admin/messages/templates`, 'messages-templates');
    const row = page.locator('tr', { hasText: 'Invitation to an activity' });
    assert.match(await row.innerText(), /When a lead invites/);
    assert.equal(await row.locator('text=As provided').count(), 2);
  });

  test('an unknown placeholder is refused and named at its field', async () => {
    await visitClean(page, server.base + edit, 'messages-template');
    assert.match(await page.locator('table', { hasText: 'Placeholders you can use' }).innerText(), /\(\(activity\)\)/);
    await page.fill('#body', 'Dear ((name)),\n\nSee you at ((venue)).');
    await submit(page, 'button[value="save"]');
    await expectFormErrors(page, 'messages-template-errors');
    assert.deepEqual(await errorLinks(page), ['#body']);
    assert.match(await page.locator('#body-error').innerText(), /\(\(venue\)\) is not a placeholder of this message/);
    assert.match(await page.inputValue('#body'), /\(\(venue\)\)/, 'what was typed is kept');
  });

  test('a preview fills in examples, then Save keeps the wording and reset brings back what is provided', async () => {
    await page.goto(server.base + edit);
    await page.fill('#subject', 'Come to ((activity))');
    await page.fill('#body', 'Dear ((name)),\n\nCome to ((activity)) on ((when)).');
    await submit(page, 'button[value="preview"]');
    const preview = page.locator('.app-message-preview');
    assert.ok(await preview.isVisible(), 'the preview is shown below the form');
    assert.match(await preview.innerText(), /Come to Carers' forum/);
    assert.match(await preview.innerText(), /Dear Sam Taylor,/);
    assert.equal(await page.inputValue('#body'), 'Dear ((name)),\n\nCome to ((activity)) on ((when)).');
    await expectAccessible(page, 'messages-template-preview');

    await submit(page, 'button[value="save"]');
    assert.match(await mainText(page), /Saved\. Messages of this kind now use this wording\./);
    assert.match(await mainText(page), /This is your organisation's own wording/);
    await page.goto(`${server.base}/admin/messages/templates`);
    assert.equal(await page.locator('tr', { hasText: 'Invitation to an activity' }).locator('text=Your own').count(), 1);

    await page.goto(server.base + edit);
    await submit(page, 'button:has-text("Use the wording Coproduce provides")');
    assert.match(await mainText(page), /now use the wording Coproduce provides/);
    assert.match(await page.inputValue('#body'), /You are invited to \(\(activity\)\)/);
    await expectAccessible(page, 'messages-template-reset');
  });

  test('an Easy Read preview is in larger text', async () => {
    await page.goto(`${server.base}/admin/messages/templates/activity_invitation/easy_read`);
    await submit(page, 'button[value="preview"]');
    const size = (selector) => page.locator(selector).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(await size('.app-message-preview--easy-read .app-message-preview__body') >= 24, 'Easy Read is previewed large');
    await expectAccessible(page, 'messages-template-easy-read-preview');
  });
});

describe('the outbox', () => {
  let activity;
  let call;
  let letter;

  before(async () => {
    const org = await sql(server.db, `SELECT id FROM organisations WHERE name = '${admin.organisation}'`);
    const group = await (await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Carers Board', purpose: 'Shape support for carers', setting: 'council', size: 4, ladder_aim: 'co_production',
    })).json();
    activity = (await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/activities`, {
      kind: 'meeting', title: 'Spring forum', starts_at: '2027-04-20T14:00', duration_minutes: 60, place: 'Library',
    })).json()).id;
    assert.ok(activity, 'the activity was planned');
    // A call to make and a letter to print, as invitations to people who
    // asked to be phoned and written to in large print are queued.
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const row = (key, channel, recipient, name, status, body, largePrint) => `INSERT INTO messages
      (organisation_id, kind, channel, version, large_print, recipient, recipient_name, subject, body, about_type,
       about_id, idempotency_key, status, next_attempt_at, day, created_at)
      VALUES (${org}, 'activity_invitation', '${channel}', 'plain', ${largePrint}, '${recipient}', '${name}',
       'Invitation: Spring forum', '${body}', 'activity', ${activity}, '${org}:${key}', '${status}', '${now}',
       '${now.slice(0, 10)}', '${now}')`;
    await sqlScript(server.db, [
      row('test-call', 'phone', '01632 960001', 'Pat Phone', 'to_call',
        'Dear Pat Phone,\n\nYou are invited to Spring forum.\nWhen: 20 April', 0),
      row('test-letter', 'letter', '12 Mill Lane\nRiverside\nRV1 2AB', 'Lee Letter', 'to_print',
        'Dear Lee Letter,\n\nYou are invited to Spring forum.\n\nRiverside Council', 1),
    ].join(';\n'));
    call = await sql(server.db, "SELECT id FROM messages WHERE recipient_name = 'Pat Phone'");
    letter = await sql(server.db, "SELECT id FROM messages WHERE recipient_name = 'Lee Letter'");
  });

  test('each filter shows its messages, newest first', async () => {
    await page.goto(`${server.base}/dashboard`);
    await submit(page, 'nav a[href="/messages"]');
    await expectAccessible(page, 'messages');
    const all = await mainText(page);
    for (const who of ['Pat Phone', 'Lee Letter', 'someone@example.org', 'nobody@fail.example']) assert.match(all, new RegExp(who));
    assert.ok(all.indexOf('Lee Letter') < all.indexOf('someone@example.org'), 'newest first');
    for (const [show, shown, hidden] of [
      ['waiting', null, 'Pat Phone'],
      ['to_call', 'Pat Phone', 'Lee Letter'],
      ['to_print', 'Lee Letter', 'Pat Phone'],
      ['failed', 'nobody@fail.example', 'Pat Phone'],
    ]) {
      await visitClean(page, `${server.base}/messages?show=${show}`, `messages-${show}`);
      const text = await mainText(page);
      if (shown) assert.match(text, new RegExp(shown), `${show} shows ${shown}`);
      assert.doesNotMatch(text, new RegExp(hidden), `${show} leaves out ${hidden}`);
    }
  });

  test('the call list says whom to phone and what to say, and marks the call made', async () => {
    await page.goto(`${server.base}/messages?show=to_call`);
    const row = page.locator('tr', { hasText: 'Pat Phone' });
    assert.match(await row.innerText(), /01632 960001/);
    assert.match(await row.innerText(), /You are invited to Spring forum\.\nWhen: 20 April/);
    await submit(page, 'button:has-text("Mark as called")');
    assert.match(await mainText(page), /Marked as called\./);
    assert.match(await mainText(page), /There is no one to phone\./);
    await expectAccessible(page, 'messages-called');
    await page.goto(`${server.base}/messages/${call}`);
    assert.match(await page.locator('.govuk-tag').first().innerText(), /Called/);
  });

  test('a letter is laid out to print, in large print, and marked posted', async () => {
    await page.goto(`${server.base}/messages?show=to_print`);
    await submit(page, 'a:has-text("Print the letter")');
    assert.equal(new URL(page.url()).pathname, `/messages/${letter}/letter`);
    await expectAccessible(page, 'message-letter');
    const article = page.locator('article.app-print-letter');
    assert.ok(await article.evaluate((el) => el.classList.contains('app-print-letter--large')), 'a large print letter');
    assert.match(await article.locator('address').innerText(), /Lee Letter\s+12 Mill Lane\s+Riverside\s+RV1 2AB/);
    await page.emulateMedia({ media: 'print' });
    try {
      const points = await article.locator('.app-print-letter__paragraph').first()
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * 0.75);
      assert.ok(points >= 18, `large print is 18 point or more when printed (${points} pt)`);
      assert.equal(await page.locator('header').isVisible(), false, 'the header is not printed');
      assert.equal(await page.locator('form[action$="/done"]').isVisible(), false, 'the buttons are not printed');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    await submit(page, 'button:has-text("Mark as posted")');
    assert.match(await mainText(page), /Marked as posted\./);
    assert.match(await mainText(page), /There are no letters to print\./);
  });

  test("an activity's messages are listed from its page", async () => {
    await page.goto(`${server.base}/activities/${activity}`);
    await submit(page, `a[href="/activities/${activity}/messages"]`);
    await expectAccessible(page, 'activity-messages');
    const text = await mainText(page);
    assert.match(text, /Pat Phone/);
    assert.match(text, /Phone call/);
    assert.match(text, /Lee Letter/);
    assert.match(text, /Posted/);
  });

  test('co-production leads follow messages; only administrators set up sending', async () => {
    const { client } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    const list = await client.get('/messages?show=failed');
    assert.equal(list.status, 200);
    assert.match(list.text_, /nobody@fail\.example/);
    assert.ok(!list.text_.includes('href="/admin/messages"'), 'no link to the settings a lead cannot open');
    assert.equal((await client.get(`/messages/${call}`)).status, 200);
    for (const url of ['/admin/messages', '/admin/messages/templates', '/admin/messages/templates/test/plain']) {
      assert.equal((await client.get(url)).status, 403, url);
    }
  });

  test('reading messages is in the audit log', async () => {
    const actions = (await auditLog(server)).map((e) => e.action);
    for (const action of ['Looked at messages sent and who they went to', 'Marked a call as made or a letter as posted',
      'Sent a message again', 'Changed how messages are sent', 'Changed the wording of a message']) {
      assert.ok(actions.includes(action), `the audit log has "${action}"`);
    }
  });
});
