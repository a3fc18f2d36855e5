// The account journeys through their forms, as a person meets them: first-run
// set-up, inviting a person and the person accepting, creating an
// organisation. Every page on the way, with and without errors, passes the
// WCAG 2.2 AA checks, and errors show in the error summary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  admin, expectAccessible, expectErrorSummary, launchBrowser, setupLink, signIn, startServer,
} from './harness.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

// Clicks the form's submit button and waits for the page it leads to.
async function submit(page, form) {
  await Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
}

test('first-run set-up creates the organisation and its administrator', async () => {
  const server = await startServer({ seed: false });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(await setupLink(server));
    await expectAccessible(page, 'setup');

    await submit(page, 'main form');
    await expectErrorSummary(page, 'setup-with-errors');
    await expectAccessible(page, 'setup-with-errors');

    await page.fill('#organisation_name', 'Riverside Council');
    await page.fill('#name', 'Sam Okafor');
    await page.fill('#email', 'sam@example.org');
    await page.fill('#password', 'a long enough pass phrase');
    await page.fill('#password_confirm', 'a long enough pass phrase');
    await submit(page, 'main form');
    assert.ok(await page.locator('.govuk-panel--confirmation').isVisible(), 'a confirmation panel is shown');
    await expectAccessible(page, 'setup-done');

    await signIn(page, server.base, { email: 'sam@example.org', password: 'a long enough pass phrase' });
    assert.match(await page.locator('h1').innerText(), /dashboard/i);
    assert.match(await page.locator('header').innerText(), /Riverside Council/);
    await context.close();
  } finally {
    await server.stop();
  }
});

test('an administrator invites a person, who sets up their account', async () => {
  const server = await startServer();
  try {
    const adminContext = await browser.newContext();
    const page = await adminContext.newPage();
    await signIn(page, server.base);

    await page.goto(`${server.base}/admin/users`);
    await submit(page, 'form[action="/admin/users"]');
    await expectErrorSummary(page, 'users-with-errors');
    await expectAccessible(page, 'users-with-errors');

    await page.fill('#name', 'Priya Shah');
    await page.fill('#email', 'priya@example.org');
    await page.check('input[name="role"][value="coproduction-lead"]');
    await submit(page, 'form[action="/admin/users"]');
    const link = (await page.locator('.app-one-time-link').innerText()).trim();
    assert.match(link, /^https?:\/\/\S+$/, 'the one-time link is shown');
    await expectAccessible(page, 'users-invited');
    assert.match(await page.locator('table').innerText(), /priya@example\.org/);

    const personContext = await browser.newContext();
    const person = await personContext.newPage();
    await person.goto(link);
    assert.match(await person.locator('main').innerText(), /priya@example\.org/);
    await expectAccessible(person, 'invitation');

    await submit(person, 'main form');
    await expectErrorSummary(person, 'invitation-with-errors');
    await expectAccessible(person, 'invitation-with-errors');

    await person.fill('#name', 'Priya Shah');
    await person.fill('#password', 'another long pass phrase');
    await person.fill('#password_confirm', 'another long pass phrase');
    await submit(person, 'main form');
    assert.ok(await person.locator('.govuk-panel--confirmation').isVisible(), 'a confirmation panel is shown');
    await expectAccessible(person, 'invitation-done');

    await signIn(person, server.base, { email: 'priya@example.org', password: 'another long pass phrase' });
    assert.match(await person.locator('h1').innerText(), /dashboard/i);
    assert.equal(await person.locator('nav a[href="/admin/users"]').count(), 0,
      'a co-production lead has no administration links');
    await personContext.close();
    await adminContext.close();
  } finally {
    await server.stop();
  }
});

test('an administrator creates an organisation', async () => {
  const server = await startServer();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.base, admin);
    await page.goto(`${server.base}/admin/organisations`);

    await submit(page, 'form[action="/admin/organisations"]');
    await expectErrorSummary(page, 'organisations-with-errors');
    await expectAccessible(page, 'organisations-with-errors');

    await page.fill('#name', 'Hillside Care Trust');
    await page.fill('#admin_email', 'lead@hillside.example.org');
    await submit(page, 'form[action="/admin/organisations"]');
    assert.match((await page.locator('.app-one-time-link').innerText()).trim(), /^https?:\/\/\S+$/,
      'the one-time link for its administrator is shown');
    assert.match(await page.locator('table').innerText(), /Hillside Care Trust/);
    await expectAccessible(page, 'organisations-created');
    await context.close();
  } finally {
    await server.stop();
  }
});
