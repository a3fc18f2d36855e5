// The public "get involved" journey in Chromium: a person answers every
// question with the keyboard alone; every page, and every page showing its
// errors, passes the WCAG 2.2 AA checks; and the whole journey works with
// JavaScript turned off, with the conditional fields shown.
//
// Screenshots of each page go to tests/browser/artifacts/get-involved-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  expectAccessible, expectErrorSummary, launchBrowser, run, screenshot, startServer, focused, tabTo,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  // Two organisations, so the first question asks which one.
  await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Riverside Carers Forum']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Keyboard actions a person would use.
async function type(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

async function tick(page, id) {
  await tabTo(page, `#${id}`);
  await page.keyboard.press('Space');
  assert.ok(await page.locator(`#${id}`).isChecked(), `${id} is ticked`);
}

// Radios: Tab reaches the group, arrow keys move the choice.
async function choose(page, name, id) {
  await tabTo(page, `input[name="${name}"]`);
  for (let i = 0; i < 30 && (await focused(page)).id !== id; i++) await page.keyboard.press('ArrowDown');
  assert.equal((await focused(page)).id, id, `the arrow keys reach ${id}`);
  await page.keyboard.press('Space');
  assert.ok(await page.locator(`#${id}`).isChecked(), `${id} is chosen`);
}

async function continueWithKeyboard(page) {
  await tabTo(page, 'main button[type="submit"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

// Each page: its path, whether continuing with no answer shows errors, and
// how a person answers it.
const steps = [
  ['organisation', true, (p) => choose(p, 'organisation', 'organisation')],
  ['name', true, (p) => type(p, '#name', 'Grace Hopper')],
  ['contact', true, async (p) => {
    await type(p, '#email', 'grace@example.org');
    await type(p, '#phone', '01632 960 001');
  }],
  ['contact-preference', true, (p) => choose(p, 'contact_by', 'contact_by-phone')],
  ['formats', true, async (p) => {
    await tick(p, 'formats-easy_read');
    assert.ok(!(await p.locator('#other_language').isVisible()), 'the language field is hidden until asked for');
    await tick(p, 'formats-other_language');
    assert.ok(await p.locator('#other_language').isVisible(), 'ticking "Another language" reveals the field');
    await type(p, '#other_language', 'Polish');
  }],
  ['access-needs', true, async (p) => {
    await tick(p, 'access_needs-hearing_loop');
    await type(p, '#access_other', 'A table near the door');
  }],
  ['experience', true, (p) => tick(p, 'lived_experience-unpaid_carer')],
  ['care-kinds', false, (p) => tick(p, 'care_kinds')],
  ['area', true, (p) => type(p, '#area', 'Northfield')],
  ['availability', true, (p) => tick(p, 'availability-weekday_evening')],
  ['ways', true, (p) => tick(p, 'ways-online')],
  ['payment', true, (p) => choose(p, 'payment', 'payment')],
  ['benefits-advice', true, (p) => choose(p, 'benefits_advice', 'benefits_advice')],
  ['equality', true, (p) => choose(p, 'equality_choice', 'equality_choice')],
  ['age', true, (p) => choose(p, 'age_band', 'age_band-65_74')],
  ['sex', true, (p) => choose(p, 'sex', 'sex')],
  ['gender-identity', true, (p) => choose(p, 'gender_identity', 'gender_identity-prefer_not_to_say')],
  ['ethnic-group', true, (p) => choose(p, 'ethnic_group', 'ethnic_group-black')],
  ['ethnic-background', true, (p) => choose(p, 'ethnic_group', 'ethnic_group')],
  ['disability', true, (p) => choose(p, 'disability', 'disability-not_disabled')],
  ['sexual-orientation', true, (p) => choose(p, 'sexual_orientation', 'sexual_orientation')],
  ['religion', true, (p) => choose(p, 'religion', 'religion')],
  ['carer', true, (p) => choose(p, 'carer', 'carer-up_to_19')],
  ['consent', true, (p) => tick(p, 'consent')],
];

test('a person gets involved with the keyboard alone, and every page passes the accessibility checks', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  // A page showing errors answers 400, which Chromium logs as a failed load:
  // assets are checked by their responses instead.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'document' && res.status() >= 400) problems.push(`${res.url()} answered ${res.status()}`);
  });
  await page.goto(`${server.base}/get-involved`);
  await expectAccessible(page, 'get-involved-start');
  await tabTo(page, 'button.govuk-button--start');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

  for (const [slug, hasErrors, answer] of steps) {
    assert.equal(new URL(page.url()).pathname, `/get-involved/${slug}`, 'the pages come in order');
    await expectAccessible(page, `get-involved-${slug}`);
    if (hasErrors) {
      await continueWithKeyboard(page);
      await expectErrorSummary(page, `get-involved-${slug}-errors`);
      await expectAccessible(page, `get-involved-${slug}-errors`);
      const summaryFocused = await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null);
      assert.ok(summaryFocused, `${slug}: the error summary takes focus, so a screen reader reads it first`);
    }
    await answer(page);
    await continueWithKeyboard(page);
  }

  assert.equal(new URL(page.url()).pathname, '/get-involved/check');
  await expectAccessible(page, 'get-involved-check');
  const answers = await page.locator('main').innerText();
  for (const shown of ['Riverside Carers Forum', 'Grace Hopper', 'Another language: Polish', 'A table near the door',
    'Caribbean', 'Yes, up to 19 hours a week']) {
    assert.ok(answers.includes(shown), `the check page shows "${shown}"`);
  }
  await tabTo(page, 'main button[type="submit"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.ok(await page.locator('.govuk-panel--confirmation').isVisible(), 'a confirmation panel is shown');
  assert.match(await page.locator('h1').innerText(), /Your details have been sent/);
  await expectAccessible(page, 'get-involved-confirmation');
  assert.deepEqual(problems, [], 'no console errors');
  await context.close();
});

test('an error summary link takes the keyboard to the field with the problem', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/get-involved`);
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button--start')]);
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await tabTo(page, '.govuk-error-summary a[href="#organisation"]');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'organisation', 'focus moves to the first choice');
  await context.close();
});

test('coming back to the start offers to carry on, and that page passes the checks too', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}/get-involved`);
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button--start')]);
  await page.check('#organisation');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await page.goto(`${server.base}/get-involved`);
  await expectAccessible(page, 'get-involved-start-continue');
  await Promise.all([page.waitForNavigation(), page.click('text=Carry on where you left off')]);
  assert.equal(new URL(page.url()).pathname, '/get-involved/name');
  await context.close();
});

test('the journey works with JavaScript turned off, showing every conditional field', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const go = async () => Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await page.goto(`${server.base}/get-involved`);
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button--start')]);

  await page.check('#organisation-1');
  await go();
  await page.fill('#name', 'Nadia No-Script');
  await go();
  await page.fill('#address', '1 Mill Lane\nNorthfield');
  await page.fill('#postcode', 'NF1 2AB');
  await go();
  assert.equal(new URL(page.url()).pathname, '/get-involved/formats', 'one way to contact: no preference asked');

  assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
  assert.ok(await page.locator('#other_language').isVisible(), 'the language field is shown without JavaScript');
  await screenshot(page, 'get-involved-formats-no-js');
  await go();
  // axe-core cannot run in a page with JavaScript off; the same pages pass it
  // with JavaScript on, above.
  await expectErrorSummary(page, 'get-involved-formats-no-js-errors');
  await page.check('#formats-large_print');
  await go();
  await page.check('#access_needs-none');
  await go();
  assert.ok(await page.locator('#experience_other').isVisible(), 'the experience field is shown without JavaScript');
  await page.check('#lived_experience-other');
  await page.fill('#experience_other', 'I volunteer at a day centre');
  await go();
  await go();  // kinds of care: optional
  await page.fill('#area', 'Northfield');
  await go();
  await page.check('#availability-weekend');
  await go();
  await page.check('#ways-paper');
  await go();
  await page.check('#payment-declined');
  await go();
  assert.equal(new URL(page.url()).pathname, '/get-involved/equality', 'declining payment: no benefits question');
  await page.check('#equality_choice-skip');
  await go();
  assert.equal(new URL(page.url()).pathname, '/get-involved/consent', 'skipping the equality questions');
  await page.check('#consent');
  await go();

  assert.equal(new URL(page.url()).pathname, '/get-involved/check');
  const answers = await page.locator('main').innerText();
  assert.match(answers, /Nadia No-Script/);
  assert.match(answers, /NF1 2AB/);
  assert.match(answers, /No support needed/);
  assert.match(answers, /I volunteer at a day centre/);
  assert.match(answers, /You chose not to answer them/);
  await screenshot(page, 'get-involved-check-no-js');

  await page.click('a[href="/get-involved/area?change=1"]');
  await page.fill('#area', 'Southfield');
  await go();
  assert.equal(new URL(page.url()).pathname, '/get-involved/check', 'a change comes back to the answers');
  assert.match(await page.locator('main').innerText(), /Southfield/);

  await go();
  assert.match(await page.locator('h1').innerText(), /Your details have been sent/);
  assert.match(await page.locator('main').innerText(), /contact you by post/);
  await screenshot(page, 'get-involved-confirmation-no-js');
  const cookies = await context.cookies();
  assert.ok(!cookies.some((c) => c.name === 'coproduce_get_involved'), 'the draft cookie is gone');
  await context.close();
});
