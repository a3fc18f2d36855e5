// Surveys over HTTP: who may manage and see them, taking one page by page
// (conditions, every validation message, save and resume), when it is not
// open, anonymous mode, importing and exporting responses, and the findings
// page and analysis API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Client, admin, run, startServer, userWithRole,
} from '../support/server.mjs';
import { auditLog } from '../support/audit.mjs';
import { sql, sqlColumns } from '../support/sql.mjs';

const password = 'a long enough password';

// A questionnaire with every kind of rule, for the validation messages.
const rulesDefinition = {
  format: 'coproduce-survey/1',
  id: 'rules',
  title: 'Every rule',
  questions: [
    { code: 'name', type: 'short_text', page: 1, text: 'What is your first name?', validation: { required: true, max: 10 } },
    { code: 'postcode', type: 'short_text', page: 1, text: 'What is your postcode?', validation: { pattern: '[A-Z]{1,2}[0-9]{1,2} ?[0-9][A-Z]{2}' } },
    { code: 'age', type: 'number', page: 1, text: 'How old are you?', validation: { required: true, min: 18, max: 120 } },
    { code: 'started', type: 'date', page: 2, text: 'When did you start?', validation: { required: true } },
    {
      code: 'help', type: 'multiple', page: 2, text: 'What would help?', other_specify: true,
      options: [{ code: 'time', label: 'Time' }, { code: 'money', label: 'Money' }, { code: 'training', label: 'Training' }, { code: 'other', label: 'Something else' }],
      validation: { min_choices: 1, max_choices: 2 },
    },
    { code: 'score', type: 'rating', page: 3, text: 'How likely are you to recommend it?', scale: { min: 0, max: 10 }, validation: { required: true } },
    {
      code: 'views', type: 'likert', page: 3, points: 5, text: 'How much do you agree?',
      items: [{ code: 'clear', label: 'The survey is clear' }, { code: 'short', label: 'The survey is short' }], validation: { required: true },
    },
    { code: 'story', type: 'long_text', page: 4, text: 'Tell us more', validation: { min: 5 } },
  ],
};

// Posts multipart/form-data the way the upload forms do, with the CSRF token.
async function postFiles(client, url, fields, files = {}) {
  if (!client.cookies.has('coproduce_csrf')) await client.get('/sign-in');
  const body = new FormData();
  body.set('csrf_token', client.cookies.get('coproduce_csrf'));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const [k, { name, text }] of Object.entries(files)) body.set(k, new Blob([text]), name);
  return client.request('POST', url, { body });
}

const addUser = async (server, email, role) => (await userWithRole(server, admin.organisation, email, role)).client;

function errorLinks(html) {
  return [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"')]);
}

describe('surveys', () => {
  let server;
  let lead;
  let analyst;
  let adminClient;
  let analystToken;

  // How many responses survey `id` holds, sent or not, as the API counts them.
  async function responseCount(id) {
    const res = await fetch(`${server.base}/api/v1/surveys`, { headers: { authorization: `Bearer ${analystToken}` } });
    assert.equal(res.status, 200);
    return (await res.json()).surveys.find((s) => String(s.id) === String(id)).starts;
  }

  // The audit log's entries about survey `id`, as the administrator reads them.
  const auditOf = async (id) => (await auditLog(server)).filter((e) => e.subject === `Survey ${id}`).map((e) => e.action);

  // Creates a survey (from the template or a definition), opens it and
  // returns { id, slug }.
  async function createSurvey({ definition, open = true } = {}) {
    const res = definition
      ? await postFiles(lead, '/surveys', { source: 'upload', title: '' }, { definition: { name: 'rules.json', text: JSON.stringify(definition) } })
      : await postFiles(lead, '/surveys', { source: 'template', title: '' });
    assert.equal(res.status, 303, res.text_);
    const id = res.headers.get('location').match(/\/surveys\/(\d+)/)[1];
    const page = await lead.get(`/surveys/${id}`);
    const slug = page.text_.match(/href="\/s\/([^"]+)"/)[1];
    if (open) assert.equal((await lead.post(`/surveys/${id}/status`, { status: 'open' }, { formPage: `/surveys/${id}` })).status, 303);
    return { id, slug };
  }

  // A fresh respondent who has pressed Start; returns the client and the first page's address.
  async function respondent(slug, client = new Client(server.base)) {
    await client.get(`/s/${slug}`);
    const res = await client.post(`/s/${slug}/start`, {}, { formPage: `/s/${slug}` });
    assert.equal(res.status, 303, res.text_);
    return { client, next: res.headers.get('location') };
  }

  before(async () => {
    server = await startServer();
    adminClient = new Client(server.base);
    await adminClient.signIn();
    lead = await addUser(server, 'lead@example.org', 'coproduction-lead');
    analyst = await addUser(server, 'analyst@example.org', 'analyst');
    analystToken = (await run(['admin', 'create-token', '--database', server.db, '--email', 'analyst@example.org'])).trim().split('\n').at(-1);
  });
  after(async () => { await server?.stop(); });

  test('only administrators and co-production leads manage surveys; analysts see results; others are refused', async () => {
    const { id } = await createSurvey();
    const anon = new Client(server.base);
    const out = await anon.get('/surveys');
    assert.equal(out.status, 303);
    assert.match(out.headers.get('location'), /^\/sign-in/);
    for (const role of ['learning-lead', 'participant']) {
      const c = await addUser(server, `${role}@example.org`, role);
      assert.equal((await c.get('/surveys')).status, 403, role);
      assert.equal((await c.get(`/surveys/${id}/findings`)).status, 403, role);
      assert.equal((await c.get(`/surveys/${id}/responses.csv`)).status, 403, role);
    }
    assert.equal((await analyst.get('/surveys')).status, 200);
    assert.equal((await analyst.get(`/surveys/${id}/findings`)).status, 200);
    assert.equal((await analyst.get(`/surveys/${id}/responses.csv`)).status, 200);
    assert.equal((await analyst.get('/surveys/new')).status, 403);
    assert.equal((await postFiles(analyst, '/surveys', { source: 'template' })).status, 403);
    assert.equal((await analyst.post(`/surveys/${id}/status`, { status: 'closed' }, { formPage: '/surveys' })).status, 403);
    const page = await analyst.get(`/surveys/${id}`);
    assert.doesNotMatch(page.text_, /Close the survey/);
    assert.equal((await adminClient.get('/surveys/new')).status, 200);
  });

  test('creating names what is missing and a broken definition file by where it breaks', async () => {
    const none = await postFiles(lead, '/surveys', { title: 'x' });
    assert.equal(none.status, 400);
    assert.deepEqual(errorLinks(none.text_), [['#source', 'Select where the questions come from']]);
    const noFile = await postFiles(lead, '/surveys', { source: 'upload' });
    assert.deepEqual(errorLinks(noFile.text_), [['#definition', 'Choose a questionnaire file to upload']]);
    const broken = await postFiles(lead, '/surveys', { source: 'upload' }, { definition: { name: 'mine.json', text: '{\n  "format": "coproduce-survey/1",\n  "questions": [\n' } });
    assert.equal(broken.status, 400);
    assert.match(broken.text_, /mine\.json, line \d+/);
    const notXlsx = await postFiles(lead, '/surveys', { source: 'upload' }, { definition: { name: 'partners.xlsx', text: 'not a spreadsheet' } });
    assert.equal(notXlsx.status, 400);
    assert.match(notXlsx.text_, /partners\.xlsx/);
  });

  test('a questionnaire co-written in an XLSForm spreadsheet is uploaded as a survey', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-xlsform-'));
    const file = path.join(dir, 'form.xlsx');
    await run(['survey', 'xlsform', 'export', '--template', 'coproduction', '--output', file]);
    const bytes = await readFile(file);
    await rm(dir, { recursive: true, force: true });
    const res = await postFiles(lead, '/surveys', { source: 'upload', title: 'From the spreadsheet' }, { definition: { name: 'form.xlsx', text: bytes } });
    assert.equal(res.status, 303, res.text_.slice(0, 500));
    const page = await lead.get(res.headers.get('location'));
    assert.match(page.text_, /From the spreadsheet/);
  });

  test('a workforce respondent goes through every page that applies, checks and sends', async () => {
    const { id, slug } = await createSurvey();
    const start = await new Client(server.base).get(`/s/${slug}`);
    assert.match(start.text_, /This survey is anonymous/);
    assert.match(start.text_, /It takes about \d+ minutes/);
    const { client, next } = await respondent(slug);
    assert.equal(next, `/s/${slug}/page/1`);
    const p1 = await client.get(next);
    // Before the first answer, only the pages everyone sees count.
    assert.match(p1.text_, /Page 1 of 4/);
    let res = await client.post(`/s/${slug}/page/1`, { group: 'workforce', action: 'continue' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2`);
    const p2 = await client.get(`/s/${slug}/page/2`);
    assert.match(p2.text_, /Page 2 of 6/);
    assert.match(p2.text_, /What is your role\?/);
    res = await client.post(`/s/${slug}/page/2`, { role: 'direct_care' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);
    res = await client.post(`/s/${slug}/page/3`, { heard: 'no', knowledge: 'a_little' });
    // Page 4 is for people who draw on care and carers: skipped.
    assert.equal(res.headers.get('location'), `/s/${slug}/page/5`);
    const other = await client.post(`/s/${slug}/page/5`, { barriers: 'other', training_had: 'no' });
    assert.equal(other.status, 400);
    assert.deepEqual(errorLinks(other.text_), [['#barriers_other', 'Tell us what the other option is']]);
    res = await client.request('POST', `/s/${slug}/page/5`, {
      body: new URLSearchParams([['csrf_token', client.cookies.get('coproduce_csrf')], ['barriers', 'time'], ['barriers', 'other'], ['barriers_other', 'Rotas'], ['training_had', 'no']]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/6`);
    res = await client.post(`/s/${slug}/page/6`, { confidence: '7', 'views[listened]': 'agree' });
    res = await client.post(`/s/${slug}/page/7`, { meaning: 'Working together as equals.' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);
    const check = await client.get(`/s/${slug}/check`);
    assert.match(check.text_, /Care or support worker/);
    assert.match(check.text_, /Not enough time/);
    assert.match(check.text_, /Something else: Rotas/);
    assert.doesNotMatch(check.text_, /involved as an equal/);
    const sent = await client.post(`/s/${slug}/check`, {});
    assert.equal(sent.status, 200);
    assert.match(sent.text_, /Your answers have been sent/);
    // Sending again finds nothing to send.
    assert.equal((await client.get(`/s/${slug}/check`)).status, 303);
    const staff = await lead.get(`/surveys/${id}`);
    assert.match(staff.text_, /id="starts">1</);
    assert.match(staff.text_, /id="completes">1</);
    assert.match(staff.text_, /id="rate">100\.0%</);
    const csv = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '');
    const [header, row] = csv.trim().split('\r\n').map((l) => l.split(','));
    const cell = (name) => row[header.indexOf(name)];
    assert.deepEqual(header.slice(0, 4), ['id', 'started_at', 'submitted_at', 'last_page']);
    assert.ok(header.includes('barriers[time]') && header.includes('barriers[cost]') && header.includes('barriers_other'));
    assert.equal(cell('group'), 'workforce');
    assert.equal(cell('barriers[time]'), '1');
    assert.equal(cell('barriers[cost]'), '');
    assert.equal(cell('barriers_other'), 'Rotas');
    assert.equal(cell('involved_own_care'), '');
    assert.match(cell('submitted_at'), /^\d{4}-\d\d-\d\dT/);
  });

  test('a condition skips pages, and changing an answer drops what no longer applies', async () => {
    const { slug } = await createSurvey();
    const { client } = await respondent(slug);
    let res = await client.post(`/s/${slug}/page/1`, { group: 'workforce' });
    res = await client.post(`/s/${slug}/page/2`, { role: 'commissioner' });
    // Going back and choosing carer instead: the role page is skipped.
    res = await client.post(`/s/${slug}/page/1`, { group: 'carer' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);
    const p3 = await client.get(`/s/${slug}/page/3`);
    assert.match(p3.text_, /Page 2 of 5/);
    const skipped = await client.get(`/s/${slug}/page/2`);
    assert.equal(skipped.status, 303);
    assert.equal(skipped.headers.get('location'), `/s/${slug}/page/3`);
    for (const [page, form] of [[3, {}], [4, { involved_own_care: 'yes' }], [6, {}], [7, {}]]) {
      res = await client.post(`/s/${slug}/page/${page}`, form);
    }
    const check = await client.get(`/s/${slug}/check`);
    assert.doesNotMatch(check.text_, /Commissioner/);
    assert.match(check.text_, /involved as an equal/);
    // Changing to workforce from the check page brings in the role and
    // barriers pages before coming back.
    res = await client.post(`/s/${slug}/page/1?change=1`, { group: 'workforce' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2?change=1&more=5`);
    const rolePage = await client.get(`/s/${slug}/page/2?change=1&more=5`);
    assert.match(rolePage.text_, /action="\/s\/[^"]+\/page\/2\?change=1&amp;more=5"/);
    res = await client.post(`/s/${slug}/page/2?change=1&more=5`, { role: 'supervisor' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/5?change=1`);
    res = await client.post(`/s/${slug}/page/5?change=1`, { barriers: 'time' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);
    const changed = await client.get(`/s/${slug}/check`);
    assert.equal(changed.status, 200);
    assert.match(changed.text_, /Senior carer or team leader/);
    assert.doesNotMatch(changed.text_, /involved as an equal/);
  });

  test('save and come back later gives a code that brings the answers back in another browser', async () => {
    const { slug } = await createSurvey();
    const { client } = await respondent(slug);
    await client.post(`/s/${slug}/page/1`, { group: 'lived_experience' });
    const saved = await client.post(`/s/${slug}/page/3`, { heard: 'yes', action: 'save' });
    assert.equal(saved.status, 200);
    const code = saved.text_.match(/id="resume-code">([A-Z-]+)</)[1];
    assert.match(code, /^[A-HJ-NP-Z]{4}(-[A-HJ-NP-Z]{4}){3}$/);
    // The code is not kept in the database, only its digest.
    assert.equal(await sql(server.db, `SELECT COUNT(*) FROM survey_responses WHERE LOWER(resume_hash) LIKE '%${code.replaceAll('-', '').toLowerCase()}%'`), '0');

    const other = new Client(server.base);
    const wrong = await other.post(`/s/${slug}/resume`, { code: 'ABCD-EFGH-JKLM-NPQR' }, { formPage: `/s/${slug}/resume` });
    assert.equal(wrong.status, 400);
    assert.deepEqual(errorLinks(wrong.text_), [['#code', 'We could not find answers with that code. Check the code and try again']]);
    const short = await other.post(`/s/${slug}/resume`, { code: 'ABC' });
    assert.deepEqual(errorLinks(short.text_), [['#code', 'Enter the 16 letters of your resume code, like ABCD-EFGH-JKLM-NPQR']]);
    const back = await other.post(`/s/${slug}/resume`, { code: code.toLowerCase().replaceAll('-', ' ') });
    assert.equal(back.status, 303);
    // The check page sends them on to the page where they stopped.
    const where = await other.get(back.headers.get('location'));
    assert.equal(where.headers.get('location'), `/s/${slug}/page/3`);
    const page = await other.get(`/s/${slug}/page/3`);
    assert.match(page.text_, /value="yes" checked/);
    // The first browser's session ended when the code was used.
    assert.equal((await client.get(`/s/${slug}/page/3`)).status, 303);
  });

  test('every validation rule has its message in the error summary, linked to its field', async () => {
    const { slug } = await createSurvey({ definition: rulesDefinition });
    const { client } = await respondent(slug);
    let res = await client.post(`/s/${slug}/page/1`, {});
    assert.deepEqual(errorLinks(res.text_), [
      ['#name', 'Enter an answer: what is your first name'],
      ['#age', 'Enter an answer: how old are you'],
    ]);
    assert.match(res.text_, /<p id="name-error" class="govuk-error-message">/);
    res = await client.post(`/s/${slug}/page/1`, { name: 'Bartholomew Jones', postcode: 'nowhere', age: 'twelve' });
    assert.deepEqual(errorLinks(res.text_), [
      ['#name', 'Enter no more than 10 characters'],
      ['#postcode', 'Enter what is your postcode in the right format'],
      ['#age', 'Enter a number, like 12 or 3.5'],
    ]);
    // What was typed is kept.
    assert.match(res.text_, /value="Bartholomew Jones"/);
    res = await client.post(`/s/${slug}/page/1`, { name: 'Bart', postcode: 'AB1 2CD', age: '12' });
    assert.deepEqual(errorLinks(res.text_), [['#age', 'Enter a number between 18 and 120']]);
    res = await client.post(`/s/${slug}/page/1`, { name: 'Bart', postcode: 'AB1 2CD', age: '40' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2`);

    const page2 = async (form, help = []) => client.request('POST', `/s/${slug}/page/2`, {
      body: new URLSearchParams([['csrf_token', client.cookies.get('coproduce_csrf')], ...Object.entries(form), ...help.map((h) => ['help', h])]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    res = await page2({});
    assert.deepEqual(errorLinks(res.text_), [
      ['#started-day', 'Enter an answer: when did you start'],
      ['#help', 'Select at least one option: what would help'],
    ]);
    res = await page2({ 'started-day': '31', 'started-month': '', 'started-year': '2020' }, ['time', 'money', 'training']);
    assert.deepEqual(errorLinks(res.text_), [
      ['#started-day', 'The date must include a month'],
      ['#help', 'Select no more than 2 options'],
    ]);
    res = await page2({ 'started-day': '31', 'started-month': '2', 'started-year': '2020' }, ['time']);
    assert.deepEqual(errorLinks(res.text_), [['#started-day', 'The date must be a real date']]);
    res = await page2({ 'started-day': 'one', 'started-month': '2', 'started-year': '2020' }, ['time']);
    assert.deepEqual(errorLinks(res.text_), [['#started-day', 'Enter the date as numbers, like 27 3 2007']]);
    res = await page2({ 'started-day': '1', 'started-month': '2', 'started-year': '20' }, ['other']);
    assert.deepEqual(errorLinks(res.text_), [
      ['#started-day', 'The year must include 4 numbers'],
      ['#help_other', 'Tell us what the other option is'],
    ]);
    res = await page2({ 'started-day': '29', 'started-month': '2', 'started-year': '2024' }, ['time']);
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);

    res = await client.post(`/s/${slug}/page/3`, { 'views[clear]': 'agree' });
    assert.deepEqual(errorLinks(res.text_), [
      ['#score', 'Select an answer: how likely are you to recommend it'],
      ['#views-clear', 'Select an answer for "The survey is short"'],
    ]);
    res = await client.post(`/s/${slug}/page/3`, { score: '11', 'views[clear]': 'agree', 'views[short]': 'agree' });
    assert.deepEqual(errorLinks(res.text_), [['#score', 'Select an answer from the list']]);
    res = await client.post(`/s/${slug}/page/3`, { score: '9', 'views[clear]': 'agree', 'views[short]': 'agree' });
    res = await client.post(`/s/${slug}/page/4`, { story: 'Hi' });
    assert.deepEqual(errorLinks(res.text_), [['#story', 'Enter at least 5 characters']]);
    res = await client.post(`/s/${slug}/page/4`, { story: 'All good here' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);
    const check = await client.get(`/s/${slug}/check`);
    assert.match(check.text_, /29 February 2024/);
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
  });

  test('a survey not yet open, closed, or full says so and takes no answers', async () => {
    const { id, slug } = await createSurvey({ open: false });
    const visitor = new Client(server.base);
    let page = await visitor.get(`/s/${slug}`);
    assert.match(page.text_, /This survey is not open yet\./);
    assert.doesNotMatch(page.text_, /Start now/);
    assert.equal((await visitor.post(`/s/${slug}/start`, {})).status, 409);

    // Opening next year.
    const settings = { 'opens-day': '1', 'opens-month': '1', 'opens-year': String(new Date().getUTCFullYear() + 1), 'opens-time': '09:00', cap: '1' };
    assert.equal((await lead.post(`/surveys/${id}/settings`, settings, { formPage: `/surveys/${id}` })).status, 303);
    await lead.post(`/surveys/${id}/status`, { status: 'open' });
    page = await visitor.get(`/s/${slug}`);
    assert.match(page.text_, /This survey is not open yet\./);
    assert.match(page.text_, /It opens on 1 January \d{4} at 9:00/);

    // Open now, with a cap of one sent response.
    await lead.post(`/surveys/${id}/settings`, { cap: '1' });
    const { client } = await respondent(slug);
    const { client: late } = await respondent(slug);
    await client.post(`/s/${slug}/page/1`, { group: 'other' });
    for (const p of [3, 6, 7]) await client.post(`/s/${slug}/page/${p}`, {});
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
    page = await visitor.get(`/s/${slug}`);
    assert.match(page.text_, /This survey has had all the responses it needs, so it has closed\./);
    const refused = await late.post(`/s/${slug}/page/1`, { group: 'other' });
    assert.equal(refused.status, 409);

    await lead.post(`/surveys/${id}/settings`, {});
    await lead.post(`/surveys/${id}/status`, { status: 'closed' });
    page = await visitor.get(`/s/${slug}`);
    assert.match(page.text_, /This survey has closed\./);

    // Settings mistakes are named by field.
    const bad = await lead.post(`/surveys/${id}/settings`, { 'opens-day': '40', 'opens-month': '1', 'opens-year': '2026', cap: '0' });
    assert.equal(bad.status, 400);
    assert.deepEqual(errorLinks(bad.text_), [
      ['#opens-day', 'Enter a real date the survey opens'],
      ['#cap', 'Enter the most responses as a whole number, like 500, or leave it empty'],
    ]);
  });

  test('anonymous mode links no account; a named survey links the signed-in account', async () => {
    const participant = await addUser(server, 'person@example.org', 'participant');
    const anon = await createSurvey();
    const named = await createSurvey();
    await lead.post(`/surveys/${named.id}/settings`, {}, { formPage: `/surveys/${named.id}` });
    const named_start = await participant.get(`/s/${named.slug}`);
    assert.match(named_start.text_, /your answers will be linked to your account/);
    await respondent(anon.slug, participant);
    await respondent(named.slug, participant);
    const userId = await sql(server.db, "SELECT id FROM users WHERE email = 'person@example.org'");
    assert.equal(await responseCount(anon.id), 1);
    assert.equal(await sql(server.db, `SELECT COUNT(*) FROM survey_responses WHERE survey_id = ${anon.id} AND user_id IS NOT NULL`), '0');
    assert.equal(await sql(server.db, `SELECT user_id FROM survey_responses WHERE survey_id = ${named.id}`), userId);
    // Nothing in the responses table looks like a network address.
    const columns = await sqlColumns(server.db, 'survey_responses');
    assert.ok(columns.includes('user_id'), columns.join(', '));
    assert.ok(!columns.some((c) => /addr|ip/i.test(c)), columns.join(', '));
    // And once people have answered anonymously, it cannot be made named.
    const turned = await lead.post(`/surveys/${anon.id}/settings`, {});
    assert.equal(turned.status, 400);
    assert.deepEqual(errorLinks(turned.text_), [['#anonymous', 'People have already answered this survey anonymously, so it must stay anonymous']]);
  });

  test('importing checks every row by line and column and adds all or nothing', async () => {
    const { id } = await createSurvey();
    const exported = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '');
    const header = exported.trim();
    const cols = header.split(',');
    const row = (values) => cols.map((c) => values[c] ?? '').join(',');
    const bad = [header,
      row({ id: 'a1', started_at: '2026-03-01T10:00:00', submitted_at: '2026-03-01T10:05:00', last_page: '7', group: 'carer' }),
      row({ id: 'a2', started_at: '2026-03-01T10:00:00', last_page: '3', group: 'alien' }),
      row({ id: 'a1', started_at: 'yesterday', last_page: '1' }),
    ].join('\n') + '\n';
    const checked = await postFiles(lead, `/surveys/${id}/import`, {}, { file: { name: 'old.csv', text: bad } });
    assert.equal(checked.status, 400);
    const groupColumn = cols.indexOf('group') + 1;
    assert.match(checked.text_, new RegExp(`Line 3, column ${groupColumn}</td>\\s*<td[^>]*>&apos;alien&apos; is not an option of group`));
    assert.match(checked.text_, /Line 4, column 1<\/td>\s*<td[^>]*>the id &apos;a1&apos; is used by an earlier row[^<]*<\/td>\s*<\/tr>\s*<tr class="govuk-table__row">\s*<td class="govuk-table__cell">Line 4, column 2<\/td>\s*<td[^>]*>started_at must be a date and time/);
    assert.equal(await responseCount(id), 0);

    const good = [header,
      row({ id: 'a1', started_at: '2026-03-01T10:00:00', submitted_at: '2026-03-01T10:05:00', last_page: '7', group: 'workforce', role: 'supervisor', 'barriers[cost]': '1', meaning: '=1+1 is what it felt like' }),
      row({ id: 'a2', started_at: '2026-03-01T11:00:00', last_page: '3', group: 'carer' }),
    ].join('\n') + '\n';
    const preview = await postFiles(lead, `/surveys/${id}/import`, {}, { file: { name: 'old.csv', text: good } });
    assert.equal(preview.status, 200);
    assert.match(preview.text_, /holds <strong>2<\/strong> responses: 1 sent \(complete\) and 1 not finished/);
    assert.equal(await responseCount(id), 0);
    const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];
    const done = await lead.post(`/surveys/${id}/import/confirm`, { pending });
    assert.equal(done.status, 303);
    assert.equal(await responseCount(id), 2);
    // The same confirmation cannot be used twice.
    assert.equal((await lead.post(`/surveys/${id}/import/confirm`, { pending })).status, 404);
    // The export gives the file back in the same layout.
    const again = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(again[0], header);
    assert.equal(again[1].split(',')[cols.indexOf('barriers[cost]')], '1');
    assert.equal(again[1].split(',')[cols.indexOf('barriers[time]')], '');
    // Words typed by the public never run as a formula when the file is opened in a spreadsheet,
    // and the mark comes off again when the file is imported.
    assert.equal(again[1].split(',')[cols.indexOf('meaning')], "'=1+1 is what it felt like");
    const stored = await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND external_id = 'a1'`);
    assert.ok(stored.includes('"=1+1 is what it felt like"'), stored);
    const codebook = (await lead.get(`/surveys/${id}/codebook.csv`)).text_;
    assert.match(codebook, /barriers,barriers\[time\],What gets in the way of co-production where you work\?,multiple \(1 = ticked\),time,Not enough time,group = 'workforce'/);
    // The same responses and codebook as a spreadsheet.
    const xlsx = await fetch(`${server.base}/surveys/${id}/responses.xlsx`, { headers: { cookie: [...lead.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(xlsx.status, 200);
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
    assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
    const audit = await auditOf(id);
    assert.ok(audit.includes("Downloaded a survey's responses"), audit.join('; '));
    assert.ok(audit.includes('Imported survey responses'), audit.join('; '));
  });

  test('the findings page and the analysis API report the demo responses, with small numbers hidden', async () => {
    const { id } = await createSurvey();
    // 300 made-up responses, every fourth one unfinished.
    const header = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '').trim();
    const cols = header.split(',');
    const groups = ['lived_experience', 'carer', 'workforce', 'workforce', 'other'];
    const roles = ['direct_care', 'supervisor', 'registered_manager', 'senior_manager', 'commissioner'];
    const lines = [header];
    for (let i = 0; i < 300; i += 1) {
      const group = groups[i % groups.length];
      const v = {
        id: `r${i}`, started_at: '2026-03-01T10:00:00', submitted_at: i % 4 === 3 ? '' : '2026-03-01T10:09:00',
        last_page: i % 4 === 3 ? '3' : '7', group, heard: i % 3 ? 'yes' : 'no', knowledge: ['none', 'a_little', 'some', 'in_depth'][i % 4],
      };
      if (group === 'workforce') Object.assign(v, { role: roles[i % roles.length], 'barriers[time]': '1', 'barriers[culture]': i % 2 ? '1' : '' });
      if (group === 'carer' || group === 'lived_experience') Object.assign(v, { involved_own_care: i % 2 ? 'yes' : 'no', involved_services: 'no' });
      lines.push(cols.map((c) => v[c] ?? '').join(','));
    }
    const demo = lines.join('\n') + '\n';
    const preview = await postFiles(lead, `/surveys/${id}/import`, {}, { file: { name: 'demo.csv', text: demo } });
    assert.equal(preview.status, 200, preview.text_.slice(0, 2000));
    const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];
    assert.equal((await lead.post(`/surveys/${id}/import/confirm`, { pending })).status, 303);

    const page = await analyst.get(`/surveys/${id}/findings`);
    assert.equal(page.status, 200);
    for (const heading of ['Who has heard of co-production', 'Depth of knowledge by closeness to direct care', 'What gets in the way', 'Involved in their own care, and in services']) {
      assert.ok(page.text_.includes(heading), heading);
    }
    assert.equal((page.text_.match(/<svg class="app-chart" role="img"/g) || []).length, 4);
    assert.equal((page.text_.match(/<table class="govuk-table">/g) || []).length, 4);
    assert.match(page.text_, /counts from 1 to 7|1 to 7/i);
    const sheet = await fetch(`${server.base}/surveys/${id}/findings.xlsx`, { headers: { cookie: [...analyst.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(sheet.status, 200);
    assert.equal(Buffer.from(await sheet.arrayBuffer()).subarray(0, 2).toString(), 'PK');

    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'analyst@example.org'])).trim().split('\n').at(-1);
    const api = await fetch(`${server.base}/api/v1/surveys/${id}/analysis?suppression=none`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.status, 200);
    const body = await api.json();
    assert.equal(body.starts, 300);
    const csv = demo.trim().split('\n');
    const submittedColumn = csv[0].split(',').indexOf('submitted_at');
    const completes = csv.slice(1).filter((l) => l.split(',')[submittedColumn] !== '').length;
    assert.equal(body.completes, completes);
    const listed = await (await fetch(`${server.base}/api/v1/surveys`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.ok(listed.surveys.some((s) => String(s.id) === id && s.starts === 300));
    const bad = await fetch(`${server.base}/api/v1/surveys/${id}/analysis?suppression=some`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(bad.status, 400);
    const figures = await analyst.get(`/surveys/${id}/findings.csv`);
    assert.match(figures.headers.get('content-type'), /text\/csv/);
    assert.match(figures.text_, /section,variable,option/);
    assert.ok((await auditOf(id)).includes("Analysed a survey's responses"));
  });

  test('a bilingual survey offers its languages, shows the questions in the one chosen, and counts each', async () => {
    const { id, slug } = await createSurvey({
      definition: {
        format: 'coproduce-survey/1',
        id: 'caring',
        title: 'Caring',
        languages: [{ code: 'en', name: 'English' }, { code: 'cy', name: 'Cymraeg' }],
        translations: { cy: { title: 'Gofalu' } },
        questions: [
          {
            code: 'town', type: 'short_text', page: 1, text: 'Your town', hint: 'Where you live',
            translations: { cy: { text: 'Eich tref', hint: 'Lle rydych chi\'n byw', required_message: 'Rhowch eich tref' } },
            validation: { required: true, required_message: 'Tell us your town' },
          },
          {
            code: 'carer', type: 'yes_no', page: 2, text: 'Are you a carer?', default: 'no',
            translations: { cy: { text: "Ydych chi'n ofalwr?" } },
            options: [{ code: 'yes', label: 'Yes', translations: { cy: { label: 'Ie' } } }, { code: 'no', label: 'No', translations: { cy: { label: 'Na' } } }],
          },
        ],
      },
    });
    const start = await new Client(server.base).get(`/s/${slug}`);
    assert.match(start.text_, /Which language do you want to answer in\?/);
    assert.match(start.text_, /<input[^>]*name="language" type="radio" value="en" checked>/);
    assert.match(start.text_, /<label[^>]*lang="cy">Cymraeg<\/label>/);

    // In Welsh: the question, its hint, options and messages, each marked as Welsh.
    const client = new Client(server.base);
    await client.get(`/s/${slug}`);
    const started = await client.post(`/s/${slug}/start`, { language: 'cy' }, { formPage: `/s/${slug}` });
    assert.equal(started.status, 303, started.text_);
    const p1 = await client.get(started.headers.get('location'));
    assert.match(p1.text_, /<label class="govuk-label govuk-label--l" for="town" lang="cy">Eich tref<\/label>/);
    assert.match(p1.text_, /<div id="town-hint" class="govuk-hint" lang="cy">Lle rydych chi(&#39;|&apos;|')n byw<\/div>/);
    assert.doesNotMatch(p1.text_, /Your town/);
    // The page around the questions is Welsh too, and says so.
    assert.match(p1.text_, /<html lang="cy"/);
    assert.match(p1.text_, /id="progress">Tudalen 1 o 2</);
    assert.match(p1.text_, /value="continue">Parhau<\/button>/);
    assert.match(p1.text_, /value="save">Cadw a dod yn ôl nes ymlaen<\/button>/);
    assert.match(p1.text_, /<span class="govuk-caption-m">Gofalu<\/span>/);
    const empty = await client.post(`/s/${slug}/page/1`, { town: '' });
    assert.equal(empty.status, 400);
    assert.deepEqual(errorLinks(empty.text_), [['#town', 'Rhowch eich tref']]);
    assert.equal((await client.post(`/s/${slug}/page/1`, { town: 'Aberystwyth' })).headers.get('location'), `/s/${slug}/page/2`);
    const p2 = await client.get(`/s/${slug}/page/2`);
    assert.match(p2.text_, /<h1 class="govuk-fieldset__heading">Ydych chi(&#39;|&apos;|')n ofalwr\?<\/h1>/);
    assert.match(p2.text_, /<legend[^>]*lang="cy">/);
    // The default answer is filled in on the first visit.
    assert.match(p2.text_, /id="carer-no" name="carer" type="radio" value="no" checked/);
    assert.match(p2.text_, /<label class="govuk-label govuk-radios__label" for="carer"[^>]*lang="cy">Ie<\/label>/);
    assert.equal((await client.post(`/s/${slug}/page/2`, { carer: 'yes' })).headers.get('location'), `/s/${slug}/check`);
    const check = await client.get(`/s/${slug}/check`);
    assert.match(check.text_, /<dt class="govuk-summary-list__key" lang="cy">Eich tref<\/dt>/);
    assert.match(check.text_, />Ie</);
    assert.match(check.text_, /Gwiriwch eich atebion cyn eu hanfon/);
    assert.match(check.text_, />Anfon fy atebion</);
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);

    // In English, the default: the survey's own message, no Welsh.
    const { client: english } = await respondent(slug);
    const e1 = await english.get(`/s/${slug}/page/1`);
    assert.match(e1.text_, /for="town" lang="en">Your town</);
    assert.match(e1.text_, /<html lang="en"/);
    assert.match(e1.text_, /id="progress">Page 1 of 2</);
    const none = await english.post(`/s/${slug}/page/1`, { town: '' });
    assert.deepEqual(errorLinks(none.text_), [['#town', 'Tell us your town']]);
    await english.post(`/s/${slug}/page/1`, { town: 'Cardiff' });
    await english.post(`/s/${slug}/page/2`, { carer: 'no' });
    assert.equal((await english.post(`/s/${slug}/check`, {})).status, 200);

    // The export says which language each response used, and reads back.
    const csv = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.deepEqual(csv[0].split(',').slice(0, 6), ['id', 'started_at', 'submitted_at', 'last_page', 'language', 'town']);
    const language = csv.slice(1).map((l) => l.split(',')[4]).sort();
    assert.deepEqual(language, ['cy', 'en']);
    const columns = await sqlColumns(server.db, 'survey_responses');
    assert.ok(columns.includes('language'), columns.join(', '));

    // The findings count responses by language (small numbers hidden, as everywhere).
    const findings = await analyst.get(`/surveys/${id}/findings`);
    assert.equal(findings.status, 200);
    assert.match(findings.text_, /Sent responses by the language they were answered in/);
    assert.match(findings.text_, /<th scope="row" class="govuk-table__header" lang="cy">Cymraeg<\/th><td class="govuk-table__cell govuk-table__cell--numeric">[^<]+<\/td>/);
    assert.match(findings.text_, /<th scope="row" class="govuk-table__header" lang="en">English<\/th>/);
  });
  test('worked-out answers are kept and exported, and a choice filter offers only the choices that fit', async () => {
    const { id, slug } = await createSurvey({ definition: {
      id: 'centres', title: 'Centres and time',
      questions: [
        { code: 'hours', type: 'number', page: 1, text: 'How many hours did you give?' },
        { code: 'rate', type: 'number', page: 1, text: 'What is the pay for an hour?' },
        { code: 'owed', type: 'number', page: 1, text: 'Owed', calculation: '${hours} * ${rate}' },
        { code: 'region', type: 'single', page: 2, text: 'Which region are you in?', options: ['north', 'south'] },
        { code: 'centre', type: 'single', page: 3, text: 'Which centre do you use?', choice_filter: 'region = ${region}',
          options: [{ code: 'leeds', label: 'Leeds', columns: { region: 'north' } },
                    { code: 'bristol', label: 'Bristol', columns: { region: 'south' } },
                    { code: 'online', label: 'Online', columns: [{ region: 'north' }, { region: 'south' }] }] },
      ],
    } });
    const { client, next } = await respondent(slug);
    assert.equal(next, `/s/${slug}/page/1`);
    const first = await client.get(next);
    // Worked out, never asked.
    assert.doesNotMatch(first.text_, /Owed/);
    let res = await client.post(`/s/${slug}/page/1`, { hours: '7.5', rate: '12' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2`);
    res = await client.post(`/s/${slug}/page/2`, { region: 'south' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);
    const centres = await client.get(`/s/${slug}/page/3`);
    assert.match(centres.text_, /value="bristol"/);
    assert.match(centres.text_, /value="online"/);
    assert.doesNotMatch(centres.text_, /value="leeds"/);
    res = await client.post(`/s/${slug}/page/3`, { centre: 'leeds' });
    assert.deepEqual(errorLinks(res.text_), [['#centre', 'Select an answer from the list']]);
    res = await client.post(`/s/${slug}/page/3`, { centre: 'bristol' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);
    const check = await client.get(`/s/${slug}/check`);
    assert.doesNotMatch(check.text_, /Owed/);
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
    const csv = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const header = csv[0].split(',');
    const row = csv[1].split(',');
    assert.equal(row[header.indexOf('owed')], '90');
    assert.equal(row[header.indexOf('centre')], 'bristol');
  });
  test('staff write a survey in Welsh on the page, every box checked, and people can then answer in Welsh', async () => {
    const { id, slug } = await createSurvey({ definition: {
      id: 'visits', title: 'Visits',
      questions: [
        { code: 'town', type: 'short_text', page: 1, text: 'Your town', hint: 'Where you live' },
        { code: 'help', type: 'single', page: 2, text: 'What helps most?', options: [{ code: 'time', label: 'Time' }, { code: 'money', label: 'Money' }] },
      ],
    } });
    // Only those who manage surveys may.
    assert.equal((await analyst.get(`/surveys/${id}/translate`)).status, 403);
    const show = await lead.get(`/surveys/${id}`);
    assert.match(show.text_, /Written in: One language/);
    const form = await lead.get(`/surveys/${id}/translate`);
    assert.equal(form.status, 200);
    assert.match(form.text_, /<input[^>]*id="language_code"[^>]*value="cy"/);
    assert.match(form.text_, /<div id="q-town-hint-hint" class="govuk-hint" lang="en">Where you live<\/div>/);
    // A box left empty is named, and nothing is saved.
    const welsh = {
      written_in_name: 'English', written_in_code: 'en', language_name: 'Cymraeg', language_code: 'cy',
      title: 'Ymweliadau', 'q-town-text': 'Eich tref', 'q-town-hint': 'Lle rydych chi\'n byw',
      'q-help-text': "Beth sy'n helpu fwyaf?", 'q-help-o-time': 'Amser', 'q-help-o-money': '',
    };
    let res = await lead.post(`/surveys/${id}/translate`, welsh, { formPage: `/surveys/${id}/translate` });
    assert.equal(res.status, 400);
    assert.deepEqual(errorLinks(res.text_), [['#q-help-o-money', 'Enter the Cymraeg for: An answer to question 2']]);
    assert.match(res.text_, /value="Eich tref"/);
    assert.match((await lead.get(`/surveys/${id}`)).text_, /Written in: One language/);
    res = await lead.post(`/surveys/${id}/translate`, { ...welsh, 'q-help-o-money': 'Arian' }, { formPage: `/surveys/${id}/translate` });
    assert.equal(res.status, 303, res.text_);
    assert.equal(res.headers.get('location'), `/surveys/${id}?translated=1`);
    assert.match((await lead.get(`/surveys/${id}?translated=1`)).text_, /Written in: English and Cymraeg/);
    assert.ok((await auditOf(id)).includes('Wrote a survey in another language'));

    const client = new Client(server.base);
    const start = await client.get(`/s/${slug}`);
    assert.match(start.text_, /<label[^>]*lang="cy">Cymraeg<\/label>/);
    const started = await client.post(`/s/${slug}/start`, { language: 'cy' }, { formPage: `/s/${slug}` });
    const p1 = await client.get(started.headers.get('location'));
    assert.match(p1.text_, /lang="cy">Eich tref<\/label>/);
    await client.post(`/s/${slug}/page/1`, { town: 'Aberystwyth' });
    const p2 = await client.get(`/s/${slug}/page/2`);
    assert.match(p2.text_, />Arian</);
    // The Easy Read version of the start, in Welsh, starts the survey in Welsh.
    const easy = new Client(server.base);
    await easy.get(`/language/cy?return=/s/${slug}/easy-read`);
    const er = await easy.get(`/s/${slug}/easy-read`);
    assert.match(er.text_, /<html lang="cy"/);
    assert.match(er.text_, /Arolwg yw hwn\./);
    assert.match(er.text_, /<input type="hidden" name="language" value="cy">/);
    // Changing it later shows what is there now.
    const again = await lead.get(`/surveys/${id}/translate?language=cy`);
    assert.match(again.text_, /value="Arian"/);
    assert.doesNotMatch(again.text_, /id="written_in_name"/);
  });
  test('a rank question gives each thing a place, and each place goes to one thing only', async () => {
    const { id, slug } = await createSurvey({ definition: {
      id: 'order', title: 'What matters',
      questions: [{ code: 'order', type: 'rank', page: 1, text: 'Put these in order', items: [
        { code: 'time', label: 'Time' }, { code: 'money', label: 'Money' }, { code: 'advice', label: 'Advice' }],
      validation: { required: true } }],
    } });
    const { client, next } = await respondent(slug);
    const page = await client.get(next);
    for (const place of ['1', '2', '3']) assert.match(page.text_, new RegExp(`name="order\\[money\\]" type="radio" value="${place}"`));
    let res = await client.post(`/s/${slug}/page/1`, { 'order[time]': '1', 'order[money]': '1', 'order[advice]': '2' });
    assert.equal(res.status, 400);
    assert.deepEqual(errorLinks(res.text_).map(([, text]) => text), ['Give the number 1 to only one of them']);
    res = await client.post(`/s/${slug}/page/1`, { 'order[time]': '2', 'order[money]': '1', 'order[advice]': '3' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
    const csv = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const header = csv[0].split(',');
    assert.equal(csv[1].split(',')[header.indexOf('order[money]')], '1');
  });
});
