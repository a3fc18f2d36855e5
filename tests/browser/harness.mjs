// Shared set-up for the browser tests: a real coproduce server on a loopback
// port with a fresh database, Debian's Chromium driven by playwright-core, and
// axe-core for the accessibility checks.
//
// The binary is $COPRODUCE_BIN, or build/coproduce. Chromium is
// $CHROMIUM_PATH, or /usr/bin/chromium.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import {
  admin, bin, freshDatabase, root, routes, run, sleep, startServer as startOn,
} from '../support/server.mjs';

export { admin, bin, root, routes, run };
export const artifacts = path.join(root, 'tests', 'browser', 'artifacts');

// The WCAG 2.2 AA rules: axe-core tags every rule with the level it checks.
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Starts a server (tests/support/server.mjs) on a fresh database. With `seed`
// (the default) the database holds one organisation and its administrator
// (see `admin`); without it the database is empty and the server prints a
// first-run set-up link (see `setupLink`).
export async function startServer({ seed = true } = {}) {
  const { db, dir } = await freshDatabase({ empty: !seed });
  return startOn({ db, dir });
}

// The one-time set-up link an unseeded server prints on its standard error.
export async function setupLink(server) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const match = server.stderr().match(/https?:\/\/\S+\/setup\/\S+/);
    if (match) return match[0];
    if (Date.now() > deadline) throw new Error(`no set-up link printed:\n${server.stderr()}`);
    await sleep(50);
  }
}

// Launches Debian's Chromium, headless.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Signs in through the sign-in form, as a person would.
// A test file's server and Chromium: started before its tests and stopped
// after them. The returned object holds them as `server` and `browser`.
export function useServerAndBrowser(options) {
  const env = {};
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function signIn(page, base, { email, password } = admin) {
  await page.goto(`${base}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/sign-in"] button[type="submit"]')]);
}

let axeSource;

// Runs axe-core on the page against WCAG 2.2 A and AA; returns its violations.
// The source goes in through the DevTools protocol (page.evaluate), which the
// page's Content-Security-Policy does not block, unlike an injected <script>.
export async function axeViolations(page) {
  axeSource ??= await readFile(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    wcagTags);
  return results.violations;
}

// Describes axe violations for a person to read in a test failure.
export function describeViolations(url, violations) {
  const lines = [`${url}: ${violations.length} accessibility rule(s) failed`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help}`, `  ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 5)) {
      lines.push(`  at ${node.target.join(' ')}`, `     ${node.html.slice(0, 200)}`);
      if (node.failureSummary) lines.push(`     ${node.failureSummary.replace(/\n/g, '\n     ')}`);
    }
    if (v.nodes.length > 5) lines.push(`  ...and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

// Saves a screenshot of the page as NAME, then asserts that axe-core finds no
// WCAG 2.2 A or AA violation on it and that it has exactly one h1.
export async function expectAccessible(page, name) {
  await screenshot(page, name);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, describeViolations(`${name} (${page.url()})`, violations));
  assert.equal(await page.locator('h1').count(), 1, `${name} has exactly one h1`);
}

// Asserts that the page shows the GOV.UK error summary, each of whose links
// points at an element on the page.
export async function expectErrorSummary(page, name) {
  await screenshot(page, name);
  const summary = page.locator('.govuk-error-summary');
  assert.ok(await summary.isVisible(),
    `${name}: the error summary is shown (the page data needs has_errors: true beside a non-empty errors list)`);
  const hrefs = await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0, `${name}: the error summary links to the fields`);
  for (const href of hrefs) {
    assert.match(href, /^#./, `${name}: error summary link ${href} is to a field on the page`);
    assert.equal(await page.locator(href).count(), 1, `${name}: error summary link ${href} has a target`);
  }
}

// Saves a full-page screenshot to tests/browser/artifacts/NAME.png.
export async function screenshot(page, name) {
  await mkdir(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name.replace(/[^a-z0-9_-]+/gi, '_').replace(/^_+|_+$/g, '') || 'home'}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// What has keyboard focus: its tag, id, name, value and text; null for none.
export const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), value: el.value, text: el.textContent.trim(),
  } : null;
});

// Presses Tab until the focused element matches `selector`; fails after `limit` presses.
export async function tabTo(page, selector, limit = 80) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    const f = await focused(page);
    seen.push(f ? `${f.tag}${f.id ? '#' + f.id : ''} "${f.text.slice(0, 30)}"` : 'nothing');
  }
  assert.fail(`${selector} not reached in ${limit} presses of Tab on ${page.url()}; focus went to:\n  ${seen.join('\n  ')}`);
}

// --- pages with forms ------------------------------------------------------------

// Opens `url` (a whole address), a page that has no errors: it answers
// below 400, passes axe (screenshot `name`), and shows no field in the error
// state (a red border, or an "Error:" with no message).
export async function visitClean(page, url, name) {
  const res = await page.goto(url);
  assert.ok(res.status() < 400, `${url} answered ${res.status()}`);
  await expectAccessible(page, name);
  const stray = await page.locator('main [class*="--error"], main .govuk-error-message').evaluateAll(
    (els) => els.map((el) => el.outerHTML.slice(0, 160)));
  assert.deepEqual(stray, [], `${url} shows no field in the error state`);
}

// Submits the form holding `button` by clicking it; waits for the next page.
export async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), page.click(button)]);
}

// The page shows its error summary, linked to fields, and passes axe. The
// title starts "Error: " and the summary comes before the page's h1, as
// GOV.UK's pattern has it.
export async function expectFormErrors(page, name) {
  await expectErrorSummary(page, name);
  assert.match(await page.title(), /^Error: /, `${name}: the title starts with "Error: "`);
  assert.ok(await page.locator('.govuk-error-summary').evaluate(
    (summary) => Boolean(summary.compareDocumentPosition(document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING)),
  `${name}: the error summary comes before the h1`);
  await expectAccessible(page, name);
}

// The targets of the error summary's links, in order.
export async function errorLinks(page) {
  return page.locator('.govuk-error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
}

// The text of the page's main element.
export const mainText = (page) => page.locator('main').innerText();

// Presses `key` on the focused element and waits for the page it leads to.
export async function pressAndWait(page, key) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}
