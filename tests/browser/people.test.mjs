// The involvement pool's pages with records in them, in Chromium with axe:
// a person's page, the change and erase pages, the add form with errors, an
// import's problems and preview, and a participant's own data.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  admin, expectAccessible, expectErrorSummary, launchBrowser, run, signIn, startServer,
} from './harness.mjs';

let server;
let browser;
let page;
let personId;

before(async () => {
  server = await startServer();
  const out = await run(['admin', 'create-token', '--database', server.db, '--email', admin.email]);
  const token = out.trim().split('\n').at(-1);
  const res = await fetch(`${server.base}/api/v1/people`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Rosa Parks', email: 'rosa@example.org', formats: ['easy_read'], access_needs: ['hearing_loop'],
      lived_experience: ['draws_on_care'], area: 'Northfield', consent: true, pool_categories: { 'age group': '65+' },
    }),
  });
  personId = (await res.json()).id;
  await run(['admin', 'create-user', '--database', server.db, '--organisation', admin.organisation,
    '--email', 'rosa@example.org', '--role', 'participant'], { input: 'a long enough password\n' });
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  await signIn(page, server.base);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a person's page, and the pages to change and erase their data", async () => {
  for (const suffix of ['', '/edit', '/erase']) {
    await page.goto(`${server.base}/people/${personId}${suffix}`);
    await expectAccessible(page, `person${suffix || '-page'}`);
  }
  await page.goto(`${server.base}/people/${personId}`);
  assert.match(await page.locator('main').innerText(), /Easy Read/);
  assert.match(await page.locator('main').innerText(), /age group/);
});

test('the add form with errors', async () => {
  await page.goto(`${server.base}/people/new`);
  await page.fill('#email', 'not-an-email');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/people"] button[type="submit"]')]);
  await expectErrorSummary(page, 'person-add-errors');
  await expectAccessible(page, 'person-add-errors');
});

test("an import's problems, then its preview", async () => {
  const dir = path.dirname(server.db);
  const bad = path.join(dir, 'bad.csv');
  const good = path.join(dir, 'good.csv');
  await writeFile(bad, 'id,name,email\n1,,x@example.org\n2,Bo,nope\n');
  await writeFile(good, 'id,name,email,gender\n1,Ann,ann@example.org,Female\n2,Bo,bo@example.org,Male\n');
  await page.goto(`${server.base}/people/import`);
  await page.setInputFiles('#file', bad);
  await Promise.all([page.waitForNavigation(), page.click('form[enctype] button[type="submit"]')]);
  assert.match(await page.locator('main').innerText(), /bad\.csv, line 3, column 3/);
  await expectAccessible(page, 'import-problems');
  await page.setInputFiles('#file', good);
  await Promise.all([page.waitForNavigation(), page.click('form[enctype] button[type="submit"]')]);
  await expectAccessible(page, 'import-preview');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/people/import/confirm"] button')]);
  assert.match(await page.locator('main').innerText(), /2 people were added/);
  await expectAccessible(page, 'pool-after-import');
});

test('a participant sees their own data', async () => {
  const context = await browser.newContext();
  const own = await context.newPage();
  await signIn(own, server.base, { email: 'rosa@example.org', password: 'a long enough password' });
  await own.goto(`${server.base}/my-data`);
  assert.match(await own.locator('main').innerText(), /Rosa Parks/);
  await expectAccessible(own, 'my-data');
  await own.goto(`${server.base}/my-data?version=standard`);
  await expectAccessible(own, 'my-data-standard');
  await own.goto(`${server.base}/my-data/erase`);
  await expectAccessible(own, 'my-data-erase');
  // The Easy Read versions of a participant's own pages: a picture with alt
  // text beside each idea.
  for (const url of ['/my-data/easy-read', '/my-activities/easy-read', '/my-payments/easy-read']) {
    await own.goto(`${server.base}${url}`);
    assert.match(await own.locator('main h1').innerText(), /^Your /);
    assert.ok(await own.locator('main img.app-easy-read__picture[alt]').count() > 0, `${url} has pictures`);
    await expectAccessible(own, url.slice(1).replaceAll('/', '-'));
  }
  // The standard pages in Welsh: marked lang="cy" and accessible as they are in English.
  await own.goto(`${server.base}/language/cy?return=/my-data`);
  for (const url of ['/my-data?version=standard', '/my-activities?version=standard', '/my-payments?version=standard',
    '/my-data/edit', '/my-data/erase']) {
    await own.goto(`${server.base}${url}`);
    assert.equal(await own.getAttribute('html', 'lang'), 'cy', url);
    assert.match(await own.locator('main h1').innerText(), /^(?:Eich|Newid eich|Dileu eich) /, url);
    await expectAccessible(own, `welsh-${url.slice(1).replace(/\?.*/, '').replaceAll('/', '-')}`);
  }
  await context.close();
});
