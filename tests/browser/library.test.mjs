// The library of co-production examples in Chromium, on the demonstration
// data (a dozen made-up case studies: published ones, one in review for
// demo-participant@example.org, a draft and a withdrawn one):
//
// - every library page passes axe-core's WCAG 2.2 A and AA rules, signed out
//   and as the role that uses it: the library with and without a search and
//   a filter and with no results, a case study with its Easy Read and
//   printable versions, the lead's pages and forms (with errors, and started
//   from a group), the feeds page with a feed that went wrong, and the
//   participant's review with errors;
// - a person finds a case study with the keyboard alone (search, filter,
//   result, Easy Read), with focus visible at each step;
// - the case study form's error summary links move focus to their fields,
//   and a participant answers a review with the keyboard alone;
// - the printable version leaves the site's header and navigation off paper.
//
// Screenshots of each page go to tests/browser/artifacts/library-*.png.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { api, startServer as startOn } from '../support/server.mjs';
import {
  errorLinks, expectAccessible, expectErrorSummary, expectFormErrors, mainText, pressAndWait, submit, visitClean, launchBrowser, run, screenshot, signIn, focused, tabTo,
} from './harness.mjs';

let dir;
let server;
let browser;
let feedServer; // serves a feed with a problem in it, for the feeds page
let password;
let token; // the co-production lead's API token
let studies; // every case study the lead can see, from the API
let askedWithoutNote; // the draft the lead asks the participant to check, with no note
const pages = {}; // a signed-in page for each role, and one signed out

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-library-'));
  const db = path.join(dir, 'demo.db');
  const out = await run(['demo', '--database', db]);
  password = out.trim().split('\n').at(-1).trim();
  token = (await run(['admin', 'create-token', '--database', db, '--email', 'demo-lead@example.org']))
    .trim().split('\n').at(-1);
  // Another organisation's feed, on loopback (allowed with --allow-feed-host),
  // whose only item names a setting that does not exist: nothing is imported.
  feedServer = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/feed+json');
    res.end(JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Elsewhere Council case studies',
      items: [{ id: 'https://elsewhere.example/1', title: 'A story', _coproduce: { version: 1, setting: 'the moon' } }],
    }));
  });
  await new Promise((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  server = await startOn({ db, dir: path.join(dir, 'server'), args: ['--allow-feed-host', '127.0.0.1'] });
  const res = await api(server, token, 'GET', '/api/v1/library/case-studies');
  assert.equal(res.status, 200, await res.clone().text());
  studies = (await res.json()).case_studies;
  browser = await launchBrowser();
  pages.anyone = await (await browser.newContext()).newPage();
  for (const role of ['admin', 'lead', 'participant']) {
    pages[role] = await (await browser.newContext()).newPage();
    await signIn(pages[role], server.base, { email: `demo-${role}@example.org`, password });
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  feedServer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// --- helpers ------------------------------------------------------------------------

// The demonstration case study whose title starts with `start`.
function study(start) {
  const found = studies.find((s) => s.title.startsWith(start));
  assert.ok(found, `the demonstration has a case study "${start}..."`);
  return found;
}

const withStatus = (status) => {
  const found = studies.find((s) => s.status === status);
  assert.ok(found, `the demonstration has a case study that is ${status}`);
  return found;
};

// Page checks from the harness, with this file's screenshot names.
const visit = (page, url, name) => visitClean(page, server.base + url, `library-${name}`);
const expectErrors = (page, name) => expectFormErrors(page, `library-${name}`);
const main = mainText;

// Asserts that the focused element shows it has focus: the browser treats
// it as :focus-visible and it is drawn with an outline or a box shadow (the
// GOV.UK focus style: a yellow outline, or yellow behind a link with a black
// bar beneath).
async function expectFocusVisible(page, what) {
  const f = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const opaque = (c) => c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c);
    return {
      html: el.outerHTML.slice(0, 120),
      focusVisible: el.matches(':focus-visible'),
      outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && opaque(s.outlineColor),
      shadow: s.boxShadow !== 'none',
    };
  });
  assert.ok(f, `${what}: something has focus`);
  assert.ok(f.focusVisible, `${what}: the browser shows focus on ${f.html}`);
  assert.ok(f.outline || f.shadow, `${what}: the focus style is drawn on ${f.html}`);
}

// The Markdown on the page (.app-prose) is set like the page's own body
// text: the same typeface as a .govuk-body paragraph, 19px at least, with
// room between the lines.
async function expectBodyText(page, what) {
  const [prose, body] = await page.evaluate(() => ['main .app-prose p', 'main .govuk-body, main .govuk-body-l']
    .map((s) => getComputedStyle(document.querySelector(s)))
    .map((c) => ({ family: c.fontFamily, size: parseFloat(c.fontSize), lineHeight: c.lineHeight })));
  assert.equal(prose.family, body.family, `${what} is in the page's typeface`);
  assert.ok(prose.size >= 19, `${what} is 19px or more, not ${prose.size}px`);
  assert.notEqual(prose.lineHeight, 'normal', `${what} has the GOV.UK line height`);
}

// --- 1. every page passes axe ------------------------------------------------------------

test('the public library pages pass WCAG 2.2 AA, signed out and signed in', async () => {
  const shown = study('Carers\' Partnership Board');
  for (const [who, page] of [['anyone', pages.anyone], ['lead', pages.lead], ['participant', pages.participant]]) {
    await visit(page, '/library', `library-${who}`);
    assert.match(await page.locator('#results-heading').innerText(), /^\d+ case studies$/, 'no search words: none are quoted');

    await visit(page, '/library?q=carers', `search-${who}`);
    assert.match(await page.locator('#results-heading').innerText(), /case stud(y|ies) for ‘carers’/);
    const marks = page.locator('.app-results mark');
    assert.ok(await marks.count() > 0, 'the words found are marked in the results');
    // Black on the GOV.UK yellow: a contrast of about 14:1.
    assert.deepEqual(await marks.first().evaluate((m) => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]),
      ['rgb(11, 12, 12)', 'rgb(255, 221, 0)']);

    await visit(page, '/library?q=carers&setting=local_authority', `search-filtered-${who}`);
    const chosen = page.locator('nav[aria-labelledby="facet-setting"] a[aria-current="true"]');
    assert.equal(await chosen.count(), 1, 'the chosen filter is marked as current');
    assert.match(await chosen.innerText(), /Council \(local authority\)/);
    assert.equal(await page.locator('main a', { hasText: 'Clear filters' }).count(), 1);

    await visit(page, '/library?q=nothing-is-called-this', `search-none-${who}`);
    assert.match(await page.locator('#results-heading').innerText(), /^0 case studies/);
    assert.match(await main(page), /No case studies match/);
    assert.equal(await page.locator('main .app-results').count(), 0, 'no empty list of results');
    assert.doesNotMatch(await main(page), /Sort by/);

    await visit(page, `/library/case-studies/${shown.id}`, `case-study-${who}`);
    assert.equal(await page.locator('h1').innerText(), shown.title);
    await expectBodyText(page, 'the story');
    await visit(page, `/library/case-studies/${shown.id}/easy-read`, `case-study-easy-read-${who}`);
    await expectBodyText(page, 'the Easy Read version');
    await visit(page, `/library/case-studies/${shown.id}/print`, `case-study-print-${who}`);
    await visit(page, '/what-is-co-production', `what-is-co-production-${who}`);
  }
  // The results sorted newest first.
  await visit(pages.anyone, '/library?sort=newest', 'library-newest');
});

test('the lead\'s pages and the case study form, empty, with errors and from a group, pass WCAG 2.2 AA', async () => {
  const page = pages.lead;
  await visit(page, '/library/manage', 'manage');
  const group = await page.locator('select#group option').first();
  const groupId = await group.getAttribute('value');
  const groupName = await group.innerText();

  await visit(page, '/library/manage/new', 'new');
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'new-errors');
  for (const field of ['#title', '#summary', '#setting', '#rung']) {
    assert.ok((await errorLinks(page)).includes(field), `an empty form names ${field}`);
  }
  // What was typed is kept beside the errors.
  await page.fill('#title', 'Typed and kept');
  await page.fill('#people-staff', 'many');
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'new-errors-typed');
  assert.equal(await page.inputValue('#title'), 'Typed and kept');
  assert.ok((await errorLinks(page)).includes('#people-staff'), 'a count that is not a number is named');

  await visit(page, `/library/manage/new?group=${groupId}`, 'new-from-group');
  assert.match(await page.locator('main .govuk-inset-text').last().innerText(), new RegExp(groupName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.inputValue('input[type="hidden"][name="group_id"]'), groupId);

  // One draft: the lead's page, then finding someone to ask to check it.
  const draft = withStatus('draft');
  await visit(page, `/library/manage/${draft.id}`, 'manage-draft');
  assert.equal(await page.locator('h1').innerText(), draft.title);
  await page.fill('#person', 'Demo');
  await submit(page, `main form[action="/library/manage/${draft.id}"] button`);
  assert.equal(new URL(page.url()).searchParams.get('person'), 'Demo');
  assert.ok(await page.locator('main input[name="person_id"]').count() > 0, 'the search finds people to ask');
  await expectAccessible(page, 'library-manage-draft-person');
  await visit(page, `/library/manage/${draft.id}?person=nobody-has-this-name`, 'manage-draft-nobody');
  assert.match(await main(page), /Nobody in the pool matches/);

  // Asking the demonstration participant to check it, with no note.
  await page.fill('#person', 'demo-participant@example.org');
  await submit(page, `main form[action="/library/manage/${draft.id}"] button`);
  assert.equal(await page.locator('main input[name="person_id"]').count(), 1, 'the email address finds one person');
  await page.check('main input[name="person_id"]');
  await submit(page, `main form[action="/library/manage/${draft.id}/review"] button`);
  assert.match(await main(page), /Your change is saved/);
  assert.match(await page.locator('main .govuk-tag').first().innerText(), /In review/);
  await expectAccessible(page, 'library-manage-asked');
  askedWithoutNote = draft;

  // The one in review, and a published one (with a review answered).
  await visit(page, `/library/manage/${withStatus('in_review').id}`, 'manage-in-review');
  await visit(page, `/library/manage/${study('Carers\' Partnership Board').id}`, 'manage-published');
  assert.match(await main(page), /Approved/);
});

test('the feeds page, with a feed that went wrong, an empty address and no file chosen, passes WCAG 2.2 AA', async () => {
  const page = pages.admin;
  await visit(page, '/library/subscriptions', 'subscriptions');
  const url = `http://127.0.0.1:${feedServer.address().port}/library/feed.json`;
  await page.fill('#url', url);
  await submit(page, 'form[action="/library/subscriptions"] button');
  const banner = page.locator('main .govuk-notification-banner');
  assert.match(await banner.innerText(), /Not imported/);
  assert.match(await banner.innerText(), /items\[0\]/, 'the problem says where it is');
  await expectAccessible(page, 'library-subscriptions-not-imported');

  // Later, the feed is listed with what went wrong in words.
  await visit(page, '/library/subscriptions', 'subscriptions-problem');
  const row = page.locator('main table tbody tr', { hasText: url });
  assert.match(await row.innerText(), /Problem/);
  assert.ok((await row.locator('td').nth(2).innerText()).length > 'Problem '.length, 'the problem is put in words');

  await submit(page, 'form[action="/library/subscriptions"] button');
  await expectErrors(page, 'subscriptions-errors');
  assert.deepEqual(await errorLinks(page), ['#url']);

  // Importing a file without choosing one: the error is beside the field too.
  await page.goto(`${server.base}/library/subscriptions`);
  await submit(page, 'form[action="/library/subscriptions/import"] button');
  await expectErrors(page, 'subscriptions-import-errors');
  assert.deepEqual(await errorLinks(page), ['#file']);
  assert.match(await page.locator('#file-error').innerText(), /Choose a feed file/);
  assert.equal(await page.locator('#file').getAttribute('aria-describedby'), 'file-error');
});

test('the participant\'s stories to check, and a review sent empty, pass WCAG 2.2 AA', async () => {
  const page = pages.participant;
  await visit(page, '/my-reviews', 'my-reviews');
  const link = (title) => page.locator('main a[href^="/my-reviews/"]', { hasText: title }).getAttribute('href');
  const review = await link(withStatus('in_review').title);
  assert.ok(review, 'the story in review waits for the participant');

  // Asked with no note: the page does not show an empty one.
  if (askedWithoutNote) {
    await visit(page, await link(askedWithoutNote.title), 'review-no-note');
    assert.equal(await page.locator('h1').innerText(), askedWithoutNote.title);
    assert.doesNotMatch(await main(page), /The team asks/);
  }

  await visit(page, review, 'review');
  assert.equal(await page.locator('h1').innerText(), withStatus('in_review').title);
  assert.match(await main(page), /The team asks: .+/);
  await submit(page, 'main form button[type="submit"]');
  await expectErrors(page, 'review-errors');
  assert.ok((await errorLinks(page)).includes('#decision'), 'the missing answer is named');
  await page.locator('.govuk-error-summary a[href="#decision"]').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'decision', 'the link moves focus to the question');
});

// --- 1b. in Welsh ---------------------------------------------------------------------------

test('the library, a case study, its Easy Read and printable pages and Stories to check, in Welsh, pass WCAG 2.2 AA', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, server.base, { email: 'demo-participant@example.org', password });
    await page.goto(`${server.base}/language/cy?return=/library`);
    const shown = study('Carers\' Partnership Board');
    for (const [url, name] of [
      ['/library', 'library'],
      ['/library?q=carers&setting=local_authority', 'search-filtered'],
      ['/library?q=nothing-is-called-this', 'search-none'],
      [`/library/case-studies/${shown.id}`, 'case-study'],
      [`/library/case-studies/${shown.id}/easy-read`, 'case-study-easy-read'],
      [`/library/case-studies/${shown.id}/print`, 'case-study-print'],
      ['/my-reviews', 'my-reviews'],
    ]) {
      await visit(page, url, `welsh-${name}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'cy', url);
    }
    await page.goto(`${server.base}/library`);
    assert.equal(await page.locator('h1').innerText(), 'Llyfrgell o enghreifftiau cydgynhyrchu');
    // The organisation's words are marked English inside the Welsh page.
    assert.ok(await page.locator('main .app-results a[lang="en"]').count() > 0, 'the titles are marked English');

    await page.goto(`${server.base}/my-reviews`);
    const review = await page.locator('main a[href^="/my-reviews/"]', { hasText: withStatus('in_review').title }).getAttribute('href');
    await visit(page, review, 'welsh-review');
    await submit(page, 'main form button[type="submit"]');
    await expectErrorSummary(page, 'library-welsh-review-errors');
    assert.match(await page.title(), /^Gwall: Gwirio'r stori/, 'the title says there is an error, in Welsh');
    assert.match(await page.locator('.govuk-error-summary a[href="#decision"]').innerText(), /Dewiswch a yw'r stori'n gywir/);
    await expectAccessible(page, 'library-welsh-review-errors');
  } finally {
    await context.close();
  }
});

// --- 2. finding a case study by keyboard ---------------------------------------------------

test('a person finds a case study and its Easy Read version with the keyboard alone', async () => {
  const expected = study('Mealtimes that feel like home');
  const page = await (await browser.newContext()).newPage();
  try {
    await page.goto(`${server.base}/library`);

    await tabTo(page, 'main input#q');
    await expectFocusVisible(page, 'the search box');
    await page.keyboard.type('dementia');
    await pressAndWait(page, 'Enter');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'dementia');
    assert.match(await page.locator('#results-heading').innerText(), /for ‘dementia’/);
    await screenshot(page, 'library-keyboard-1-searched');

    await tabTo(page, 'nav[aria-labelledby="facet-setting"] a[href*="setting=care_home"]');
    await expectFocusVisible(page, 'the Care home filter');
    assert.match((await focused(page)).text, /^Care home \(\d+\)$/);
    await pressAndWait(page, 'Enter');
    assert.equal(new URL(page.url()).searchParams.get('setting'), 'care_home');
    assert.equal(new URL(page.url()).searchParams.get('q'), 'dementia', 'the words are kept');
    assert.equal(await page.locator('nav[aria-labelledby="facet-setting"] a[aria-current="true"]').count(), 1);
    await screenshot(page, 'library-keyboard-2-filtered');

    const first = page.locator('.app-results > li').first().locator('h3 a');
    assert.equal(await first.innerText(), expected.title, 'the case study is the first result');
    await tabTo(page, '.app-results > li:first-child h3 a');
    await expectFocusVisible(page, 'the first result');
    await screenshot(page, 'library-keyboard-3-result-focused');
    await pressAndWait(page, 'Enter');
    assert.equal(new URL(page.url()).pathname, `/library/case-studies/${expected.id}`);
    assert.equal(await page.locator('h1').innerText(), expected.title);

    await tabTo(page, `main a[href="/library/case-studies/${expected.id}/easy-read"]`);
    await expectFocusVisible(page, 'the Easy Read link');
    assert.equal((await focused(page)).text, 'Read this in Easy Read');
    await screenshot(page, 'library-keyboard-4-easy-read-focused');
    await pressAndWait(page, 'Enter');
    assert.equal(new URL(page.url()).pathname, `/library/case-studies/${expected.id}/easy-read`);
    assert.equal(await page.locator('h1').innerText(), expected.title);
    assert.match(await main(page), /Easy Read/);
    assert.match(await main(page), /Oakfield is a care home\./);
    await expectAccessible(page, 'library-keyboard-5-easy-read');
  } finally {
    await page.context().close();
  }
});

// --- 3. error summary links, and a review by keyboard ------------------------------------

test('each error summary link on the case study form moves focus to its field', async () => {
  const page = pages.lead;
  await page.goto(`${server.base}/library/manage/new`);
  await page.fill('#people-carers', 'a few');
  await submit(page, 'main form button[type="submit"]');
  await expectErrorSummary(page, 'library-new-focus');
  assert.ok(await page.locator('.govuk-error-summary').evaluate((el) => el.contains(document.activeElement)),
    'the error summary has focus when the page opens');
  const hrefs = await errorLinks(page);
  assert.ok(hrefs.length >= 5, `the summary names every problem: ${hrefs.join(' ')}`);

  // By keyboard: Tab from the summary to its first link, and Enter.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), hrefs[0]);
  await expectFocusVisible(page, 'the first error summary link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => `#${document.activeElement.id}`), hrefs[0], `Enter on ${hrefs[0]} focuses its field`);

  // And each of them clicked, text boxes and the radio groups alike.
  for (const href of hrefs) {
    await page.locator(`.govuk-error-summary a[href="${href}"]`).click();
    assert.equal(await page.evaluate(() => `#${document.activeElement.id}`), href, `following ${href} focuses its field`);
  }
  assert.ok(hrefs.includes('#people-carers'), 'the count that is not a number is linked');
});

test('a participant answers a review with the keyboard alone', async () => {
  const reviewed = withStatus('in_review');
  const page = pages.participant;
  await page.goto(`${server.base}/my-reviews`);
  const href = await page.locator('main a[href^="/my-reviews/"]', { hasText: reviewed.title }).getAttribute('href');
  await tabTo(page, `main a[href="${href}"]`);
  await expectFocusVisible(page, 'the story to check');
  await pressAndWait(page, 'Enter');
  assert.equal(await page.locator('h1').innerText(), reviewed.title);

  // The Easy Read version opens with Enter.
  await tabTo(page, 'main summary.govuk-details__summary');
  await page.keyboard.press('Enter');
  assert.ok(await page.locator('main details.govuk-details').evaluate((d) => d.open), 'Enter opens the Easy Read version');

  // Radios: Tab reaches the group, the arrow keys move the choice.
  await tabTo(page, 'input[name="decision"]');
  await expectFocusVisible(page, 'the first answer');
  for (let k = 0; k < 2 && (await focused(page)).value !== 'changes_requested'; k++) await page.keyboard.press('ArrowDown');
  assert.ok(await page.locator('#decision-changes_requested').isChecked(), '"No, it needs changes" is chosen');

  await tabTo(page, 'textarea#comment');
  await expectFocusVisible(page, 'the comment box');
  await page.keyboard.type('Say that we met in the evenings, so that people who work could come.');

  // "Yes, use my name" is chosen already, so Tab lands on it.
  await tabTo(page, 'input[name="credit"]');
  assert.equal((await focused(page)).value, 'yes');
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.locator('#credit-no').isChecked(), '"No, do not name me" is chosen');

  await tabTo(page, 'main form button[type="submit"]');
  await expectFocusVisible(page, 'the Send button');
  await pressAndWait(page, 'Enter');
  assert.match(await page.locator('main .govuk-panel').innerText(), /You asked for changes/);
  await expectAccessible(page, 'library-review-answered');

  // The lead sees the answer, and the case study is a draft again.
  await pages.lead.goto(`${server.base}/library/manage/${reviewed.id}`);
  const answers = await pages.lead.locator('main table tbody').innerText();
  assert.match(answers, /Asked for changes/);
  assert.match(answers, /met in the evenings/);
  assert.match(await pages.lead.locator('main .govuk-tag').first().innerText(), /Draft/);
});

// --- 4. the printable version ------------------------------------------------------------

test('the printable version leaves the site header and navigation off paper', async () => {
  const shown = study('Mealtimes that feel like home');
  const page = pages.lead;
  await page.goto(`${server.base}/library/case-studies/${shown.id}/print`);
  const display = (selector) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display);
  try {
    // On screen the header is there, so the check below means something.
    assert.notEqual(await display('header.govuk-template__header'), 'none');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await display('header.govuk-template__header'), 'none', 'the header is not printed');
    assert.equal(await page.locator('nav[aria-label="Main"]').isVisible(), false, 'the site navigation is not printed');
    assert.equal(await page.locator('.govuk-skip-link').isVisible(), false);
    assert.equal(await page.locator('footer .govuk-footer').isVisible(), false, 'the footer is not printed');
    assert.equal(await page.locator('main .govuk-back-link').count(), 0, 'the print version has no Back link');
    assert.ok(await page.locator('h1').isVisible(), 'the title is printed');
    assert.ok(await page.locator('main .app-prose').first().isVisible(), 'the story is printed');
    await screenshot(page, 'library-print-media');

    // The standard page, printed, leaves out its links to other versions.
    await page.goto(`${server.base}/library/case-studies/${shown.id}`);
    assert.equal(await page.locator('main a[href$="/easy-read"]').isVisible(), false);
    assert.equal(await page.locator('main .govuk-back-link').isVisible(), false);
    assert.equal(await display('header.govuk-template__header'), 'none');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});
