// Answers the survey fills in, over HTTP. A read-only question (XLSForm
// read_only): the page shows the survey's own answer with no field to
// change it, a value sent for it anyway is ignored, and the check page and
// the stored response carry the survey's answer. A trigger (XLSForm
// trigger): an answer worked out when another changes, which the person
// may then change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, startServer, userWithRole } from '../support/server.mjs';
import { createSurvey, startResponse } from '../support/surveys.mjs';
import { sql } from '../support/sql.mjs';

const definition = {
  format: 'coproduce-survey/1',
  id: 'centre',
  title: 'Your day centre',
  questions: [
    {
      code: 'centre', type: 'single', page: 1, text: 'The day centre this survey is about', default: 'north', read_only: true,
      options: [{ code: 'north', label: 'North Street day centre' }, { code: 'south', label: 'South Road day centre' }],
    },
    { code: 'likes', type: 'yes_no', page: 1, text: 'Do you like going there?', validation: { required: true } },
    { code: 'bus', type: 'yes_no', page: 2, text: 'Do you take the number 12 bus to North Street?', show_if: "centre = 'north'" },
  ],
};

describe('a read-only question', () => {
  let server;
  let lead;
  before(async () => {
    server = await startServer();
    lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).client;
  });
  after(async () => { await server?.stop(); });

  test('shows the survey\'s answer, cannot be changed, and is what is sent', async () => {
    const { id, slug } = await createSurvey(lead, definition);
    const client = await startResponse(server, slug);

    const page = await client.get(`/s/${slug}/page/1`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /<p class="govuk-body govuk-!-margin-bottom-1">The day centre this survey is about<\/p>/);
    assert.match(page.text_, /<p class="govuk-body govuk-!-font-weight-bold[^"]*">North Street day centre<\/p>/);
    assert.match(page.text_, /This is filled in for you\. You cannot change it\./);
    assert.doesNotMatch(page.text_, /name="centre"/);
    assert.doesNotMatch(page.text_, /South Road day centre/);

    // A value sent for it anyway changes nothing: the bus question, shown
    // only for North Street, still follows.
    let res = await client.post(`/s/${slug}/page/1`, { centre: 'south', likes: 'yes' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/s/${slug}/page/2`);
    res = await client.post(`/s/${slug}/page/2`, { bus: 'no' });
    assert.equal(res.headers.get('location'), `/s/${slug}/check`);

    const check = await client.get(`/s/${slug}/check`);
    assert.match(check.text_, /North Street day centre/);
    assert.doesNotMatch(check.text_, /South Road day centre/);
    // Nothing to change, so no Change link for it; the others keep theirs.
    assert.doesNotMatch(check.text_, /your answer to:[^<]*<span[^>]*>The day centre/);
    assert.match(check.text_, /your answer to:[^<]*<span[^>]*>Do you like going there\?/);
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
    const stored = JSON.parse(await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND submitted_at IS NOT NULL`));
    assert.deepEqual(stored.centre.values, ['north']);
    assert.deepEqual(stored.likes.values, ['yes']);
    assert.deepEqual(stored.bus.values, ['no']);
  });

  test('a definition that makes a required question read-only is refused with its JSON path', async () => {
    if (!lead.cookies.has('coproduce_csrf')) await lead.get('/surveys/new');
    const body = new FormData();
    body.set('csrf_token', lead.cookies.get('coproduce_csrf'));
    body.set('source', 'upload');
    body.set('title', '');
    const wrong = structuredClone(definition);
    wrong.questions[0].validation = { required: true };
    body.set('definition', new Blob([JSON.stringify(wrong)]), 'survey.json');
    const res = await lead.request('POST', '/surveys', { body });
    assert.equal(res.status, 400, res.text_);
    assert.match(res.text_, /\/questions\/0\/read_only/);
    assert.match(res.text_, /a read-only question cannot be required/);
  });

  test('a trigger fills in an answer when another changes, and keeps what the person changed it to', async () => {
    const { id, slug } = await createSurvey(lead, {
      format: 'coproduce-survey/1',
      id: 'claim',
      title: 'Your claim',
      questions: [
        { code: 'hours', type: 'number', page: 1, text: 'How many hours did you give?', validation: { required: true } },
        { code: 'claim', type: 'number', page: 2, text: 'How much do you want to claim, in pounds?', calculation: '${hours} * 12.5', trigger: 'hours' },
      ],
    });
    const client = await startResponse(server, slug);
    const claimField = async () => (await client.get(`/s/${slug}/page/2`)).text_.match(/id="claim" name="claim" type="text"[^>]* value="([^"]*)"/)?.[1];

    assert.equal((await client.post(`/s/${slug}/page/1`, { hours: '4' })).headers.get('location'), `/s/${slug}/page/2`);
    assert.equal(await claimField(), '50');
    await client.post(`/s/${slug}/page/2`, { claim: '40' });
    // The same hours again: the claim the person wrote stays.
    await client.post(`/s/${slug}/page/1`, { hours: '4' });
    assert.equal(await claimField(), '40');
    // Different hours: worked out again.
    await client.post(`/s/${slug}/page/1`, { hours: '6' });
    assert.equal(await claimField(), '75');
    await client.post(`/s/${slug}/page/2`, { claim: '75' });
    assert.equal((await client.post(`/s/${slug}/check`, {})).status, 200);
    const stored = JSON.parse(await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND submitted_at IS NOT NULL`));
    assert.deepEqual(stored.claim.values, ['75']);
  });
});
