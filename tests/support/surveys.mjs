// Survey set-up shared by the HTTP tests: a survey made from a definition
// through the staff page and opened, as a co-production lead would, and a
// person starting to answer it.
import assert from 'node:assert/strict';
import { Client } from './server.mjs';

// A new person (a Client of `server`) who has opened the survey at `slug`
// and started it in `language`; the next page is its first.
export async function startResponse(server, slug, language = 'en') {
  const client = new Client(server.base);
  await client.get(`/s/${slug}`);
  const res = await client.post(`/s/${slug}/start`, { language }, { formPage: `/s/${slug}` });
  assert.equal(res.status, 303, res.text_);
  return client;
}

// Creates and opens a survey from `definition` as `lead` (a Client signed in
// as a co-production lead); returns { id, slug }.
export async function createSurvey(lead, definition) {
  if (!lead.cookies.has('coproduce_csrf')) await lead.get('/surveys/new');
  const body = new FormData();
  body.set('csrf_token', lead.cookies.get('coproduce_csrf'));
  body.set('source', 'upload');
  body.set('title', '');
  body.set('definition', new Blob([JSON.stringify(definition)]), 'survey.json');
  const res = await lead.request('POST', '/surveys', { body });
  assert.equal(res.status, 303, res.text_);
  const id = res.headers.get('location').match(/\/surveys\/(\d+)/)[1];
  const page = await lead.get(`/surveys/${id}`);
  const slug = page.text_.match(/href="\/s\/([^"]+)"/)[1];
  assert.equal((await lead.post(`/surveys/${id}/status`, { status: 'open' }, { formPage: `/surveys/${id}` })).status, 303);
  return { id, slug };
}
