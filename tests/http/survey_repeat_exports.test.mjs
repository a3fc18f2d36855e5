// A repeat's answers out of the store over HTTP: its own CSV (one row per
// instance, linked to responses.csv by response_id), the codebook saying
// which table each column is in, and the findings page counting the repeat
// with small numbers hidden.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, startServer, userWithRole } from '../support/server.mjs';
import { createSurvey, startResponse } from '../support/surveys.mjs';

const definition = {
  format: 'coproduce-survey/1',
  id: 'services_used',
  title: 'Services you use',
  repeats: [{ code: 'services', label: 'Service', max: 3, show_if: "uses = 'yes'" }],
  questions: [
    { code: 'uses', type: 'yes_no', page: 1, text: 'Do you use any services?', validation: { required: true } },
    { code: 'service', type: 'single', page: 2, repeat: 'services', text: 'Which service?', options: ['home_care', 'day_centre'] },
    { code: 'visits', type: 'number', page: 2, repeat: 'services', text: 'Visits a month' },
    { code: 'overall', type: 'long_text', page: 3, text: 'Anything else?' },
  ],
};

// Parses CSV (RFC 4180: quoted cells may hold commas, quotes and newlines) into rows of cells.
function rows(text) {
  const out = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.at(-1).push(cell); cell = ''; } else if (c === '\n') { out.at(-1).push(cell); cell = ''; out.push([]); } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || out.at(-1).length > 0) out.at(-1).push(cell);
  if (out.at(-1).length === 0) out.pop();
  return out;
}

describe('exports of a repeat', () => {
  let server;
  let lead;
  let survey;

  async function respond(fill) {
    const client = await startResponse(server, survey.slug);
    await fill(client, survey.slug);
    assert.equal((await client.post(`/s/${survey.slug}/check`, {})).status, 200);
  }

  before(async () => {
    server = await startServer();
    lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).client;
    survey = await createSurvey(lead, definition);
    // One person with two services, one with none.
    await respond(async (client, slug) => {
      await client.post(`/s/${slug}/page/1`, { uses: 'yes' });
      await client.post(`/s/${slug}/page/2`, { 'service#1': 'home_care', 'visits#1': '12', action: 'add' });
      const res = await client.post(`/s/${slug}/page/2`, { 'service#1': 'home_care', 'visits#1': '12', 'service#2': 'day_centre' });
      assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);
      await client.post(`/s/${slug}/page/3`, { overall: '' });
    });
    await respond(async (client, slug) => {
      await client.post(`/s/${slug}/page/1`, { uses: 'no' });
      await client.post(`/s/${slug}/page/3`, { overall: '' });
    });
  });
  after(async () => { await server?.stop(); });

  test('the repeat CSV has a row per service, linked to the response by its id', async () => {
    const res = await lead.get(`/surveys/${survey.id}/repeats/services.csv`);
    assert.equal(res.status, 200, res.text_);
    assert.match(res.headers.get('content-disposition'), /filename="[^"]*-services\.csv"/);
    const table = rows(res.text_);
    assert.deepEqual(table[0], ['response_id', 'instance', 'service', 'visits']);
    assert.equal(table.length, 3);
    assert.deepEqual(table.slice(1).map((r) => r.slice(1)), [['1', 'home_care', '12'], ['2', 'day_centre', '']]);

    // The response_id is the id of the response that used the services in responses.csv.
    const main = rows((await lead.get(`/surveys/${survey.id}/responses.csv`)).text_);
    assert.deepEqual(main[0], ['id', 'started_at', 'submitted_at', 'last_page', 'uses', 'overall']);
    const uses = main[0].indexOf('uses');
    const user = main.slice(1).find((r) => r[uses] === 'yes');
    assert.ok(user);
    assert.equal(table[1][0], user[0]);
    assert.equal(table[2][0], user[0]);
  });

  test("the survey's page links each repeat's file beside the responses", async () => {
    const page = (await lead.get(`/surveys/${survey.id}`)).text_;
    assert.ok(page.includes(`href="/surveys/${survey.id}/repeats/services.csv"`));
    assert.match(page, /Download the answers to &lsquo;[^<]+&rsquo;, one row for each time \(CSV\)/);
  });

  test('an unknown repeat is not found', async () => {
    assert.equal((await lead.get(`/surveys/${survey.id}/repeats/people.csv`)).status, 404);
    assert.equal((await lead.get(`/surveys/${survey.id}/repeats/services.txt`)).status, 404);
  });

  test('the codebook says which table each column is in', async () => {
    const book = rows((await lead.get(`/surveys/${survey.id}/codebook.csv`)).text_);
    const table = book[0].indexOf('table');
    assert.ok(table > 0);
    const where = (column) => book.filter((r) => r[1] === column).map((r) => r[table]);
    assert.deepEqual([...new Set(where('uses'))], ['responses']);
    assert.deepEqual([...new Set(where('service'))], ['services']);
    assert.deepEqual(where('instance'), ['services']);
  });

  test('the findings page counts the repeat, hides its small numbers and links to its file', async () => {
    const page = await lead.get(`/surveys/${survey.id}/findings`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /<h2 class="govuk-heading-l" id="repeat-services-heading">Service<\/h2>/);
    assert.match(page.text_, new RegExp(`href="/surveys/${survey.id}/repeats/services.csv"`));
    // Two services from one person: counts this small are shown as a star.
    assert.match(page.text_, /Given in all<\/t[hd]>\s*<td[^>]*>\*<\/td>/);
    assert.match(page.text_, /Which service\?/);
  });
});
