// The programme pages in Chromium: the list with 'Create a programme' (and
// its errors), a programme's overview and 'Change the programme', its
// business case (read by keyboard alone, and for a chosen period), costs,
// valued outcomes and indicators with their Remove buttons, the staff
// grades, an indicator counting a survey question (chosen in two steps, by
// keyboard) and one measuring a benchmark gap, each with its errors, and the
// business case's reach (figures, rungs chart and table, who is missing),
// each passing axe-core's WCAG 2.2 A and AA rules; the figures are the
// API's. Data is made through the JSON API (see tests/http/programmes.test.mjs),
// and activities, ratings and survey answers with coproduce_test_sql.
//
// Screenshots go to tests/browser/artifacts/programmes-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { api, userPassword, userWithRole } from '../support/server.mjs';
import { sql, sqlScript } from '../support/sql.mjs';
import {
  admin, errorLinks, expectAccessible, expectErrorSummary, expectFormErrors, launchBrowser, mainText, pressAndWait,
  signIn, startServer, submit, visitClean,
} from './harness.mjs';

let server;
let browser;
let page;
let lead;
let programme; // with an outcome, costs and an indicator with measurements
let empty; // with nothing but its details: no costs, so no ratio

async function call(method, url, body, status) {
  const res = await api(server, lead.token, method, url, body);
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${url}: ${text}`);
  return text ? JSON.parse(text) : null;
}

// The page at `path` on the server, as a whole address.
const at = (path) => server.base + path;

// Downloads `path` with the browser's session; every part of the XLSX file it
// answers, as one text (the sheets and their strings).
async function xlsxText(address) {
  const res = await fetch(at(address),
    { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
  assert.equal(res.status, 200, `${address} answered ${res.status}`);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip file');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-programmes-'));
  try {
    const file = path.join(dir, 'download.xlsx');
    await writeFile(file, bytes);
    return execFileSync('unzip', ['-p', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// format_money as report/format.h writes it: "£1,300.57", or "£1,300" when whole.
function money(pence) {
  const sign = pence < 0 ? '-' : '';
  const p = Math.abs(pence);
  const pounds = Math.floor(p / 100).toLocaleString('en-GB');
  return p % 100 === 0 ? `${sign}£${pounds}` : `${sign}£${pounds}.${String(p % 100).padStart(2, '0')}`;
}

before(async () => {
  server = await startServer();
  lead = await userWithRole(server, admin.organisation, 'programme-lead@example.org', 'coproduction-lead');
  const details = { purpose: 'Carers shape the short breaks service', lead: 'Sam Lee', starts_on: '2025-04-01', ends_on: '2026-03-31' };
  programme = await call('POST', '/api/v1/programmes', { ...details, name: "Carers' voice" }, 201);
  empty = await call('POST', '/api/v1/programmes', { ...details, name: 'Nothing yet' }, 201);
  const url = `/api/v1/programmes/${programme.id}`;
  await call('PUT', `${url}/theory-of-change`, {
    elements: [
      { ref: 'A1', stage: 'activity', text: 'Monthly co-design sessions' },
      { ref: 'P1', stage: 'output', text: 'Sessions held with carers' },
      { ref: 'O1', stage: 'outcome_short', text: 'Carers feel heard' },
    ],
    links: [{ from: 'A1', to: 'P1', assumptions: 'Carers can come' }, { from: 'P1', to: 'O1' }],
  }, 200);
  const indicator = await call('POST', `${url}/indicators`, {
    element: 'O1', name: 'Carers who feel heard', definition: 'Share answering yes in the quarterly check-in',
    unit: 'percentage', direction: 'higher', frequency: 'quarterly', source: 'manual',
    baseline_value: 40, baseline_date: '2025-04-01', target_value: 70, target_date: '2026-03-31',
  }, 201);
  for (const [period, value] of [['2025-Q2', 48], ['2025-Q3', 56]]) {
    await call('POST', `${url}/indicators/${indicator.id}/measurements`,
      { period, value, evidence: `Check-in survey, ${period}` }, 201);
  }
  await call('POST', `${url}/outcomes`, {
    name: 'Carers less often in crisis', quantity: 12, value_pence: 10000, duration_years: 2,
    deadweight: 25, attribution: 20, displacement: 0, drop_off: 10, source: 'Local unit cost of a crisis visit',
  }, 201);
  await call('POST', `${url}/costs`, { kind: 'venue', amount_pence: 60000, date: '2025-06-01', note: 'Hall hire' }, 201);
  await call('POST', `${url}/costs`, { kind: 'interpreters', amount_pence: 40000, date: '2026-03-31', note: 'BSL' }, 201);
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signIn(page, server.base, { email: 'programme-lead@example.org', password: userPassword });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the programmes list and its create form are accessible, and errors sit beside their fields', async () => {
  await page.goto(`${server.base}/programmes`);
  assert.ok(await page.getByRole('link', { name: "Carers' voice" }).isVisible());
  await expectAccessible(page, 'programmes-list');
  await page.fill('#name', 'Made in the browser');
  await page.fill('#ends_on', 'not a date');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/programmes"] button[type="submit"]')]);
  await expectErrorSummary(page, 'programmes-list-errors');
  await expectAccessible(page, 'programmes-list-errors');
  assert.equal(await page.inputValue('#name'), 'Made in the browser', 'what was typed is kept');

  await page.fill('#lead', 'Ash Khan');
  await page.fill('#starts_on', '2026-01-01');
  await page.fill('#ends_on', '2026-12-31');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/programmes"] button[type="submit"]')]);
  assert.match(page.url(), /\/programmes\/\d+$/);
  assert.equal(await page.locator('h1').textContent(), 'Made in the browser');
});

test('a programme overview is accessible and links to its business case', async () => {
  await page.goto(`${server.base}/programmes/${programme.id}`);
  await expectAccessible(page, 'programmes-overview');
  assert.ok(await page.locator(`a[href="/programmes/${programme.id}/business-case"]`).isVisible());
});

test("the business case is accessible and shows the API's figures", async () => {
  const bc = await call('GET', `/api/v1/programmes/${programme.id}/business-case`, undefined, 200);
  await page.goto(`${server.base}/programmes/${programme.id}/business-case`);
  await expectAccessible(page, 'programmes-business-case');
  assert.equal((await page.locator('#total-present-value').textContent()).trim(), money(bc.total_present_value_pence));
  assert.equal((await page.locator('#total-costs').textContent()).trim(), money(bc.total_costs_pence));
  assert.equal((await page.locator('#net-present-value').textContent()).trim(), money(bc.net_present_value_pence));
  assert.match(await page.locator('#summary').textContent(), new RegExp(`For every £1 spent, about £${bc.ratio.toFixed(2)} of value`));
  // Every chart is followed by its table.
  assert.equal(await page.locator('svg[role="img"]').count(), 2, 'a line chart and a tornado chart');
  assert.ok(await page.locator('#sensitivity-table-caption').count());
  assert.ok(await page.locator('#workings-caption').count());
});

test('a business case with no costs says so instead of dividing by zero', async () => {
  await page.goto(`${server.base}/programmes/${empty.id}/business-case`);
  await expectAccessible(page, 'programmes-business-case-empty');
  assert.match(await page.locator('#summary').textContent(), /no costs in its period, so there is no ratio/);
});

test('the business case downloads as XLSX with all its workings', async () => {
  const workbook = await xlsxText(`/programmes/${programme.id}/business-case.xlsx`);
  const names = [...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(names, ['Summary', 'Outcomes', 'Workings', 'Sensitivity', 'Costs', 'Indicators', 'Reach']);
});

test('the theory of change shows its diagram and list, and its form names lines at fault', async () => {
  await page.goto(`${server.base}/programmes/${programme.id}/theory-of-change`);
  await expectAccessible(page, 'programmes-theory-of-change');
  assert.equal(await page.inputValue('#stage_activity'), 'A1: Monthly co-design sessions\n');
  assert.match(await page.inputValue('#links'), /^A1 -> P1 \| Carers can come\nP1 -> O1\n$/);

  await page.fill('#stage_impact', 'Short breaks that fit carers');
  await page.fill('#links', 'A1 -> P1 | Carers can come\nP1 -> O1\nO1 -> Q9');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/theory-of-change"] button[type="submit"]')]);
  await expectErrorSummary(page, 'programmes-theory-of-change-errors');
  await expectAccessible(page, 'programmes-theory-of-change-errors');
  assert.match(await page.locator('#stage_impact-error').textContent(), /Impact, line 1/);

  await page.fill('#stage_impact', 'X1: Short breaks that fit carers');
  await page.fill('#links', 'A1 -> P1 | Carers can come\nP1 -> O1\nO1 -> X1 | | Commissioners listen');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/theory-of-change"] button[type="submit"]')]);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  const toc = await call('GET', `/api/v1/programmes/${programme.id}/theory-of-change`, undefined, 200);
  assert.deepEqual(toc.links.at(-1), { ...toc.links.at(-1), from: 'O1', to: 'X1', assumptions: '', conditions: 'Commissioners listen' });
  assert.ok(await page.getByText('Commissioners listen').first().isVisible());
});

test('costs are added through the form, with errors beside their fields', async () => {
  await page.goto(`${server.base}/programmes/${programme.id}/costs`);
  await expectAccessible(page, 'programmes-costs');
  await page.check('input[name="kind"][value="catering"]');
  await page.fill('#amount', 'lots');
  await Promise.all([page.waitForNavigation(), page.click('form[method="post"][action$="/costs"] button[type="submit"]')]);
  await expectErrorSummary(page, 'programmes-costs-errors');
  await expectAccessible(page, 'programmes-costs-errors');
  assert.match(await page.locator('#amount-error').textContent(), /in pounds/);
  await page.fill('#amount', '25.50');
  await page.fill('#date', '2025-07-01');
  await page.fill('#note', 'Lunch');
  await Promise.all([page.waitForNavigation(), page.click('form[method="post"][action$="/costs"] button[type="submit"]')]);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  const costs = await call('GET', `/api/v1/programmes/${programme.id}/costs`, undefined, 200);
  assert.equal(costs.total_pence, 100000 + 2550);
  assert.match(await page.locator('body').textContent(), /£1,025\.50/);
});

test('valued outcomes are added through the form, with a published value', async () => {
  await page.goto(`${server.base}/programmes/${programme.id}/outcomes`);
  await expectAccessible(page, 'programmes-outcomes');
  await page.fill('#name', 'Carers feel better');
  await page.fill('#quantity', 'ten');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/outcomes"] button[type="submit"]')]);
  await expectErrorSummary(page, 'programmes-outcomes-errors');
  await expectAccessible(page, 'programmes-outcomes-errors');
  await page.fill('#quantity', '0.5');
  await page.check('input[name="proxy"][value="wellby"]');
  await page.fill('#duration_years', '1');
  await page.fill('#deadweight', '50');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/outcomes"] button[type="submit"]')]);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  const { outcomes } = await call('GET', `/api/v1/programmes/${programme.id}/outcomes`, undefined, 200);
  const added = outcomes.find((o) => o.name === 'Carers feel better');
  assert.ok(added, 'the outcome was saved');
  assert.equal(added.value_pence, 1300000);
});

test('indicators are added and measured through their forms', async () => {
  await page.goto(`${server.base}/programmes/${programme.id}/indicators`);
  await expectAccessible(page, 'programmes-indicators');
  const { indicators } = await call('GET', `/api/v1/programmes/${programme.id}/indicators`, undefined, 200);
  const k = indicators[0].id;
  await page.fill(`#period_${k}`, '2025-Q2');
  await page.fill(`#value_${k}`, '50');
  await page.fill(`#evidence_${k}`, 'Again');
  await Promise.all([page.waitForNavigation(), page.click(`form[action$="/indicators/${k}/measurements"] button[type="submit"]`)]);
  await expectErrorSummary(page, 'programmes-indicators-errors');
  await expectAccessible(page, 'programmes-indicators-errors');
  await page.fill(`#period_${k}`, '2025-Q4');
  await Promise.all([page.waitForNavigation(), page.click(`form[action$="/indicators/${k}/measurements"] button[type="submit"]`)]);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0);
  const after = await call('GET', `/api/v1/programmes/${programme.id}/indicators/${k}`, undefined, 200);
  assert.equal(after.measurements.length, 3);

  await page.check('input[name="element"][value="P1"]');
  await page.fill('#name', 'Sessions held');
  await page.fill('#definition', 'Sessions held each month');
  await page.check('input[name="source"][value="manual"]');
  await page.check('input[name="unit"][value="count"]');
  await page.check('input[name="direction"][value="higher"]');
  await page.check('input[name="frequency"][value="monthly"]');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/indicators"] button[type="submit"]')]);
  assert.equal(await page.locator('.govuk-error-summary').count(), 0, await page.locator('main').textContent());
  const all = await call('GET', `/api/v1/programmes/${programme.id}/indicators`, undefined, 200);
  assert.ok(all.indicators.some((i) => i.name === 'Sessions held'));
});

// --- the business case by keyboard, and for a chosen period ---------------------------------

// Where keyboard focus is: enough to tell each stop apart and say what it is.
const focusStop = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const inMain = Boolean(el.closest('main'));
  const region = el.getAttribute('role') === 'region' ? el.getAttribute('aria-labelledby') : null;
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') ?? '', region, inMain,
    classes: el.className, text: (region ? document.getElementById(region.split(' ')[0])?.textContent : el.textContent)?.trim().slice(0, 60),
    key: el.outerHTML.slice(0, 200),
  };
});

// Reads the business case at `address` by keyboard alone: the skip link,
// the period, the download, then every data table (among them each of
// `expectedTables`, by the start of its caption) in the order of the page; every
// one of `chartCount` charts is a named image followed by its table; and
// the headings make a proper outline.
async function readByKeyboard(address, name, expectedTables, chartCount) {
  await page.goto(at(address));
  await expectAccessible(page, name);

  // From the top of the page, the first stop is the skip link, and it takes focus to the main content.
  await page.keyboard.press('Tab');
  const first = await focusStop(page);
  assert.ok(first?.classes.includes('govuk-skip-link'), `the first stop is the skip link, not ${first?.key}`);
  assert.equal(first.text, 'Skip to main content');
  await page.keyboard.press('Enter');

  // Then Tab through the whole page, noting every stop, until focus leaves it.
  const stops = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const stop = await focusStop(page);
    if (!stop || (stops.length && stop.key === stops[0].key)) break;
    stops.push(stop);
  }
  const where = (test, what) => {
    const i = stops.findIndex(test);
    assert.ok(i >= 0, `${what} is reached by Tab; the stops were:\n  ${stops.map((s) => s.key).join('\n  ')}`);
    return i;
  };
  assert.ok(stops[0].inMain, `after the skip link, focus starts in the main content, at ${stops[0].key}`);
  const from = where((s) => s.id === 'from', 'the From date');
  const to = where((s) => s.id === 'to', 'the To date');
  const show = where((s) => s.tag === 'button' && s.text === 'Show', 'the Show button');
  const download = where((s) => s.href.includes('/business-case.xlsx'), 'the download link');
  const tables = stops.map((s, i) => [s, i]).filter(([s]) => s.region);
  assert.ok(from < to && to < show && show < download, 'the period form comes before the download, in the order it reads');
  assert.ok(tables.length > 0 && download < tables[0][1], 'the figures come after the download link');

  // Every table is reached, in the order of the page, each by its caption.
  const captions = await page.locator('main .app-table-scroll[role="region"]').evaluateAll((regions) => regions.map(
    (r) => document.getElementById(r.getAttribute('aria-labelledby')).textContent.trim()));
  assert.deepEqual(tables.map(([s]) => s.text), captions.map((c) => c.slice(0, 60)), 'every data table is reached, in order');
  for (const table of expectedTables) {
    assert.ok(captions.some((c) => c.startsWith(table)), `the table "${table}" is among ${captions.join('; ')}`);
  }

  // Every chart is an image with a name, followed at once by its table with a caption and headers.
  const charts = await page.locator('main svg').evaluateAll((svgs) => svgs.map((svg) => {
    const named = (svg.getAttribute('aria-labelledby') ?? '').split(' ').filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent.trim() ?? '').join(' ').trim();
    const figure = svg.closest('figure');
    const after = figure?.nextElementSibling;
    const table = after?.querySelector('table');
    return {
      role: svg.getAttribute('role'),
      name: named || svg.getAttribute('aria-label') || figure?.querySelector('figcaption')?.textContent.trim() || '',
      followedBy: after?.className ?? '',
      caption: table?.querySelector('caption')?.textContent.trim() ?? '',
      headers: table ? table.querySelectorAll('th').length : 0,
      unscoped: table ? table.querySelectorAll('th:not([scope])').length : -1,
      columnHeaders: table ? table.querySelectorAll('thead th[scope="col"]').length : 0,
    };
  }));
  assert.equal(charts.length, chartCount, `${chartCount} charts`);
  for (const c of charts) {
    assert.equal(c.role, 'img', 'a chart is an image to assistive technology');
    assert.ok(c.name.length > 10, `a chart has an accessible name, not "${c.name}"`);
    assert.match(c.followedBy, /app-table-scroll/, `the chart "${c.name}" is followed by its data table`);
    assert.ok(c.caption, `the table after "${c.name}" has a caption`);
    assert.ok(c.columnHeaders > 0 && c.unscoped === 0, `the table after "${c.name}" has headers, each with its scope`);
  }

  // The headings make a proper outline: one h1 first, and no level skipped on the way down.
  const headings = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((h) => ({
    level: Number(h.tagName[1]), text: h.textContent.trim(),
  })));
  assert.equal(headings.filter((h) => h.level === 1).length, 1, 'one h1');
  assert.equal(headings[0].level, 1, `the first heading is the h1, not "${headings[0].text}"`);
  for (let i = 1; i < headings.length; i++) {
    assert.ok(headings[i].level <= headings[i - 1].level + 1,
      `"${headings[i].text}" (h${headings[i].level}) follows "${headings[i - 1].text}" (h${headings[i - 1].level}) without a level between`);
  }
}

test('the business case reads by keyboard alone: skip link, period, download, then every chart table, under a proper outline', async () => {
  await readByKeyboard(`/programmes/${programme.id}/business-case`, 'programmes-business-case-keyboard',
    ['Carers who feel heard: measurements', 'Rungs reached', 'How the net present value moves with each assumption'], 2);
});

test('the business case counts the costs of a chosen period, and its download carries the period', async () => {
  await visitClean(page, at(`/programmes/${programme.id}/business-case`), 'programmes-business-case-period');
  assert.equal(await page.inputValue('#from'), '2025-04-01', "the programme's own period at first");
  assert.equal(await page.inputValue('#to'), '2026-03-31');
  await page.fill('#from', '2025-05-01');
  await page.fill('#to', '2025-12-31');
  // The keyboard alone: Enter in a date field sends the form.
  await page.focus('#to');
  await pressAndWait(page, 'Enter');
  assert.match(page.url(), /\/business-case\?from=2025-05-01&to=2025-12-31$/);
  await expectAccessible(page, 'programmes-business-case-period-chosen');
  const bc = await call('GET', `/api/v1/programmes/${programme.id}/business-case?from=2025-05-01&to=2025-12-31`, undefined, 200);
  const whole = await call('GET', `/api/v1/programmes/${programme.id}/business-case`, undefined, 200);
  assert.notEqual(bc.total_costs_pence, whole.total_costs_pence, 'the period leaves some costs out');
  assert.equal((await page.locator('#total-costs').textContent()).trim(), money(bc.total_costs_pence));
  assert.equal(await page.inputValue('#from'), '2025-05-01', 'the period chosen stays in the form');
  const link = page.getByRole('link', { name: /Download the business case/ });
  assert.equal(await link.getAttribute('href'), `/programmes/${programme.id}/business-case.xlsx?from=2025-05-01&to=2025-12-31`);
  const workbook = await xlsxText(await link.getAttribute('href'));
  assert.ok(workbook.includes('2025-05-01 to 2025-12-31'), 'the workbook counts costs over the same period');
});

test('a business case asked for a date that is not one says so on the field, and shows no figures', async () => {
  await page.goto(at(`/programmes/${programme.id}/business-case`));
  await page.fill('#from', '2025-13-01');
  await submit(page, 'main form[method="get"] button[type="submit"]');
  await expectFormErrors(page, 'programmes-business-case-period-errors');
  assert.deepEqual(await errorLinks(page), ['#from']);
  assert.match(await page.locator('#from-error').textContent(), /start date must be a real date/);
  assert.equal(await page.inputValue('#from'), '2025-13-01', 'what was typed is kept');
  assert.equal(await page.locator('#total-costs').count(), 0, 'no figures for a period that is not one');
});

test('the costs page shows a chosen period, and a period ending before it starts is named on its field', async () => {
  await visitClean(page, at(`/programmes/${programme.id}/costs`), 'programmes-costs-period');
  await page.fill('#from', '2025-06-01');
  await page.fill('#to', '2025-06-30');
  await submit(page, 'main form[method="get"] button[type="submit"]');
  await expectAccessible(page, 'programmes-costs-period-chosen');
  const june = await call('GET', `/api/v1/programmes/${programme.id}/costs?from=2025-06-01&to=2025-06-30`, undefined, 200);
  assert.match(await mainText(page), new RegExp(`From 2025-06-01 to 2025-06-30, the costs come to ${money(june.total_pence)}`));
  assert.deepEqual(await page.locator('table:has(#costs-entered-caption) tbody tr td:nth-child(3)').allTextContents(),
    ['Hall hire'], 'only the costs dated in the period are listed');

  await page.fill('#to', '2025-05-01');
  await submit(page, 'main form[method="get"] button[type="submit"]');
  await expectFormErrors(page, 'programmes-costs-period-errors');
  assert.deepEqual(await errorLinks(page), ['#to']);
  assert.match(await page.locator('#to-error').textContent(), /on or after the start date/);
  assert.ok(await page.locator('form[method="post"][action$="/costs"]').isVisible(), 'a cost can still be added');
});

// --- changing a programme -------------------------------------------------------------------

test("a programme's details and the work it gathers are changed from its overview, all or nothing", async () => {
  const group = await call('POST', '/api/v1/groups',
    { name: 'Carers Board', purpose: 'Shape services', setting: 'council', size: 12, ladder_aim: 'co_production' }, 201);
  await page.goto(at(`/programmes/${empty.id}`));
  await page.getByRole('link', { name: /Change the programme/ }).focus();
  await pressAndWait(page, 'Enter');
  assert.match(page.url(), new RegExp(`/programmes/${empty.id}/edit$`));
  await visitClean(page, page.url(), 'programmes-edit');
  assert.equal(await page.inputValue('#name'), 'Nothing yet', 'the form holds the saved details');
  assert.equal(await page.inputValue('#discount_rate'), '3.5');

  // Errors: every field at fault named at once, and nothing saved.
  await page.fill('#name', '');
  await page.fill('#ends_on', '2025-01-01');
  await submit(page, `main form[action="/programmes/${empty.id}/edit"] button[type="submit"]`);
  await expectFormErrors(page, 'programmes-edit-errors');
  assert.deepEqual(await errorLinks(page), ['#name', '#ends_on']);
  assert.equal(await page.inputValue('#ends_on'), '2025-01-01', 'what was typed is kept');
  let saved = await call('GET', `/api/v1/programmes/${empty.id}`, undefined, 200);
  assert.equal(saved.name, 'Nothing yet', 'nothing is saved when anything is wrong');
  assert.equal(saved.ends_on, '2026-03-31');

  await page.fill('#name', 'Carers at the table');
  await page.fill('#ends_on', '2026-09-30');
  await page.fill('#lead', 'Priya Shah');
  await page.getByLabel('Carers Board').check();
  const module = page.locator('input[name="module_ids"]').first();
  await module.check();
  const moduleId = Number(await module.getAttribute('value'));
  await submit(page, `main form[action="/programmes/${empty.id}/edit"] button[type="submit"]`);
  assert.match(page.url(), new RegExp(`/programmes/${empty.id}\\?done=1$`));
  await expectAccessible(page, 'programmes-edit-saved');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Programme updated/);
  assert.equal(await page.locator('h1').textContent(), 'Carers at the table');
  saved = await call('GET', `/api/v1/programmes/${empty.id}`, undefined, 200);
  assert.deepEqual([saved.name, saved.lead, saved.ends_on, saved.group_ids, saved.module_ids],
    ['Carers at the table', 'Priya Shah', '2026-09-30', [group.id], [moduleId]]);
  assert.match(await mainText(page), /1 group, 0 activities, 0 surveys and 1 learning module$/m);
});

// --- staff grades -----------------------------------------------------------------------------

test('staff grades are kept as a list of rows: added in blank rows, named by row when wrong, removed by clearing the name', async () => {
  await page.goto(at(`/programmes/${programme.id}/costs`));
  await page.getByRole('link', { name: 'staff grades' }).click();
  await visitClean(page, page.url(), 'programmes-staff-grades');
  assert.match(page.url(), /\/programmes\/staff-grades$/);
  assert.match(await mainText(page), /To remove a grade, clear its name/);
  await page.fill('#grade_1_name', 'Support worker');
  await page.fill('#grade_1_rate', '14.50');
  await page.fill('#grade_1_on_costs', '25');
  await page.fill('#grade_2_name', 'Manager');
  await page.fill('#grade_2_rate', '£22');
  await page.fill('#grade_2_on_costs', '30');
  await submit(page, 'main form[method="post"] button[type="submit"]');
  assert.match(page.url(), /\/programmes\/staff-grades\?done=1$/);
  await expectAccessible(page, 'programmes-staff-grades-saved');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Staff grades saved/);
  let { grades } = await call('GET', '/api/v1/staff-grades', undefined, 200);
  assert.deepEqual(grades, [
    { name: 'Manager', hourly_pence: 2200, on_cost_percent: 30 },
    { name: 'Support worker', hourly_pence: 1450, on_cost_percent: 25 },
  ]);
  assert.equal(await page.inputValue('#grade_2_rate'), '14.50', 'the grades are listed by name, rates in pounds');
  assert.equal(await page.inputValue('#grade_3_name'), '', 'with blank rows to add more');

  // Problems name the row, counting from 1, and nothing is saved.
  await page.fill('#grade_1_rate', 'lots');
  await page.fill('#grade_2_name', 'Manager');
  await submit(page, 'main form[method="post"] button[type="submit"]');
  await expectFormErrors(page, 'programmes-staff-grades-errors');
  assert.deepEqual(await errorLinks(page), ['#grade_1_rate', '#grade_2_name']);
  assert.match(await page.locator('#grade_1_rate-error').textContent(), /hourly rate of grade 1 in pounds/);
  assert.match(await page.locator('#grade_2_name-error').textContent(), /Grade 2's name 'Manager' is given twice/);
  assert.equal(await page.inputValue('#grade_1_rate'), 'lots', 'what was typed is kept');
  ({ grades } = await call('GET', '/api/v1/staff-grades', undefined, 200));
  assert.equal(grades.length, 2, 'nothing is saved when anything is wrong');

  await page.goto(at('/programmes/staff-grades'));
  await page.fill('#grade_1_name', '');
  await submit(page, 'main form[method="post"] button[type="submit"]');
  ({ grades } = await call('GET', '/api/v1/staff-grades', undefined, 200));
  assert.deepEqual(grades.map((g) => g.name), ['Support worker'], 'a row with no name is removed');
  await page.goto(at('/programmes'));
  assert.ok(await page.locator('main a[href="/programmes/staff-grades"]').isVisible(), 'the programmes list links to them');
});

// --- removing what was entered ------------------------------------------------------------------

test('an entered cost is removed by its own button, which says which cost it removes, keeping the period', async () => {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const { costs } = await call('GET', `/api/v1/programmes/${programme.id}/costs`, undefined, 200);
  const hall = costs.find((c) => c.note === 'Hall hire');
  // Without the form's CSRF token, nothing is removed.
  const forged = await fetch(at(`/programmes/${programme.id}/costs/${hall.id}/remove`),
    { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
  assert.equal(forged.status, 403);

  await visitClean(page, at(`/programmes/${programme.id}/costs`), 'programmes-costs-remove');
  const stale = await page.context().newPage();
  await stale.goto(page.url());
  const button = page.getByRole('button', { name: 'Remove the cost: Venue, 2025-06-01, Hall hire, £600' });
  assert.equal(await button.count(), 1, 'the button names the cost it removes');
  await button.focus();
  await pressAndWait(page, 'Enter');
  assert.match(page.url(), new RegExp(`/programmes/${programme.id}/costs\\?done=1$`));
  await expectAccessible(page, 'programmes-costs-removed');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Cost removed/);
  const after = await call('GET', `/api/v1/programmes/${programme.id}/costs`, undefined, 200);
  assert.ok(!after.costs.some((c) => c.id === hall.id), 'the cost is gone');
  assert.equal(after.costs.length, costs.length - 1, 'and only that one');

  // A page left open from before: the cost is already gone, and the page says so.
  await submit(stale, `form[action="/programmes/${programme.id}/costs/${hall.id}/remove"] button`);
  await expectAccessible(stale, 'programmes-costs-remove-gone');
  assert.match(await stale.locator('main').innerText(), /no such cost/);
  await stale.close();

  // Within a chosen period, the page comes back to the same period.
  await page.goto(at(`/programmes/${programme.id}/costs?from=2025-07-01&to=2025-07-31`));
  await page.getByRole('button', { name: /^Remove the cost: Catering, 2025-07-01, Lunch/ }).click();
  await page.waitForURL(/done=1/);
  assert.match(page.url(), /\/costs\?from=2025-07-01&to=2025-07-31&done=1$/);
  assert.equal(await page.inputValue('#from'), '2025-07-01');
});

test('a valued outcome and an indicator are removed by their own buttons', async () => {
  await visitClean(page, at(`/programmes/${programme.id}/outcomes`), 'programmes-outcomes-remove');
  await submit(page, 'button:has-text("Remove the outcome Carers feel better")');
  await expectAccessible(page, 'programmes-outcomes-removed');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Outcome removed/);
  const { outcomes } = await call('GET', `/api/v1/programmes/${programme.id}/outcomes`, undefined, 200);
  assert.deepEqual(outcomes.map((o) => o.name), ['Carers less often in crisis']);

  await visitClean(page, at(`/programmes/${programme.id}/indicators`), 'programmes-indicators-remove');
  const button = page.getByRole('button', { name: 'Remove indicator Sessions held and its measurements' });
  assert.equal(await button.count(), 1, 'the button names the indicator it removes');
  await Promise.all([page.waitForNavigation(), button.click()]);
  await expectAccessible(page, 'programmes-indicators-removed');
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Indicator removed/);
  const { indicators } = await call('GET', `/api/v1/programmes/${programme.id}/indicators`, undefined, 200);
  assert.deepEqual(indicators.map((i) => i.name), ['Carers who feel heard']);
});

// --- survey indicators, benchmark gaps and reach ---------------------------------------------
//
// A programme of its own, gathering a group whose activities twelve people
// attended, rated and answered a survey about. The activities, ratings and
// survey are written with coproduce_test_sql into the server's database
// (SQLite or PostgreSQL), as tests/http/programmes.test.mjs and
// familiar_voices.test.mjs do.

let reached; // {programme, survey}

async function reachedProgramme() {
  if (reached) return reached;
  const group = await call('POST', '/api/v1/groups',
    { name: 'Young Carers Forum', purpose: 'Shape services', setting: 'council', size: 12, ladder_aim: 'co_production' }, 201);
  const p = await call('POST', '/api/v1/programmes', {
    name: 'Young carers heard', lead: 'Sam Lee', starts_on: '2025-04-01', ends_on: '2026-03-31', group_ids: [group.id],
  }, 201);
  await call('PUT', `/api/v1/programmes/${p.id}/theory-of-change`, {
    elements: [{ ref: 'P1', stage: 'output', text: 'Places taken up' }, { ref: 'O1', stage: 'outcome_short', text: 'Young carers feel heard' }],
    links: [{ from: 'P1', to: 'O1' }],
  }, 200);
  // Twelve people: four women; mostly White; only six say whether they are disabled.
  const ethnic = ['white_british', 'white_british', 'white_irish', 'white_british', 'white_british', 'black_african',
    'white_british', 'white_other', 'white_british', 'asian_indian', 'white_british', 'white_british'];
  const people = [];
  for (let i = 0; i < 12; i++) {
    const person = await call('POST', '/api/v1/people', {
      name: `Young carer ${i}`, phone: `01632 960 ${400 + i}`, consent: true,
      equality: { ethnic_group: ethnic[i], sex: i < 4 ? 'female' : 'male', ...(i < 6 ? { disability: i % 2 ? 'disabled' : 'not_disabled' } : {}) },
    }, 201);
    people.push(person.id);
  }
  const org = await sql(server.db, `SELECT organisation_id FROM groups WHERE id = ${group.id}`);
  // Three meetings: everyone at the first two, the first three at the third.
  // The lead rated them consultation, co-design and co-design; members rated
  // the first co-production twice and the second consultation once.
  const lines = [];
  const meetings = [['2025-06-03T10:00', people, 'consultation'], ['2025-09-02T10:00', people, 'co_design'],
    ['2025-12-02T10:00', people.slice(0, 3), 'co_design']];
  meetings.forEach(([startsAt, who, rung], n) => {
    lines.push(`INSERT INTO activities (id, organisation_id, group_id, kind, title, starts_at, duration_minutes, lead_rung,
      created_at, updated_at) VALUES (${900 + n}, ${org}, ${group.id}, 'meeting', 'Forum', '${startsAt}', 120, '${rung}', 'x', 'x');`);
    for (const person of who) {
      lines.push(`INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, attendance, minutes)
        VALUES (${900 + n}, ${person}, 'email', 'x', 'attended', 120);`);
    }
  });
  lines.push(`INSERT INTO activity_rung_ratings (activity_id, rung, source) VALUES (900, 'co_production', 'member'),
    (900, 'co_production', 'member'), (901, 'consultation', 'member');`);
  // A check-in survey: in 2025-Q2, 8 of 12 felt heard; in 2025-Q3 only two answered.
  const definition = JSON.stringify({
    format: 'coproduce-survey/1', title: 'Forum check-in',
    questions: [{ code: 'heard', type: 'yes_no', text: 'Did you feel heard?' },
      { code: 'often', type: 'single', text: 'How often do you come?', options: [{ code: 'monthly', label: 'Every month' }, { code: 'sometimes', label: 'Sometimes' }] },
      { code: 'why', type: 'long_text', text: 'Why?' }],
  }).replaceAll("'", "''");
  lines.push(`INSERT INTO surveys (organisation_id, title, slug, definition, created_at, updated_at)
    VALUES (${org}, 'Forum check-in', 'forum-check-in', '${definition}', 'x', 'x');`);
  const answers = [];
  for (let i = 0; i < 12; i++) answers.push([`2025-05-${String(i + 1).padStart(2, '0')}T10:00:00Z`, i < 8 ? 'yes' : 'no']);
  answers.push(['2025-08-01T10:00:00Z', 'yes'], ['2025-08-02T10:00:00Z', 'no']);
  lines.push(`INSERT INTO survey_responses (survey_id, started_at, updated_at, submitted_at, answers) VALUES ${answers.map(([sent, a]) =>
    `((SELECT id FROM surveys WHERE slug = 'forum-check-in'), 'x', 'x', '${sent}', '{"heard": {"values": ["${a}"]}}')`).join(', ')};`);
  await sqlScript(server.db, lines.join('\n'));
  const survey = Number(await sql(server.db, "SELECT id FROM surveys WHERE slug = 'forum-check-in'"));
  reached = { programme: p, survey };
  return reached;
}

// Gives `selector` focus and presses Space: ticks a radio or a checkbox by keyboard.
async function tick(selector) {
  await page.focus(selector);
  await page.keyboard.press('Space');
  assert.ok(await page.isChecked(selector), `${selector} is ticked`);
}

// Types into the field `selector` by keyboard.
async function typeInto(selector, text) {
  await page.focus(selector);
  await page.keyboard.type(text);
}

test('a survey indicator is made in two steps by keyboard alone, its problems on their fields', async () => {
  const { programme: p, survey } = await reachedProgramme();
  const indicators = at(`/programmes/${p.id}/indicators`);
  await visitClean(page, indicators, 'programmes-indicators-survey');
  assert.match(await mainText(page), /A survey indicator is the share of the people answering one question/);
  assert.match(await mainText(page), /A benchmark gap is how far one group of people's share/);

  // Without a survey chosen, a survey indicator's problem is the survey.
  await tick('#element-O1');
  await typeInto('#name', 'Young carers who felt heard');
  await tick('#source-survey');
  await tick('#direction-higher');
  await tick('#frequency-quarterly');
  await page.focus('form[method="post"][action$="/indicators"] button[type="submit"]');
  await pressAndWait(page, 'Enter');
  await expectFormErrors(page, 'programmes-indicators-survey-missing');
  assert.deepEqual(await errorLinks(page), ['#survey_id']);
  assert.match(await page.locator('#survey_id-error').textContent(), /Choose the survey/);

  // A survey that is not one of the organisation's is named on the list.
  await page.goto(at(`/programmes/${p.id}/indicators?survey_id=999999`));
  await expectFormErrors(page, 'programmes-indicators-survey-unknown');
  assert.deepEqual(await errorLinks(page), ['#survey_id']);
  assert.equal(await page.locator('input[name="question"]').count(), 0, 'no questions without a survey');

  // Step one: the survey, chosen from its list by keyboard.
  await page.focus('#survey_id');
  await page.keyboard.type('Forum');
  assert.equal(await page.inputValue('#survey_id'), String(survey));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Choose the survey');
  await pressAndWait(page, 'Enter');
  assert.match(page.url(), new RegExp(`/indicators\\?survey_id=${survey}#add$`));
  await expectAccessible(page, 'programmes-indicators-survey-chosen');
  assert.equal(await page.locator('main .govuk-error-message').count(), 0, 'no field in the error state');
  assert.ok(await page.isChecked('#source-survey'), 'choosing a survey means the figures come from it');
  assert.match(await mainText(page), /The survey counted: Forum check-in/);
  // Only questions with answers to choose from: not the free answer.
  assert.deepEqual(await page.locator('input[name="question"]').evaluateAll((qs) => qs.map((q) => q.value)), ['heard', 'often']);
  assert.equal(await page.locator('#options_heard input[type="checkbox"]').count(), 2);

  // Step two: the question, without an answer to count.
  await tick('#element-O1');
  await typeInto('#name', 'Young carers who felt heard');
  await tick('#question-heard');
  await tick('#options_often-monthly'); // another question's answer does not count
  await tick('#direction-higher');
  await tick('#frequency-quarterly');
  await page.focus('form[method="post"][action$="/indicators"] button[type="submit"]');
  await pressAndWait(page, 'Enter');
  await expectFormErrors(page, 'programmes-indicators-survey-errors');
  assert.deepEqual(await errorLinks(page), ['#options_heard']);
  assert.match(await page.locator('#options_heard-error').textContent(), /Choose at least one answer to count/);
  assert.ok(await page.isChecked('#question-heard'), 'what was chosen is kept');
  assert.equal(await page.inputValue('#name'), 'Young carers who felt heard');

  await tick('#options_heard-yes');
  await page.focus('form[method="post"][action$="/indicators"] button[type="submit"]');
  await pressAndWait(page, 'Enter');
  assert.equal(await page.locator('.govuk-error-summary').count(), 0, await mainText(page));
  const { indicators: saved } = await call('GET', `/api/v1/programmes/${p.id}/indicators`, undefined, 200);
  const made = saved.find((i) => i.name === 'Young carers who felt heard');
  assert.deepEqual([made.source, made.survey_id, made.question, made.options, made.unit],
    ['survey', survey, 'heard', ['yes'], 'percentage']);

  // Its table: the share with its base and interval; too few answers show the note, never a 0.
  await visitClean(page, indicators, 'programmes-indicators-survey-made');
  const rows = await page.locator(`#measurements-${made.id}-caption`).locator('xpath=ancestor::table').locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  const q2 = rows.find((r) => r[0] === '2025-Q2');
  assert.deepEqual(q2.slice(0, 4), ['2025-Q2', '66.67%', 'of 12 answers', '39.1% to 86.2%']);
  const q3 = rows.find((r) => r[0] === '2025-Q3');
  assert.deepEqual(q3.slice(0, 4), ['2025-Q3', 'Not shown', '', '']);
  assert.match(q3[4], /too few to show/);
  assert.match(await mainText(page), /The share of answers to 'Did you feel heard\?' in the survey Forum check-in that were 'Yes'/);

  // On the business case, its chart leaves out the period with too few answers.
  await page.goto(at(`/programmes/${p.id}/business-case`));
  const chart = page.locator('svg[role="img"]').filter({ has: page.locator('title', { hasText: 'Young carers who felt heard' }) });
  assert.equal(await chart.count(), 1);
  assert.match(await page.locator('main').innerText(), /66\.67% \(2025-Q2, of 12 answers; 95% interval 39\.1% to 86\.2%\)/);
});

test('a benchmark gap indicator names its category and group of people, each problem on its field', async () => {
  const { programme: p } = await reachedProgramme();
  await visitClean(page, at(`/programmes/${p.id}/indicators`), 'programmes-indicators-gap');
  const send = async () => {
    await page.focus('form[method="post"][action$="/indicators"] button[type="submit"]');
    await pressAndWait(page, 'Enter');
  };
  await tick('#element-P1');
  await typeInto('#name', 'Gap for women');
  await tick('#source-platform');
  await tick('#measure-benchmark_gap');
  await tick('#direction-higher');
  await tick('#frequency-quarterly');
  await send();
  await expectFormErrors(page, 'programmes-indicators-gap-missing');
  assert.deepEqual(await errorLinks(page), ['#category', '#category_value']);

  // A group of people that is not in the category chosen.
  await page.selectOption('#category', 'sex');
  await page.selectOption('#category_value', 'disabled');
  await send();
  await expectFormErrors(page, 'programmes-indicators-gap-errors');
  assert.deepEqual(await errorLinks(page), ['#category_value']);
  assert.match(await page.locator('#category_value-error').textContent(), /Choose a group of people under Sex: Female or Male/);
  assert.equal(await page.inputValue('#category'), 'sex', 'what was chosen is kept');

  await page.selectOption('#category_value', 'female');
  await send();
  assert.equal(await page.locator('.govuk-error-summary').count(), 0, await mainText(page));
  const { indicators } = await call('GET', `/api/v1/programmes/${p.id}/indicators`, undefined, 200);
  const gap = indicators.find((i) => i.name === 'Gap for women');
  assert.deepEqual([gap.measure, gap.category, gap.category_value, gap.unit], ['benchmark_gap', 'sex', 'female', 'points']);
  assert.match(await mainText(page), /The gap against the benchmark for Female \(Sex\), from the platform's records/);
  // 2025-Q2: 4 of 12 places were women's, under their share of the Census, in percentage points.
  const q2 = gap.measurements.find((m) => m.period === '2025-Q2');
  assert.ok(q2.value < 0, `women held a third of places: ${q2.value}`);
  assert.match(await mainText(page), /2025-Q2\t-\d+(\.\d+)? points\tof 12 places/);
});

test('the business case shows who the programme reached: figures, rungs with their table, and who is missing', async () => {
  const { programme: p } = await reachedProgramme();
  const reach = await call('GET', `/api/v1/programmes/${p.id}/reach`, undefined, 200);
  await visitClean(page, at(`/programmes/${p.id}/business-case`), 'programmes-business-case-reach');
  assert.doesNotMatch(await page.locator('body').innerText(), /\{\{|\}\}/, 'no template text shows');

  // The figures, each with what it means.
  const figures = await page.locator('#reach-figures .govuk-summary-list__row').evaluateAll((rows) => rows.map((r) => [
    r.querySelector('dt').textContent.trim(), r.querySelector('dd p').textContent.trim()]));
  const pct = (share) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
  assert.deepEqual(figures, [
    ['Activities held', String(reach.activities)], ['Places', String(reach.places)], ['People', String(reach.people)],
    ['Places that went to newcomers', pct(reach.newcomer_share)],
    ['Places held by the most involved tenth', pct(reach.top_tenth_share)],
    ['Gini coefficient of places', reach.gini.toFixed(2)],
  ]);
  assert.deepEqual([reach.activities, reach.places, reach.people], [3, 27, 12]);
  assert.match(await page.locator('#reach-figures').innerText(), /0 means everyone had the same number/);

  // Rungs: the chart, followed at once by its table, and the means.
  const chart = page.locator('svg[aria-labelledby="chart-rungs-title chart-rungs-desc"]');
  assert.equal(await chart.count(), 1, 'the rungs chart');
  assert.match(await page.locator('#chart-rungs-desc').textContent(), /Consultation: the lead 1 \(33\.3%\), members 1 \(33\.3%\)/);
  assert.equal(await chart.evaluate((svg) => svg.closest('figure').nextElementSibling.querySelector('caption').id), 'rungs-caption');
  const rungRows = await page.locator('table:has(#rungs-caption) tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  assert.equal(rungRows.length, 8, 'every rung and the total');
  assert.deepEqual(rungRows.find((r) => r[0] === '6. Co-design'), ['6. Co-design', '2 (66.7%)', '0 (0.0%)']);
  assert.deepEqual(rungRows.at(-1), ['All rated', String(reach.lead_rated), String(reach.member_ratings)]);
  assert.match(await page.locator('#rung-means').innerText(), /as the lead rated\s+5\.3 \(nearest rung: Engagement\)/);

  // Who is missing: a table for each category known well enough, the most under-represented first.
  const sex = reach.representativeness.categories.find((c) => c.category === 'sex');
  const sexRows = await page.locator('table:has(#who-sex-caption) tbody tr th').allTextContents();
  assert.deepEqual(sexRows.map((t) => t.trim()), sex.values.map((v) => v.label));
  assert.equal(sexRows[0].trim(), 'Female', 'women are furthest below their benchmark share');
  const gaps = await page.locator('#biggest-gaps + ul li').allTextContents();
  assert.ok(gaps.includes(sex.values[0].description), `the biggest gaps name ${sex.values[0].description}: ${gaps.join('; ')}`);
  // Six people said whether they are disabled: too few to break down, and no counts.
  assert.equal(await page.locator('#who-disability-caption').count(), 0);
  assert.match(await mainText(page), /Disability: Too few people to show without risk of identifying someone\./);

  // By keyboard, every table of the reach is reached in order; the rungs chart is the third of four.
  await readByKeyboard(`/programmes/${p.id}/business-case`, 'programmes-business-case-reach-keyboard',
    ['Young carers who felt heard: measurements', 'Gap for women: measurements', 'Rungs reached', 'Places by Ethnic group',
      'Places by Sex', 'How the net present value moves with each assumption'], 4);

  const workbook = await xlsxText(`/programmes/${p.id}/business-case.xlsx`);
  assert.match(workbook, /<sheet [^>]*name="Reach"/);
  assert.ok(workbook.includes('Too few people to show without risk of identifying someone.'), 'the suppressed category says so');
});
