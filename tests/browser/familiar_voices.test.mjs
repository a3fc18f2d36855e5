// The familiar-voices dashboard and the benchmark page in Chromium with axe:
// the figures with their charts and tables, a group too small to break down,
// the period form used with the keyboard alone (and its errors), and the
// benchmark upload with a bad file, a good one and the way back.
//
// The activities and attendance behind the figures are written with
// coproduce_test_sql into the server's database (SQLite or PostgreSQL): a
// quick way to a year's history (tests/http/familiar_voices.test.mjs also goes through the
// activities API).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  admin, expectAccessible, expectErrorSummary, launchBrowser, run, screenshot, signIn, startServer,
} from './harness.mjs';
import { sql, sqlScript } from '../support/sql.mjs';

const period = 'from=2026-01-01&to=2026-06-30';

let server;
let browser;
let page;
let token;
let tmp;
const groups = [];

const api = (method, url, body) => fetch(server.base + url, {
  method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

const ethnic = ['white_british', 'black_caribbean', 'asian_pakistani', 'white_british', 'mixed_other', 'white_irish',
  'white_british', 'other_any', 'white_british', 'black_african', 'white_british', 'prefer_not_to_say'];

// Presses Tab until the element with `id` has focus; fails after `limit` presses.
async function tabTo(id, limit = 60) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) === id) return;
  }
  assert.fail(`#${id} was not reached with Tab`);
}

before(async () => {
  server = await startServer();
  token = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
  const people = [];
  for (let i = 0; i < 12; i += 1) {
    const res = await api('POST', '/api/v1/people', {
      name: `Person ${i}`, phone: `01632 960 ${300 + i}`, consent: true,
      equality: { ethnic_group: ethnic[i], sex: i % 3 ? 'male' : 'female', disability: i % 4 ? 'not_disabled' : 'disabled' },
    });
    assert.equal(res.status, 201);
    people.push((await res.json()).id);
  }
  for (const name of ['Carers Board', 'Home Care Panel']) {
    const res = await api('POST', '/api/v1/groups', {
      name, purpose: 'Shape services', setting: 'council', size: 12, ladder_aim: 'co_production',
    });
    groups.push((await res.json()).id);
  }
  const org = await sql(server.db, `SELECT organisation_id FROM groups WHERE id = ${groups[0]}`);
  // Everyone at the board's two meetings; the first three at the panel's four too.
  const lines = [];
  const meetings = [[0, '2026-02-03T10:00', people], [0, '2026-04-07T10:00', people]];
  for (const day of ['2026-01-15', '2026-02-15', '2026-03-15', '2026-05-15']) meetings.push([1, `${day}T14:00`, people.slice(0, 3)]);
  meetings.forEach(([g, startsAt, who], n) => {
    lines.push(`INSERT INTO activities (id, organisation_id, group_id, kind, title, starts_at, duration_minutes, created_at,
      updated_at) VALUES (${500 + n}, ${org}, ${groups[g]}, 'meeting', 'Meeting', '${startsAt}', 120, 'x', 'x');`);
    for (const p of who) {
      lines.push(`INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, attendance, minutes)
        VALUES (${500 + n}, ${p}, 'email', 'x', 'attended', 120);`);
    }
  });
  await sqlScript(server.db, lines.join('\n'));
  tmp = await mkdtemp(path.join(os.tmpdir(), 'coproduce-benchmark-'));
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signIn(page, server.base);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the figures, each chart followed by its table, pass axe', async () => {
  await page.goto(`${server.base}/dashboard`);
  await Promise.all([page.waitForNavigation(), page.click('a[href="/dashboard/familiar-voices"]')]);
  await expectAccessible(page, 'familiar-voices-default');
  await page.goto(`${server.base}/dashboard/familiar-voices?${period}`);
  await expectAccessible(page, 'familiar-voices');
  const charts = page.locator('svg[role="img"]');
  // Places by tenth, then ethnic group, sex and disability.
  assert.equal(await charts.count(), 4);
  for (let i = 0; i < 4; i += 1) {
    const chart = charts.nth(i);
    const labelledBy = (await chart.getAttribute('aria-labelledby')).split(' ');
    assert.ok((await page.locator(`[id="${labelledBy[0]}"]`).textContent()).length > 10, 'the chart has a title');
    assert.ok((await page.locator(`[id="${labelledBy[1]}"]`).textContent()).length > 10, 'the chart has a description');
    // The table of the same figures comes straight after the chart.
    const next = await chart.evaluate((svg) => svg.closest('figure').nextElementSibling.querySelector('table') !== null);
    assert.ok(next, `chart ${i + 1} is followed by its data table`);
  }
  assert.match(await page.locator('#category-ethnic_group ~ ul').first().innerText(), /White: 16 of 34 places/);
});

test('a group of fewer than ten people is not broken down', async () => {
  await page.goto(`${server.base}/dashboard/familiar-voices?${period}&group=${groups[1]}`);
  await expectAccessible(page, 'familiar-voices-small-group');
  assert.match(await page.locator('main').innerText(), /Too few people to show without risk of identifying someone/);
  assert.equal(await page.locator('svg[role="img"]').count(), 1, 'only the places-by-tenth chart');
});

test('the period form works with the keyboard alone, and names a bad date', async () => {
  await page.goto(`${server.base}/dashboard/familiar-voices`);
  await tabTo('from');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2026-01-01');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'to');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2026-06-30');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'group');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('from'), '2026-01-01');
  assert.equal(url.searchParams.get('to'), '2026-06-30');
  assert.equal(url.searchParams.get('group'), String(groups[0]));
  assert.match(await page.locator('h2#figures').innerText(), /Carers Board, 1 January 2026 to 30 June 2026/);

  await tabTo('from');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('31/06/2026');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await expectErrorSummary(page, 'familiar-voices-errors');
  await expectAccessible(page, 'familiar-voices-errors');
  assert.match(await page.locator('#from-error').innerText(), /start date/);
  // The summary's link takes focus to the field.
  await page.click('.govuk-error-summary a[href="#from"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'from');
});

test('the benchmark page: a bad upload, a good one, and back to the Census', async () => {
  await page.goto(`${server.base}/dashboard/benchmark`);
  await expectAccessible(page, 'benchmark');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/benchmark"] button')]);
  await expectErrorSummary(page, 'benchmark-no-file');
  await expectAccessible(page, 'benchmark-no-file');

  const bad = path.join(tmp, 'bad.csv');
  await writeFile(bad, 'category,value,share\nsex,female,0.7\nsex,male,0.7\nethnic group,Purple,0.1\n');
  await page.setInputFiles('#file', bad);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/benchmark"] button')]);
  await expectAccessible(page, 'benchmark-bad-file');
  const problems = await page.locator('#problems-caption').locator('xpath=..').innerText();
  assert.match(problems, /bad\.csv, line 4, column 2/);

  const good = path.join(tmp, 'good.csv');
  await writeFile(good, 'category,value,share,source\nsex,Female,0.55,Area profile\nsex,Male,0.45,Area profile\n');
  await page.setInputFiles('#file', good);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/benchmark"] button')]);
  await expectAccessible(page, 'benchmark-uploaded');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /now in use/);
  assert.match(await page.locator('table').first().innerText(), /55\.0%\s+Area profile/);

  await Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/benchmark/default"] button')]);
  await screenshot(page, 'benchmark-reset');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Census shares are in use again/);
  assert.match(await page.locator('table').first().innerText(), /51\.0%/);
});
