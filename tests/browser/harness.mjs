// Shared set-up for the browser tests: a real coproduce server on a loopback
// port with a fresh database, Debian's Chromium driven by playwright-core, and
// axe-core for the accessibility checks.
//
// The binary is $COPRODUCE_BIN, or build/coproduce. Chromium is
// $CHROMIUM_PATH, or /usr/bin/chromium.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFileAsync = promisify(execFile);

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = path.resolve(root, process.env.COPRODUCE_BIN || 'build/coproduce');
export const artifacts = path.join(root, 'tests', 'browser', 'artifacts');

// The administrator every test server starts with.
export const admin = {
  organisation: 'Test Council',
  email: 'admin@example.org',
  password: 'correct horse battery staple 42',
};

// The WCAG 2.2 AA rules: axe-core tags every rule with the level it checks.
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Runs a coproduce command to completion; rejects with its output if it fails.
// `input` is written to its standard input.
export function run(args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`coproduce ${args.join(' ')} exited ${code}\n${stdout}${stderr}`));
    });
    child.stdin.end(input ?? '');
  });
}

// A TCP port nobody is listening on just now.
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts a server on a fresh database. With `seed` (the default) the database
// holds one organisation and its administrator (see `admin`); without it the
// database is empty and the server prints a first-run set-up link (see
// `setupLink`). Returns { base, db, dir, stop, stderr }: `base` is the
// server's URL without a trailing slash; `stop()` sends SIGTERM, waits for the
// process to exit, removes the temporary directory and returns how it exited.
export async function startServer({ seed = true } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-browser-'));
  const db = path.join(dir, 'coproduce.db');
  await run(['migrate', '--database', db]);
  if (seed) {
    await run(['admin', 'create-organisation', '--database', db, '--name', admin.organisation]);
    await run(['admin', 'create-user', '--database', db, '--organisation', admin.organisation,
      '--email', admin.email, '--role', 'administrator'], { input: admin.password + '\n' });
  }

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--database', db],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let exit = null;
  exited.then((e) => { exit = e; });

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exit) throw new Error(`coproduce serve exited early (${JSON.stringify(exit)}):\n${stderr}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`coproduce serve did not answer /healthz with 200 within 20 s:\n${stderr}`);
    }
    await sleep(100);
  }

  async function stop() {
    if (!exit) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
    return exit;
  }
  return { base, db, dir, stop, stderr: () => stderr };
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

// The route table from `coproduce routes --json`: [{ method, path, roles }].
export async function routes() {
  const { stdout } = await execFileAsync(bin, ['routes', '--json']);
  return JSON.parse(stdout);
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
