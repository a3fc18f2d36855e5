// Plain words for the people Coproduce serves: every participant-facing page,
// rendered by the real server, must read at about a reading age of 9.
//
// The measure is the Flesch–Kincaid grade level (the npm package
// flesch-kincaid, with syllables counted by the package syllable): a US
// school grade, so grade 4 is a reading age of about 9 to 10. A page fails
// when the visible text of its <main> scores above kMaxGrade; the failure
// names the page and its hardest sentences. docs/accessibility.md says why
// this measure and how to check one page's score.
//
// What is scored (see visibleSentences):
// - only the text inside <main>: the header, footer and cookie banner are
//   the layout's, the same on every page;
// - not what nobody sees or hears: <script>, <style>, <template>, and
//   anything inside an element with the hidden attribute or
//   aria-hidden="true". Text in govuk-visually-hidden spans IS scored: a
//   screen reader reads it aloud, so it must be plain too;
// - each heading, paragraph, list item, label, hint, table cell, button and
//   the like is a sentence of its own, as a reader meets it;
// - names of things are not the page's own wording: the organisation, the
//   person's name and details, meeting titles, places and the like (the
//   test's own data, listed in `names`) count as one short word each; so do
//   the names in `namedTerms` (the product's name, named formats, benefits
//   and bodies) and the one term every page explains where it appears,
//   "co-production";
// - the answers to the equality questions are the census categories, worded
//   as the ONS words them so that answers can be compared with the census
//   (words such as "heterosexual" or "Caribbean" cannot be made plainer
//   without losing that): on those pages the answer labels are names, and
//   only the page's own wording (question, hint, buttons, links) is scored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import {
  Client, admin, api, run, sleep, startServer, useFakeNotify, userWithRole, waitForRound,
} from '../support/server.mjs';
import { sqlScript } from '../support/sql.mjs';
import { startFakeNotify } from '../support/fake_notify.mjs';

const kMaxGrade = 4;

// The test's own data: shown on pages, but not their wording. Longest first,
// so a longer name is replaced before a shorter one inside it.
const names = [
  admin.organisation, 'Carers Board', 'Shape support for carers', 'Spring meeting', 'Winter meeting', 'Summer meeting',
  'Town hall, room 2', 'Library', 'Cy Mail', 'cy@example.org', 'Papers arrive too late to read',
  'We will send papers a week before', 'Grace Hopper', 'grace@example.org', '01632 960 001', 'Northfield',
  'A table near the door', 'Polish', 'Chair', 'Carers Voice Panel', 'Shape local services',
].sort((a, b) => b.length - a.length);

// Names and the one necessary term, each counted as one short word.
const namedTerms = ['co-production', 'Co-production', 'Coproduce', 'Easy Read', 'British Sign Language',
  'Universal Credit', "Information Commissioner's Office", 'Information Commissioner’s Office', 'UK GDPR',
  'Equality and Human Rights Commission', 'Equality Advisory and Support Service'];

const blockTags = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'label', 'legend', 'td', 'th', 'dt', 'dd',
  'button', 'summary', 'caption', 'div', 'br', 'ul', 'ol', 'dl', 'table', 'tr', 'form', 'fieldset', 'details',
  'section', 'header', 'footer', 'nav', 'main', 'option', 'select', 'textarea', 'input', 'figure', 'figcaption',
  'blockquote', 'hr', 'img']);
const voidTags = new Set(['br', 'img', 'input', 'hr', 'meta', 'link', 'source', 'wbr', 'col', 'area', 'base']);
const silentTags = new Set(['script', 'style', 'template', 'svg']);

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', pound: '£', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', hellip: '…' };
const decode = (s) => s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e) => {
  if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  return entities[e.toLowerCase()] ?? m;
});

// The sentences a person reads (or hears) in the page's <main>.
// With `answersAreNames`, the labels of radios and checkboxes are left out.
export function visibleSentences(html, { answersAreNames = false } = {}) {
  const m = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(html);
  assert.ok(m, 'the page has a <main>');
  const blocks = [];
  let current = '';
  const flush = () => { if (current.trim()) blocks.push(current.trim()); current = ''; };
  const stack = []; // { tag, silent }
  const silent = () => stack.some((e) => e.silent);
  for (const token of m[1].split(/(<!--[\s\S]*?-->|<[^>]+>)/)) {
    if (!token) continue;
    if (token.startsWith('<!--')) continue;
    const tag = /^<(\/?)([a-zA-Z][\w-]*)([^>]*)>$/.exec(token);
    if (!tag) {
      if (!silent()) current += decode(token);
      continue;
    }
    const [, closing, rawName, attrs] = tag;
    const name = rawName.toLowerCase();
    if (blockTags.has(name)) flush();
    if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    if (voidTags.has(name) || attrs.trim().endsWith('/')) {
      // An image's alt text is read out in its place.
      const alt = /\balt="([^"]*)"/.exec(attrs);
      if (name === 'img' && alt && !silent()) { current += decode(alt[1]); flush(); }
      continue;
    }
    stack.push({ tag: name, silent: silentTags.has(name) || /\shidden(\s|=|$)/.test(attrs) || /aria-hidden="true"/.test(attrs)
        || (answersAreNames && name === 'label' && /govuk-(radios|checkboxes)__label/.test(attrs)) });
  }
  flush();
  const sentences = [];
  for (let block of blocks) {
    for (const n of [...names, ...namedTerms]) block = block.split(n).join('Name');
    block = block.replace(/\S+@\S+\.\S+/g, 'Name');
    for (const s of block.split(/(?<=[.!?])\s+/)) {
      if (wordsOf(s).length) sentences.push(s.replace(/\s+/g, ' ').trim());
    }
  }
  return sentences;
}

// Words are runs with a letter or digit in them; a number counts as one
// syllable ("14", "£30.00"), as does a word the syllable counter gives 0.
const wordsOf = (s) => s.split(/[\s/–—]+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter((w) => /[\p{L}\p{N}]/u.test(w));
const syllables = (w) => (/^\p{L}/u.test(w) ? Math.max(1, syllable(w)) : 1);

export function grade(sentences) {
  const words = sentences.flatMap(wordsOf);
  if (!words.length) return 0;
  return fleschKincaid({ sentence: sentences.length, word: words.length, syllable: words.reduce((n, w) => n + syllables(w), 0) });
}

const scores = [];
let failures = [];

// Scores one page and notes it when it is too hard, naming its hardest
// sentences; noted() then fails the test with every such page.
function assertPlain(label, res, options) {
  assert.equal(res.status < 500, true, `${label} answered ${res.status}`);
  const sentences = visibleSentences(res.text_, options);
  const score = grade(sentences);
  scores.push([label, score]);
  console.log(`readability: ${label}: grade ${score.toFixed(1)} (${sentences.length} sentences)`);
  if (process.env.READABILITY_SHOW) console.log(sentences.map((x) => `    | ${x}`).join('\n'));
  if (score > kMaxGrade) {
    const worst = sentences.map((s) => [grade([s]), s]).sort((a, b) => b[0] - a[0]).slice(0, 6)
      .map(([g, s]) => `  ${g.toFixed(1)}  ${s}`).join('\n');
    failures.push(`${label} scores Flesch–Kincaid grade ${score.toFixed(1)}, above ${kMaxGrade}. Its hardest sentences:\n${worst}`);
  }
}

function noted() {
  const found = failures;
  failures = [];
  if (found.length) assert.fail(found.join('\n\n'));
}

// Posts a form with repeated fields the way a page does.
async function postPairs(c, url, pairs) {
  const body = new URLSearchParams([['csrf_token', c.cookies.get('coproduce_csrf')], ...pairs]).toString();
  return c.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

describe('participant pages are in plain words (Flesch–Kincaid grade 4 or below)', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => {
    console.log(`readability summary:\n${scores.map(([l, s]) => `  ${s.toFixed(1).padStart(5)}  ${l}`).join('\n')}`);
    await server?.stop();
  });

  test('public pages', async () => {
    const c = new Client(server.base);
    for (const url of ['/', '/what-is-co-production', '/what-is-co-production/easy-read', '/privacy', '/sign-in',
      '/password-reset', '/cookies', '/accessibility']) {
      assertPlain(url, await c.get(url));
    }
    noted();
  });

  test('the pages around a survey\'s questions: its start, its Easy Read, resuming and the confirmation', async () => {
    const staff = new Client(server.base);
    await staff.signIn();
    const created = await staff.post('/surveys', { source: 'template', title: 'Your views' }, { formPage: '/surveys/new' });
    assert.equal(created.status, 303, created.text_);
    const id = created.headers.get('location').match(/\/surveys\/(\d+)/)[1];
    assert.equal((await staff.post(`/surveys/${id}/status`, { status: 'open' }, { formPage: `/surveys/${id}` })).status, 303);
    const slug = (await staff.get(`/surveys/${id}`)).text_.match(/href="\/s\/([^"]+)"/)[1];
    const c = new Client(server.base);
    const start = await c.get(`/s/${slug}`);
    assertPlain(`/s/${slug}`, start);
    const easy = await c.get(`/s/${slug}/easy-read`);
    assert.match(easy.text_, /<p class="govuk-body-l">Easy Read\./, 'the Easy Read version of the start');
    assert.match(easy.text_, /<img class="app-easy-read__picture" src="\/static\/images\/easy-read\/lock.svg" alt="A lock"/);
    assertPlain(`/s/${slug}/easy-read`, easy);
    assertPlain(`/s/${slug}/resume`, await c.get(`/s/${slug}/resume`));
    // The Easy Read Start button starts the survey like the standard one.
    const started = await c.post(`/s/${slug}/start`, {}, { formPage: `/s/${slug}/easy-read` });
    assert.equal(started.status, 303);
    assert.equal(started.headers.get('location'), `/s/${slug}/page/1`);
    noted();
  });

  test('every page of Get involved, from the start to the confirmation, and a page with an error', async () => {
    const c = new Client(server.base);
    assertPlain('/get-involved', await c.get('/get-involved'));
    const easy = await c.get('/get-involved/easy-read');
    assert.match(easy.text_, /<p class="govuk-body-l">Easy Read\./, 'the Easy Read version of Get involved');
    assertPlain('/get-involved/easy-read', easy);
    assert.equal((await postPairs(c, '/get-involved', [])).status, 303);
    assertPlain('/get-involved/name (with an error)', await postPairs(c, '/get-involved/name', [['name', '']]));
    const steps = [
      ['name', [['name', 'Grace Hopper']]],
      ['contact', [['email', 'grace@example.org'], ['phone', '01632 960 001']]],
      ['contact-preference', [['contact_by', 'phone']]],
      ['formats', [['formats', 'easy_read'], ['formats', 'other_language'], ['other_language', 'Polish']]],
      ['access-needs', [['access_needs', 'hearing_loop'], ['access_other', 'A table near the door']]],
      ['experience', [['lived_experience', 'unpaid_carer']]],
      ['care-kinds', [['care_kinds', 'home_care']]],
      ['area', [['area', 'Northfield']]],
      ['availability', [['availability', 'weekday_evening']]],
      ['ways', [['ways', 'online']]],
      ['payment', [['payment', 'paid']]],
      ['benefits-advice', [['benefits_advice', 'yes']]],
      ['equality', [['equality_choice', 'answer']]],
      ['age', [['age_band', '65_74']]],
      ['sex', [['sex', 'female']]],
      ['gender-identity', [['gender_identity', 'same']]],
      ['ethnic-group', [['ethnic_group', 'black']]],
      ['ethnic-background', [['ethnic_group', 'black_caribbean']]],
      ['disability', [['disability', 'prefer_not_to_say']]],
      ['sexual-orientation', [['sexual_orientation', 'straight']]],
      ['religion', [['religion', 'christian']]],
      ['carer', [['carer', 'up_to_19']]],
      ['consent', [['consent', 'yes']]],
    ];
    const census = new Set(['age', 'sex', 'gender-identity', 'ethnic-group', 'ethnic-background', 'disability',
      'sexual-orientation', 'religion', 'carer']);
    for (const [page, pairs] of steps) {
      const url = `/get-involved/${page}`;
      assertPlain(url, await c.get(url), { answersAreNames: census.has(page) });
      const res = await postPairs(c, url, pairs);
      assert.equal(res.status, 303, `${url}: ${res.text_.slice(0, 500)}`);
    }
    assertPlain('/get-involved/check', await c.get('/get-involved/check'));
    assertPlain('/get-involved/check (sent: the confirmation)', await postPairs(c, '/get-involved/check', []));
    noted();
  });

  test("a participant's own pages: activities, the rating question, payments and data", async () => {
    const lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).client;
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    const person = await (await api(server, token, 'POST', '/api/v1/people', {
      name: 'Cy Mail', email: 'cy@example.org', contact_by: 'email', payment: 'paid', consent: true,
      lived_experience: ['unpaid_carer'], formats: ['easy_read'], access_needs: ['hearing_loop'],
    })).json();
    const group = await (await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Carers Board', purpose: 'Shape support for carers', setting: 'council', size: 2, ladder_aim: 'co_production',
    })).json();
    // How Cy came to be a member does not matter here.
    await sqlScript(server.db, `INSERT INTO group_members (group_id, person_id, status, invited_at, responded_at)
      VALUES (${group.id}, ${person.id}, 'accepted', '2026-01-05T10:00:00Z', '2026-01-06T10:00:00Z')`);
    const activities = [];
    for (const [title, when] of [['Spring meeting', '2026-04-14T10:30'], ['Winter meeting', '2026-01-20T14:00']]) {
      const a = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/activities`, {
        kind: 'meeting', title, starts_at: when, duration_minutes: 60, place: 'Town hall, room 2',
      })).json();
      assert.equal((await api(server, token, 'POST', `/api/v1/activities/${a.id}/invite`)).status, 200);
      assert.equal((await api(server, token, 'POST', `/api/v1/activities/${a.id}/attendance`, {
        attendance: [{ person_id: person.id, attendance: 'attended' }],
      })).status, 200);
      activities.push(a.id);
    }
    const upcoming = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/activities`, {
      kind: 'meeting', title: 'Summer meeting', starts_at: '2099-06-01T10:00', duration_minutes: 60, place: 'Library',
    })).json();
    assert.equal((await api(server, token, 'POST', `/api/v1/activities/${upcoming.id}/invite`)).status, 200);
    assert.equal((await lead.post(`/activities/${activities[0]}/actions`, {
      you_said: 'Papers arrive too late to read', we_did: 'We will send papers a week before', owner: 'Chair',
      status: 'planned', day: '1', month: '5', year: '2099',
    }, { formPage: `/activities/${activities[0]}/actions/new` })).status, 303);
    assert.equal((await lead.post('/payments/rates', { 'rate-member-hour': '20' })).status, 303);
    assert.equal((await lead.post(`/activities/${activities[0]}/payments`, {}, { formPage: `/activities/${activities[0]}` })).status, 200);

    const cy = (await userWithRole(server, admin.organisation, 'cy@example.org', 'participant')).client;
    // Cy asked for Easy Read: each of their own pages shows its Easy Read
    // version first, and offers the standard page.
    for (const url of ['/my-activities', '/my-payments', '/my-data']) {
      const first = await cy.get(url);
      assert.match(first.text_, /<p class="govuk-body-l">Easy Read\./, `${url} is in Easy Read first`);
      assert.ok(first.text_.includes(`href="${url}?version=standard"`), `${url} offers the standard page`);
      assertPlain(`${url} (Easy Read, shown first)`, first);
      const standard = await cy.get(`${url}?version=standard`);
      assert.ok(standard.text_.includes(`href="${url}/easy-read"`), `${url} offers its Easy Read version`);
    }
    // A survey's start page too.
    const created = await lead.post('/surveys', { source: 'template', title: 'Carers views' }, { formPage: '/surveys/new' });
    const surveyId = created.headers.get('location').match(/\/surveys\/(\d+)/)[1];
    assert.equal((await lead.post(`/surveys/${surveyId}/status`, { status: 'open' }, { formPage: `/surveys/${surveyId}` })).status, 303);
    const slug = (await lead.get(`/surveys/${surveyId}`)).text_.match(/href="\/s\/([^"]+)"/)[1];
    const surveyFirst = await cy.get(`/s/${slug}`);
    assert.match(surveyFirst.text_, /<p class="govuk-body-l">Easy Read\./, 'a survey starts in Easy Read for Cy');
    assert.ok(surveyFirst.text_.includes(`href="/s/${slug}?version=standard"`), 'and offers the standard page');
    assert.match((await cy.get(`/s/${slug}?version=standard`)).text_, /Read about this survey in Easy Read/);
    assertPlain('/my-activities', await cy.get('/my-activities?version=standard'));
    const rating = `/my-activities/${activities[0]}/rating`;
    assertPlain('/my-activities/{id}/rating', await cy.get(rating));
    assertPlain('/my-activities/{id}/rating (with an error)', await cy.post(rating, {}));
    assert.equal((await cy.post(rating, { [`rung-${activities[0]}`]: 'co_design' })).status, 303);
    assertPlain('/my-activities/{id}/rating (the next meeting)', await cy.get(`/my-activities/${activities[1]}/rating?sent=1`));
    assertPlain('/my-activities (after rating)', await cy.get('/my-activities?rated=1&version=standard'));
    assertPlain('/my-activities/easy-read (after rating)', await cy.get('/my-activities/easy-read'));
    assertPlain('/my-payments', await cy.get('/my-payments?version=standard'));
    const fd = new FormData();
    fd.set('csrf_token', cy.cookies.get('coproduce_csrf'));
    assertPlain('/my-payments (a claim with errors)', await cy.request('POST', '/my-payments/claims', { body: fd }));
    assertPlain('/my-data', await cy.get('/my-data?version=standard'));
    assertPlain('/my-data/edit', await cy.get('/my-data/edit'));
    assertPlain('/my-data/erase', await cy.get('/my-data/erase'));
    noted();
  });

  // The offer of a place reaches a person only as a link in a message, so
  // this server sends through a fake GOV.UK Notify, as message_events does.
  test('the offer of a place on a group, reached from its link in an email', async () => {
    const secretKey = 'a passphrase for the readability tests';
    const publicUrl = 'https://coproduce.test.example';
    const own = await startServer({
      args: ['--public-url', publicUrl, '--message-senders', '1', '--message-retry-seconds', '1', '--message-poll-ms', '100',
        '--message-check-seconds', '0', '--reminder-hours', '0'],
      env: { COPRODUCE_SECRET_KEY: secretKey },
    });
    const notify = await startFakeNotify();
    try {
      const set = await useFakeNotify(own.db, admin.organisation, notify, secretKey);
      assert.equal(set.code, 0, set.stderr);
      await userWithRole(own, admin.organisation, 'lead@example.org', 'coproduction-lead');
      const token = (await run(['admin', 'create-token', '--database', own.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
      for (const [name, email] of [['Dee Drawn', 'dee@example.org'], ['Eli Entry', 'eli@example.org']]) {
        const res = await api(own, token, 'POST', '/api/v1/people', {
          name, email, contact_by: 'email', consent: true, lived_experience: ['unpaid_carer'],
        });
        assert.equal(res.status, 201);
      }
      const group = (await (await api(own, token, 'POST', '/api/v1/groups', {
        name: 'Carers Voice Panel', purpose: 'Shape local services', setting: 'council', size: 2, ladder_aim: 'co_production',
      })).json()).id;
      const round = (await (await api(own, token, 'POST', `/api/v1/groups/${group}/recruit`, { categories: ['experience'], quotas: [] })).json()).id;
      assert.equal((await api(own, token, 'POST', `/api/v1/recruit/${round}/run`)).status, 202);
      assert.equal((await waitForRound(own, token, round)).status, 'done');
      assert.equal((await api(own, token, 'POST', `/api/v1/recruit/${round}/draw`, {})).status, 200);
      assert.equal((await api(own, token, 'POST', `/api/v1/recruit/${round}/invite`)).status, 200);
      let link;
      for (let i = 0; i < 200 && !link; i += 1) {
        const body = notify.sent.map((n) => n.personalisation?.body ?? '').join('\n');
        link = new RegExp(`${publicUrl.replace(/[.]/g, '\\.')}(/offers/[A-Za-z0-9_-]{16,})`).exec(body)?.[1];
        if (!link) await sleep(100);
      }
      assert.ok(link, 'an offer was emailed with its link');
      const visitor = new Client(own.base);
      assertPlain('/offers/{token}', await visitor.get(link));
      assertPlain('/offers/{token} (with an error)', await visitor.post(link, {}));
      noted();
    } finally {
      await notify.close?.();
      await own.stop();
    }
  });
});
