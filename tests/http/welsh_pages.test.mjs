// The participant pages translated after the first Welsh pages: each is
// served in Welsh, marked lang="cy", once a person chooses Cymraeg, with its
// questions, answers and error messages in Welsh; what is stored is the same
// whichever language the person used.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, run, sleep, startServer, useFakeNotify, userWithRole, waitForRound,
} from '../support/server.mjs';
import { sqlScript } from '../support/sql.mjs';
import { startFakeNotify } from '../support/fake_notify.mjs';

const htmlLang = (text) => text.match(/<html lang="([a-z]+)"/)?.[1];
const h1 = (text) => text.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const unescape = (s) => s.replace(/&apos;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// Posts a form with repeated fields the way a page does.
async function postPairs(c, url, pairs) {
  const body = new URLSearchParams([['csrf_token', c.cookies.get('coproduce_csrf')], ...pairs]).toString();
  return c.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

// A Welsh page: lang="cy" on <html> and in Content-Language, no line saying
// the page is not in Welsh yet, and `heading` as its h1.
function assertWelsh(res, url, heading) {
  assert.equal(htmlLang(res.text_), 'cy', `${url} is marked Welsh`);
  assert.equal(res.headers.get('content-language'), 'cy', `${url} says Content-Language: cy`);
  assert.doesNotMatch(unescape(res.text_), /Nid yw'r dudalen hon ar gael yn Gymraeg eto/, `${url} is not marked as untranslated`);
  if (heading) assert.equal(unescape(h1(res.text_)), heading, `${url}'s heading`);
}

describe('Get involved in Welsh', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('every question, its answers and its errors in Welsh; the answers stored as the same codes', async () => {
    const c = new Client(server.base);
    assert.equal((await c.get('/language/cy?return=%2Fget-involved')).status, 303);

    const start = await c.get('/get-involved');
    assertWelsh(start, '/get-involved', 'Cymryd rhan');
    assert.match(unescape(start.text_), /Mae'n cymryd tua 10 munud\./);
    assert.match(start.text_, /href="\/get-involved\/easy-read">Darllenwch y dudalen hon mewn fersiwn Hawdd ei Ddeall<\/a>/);
    assert.doesNotMatch(start.text_, /What we will ask|Start now/, 'no English left in the page itself');
    assert.equal((await postPairs(c, '/get-involved', [])).status, 303);

    // A page's own error and one found by the pool's checks, both in Welsh.
    const noName = await postPairs(c, '/get-involved/name', [['name', '']]);
    assert.equal(noName.status, 400);
    assertWelsh(noName, '/get-involved/name (error)', 'Beth yw eich enw?');
    assert.match(noName.text_, /<title>Gwall: Beth yw eich enw\? – Coproduce<\/title>/);
    assert.match(noName.text_, /<a href="#name">Rhowch eich enw<\/a>/);
    assert.equal((await postPairs(c, '/get-involved/name', [['name', 'Grace Hopper']])).status, 303);
    const badEmail = await postPairs(c, '/get-involved/contact', [['email', 'grace-at-example']]);
    assert.equal(badEmail.status, 400);
    assertWelsh(badEmail, '/get-involved/contact (error)', 'Sut gallwn ni gysylltu â chi?');
    assert.match(badEmail.text_, /<a href="#email">Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft\.org<\/a>/);
    assert.match(badEmail.text_, /value="grace-at-example"/, 'what was typed is kept as typed');
    const badPhone = await postPairs(c, '/get-involved/contact', [['phone', '12'], ['postcode', 'nowhere']]);
    assert.equal(badPhone.status, 400);
    assert.match(badPhone.text_, /<a href="#phone">Rhowch rif ffôn, fel 01632 960 001 neu \+44 7700 900 982<\/a>/);
    assert.match(badPhone.text_, /<a href="#postcode">Rhowch god post llawn yn y DU, fel AA1 1AA<\/a>/);

    const steps = [
      ['contact', 'Sut gallwn ni gysylltu â chi?', [['email', 'grace@example.org'], ['phone', '01632 960 001']]],
      ['contact-preference', 'Sut hoffech chi i ni gysylltu â chi?', [['contact_by', 'phone']], ['E-bost', 'Ffôn']],
      ['formats', 'Eich anghenion Sut hoffech chi i ni anfon gwybodaeth atoch?',
        [['formats', 'welsh'], ['formats', 'easy_read']], ['Hawdd ei Ddeall', 'Cymraeg', 'Iaith arall']],
      ['access-needs', 'Eich anghenion Pa gymorth fyddai\'n eich helpu i gymryd rhan?', [['access_needs', 'hearing_loop']],
        ['Dolen sain', 'Nid oes angen unrhyw un o\'r rhain arnaf']],
      ['experience', 'Eich profiad Beth rydych chi\'n ei wybod am ofal a chymorth?', [['lived_experience', 'unpaid_carer']],
        ['Rwy\'n ofalwr di-dâl']],
      ['care-kinds', 'Eich profiad Pa fathau o ofal a chymorth rydych chi\'n gwybod amdanynt?', [['care_kinds', 'home_care']]],
      ['area', 'Ym mha ardal rydych chi\'n byw?', [['area', 'Northfield']]],
      ['availability', 'Cymryd rhan Pryd gallwch chi gymryd rhan amlaf?', [['availability', 'weekend']], ['Penwythnosau']],
      ['ways', 'Cymryd rhan Sut hoffech chi gymryd rhan?', [['ways', 'online']], ['Ar-lein']],
      ['payment', 'Cymryd rhan Ydych chi eisiau cael eich talu am eich amser?', [['payment', 'paid']],
        ['Ydw, talwch fi am fy amser']],
      ['benefits-advice', 'Cymryd rhan Ydych chi eisiau help gyda\'ch budd-daliadau yn gyntaf?', [['benefits_advice', 'no']]],
      ['equality', 'Cwestiynau amdanoch chi, i wirio ein bod yn deg', [['equality_choice', 'answer']]],
      ['age', 'Amdanoch chi (gallwch hepgor y rhain) Beth yw eich oedran?', [['age_band', '65_74']],
        ['65 i 74', 'Mae\'n well gennyf beidio â dweud']],
      ['sex', 'Amdanoch chi (gallwch hepgor y rhain) Beth yw eich rhyw?', [['sex', 'female']], ['Benyw']],
      ['gender-identity', 'Amdanoch chi (gallwch hepgor y rhain) Ydy eich rhywedd yr un fath â\'r rhyw a roddwyd i chi adeg eich geni?',
        [['gender_identity', 'same']]],
      ['ethnic-group', 'Amdanoch chi (gallwch hepgor y rhain) Beth yw eich grŵp ethnig?', [['ethnic_group', 'white']], ['Gwyn']],
      ['ethnic-background', 'Gwyn Pa un o\'r rhain sydd fwyaf tebyg i\'ch cefndir?', [['ethnic_group', 'white_british']],
        ['Cymreig, Seisnig, Albanaidd, Gwyddelig Gogledd Iwerddon neu Brydeinig']],
    ];
    for (const [page, heading, pairs, labels = []] of steps) {
      const url = `/get-involved/${page}`;
      const res = await c.get(url);
      assert.equal(res.status, 200, url);
      assertWelsh(res, url, heading);
      for (const label of labels) assert.ok(unescape(res.text_).includes(`>${label}</label>`), `${url} offers '${label}'`);
      assert.match(res.text_, />Parhau<\/button>/, `${url}'s button`);
      const sent = await postPairs(c, url, pairs);
      assert.equal(sent.status, 303, `${url}: ${sent.text_.slice(0, 300)}`);
    }

    // An equality question left unanswered says so in Welsh.
    const none = await postPairs(c, '/get-involved/disability', []);
    assert.equal(none.status, 400);
    assert.match(unescape(none.text_), /<a href="#disability">Dewiswch ateb, neu ‘Mae'n well gennyf beidio â dweud’<\/a>/);
    assert.equal((await c.get('/get-involved/consent')).status, 200);
    const noConsent = await postPairs(c, '/get-involved/consent', []);
    assertWelsh(noConsent, '/get-involved/consent (error)', 'Ydych chi\'n cytuno i ni gadw eich manylion?');
    assert.match(unescape(noConsent.text_), /Rwy'n cytuno y caiff y sefydliad hwn gadw/);
    assert.equal((await postPairs(c, '/get-involved/consent', [['consent', 'yes']])).status, 303);

    const check = await c.get('/get-involved/check');
    assertWelsh(check, '/get-involved/check', 'Gwiriwch eich atebion cyn eu hanfon');
    const checkText = unescape(check.text_);
    for (const shown of ['Cysylltwch â mi drwy', 'Ffôn', 'Cymraeg', 'Hawdd ei Ddeall', 'Dolen sain', 'Penwythnosau',
      'Gwyn: Cymreig, Seisnig, Albanaidd, Gwyddelig Gogledd Iwerddon neu Brydeinig', 'Heb ateb', 'Grace Hopper']) {
      assert.ok(checkText.includes(shown), `the check page shows '${shown}'`);
    }
    assert.match(check.text_, />Anfon fy manylion<\/button>/);

    const done = await postPairs(c, '/get-involved/check', []);
    assert.equal(done.status, 200);
    assertWelsh(done, 'the confirmation', 'Mae eich manylion wedi cael eu hanfon');
    assert.match(unescape(done.text_), new RegExp(`Bydd rhywun o ${admin.organisation} sy'n trefnu cydgynhyrchu yn cysylltu â chi dros y ffôn\\.`));

    // Stored as the same codes an English journey stores.
    await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    const people = await (await api(server, token, 'GET', '/api/v1/people')).json();
    const list = people.people ?? people.items ?? people;
    const grace = list.find((p) => p.name === 'Grace Hopper');
    assert.ok(grace, 'the person was added');
    const person = await (await api(server, token, 'GET', `/api/v1/people/${grace.id}`)).json();
    const details = person.details ?? person;
    assert.deepEqual(details.formats, ['welsh', 'easy_read']);
    assert.deepEqual(details.access_needs, ['hearing_loop']);
    assert.equal(details.contact_by, 'phone');
    assert.equal(details.payment, 'paid');
  });

  test('the Easy Read version of Get involved, offered to everyone, is in Welsh too', async () => {
    const c = new Client(server.base);
    await c.get('/language/cy?return=%2F');
    const easy = await c.get('/get-involved/easy-read');
    assert.equal(easy.status, 200);
    assertWelsh(easy, '/get-involved/easy-read', 'Cymryd rhan');
    const text = unescape(easy.text_);
    assert.match(text, /<p class="govuk-body-l">Hawdd ei Ddeall\. <a class="govuk-link" href="\/get-involved\?version=standard">Gweld y dudalen safonol<\/a>/);
    assert.match(text, /alt="Swigen siarad"/);
    assert.match(text, /Gallwn eich talu am eich amser\./);
    assert.doesNotMatch(text, /We can pay you for your time|Start now/, 'no English left');
    assert.match(text, /<form method="post" action="\/get-involved"/, 'the Easy Read page starts the same journey');
    assert.match(text, />\s*Dechrau nawr\s*</);
  });
});

describe("a participant's own Easy Read pages in Welsh", () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('Your activities, Your payments and Your data in Easy Read, in Welsh, with Welsh dates and answers', async () => {
    await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    const person = await (await api(server, token, 'POST', '/api/v1/people', {
      name: 'Cy Mail', email: 'cy@example.org', contact_by: 'email', consent: true, lived_experience: ['unpaid_carer'],
      formats: ['easy_read', 'welsh'], access_needs: ['hearing_loop'],
    })).json();
    const group = await (await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Carers Board', purpose: 'Shape support for carers', setting: 'council', size: 2, ladder_aim: 'co_production',
    })).json();
    // How Cy came to be a member does not matter here.
    await sqlScript(server.db, `INSERT INTO group_members (group_id, person_id, status, invited_at, responded_at)
      VALUES (${group.id}, ${person.id}, 'accepted', '2026-01-05T10:00:00Z', '2026-01-06T10:00:00Z')`);
    const upcoming = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/activities`, {
      kind: 'meeting', title: 'Summer meeting', starts_at: '2099-06-02T10:00', duration_minutes: 60, place: 'Library',
    })).json();
    const invited = await api(server, token, 'POST', `/api/v1/activities/${upcoming.id}/invite`);
    assert.equal(invited.status, 200);
    const cy = (await userWithRole(server, admin.organisation, 'cy@example.org', 'participant')).client;
    await cy.get('/language/cy?return=%2F');

    const activities = await cy.get('/my-activities');
    assertWelsh(activities, '/my-activities (Easy Read first)', 'Eich gweithgareddau');
    const a = unescape(activities.text_);
    assert.match(a, /Summer meeting\. Dydd Mawrth 2 Mehefin 2099 am 10:00\./, 'the date in Welsh');
    assert.match(a, /Ble: Library\./);
    assert.match(a, /alt="Calendr"/);
    assert.match(a, /Eleni rydym wedi talu £0\.00 i chi am eich amser\./);

    const payments = await cy.get('/my-payments');
    assertWelsh(payments, '/my-payments (Easy Read first)', 'Eich taliadau');
    assert.match(unescape(payments.text_), /Cadwch y tocyn neu'r dderbynneb\./);

    const data = await cy.get('/my-data');
    assertWelsh(data, '/my-data (Easy Read first)', 'Eich data');
    const d = unescape(data.text_);
    assert.match(d, /Rydym yn anfon pethau atoch fel: Hawdd ei Ddeall; Cymraeg\./, 'the answers in Welsh');
    assert.match(d, /Help sydd ei angen arnoch: Dolen sain\./);
    assert.match(d, /Eich enw: Cy Mail\./);
    for (const [url, res] of [['/my-activities', activities], ['/my-payments', payments], ['/my-data', data]]) {
      assert.ok(res.text_.includes(`href="${url}?version=standard">Gweld y dudalen safonol</a>`), `${url} offers the standard page`);
      assert.doesNotMatch(res.text_, /See the standard page|This is what we keep/, `${url}: no English left`);
    }

    // The standard pages are in Welsh too: headings, answers, dates and the words around them.
    const standardActivities = await cy.get('/my-activities?version=standard');
    assertWelsh(standardActivities, '/my-activities?version=standard', 'Eich gweithgareddau');
    const sa = unescape(standardActivities.text_);
    assert.match(sa, /Dydd Mawrth 2 Mehefin 2099 am 10:00, am 1 awr/, 'the date and length in Welsh');
    assert.match(sa, /Nid ydych chi wedi ateb eto/);
    assert.match(sa, />\s*Rydw i'n dod<span/);
    assert.doesNotMatch(sa, /Coming up|Your answer|You have not answered|for your time/, 'no English left on Your activities');
    const standardPayments = await cy.get('/my-payments?version=standard');
    assertWelsh(standardPayments, '/my-payments?version=standard', 'Eich taliadau');
    const sp = unescape(standardPayments.text_);
    assert.match(sp, />Ar gyfer beth oedd y gost\?/);
    assert.match(sp, />Gofal yn eich lle neu ofalwr arall<\/label>/);
    assert.doesNotMatch(sp, /Claim expenses|Payments for your time|What was the expense for/, 'no English left on Your payments');
    const standardData = await cy.get('/my-data?version=standard');
    assertWelsh(standardData, '/my-data?version=standard', 'Eich data');
    const sd = unescape(standardData.text_);
    assert.match(sd, /Rydym yn anfon pethau atoch fel<\/dt>\s*<dd class="govuk-summary-list__value">Hawdd ei Ddeall; Cymraeg</);
    assert.match(sd, /Dywedoch chi ie<\/td>/, 'their answer to the group in Welsh');
    assert.match(sd, /5 Ionawr 2026/, 'the date they were asked, in Welsh');
    assert.doesNotMatch(sd, /This is what we keep|Groups we asked|Download all my data|Not given/, 'no English left on Your data');
    // Changing and deleting their details, errors included, in Welsh too.
    const edit = await cy.get('/my-data/edit');
    assertWelsh(edit, '/my-data/edit', 'Newid eich manylion');
    const e = unescape(edit.text_);
    assert.match(e, /Sut rydych chi eisiau i ni anfon pethau atoch chi\?/);
    assert.match(e, />Hawdd ei Ddeall<\/label>/);
    assert.doesNotMatch(e, /How do you want|Tick all that apply|>Save</, 'no English left on the form');
    const wrong = await cy.post('/my-data/edit', { name: '', email: '', phone: '', address: '', postcode: '' }, { formPage: '/my-data/edit' });
    assert.equal(wrong.status, 400);
    assertWelsh(wrong, '/my-data/edit (with errors)');
    assert.match(unescape(wrong.text_), /Mae problem wedi codi/);
    assert.doesNotMatch(unescape(wrong.text_), /Enter (?:your|their) (?:full )?name|Give at least one/, 'the errors are in Welsh');
    const erase = await cy.get('/my-data/erase');
    assertWelsh(erase, '/my-data/erase', 'Dileu eich data?');
    assert.doesNotMatch(unescape(erase.text_), /We will delete|Delete my data|Cancel/, 'no English left on the delete page');
  });
});

describe('Get involved in Easy Read first for people who asked for it', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('a participant whose record asks for Easy Read sees it first; others see the standard page', async () => {
    await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    assert.equal((await api(server, token, 'POST', '/api/v1/people', {
      name: 'Cy Mail', email: 'cy@example.org', contact_by: 'email', consent: true, lived_experience: ['unpaid_carer'],
      formats: ['easy_read'],
    })).status, 201);
    const cy = (await userWithRole(server, admin.organisation, 'cy@example.org', 'participant')).client;
    const first = await cy.get('/get-involved');
    assert.match(first.text_, /<p class="govuk-body-l">Easy Read\./);
    assert.ok(first.text_.includes('href="/get-involved?version=standard"'));
    const standard = await cy.get('/get-involved?version=standard');
    assert.doesNotMatch(standard.text_, /<p class="govuk-body-l">Easy Read\./);
    assert.match(standard.text_, /<h1 class="govuk-heading-xl">Get involved<\/h1>/);

    const visitor = new Client(server.base);
    const page = await visitor.get('/get-involved');
    assert.match(page.text_, /<h1 class="govuk-heading-xl">Get involved<\/h1>/);
    assert.ok(page.text_.includes('href="/get-involved/easy-read"'), 'everyone is offered Easy Read');
  });
});

describe('the library and a participant\'s stories to check, in Welsh', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  const welshMonths = 'Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr';
  const story = '## What needed to change\n\nCarers could not book a break.\n\n## What was done together\n\n'
    + 'Carers and staff met four times.\n\n## What changed as a result\n\nCarers now book a break with one call.';

  test('the library, a case study, its Easy Read and printable pages: Coproduce\'s words in Welsh, the story as written', async () => {
    const { token: lead } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    const made = await api(server, lead, 'POST', '/api/v1/library/case-studies', {
      title: 'Carers redesign the respite booking line', summary: 'Carers and staff rebuilt how a break is booked.',
      body: story, setting: 'local_authority', rung: 'co_production', principles: ['equality', 'reciprocity'],
      people: { carers: 2, staff: 3 }, easy_read: 'Carers helped.\n\nBooking is easier.',
    });
    assert.equal(made.status, 201, await made.clone().text());
    const study = await made.json();
    assert.equal((await api(server, lead, 'POST', `/api/v1/library/case-studies/${study.id}/publish`)).status, 200);

    const c = new Client(server.base);
    assert.equal((await c.get('/language/cy?return=%2Flibrary')).status, 303);
    const library = await c.get('/library');
    assertWelsh(library, '/library', 'Llyfrgell o enghreifftiau cydgynhyrchu');
    const l = unescape(library.text_);
    assert.match(l, /1 astudiaeth achos/);
    assert.match(l, />Lleoliad<\/h3>/);
    assert.match(l, /<span>Cyngor \(awdurdod lleol\)<\/span> \(1\)/, 'the setting filter in Welsh with its count');
    assert.match(l, /Beth rydym yn ei olygu wrth gydgynhyrchu:<\/strong> <span lang="en">/, 'the definition stays as adopted, marked English');
    assert.match(l, /href="\/library\/case-studies\/\d+" lang="en">Carers redesign the respite booking line<\/a>/, 'the title as written, marked English');
    assert.match(l, /Mae'r rhan fwyaf o'r straeon yn Saesneg/);
    assert.doesNotMatch(l, /Search the library|Clear filters|case stud|Sort by|best match|What we mean by/, 'no English of Coproduce\'s left on the library');

    const filtered = unescape((await c.get('/library?setting=local_authority&q=booking')).text_);
    assert.match(filtered, /1 astudiaeth achos ar gyfer ‘booking’/);
    assert.match(filtered, /, wedi'i ddewis: dewiswch eto i ddileu'r hidlydd hwn/);
    assert.match(filtered, />Clirio'r hidlwyr</);
    const none = unescape((await c.get('/library?q=zebra')).text_);
    assert.match(none, /0 astudiaeth achos/);
    assert.match(none, /Nid oes astudiaethau achos yn cyfateb\./);

    const base = `/library/case-studies/${study.id}`;
    const shown = await c.get(base);
    assertWelsh(shown, base, 'Carers redesign the respite booking line');
    const s = unescape(shown.text_);
    assert.match(s, /<h1 class="govuk-heading-xl" lang="en">Carers redesign the respite booking line<\/h1>/);
    assert.match(s, />Lleoliad<\/dt><dd class="govuk-summary-list__value">Cyngor \(awdurdod lleol\)</);
    assert.match(s, /ysgol cydgynhyrchu<\/a><\/dt><dd class="govuk-summary-list__value">Cydgynhyrchu</);
    assert.match(s, /Cydraddoldeb<br>Cilyddiaeth<br>/, 'the principles in Welsh');
    assert.match(s, /2 ofalwr di-dâl a 3 aelod o staff/, 'who took part, counted the Welsh way');
    assert.match(s, new RegExp(`Cyhoeddwyd</dt><dd class="govuk-summary-list__value">\\d{1,2} (${welshMonths}) \\d{4}<`), 'the date in Welsh');
    assert.match(s, /<div class="app-prose" lang="en">[\s\S]*Carers now book a break with one call\./, 'the story as written, marked English');
    assert.match(s, />Darllenwch hon mewn fersiwn Hawdd ei Ddeall<\/a>/);
    assert.match(s, />Yn ôl i'r llyfrgell<\/a>/);
    // The schema.org description for other sites stays English, as the story is.
    assert.doesNotMatch(s.replace(/<script[\s\S]*?<\/script>/g, ''),
      /Back to the library|Printable version|Who took part|Published|unpaid carer|members? of staff|Equality/, 'no English of Coproduce\'s left on the case study');

    const easy = await c.get(`${base}/easy-read`);
    assertWelsh(easy, `${base}/easy-read`, 'Carers redesign the respite booking line');
    assert.match(easy.text_, /<title>Carers redesign the respite booking line \(Hawdd ei Ddeall\)/);
    assert.match(easy.text_, /<p class="govuk-body-l">Hawdd ei Ddeall<\/p>/);
    assert.match(easy.text_, /lang="en"><p>Carers helped\.<\/p>/);
    const print = await c.get(`${base}/print`);
    assertWelsh(print, `${base}/print`, 'Carers redesign the respite booking line');
    assert.doesNotMatch(unescape(print.text_), /Yn ôl i'r llyfrgell|Fersiwn i'w hargraffu/, 'the printable page leaves out the links');
    assert.match(unescape(print.text_), /Pwy gymerodd ran/);

    const missing = await c.get('/library/case-studies/999999');
    assert.equal(missing.status, 404);
    assert.match(unescape(missing.text_), /Nid oes astudiaeth achos rhif 999999\./);
    assert.equal(htmlLang(missing.text_), 'cy');
  });

  test('Stories to check and a story to check, with their questions, errors and answer in Welsh', async () => {
    const { client: leadClient, token: lead } = await userWithRole(server, admin.organisation, 'lead2@example.org', 'coproduction-lead');
    const made = await api(server, lead, 'POST', '/api/v1/library/case-studies', {
      title: 'The reading group story', summary: 'People chose the books together.', body: story,
      setting: 'care_home', rung: 'co_design',
    });
    const study = await made.json();
    const person = await (await api(server, lead, 'POST', '/api/v1/people', { name: 'Samira Khan', email: 'sam@example.org', consent: true })).json();
    const sam = (await userWithRole(server, admin.organisation, 'sam@example.org', 'participant')).client;
    const asked = await leadClient.post(`/library/manage/${study.id}/review`,
      { person_id: String(person.id), note: 'Is what we said about the meetings right?' }, { formPage: `/library/manage/${study.id}` });
    assert.equal(asked.status, 303, asked.text_);
    await sam.get('/language/cy?return=%2Fmy-reviews');

    const mine = await sam.get('/my-reviews');
    assertWelsh(mine, '/my-reviews', 'Straeon i\'w gwirio');
    const m = unescape(mine.text_);
    assert.match(m, />Yn aros amdanoch chi<\/h2>/);
    assert.match(m, new RegExp(`lang="en">The reading group story</a> \\(gofynnwyd ar \\d{1,2} (${welshMonths}) \\d{4}\\)`), 'asked on a Welsh date');
    assert.doesNotMatch(m, /Stories to check|Waiting for you|asked on/, 'no English left on Stories to check');

    const href = mine.text_.match(/href="(\/my-reviews\/\d+)"/)[1];
    const review = await sam.get(href);
    assertWelsh(review, href, 'The reading group story');
    const r = unescape(review.text_);
    assert.match(r, /Mae'r tîm yn gofyn:<\/strong> <span lang="en">Is what we said about the meetings right\?<\/span>/);
    assert.match(r, /Ydy'r stori'n gywir\?/);
    assert.match(r, />\s*Ydy, mae'n gywir\s*<\/label>/);
    assert.match(r, />\s*Na, peidiwch â'm henwi\s*<\/label>/);
    assert.doesNotMatch(r, /Is the story right|Send my answer|Your first name is fine|Check the story/, 'no English left on the story to check');

    const wrong = await postPairs(sam, href, [['credit', 'yes']]);
    assert.equal(wrong.status, 400);
    assertWelsh(wrong, `${href} (error)`, 'The reading group story');
    const w = unescape(wrong.text_);
    assert.match(w, /<title>Gwall: Gwirio'r stori/);
    assert.match(w, /<a href="#decision">Dewiswch a yw'r stori'n gywir neu a oes angen ei newid<\/a>/);
    assert.match(w, /<a href="#credit_name">Rhowch yr enw i ni ddiolch i chi wrtho, neu dewiswch beidio â chael eich enwi<\/a>/);

    assert.equal((await postPairs(sam, href, [['decision', 'approved'], ['credit', 'no']])).status, 303);
    const answered = unescape((await sam.get(href)).text_);
    assert.match(answered, /Dywedoch chi fod y stori'n gywir\. Diolch\./);
    const after_ = unescape((await sam.get('/my-reviews')).text_);
    assert.match(after_, />Rydych chi wedi gwirio<\/h2>/);
    assert.match(after_, /Does dim byd yn aros i chi ei wirio\./);
  });
});

describe('the accessibility statement, the privacy notice and the pages after a link, in Welsh', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('the statements and the Easy Read definition in Welsh; the organisation\'s Easy Read stays as adopted', async () => {
    const c = new Client(server.base);
    await c.get('/language/cy?return=%2F');
    const accessibility = await c.get('/accessibility');
    assertWelsh(accessibility, '/accessibility', 'Datganiad hygyrchedd');
    const a = unescape(accessibility.text_);
    assert.match(a, /defnyddio pob tudalen gyda bysellfwrdd yn unig/);
    assert.match(a, /Gwasanaeth Cynghori a Chymorth Cydraddoldeb \(EASS\)/);
    assert.doesNotMatch(a, /How well it works|keyboard|Tell us about a problem/, 'no English left on the accessibility statement');

    const privacy = await c.get('/privacy');
    assertWelsh(privacy, '/privacy', 'Eich gwybodaeth a\'ch hawliau');
    const p = unescape(privacy.text_);
    assert.match(p, /<strong>rheolydd data<\/strong>/);
    assert.match(p, /Swyddfa'r Comisiynydd Gwybodaeth \(ICO\)/);
    assert.doesNotMatch(p, /Your rights|data controller|How long we keep it/, 'no English left on the privacy notice');

    const easy = await c.get('/what-is-co-production/easy-read');
    assertWelsh(easy, '/what-is-co-production/easy-read', 'Beth mae cydgynhyrchu yn ei olygu');
    assert.match(easy.text_, /<p class="govuk-body-l">Hawdd ei Ddeall<\/p>/);
    assert.match(easy.text_, /<div class="app-prose app-easy-read" lang="en">/, 'the organisation\'s Easy Read marked English');
  });

  test('accepting an invitation and asking for a new password end on Welsh pages', async () => {
    const adminClient = new Client(server.base);
    await adminClient.signIn();
    const invited = await adminClient.post('/admin/users', { email: 'lee@example.org', name: 'Lee', role: 'participant' });
    const link = invited.text_.match(/\/invitation\/[A-Za-z0-9_-]{43}/)[0];
    const lee = new Client(server.base);
    await lee.get(`/language/cy?return=${encodeURIComponent(link)}`);
    assertWelsh(await lee.get(link), link);
    const password = 'correct horse battery staple';
    const done = await lee.post(link, { name: 'Lee', password, password_confirm: password });
    assert.equal(done.status, 200);
    assertWelsh(done, 'the invitation accepted', 'Mae eich cyfrif yn barod');
    const d = unescape(done.text_);
    assert.match(d, /Gallwch nawr fewngofnodi gyda'ch cyfeiriad e-bost/);
    assert.match(d, /<a class="govuk-link" href="\/sign-in">Mewngofnodi<\/a>/);
    assert.doesNotMatch(d, /Your account is ready|You can now sign in/, 'no English left after accepting');

    const visitor = new Client(server.base);
    await visitor.get('/language/cy?return=%2Fpassword-reset');
    await visitor.get('/password-reset');
    const asked = await visitor.post('/password-reset', { email: 'nobody@example.org' });
    assert.equal(asked.status, 200);
    assertWelsh(asked, 'a new password asked for', 'Gwiriwch eich e-bost');
    assert.match(unescape(asked.text_), /Os oes cyfrif ar gyfer nobody@example\.org, rydym wedi anfon dolen ato/);
    assert.match(unescape(asked.text_), />Yn ôl i fewngofnodi<\/a>/);
  });
});

describe('the offer of a place on a group, in Welsh', () => {
  // The offer reaches a person only as a link in a message, so this server
  // sends through a fake GOV.UK Notify, as tests/http/readability does.
  const secretKey = 'a passphrase for the Welsh offer test';
  const publicUrl = 'https://coproduce.test.example';
  let server;
  let notify;
  before(async () => {
    server = await startServer({
      args: ['--public-url', publicUrl, '--message-senders', '1', '--message-retry-seconds', '1', '--message-poll-ms', '100',
        '--message-check-seconds', '0', '--reminder-hours', '0'],
      env: { COPRODUCE_SECRET_KEY: secretKey },
    });
    notify = await startFakeNotify();
  });
  after(async () => {
    await notify?.close?.();
    await server?.stop();
  });

  test('the offer, its error and both answers are in Welsh, with the reply-by date written the Welsh way', async () => {
    const set = await useFakeNotify(server.db, admin.organisation, notify, secretKey);
    assert.equal(set.code, 0, set.stderr);
    await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    const token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    for (const [name, email] of [['Dee Drawn', 'dee@example.org'], ['Eli Entry', 'eli@example.org']]) {
      const res = await api(server, token, 'POST', '/api/v1/people', {
        name, email, contact_by: 'email', consent: true, lived_experience: ['unpaid_carer'], formats: ['welsh'],
      });
      assert.equal(res.status, 201);
    }
    const group = (await (await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Carers Voice Panel', purpose: 'Shape local services', setting: 'council', size: 2, term_months: 2,
      ladder_aim: 'co_production',
    })).json()).id;
    const round = (await (await api(server, token, 'POST', `/api/v1/groups/${group}/recruit`, { categories: ['experience'], quotas: [] })).json()).id;
    assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round}/run`)).status, 202);
    assert.equal((await waitForRound(server, token, round)).status, 'done');
    assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round}/draw`, {})).status, 200);
    assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round}/invite`)).status, 200);
    let links = [];
    for (let i = 0; i < 200 && links.length < 2; i += 1) {
      const body = notify.sent.map((n) => n.personalisation?.body ?? '').join('\n');
      links = [...new Set([...body.matchAll(new RegExp(`${publicUrl.replace(/[.]/g, '\\.')}(/offers/[A-Za-z0-9_-]{16,})`, 'g'))].map((m) => m[1]))];
      if (links.length < 2) await sleep(100);
    }
    assert.equal(links.length, 2, 'both offers were emailed with their links');

    const dee = new Client(server.base);
    await dee.get(`/language/cy?return=${encodeURIComponent(links[0])}`);
    const offer = await dee.get(links[0]);
    assertWelsh(offer, '/offers/{token}', 'Hoffech chi ymuno â Carers Voice Panel?');
    const o = unescape(offer.text_);
    assert.match(o, /<title>Hoffech chi ymuno\? – Coproduce<\/title>/);
    assert.match(o, /Mae'r grŵp yn cyfarfod am 2 fis\./, 'the term counted the Welsh way');
    assert.match(o, /Beth mae'r grŵp yn ei wneud: <span lang="en">Shape local services<\/span>/, 'the group\'s purpose as written, marked English');
    assert.match(o, new RegExp(`Rhowch wybod i ni erbyn \\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \\d{4}\\.`), 'the reply-by date in Welsh');
    assert.match(o, />Ydw, rydw i eisiau ymuno<\/label>/);
    assert.doesNotMatch(o, /Would you like|Do you want to join|We picked names|Send my answer/, 'no English left on the offer');

    const none = await dee.post(links[0], {});
    assert.equal(none.status, 400);
    assertWelsh(none, '/offers/{token} (error)', 'Hoffech chi ymuno â Carers Voice Panel?');
    assert.match(none.text_, /<a href="#answer">Dewiswch ie neu na<\/a>/);
    const yes = await dee.post(links[0], { answer: 'yes' });
    assertWelsh(yes, 'the offer accepted', 'Diolch am ymuno');
    assert.match(unescape(yes.text_), /Byddwn yn cysylltu â chi cyn bo hir am y cyfarfod cyntaf\./);
    const used = await dee.get(links[0]);
    assert.equal(used.status, 404);
    assert.match(unescape(used.text_), /Mae'r ddolen hon wedi cael ei defnyddio'n barod neu wedi dod i ben\./);

    const eli = new Client(server.base);
    await eli.get(`/language/cy?return=${encodeURIComponent(links[1])}`);
    const no = await eli.post(links[1], { answer: 'no' });
    assertWelsh(no, 'the offer declined', 'Diolch am ddweud wrthym');
    assert.match(unescape(no.text_), /Rydych chi'n aros yn ein cronfa\./);
  });
});
