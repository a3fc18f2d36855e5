// The library of co-production examples over HTTP: the case-study API,
// searching, the public pages and the leads' forms, review by a participant
// who took part, two servers sharing case studies through their feeds on
// loopback, feed files moved on the command line, and who may do what.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  Client, admin, api, run, runCommand, startServer, userWithRole,
} from '../support/server.mjs';

const caseStudiesUrl = '/api/v1/library/case-studies';
const subscriptionsUrl = '/api/v1/library/subscriptions';

const decode = (html) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// --- case studies -------------------------------------------------------------

// A story as the API's "body" takes it: one Markdown text with a heading for
// each part. A part given as null is left out.
function storyBody({
  need = 'Carers could not book a respite break without phoning three offices.',
  together = 'Carers and the respite team met four times and redesigned the booking line.',
  changed = 'Carers now book a break with one call.',
} = {}) {
  return [['What needed to change', need], ['What was done together', together], ['What changed as a result', changed]]
    .filter(([, text]) => text !== null)
    .map(([heading, text]) => `## ${heading}\n\n${text}`)
    .join('\n\n');
}

// A complete case study for the API; `story` parts and any field may be overridden.
const caseStudy = ({ story, ...fields } = {}) => ({
  title: 'Carers redesign the respite booking line',
  summary: 'Carers and staff rebuilt how a respite break is booked.',
  body: storyBody(story),
  setting: 'local_authority',
  rung: 'co_production',
  ...fields,
});

// Creates a draft through the API; the status must be 201. Answers the record.
async function createStudy(server, token, fields) {
  const res = await api(server, token, 'POST', caseStudiesUrl, caseStudy(fields));
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

// POST .../{id}/{action} (publish, withdraw) that must succeed.
async function act(server, token, id, action) {
  const res = await api(server, token, 'POST', `${caseStudiesUrl}/${id}/${action}`);
  assert.equal(res.status, 200, `${action} ${id}: ${await res.clone().text()}`);
  return res.json();
}

async function publishedStudy(server, token, fields) {
  return act(server, token, (await createStudy(server, token, fields)).id, 'publish');
}

// The API's list for `query` ({q, setting, ...}); the status must be 200.
async function list(server, token, query = {}) {
  const res = await api(server, token, 'GET', `${caseStudiesUrl}?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

const idsOf = (found) => found.case_studies.map((c) => c.id).sort((a, b) => a - b);
const titlesOf = (found) => found.case_studies.map((c) => c.title).sort();
const facetCount = (found, facet, value) => found.facets[facet].find((v) => v.value === value)?.count ?? 0;

// The fields a 400 answer names.
async function fieldsNamed(res) {
  assert.equal(res.status, 400);
  return (await res.json()).errors.map((e) => e.field).sort();
}

// A page as a signed-out visitor (or `client`) sees it: { status, html }.
async function page(server, url, client) {
  if (client) {
    const res = await client.get(url);
    return { status: res.status, html: decode(res.text_) };
  }
  const res = await fetch(server.base + url, { redirect: 'manual' });
  return { status: res.status, html: decode(await res.text()) };
}

// --- people and tokens ----------------------------------------------------------

// An API token for the server's administrator.
async function adminToken(server) {
  return (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
}

// A participant user who is also in the involvement pool under the same
// email (which is how their account finds their pool record). Answers
// { client, token, personId }.
async function participantInPool(server, token, name, email) {
  const res = await api(server, token, 'POST', '/api/v1/people', { name, email, consent: true });
  assert.equal(res.status, 201, await res.clone().text());
  const person = await res.json();
  const user = await userWithRole(server, admin.organisation, email, 'participant');
  return { ...user, personId: person.id };
}

// --- feeds ------------------------------------------------------------------------

// A tiny HTTP server on loopback answering `files` ({ '/path': { type, body } });
// anything else is a 404. Answers { port, url(path), close() }.
async function fileServer(files) {
  const server = http.createServer((req, res) => {
    const file = files[req.url];
    if (!file) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// A JSON Feed 1.1 that is not from Coproduce: items carry only HTML.
const jsonFeed = (feedUrl, items) => JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Case studies from Riverside Trust',
  feed_url: feedUrl,
  items: items.map(([id, title, html]) => ({
    id: `https://riverside.example/case-studies/${id}`,
    url: `https://riverside.example/case-studies/${id}`,
    title,
    content_html: html,
    date_published: '2025-01-10T09:00:00Z',
  })),
});

// Subscribes to `url` and fetches it at once; answers the refreshed
// subscription, with what the fetch did in `result`.
async function subscribeAndFetch(server, token, url) {
  const added = await api(server, token, 'POST', subscriptionsUrl, { url });
  assert.equal(added.status, 201, await added.clone().text());
  return refresh(server, token, (await added.json()).id);
}

async function refresh(server, token, id) {
  const res = await api(server, token, 'POST', `${subscriptionsUrl}/${id}/refresh`);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

async function subscriptionFor(server, token, url) {
  const { subscriptions } = await (await api(server, token, 'GET', subscriptionsUrl)).json();
  return subscriptions.find((s) => s.url === url);
}

// Asserts a fetch of `url` was refused with an error matching `why`, that the
// subscription keeps that error, and that the library did not change.
async function assertRefused(server, token, url, why) {
  const before = idsOf(await list(server, token));
  const { result } = await subscribeAndFetch(server, token, url);
  assert.equal(result.ok, false, `${url} is refused`);
  assert.equal(result.added, 0);
  assert.match(result.error, why);
  assert.match(result.error, /Nothing was imported\./);
  assert.equal((await subscriptionFor(server, token, url)).last_error, result.error);
  assert.deepEqual(idsOf(await list(server, token)), before, 'the library is as it was');
  return result;
}

// Posts a multipart form with one file, the way a browser uploads one.
async function upload(client, url, fileName, text) {
  if (!client.cookies.has('coproduce_csrf')) await client.get('/library/subscriptions');
  const form = new FormData();
  form.append('csrf_token', client.cookies.get('coproduce_csrf'));
  form.append('file', new Blob([text], { type: 'application/json' }), fileName);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(client.base + url, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
  return { status: res.status, html: decode(await res.text()) };
}

// =================================================================================

describe('the case-study API', () => {
  let server;
  let lead;
  let analyst;
  let participant;
  before(async () => {
    server = await startServer();
    lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).token;
    analyst = (await userWithRole(server, admin.organisation, 'analyst@example.org', 'analyst')).token;
    participant = (await userWithRole(server, admin.organisation, 'participant@example.org', 'participant')).token;
  });
  after(async () => { await server?.stop(); });

  test('a lead creates a draft from a Markdown body split at its headings', async () => {
    const res = await api(server, lead, 'POST', caseStudiesUrl, caseStudy());
    assert.equal(res.status, 201);
    const made = await res.json();
    assert.ok(Number.isInteger(made.id));
    assert.equal(res.headers.get('location'), `${caseStudiesUrl}/${made.id}`);
    assert.equal(made.status, 'draft');
    assert.equal(made.source, null);
    assert.equal(made.organisation, admin.organisation);
    assert.deepEqual(made.story, {
      need: 'Carers could not book a respite break without phoning three offices.',
      together: 'Carers and the respite team met four times and redesigned the booking line.',
      changed: 'Carers now book a break with one call.',
    });
  });

  test('every mistake is named by its field and nothing is saved', async () => {
    const before = (await list(server, lead)).total;
    const { title, ...untitled } = caseStudy({ setting: 'castle', people: { carers: -1 } });
    const res = await api(server, lead, 'POST', caseStudiesUrl, { ...untitled, colour: 'red' });
    assert.deepEqual(await fieldsNamed(res), ['colour', 'people.carers', 'setting', 'title']);
    const bad = await api(server, lead, 'POST', caseStudiesUrl, caseStudy({ rung: 'the top', principles: ['kindness'] }));
    const named = await fieldsNamed(bad);
    assert.ok(named.includes('rung') && named.some((f) => f.startsWith('principles')), named.join(', '));
    assert.equal((await list(server, lead)).total, before, 'nothing saved');
  });

  test('drafts are listed to leads only; analysts and participants see published ones', async () => {
    const draft = await createStudy(server, lead, { title: 'A draft about day centres' });
    const published = await publishedStudy(server, lead, { title: 'A published story about day centres' });
    const forLead = await list(server, lead, { q: 'day centres' });
    assert.deepEqual(idsOf(forLead), [draft.id, published.id].sort((a, b) => a - b));
    assert.equal(forLead.case_studies.find((c) => c.id === draft.id).status, 'draft');
    for (const token of [analyst, participant]) {
      assert.deepEqual(idsOf(await list(server, token, { q: 'day centres' })), [published.id]);
      assert.equal((await api(server, token, 'GET', `${caseStudiesUrl}/${draft.id}`)).status, 404);
      assert.equal((await api(server, token, 'GET', `${caseStudiesUrl}/${published.id}`)).status, 200);
    }
  });

  test('PATCH changes only the keys it is given', async () => {
    const made = await createStudy(server, lead, { area_of_care: 'Dementia care', principles: ['equality'] });
    const res = await api(server, lead, 'PATCH', `${caseStudiesUrl}/${made.id}`, { title: 'A better title', setting: 'care_home' });
    assert.equal(res.status, 200, await res.clone().text());
    const changed = await res.json();
    assert.equal(changed.title, 'A better title');
    assert.equal(changed.setting, 'care_home');
    for (const key of ['summary', 'story', 'rung', 'area_of_care', 'principles', 'status']) {
      assert.deepEqual(changed[key], made[key], `${key} is kept`);
    }
    const read = await (await api(server, lead, 'GET', `${caseStudiesUrl}/${made.id}`)).json();
    assert.equal(read.title, 'A better title');
    const wrong = await api(server, lead, 'PATCH', `${caseStudiesUrl}/${made.id}`, { setting: 'castle' });
    assert.deepEqual(await fieldsNamed(wrong), ['setting']);
  });

  test('publishing needs the whole story; an incomplete draft is refused naming story.need', async () => {
    const incomplete = await createStudy(server, lead, { story: { need: null } });
    assert.equal(incomplete.status, 'draft', 'a draft may lack parts of the story');
    const res = await api(server, lead, 'POST', `${caseStudiesUrl}/${incomplete.id}/publish`);
    assert.deepEqual(await fieldsNamed(res), ['story.need']);
    assert.equal((await (await api(server, lead, 'GET', `${caseStudiesUrl}/${incomplete.id}`)).json()).status, 'draft');
    const done = await act(server, lead, (await createStudy(server, lead)).id, 'publish');
    assert.equal(done.status, 'published');
    assert.ok(done.published_at);
  });

  test('a withdrawn case study leaves the list and cannot be read', async () => {
    const made = await publishedStudy(server, lead, { title: 'Withdrawn walking group story' });
    assert.deepEqual(idsOf(await list(server, analyst, { q: 'walking group' })), [made.id]);
    assert.equal((await act(server, lead, made.id, 'withdraw')).status, 'withdrawn');
    for (const token of [lead, analyst]) {
      assert.deepEqual(idsOf(await list(server, token, { q: 'walking group' })), []);
      assert.equal((await api(server, token, 'GET', `${caseStudiesUrl}/${made.id}`)).status, 404);
    }
  });
});

describe('searching the library', () => {
  let server;
  let lead;
  const made = {};
  before(async () => {
    server = await startServer();
    lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).token;
    const add = async (key, fields) => { made[key] = await publishedStudy(server, lead, fields); };
    await add('hyphen', { title: 'Co-production of a dementia café', setting: 'care_home', rung: 'co_production' });
    await add('joined', { title: 'Tenants panel', summary: 'A story of coproduction in sheltered housing.', setting: 'housing', rung: 'co_design' });
    await add('spaced', { title: 'Mental health forum', story: { together: 'We did co production from the start.' }, setting: 'nhs', rung: 'co_production' });
    // The body match is made first, so that ranking cannot be an accident of order.
    await add('allotmentBody', { title: 'Gardening for wellbeing', story: { changed: 'People now run an allotment together.' }, setting: 'voluntary_community', rung: 'engagement' });
    await add('allotmentTitle', { title: 'The allotment project', setting: 'voluntary_community', rung: 'co_design' });
    await add('carers', { title: 'Respite redesign', summary: 'Led by carers.', story: { need: 'Breaks were hard to book.', together: 'A panel met.', changed: 'Booking is easy.' }, setting: 'home_care', rung: 'consultation' });
    await add('unsafe', { title: 'Tea <script>alert(1)</script> mornings', summary: 'Tea mornings for lonely people.', setting: 'other', rung: 'informing' });
  });
  after(async () => { await server?.stop(); });

  test("'co-production', 'coproduction' and 'co production' find the same case studies", async () => {
    const expected = [made.hyphen.id, made.joined.id, made.spaced.id].sort((a, b) => a - b);
    for (const q of ['co-production', 'coproduction', 'co production']) {
      assert.deepEqual(idsOf(await list(server, lead, { q })), expected, `q=${q}`);
    }
  });

  test("'carer' finds a case study that says only 'carers'", async () => {
    const found = await list(server, lead, { q: 'carer' });
    assert.ok(idsOf(found).includes(made.carers.id));
    assert.match(found.case_studies.find((c) => c.id === made.carers.id).snippet_html, /<mark>carers<\/mark>/i);
  });

  test('a match in the title ranks above a match in the story', async () => {
    const found = await list(server, lead, { q: 'allotment' });
    assert.deepEqual(found.case_studies.map((c) => c.id), [made.allotmentTitle.id, made.allotmentBody.id]);
  });

  test('filters narrow the results and the facets count what each choice would give', async () => {
    const all = await list(server, lead);
    assert.equal(all.facets.setting.reduce((n, v) => n + v.count, 0), all.total, 'every case study has one setting');
    assert.equal(facetCount(all, 'setting', 'voluntary_community'), 2);
    assert.equal(facetCount(all, 'rung', 'co_production'), 2);
    const community = await list(server, lead, { setting: 'voluntary_community' });
    assert.deepEqual(idsOf(community), [made.allotmentBody.id, made.allotmentTitle.id].sort((a, b) => a - b));
    assert.equal(facetCount(community, 'rung', 'co_design'), 1);
    assert.equal(facetCount(community, 'rung', 'engagement'), 1);
    assert.equal(facetCount(community, 'rung', 'co_production'), 0);
    const both = await list(server, lead, { setting: 'voluntary_community', rung: 'co_design' });
    assert.deepEqual(idsOf(both), [made.allotmentTitle.id]);
    const words = await list(server, lead, { q: 'coproduction', rung: 'co_production' });
    assert.deepEqual(idsOf(words), [made.hyphen.id, made.spaced.id].sort((a, b) => a - b));
  });

  test('results come 20 to a page, with the number of pages', async () => {
    for (let n = (await list(server, lead)).total; n < 21; n += 1) await publishedStudy(server, lead, { title: `Numbered example ${n}` });
    const first = await list(server, lead);
    assert.equal(first.total, 21);
    assert.equal(first.pages, 2);
    assert.equal(first.case_studies.length, 20);
    const second = await list(server, lead, { page: 2 });
    assert.equal(second.page, 2);
    assert.equal(second.case_studies.length, 1);
    assert.ok(!idsOf(first).includes(second.case_studies[0].id), 'page 2 holds the one page 1 did not');
    const wrong = await api(server, lead, 'GET', `${caseStudiesUrl}?page=0`);
    assert.deepEqual(await fieldsNamed(wrong), ['page']);
  });

  test('the library page highlights the words found and escapes what people typed', async () => {
    const { status, html } = await page(server, '/library?q=allotment');
    assert.equal(status, 200);
    assert.match(html, new RegExp(`href="/library/case-studies/${made.allotmentTitle.id}"`));
    assert.match(html, /<mark>allotment<\/mark>/i);
    assert.doesNotMatch(html, /mornings/, 'nothing that does not match');
    const tea = await page(server, '/library?q=tea');
    assert.match(tea.html, /Tea &lt;script&gt;alert\(1\)&lt;\/script&gt; mornings/);
    assert.doesNotMatch(tea.html, /<script>alert/);
    const shown = await page(server, `/library/case-studies/${made.unsafe.id}`);
    assert.equal(shown.status, 200);
    assert.doesNotMatch(shown.html, /<script>alert/);
  });
});

describe('the library pages and the leads\' forms', () => {
  let server;
  let lead;
  let leadClient;
  let published;
  let draft;
  before(async () => {
    server = await startServer();
    ({ client: leadClient, token: lead } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead'));
    published = await publishedStudy(server, lead, {
      title: 'Carers shape the day service', easy_read: 'Carers helped.\n\nThe day service is better.',
    });
    draft = await createStudy(server, lead, { title: 'A secret draft', easy_read: 'Not yet.' });
  });
  after(async () => { await server?.stop(); });

  // The form as a lead fills it in; fields may be overridden.
  const form = (overrides = {}) => ({
    title: 'Young carers plan their own support',
    summary: 'Young carers and staff planned the support offer together.',
    'story-need': 'Young carers said the support did not fit school hours.',
    'story-together': 'Six young carers and two staff met after school.',
    'story-changed': 'Support now runs in the evenings.',
    setting: 'local_authority',
    rung: 'co_production',
    'people-carers': '6',
    'people-staff': '2',
    ...overrides,
  });

  test('a published case study has its page, an Easy Read page and a printable page', async () => {
    const base = `/library/case-studies/${published.id}`;
    const shown = await page(server, base);
    assert.equal(shown.status, 200);
    assert.match(shown.html, /<h1[^>]*>Carers shape the day service<\/h1>/);
    const ld = shown.html.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
    assert.ok(ld, 'the page describes itself for search engines');
    const article = JSON.parse(ld[1]);
    assert.equal(article['@type'], 'Article');
    assert.equal(article.headline, 'Carers shape the day service');
    const easy = await page(server, `${base}/easy-read`);
    assert.equal(easy.status, 200);
    assert.match(easy.html, /The day service is better\./);
    const print = await page(server, `${base}/print`);
    assert.equal(print.status, 200);
    assert.match(print.html, /Carers shape the day service/);
    assert.doesNotMatch(print.html, /Back to the library/);
    const library = await page(server, '/library');
    assert.match(library.html, new RegExp(`href="${base}"`));
    assert.doesNotMatch(library.html, /A secret draft/);
  });

  test('a draft is not found by the public, on any of its pages', async () => {
    for (const suffix of ['', '/easy-read', '/print']) {
      const { status, html } = await page(server, `/library/case-studies/${draft.id}${suffix}`);
      assert.equal(status, 404, `draft${suffix}`);
      assert.doesNotMatch(html, /A secret draft/);
    }
    const own = await page(server, `/library/case-studies/${draft.id}`, leadClient);
    assert.equal(own.status, 200, 'its own staff can read it');
    assert.doesNotMatch(own.html, /application\/ld\+json/, 'a draft is not described for search engines');
  });

  test('a lead writes a case study with the form; it is saved as a draft', async () => {
    const res = await leadClient.post('/library/manage/new', form(), { formPage: '/library/manage/new' });
    assert.equal(res.status, 303, res.text_);
    const location = res.headers.get('location');
    const id = Number(location.match(/^\/library\/manage\/(\d+)\?saved=1$/)[1]);
    const saved = await (await api(server, lead, 'GET', `${caseStudiesUrl}/${id}`)).json();
    assert.equal(saved.title, 'Young carers plan their own support');
    assert.equal(saved.status, 'draft');
    assert.deepEqual(saved.people, { lived_experience: 0, carers: 6, staff: 2 });
    assert.equal(saved.story.changed, 'Support now runs in the evenings.');
    const detail = await page(server, location, leadClient);
    assert.match(detail.html, /Your change is saved\./);
  });

  test('a bad form names each mistake beside its field and saves nothing', async () => {
    const before = (await list(server, lead)).total;
    const res = await leadClient.post('/library/manage/new',
      form({ title: '  ', setting: 'castle', 'people-carers': 'lots', images: 'https://example.org/a.jpg' }),
      { formPage: '/library/manage/new' });
    assert.equal(res.status, 400);
    for (const field of ['title', 'setting', 'people-carers', 'images']) {
      assert.match(res.text_, new RegExp(`id="${field}-error"`), `${field} has its error beside it`);
      assert.match(res.text_, new RegExp(`href="#${field}"`), `${field} is in the error summary`);
    }
    assert.match(decode(res.text_), /Enter the title/);
    assert.match(res.text_, /Six young carers and two staff met after school\./, 'what was typed is kept');
    assert.equal((await list(server, lead)).total, before, 'nothing saved');
  });

  test('a form without its CSRF token is refused', async () => {
    const res = await leadClient.request('POST', '/library/manage/new', { form: form() });
    assert.equal(res.status, 403);
  });
});

describe('review by a participant who took part', () => {
  let server;
  let lead;
  let leadClient;
  let sam;
  let other;
  let study;
  let reviewHref;
  before(async () => {
    server = await startServer();
    ({ client: leadClient, token: lead } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead'));
    sam = await participantInPool(server, lead, 'Samira Khan', 'sam@example.org');
    other = await participantInPool(server, lead, 'Olu Ade', 'olu@example.org');
    study = await createStudy(server, lead, { title: 'The reading group story' });
  });
  after(async () => { await server?.stop(); });

  const status = async () => (await (await api(server, lead, 'GET', `${caseStudiesUrl}/${study.id}`)).json()).status;

  test('a lead finds the person in the pool and asks them; the case study is then in review', async () => {
    const found = await page(server, `/library/manage/${study.id}?person=Samira`, leadClient);
    assert.match(found.html, new RegExp(`name="person_id" type="radio" value="${sam.personId}"`));
    const res = await leadClient.post(`/library/manage/${study.id}/review`,
      { person_id: String(sam.personId), note: 'Is what we said about the meetings right?' },
      { formPage: `/library/manage/${study.id}` });
    assert.equal(res.status, 303, res.text_);
    assert.equal(await status(), 'in_review');
    const publish = await api(server, lead, 'POST', `${caseStudiesUrl}/${study.id}/publish`);
    assert.equal(publish.status, 409, 'it cannot be published while a review is waiting');
  });

  test('the participant finds it under Stories to check; nobody else can open it', async () => {
    const mine = await page(server, '/my-reviews', sam.client);
    assert.equal(mine.status, 200);
    assert.match(mine.html, /The reading group story/);
    reviewHref = mine.html.match(/href="(\/my-reviews\/\d+)"/)[1];
    const review = await page(server, reviewHref, sam.client);
    assert.equal(review.status, 200);
    assert.match(review.html, /Is what we said about the meetings right\?/);
    assert.match(review.html, /Carers now book a break with one call\./);
    assert.equal((await other.client.get(reviewHref)).status, 404);
    const theirs = await other.client.post(reviewHref, { decision: 'approved', credit: 'yes', credit_name: 'Olu' },
      { formPage: '/my-reviews' });
    assert.equal(theirs.status, 404);
    assert.doesNotMatch((await page(server, '/my-reviews', other.client)).html, /The reading group story/);
  });

  test('an approval credited to "Sam" returns it to draft, and the published story thanks Sam', async () => {
    assert.ok(reviewHref, 'the previous test found the review');
    const res = await sam.client.post(reviewHref, { decision: 'approved', credit: 'yes', credit_name: 'Sam' },
      { formPage: reviewHref });
    assert.equal(res.status, 303, res.text_);
    assert.match((await page(server, reviewHref, sam.client)).html, /You said the story is right/);
    assert.equal(await status(), 'draft');
    const detail = await page(server, `/library/manage/${study.id}`, leadClient);
    assert.match(detail.html, /Credited as Sam/);
    const publish = await leadClient.post(`/library/manage/${study.id}/publish`, {}, { formPage: `/library/manage/${study.id}` });
    assert.equal(publish.status, 303);
    const shown = await page(server, `/library/case-studies/${study.id}`);
    assert.equal(shown.status, 200);
    assert.match(shown.html, /Checked and approved by Sam/);
    assert.doesNotMatch(shown.html, /Samira Khan/, 'the pool name is never published');
  });
});

describe('two servers sharing case studies on loopback', () => {
  let a;
  let b;
  let files;
  let aLead;
  let bAdmin;
  let feedUrl;
  const shared = {};
  before(async () => {
    a = await startServer();
    aLead = (await userWithRole(a, admin.organisation, 'lead@example.org', 'coproduction-lead')).token;
    feedUrl = `${a.base}/library/feed.json`;
    files = await fileServer({
      '/clean.json': { type: 'application/feed+json', body: jsonFeed('https://riverside.example/feed.json', [['1', 'A clean shared story', '<p>Safe words.</p>']]) },
      '/script.json': {
        type: 'application/feed+json',
        body: jsonFeed('https://riverside.example/feed.json', [
          ['2', 'Harmless', '<p>Fine.</p>'],
          ['3', 'Sneaky', '<p>Hello</p><script>alert(1)</script>'],
        ]),
      },
    });
    b = await startServer({
      args: ['--allow-feed-host', `127.0.0.1:${a.port}`, '--allow-feed-host', `127.0.0.1:${files.port}`,
        '--feed-refresh-minutes', '0'],
    });
    bAdmin = await adminToken(b);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await files?.close();
  });

  test("B reads A's feed: both published case studies come in, marked as shared", async () => {
    shared.kept = await publishedStudy(a, aLead, { title: 'Shared story one: the lunch club' });
    shared.gone = await publishedStudy(a, aLead, { title: 'Shared story two: the bus pass' });
    await createStudy(a, aLead, { title: 'A draft A keeps to itself' });
    const sub = await subscribeAndFetch(b, bAdmin, feedUrl);
    shared.subscription = sub.id;
    assert.equal(sub.result.ok, true, sub.result.error);
    assert.equal(sub.result.added, 2);
    assert.equal(sub.last_error, null);
    assert.equal(sub.items, 2);
    const inB = await list(b, bAdmin);
    assert.deepEqual(titlesOf(inB), ['Shared story one: the lunch club', 'Shared story two: the bus pass']);
    for (const c of inB.case_studies) {
      assert.equal(c.source, feedUrl);
      assert.equal(c.status, 'published');
    }
    const library = await page(b, '/library');
    assert.match(library.html, /Shared story one: the lunch club/);
    assert.equal(library.html.match(/shared with us/g)?.length, 2);
    const id = inB.case_studies.find((c) => c.title.includes('lunch club')).id;
    const shown = await page(b, `/library/case-studies/${id}`);
    assert.match(shown.html, new RegExp(`href="${a.base}/library/case-studies/${shared.kept.id}"`), 'it links back to A');
  });

  test("B follows A's changes: a changed title is replaced and a withdrawn one taken out", async () => {
    assert.ok(shared.subscription, 'the previous test subscribed B to A');
    const patched = await api(a, aLead, 'PATCH', `${caseStudiesUrl}/${shared.kept.id}`, { title: 'Shared story one: the lunch club, renamed' });
    assert.equal(patched.status, 200);
    await act(a, aLead, shared.gone.id, 'withdraw');
    const { result } = await refresh(b, bAdmin, shared.subscription);
    assert.equal(result.ok, true, result.error);
    assert.deepEqual([result.added, result.changed, result.removed], [0, 1, 1]);
    assert.deepEqual(titlesOf(await list(b, bAdmin)), ['Shared story one: the lunch club, renamed']);
    const library = await page(b, '/library');
    assert.match(library.html, /the lunch club, renamed/);
    assert.doesNotMatch(library.html, /the bus pass/);
  });

  test('a loopback address the server was not told to allow is refused, in words', async () => {
    for (const url of [`http://localhost:${a.port}/library/feed.json`, `http://127.0.0.1:${files.port + 1}/library/feed.json`]) {
      await assertRefused(b, bAdmin, url, /private, local or reserved network.*--allow-feed-host/s);
    }
  });

  test('an address that does not serve a JSON Feed imports nothing', async () => {
    await assertRefused(b, bAdmin, `${a.base}/healthz`, /^version: .* is not a JSON Feed version/);
    await assertRefused(b, bAdmin, `${a.base}/library`, /gave a web page \(text\/html\), not a JSON Feed/);
  });

  test('a feed with a script in any item is refused whole; a clean one is read', async () => {
    const result = await assertRefused(b, bAdmin, files.url('/script.json'),
      /^items\[1\]\.content_html: Holds a script or other active content \(a <script> element\)/);
    assert.deepEqual(result.problems.map((p) => p.where), ['items[1].content_html'], 'only the sneaky item is at fault');
    assert.doesNotMatch(JSON.stringify(await list(b, bAdmin)), /Harmless/, 'not even the harmless item came in');
    const clean = await subscribeAndFetch(b, bAdmin, files.url('/clean.json'));
    assert.equal(clean.result.added, 1, clean.result.error);
    const item = (await list(b, bAdmin, { q: 'clean' })).case_studies[0];
    assert.equal(item.source, files.url('/clean.json'));
    assert.match((await page(b, `/library/case-studies/${item.id}`)).html, /Safe words\./);
  });
});

describe('feed files moved without a connection', () => {
  let a;
  let b;
  let aLead;
  let bAdmin;
  let file;
  before(async () => {
    a = await startServer();
    b = await startServer();
    aLead = (await userWithRole(a, admin.organisation, 'lead@example.org', 'coproduction-lead')).token;
    bAdmin = await adminToken(b);
    await publishedStudy(a, aLead, { title: 'Exported story: a peer support line', area_of_care: 'Mental health', principles: ['equality', 'reciprocity'] });
    await publishedStudy(a, aLead, { title: 'Exported story: accessible leaflets', setting: 'nhs', rung: 'co_design' });
    await createStudy(a, aLead, { title: 'A draft that stays at home' });
    file = path.join(a.dir, 'case-studies.json');
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  // The parts of a case study that should travel.
  const travelling = (c) => ({
    title: c.title, summary: c.summary, story: c.story, setting: c.setting, rung: c.rung,
    area_of_care: c.area_of_care, principles: c.principles, people: c.people,
  });
  const studiesOf = async (server, token) => {
    const found = await list(server, token);
    const full = await Promise.all(found.case_studies.map(async (c) => (await api(server, token, 'GET', `${caseStudiesUrl}/${c.id}`)).json()));
    return full.map(travelling).sort((x, y) => x.title.localeCompare(y.title));
  };

  test("`library export` from A and `library import` into B give B A's published case studies", async () => {
    await run(['library', 'export', '--database', a.db, '--organisation', admin.organisation, '--output', file, '--base-url', a.base]);
    const feed = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(feed.feed_url, `${a.base}/library/feed.json`);
    assert.equal(feed.items.length, 2);
    await run(['library', 'import', '--database', b.db, '--organisation', admin.organisation, '--file', file]);
    const published = (await studiesOf(a, aLead)).filter((c) => !c.title.includes('draft'));
    assert.deepEqual(await studiesOf(b, bAdmin), published);
    const sub = await subscriptionFor(b, bAdmin, feed.feed_url);
    assert.equal(sub.items, 2, 'the file went into the subscription for its feed_url');
  });

  test('a broken file is refused naming the file and the place, and nothing is imported', async () => {
    const feed = JSON.parse(await readFile(file, 'utf8'));
    feed.items[1]._coproduce.setting = 'castle';
    const broken = path.join(a.dir, 'broken.json');
    await writeFile(broken, JSON.stringify(feed));
    const before = idsOf(await list(b, bAdmin));
    const r = await runCommand(['library', 'import', '--database', b.db, '--organisation', admin.organisation, '--file', broken]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /broken\.json/);
    assert.match(r.stderr, /items\[1\]\._coproduce\.setting/);
    const notJson = path.join(a.dir, 'not-json.json');
    await writeFile(notJson, '{"version": "https://jsonfeed.org/version/1.1", "items": [');
    const r2 = await runCommand(['library', 'import', '--database', b.db, '--organisation', admin.organisation, '--file', notJson]);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /not-json\.json: This is not JSON: it goes wrong at line \d+, column \d+/);
    assert.match(r2.stderr, /nothing was imported/);
    assert.deepEqual(idsOf(await list(b, bAdmin)), before);
  });

  test('the import form refuses a broken file the same way', async () => {
    const feed = JSON.parse(await readFile(file, 'utf8'));
    delete feed.items[0].title;
    const client = new Client(b.base);
    await client.signIn();
    const before = idsOf(await list(b, bAdmin));
    const res = await upload(client, '/library/subscriptions/import', 'from-a.json', JSON.stringify(feed));
    assert.equal(res.status, 400);
    assert.match(res.html, /from-a\.json/);
    assert.match(res.html, /items\[0\]\.title/);
    assert.deepEqual(idsOf(await list(b, bAdmin)), before);
  });
});

describe('who may use the library', () => {
  let server;
  let lead;
  let analyst;
  let participant;
  let administratorToken;
  let study;
  before(async () => {
    server = await startServer({ args: ['--feed-refresh-minutes', '0'] });
    lead = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    analyst = await userWithRole(server, admin.organisation, 'analyst@example.org', 'analyst');
    participant = await userWithRole(server, admin.organisation, 'participant@example.org', 'participant');
    administratorToken = await adminToken(server);
    study = await createStudy(server, lead.token);
  });
  after(async () => { await server?.stop(); });

  test('signed out: the API answers 401, forms 401 and the manage pages send you to sign in', async () => {
    for (const [method, url] of [['GET', caseStudiesUrl], ['POST', caseStudiesUrl], ['POST', `${caseStudiesUrl}/${study.id}/publish`], ['GET', subscriptionsUrl]]) {
      const res = await fetch(server.base + url, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      assert.equal(res.status, 401, `${method} ${url}`);
    }
    const anonymous = new Client(server.base);
    await anonymous.get('/library');
    const posted = await anonymous.post('/library/manage/new', { title: 'Sneaky' }, { formPage: '/library' });
    assert.equal(posted.status, 401);
    const manage = await anonymous.get('/library/manage');
    assert.equal(manage.status, 303);
    assert.match(manage.headers.get('location'), /^\/sign-in\?next=/);
  });

  test('a participant cannot reach the manage pages; an analyst cannot write case studies', async () => {
    assert.equal((await participant.client.get('/library/manage')).status, 403);
    assert.equal((await participant.client.get(`/library/manage/${study.id}`)).status, 403);
    assert.equal((await api(server, analyst.token, 'POST', caseStudiesUrl, caseStudy())).status, 403);
    assert.equal((await api(server, analyst.token, 'PATCH', `${caseStudiesUrl}/${study.id}`, { title: 'x' })).status, 403);
    assert.equal((await api(server, participant.token, 'POST', `${caseStudiesUrl}/${study.id}/publish`)).status, 403);
    assert.equal((await analyst.client.get('/library/manage')).status, 403);
  });

  test('only administrators manage the feeds the organisation reads', async () => {
    for (const who of [lead, analyst]) {
      assert.equal((await api(server, who.token, 'GET', subscriptionsUrl)).status, 403);
      assert.equal((await api(server, who.token, 'POST', subscriptionsUrl, { url: 'https://example.org/feed.json' })).status, 403);
      assert.equal((await who.client.get('/library/subscriptions')).status, 403);
    }
    const res = await api(server, administratorToken, 'POST', subscriptionsUrl, { url: 'https://example.org/feed.json' });
    assert.equal(res.status, 201);
    assert.equal((await api(server, administratorToken, 'GET', subscriptionsUrl)).status, 200);
    const bad = await api(server, administratorToken, 'POST', subscriptionsUrl, { url: 'ftp://example.org/feed.json' });
    assert.deepEqual(await fieldsNamed(bad), ['url']);
  });
});
