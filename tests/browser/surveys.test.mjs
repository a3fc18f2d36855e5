// Surveys in Chromium: every staff and public survey page, and every page
// showing its errors, passes the WCAG 2.2 AA checks; a person completes a
// short survey with the keyboard alone; save and resume works in a browser.
//
// Screenshots go to tests/browser/artifacts/surveys-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  expectAccessible, expectErrorSummary, launchBrowser, signIn, startServer, focused, tabTo,
} from './harness.mjs';

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

// A short questionnaire: a choice, a condition, a date, a number and text.
const shortSurvey = {
  format: 'coproduce-survey/1',
  id: 'short',
  title: 'Carers and short breaks',
  description: 'Three quick questions about short breaks for carers.',
  questions: [
    {
      code: 'carer', type: 'yes_no', page: 1, text: 'Do you look after someone?', validation: { required: true },
    },
    {
      code: 'since', type: 'date', page: 2, text: 'When did you start looking after them?', show_if: "carer = 'yes'",
      hint: 'For example, 27 3 2019', validation: { required: true },
    },
    { code: 'hours', type: 'number', page: 2, text: 'About how many hours a week?', show_if: "carer = 'yes'", validation: { min: 0, max: 168 } },
    { code: 'idea', type: 'long_text', page: 3, text: 'What would make a short break easier to arrange?', validation: { max: 500 } },
  ],
};

async function type(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

async function choose(page, name, id) {
  await tabTo(page, `input[name="${name}"]`);
  for (let i = 0; i < 30 && (await focused(page)).id !== id; i++) await page.keyboard.press('ArrowDown');
  assert.equal((await focused(page)).id, id, `the arrow keys reach ${id}`);
  await page.keyboard.press('Space');
  assert.ok(await page.locator(`#${id}`).isChecked(), `${id} is chosen`);
}

async function press(page, selector) {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

// Creates a survey through the staff pages and opens it; returns its page address and public path.
async function createSurvey(page, definition) {
  await page.goto(`${server.base}/surveys/new`);
  if (definition) {
    await page.check('#source-upload');
    await page.setInputFiles('#definition', { name: 'short.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition)) });
  } else {
    await page.check('#source');
  }
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  const staffUrl = page.url().replace(/\?.*$/, '');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/status"] button')]);
  const publicPath = await page.locator('dd a[href^="/s/"]').getAttribute('href');
  return { staffUrl, publicPath };
}

test('the staff survey pages pass the accessibility checks, with and without errors', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server.base);
  await page.goto(`${server.base}/dashboard`);
  await Promise.all([page.waitForNavigation(), page.click('a[href="/surveys"]')]);
  await expectAccessible(page, 'surveys-list-empty');

  await page.goto(`${server.base}/surveys/new`);
  await expectAccessible(page, 'surveys-new');
  await page.check('#source-upload');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await expectErrorSummary(page, 'surveys-new-errors');
  await expectAccessible(page, 'surveys-new-errors');

  const { staffUrl } = await createSurvey(page);
  await expectAccessible(page, 'surveys-show');
  await page.fill('#opens-day', '31');
  await page.fill('#opens-month', '2');
  await page.fill('#opens-year', '2026');
  await page.fill('#cap', 'lots');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/settings"] button')]);
  await expectErrorSummary(page, 'surveys-settings-errors');
  await expectAccessible(page, 'surveys-settings-errors');

  // Writing the survey in Welsh: every box on one page, and the errors when boxes are left empty.
  await page.goto(`${staffUrl}/translate`);
  await expectAccessible(page, 'surveys-translate');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await expectErrorSummary(page, 'surveys-translate-errors');
  await expectAccessible(page, 'surveys-translate-errors');

  await page.goto(`${staffUrl}/import`);
  await expectAccessible(page, 'surveys-import');
  const header = (await (await context.request.get(`${staffUrl}/responses.csv`)).text()).replace(/^\uFEFF/, '').trim();
  const cols = header.split(',');
  const row = (v) => cols.map((c) => v[c] ?? '').join(',');
  await page.setInputFiles('#file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${row({ id: '1', started_at: 'soon', last_page: '1' })}\n`) });
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  assert.match(await page.locator('main table').innerText(), /Line 2, column 2/);
  await expectAccessible(page, 'surveys-import-problems');

  const lines = [header];
  for (let i = 0; i < 60; i += 1) {
    const group = ['lived_experience', 'carer', 'workforce'][i % 3];
    lines.push(row({
      id: `b${i}`, started_at: '2026-03-01T10:00:00', submitted_at: '2026-03-01T10:05:00', last_page: '7', group,
      heard: i % 2 ? 'yes' : 'no', knowledge: 'some', role: group === 'workforce' ? 'direct_care' : '',
      'barriers[time]': group === 'workforce' ? '1' : '', involved_own_care: group === 'workforce' ? '' : 'yes',
      involved_services: group === 'workforce' ? '' : 'no',
    }));
  }
  await page.setInputFiles('#file', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await expectAccessible(page, 'surveys-import-preview');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  assert.match(await page.locator('#completes').innerText(), /^60$/);

  await page.goto(`${staffUrl}/findings`);
  await expectAccessible(page, 'surveys-findings');
  // Every chart is an image with a name and a description, followed by its table.
  const charts = page.locator('svg[role="img"]');
  assert.equal(await charts.count(), 4);
  for (let i = 0; i < 4; i += 1) {
    const labelled = await charts.nth(i).getAttribute('aria-labelledby');
    for (const id of labelled.split(' ')) assert.equal(await page.locator(`#${id}`).count(), 1);
    assert.equal(await charts.nth(i).evaluate((svg) => svg.parentElement.querySelector('svg + div table') !== null), true);
  }
  // Printing leaves out the navigation and keeps the charts.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.govuk-service-navigation').isVisible(), false);
  assert.equal(await charts.first().isVisible(), true);
  await page.emulateMedia({ media: 'screen' });

  await page.goto(`${server.base}/surveys`);
  await expectAccessible(page, 'surveys-list');
  await context.close();
});

test('a person completes a short survey with the keyboard alone, and every page passes the checks', async () => {
  const staff = await browser.newContext();
  const staffPage = await staff.newPage();
  await signIn(staffPage, server.base);
  const { publicPath } = await createSurvey(staffPage, shortSurvey);
  await staff.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  // The Easy Read version first: it passes the checks and its Start button starts the survey.
  await page.goto(`${server.base}${publicPath}/easy-read`);
  await expectAccessible(page, 'surveys-public-easy-read');
  await page.goto(`${server.base}${publicPath}`);
  await expectAccessible(page, 'surveys-public-start');
  await press(page, 'button.govuk-button--start');

  await expectAccessible(page, 'surveys-public-page-1');
  await press(page, 'main button[value="continue"]');
  await expectErrorSummary(page, 'surveys-public-page-1-errors');
  await expectAccessible(page, 'surveys-public-page-1-errors');
  await choose(page, 'carer', 'carer');
  await press(page, 'main button[value="continue"]');

  assert.match(await page.locator('#progress').innerText(), /Page 2 of 3/);
  await type(page, '#since-day', '30');
  await type(page, '#since-month', '2');
  await type(page, '#since-year', '2019');
  await type(page, '#hours', 'lots');
  await press(page, 'main button[value="continue"]');
  await expectErrorSummary(page, 'surveys-public-page-2-errors');
  await expectAccessible(page, 'surveys-public-page-2-errors');
  assert.match(await page.locator('.govuk-error-summary').innerText(), /The date must be a real date/);
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a number, like 12 or 3.5/);
  await type(page, '#since-day', '28');
  await type(page, '#hours', '35');
  await press(page, 'main button[value="continue"]');

  await type(page, '#idea', 'Someone I trust to step in.');
  await press(page, 'main button[value="continue"]');
  await expectAccessible(page, 'surveys-public-check');
  assert.match(await page.locator('main').innerText(), /28 February 2019/);
  await press(page, 'main button[type="submit"]');
  await expectAccessible(page, 'surveys-public-confirmation');
  assert.match(await page.locator('h1').innerText(), /Your answers have been sent/);
  await context.close();
});

test('save and come back later, the resume page and a closed survey pass the checks', async () => {
  const staff = await browser.newContext();
  const staffPage = await staff.newPage();
  await signIn(staffPage, server.base);
  const { staffUrl, publicPath } = await createSurvey(staffPage, shortSurvey);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}${publicPath}`);
  await press(page, 'button.govuk-button--start');
  await choose(page, 'carer', 'carer-no');
  await press(page, 'main button[value="save"]');
  await expectAccessible(page, 'surveys-public-saved');
  const code = await page.locator('#resume-code').innerText();
  await context.close();

  const later = await browser.newContext();
  const again = await later.newPage();
  await again.goto(`${server.base}${publicPath}/resume`);
  await expectAccessible(again, 'surveys-public-resume');
  await type(again, '#code', 'WRONG');
  await press(again, 'main button[type="submit"]');
  await expectErrorSummary(again, 'surveys-public-resume-errors');
  await expectAccessible(again, 'surveys-public-resume-errors');
  await type(again, '#code', code.toLowerCase());
  await press(again, 'main button[type="submit"]');
  // Back on the page where they saved, with the answer kept.
  assert.ok(await again.locator('#carer-no').isChecked());

  await staffPage.goto(staffUrl);
  await Promise.all([staffPage.waitForNavigation(), staffPage.click('form[action$="/status"] button')]);
  await again.goto(`${server.base}${publicPath}`);
  await expectAccessible(again, 'surveys-public-closed');
  assert.match(await again.locator('h1').innerText(), /This survey has closed/);
  await later.close();
  await staff.close();
});

test('every page of the built-in survey passes the checks, including the errors and the revealed field', async () => {
  const staff = await browser.newContext();
  const staffPage = await staff.newPage();
  await signIn(staffPage, server.base);
  const { publicPath } = await createSurvey(staffPage);
  await staff.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}${publicPath}`);
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button--start')]);
  const next = () => Promise.all([page.waitForNavigation(), page.click('main button[value="continue"]')]);
  await next();
  await expectErrorSummary(page, 'surveys-template-1-errors');
  await expectAccessible(page, 'surveys-template-1-errors');
  await page.check('#group-workforce');
  await next();
  await expectAccessible(page, 'surveys-template-2');
  await page.check('#role-supervisor');
  await next();
  await expectAccessible(page, 'surveys-template-3');
  await page.check('#heard-no');
  await next();
  await expectAccessible(page, 'surveys-template-5');
  assert.equal(await page.locator('#barriers_other').isVisible(), false, 'the other field waits until Something else is ticked');
  await page.check('#barriers-other');
  assert.equal(await page.locator('#barriers_other').isVisible(), true);
  await next();
  await expectErrorSummary(page, 'surveys-template-5-errors');
  await expectAccessible(page, 'surveys-template-5-errors');
  await page.fill('#barriers_other', 'Rotas');
  await next();
  await expectAccessible(page, 'surveys-template-6');
  await page.check('#confidence-7');
  await page.check('#views-listened-agree');
  await next();
  await expectAccessible(page, 'surveys-template-7');
  await next();
  await expectAccessible(page, 'surveys-template-check');
  await context.close();
});

test('a bilingual survey is answered in Welsh with the keyboard, and its pages and findings pass the checks', async () => {
  const bilingual = {
    format: 'coproduce-survey/1',
    id: 'caring',
    title: 'Caring',
    languages: [{ code: 'en', name: 'English' }, { code: 'cy', name: 'Cymraeg' }],
    questions: [
      {
        code: 'carer', type: 'yes_no', page: 1, text: 'Do you look after someone?', validation: { required: true },
        translations: { cy: { text: "Ydych chi'n gofalu am rywun?", required_message: "Dewiswch a ydych chi'n gofalu am rywun" } },
        options: [{ code: 'yes', label: 'Yes', translations: { cy: { label: 'Ydw' } } }, { code: 'no', label: 'No', translations: { cy: { label: 'Nac ydw' } } }],
      },
      { code: 'idea', type: 'long_text', page: 2, text: 'What would help?', translations: { cy: { text: 'Beth fyddai’n helpu?' } } },
    ],
  };
  const staff = await browser.newContext();
  const staffPage = await staff.newPage();
  await signIn(staffPage, server.base);
  const { staffUrl, publicPath } = await createSurvey(staffPage, bilingual);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}${publicPath}`);
  await expectAccessible(page, 'surveys-bilingual-start');
  await choose(page, 'language', 'language-cy');
  await press(page, 'button.govuk-button--start');

  assert.equal(await page.locator('legend').getAttribute('lang'), 'cy');
  assert.match(await page.locator('legend').innerText(), /Ydych chi'n gofalu am rywun\?/);
  await expectAccessible(page, 'surveys-bilingual-page-1');
  await press(page, 'main button[value="continue"]');
  await expectErrorSummary(page, 'surveys-bilingual-page-1-errors');
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Dewiswch a ydych chi'n gofalu am rywun/);
  await expectAccessible(page, 'surveys-bilingual-page-1-errors');
  await choose(page, 'carer', 'carer');
  await press(page, 'main button[value="continue"]');
  assert.equal(await page.locator('label[for="idea"]').getAttribute('lang'), 'cy');
  await press(page, 'main button[value="continue"]');
  await expectAccessible(page, 'surveys-bilingual-check');
  await press(page, 'main button[type="submit"]');
  await context.close();

  await staffPage.goto(`${staffUrl}/findings`);
  await expectAccessible(staffPage, 'surveys-bilingual-findings');
  assert.match(await staffPage.locator('main').innerText(), /Sent responses by the language they were answered in/);
  await staff.close();
});
