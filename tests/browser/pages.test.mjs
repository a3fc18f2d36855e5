// Every page passes axe-core's WCAG 2.2 A and AA rules in Chromium: each GET
// route in the route table without a path parameter (public ones signed out,
// the rest signed in as an administrator), the 404 page, and a form showing
// errors. A screenshot of each goes to tests/browser/artifacts/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  axeViolations, describeViolations, expectAccessible, expectErrorSummary, launchBrowser, routes,
  screenshot, signIn, startServer,
} from './harness.mjs';

const skipped = ['/api/', '/static/', '/healthz', '/metrics'];

let server;
let browser;
let signedOut;
let signedIn;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  signedOut = await browser.newContext();
  signedIn = await browser.newContext();
  const page = await signedIn.newPage();
  await signIn(page, server.base);
  await page.close();
});

after(async () => {
  await browser?.close();
  const exit = await server?.stop();
  if (exit) assert.deepEqual(exit, { code: 0, signal: null }, 'the server exits 0 on SIGTERM');
});

// Opens a page, checks it, and returns the response status.
async function check(context, path, name) {
  const page = await context.newPage();
  // Console errors catch scripts or styles the Content-Security-Policy blocks
  // and assets that fail to load. The page's own status is checked by callers.
  const problems = [];
  page.on('console', (msg) => {
    // A failed load is reported by the response handler below, which can tell
    // the page itself (a 404 page is meant to answer 404) from its assets.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('requestfailed', (req) => problems.push(`${req.url()} failed: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'document' && res.status() >= 400) problems.push(`${res.url()} answered ${res.status()}`);
  });
  try {
    const res = await page.goto(server.base + path);
    await page.waitForLoadState('networkidle');
    const violations = await axeViolations(page);
    await screenshot(page, name);
    assert.equal(violations.length, 0, describeViolations(path, violations));
    assert.equal(await page.locator('h1').count(), 1, `${path} has exactly one h1`);
    const enhanced = await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'));
    assert.ok(enhanced, `${path}: static/js/init.js ran`);
    assert.deepEqual(problems, [], `${path} loads without errors`);
    return res.status();
  } finally {
    await page.close();
  }
}

test('every page passes WCAG 2.2 AA checks', async (t) => {
  // Downloads (CSV, XLSX, JSON) are files, not pages: their own tests check them.
  const pages = (await routes()).filter((r) => r.method === 'GET' && !r.path.includes('{')
    && !skipped.some((s) => r.path.startsWith(s)) && !/\.(csv|xlsx|json)$/.test(r.path));
  assert.ok(pages.length > 0, 'the route table lists pages');
  for (const route of pages) {
    const isPublic = route.roles.includes('public');
    if (!isPublic && !route.roles.includes('administrator')) {
      t.diagnostic(`skipped ${route.path}: not open to an administrator`);
      continue;
    }
    await t.test(`${route.path} (${isPublic ? 'signed out' : 'administrator'})`, async () => {
      const status = await check(isPublic ? signedOut : signedIn, route.path,
        (isPublic ? 'signed-out' : 'as-admin') + (route.path === '/' ? '/home' : route.path));
      assert.ok(status < 400, `${route.path} answered ${status}`);
    });
  }
});

test('the page-not-found page passes WCAG 2.2 AA checks', async () => {
  const status = await check(signedOut, '/no-such-page-here', 'not-found');
  assert.equal(status, 404);
});

test('a form showing errors passes WCAG 2.2 AA checks', async () => {
  const page = await signedOut.newPage();
  await page.goto(`${server.base}/sign-in`);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-in"] button[type="submit"]')]);
  await expectErrorSummary(page, 'sign-in-with-errors');
  await expectAccessible(page, 'sign-in-with-errors');
  await page.close();
});

test('a later page of the audit log, with its pagination, passes WCAG 2.2 AA checks', async () => {
  const status = await check(signedIn, '/admin/audit-log?page=2', 'as-admin_audit-log-page-2');
  assert.equal(status, 200);
});
