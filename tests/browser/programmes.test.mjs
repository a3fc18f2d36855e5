// The programme pages in Chromium: the list with 'Create a programme' (and
// its errors), a programme's overview and its business case, each passing
// axe-core's WCAG 2.2 A and AA rules; the business case's figures are the
// API's. Data is made through the JSON API (see tests/http/programmes.test.mjs).
//
// Screenshots go to tests/browser/artifacts/programmes-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { api, userPassword, userWithRole } from '../support/server.mjs';
import {
  admin, expectAccessible, expectErrorSummary, launchBrowser, signIn, startServer,
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
  const res = await fetch(`${server.base}/programmes/${programme.id}/business-case.xlsx`,
    { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip file');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-programmes-'));
  try {
    const file = path.join(dir, 'business-case.xlsx');
    await writeFile(file, bytes);
    const workbook = execFileSync('unzip', ['-p', file, 'xl/workbook.xml'], { encoding: 'utf8' });
    const names = [...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, ['Summary', 'Outcomes', 'Workings', 'Sensitivity', 'Costs', 'Indicators']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/costs"] button[type="submit"]')]);
  await expectErrorSummary(page, 'programmes-costs-errors');
  await expectAccessible(page, 'programmes-costs-errors');
  assert.match(await page.locator('#amount-error').textContent(), /in pounds/);
  await page.fill('#amount', '25.50');
  await page.fill('#date', '2025-07-01');
  await page.fill('#note', 'Lunch');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/costs"] button[type="submit"]')]);
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
