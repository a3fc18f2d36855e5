// The Welsh pages in a real browser: chosen with the link and remembered,
// lang attributes right, axe-clean in Welsh, the password toggle speaking
// Welsh, and error messages in Welsh focused as in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { admin, expectAccessible, expectErrorSummary, launchBrowser, signIn, startServer } from './harness.mjs';

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

test('the Cymraeg link turns the page Welsh, by keyboard, and the choice is remembered', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/sign-in`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const link = page.locator('.app-language a[lang="cy"]');
  assert.equal(await link.innerText(), 'Cymraeg');
  await link.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'back on the same page');
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.locator('h1').innerText(), 'Mewngofnodi');
  await expectAccessible(page, 'welsh-sign-in');

  // The password toggle's words come from the page, so they are Welsh too.
  const toggle = page.locator('.govuk-password-input__toggle');
  assert.equal(await toggle.innerText(), 'Dangos');
  await toggle.click();
  assert.equal(await toggle.innerText(), 'Cuddio');
  assert.equal(await toggle.getAttribute('aria-label'), "Cuddio'r cyfrinair");

  // Remembered on the next visit.
  await page.goto(`${server.base}/cookies`);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.locator('h1').innerText(), 'Cwcis');
  assert.equal(await page.title(), 'Cwcis – Coproduce');
  assert.match(await page.locator('main').innerText(), /coproduce_language/);
  await expectAccessible(page, 'welsh-cookies');

  await page.goto(`${server.base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.title(), 'Cydgynhyrchu ym maes gofal cymdeithasol i oedolion – Coproduce');
  assert.equal(await page.locator('h1').innerText(), 'Cael dweud go iawn am ofal a chymorth');
  assert.equal(await page.locator('main a.govuk-button--start').innerText(), 'Cymryd rhan');
  await expectAccessible(page, 'welsh-home');

  // What co-production is: the page in Welsh, the organisation's own
  // definition marked as the English it is written in.
  await page.goto(`${server.base}/what-is-co-production`);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.locator('h1').innerText(), 'Beth yw cydgynhyrchu');
  assert.equal(await page.locator('.govuk-inset-text p').getAttribute('lang'), 'en');
  assert.match(await page.locator('main').innerText(), /Ysgol cydgynhyrchu/);
  await expectAccessible(page, 'welsh-what-is-co-production');
  await context.close();
});

test('a wrong password in Welsh: the summary is Welsh, focused and linked to the field', async () => {
  const context = await browser.newContext({ locale: 'cy-GB', extraHTTPHeaders: { 'accept-language': 'cy-GB,cy;q=0.9' } });
  const page = await context.newPage();
  await page.goto(`${server.base}/sign-in`);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy', "a Welsh browser's preference is followed");
  await page.fill('#email', admin.email);
  await page.fill('#password', 'not the password');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-in"] button[type="submit"]')]);
  await expectErrorSummary(page, 'welsh-sign-in-wrong-password');
  await expectAccessible(page, 'welsh-sign-in-wrong-password');
  assert.match(await page.title(), /^Gwall: Mewngofnodi/);
  const summary = page.locator('.govuk-error-summary');
  assert.match(await summary.innerText(), /Mae problem wedi codi/);
  assert.match(await summary.innerText(), /Rhowch gyfeiriad e-bost a chyfrinair cywir/);
  assert.ok(await summary.evaluate((el) => el.contains(document.activeElement)), 'the summary has focus');
  await context.close();
});

test('a page not yet in Welsh says so in Welsh and stays lang="en"', async () => {
  // Every page for the public and for people who draw on care is in Welsh now;
  // a staff page, which may stay in English, shows how the others look.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.base);
  await page.goto(`${server.base}/language/cy?return=/surveys`);
  assert.equal(new URL(page.url()).pathname, '/surveys');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const notice = page.locator('.app-language__notice');
  assert.equal(await notice.getAttribute('lang'), 'cy');
  assert.match(await notice.innerText(), /ar gael yn Gymraeg eto/);
  await expectAccessible(page, 'welsh-not-yet-translated');
  await context.close();
});
