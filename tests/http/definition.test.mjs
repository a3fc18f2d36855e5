// One definition of co-production: the public page shows the built-in
// definition until an administrator adapts it, then the adapted one, with
// an Easy Read version; every version is kept with its date; a mistake
// names its field and changes nothing; only administrators may adapt it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { admin, Client, startServer, userWithRole } from '../support/server.mjs';

const decode = (html) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('the definition of co-production', () => {
  let server;
  let lead;
  let administrator;
  before(async () => {
    server = await startServer();
    administrator = new Client(server.base);
    await administrator.signIn();
    ({ client: lead } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead'));
  });
  after(async () => { await server?.stop(); });

  const form = (overrides = {}) => ({
    text: 'Co-production at Test Council means people who draw on care and our staff deciding together, as equals.',
    easy_read: 'We decide things together.\n\nEveryone is equal.',
    'principle-equality': 'Everyone counts the same.',
    'principle-diversity': 'We hear from everyone, not just a few.',
    'principle-accessibility': 'Everyone can take part.',
    'principle-reciprocity': 'People get something back.',
    ...overrides,
  });

  test('the public page shows the built-in definition, its principles and links to its sources', async () => {
    const res = await fetch(`${server.base}/what-is-co-production`);
    assert.equal(res.status, 200);
    const html = decode(await res.text());
    assert.match(html, /Co-production is when people who draw on care and support/);
    for (const p of ['Equality', 'Diversity', 'Accessibility', 'Reciprocity']) assert.match(html, new RegExp(`<h3[^>]*>${p}</h3>`));
    assert.match(html, /href="https:\/\/www\.scie\.org\.uk\/co-production\/"/);
    assert.match(html, /href="\/what-is-co-production\/easy-read"/);
    const easy = decode(await (await fetch(`${server.base}/what-is-co-production/easy-read`)).text());
    assert.match(easy, /<p>Co-production means working together\.<\/p>/);
  });

  test('a co-production lead reads it but may not change it', async () => {
    const page = await lead.get('/library/definition');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text_, /Adopt this definition/);
    const res = await lead.post('/library/definition', form(), { formPage: '/library/definition' });
    assert.equal(res.status, 403);
  });

  test('a missing principle is named beside its field and nothing is adopted', async () => {
    const res = await administrator.post('/library/definition', form({ 'principle-reciprocity': '  ' }),
      { formPage: '/library/definition' });
    assert.equal(res.status, 400);
    assert.match(res.text_, /href="#principle-reciprocity"/);
    assert.match(decode(res.text_), /Enter what Reciprocity means/);
    const pub = decode(await (await fetch(`${server.base}/what-is-co-production`)).text());
    assert.doesNotMatch(pub, /Co-production at Test Council/);
  });

  test('an adapted definition is shown everywhere, and each version is kept with its date', async () => {
    const first = await administrator.post('/library/definition', form(), { formPage: '/library/definition' });
    assert.equal(first.status, 303);
    const second = await administrator.post('/library/definition',
      form({ text: 'Second wording: we share power with the people who use our services.' }),
      { formPage: '/library/definition' });
    assert.equal(second.status, 303);
    const pub = decode(await (await fetch(`${server.base}/what-is-co-production`)).text());
    assert.match(pub, /Second wording: we share power/);
    assert.match(pub, /Everyone counts the same\./);
    assert.match(pub, /Adopted on \d{1,2} \w+ \d{4}/);
    const easy = decode(await (await fetch(`${server.base}/what-is-co-production/easy-read`)).text());
    assert.match(easy, /<p>We decide things together\.<\/p>/);
    const page = decode((await administrator.get('/library/definition')).text_);
    const history = page.slice(page.indexOf('Every version adopted'));
    assert.match(history, /Second wording/);
    assert.match(history, /Co-production at Test Council/);
    assert.ok(history.indexOf('Second wording') < history.indexOf('Co-production at Test Council'), 'newest first');
  });
});
