// Surveys with a repeat over HTTP: a person adds each service they use,
// removes one, is shown a problem in the second on its own field, saves and
// comes back, checks and sends; a count asked before (0 skips the page) and
// a fixed count.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, startServer, userWithRole } from '../support/server.mjs';
import { createSurvey, startResponse } from '../support/surveys.mjs';
import { sql } from '../support/sql.mjs';

// Each service a carer uses: its name (required), whether it helps, and
// since when.
export const servicesDefinition = {
  format: 'coproduce-survey/1',
  id: 'services',
  title: 'Services you use',
  languages: [{ code: 'en', name: 'English' }, { code: 'cy', name: 'Cymraeg' }],
  repeats: [{
    code: 'services', label: 'Service', hint: 'Tell us about each service you use.', max: 3, show_if: "uses = 'yes'",
    translations: { cy: { label: 'Gwasanaeth', hint: 'Dywedwch wrthym am bob gwasanaeth rydych chi’n ei ddefnyddio.' } },
  }],
  questions: [
    { code: 'uses', type: 'yes_no', page: 1, text: 'Do you use any services?', validation: { required: true } },
    { code: 'service', type: 'short_text', page: 2, repeat: 'services', text: 'What is the service called?', validation: { required: true } },
    { code: 'helpful', type: 'yes_no', page: 2, repeat: 'services', text: 'Does it help you?' },
    { code: 'since', type: 'date', page: 2, repeat: 'services', text: 'When did you start using it?' },
    { code: 'overall', type: 'long_text', page: 3, text: 'Is there anything else you want to tell us?' },
  ],
};

function errorLinks(html) {
  return [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
}
const legends = (html) => [...html.matchAll(/<h2 class="govuk-fieldset__heading">([^<]+)<\/h2>/g)].map((m) => m[1]);

describe('surveys with a repeat', () => {
  let server;
  let lead;

  const respondent = (slug, language = 'en') => startResponse(server, slug, language);

  before(async () => {
    server = await startServer();
    lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).client;
  });
  after(async () => { await server?.stop(); });

  test('a person adds services, removes one, fixes a problem in the second, comes back later and sends them', async () => {
    const { id, slug } = await createSurvey(lead, servicesDefinition);
    const client = await respondent(slug);
    let res = await client.post(`/s/${slug}/page/1`, { uses: 'yes' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2`);

    // One service to start with, its fields named for it; nothing to remove.
    let page = await client.get(`/s/${slug}/page/2`);
    assert.deepEqual(legends(page.text_), ['Service 1']);
    assert.match(page.text_, /Tell us about each service you use\./);
    assert.match(page.text_, /<input class="govuk-input [^"]*" id="service-1" name="service#1" type="text"/);
    assert.match(page.text_, /id="since-1-day" name="since#1-day"/);
    assert.match(page.text_, /<button [^>]*name="action" value="add">Add another<\/button>/);
    assert.doesNotMatch(page.text_, /value="remove-1"/);

    // Add another keeps what was typed and shows a second, with focus on it.
    res = await client.post(`/s/${slug}/page/2`, { 'service#1': 'Day centre', 'helpful#1': 'yes', action: 'add' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2?focus=2`);
    page = await client.get(res.headers.get('location'));
    assert.deepEqual(legends(page.text_), ['Service 1', 'Service 2']);
    assert.doesNotMatch(page.text_, /You removed/);
    assert.match(page.text_, /id="service-1" name="service#1" type="text" value="Day centre"/);
    assert.match(page.text_, /id="services-2-legend" tabindex="-1" autofocus/);
    assert.doesNotMatch(page.text_, /id="services-1-legend" tabindex="-1" autofocus/);
    assert.match(page.text_, /value="remove-2">Remove<span class="govuk-visually-hidden"[^>]*> Service 2<\/span>/);

    // Up to the most (3), which the page then says.
    res = await client.post(`/s/${slug}/page/2`, { 'service#1': 'Day centre', 'service#2': 'Sitting service', action: 'add' });
    page = await client.get(res.headers.get('location'));
    assert.deepEqual(legends(page.text_), ['Service 1', 'Service 2', 'Service 3']);
    assert.doesNotMatch(page.text_, /value="add"/);
    assert.match(page.text_, /You cannot add more\. The most is 3\./);
    // Adding past the most adds nothing.
    res = await client.post(`/s/${slug}/page/2`, { 'service#1': 'Day centre', 'service#2': 'Sitting service', action: 'add' });
    page = await client.get(res.headers.get('location'));
    assert.deepEqual(legends(page.text_), ['Service 1', 'Service 2', 'Service 3']);

    // Removing the second moves the third up into its place.
    res = await client.post(`/s/${slug}/page/2`, {
      'service#1': 'Day centre', 'service#2': 'Sitting service', 'service#3': 'Carers group', 'helpful#3': 'no', action: 'remove-2',
    });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2?focus=2&removed=2`);
    page = await client.get(res.headers.get('location'));
    assert.deepEqual(legends(page.text_), ['Service 1', 'Service 2']);
    // The page says what went, since it looks much the same.
    assert.match(page.text_, /role="alert"[^>]*>.*You removed Service 2\. Any after it have moved up\./s);
    assert.match(page.text_, /id="service-2" name="service#2" type="text" value="Carers group"/);
    assert.match(page.text_, /id="helpful-2-no" name="helpful#2" type="radio" value="no" checked/);
    assert.doesNotMatch(page.text_, /Sitting service/);

    // A problem in the second service is linked to and shown on its own field.
    res = await client.post(`/s/${slug}/page/2`, {
      'service#1': 'Day centre', 'service#2': '', 'since#2-day': '31', 'since#2-month': '2', 'since#2-year': '2020', action: 'continue',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(errorLinks(res.text_), [
      ['#service-2', 'Enter an answer: what is the service called (Service 2)'],
      ['#since-2-day', 'The date must be a real date (Service 2)'],
    ]);
    assert.match(res.text_, /<p id="service-2-error" class="govuk-error-message">/);
    assert.match(res.text_, /class="govuk-input govuk-!-width-two-thirds govuk-input--error" id="service-2"/);
    assert.doesNotMatch(res.text_, /id="service-1-error"/);
    assert.match(res.text_, /id="since-2-day" name="since#2-day" type="text" inputmode="numeric" value="31"/);

    res = await client.post(`/s/${slug}/page/2`, { 'service#1': 'Day centre', 'service#2': 'Carers group', 'since#2-day': '3', 'since#2-month': '2', 'since#2-year': '2020' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);

    // Saved and carried on in another browser: both services come back.
    const saved = await client.post(`/s/${slug}/page/3`, { overall: '', action: 'save' });
    const code = saved.text_.match(/id="resume-code">([A-Z-]+)</)[1];
    const other = new Client(server.base);
    res = await other.post(`/s/${slug}/resume`, { code }, { formPage: `/s/${slug}/resume` });
    assert.equal(res.status, 303);
    page = await other.get(`/s/${slug}/page/2`);
    assert.deepEqual(legends(page.text_), ['Service 1', 'Service 2']);
    assert.match(page.text_, /value="Carers group"/);
    res = await other.post(`/s/${slug}/page/3`, { overall: 'Thank you' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);

    // The check page lists each service under its own heading, each answer
    // with a change link to its field.
    const check = await other.get(`/s/${slug}/check`);
    assert.equal(check.status, 200);
    assert.match(check.text_, /<h2 class="govuk-heading-m" lang="en">Service 1<\/h2>\s*<dl[^>]*>[\s\S]*?Day centre[\s\S]*?<\/dl>\s*<h2 class="govuk-heading-m" lang="en">Service 2<\/h2>\s*<dl[^>]*>[\s\S]*?Carers group[\s\S]*?3 February 2020/);
    assert.match(check.text_, new RegExp(`href="/s/${slug}/page/2\\?change=1#service-2">Change<span class="govuk-visually-hidden"> your answer to: <span lang="en">What is the service called\\? \\(Service 2\\)`));

    // Changing goes back to the page and returns to the check page.
    res = await other.post(`/s/${slug}/page/2?change=1`, { 'service#1': 'Day centre', 'helpful#1': 'yes', 'service#2': 'Carers group', 'helpful#2': 'yes', 'since#2-day': '3', 'since#2-month': '2', 'since#2-year': '2020' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);

    assert.equal((await other.post(`/s/${slug}/check`, {})).status, 200);
    const stored = JSON.parse(await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND submitted_at IS NOT NULL`));
    assert.deepEqual(stored['service#1'].values, ['Day centre']);
    assert.deepEqual(stored['helpful#1'].values, ['yes']);
    assert.deepEqual(stored['service#2'].values, ['Carers group']);
    assert.deepEqual(stored['helpful#2'].values, ['yes']);
    assert.deepEqual(stored['since#2'].values, ['2020-02-03']);
    assert.deepEqual(stored.services.values, ['2']);
    assert.equal(stored['service#3'], undefined);
    assert.deepEqual(stored.overall.values, ['Thank you']);
  });

  test('someone who uses no services skips the page, and sends none', async () => {
    const { id, slug } = await createSurvey(lead, { ...servicesDefinition, id: 'none' });
    const client = await respondent(slug);
    const res = await client.post(`/s/${slug}/page/1`, { uses: 'no' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);
    assert.equal((await client.get(`/s/${slug}/page/2`)).headers.get('location'), `/s/${slug}/page/3`);
    await client.post(`/s/${slug}/page/3`, { overall: '' });
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
    const stored = JSON.parse(await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND submitted_at IS NOT NULL`));
    assert.deepEqual(Object.keys(stored), ['uses']);
  });

  test('a count asked before gives that many services, and 0 skips them; a fixed count gives exactly that many', async () => {
    const asked = {
      format: 'coproduce-survey/1', id: 'asked', title: 'How many',
      repeats: [{ code: 'people', label: 'Person you care for', count: 'how_many', max: 5 }],
      questions: [
        { code: 'how_many', type: 'number', page: 1, text: 'How many people do you care for?', validation: { required: true, min: 0 } },
        { code: 'relation', type: 'short_text', page: 2, repeat: 'people', text: 'How are they related to you?' },
        { code: 'end', type: 'long_text', page: 3, text: 'Anything else?' },
      ],
    };
    const { id, slug } = await createSurvey(lead, asked);
    const none = await respondent(slug);
    let res = await none.post(`/s/${slug}/page/1`, { how_many: '0' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);

    const two = await respondent(slug);
    res = await two.post(`/s/${slug}/page/1`, { how_many: '2' });
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2`);
    let page = await two.get(`/s/${slug}/page/2`);
    assert.deepEqual(legends(page.text_), ['Person you care for 1', 'Person you care for 2']);
    assert.doesNotMatch(page.text_, /value="add"|value="remove-/);
    // Asking to add anyway changes nothing: the count is the answer's.
    res = await two.post(`/s/${slug}/page/2`, { 'relation#1': 'Mother', action: 'add' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/s/${slug}/page/3`);
    res = await two.post(`/s/${slug}/page/3`, { end: '' });
    assert.equal((await two.post(`/s/${slug}/check`, {})).status, 200);
    const stored = JSON.parse(await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND submitted_at IS NOT NULL`));
    assert.deepEqual(stored['relation#1'].values, ['Mother']);
    assert.deepEqual(stored.people.values, ['2']);

    const fixed = await createSurvey(lead, { ...asked, id: 'fixed', repeats: [{ code: 'people', label: 'Person you care for', count: 3, max: 5 }] });
    const three = await respondent(fixed.slug);
    res = await three.post(`/s/${fixed.slug}/page/1`, { how_many: '1' });
    page = await three.get(`/s/${fixed.slug}/page/2`);
    assert.deepEqual(legends(page.text_), ['Person you care for 1', 'Person you care for 2', 'Person you care for 3']);
    assert.doesNotMatch(page.text_, /value="add"|value="remove-/);
  });
});
