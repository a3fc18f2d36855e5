// Groups and recruitment pages in Chromium with axe: the group form with
// errors, a group's page, the quota table with the question of how to make
// the lottery fair (and its error), a round's results and draw, the drawn
// panel, and the public page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  admin, expectAccessible, expectErrorSummary, launchBrowser, run, signIn, startServer,
} from './harness.mjs';

let server;
let browser;
let page;
let token;
let groupId;

const api = (method, url, body) => fetch(server.base + url, {
  method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

before(async () => {
  server = await startServer();
  token = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
  for (let i = 0; i < 12; i += 1) {
    await api('POST', '/api/v1/people', {
      name: `Person ${i}`, phone: `01632 960 ${200 + i}`, consent: true, lived_experience: [i % 2 ? 'unpaid_carer' : 'draws_on_care'],
    });
  }
  groupId = (await (await api('POST', '/api/v1/groups', {
    name: 'Home Care Panel', purpose: 'Co-design home care', setting: 'care_provider', size: 4, ladder_aim: 'co_design', public_page: true,
  })).json()).id;
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signIn(page, server.base);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the group form shows its errors accessibly', async () => {
  await page.goto(`${server.base}/groups/new`);
  await expectAccessible(page, 'group-new');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/groups"] button[type="submit"]')]);
  await expectErrorSummary(page, 'group-new-errors');
  await expectAccessible(page, 'group-new-errors');
});

test('recruiting, from the quota table to the invited panel, by keyboard-usable pages', async () => {
  await page.goto(`${server.base}/groups/${groupId}`);
  await expectAccessible(page, 'group-page');
  await page.goto(`${server.base}/groups/${groupId}/recruit`);
  await page.check('#categories-experience');
  await Promise.all([page.waitForNavigation(), page.click('form[method="get"] button')]);
  await expectAccessible(page, 'recruit-quotas');
  assert.ok(await page.isChecked('#algorithm-leximin'), 'LEXIMIN is chosen to start with');
  // A way the form does not offer (as a hand-made request might send) is
  // named in the error summary and beside the question.
  await page.evaluate(() => { document.querySelector('#algorithm-nash').value = 'legacy'; });
  await page.check('#algorithm-nash');
  await page.fill('#min_0', '2');
  await page.fill('#max_0', '2');
  await Promise.all([page.waitForNavigation(), page.click('form[method="post"][action$="/recruit"] button')]);
  await expectErrorSummary(page, 'recruit-algorithm-error');
  await expectAccessible(page, 'recruit-algorithm-error');
  await page.click('.govuk-error-summary a[href="#algorithm"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'algorithm', 'the summary link moves focus to the question');
  await page.check('#algorithm-leximin');
  await Promise.all([page.waitForNavigation(), page.click('form[method="post"][action$="/recruit"] button')]);
  await expectAccessible(page, 'round-ready');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/run"] button')]);
  for (let i = 0; i < 100 && !(await page.locator('#ticket').count()); i += 1) {
    await page.waitForTimeout(200);
    await page.reload();
  }
  assert.equal(await page.locator('#ticket').count(), 1, 'the round finished');
  assert.match(await page.locator('main').innerText(), /Way of making it fair\s+LEXIMIN/);
  await expectAccessible(page, 'round-done');
  await page.fill('#ticket', '7');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/draw"] button')]);
  assert.match(await page.locator('main').innerText(), /Ticket 7/);
  await expectAccessible(page, 'round-drawn');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/invite"] button')]);
  await expectAccessible(page, 'group-with-members');
  const publicPage = await (await browser.newContext()).newPage();
  await publicPage.goto(`${server.base}/groups/${groupId}/public`);
  await expectAccessible(publicPage, 'group-public');
  assert.ok(!(await publicPage.content()).includes('Person 1'), 'no names in public');
});
