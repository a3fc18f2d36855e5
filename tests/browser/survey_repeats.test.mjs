// A survey's repeat in Chromium: the page holding one fieldset per service
// passes the WCAG 2.2 AA checks, with and without errors, in English and
// in Welsh; Add another works with the keyboard alone and puts focus on the
// new service; Enter in a field continues rather than removing a service.
// Page 1 also shows a read-only question (the area the survey is about),
// checked in both languages.
//
// Screenshots go to tests/browser/artifacts/survey-repeats-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectAccessible, expectErrorSummary, focused, signIn, tabTo, useServerAndBrowser,
} from './harness.mjs';

const env = useServerAndBrowser();

const definition = {
  format: 'coproduce-survey/1',
  id: 'services',
  title: 'Services you use',
  languages: [{ code: 'en', name: 'English' }, { code: 'cy', name: 'Cymraeg' }],
  translations: { cy: { title: 'Gwasanaethau rydych chi’n eu defnyddio' } },
  repeats: [{
    code: 'services', label: 'Service', hint: 'Tell us about each service you use.', max: 3,
    translations: { cy: { label: 'Gwasanaeth', hint: 'Dywedwch wrthym am bob gwasanaeth rydych chi’n ei ddefnyddio.' } },
  }],
  questions: [
    { code: 'area', type: 'single', page: 1, text: 'The area this survey is about', default: 'leeds', read_only: true,
      options: [{ code: 'leeds', label: 'Leeds' }, { code: 'york', label: 'York' }],
      translations: { cy: { text: 'Yr ardal mae’r arolwg hwn amdani' } } },
    { code: 'uses', type: 'yes_no', page: 1, text: 'Do you use any services?', validation: { required: true },
      translations: { cy: { text: 'Ydych chi’n defnyddio unrhyw wasanaethau?' } } },
    { code: 'service', type: 'short_text', page: 2, repeat: 'services', text: 'What is the service called?',
      validation: { required: true }, translations: { cy: { text: 'Beth yw enw’r gwasanaeth?' } } },
    { code: 'helpful', type: 'yes_no', page: 2, repeat: 'services', text: 'Does it help you?',
      translations: { cy: { text: 'Ydy e’n eich helpu chi?' } } },
    { code: 'since', type: 'date', page: 2, repeat: 'services', text: 'When did you start using it?',
      translations: { cy: { text: 'Pryd wnaethoch chi ddechrau ei ddefnyddio?' } } },
    { code: 'overall', type: 'long_text', page: 3, text: 'Is there anything else you want to tell us?',
      translations: { cy: { text: 'Oes unrhyw beth arall rydych chi eisiau ei ddweud wrthym?' } } },
  ],
};

async function press(page, selector) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

// Creates the survey through the staff pages and opens it; returns its public path.
async function createSurvey() {
  const staff = await env.browser.newContext();
  const page = await staff.newPage();
  await signIn(page, env.server.base);
  await page.goto(`${env.server.base}/surveys/new`);
  await page.check('#source-upload');
  await page.setInputFiles('#definition', { name: 'services.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button')]);
  const publicPath = await page.locator('dd a[href^="/s/"]').getAttribute('href');
  await staff.close();
  return publicPath;
}

// Starts the survey in `language` and answers page 1; the page is then the repeat's.
async function reachServices(publicPath, language) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}${publicPath}`);
  await page.check(language === 'cy' ? '#language-cy' : '#language');
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button--start')]);
  // The read-only answer is shown as words, with nothing to change.
  assert.equal(await page.locator('#area p.govuk-\\!-font-weight-bold').innerText(), 'Leeds');
  assert.equal(await page.locator('input[name="area"]').count(), 0);
  assert.match(await page.locator('#area').innerText(),
    language === 'cy' ? /Mae hyn wedi’i lenwi i chi|Mae hyn wedi'i lenwi i chi/ : /This is filled in for you\. You cannot change it\./);
  await expectAccessible(page, `survey-read-only-${language}`);
  await page.check('#uses');
  await Promise.all([page.waitForNavigation(), page.click('main button[value="continue"]')]);
  assert.match(new URL(page.url()).pathname, /\/page\/2$/);
  return { context, page };
}

const legends = (page) => page.locator('main .govuk-fieldset__heading').allInnerTexts();

test('a person adds a second service with the keyboard, and the page passes the checks with and without errors', async () => {
  const publicPath = await createSurvey();
  const { context, page } = await reachServices(publicPath, 'en');
  assert.deepEqual(await legends(page), ['Service 1']);
  await expectAccessible(page, 'survey-repeats-en');

  await tabTo(page, '#service-1');
  await page.keyboard.type('Day centre');
  await press(page, 'main button[value="add"]');
  assert.deepEqual(await legends(page), ['Service 1', 'Service 2']);
  // Focus is on the new service, so the next Tab goes into it.
  assert.equal((await focused(page)).id, 'services-2-legend');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'service-2');
  assert.equal(await page.inputValue('#service-1'), 'Day centre');
  await expectAccessible(page, 'survey-repeats-en-two');

  // Enter in a field continues (it does not remove a service): the second
  // has no name yet, which the summary links to.
  await page.focus('#service-1');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.deepEqual(await legends(page), ['Service 1', 'Service 2']);
  await expectErrorSummary(page, 'survey-repeats-en-errors');
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#service-2');
  assert.match(await page.locator('#service-2-error').innerText(), /Enter an answer: what is the service called/);
  await expectAccessible(page, 'survey-repeats-en-errors');
  await page.locator('.govuk-error-summary a').first().click();
  assert.equal((await focused(page)).id, 'service-2');

  // Remove takes the second away again.
  await press(page, 'main button[value="remove-2"]');
  assert.deepEqual(await legends(page), ['Service 1']);
  assert.equal(await page.inputValue('#service-1'), 'Day centre');
  await context.close();
});

test('in Welsh, the repeat page is in Welsh and passes the checks with and without errors', async () => {
  const publicPath = await createSurvey();
  const { context, page } = await reachServices(publicPath, 'cy');
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.deepEqual(await legends(page), ['Gwasanaeth 1']);
  assert.equal((await page.locator('main button[value="add"]').innerText()).trim(), 'Ychwanegu un arall');
  await expectAccessible(page, 'survey-repeats-cy');
  await press(page, 'main button[value="add"]');
  assert.deepEqual(await legends(page), ['Gwasanaeth 1', 'Gwasanaeth 2']);
  assert.match(await page.locator('main button[value="remove-2"]').innerText(), /^Tynnu/);
  await expectAccessible(page, 'survey-repeats-cy-two');
  await press(page, 'main button[value="continue"]');
  await expectErrorSummary(page, 'survey-repeats-cy-errors');
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Gwasanaeth 2/);
  await expectAccessible(page, 'survey-repeats-cy-errors');
  await context.close();
});
