// A learner takes a module in Welsh: once they choose Cymraeg, every page of
// their learning (the list, a module's start, its pages, Easy Read, the
// knowledge check with its errors, the result and the certificate) is marked
// lang="cy", with Coproduce's own words, dates and counts in Welsh. The
// module's own words are the starter module's Welsh translation
// (translations.cy in starter_module.json), marked lang="cy"; the right
// answers are the module's own. Staff learning pages stay in English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { admin, api, root, startServer, userWithRole } from '../support/server.mjs';

const htmlLang = (text) => text.match(/<html lang="([a-z]+)"/)?.[1];
const h1 = (text) => text.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const unescape = (s) => s.replace(/&apos;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
// The page's main content as text, tags taken out.
const mainText = (html) => unescape(html.slice(html.indexOf('<main'), html.indexOf('</main>')))
  .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const welshMonths = ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi',
  'Hydref', 'Tachwedd', 'Rhagfyr'];
const welshDate = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${welshMonths[m - 1]} ${y}`;
};
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isoDaysFromNow = (days) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);

// A Welsh page: lang="cy" on <html> and in Content-Language, no line saying
// the page is not in Welsh yet, and `heading` as its h1.
function assertWelsh(res, url, heading) {
  assert.equal(htmlLang(res.text_), 'cy', `${url} is marked Welsh`);
  assert.equal(res.headers.get('content-language'), 'cy', `${url} says Content-Language: cy`);
  assert.doesNotMatch(unescape(res.text_), /Nid yw'r dudalen hon ar gael yn Gymraeg eto/, `${url} is not marked as untranslated`);
  if (heading) assert.equal(unescape(h1(res.text_)), heading, `${url}'s heading`);
}

// Coproduce's own English that must not be left on a Welsh page.
function assertNoEnglish(res, url, phrases) {
  const text = mainText(res.text_);
  for (const p of phrases) assert.doesNotMatch(text, p, `${url} has no "${p.source}" left in English`);
}

// Posts a form with repeated fields the way a page does.
async function postPairs(c, url, pairs) {
  const body = new URLSearchParams([['csrf_token', c.cookies.get('coproduce_csrf')], ...pairs]).toString();
  return c.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

describe('a learner takes a module in Welsh', () => {
  let server;
  let lead;
  let learner;
  let starter; // { id, title }
  let content; // src/learning/starter_module.json
  let cy; // its Welsh words
  let due;

  before(async () => {
    server = await startServer();
    content = JSON.parse(await readFile(path.join(root, 'src', 'learning', 'starter_module.json'), 'utf8'));
    cy = content.translations.cy;
    lead = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead');
    learner = await userWithRole(server, admin.organisation, 'gwen@example.org', 'learner');
    const { modules } = await (await api(server, lead.token, 'GET', '/api/v1/learning/modules')).json();
    starter = modules.find((m) => m.starter);
    // Required of care workers within 84 days of starting; Gwen started 10 days ago.
    const started = isoDaysFromNow(-10);
    due = new Date(Date.parse(started) + 84 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const req = await api(server, lead.token, 'POST', '/api/v1/learning/requirements',
      { module_id: starter.id, role_category: 'care_worker', within_days: 84 });
    assert.equal(req.status, 201, await req.clone().text());
    const w = await api(server, lead.token, 'POST', '/api/v1/learning/workers', {
      worker_id: 'CY-1', name: 'Gwen Jones', email: 'gwen@example.org', role_category: 'care_worker',
      closeness: 'direct_care', started_on: started,
    });
    assert.equal(w.status, 201, await w.clone().text());
  });
  after(async () => { await server?.stop(); });

  test('the list, the start, the pages and Easy Read are in Welsh, the module\'s own words too', async () => {
    const c = learner.client;
    assert.equal((await c.get('/language/cy?return=%2Fmy-learning')).status, 303);

    const mine = await c.get('/my-learning');
    assertWelsh(mine, '/my-learning', 'Eich dysgu');
    const text = mainText(mine.text_);
    assert.match(text, /Beth mae gofyn i chi ei wneud/);
    assert.match(text, new RegExp(`I'w wneud Gwnewch hwn erbyn ${welshDate(due)}`), 'the status and due date in Welsh');
    assert.match(text, new RegExp(`Tua ${content.minutes} munud\\.`), 'the length in Welsh');
    assert.match(unescape(mine.text_), new RegExp(`<a class="govuk-link" href="/my-learning/${starter.id}" lang="cy">${escapeRegExp(cy.title)}</a>`),
      'the module\'s title is in Welsh and marked so');
    assert.match(unescape(mine.text_), new RegExp(`<span lang="cy">${escapeRegExp(cy.summary)}</span>`));
    assertNoEnglish(mine, '/my-learning', [/What you are asked to do/, /Due by/, /About \d+ minutes/, /Download everything/]);

    const start = await c.get(`/my-learning/${starter.id}`);
    assertWelsh(start, `/my-learning/${starter.id}`);
    assert.match(unescape(start.text_), new RegExp(`<h1 class="govuk-heading-xl" lang="cy">${escapeRegExp(cy.title)}</h1>`));
    assert.match(unescape(start.text_), new RegExp(escapeRegExp(cy.outcomes[0])));
    assertNoEnglish(start, 'the start page\'s module words', [new RegExp(escapeRegExp(content.outcomes[0]))]);
    const s = mainText(start.text_);
    assert.match(s, /Erbyn y diwedd, byddwch chi'n gallu/);
    assert.match(s, /Dechrau nawr/, 'the start button in Welsh');
    assert.match(s, new RegExp(`${content.questions.length} cwestiwn\\. I basio, mae angen i chi gael o leiaf ${content.pass_mark}% yn gywir\\.`));
    assert.match(s, /Gwnewch y gwiriad gwybodaeth/);
    assertNoEnglish(start, 'the start page', [/Start now/, /By the end/, /Knowledge check/, /Take the knowledge check/, /questions\./]);

    const page2 = await c.get(`/my-learning/${starter.id}/pages/2`);
    assertWelsh(page2, 'page 2', cy.pages[1].title);
    assert.match(page2.text_, new RegExp(`tudalen 2 o ${content.pages.length}`), 'the progress in Welsh');
    assert.match(page2.text_, /<div class="app-prose" lang="cy">/, 'the page\'s text is marked Welsh');
    assert.match(mainText(page2.text_), /Parhau .*Tudalen flaenorol/);
    assertNoEnglish(page2, 'page 2', [/page 2 of/, /Previous page/, /Back to the start/]);
    const last = await c.get(`/my-learning/${starter.id}/pages/${content.pages.length}`);
    assert.match(mainText(last.text_), /Ymlaen i'r gwiriad gwybodaeth/);

    const easy = await c.get(`/my-learning/${starter.id}/easy-read`);
    assertWelsh(easy, 'Easy Read', cy.title);
    assert.match(unescape(easy.text_), new RegExp(`<title>${escapeRegExp(cy.title)} \\(Hawdd ei Ddeall\\)`));
    assert.match(easy.text_, /<section class="app-easy-read" lang="cy">/);

    const nowhere = await c.get(`/my-learning/${starter.id}/pages/999`);
    assert.equal(nowhere.status, 404);
    assertWelsh(nowhere, 'a page that does not exist');
    assert.match(mainText(nowhere.text_), /Nid oes tudalen o'r fath yn y modiwl hwn/);
  });

  test('the knowledge check, its errors, the result and the certificate are in Welsh, with Welsh dates', async () => {
    const c = learner.client;
    const url = `/my-learning/${starter.id}/check`;
    const form = await c.get(url);
    assertWelsh(form, url, 'Gwiriad gwybodaeth');
    assert.match(mainText(form.text_), /Dewiswch un\./, 'the hint of a choose-one question in Welsh');
    assert.match(mainText(form.text_), /Anfon fy atebion/);
    assert.match(unescape(form.text_), new RegExp(`<span lang="cy">${escapeRegExp(cy.questions[0].text)}</span>`),
      'the question is in Welsh and marked so');
    assertNoEnglish(form, url, [/Select one\./, /Send my answers/, /After you send/]);

    // Nothing chosen: every question named, in Welsh.
    const empty = await postPairs(c, url, []);
    assert.equal(empty.status, 400);
    assertWelsh(empty, `${url} (errors)`, 'Gwiriad gwybodaeth');
    assert.match(unescape(empty.text_), new RegExp(`<title>Gwall: Gwiriad gwybodaeth - ${escapeRegExp(cy.title)}`));
    const multiple = content.questions.findIndex((q) => q.multiple);
    const single = content.questions.findIndex((q) => !q.multiple);
    assert.match(empty.text_, new RegExp(`<a href="#question-${single + 1}">Dewiswch ateb i gwestiwn ${single + 1}</a>`));
    if (multiple >= 0) {
      assert.match(empty.text_, new RegExp(`<a href="#question-${multiple + 1}">Dewiswch o leiaf un ateb i gwestiwn ${multiple + 1}</a>`));
    }
    assertNoEnglish(empty, `${url} (errors)`, [/Select an answer/, /There is a problem/]);

    // Every answer wrong: not passed, in Welsh.
    const wrong = content.questions.map((q, i) => [`question-${i + 1}`, String(q.options.findIndex((o) => !o.correct))]);
    const failed = await postPairs(c, url, wrong);
    assert.equal(failed.status, 200);
    assertWelsh(failed, 'the result (not passed)', 'Heb basio eto');
    const f = mainText(failed.text_);
    assert.match(f, new RegExp(`Cawsoch chi 0 allan o ${content.questions.length} yn gywir \\(0%\\)\\. I basio, mae angen ${content.pass_mark}% arnoch chi\\.`));
    assert.match(f, /Fe ddewisoch chi:/);
    assert.match(f, /Yr ateb cywir:/);
    assert.equal((failed.text_.match(/govuk-tag--red">Anghywir</g) ?? []).length, content.questions.length);
    assertNoEnglish(failed, 'the result (not passed)', [/Not passed yet/, /You got/, /You chose/, /The right answer/, /Not right/]);

    // Every answer right: passed and recorded.
    const right = content.questions.flatMap((q, i) => q.options.flatMap((o, k) => (o.correct ? [[`question-${i + 1}`, String(k)]] : [])));
    const passed = await postPairs(c, url, right);
    assert.equal(passed.status, 200);
    assertWelsh(passed, 'the result (passed)', 'Rydych chi wedi pasio');
    assert.match(mainText(passed.text_), new RegExp(`Cawsoch chi ${content.questions.length} allan o ${content.questions.length} yn gywir \\(100%\\)`));
    assert.match(mainText(passed.text_), /Gweld ac argraffu eich tystysgrif/);
    assertNoEnglish(passed, 'the result (passed)', [/You passed/, /We have recorded/, /See and print/]);

    const today = isoDaysFromNow(0);
    const start = await c.get(`/my-learning/${starter.id}`);
    const s = mainText(start.text_);
    assert.match(s, new RegExp(`${welshDate(today)} ${content.questions.length} o ${content.questions.length} Wedi pasio`),
      'the attempts table in Welsh, with a Welsh date');
    assert.match(s, new RegExp(`${welshDate(today)} 0 o ${content.questions.length} Heb basio eto`));
    assert.match(s, /Parhau|Dechrau nawr/);
    assertNoEnglish(start, 'the start page after', [/Your attempts/, /Passed/, /Not passed yet/]);

    const cert = await c.get(`/my-learning/${starter.id}/certificate`);
    assertWelsh(cert, 'the certificate', 'Gwen Jones');
    const t = mainText(cert.text_);
    assert.match(t, new RegExp(`Mae hyn yn tystio bod Gwen Jones wedi cwblhau'r dysgu am gydgynhyrchu ${escapeRegExp(cy.title)}`));
    assert.match(t, new RegExp(`Wedi'i gwblhau ${welshDate(today)}`));
    assert.match(t, /Sut E-ddysgu yma/);
    assert.match(t, new RegExp(`Hyd Tua ${content.minutes} munud\\.`));
    const refresh = `${Number(today.slice(0, 4)) + 2}${today.slice(4)}`;
    assert.match(t, new RegExp(`Ei wneud eto erbyn ${welshDate(refresh)}`), 'the refresh date, two years on, in Welsh');
    assert.match(unescape(cert.text_), new RegExp(`<title>Tystysgrif - ${escapeRegExp(cy.title)}`));
    assertNoEnglish(cert, 'the certificate', [/This is to certify/, /completed the co-production learning/, /E-learning here/,
      /Refresh by/, /print command/]);

    const mine = await c.get('/my-learning');
    assert.match(mainText(mine.text_), new RegExp(`Wedi'i wneud Wedi'i gwblhau ar ${welshDate(today)}; mae angen ei wneud eto erbyn ${welshDate(refresh)}`));
    assert.match(mainText(mine.text_), /Eich tystysgrif/);
  });

  test('a completion a learning lead recorded gives a Welsh certificate with its own date', async () => {
    const huw = await userWithRole(server, admin.organisation, 'huw@example.org', 'learner');
    const w = await api(server, lead.token, 'POST', '/api/v1/learning/workers', {
      worker_id: 'CY-2', name: 'Huw Price', email: 'huw@example.org', role_category: 'care_worker',
      closeness: 'direct_care', started_on: '2025-01-06',
    });
    assert.equal(w.status, 201, await w.clone().text());
    const done = await api(server, lead.token, 'POST', `/api/v1/learning/workers/${(await w.json()).id}/completions`,
      { module_id: starter.id, completed_on: '2026-03-03', provider: 'Test Council' });
    assert.equal(done.status, 201, await done.clone().text());
    const c = huw.client;
    await c.get('/language/cy?return=%2Fmy-learning');
    const cert = await c.get(`/my-learning/${starter.id}/certificate`);
    assertWelsh(cert, 'the certificate', 'Huw Price');
    const t = mainText(cert.text_);
    assert.match(t, /Wedi'i gwblhau 3 Mawrth 2026/);
    assert.match(t, /Sut Wedi'i gofnodi gan arweinydd dysgu/);
    assert.match(t, /Ei wneud eto erbyn 3 Mawrth 2028/);
    assertNoEnglish(cert, 'the certificate', [/Recorded by/, /March/]);
  });

  test('a learner whose account is not linked to a staff record is told so in Welsh', async () => {
    const nia = await userWithRole(server, admin.organisation, 'nia@example.org', 'learner');
    const c = nia.client;
    await c.get('/language/cy?return=%2Fmy-learning');
    const mine = await c.get('/my-learning');
    assertWelsh(mine, '/my-learning (not linked)', 'Eich dysgu');
    assert.match(mainText(mine.text_), /Ni allwn ddod o hyd i'ch cofnod staff eto/);
    const start = await c.get(`/my-learning/${starter.id}`);
    assert.equal(start.status, 404);
    assertWelsh(start, 'a module, not linked');
    assert.match(mainText(start.text_), /Nid yw eich cyfrif wedi'i gysylltu â chofnod staff eto\. Gofynnwch i'ch arweinydd dysgu\./);
    assertNoEnglish(start, 'a module, not linked', [/Your account is not linked/, /Page not found/]);
  });

  test('staff learning pages stay in English for a learning lead who chose Welsh', async () => {
    const c = lead.client;
    await c.get('/language/cy?return=%2Flearning');
    const res = await c.get('/learning/modules');
    assert.equal(res.status, 200);
    assert.equal(htmlLang(res.text_), 'en');
    assert.match(res.text_, /Learning modules/);
  });
});
