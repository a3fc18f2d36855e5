// Welsh and English: the link on every page, remembering the choice, the
// browser's own preference, lang attributes, and pages not yet translated
// saying so in the person's language.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, admin, freshDatabase, startServer } from '../support/server.mjs';

const htmlLang = (text) => text.match(/<html lang="([a-z]+)"/)?.[1];

describe('choosing a language', () => {
  let server;
  before(async () => {
    const { db, dir } = await freshDatabase();
    server = await startServer({ db, dir });
  });
  after(async () => { await server?.stop(); });

  test('every page links to the other language, in that language, to return to the same page', async () => {
    const c = new Client(server.base);
    const page = await c.get('/sign-in?next=%2Fmy-data');
    assert.equal(page.status, 200);
    assert.equal(htmlLang(page.text_), 'en');
    assert.match(page.text_, /<a class="govuk-link" href="\/language\/cy\?return=%2Fsign-in%3Fnext%3D%252Fmy-data" lang="cy" hreflang="cy">Cymraeg<\/a>/);
  });

  test('the link remembers Welsh for a year and goes back to the page', async () => {
    const c = new Client(server.base);
    const res = await c.get('/language/cy?return=%2Fsign-in%3Fnext%3D%252Fmy-data');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/sign-in?next=%2Fmy-data');
    const cookie = res.headers.getSetCookie().find((v) => v.startsWith('coproduce_language='));
    assert.match(cookie, /^coproduce_language=cy; Path=\/; SameSite=Lax; HttpOnly; Max-Age=31536000/);

    const page = await c.get('/sign-in');
    assert.equal(htmlLang(page.text_), 'cy');
    assert.equal(page.headers.get('content-language'), 'cy');
    assert.match(page.text_, /<title>Mewngofnodi – Coproduce<\/title>/);
    assert.match(page.text_, /<h1 class="govuk-heading-l">Mewngofnodi<\/h1>/);
    assert.match(page.text_, /<label class="govuk-label govuk-label--s" for="password">Cyfrinair<\/label>/);
    assert.match(page.text_, /Neidio i&apos;r prif gynnwys|Neidio i'r prif gynnwys/);
    assert.match(page.text_, /href="\/language\/en\?return=%2Fsign-in" lang="en" hreflang="en">English<\/a>/);
    assert.doesNotMatch(page.text_, />Sign in</, 'no English left on the page');

    const back = await c.get('/language/en?return=%2Fsign-in');
    assert.equal(back.status, 303);
    assert.equal(htmlLang((await c.get('/sign-in')).text_), 'en');
  });

  test('form errors come back in Welsh, fields and values untouched', async () => {
    const c = new Client(server.base);
    await c.get('/language/cy?return=/sign-in');
    const res = await c.post('/sign-in', { email: '', password: '' });
    assert.equal(res.status, 400);
    assert.match(res.text_, /<title>Gwall: Mewngofnodi – Coproduce<\/title>/);
    assert.match(res.text_, /Mae problem wedi codi/);
    assert.match(res.text_, /<a href="#email">Rhowch eich cyfeiriad e-bost<\/a>/);
    assert.match(res.text_, /<a href="#password">Rhowch eich cyfrinair<\/a>/);

    const wrong = await c.post('/sign-in', { email: admin.email, password: 'not the password at all' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text_, /Rhowch gyfeiriad e-bost a chyfrinair cywir/);
    assert.match(wrong.text_, new RegExp(`value="${admin.email.replace('.', '\\.')}"`));
  });

  test("a Welsh browser gets Welsh before anyone chooses; a choice outranks the browser", async () => {
    const c = new Client(server.base);
    const welsh = await c.get('/sign-in', { headers: { 'accept-language': 'cy-GB,cy;q=0.9,en;q=0.8' } });
    assert.equal(htmlLang(welsh.text_), 'cy');
    const english = await c.get('/sign-in', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.equal(htmlLang(english.text_), 'en');
    await c.get('/language/en?return=/');
    const chosen = await c.get('/sign-in', { headers: { 'accept-language': 'cy' } });
    assert.equal(htmlLang(chosen.text_), 'en');
  });

  test('error pages are in Welsh', async () => {
    const c = new Client(server.base);
    await c.get('/language/cy?return=/');
    const res = await c.get('/no-such-page');
    assert.equal(res.status, 404);
    assert.equal(htmlLang(res.text_), 'cy');
    assert.match(res.text_, /<h1 class="govuk-heading-l">Heb ddod o hyd i&apos;r dudalen<\/h1>|<h1 class="govuk-heading-l">Heb ddod o hyd i'r dudalen<\/h1>/);
    assert.match(res.text_, /Cod gwall: 404/);
  });

  test('a page not yet in Welsh is in English, marked so, with a notice in Welsh', async () => {
    const c = new Client(server.base);
    await c.get('/language/cy?return=/');
    await c.signIn();
    const res = await c.get('/dashboard');
    assert.equal(res.status, 200);
    assert.equal(htmlLang(res.text_), 'en');
    assert.match(res.text_, /<p class="govuk-body-s app-language__notice" lang="cy">Nid yw(&apos;|')r dudalen hon ar gael yn Gymraeg eto/);
    assert.match(res.text_, /href="\/language\/en\?return=%2Fdashboard" lang="en" hreflang="en">English<\/a>/);
  });

  test('the link goes back only to a page on this site, and knows only the languages there are', async () => {
    const c = new Client(server.base);
    for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/ok\r\nSet-Cookie: x=1', '']) {
      const res = await c.get(`/language/cy?return=${encodeURIComponent(target)}`);
      assert.equal(res.status, 303, target);
      assert.equal(res.headers.get('location'), '/', target);
    }
    const unknown = await c.get('/language/xx?return=/');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.getSetCookie().some((v) => v.startsWith('coproduce_language=')), false);
    // A cookie naming a language there is not is ignored.
    const c2 = new Client(server.base);
    c2.cookies.set('coproduce_language', 'xx');
    assert.equal(htmlLang((await c2.get('/sign-in')).text_), 'en');
  });
});

describe('messages in Welsh', () => {
  let server;
  before(async () => {
    const { db, dir } = await freshDatabase();
    server = await startServer({ db, dir });
  });
  after(async () => { await server?.stop(); });

  test('an administrator sees and changes the Welsh wording apart from the English', async () => {
    const c = new Client(server.base);
    await c.signIn();
    const list = await c.get('/admin/messages/templates?language=cy');
    assert.equal(list.status, 200);
    assert.match(list.text_, /Messages Coproduce sends, in Cymraeg/);
    assert.match(list.text_, /href="\/admin\/messages\/templates\/activity_invitation\/plain\?language=cy"/);

    const page = await c.get('/admin/messages/templates/activity_invitation/plain?language=cy');
    assert.equal(page.status, 200);
    assert.match(page.text_, /<textarea lang="cy"[^>]*>Annwyl \(\(name\)\),/);
    assert.match(page.text_, /<input type="hidden" name="language" value="cy">/);

    const saved = await c.post('/admin/messages/templates/activity_invitation/plain?language=cy', {
      language: 'cy', action: 'save', subject: 'Gwahoddiad: ((activity))', body: 'Annwyl ((name)), dewch i ((activity)).',
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('location'), '/admin/messages/templates/activity_invitation/plain?language=cy&saved=1');
    const welsh = await c.get('/admin/messages/templates/activity_invitation/plain?language=cy');
    assert.match(welsh.text_, /Annwyl \(\(name\)\), dewch i \(\(activity\)\)\./);
    assert.match(welsh.text_, /your organisation.s own wording/);
    const english = await c.get('/admin/messages/templates/activity_invitation/plain');
    assert.match(english.text_, /<textarea lang="en"[^>]*>Dear \(\(name\)\),/);
    assert.match(english.text_, /This is the wording Coproduce provides/);

    const reset = await c.post('/admin/messages/templates/activity_invitation/plain/reset', { language: 'cy' },
      { formPage: '/admin/messages/templates' });
    assert.equal(reset.status, 303);
    assert.equal(reset.headers.get('location'), '/admin/messages/templates/activity_invitation/plain?language=cy&reset=1');
    const back = await c.get('/admin/messages/templates/activity_invitation/plain?language=cy');
    assert.match(back.text_, /This is the wording Coproduce provides/);

    const unknown = await c.get('/admin/messages/templates/activity_invitation/plain?language=xx');
    assert.equal(unknown.status, 404);
  });
});
