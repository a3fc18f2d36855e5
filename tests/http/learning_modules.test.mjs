// Adding and changing learning modules through the pages, as a learning
// lead does: the pages, Easy Read pages and knowledge check are typed as
// plain text (src/learning/module_text.h), a mistake names its field and
// line and saves nothing, and each organisation changes only its own copy
// of the starter module.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  admin, api, run, startServer, userWithRole,
} from '../support/server.mjs';

const modulesUrl = '/api/v1/learning/modules';

// HTML text as a person reads it.
function decode(html) {
  return html.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (all, e) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function attributes(text) {
  const out = {};
  for (const m of text.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out[m[1]] = m[2] === undefined ? '' : decode(m[2]);
  return out;
}

// The fields the module form would send as it stands: [name, value] pairs
// (checkboxes repeat their name), without the CSRF token.
function formFields(html) {
  const start = html.indexOf('<form method="post" action="/learning/modules');
  assert.ok(start >= 0, 'the page has the module form');
  const form = html.slice(start, html.indexOf('</form>', start));
  const pairs = [];
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const a = attributes(m[1]);
    if (!a.name || a.name === 'csrf_token') continue;
    if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a)) continue;
    pairs.push([a.name, a.value ?? '']);
  }
  // The parser drops the line break after <textarea>, as a browser does.
  for (const m of form.matchAll(/<textarea\b([^>]*)>\n?([\s\S]*?)<\/textarea>/g)) {
    pairs.push([attributes(m[1]).name, decode(m[2])]);
  }
  return pairs;
}

const value = (pairs, name) => pairs.find(([n]) => n === name)?.[1];

// Posts `pairs` as a page form does, with the CSRF token; repeated names
// (ticked checkboxes) are sent repeatedly.
async function postForm(client, url, pairs) {
  if (!client.cookies.has('coproduce_csrf')) await client.get('/learning/modules');
  const body = new URLSearchParams([['csrf_token', client.cookies.get('coproduce_csrf')], ...pairs]).toString();
  return client.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

async function modules(server, token) {
  const res = await api(server, token, 'GET', modulesUrl);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).modules;
}

// The messages of the error summary, in order, and where each links.
function errorSummary(html) {
  const box = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
  if (!box) return [];
  return [...box[0].matchAll(/<a href="#([\w-]+)">([\s\S]*?)<\/a>/g)].map((m) => ({ field: m[1], text: decode(m[2]) }));
}

const pagesText = [
  '# Why listening matters',
  '',
  'People feel heard when you give them **time**.',
  '',
  '# How to listen',
  '',
  '## Look and wait',
  '',
  '- Look at the person',
  '- Wait until they have finished',
  '',
].join('\n');

const questionsText = [
  '? Which of these is listening?',
  '* Waiting for them to finish | Yes: let them finish.',
  '- Talking over them | No. That stops them speaking.',
  '',
  '?? Which of these help? Choose all that apply.',
  '* Eye contact',
  '* Checking back what you heard | Yes.',
  '- Looking at your phone | No.',
  '',
].join('\n');

const listening = [
  ['title', 'Listening to the people you support'],
  ['summary', 'How to listen well, for everyone who works with people who draw on care.'],
  ['outcomes', 'Listen without interrupting\nCheck back what you heard\n'],
  ['role_categories', 'care_worker'],
  ['role_categories', 'supervisor_leader'],
  ['standards', '6'],
  ['standards', '7'],
  ['delivery', 'elearning'],
  ['minutes', '20'],
  ['refresh_months', '12'],
  ['pages', pagesText],
  ['easy_read', '# Listening\n\nListening is important.\n'],
  ['questions', questionsText],
  ['pass_mark', '75'],
];

const changed = (pairs, name, to) => pairs.map(([n, v]) => [n, n === name ? to : v]);

describe('learning modules through the pages', () => {
  let server;
  let lead;

  before(async () => {
    server = await startServer();
    lead = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead');
  });
  after(async () => { await server?.stop(); });

  test('a learning lead adds a module through the form; the API lists it and the form gives it back as typed', async () => {
    const form = await lead.client.get('/learning/modules/new');
    assert.equal(form.status, 200);
    for (const id of ['title', 'summary', 'outcomes', 'role_categories', 'standards', 'delivery', 'minutes',
      'refresh_months', 'pages', 'easy_read', 'questions', 'pass_mark']) {
      assert.match(form.text_, new RegExp(`id="${id}"`), `the form has ${id}`);
    }

    const res = await postForm(lead.client, '/learning/modules', listening);
    assert.equal(res.status, 303, res.text_);
    const id = Number(res.headers.get('location').match(/^\/learning\/modules\/(\d+)$/)?.[1]);
    assert.ok(id > 0, res.headers.get('location'));

    const made = (await modules(server, lead.token)).find((m) => m.id === id);
    assert.deepEqual(made, {
      id,
      title: 'Listening to the people you support',
      summary: 'How to listen well, for everyone who works with people who draw on care.',
      outcomes: ['Listen without interrupting', 'Check back what you heard'],
      role_categories: ['care_worker', 'supervisor_leader'],
      standards: ['6', '7'],
      delivery: 'elearning',
      minutes: 20,
      refresh_months: 12,
      starter: false,
      pages: 2,
      easy_read: true,
      questions: 2,
      pass_mark: 75,
    });

    const page = await lead.client.get(`/learning/modules/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /How to listen/);
    assert.match(page.text_, /<h[3-6][^>]*>Look and wait<\/h[3-6]>/, 'a "## " heading is a heading inside its page');

    const edit = await lead.client.get(`/learning/modules/${id}/edit`);
    assert.equal(edit.status, 200);
    const fields = formFields(edit.text_);
    assert.equal(value(fields, 'pages'), pagesText);
    assert.equal(value(fields, 'questions'), questionsText);
    assert.deepEqual(fields.filter(([n]) => n === 'role_categories').map(([, v]) => v), ['care_worker', 'supervisor_leader']);
    assert.equal(value(fields, 'delivery'), 'elearning');
    assert.equal(value(fields, 'pass_mark'), '75');
  });

  test('a mistake in the questions names its line; every problem is listed in page order and nothing is created', async () => {
    const before_ = (await modules(server, lead.token)).length;
    const badQuestions = [
      '? Which of these is listening?',
      '* Waiting for them to finish',
      '* Nodding while you check your phone',
      '- Talking over them',
      '',
      '? Which of these help?',
      '* Eye contact',
      '',
    ].join('\n');
    let pairs = changed(listening, 'questions', badQuestions);
    pairs = changed(pairs, 'title', 'Not saved');
    pairs = changed(pairs, 'minutes', 'twenty');
    pairs = changed(pairs, 'pages', `Welcome!\n\n${pagesText}`);
    const res = await postForm(lead.client, '/learning/modules', pairs);
    assert.equal(res.status, 400);
    assert.deepEqual(errorSummary(res.text_), [
      { field: 'minutes', text: 'Enter how long the module takes as a whole number of minutes, like 45' },
      { field: 'pages', text: "Line 1: start each page with a line beginning '# ' and the page title" },
      { field: 'questions', text: "Line 1: 'choose one' questions need exactly one right answer; to let people choose more than one, start the question with '?? '" },
      { field: 'questions', text: "Line 6: a question needs at least two answers, each on its own line beginning '* ' or '- '" },
    ]);
    // Beside the field too, tied to it for screen readers, with what was typed kept.
    assert.match(res.text_, /<div id="questions-error">[\s\S]*?Line 6: a question needs at least two answers/);
    assert.match(res.text_, /id="questions" name="questions" rows="\d+" spellcheck="true" aria-describedby="questions-hint questions-error"/);
    assert.equal(value(formFields(res.text_), 'questions'), badQuestions);
    assert.equal(value(formFields(res.text_), 'minutes'), 'twenty');
    const after_ = await modules(server, lead.token);
    assert.equal(after_.length, before_, 'nothing was created');
    assert.ok(!after_.some((m) => m.title === 'Not saved'));
  });

  test("validate()'s problems are shown on the form field, with the line of the item", async () => {
    const pairs = changed(listening, 'questions', questionsText.replace('* Eye contact', `* ${'x'.repeat(1001)}`));
    const res = await postForm(lead.client, '/learning/modules', changed(pairs, 'pass_mark', '0'));
    assert.equal(res.status, 400);
    assert.deepEqual(errorSummary(res.text_), [
      { field: 'questions', text: 'Line 6: answer 1 of question 2 must be 1,000 characters or fewer' },
      { field: 'pass_mark', text: 'The pass mark must be from 1 to 100 percent' },
    ]);
  });

  test('only administrators and learning leads may add or change modules', async () => {
    const coLead = await userWithRole(server, admin.organisation, 'colead@example.org', 'coproduction-lead');
    const starter = (await modules(server, lead.token)).find((m) => m.starter).id;
    assert.equal((await coLead.client.get('/learning/modules/new')).status, 403);
    assert.equal((await coLead.client.get(`/learning/modules/${starter}/edit`)).status, 403);
    assert.equal((await postForm(coLead.client, '/learning/modules', listening)).status, 403);
    assert.equal((await postForm(coLead.client, `/learning/modules/${starter}/edit`, listening)).status, 403);
    assert.equal((await lead.client.get('/learning/modules/999999/edit')).status, 404);
  });
});

describe("changing the starter module changes only the organisation's own copy", () => {
  let server;
  let lead;
  let other;

  before(async () => {
    server = await startServer();
    lead = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead');
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Other Trust']);
    other = await userWithRole(server, 'Other Trust', 'learning@other.example.org', 'learning-lead');
  });
  after(async () => { await server?.stop(); });

  test('a new title for the starter module shows in one organisation, not the other, and nothing else changes', async () => {
    const mine = (await modules(server, lead.token)).find((m) => m.starter);
    const theirs = (await modules(server, other.token)).find((m) => m.starter);
    assert.notEqual(mine.id, theirs.id);

    const edit = await lead.client.get(`/learning/modules/${mine.id}/edit`);
    assert.equal(edit.status, 200);
    const fields = formFields(edit.text_);
    assert.equal(value(fields, 'title'), 'Working in co-production');
    const res = await postForm(lead.client, `/learning/modules/${mine.id}/edit`,
      changed(fields, 'title', 'Working in co-production at Test Council'));
    assert.equal(res.status, 303, JSON.stringify(errorSummary(res.text_)));
    assert.equal(res.headers.get('location'), `/learning/modules/${mine.id}`);

    const now = (await modules(server, lead.token)).find((m) => m.id === mine.id);
    // New English words: the Welsh translation no longer says the same, so it goes.
    const { translations, ...english } = mine;
    assert.ok(translations.cy.title);
    assert.deepEqual(now, { ...english, title: 'Working in co-production at Test Council' });
    // The text parts went through the form and came back the same.
    const again = formFields((await lead.client.get(`/learning/modules/${mine.id}/edit`)).text_);
    assert.deepEqual(again, changed(fields, 'title', 'Working in co-production at Test Council'));

    const still = (await modules(server, other.token)).find((m) => m.starter);
    assert.deepEqual(still, theirs);
    assert.equal(still.title, 'Working in co-production');
    // Nor can one organisation open the other's copy.
    assert.equal((await other.client.get(`/learning/modules/${mine.id}/edit`)).status, 404);
    assert.equal((await postForm(other.client, `/learning/modules/${mine.id}/edit`, fields)).status, 404);
  });
});
