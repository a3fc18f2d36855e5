// Activities and payments pages in Chromium with axe, on the demonstration
// data (a year of meetings, attendance and payments): every page a lead and
// a participant use, forms with their errors, and a rating sent by keyboard
// from the one prompt for the meetings waiting for it.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServer as startOn } from '../support/server.mjs';
import { expectAccessible, expectErrorSummary, launchBrowser, run, signIn } from './harness.mjs';

let server;
let browser;
let lead;
let participant;

before(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-demo-'));
  const db = path.join(dir, 'demo.db');
  const out = await run(['demo', '--database', db]);
  const password = out.trim().split('\n').at(-1).trim();
  server = await startOn({ db, dir });
  browser = await launchBrowser();
  lead = await (await browser.newContext()).newPage();
  await signIn(lead, server.base, { email: 'demo-lead@example.org', password });
  participant = await (await browser.newContext()).newPage();
  await signIn(participant, server.base, { email: 'demo-participant@example.org', password });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function firstHref(page, selector) {
  return page.locator(selector).first().getAttribute('href');
}

test('a lead plans, follows and records activities on accessible pages', async () => {
  await lead.goto(`${server.base}/activities`);
  await expectAccessible(lead, 'activities');
  const upcoming = await firstHref(lead, 'table#upcoming-caption ~ tbody a, caption#upcoming-caption ~ tbody a');
  assert.ok(upcoming, 'the next forum meeting is listed');
  await lead.goto(server.base + upcoming);
  assert.match(await lead.locator('main').innerText(), /Before the day: access arrangements/);
  await expectAccessible(lead, 'activity-upcoming');
  await lead.goto(`${server.base}${upcoming}/invitations`);
  await expectAccessible(lead, 'activity-invitations');
  await lead.goto(`${server.base}/activities`);
  const past = await firstHref(lead, 'caption#past-caption ~ tbody a');
  for (const suffix of ['', '/attendance', '/outcome', '/actions/new', '/edit']) {
    await lead.goto(server.base + past + suffix);
    await expectAccessible(lead, `activity-held${suffix.replace('/', '-')}`);
  }
  // The action form's errors.
  await lead.goto(`${server.base}${past}/actions/new`);
  await Promise.all([lead.waitForNavigation(), lead.click('form[action$="/actions"] button[type="submit"]')]);
  await expectErrorSummary(lead, 'action-errors');
  await expectAccessible(lead, 'action-errors');
  // The activity form's errors, from a group's page.
  await lead.goto(`${server.base}/groups`);
  await lead.click('text=Carers\' Partnership Board');
  await lead.click('text=Plan an activity');
  await expectAccessible(lead, 'activity-new');
  await Promise.all([lead.waitForNavigation(), lead.click('form[action$="/activities"] button[type="submit"]')]);
  await expectErrorSummary(lead, 'activity-new-errors');
  await expectAccessible(lead, 'activity-new-errors');
});

test('payments, rates, claims and payroll pages are accessible', async () => {
  await lead.goto(`${server.base}/payments`);
  assert.match(await lead.locator('main').innerText(), /Payments waiting for approval/);
  await expectAccessible(lead, 'payments');
  const claim = await firstHref(lead, 'a[href^="/expenses/"]:not([href="/expenses/new"])');
  await lead.goto(server.base + claim);
  await expectAccessible(lead, 'expense-claim');
  await lead.goto(`${server.base}/expenses/new`);
  await expectAccessible(lead, 'expense-start');
  await lead.goto(`${server.base}/payments/payroll`);
  await expectAccessible(lead, 'payroll');
  await lead.goto(`${server.base}/payments/rates`);
  await expectAccessible(lead, 'rates');
  await lead.fill('#rate-member-hour', 'twenty');
  await Promise.all([lead.waitForNavigation(), lead.click('form[action="/payments/rates"] button')]);
  await expectErrorSummary(lead, 'rates-errors');
  await expectAccessible(lead, 'rates-errors');
  // Someone's record shows their year's payments and where to record a claim.
  await lead.goto(`${server.base}/people/5`);
  assert.match(await lead.locator('main').innerText(), /tax year/);
  await lead.click('text=Record an expense claim');
  await expectAccessible(lead, 'claim-form');
  await Promise.all([lead.waitForNavigation(), lead.click('form[action="/expenses"] button[type="submit"]')]);
  await expectErrorSummary(lead, 'claim-form-errors');
  await expectAccessible(lead, 'claim-form-errors');
});

test('a participant answers, says by keyboard how much say they had, and claims on accessible pages', async () => {
  await participant.goto(`${server.base}/my-activities`);
  await expectAccessible(participant, 'my-activities');
  const main = participant.locator('main');
  const prompt = (await main.innerText()).match(/You have (\d+) meetings? to tell us about/);
  assert.ok(prompt, 'the meetings waiting for a rating are gathered into one prompt');
  const waiting = Number(prompt[1]);
  assert.equal(await main.locator('input[type="radio"]').count(), 0, 'no form under each past meeting');
  assert.doesNotMatch(await main.innerText(), /Which rung/);
  // The prompt's button, by keyboard, to one question a page.
  await main.locator('a.govuk-button[href$="/rating"]').focus();
  await Promise.all([participant.waitForNavigation(), participant.keyboard.press('Enter')]);
  assert.match(await main.innerText(), new RegExp(`Meeting 1 of ${waiting}:`));
  assert.match(await participant.locator('legend h1').innerText(), /How much say did you have\?/);
  assert.match(await main.innerText(), /We made the decisions together/);
  await expectAccessible(participant, 'my-activities-question');
  // Sent with nothing chosen: the error summary, on an accessible page.
  await main.locator('form button[type="submit"]').focus();
  await Promise.all([participant.waitForNavigation(), participant.keyboard.press('Enter')]);
  await expectErrorSummary(participant, 'my-activities-question-errors');
  await expectAccessible(participant, 'my-activities-question-errors');
  // The first answer by keyboard, moved to the second with an arrow key.
  await main.locator('input[type="radio"]').first().focus();
  await participant.keyboard.press('ArrowDown');
  assert.equal(await main.locator('input[type="radio"]:checked').count(), 1);
  await main.locator('form button[type="submit"]').focus();
  await Promise.all([participant.waitForNavigation(), participant.keyboard.press('Enter')]);
  if (waiting > 1) {
    assert.match(await main.innerText(), /Thank you\. We do not keep your name with your answer\./);
    assert.match(await main.innerText(), new RegExp(`Meeting 1 of ${waiting - 1}:`));
    await expectAccessible(participant, 'my-activities-question-next');
    await participant.goto(`${server.base}/my-activities`);
    const left = waiting - 1;
    assert.match(await main.innerText(), new RegExp(`You have ${left} meetings? to tell us about`));
  } else {
    assert.match(await main.innerText(), /Thank you for telling us\. We do not keep your name with your answers\./);
  }
  await expectAccessible(participant, 'my-activities-rated');
  await participant.goto(`${server.base}/my-payments`);
  assert.match(await participant.locator('main').innerText(), /This tax year/);
  await expectAccessible(participant, 'my-payments');
  await Promise.all([participant.waitForNavigation(), participant.click('form[action="/my-payments/claims"] button[type="submit"]')]);
  await expectErrorSummary(participant, 'my-claim-errors');
  await expectAccessible(participant, 'my-claim-errors');
});
