// Get involved in Welsh, in Chromium: chosen with the Cymraeg link, every
// page (and its Easy Read version) marked lang="cy" and passing the WCAG 2.2
// AA checks in Welsh, error
// messages in Welsh in the summary (which takes focus) and beside the field,
// and the check-answers page and confirmation in Welsh.
//
// Screenshots go to tests/browser/artifacts/get-involved-cy-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectAccessible, expectErrorSummary, tabTo, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

async function next(page) {
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
}

// Each page: its path, its heading in Welsh, whether to check its errors
// first, and how it is answered.
const steps = [
  ['name', 'Beth yw eich enw?', true, (p) => p.fill('#name', 'Grace Hopper')],
  ['contact', 'Sut gallwn ni gysylltu â chi?', true, async (p) => {
    await p.fill('#email', 'grace@example.org');
    await p.fill('#phone', '01632 960 001');
  }],
  ['contact-preference', 'Sut hoffech chi i ni gysylltu â chi?', false, (p) => p.check('#contact_by-phone')],
  ['formats', 'Sut hoffech chi i ni anfon gwybodaeth atoch?', true, async (p) => {
    await p.check('#formats-welsh');
    await p.check('#formats-other_language');
    assert.equal(await p.locator('label[for="other_language"]').innerText(), 'Pa iaith?');
    await p.fill('#other_language', 'Polish');
  }],
  ['access-needs', "Pa gymorth fyddai'n eich helpu i gymryd rhan?", true, (p) => p.check('#access_needs-hearing_loop')],
  ['experience', "Beth rydych chi'n ei wybod am ofal a chymorth?", false, (p) => p.check('#lived_experience-unpaid_carer')],
  ['care-kinds', "Pa fathau o ofal a chymorth rydych chi'n gwybod amdanynt?", false, (p) => p.check('#care_kinds')],
  ['area', "Ym mha ardal rydych chi'n byw?", false, (p) => p.fill('#area', 'Northfield')],
  ['availability', 'Pryd gallwch chi gymryd rhan amlaf?', false, (p) => p.check('#availability-weekend')],
  ['ways', 'Sut hoffech chi gymryd rhan?', false, (p) => p.check('#ways-online')],
  ['payment', 'Ydych chi eisiau cael eich talu am eich amser?', false, (p) => p.check('#payment-declined')],
  ['equality', 'Cwestiynau amdanoch chi, i wirio ein bod yn deg', true, (p) => p.check('#equality_choice')],
  ['age', 'Beth yw eich oedran?', true, (p) => p.check('#age_band-65_74')],
  ['sex', 'Beth yw eich rhyw?', false, (p) => p.check('#sex')],
  ['gender-identity', "Ydy eich rhywedd yr un fath â'r rhyw a roddwyd i chi adeg eich geni?", false,
    (p) => p.check('#gender_identity-prefer_not_to_say')],
  ['ethnic-group', 'Beth yw eich grŵp ethnig?', false, (p) => p.check('#ethnic_group-black')],
  ['ethnic-background', "Pa un o'r rhain sydd fwyaf tebyg i'ch cefndir?", false, (p) => p.check('#ethnic_group')],
  ['disability', "Oes gennych chi broblem iechyd sy'n gwneud bywyd bob dydd yn anodd?", false,
    (p) => p.check('#disability-not_disabled')],
  ['sexual-orientation', 'Beth yw eich cyfeiriadedd rhywiol?', false, (p) => p.check('#sexual_orientation')],
  ['religion', 'Beth yw eich ffydd neu gred?', false, (p) => p.check('#religion')],
  ['carer', "Ydych chi'n gofalu am rywun, neu'n helpu rhywun, sy'n sâl, yn anabl neu'n hen?", false,
    (p) => p.check('#carer-up_to_19')],
  ['consent', "Ydych chi'n cytuno i ni gadw eich manylion?", true, (p) => p.check('#consent')],
];

test('a person gets involved in Welsh: every page in Welsh, marked so, and passing the accessibility checks', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/get-involved`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  // The language link, by keyboard, back to the same page in Welsh.
  await tabTo(page, '.app-language a[lang="cy"]');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/get-involved');
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.locator('h1').innerText(), 'Cymryd rhan');
  assert.equal(await page.locator('main a[href="/get-involved/easy-read"]').innerText(),
    'Darllenwch y dudalen hon mewn fersiwn Hawdd ei Ddeall');
  await expectAccessible(page, 'get-involved-cy-start');

  // Its Easy Read version, in Welsh, starts the same journey.
  await Promise.all([page.waitForNavigation(), page.click('main a[href="/get-involved/easy-read"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.locator('img[src$="/speech.svg"]').first().getAttribute('alt'), 'Swigen siarad');
  await expectAccessible(page, 'get-involved-cy-easy-read');
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button--start')]);

  for (const [slug, heading, withErrors, answer] of steps) {
    assert.equal(new URL(page.url()).pathname, `/get-involved/${slug}`, 'the pages come in order');
    assert.equal(await page.getAttribute('html', 'lang'), 'cy', `${slug} is marked Welsh`);
    assert.ok((await page.locator('h1').innerText()).endsWith(heading), `${slug}: its question in Welsh`);
    await expectAccessible(page, `get-involved-cy-${slug}`);
    if (withErrors) {
      await next(page);
      await expectErrorSummary(page, `get-involved-cy-${slug}-errors`);
      await expectAccessible(page, `get-involved-cy-${slug}-errors`);
      assert.match(await page.title(), /^Gwall: /);
      assert.match(await page.locator('.govuk-error-summary__title').innerText(), /Mae problem wedi codi/);
      const summaryFocused = await page.evaluate(() => document.activeElement?.closest('.govuk-error-summary') !== null);
      assert.ok(summaryFocused, `${slug}: the error summary takes focus`);
      assert.match(await page.locator('.govuk-error-message').first().innerText(), /^Gwall:/);
    }
    await answer(page);
    await next(page);
  }

  assert.equal(new URL(page.url()).pathname, '/get-involved/check');
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.equal(await page.locator('h1').innerText(), 'Gwiriwch eich atebion cyn eu hanfon');
  await expectAccessible(page, 'get-involved-cy-check');
  const answers = await page.locator('main').innerText();
  for (const shown of ['Grace Hopper', 'Iaith arall: Polish', 'Dolen sain', 'Penwythnosau', 'Ydw, hyd at 19 awr yr wythnos',
    'Du, Du Prydeinig, Du Cymreig, Caribïaidd neu Affricanaidd: Caribïaidd']) {
    assert.ok(answers.includes(shown), `the check page shows "${shown}"`);
  }
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  assert.equal(await page.locator('h1').innerText(), 'Mae eich manylion wedi cael eu hanfon');
  await expectAccessible(page, 'get-involved-cy-confirmation');
  await context.close();
});
