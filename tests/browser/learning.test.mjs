// Co-production learning in Chromium, on the demonstration data (a made-up
// workforce, three modules, requirements, co-trainers and sessions):
//
// - every learning page passes axe-core's WCAG 2.2 A and AA rules as the role
//   that uses it, forms showing their errors, and the ASC-WDS import's preview
//   and problem pages;
// - a worker completes the starter module and its knowledge check with the
//   keyboard alone, and a wrong attempt shows feedback on every answer;
// - recording a completion and the knowledge check work without JavaScript;
// - each coverage chart is followed by its data table, the date boxes change
//   the figures, and a date that does not exist is an error linked to the day box;
// - error summary links move focus to their field.
//
// Screenshots of each page go to tests/browser/artifacts/learning-*.png.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { api, startServer as startOn } from '../support/server.mjs';
import {
  errorLinks, expectAccessible, expectErrorSummary, expectFormErrors, mainText, pressAndWait, submit, visitClean, launchBrowser, root, run, screenshot, signIn, focused, tabTo,
} from './harness.mjs';

let dir;
let server;
let browser;
let organisation;
let password;
let token; // the learning lead's API token
let starter; // the starter module: { id, title }
let starterContent; // src/learning/starter_module.json
const pages = {}; // a signed-in page for each role

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-learning-'));
  const db = path.join(dir, 'demo.db');
  const out = await run(['demo', '--database', db]);
  password = out.trim().split('\n').at(-1).trim();
  organisation = out.match(/demonstration data for (.+) into /)[1];
  token = (await run(['admin', 'create-token', '--database', db, '--email', 'demo-learning@example.org']))
    .trim().split('\n').at(-1);
  starterContent = JSON.parse(await readFile(path.join(root, 'src', 'learning', 'starter_module.json'), 'utf8'));
  server = await startOn({ db, dir: path.join(dir, 'server') });
  const { modules } = await (await api(server, token, 'GET', '/api/v1/learning/modules')).json();
  starter = modules[0];
  assert.ok(starter.starter, 'the first module is the starter module');
  browser = await launchBrowser();
  for (const [role, email] of [['admin', 'demo-admin'], ['learning', 'demo-learning'], ['lead', 'demo-lead'],
    ['analyst', 'demo-analyst'], ['learner', 'demo-learner']]) {
    pages[role] = await (await browser.newContext()).newPage();
    await signIn(pages[role], server.base, { email: `${email}@example.org`, password });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// --- helpers ------------------------------------------------------------------------

// Page checks from the harness, with this file's screenshot names.
const visit = (page, url, name) => visitClean(page, server.base + url, `learning-${name}`);
const expectErrors = (page, name) => expectFormErrors(page, `learning-${name}`);
const main = mainText;

// A knowledge check question's option, by question number (from 1) and option index (from 0).
const option = (q, i) => `input[name="question-${q}"][value="${i}"]`;

const correctOptions = (q) => q.options.flatMap((o, i) => (o.correct ? [i] : []));

// Coverage figures from the API.
async function coverage(date) {
  const res = await api(server, token, 'GET', `/api/v1/learning/coverage${date ? `?date=${date}` : ''}`);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

async function addWorker(worker) {
  const res = await api(server, token, 'POST', '/api/v1/learning/workers', {
    role_category: 'care_worker', closeness: 'direct_care', workplace: 'Brightwater Home Care', team: 'Day team',
    started_on: '2025-01-06', care_certificate: 'in_progress', ...worker,
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

// The status tag in a worker page's module table, for the module titled `title`.
async function moduleStatus(page, title) {
  const row = page.locator('caption#modules-caption ~ tbody tr', { hasText: title });
  return (await row.locator('.govuk-tag').innerText()).trim();
}

// --- 1. every page passes axe, as the role that uses it -------------------------------

test('the workforce pages and their forms, with errors, pass WCAG 2.2 AA as a learning lead', async () => {
  const page = pages.learning;
  await visit(page, '/learning', 'home-learning-lead');
  assert.match(await main(page), /Workforce/, 'a learning lead is shown the workforce');
  await visit(page, '/learning/workers', 'workers');
  await visit(page, '/learning/workers?q=Demo+Learner&current=1', 'workers-search');
  assert.equal(await page.locator('caption#workers-caption ~ tbody a').count(), 1, 'the search finds one worker');
  await visit(page, '/learning/workers?q=nobody-has-this-name', 'workers-search-none');
  assert.match(await main(page), /No one matches/);
  await visit(page, '/learning/workers?page=2', 'workers-page-2');
  const pagination = page.locator('nav.govuk-pagination');
  assert.equal(await pagination.locator('a[rel="prev"]').getAttribute('href'), '/learning/workers?q=&role_category=&page=1');
  assert.match(await pagination.locator('a[rel="next"]').innerText(), /Next/);
  await Promise.all([page.waitForNavigation(), pagination.locator('a[rel="next"]').click()]);
  assert.match(await page.locator('caption#workers-caption').innerText(), /Staff: 101 to 150 of \d+/);

  // Adding a worker: empty, then a date that does not exist, then right.
  await visit(page, '/learning/workers/new', 'worker-new');
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'worker-new-errors');
  await page.fill('#worker_id', 'BW-T1');
  await page.fill('#name', 'Tess Tabb');
  await page.check('#role_category-care_worker');
  await page.check('#closeness-direct_care');
  await page.fill('#started_on-day', '31');
  await page.fill('#started_on-month', '2');
  await page.fill('#started_on-year', '2025');
  await page.fill('#email', 'not an email');
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'worker-new-bad-date');
  assert.ok((await errorLinks(page)).includes('#started_on'), 'the impossible start date is named');
  assert.equal(await page.inputValue('#started_on-day'), '31', 'what was typed is kept');
  await page.fill('#started_on-day', '28');
  await page.fill('#email', 'tess.tabb@example.org');
  await submit(page, 'main form button[type="submit"]');
  assert.match(new URL(page.url()).pathname, /^\/learning\/workers\/\d+$/, 'the new worker is saved');
  const tess = new URL(page.url()).pathname;
  await expectAccessible(page, 'learning-worker-new-saved');

  // Changing their details, with an error.
  await visit(page, `${tess}/edit`, 'worker-edit');
  await page.fill('#name', '');
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'worker-edit-errors');

  // The worker's page: recording a completion with errors, and inviting them.
  await visit(page, tess, 'worker');
  await page.fill('#completed_on-day', '');
  await page.fill('#completed_on-month', '');
  await page.fill('#completed_on-year', '');
  await submit(page, `form[action="${tess}/completions"] button`);
  await expectErrors(page, 'worker-completion-errors');
  await page.fill('#completed_on-day', '30');
  await page.fill('#completed_on-month', '2');
  await page.fill('#completed_on-year', '2025');
  await submit(page, `form[action="${tess}/completions"] button`);
  await expectErrors(page, 'worker-completion-bad-date');
  assert.ok((await errorLinks(page)).includes('#completed_on'), 'the impossible completion date is named');
  await page.goto(server.base + tess);
  await submit(page, `form[action="${tess}/invite"] button`);
  assert.match(await main(page), /one-time link to set up their learner account/);
  await expectAccessible(page, 'learning-worker-invited');

  // Someone whose email address already has an account cannot be invited:
  // the error's link takes focus to the learner account section.
  const clash = await addWorker({ worker_id: 'BW-T2', name: 'Ana Lyst', email: 'demo-analyst@example.org' });
  await page.goto(`${server.base}/learning/workers/${clash.id}`);
  await submit(page, `form[action="/learning/workers/${clash.id}/invite"] button`);
  await expectErrors(page, 'worker-invite-error');
  assert.deepEqual(await errorLinks(page), ['#invite']);
  await page.locator('.govuk-error-summary a').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'invite', 'the link moves focus to the section');

  // Erasing them.
  await visit(page, `${tess}/erase`, 'worker-erase');
  await submit(page, `form[action="${tess}/erase"] button`);
  assert.match(await main(page), /record has been erased/);
  await expectAccessible(page, 'learning-worker-erased');
});

test('modules, requirements and coverage pass WCAG 2.2 AA for every role that sees them', async () => {
  for (const role of ['admin', 'learning', 'lead', 'analyst']) {
    const page = pages[role];
    await visit(page, '/learning', `home-${role}`);
    await visit(page, '/learning/coverage', `coverage-${role}`);
    await visit(page, '/learning/modules', `modules-${role}`);
    await visit(page, `/learning/modules/${starter.id}`, `module-${role}`);
    await visit(page, '/learning/requirements', `requirements-${role}`);
  }
  for (const role of ['lead', 'analyst']) {
    await pages[role].goto(`${server.base}/learning`);
    assert.doesNotMatch(await main(pages[role]), /Workforce/, `a ${role} is not shown the workforce`);
    await pages[role].goto(`${server.base}/learning/requirements`);
    assert.equal(await pages[role].locator('form[action="/learning/requirements"]').count(), 0,
      `a ${role} sees the figures only`);
  }
  // The modules that are not e-learning.
  const { modules } = await (await api(server, token, 'GET', '/api/v1/learning/modules')).json();
  for (const m of modules.slice(1)) await visit(pages.learning, `/learning/modules/${m.id}`, `module-${m.id}`);

  // Adding a requirement: empty, then out of range.
  const page = pages.learning;
  await page.goto(`${server.base}/learning/requirements`);
  await page.fill('#within_days', '');
  await submit(page, 'form[action="/learning/requirements"] button');
  await expectErrors(page, 'requirements-errors');
  await page.selectOption('#module_id', String(starter.id));
  await page.selectOption('#role_category', 'registered_manager');
  await page.fill('#within_days', '99999');
  await submit(page, 'form[action="/learning/requirements"] button');
  await expectErrors(page, 'requirements-out-of-range');
  assert.deepEqual(await errorLinks(page), ['#within_days']);
});

test('the ASC-WDS import: the form, its errors, a preview, problems, and the result pass WCAG 2.2 AA', async () => {
  const page = pages.learning;
  const files = path.join(dir, 'export');
  await run(['learning', 'export', '--database', server.db, '--organisation', organisation, '--output-dir', files]);

  await visit(page, '/learning/import', 'import');
  await submit(page, 'form[action="/learning/import"] button');
  await expectErrors(page, 'import-errors');
  assert.deepEqual(await errorLinks(page), ['#workers']);

  // A good pair of files: the preview.
  await page.setInputFiles('#workers', path.join(files, 'workers.csv'));
  await page.setInputFiles('#training', path.join(files, 'training.csv'));
  await submit(page, 'form[action="/learning/import"] button');
  assert.match(await page.locator('h1').innerText(), /Check the import/);
  assert.match(await main(page), /Workers to update/);
  await expectAccessible(page, 'learning-import-preview');

  // Confirming it: back to the workforce, saying what was done.
  await submit(page, 'form[action="/learning/import/confirm"] button');
  assert.equal(new URL(page.url()).pathname, '/learning/workers');
  assert.match(await main(page), /The ASC-WDS files were imported: 0 workers added/);
  await expectAccessible(page, 'learning-import-done');

  // A worker file with problems: nothing changes and each problem is listed.
  const workers = await readFile(path.join(files, 'workers.csv'), 'utf8');
  const lines = workers.trimEnd().split('\n');
  const header = lines[0].split(',');
  const bad = lines[1].split(',');
  const dateColumn = header.findIndex((h) => /STARTDATE/i.test(h));
  assert.ok(dateColumn >= 0, `the worker file has a start date column: ${lines[0]}`);
  bad[dateColumn] = '31/02/2024';
  const badFile = path.join(dir, 'bad-workers.csv');
  await writeFile(badFile, `${lines[0]}\n${bad.join(',')}\n`);
  await page.goto(`${server.base}/learning/import`);
  await page.setInputFiles('#workers', badFile);
  await submit(page, 'form[action="/learning/import"] button');
  await expectErrors(page, 'import-problems');
  assert.match(await page.locator('.govuk-error-summary').innerText(), /The files were not imported/);
  assert.match(await page.locator('caption#problems-caption ~ tbody').innerText(),
    /bad-workers\.csv, line 2.*STARTDATE 31\/02\/2024 is not a real date/s, 'the problem says where and what');
  await page.locator('.govuk-error-summary a').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'problems', 'the summary link moves focus to the problems');
});

test('the live session pages, and their forms with errors, pass WCAG 2.2 AA', async () => {
  for (const role of ['learning', 'lead']) {
    const page = pages[role];
    await visit(page, '/learning/sessions', `sessions-${role}`);
    const first = await page.locator('caption#sessions-caption ~ tbody a').first().getAttribute('href');
    assert.ok(first, 'the demonstration has sessions');
    await visit(page, first, `session-${role}`);
    await visit(page, '/learning/sessions/new', `session-new-${role}`);
  }
  const page = pages.lead;
  await page.goto(`${server.base}/learning/sessions/new`);
  await submit(page, 'form[action="/learning/sessions"] button');
  await expectErrors(page, 'session-new-errors');
  // A session planned properly, then booking with a worker ID that does not exist.
  await page.selectOption('#module_id', String(starter.id));
  await page.selectOption('#group_id', { index: 1 });
  await page.fill('#title', 'Working in co-production, together');
  await page.fill('#day', '12');
  await page.fill('#month', '3');
  await page.fill('#year', String(new Date().getFullYear() + 1));
  await page.fill('#time', '10:00');
  await page.fill('#duration_minutes', '120');
  await page.fill('#place', 'Brightwater Library, Room 2');
  await page.fill('#trainers', '2');
  await submit(page, 'form[action="/learning/sessions"] button');
  assert.match(new URL(page.url()).pathname, /^\/learning\/sessions\/\d+$/, `the session is planned: ${await main(page)}`);
  await expectAccessible(page, 'learning-session-planned');
  const href = new URL(page.url()).pathname;
  await submit(page, `form[action="${href}/book"] button`);
  await expectErrors(page, 'session-book-none');
  await page.fill('#worker_ids', 'NO-SUCH-ID');
  await submit(page, `form[action="${href}/book"] button`);
  await expectErrors(page, 'session-book-unknown');
  assert.deepEqual(await errorLinks(page), ['#worker_ids']);
  await page.fill('#worker_ids', 'BW0001');
  await submit(page, `form[action="${href}/book"] button`);
  assert.match(await main(page), /1 person was booked/);
  await expectAccessible(page, 'learning-session-booked');
});

// --- 2. a learner, by keyboard ----------------------------------------------------------

test('a wrong attempt at the knowledge check shows feedback on every answer and "Not passed yet"', async () => {
  const page = pages.learner;
  await visit(page, '/my-learning', 'mine-before');
  await visit(page, `/my-learning/${starter.id}`, 'start-before');
  await visit(page, `/my-learning/${starter.id}/easy-read`, 'easy-read');
  await visit(page, `/my-learning/${starter.id}/check`, 'check');
  const legends = await page.locator('main legend').allInnerTexts();
  assert.deepEqual(legends.map((l) => l.replace(/^\d+\.\s*/, '').trim()), starterContent.questions.map((q) => q.text),
    'the demonstration module asks the starter module\'s questions');

  // Sending nothing: every question is named.
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'check-errors');
  assert.equal((await errorLinks(page)).length, starterContent.questions.length, 'each unanswered question is listed');
  await page.locator('.govuk-error-summary a[href="#question-3"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'question-3',
    'an error summary link puts focus on the question\'s first answer');

  // A wrong answer to every question.
  const chosen = [];
  for (const [n, q] of starterContent.questions.entries()) {
    const wrong = q.options.findIndex((o) => !o.correct);
    await page.check(option(n + 1, wrong));
    chosen.push(q.options[wrong]);
  }
  await submit(page, 'main form button[type="submit"]');
  assert.equal(await page.locator('h1').innerText(), 'Not passed yet');
  const text = await main(page);
  assert.match(text, new RegExp(`You got 0 out of ${starterContent.questions.length} right`));
  for (const o of chosen) {
    assert.ok(text.includes(`You chose: ${o.text}\n${o.feedback}`), `the feedback on "${o.text}" is shown beneath it`);
  }
  assert.doesNotMatch(text, /\.\./, 'no doubled full stops after answers that end in one');
  for (const q of starterContent.questions) {
    for (const r of correctOptions(q)) assert.ok(text.includes(q.options[r].text), 'each right answer is given');
  }
  assert.equal(await page.locator('main .govuk-tag', { hasText: 'Not right' }).count(), starterContent.questions.length,
    'every answer is marked not right');
  await expectAccessible(page, 'learning-result-not-passed');
});

test('a worker completes the starter module and its knowledge check with the keyboard alone', async () => {
  const before = await coverage();
  const lead = pages.learning;
  const { workers } = await (await api(server, token, 'GET', '/api/v1/learning/workers?q=Demo+Learner')).json();
  const worker = `/learning/workers/${workers[0].id}`;
  await lead.goto(server.base + worker);
  assert.notEqual(await moduleStatus(lead, starter.title), 'Done', 'the worker has not done the module yet');

  const page = pages.learner;
  await page.goto(`${server.base}/my-learning`);
  await tabTo(page, `main a[href="/my-learning/${starter.id}"]`);
  await pressAndWait(page, 'Enter');
  assert.equal(await page.locator('h1').innerText(), starter.title);
  await tabTo(page, 'main a.govuk-button--start');
  await pressAndWait(page, 'Enter');

  const count = starterContent.pages.length;
  for (let n = 1; n <= count; n++) {
    assert.equal(new URL(page.url()).pathname, `/my-learning/${starter.id}/pages/${n}`);
    assert.match(await page.locator('.govuk-caption-l').innerText(), new RegExp(`page ${n} of ${count}`));
    assert.equal(await page.locator('h1').innerText(), starterContent.pages[n - 1].title);
    await expectAccessible(page, `learning-page-${n}`);
    await tabTo(page, 'main form button[type="submit"]');
    // Enter on some pages, Space on the others: both press a button.
    await pressAndWait(page, n % 2 ? 'Enter' : 'Space');
  }

  assert.equal(new URL(page.url()).pathname, `/my-learning/${starter.id}/check`, 'the last page leads to the check');
  for (const [i, q] of starterContent.questions.entries()) {
    const n = i + 1;
    const right = correctOptions(q);
    if (q.multiple) {
      // Checkboxes: Tab to each right answer and press Space.
      for (const r of right) {
        await tabTo(page, option(n, r));
        await page.keyboard.press('Space');
        assert.ok(await page.locator(option(n, r)).isChecked(), `question ${n}: option ${r + 1} is ticked`);
      }
    } else {
      // Radios: Tab reaches the group, the arrow keys move the choice.
      await tabTo(page, `input[name="question-${n}"]`);
      for (let k = 0; k < q.options.length && (await focused(page)).value !== String(right[0]); k++) {
        await page.keyboard.press('ArrowDown');
      }
      assert.equal((await focused(page)).value, String(right[0]), `question ${n}: the arrow keys reach the right answer`);
      await page.keyboard.press('Space');
      assert.ok(await page.locator(option(n, right[0])).isChecked(), `question ${n}: the right answer is chosen`);
    }
  }
  await tabTo(page, 'main form button[type="submit"]');
  await pressAndWait(page, 'Enter');
  assert.equal(await page.locator('h1').innerText(), 'You passed');
  assert.match(await main(page), new RegExp(`You got ${starterContent.questions.length} out of ${starterContent.questions.length} right`));
  await expectAccessible(page, 'learning-result-passed');

  await tabTo(page, `main a[href="/my-learning/${starter.id}/certificate"]`);
  await pressAndWait(page, 'Enter');
  assert.equal(await page.locator('h1').innerText(), workers[0].name, 'the certificate names the worker');
  assert.match(await main(page), new RegExp(starter.title));
  await expectAccessible(page, 'learning-certificate');
  await visit(page, '/my-learning', 'mine-after');
  await visit(page, `/my-learning/${starter.id}`, 'start-after');
  assert.match(await main(page), /Passed/, 'the attempts table shows the pass');

  // The learning lead sees it done, and the coverage counts it.
  await lead.goto(server.base + worker);
  assert.equal(await moduleStatus(lead, starter.title), 'Done');
  assert.match(await lead.locator('caption#completions-caption ~ tbody').innerText(), new RegExp(starter.title));
  const afterwards = await coverage();
  assert.equal(afterwards.completed, before.completed + 1, 'the coverage counts one more person complete');
  const direct = (c) => c.by_closeness.find((r) => r.closeness === workers[0].closeness).completed;
  assert.equal(direct(afterwards), direct(before) + 1, 'and one more close to direct care');
});

// --- 3. without JavaScript -----------------------------------------------------------------

test('recording a completion and taking the knowledge check work without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signIn(page, server.base, { email: 'demo-learning@example.org', password });
    const w = await addWorker({ worker_id: 'BW-NOJS', name: 'Nadia Noscript' });
    const href = `/learning/workers/${w.id}`;
    await page.goto(server.base + href);
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no script ran');
    assert.notEqual(await moduleStatus(page, starter.title), 'Done');
    await submit(page, `form[action="${href}/completions"] button`);
    // axe-core cannot run with JavaScript off; these pages pass it above.
    await expectErrorSummary(page, 'learning-no-js-completion-errors');
    await page.selectOption('#module_id', String(starter.id));
    // A date a month ago: a completion may not be in the future.
    const day = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    await page.fill('#completed_on-day', String(day.getUTCDate()));
    await page.fill('#completed_on-month', String(day.getUTCMonth() + 1));
    await page.fill('#completed_on-year', String(day.getUTCFullYear()));
    await page.fill('#provider', 'Brightwater Council');
    await submit(page, `form[action="${href}/completions"] button`);
    assert.equal(new URL(page.url()).pathname, href);
    assert.equal(await moduleStatus(page, starter.title), 'Done');
    const written = day.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    assert.match(await page.locator('caption#completions-caption ~ tbody').innerText(), new RegExp(written));
    await screenshot(page, 'learning-no-js-completion');

    const learner = await context.newPage();
    await context.clearCookies();
    await signIn(learner, server.base, { email: 'demo-learner@example.org', password });
    // "Continue" on a page is a form, so it works too.
    await learner.goto(`${server.base}/my-learning/${starter.id}/pages/1`);
    await submit(learner, 'main form button[type="submit"]');
    assert.equal(new URL(learner.url()).pathname, `/my-learning/${starter.id}/pages/2`);
    await learner.goto(`${server.base}/my-learning/${starter.id}/check`);
    await submit(learner, 'main form button[type="submit"]');
    await expectErrorSummary(learner, 'learning-no-js-check-errors');
    for (const [i, q] of starterContent.questions.entries()) {
      for (const r of correctOptions(q)) await learner.check(option(i + 1, r));
    }
    await submit(learner, 'main form button[type="submit"]');
    assert.equal(await learner.locator('h1').innerText(), 'You passed');
    await screenshot(learner, 'learning-no-js-passed');
  } finally {
    await context.close();
  }
});

// --- 4. the coverage page ------------------------------------------------------------------

test('each coverage chart is followed by its data table, and the date boxes change the figures', async () => {
  const page = pages.learning;
  await page.goto(`${server.base}/learning/coverage`);
  const charts = await page.locator('main svg[role="img"]').evaluateAll((svgs) => svgs.map((svg) => {
    const next = svg.nextElementSibling;
    const table = next?.matches('table') ? next : next?.querySelector(':scope > table');
    return {
      title: svg.querySelector('title')?.textContent,
      labels: [...svg.querySelectorAll('.app-chart__label')].map((t) => t.textContent.trim()),
      rows: table ? [...table.querySelectorAll('tbody tr')].map((tr) => tr.cells[0].textContent.trim()) : null,
    };
  }));
  assert.ok(charts.length >= 2, 'the page has charts by closeness and by role category');
  for (const c of charts) {
    assert.ok(c.rows, `the chart "${c.title}" is followed by a data table`);
    assert.ok(c.labels.length > 0, `the chart "${c.title}" has bars`);
    assert.deepEqual(c.rows, c.labels, `the table after "${c.title}" has the same groups, in the same order`);
  }

  const figures = () => page.locator('main dl.govuk-summary-list').first().innerText();
  const today = await figures();
  await page.fill('#day', '1');
  await page.fill('#month', '1');
  await page.fill('#year', '2025');
  await submit(page, 'form[action="/learning/coverage"] button');
  assert.match(await page.locator('main h2').first().innerText(), /On 1 January 2025/);
  const then = await figures();
  assert.notEqual(then, today, 'the figures change with the date');
  const api2025 = await coverage('2025-01-01');
  assert.match(then, new RegExp(`Staff with required learning\\s+${api2025.workers}\\b`));
  assert.match(then, new RegExp(`Completed all of it\\s+${api2025.completed}\\b`));
  await expectAccessible(page, 'learning-coverage-2025');

  await page.fill('#day', '30');
  await page.fill('#month', '2');
  await page.fill('#year', '2025');
  await submit(page, 'form[action="/learning/coverage"] button');
  await expectErrors(page, 'coverage-bad-date');
  assert.deepEqual(await errorLinks(page), ['#day'], 'the error is linked to the day box');
  assert.equal(await page.inputValue('#day'), '30', 'what was typed is kept');
  await page.locator('.govuk-error-summary a').first().click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'day', 'the link puts focus in the day box');
});

// --- 5. error summary links move focus ----------------------------------------------------

test('each error summary link on the worker form moves focus to its field', async () => {
  const page = pages.learning;
  await page.goto(`${server.base}/learning/workers/new`);
  await page.fill('#started_on-day', '40');
  await page.fill('#started_on-month', '1');
  await page.fill('#started_on-year', '2025');
  await submit(page, 'main form button[type="submit"]');
  await expectErrorSummary(page, 'learning-worker-new-focus');
  assert.ok(await page.locator('.govuk-error-summary').evaluate((el) => el.contains(document.activeElement)),
    'the error summary has focus when the page opens');
  const hrefs = await errorLinks(page);
  for (const field of ['#worker_id', '#name', '#role_category', '#closeness', '#started_on']) {
    assert.ok(hrefs.includes(field), `the summary names ${field}: ${hrefs.join(' ')}`);
  }
  for (const href of hrefs) {
    await page.locator(`.govuk-error-summary a[href="${href}"]`).click();
    assert.equal(await page.evaluate(() => `#${document.activeElement.id}`), href, `following ${href} focuses its field`);
  }
});

// --- details left out when empty, and every error at once ---------------------------

// Details a page does not have are left out, not shown empty: summary list
// rows with no value, "(for example )", "Ignored: .", a label ending in ":".
test('pages leave out details that are not there rather than showing them empty', async () => {
  let page = pages.learning;
  const problems = [];
  async function look(url, setUp) {
    if (setUp) await setUp();
    else await page.goto(server.base + url);
    const empty = await page.locator('main .govuk-summary-list__row').evaluateAll((rows) => rows
      .filter((row) => row.querySelector('.govuk-summary-list__value')?.textContent.trim() === '')
      .map((row) => row.querySelector('.govuk-summary-list__key')?.textContent.trim()));
    for (const key of empty) problems.push(`${url}: the "${key}" row is empty`);
    const hanging = (await page.locator('main label').allInnerTexts()).filter((l) => /:\s*$/.test(l));
    if (hanging.length) problems.push(`${url}: ${hanging.length} label(s) end in ":", like "${hanging[0]}"`);
    const text = await main(page);
    for (const pattern of [/\(for example \)/, /: \./, /\(\)/]) {
      if (pattern.test(text)) problems.push(`${url}: "${text.match(new RegExp(`.{0,40}${pattern.source}`))[0]}"`);
    }
  }
  await page.goto(`${server.base}/learning/sessions`);
  for (const href of await page.locator('caption#sessions-caption ~ tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    await look(href);
  }
  const { workers } = await (await api(server, token, 'GET', '/api/v1/learning/workers?limit=5')).json();
  for (const w of workers) await look(`/learning/workers/${w.id}`);
  const { modules } = await (await api(server, token, 'GET', '/api/v1/learning/modules')).json();
  for (const m of modules) await look(`/learning/modules/${m.id}`);
  const files = path.join(dir, 'export-again');
  await run(['learning', 'export', '--database', server.db, '--organisation', organisation, '--output-dir', files]);
  await look('/learning/import (the preview)', async () => {
    await page.goto(`${server.base}/learning/import`);
    await page.setInputFiles('#workers', path.join(files, 'workers.csv'));
    await page.setInputFiles('#training', path.join(files, 'training.csv'));
    await submit(page, 'form[action="/learning/import"] button');
  });
  // A certificate for a module that does not need refreshing.
  const live = modules.find((m) => m.refresh_months === null);
  const learner = (await (await api(server, token, 'GET', '/api/v1/learning/workers?q=BW0001')).json()).workers[0];
  const day = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const recorded = await api(server, token, 'POST', `/api/v1/learning/workers/${learner.id}/completions`,
    { module_id: live.id, completed_on: day, provider: 'Brightwater Council', how_delivered: 'Face to face' });
  assert.equal(recorded.status, 201, await recorded.clone().text());
  page = pages.learner;
  await look(`/my-learning/${live.id}`);
  await look(`/my-learning/${live.id}/certificate`);
  assert.deepEqual(problems, [], `details shown empty:\n  ${problems.join('\n  ')}`);
});

// GOV.UK's pattern, and the conventions: every error is in the error
// summary, so a person mends them all in one go, not one per try.
test('a form sent empty names every problem at once', async () => {
  const page = pages.learning;
  const problems = [];
  async function expectAll(what, wanted) {
    const links = await errorLinks(page);
    const missing = wanted.filter((href) => !links.includes(href));
    if (missing.length) problems.push(`${what}: the summary lists ${links.join(' ')} but not ${missing.join(' ')}`);
  }
  await page.goto(`${server.base}/learning/requirements`);
  await page.fill('#within_days', '');
  await submit(page, 'form[action="/learning/requirements"] button');
  await expectAll('adding a requirement', ['#module_id', '#role_category', '#within_days']);

  const w = await addWorker({ worker_id: 'BW-EMPTY', name: 'Evan Empty' });
  const href = `/learning/workers/${w.id}`;
  await page.goto(server.base + href);
  for (const box of ['day', 'month', 'year']) await page.fill(`#completed_on-${box}`, '');
  await submit(page, `form[action="${href}/completions"] button`);
  await expectAll('recording a completion', ['#module_id', '#completed_on']);

  await page.goto(`${server.base}/learning/sessions/new`);
  await submit(page, 'form[action="/learning/sessions"] button');
  await expectAll('planning a session', ['#module_id', '#group_id', '#title', '#day', '#time']);
  assert.deepEqual(problems, [], `forms that name one problem at a time:\n  ${problems.join('\n  ')}`);
});

// --- 4. a learner in Welsh ---------------------------------------------------------------

// The learner's pages in Welsh: marked lang="cy" (the module's own words
// too, from its Welsh translation) and accessible as they are in English. Runs
// last: the learner completed the starter module above, so their
// certificate is there too. A context of its own keeps the language cookie
// from the other tests.
test('a learner\'s pages in Welsh, the check\'s errors and results included, pass WCAG 2.2 AA', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, server.base, { email: 'demo-learner@example.org', password });
    await page.goto(`${server.base}/language/cy?return=/my-learning`);
    const welsh = async (url, name, heading) => {
      await visit(page, url, `welsh-${name}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'cy', url);
      if (heading) assert.equal(await page.locator('main h1').innerText(), heading, url);
    };
    await welsh('/my-learning', 'mine', 'Eich dysgu');
    const cy = starterContent.translations.cy;
    await welsh(`/my-learning/${starter.id}`, 'start', cy.title);
    assert.equal(await page.locator('main h1').getAttribute('lang'), 'cy', 'the module\'s title is marked Welsh');
    assert.match(await main(page), /Erbyn y diwedd, byddwch chi'n gallu/);
    await welsh(`/my-learning/${starter.id}/pages/1`, 'page-1', cy.pages[0].title);
    assert.match(await page.locator('.govuk-caption-l').innerText(), new RegExp(`tudalen 1 o ${starterContent.pages.length}`));
    await welsh(`/my-learning/${starter.id}/easy-read`, 'easy-read', cy.title);
    await welsh(`/my-learning/${starter.id}/check`, 'check', 'Gwiriad gwybodaeth');

    // Sent empty: the errors in Welsh, linked to each question.
    await submit(page, 'main form button[type="submit"]');
    await expectErrorSummary(page, 'learning-welsh-check-errors');
    assert.match(await page.title(), /^Gwall: /);
    assert.match(await page.locator('.govuk-error-summary a[href="#question-1"]').innerText(), /^Dewiswch /);
    await expectAccessible(page, 'learning-welsh-check-errors');

    for (const [i, q] of starterContent.questions.entries()) {
      await page.check(option(i + 1, q.options.findIndex((o) => !o.correct)));
    }
    await submit(page, 'main form button[type="submit"]');
    assert.equal(await page.locator('h1').innerText(), 'Heb basio eto');
    await expectAccessible(page, 'learning-welsh-result-not-passed');
    await page.goto(`${server.base}/my-learning/${starter.id}/check`);
    for (const [i, q] of starterContent.questions.entries()) {
      for (const r of correctOptions(q)) await page.check(option(i + 1, r));
    }
    await submit(page, 'main form button[type="submit"]');
    assert.equal(await page.locator('h1').innerText(), 'Rydych chi wedi pasio');
    await expectAccessible(page, 'learning-welsh-result-passed');
    await welsh(`/my-learning/${starter.id}/certificate`, 'certificate');
    assert.match(await main(page), /Mae hyn yn tystio bod/);
  } finally {
    await context.close();
  }
});
