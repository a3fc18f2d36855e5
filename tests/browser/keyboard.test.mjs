// Sign in and out with the keyboard alone, starting from the top of the home page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { admin, launchBrowser, screenshot, startServer } from './harness.mjs';

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

// Presses Tab until isTarget(focused element summary) holds; fails after `limit` presses.
async function tabTo(page, what, isTarget, limit = 40) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el ? { tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(), href: el.getAttribute('href') } : null;
    });
    if (focused && isTarget(focused)) return;
    seen.push(focused ? `${focused.tag}${focused.id ? '#' + focused.id : ''} "${focused.text.slice(0, 30)}"` : 'nothing');
  }
  assert.fail(`${what} not reached in ${limit} presses of Tab; focus went to:\n  ${seen.join('\n  ')}`);
}

test('a person signs in and out with the keyboard alone', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/`);

  await tabTo(page, 'the Sign in link', (f) => f.tag === 'a' && f.href === '/sign-in');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.locator('h1').innerText(), /sign in/i);

  await tabTo(page, 'the email address field', (f) => f.id === 'email');
  await page.keyboard.type(admin.email);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password',
    'Tab moves from the email address to the password');
  await page.keyboard.type(admin.password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

  assert.match(await page.locator('h1').innerText(), /dashboard/i, 'the dashboard is shown after signing in');
  await screenshot(page, 'keyboard-signed-in');

  await tabTo(page, 'the Sign out button', (f) => f.tag === 'button' && /sign out/i.test(f.text));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('button', { hasText: /sign out/i }).count(), 0, 'no Sign out button once signed out');
  assert.equal(await page.locator('nav a[href="/sign-in"]').count(), 1, 'the Sign in link is back');

  const res = await page.goto(`${server.base}/dashboard`);
  assert.notEqual(new URL(page.url()).pathname, '/dashboard', `the dashboard is closed after signing out (status ${res.status()})`);
  await page.close();
});
