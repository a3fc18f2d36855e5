// A wrong password shows the GOV.UK error summary, focused, linking to a field.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { admin, expectAccessible, expectErrorSummary, launchBrowser, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a wrong password shows the error summary, linked to the field', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/sign-in`);
  await page.fill('#email', admin.email);
  await page.fill('#password', 'not the password');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-in"] button[type="submit"]')]);

  await expectErrorSummary(page, 'sign-in-wrong-password');
  const summary = page.locator('.govuk-error-summary');
  assert.match(await page.title(), /^Error: /, 'the page title starts with "Error: "');
  assert.ok(await summary.evaluate((el) => el.contains(document.activeElement)),
    'the error summary has focus, so a screen reader announces it');

  const links = summary.locator('a[href^="#"]');
  assert.ok(await links.count() >= 1, 'the summary links to a field');
  const href = await links.first().getAttribute('href');
  assert.equal(await page.locator(href).count(), 1, `the summary's link ${href} points at a field on the page`);

  await links.first().click();
  assert.equal(await page.evaluate(() => '#' + document.activeElement.id), href,
    'following the link puts focus in the field');

  assert.equal(await page.inputValue('#password'), '', 'the password is not sent back');
  await expectAccessible(page, 'sign-in-wrong-password');
  await page.close();
});
