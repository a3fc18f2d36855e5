// Activities and payments over HTTP: planning an activity, invitations in
// each person's format, access arrangements before the day, attendance,
// 'you said, we did', anonymous ratings, and paying people for their time
// and expenses with the safeguards a lead relies on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  admin, api, run, sleep, startServer, userWithRole,
} from '../support/server.mjs';

const password = 'a long enough password';

// Posts repeated fields (person=1&person=2) the way the attendance form does.
async function postPairs(client, url, pairs) {
  if (!client.cookies.has('coproduce_csrf')) await client.get(url.replace(/\/[^/]*$/, ''));
  const body = new URLSearchParams([['csrf_token', client.cookies.get('coproduce_csrf')], ...pairs]).toString();
  return client.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

// Posts a multipart form with files, as a browser does for receipts.
async function postMultipart(client, url, fields, files) {
  const fd = new FormData();
  fd.set('csrf_token', client.cookies.get('coproduce_csrf'));
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  for (const f of files) fd.append('receipts', new Blob([f.bytes]), f.name);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(client.base + url, { method: 'POST', headers: { cookie }, body: fd, redirect: 'manual' });
  res.text_ = await res.text();
  return res;
}

const makeUser = async (server, email, role) => (await userWithRole(server, admin.organisation, email, role)).client;

describe('activities, attendance and payments', () => {
  let server;
  let token;
  let lead;
  let group;
  let activity;
  const people = {};
  before(async () => {
    server = await startServer();
    lead = await makeUser(server, 'lead@example.org', 'coproduction-lead');
    token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    const pool = [
      { name: 'Ann Easy', email: 'ann@example.org', formats: ['easy_read'], access_needs: ['hearing_loop'], payment: 'paid', benefits_advice: true },
      { name: 'Bob Post', address: '1 High Street', postcode: 'AB1 2CD', contact_by: 'post', payment: 'declined' },
      { name: 'Cy Mail', email: 'cy@example.org', contact_by: 'email', payment: 'paid' },
      { name: 'Di Unasked', email: 'di@example.org' },
    ];
    for (const p of pool) {
      const res = await api(server, token, 'POST', '/api/v1/people', { ...p, consent: true, lived_experience: ['unpaid_carer'] });
      assert.equal(res.status, 201, await res.clone().text());
      people[p.name.split(' ')[0]] = (await res.json()).id;
    }
    group = await (await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Carers Board', purpose: 'Shape support for carers', setting: 'council', size: 4, ladder_aim: 'co_production',
    })).json();
    // Everyone in the pool is chosen (4 places, 4 people) and accepts.
    const round = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['experience'], quotas: [] })).json();
    await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`);
    for (let i = 0; i < 300; i += 1) {
      const r = await (await api(server, token, 'GET', `/api/v1/recruit/${round.id}`)).json();
      if (!['queued', 'running'].includes(r.status)) break;
      await sleep(100);
    }
    assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/draw`, {})).status, 200);
    assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/invite`)).status, 200);
    for (const id of Object.values(people)) {
      assert.equal((await lead.post(`/groups/${group.id}/members/${id}/respond`, { answer: 'accept' }, { formPage: `/groups/${group.id}` })).status, 303);
    }
  });
  after(async () => { await server?.stop(); });

  test('the activity form names every wrong answer and keeps what was typed', async () => {
    const res = await lead.post(`/groups/${group.id}/activities`, {
      kind: '', title: '', day: '31', month: '2', year: '2027', time: '25:00', duration_minutes: '5', place: '', link: '',
    }, { formPage: `/groups/${group.id}/activities/new` });
    assert.equal(res.status, 400);
    for (const href of ['#kind', '#title', '#day', '#time', '#duration_minutes', '#place']) {
      assert.ok(res.text_.includes(`href="${href}"`), href);
    }
    assert.match(res.text_, /The date must be a real date/);
    assert.match(res.text_, /value="31"/);
  });

  test('an activity is planned, invitations go in each format and access needs show before the day', async () => {
    const res = await lead.post(`/groups/${group.id}/activities`, {
      kind: 'meeting', title: 'Spring meeting', day: '14', month: '4', year: '2026', time: '10:30', duration_minutes: '150',
      place: 'Town hall, room 2', link: '', letter_text: 'Please join our spring meeting.', easy_read_text: 'We are meeting. Come and talk.',
    }, { formPage: `/groups/${group.id}/activities/new` });
    assert.equal(res.status, 303);
    activity = Number(res.headers.get('location').split('/').at(-1));
    assert.equal((await lead.post(`/activities/${activity}/invite`, {})).status, 303);
    const page = await lead.get(`/activities/${activity}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /A hearing loop<\/td><td class="govuk-table__cell govuk-table__cell--numeric">1<\/td><td class="govuk-table__cell">Ann Easy/);
    const letters = await lead.get(`/activities/${activity}/invitations`);
    assert.match(letters.text_, /For Ann Easy <span class="govuk-caption-m">Easy Read<\/span>[\s\S]*?We are meeting\. Come and talk\./);
    assert.match(letters.text_, /For Bob Post <span class="govuk-caption-m">Letter by post<\/span>[\s\S]*?Please join our spring meeting\./);
    // Bob says he cannot come: his needs drop out of the arrangements.
    assert.equal((await lead.post(`/activities/${activity}/responses/${people.Bob}`, { response: 'not_coming' }, { formPage: `/activities/${activity}` })).status, 303);
    assert.match((await lead.get(`/activities/${activity}`)).text_, /0 coming, 1 not coming, of 4 invited/);
  });

  test('attendance names each person at fault and saves nothing until all is right', async () => {
    const bad = await postPairs(lead, `/activities/${activity}/attendance`, [
      ['person', String(people.Ann)], ['attendance-' + people.Ann, 'attended'], ['minutes-' + people.Ann, 'lots'],
      ['person', String(people.Bob)],
    ]);
    assert.equal(bad.status, 400);
    assert.ok(bad.text_.includes(`href="#attendance-${people.Bob}"`));
    assert.equal((await (await api(server, token, 'GET', `/api/v1/activities/${activity}`)).json()).attended, 0);
    const apiBad = await api(server, token, 'POST', `/api/v1/activities/${activity}/attendance`, { attendance: [{ person_id: people.Ann, attendance: 'maybe' }] });
    assert.equal(apiBad.status, 400);
    assert.equal((await apiBad.json()).error.field, `attendance-${people.Ann}`);
    const good = await postPairs(lead, `/activities/${activity}/attendance`, [
      ['person', String(people.Ann)], ['attendance-' + people.Ann, 'attended'], ['minutes-' + people.Ann, ''],
      ['person', String(people.Bob)], ['attendance-' + people.Bob, 'attended'], ['minutes-' + people.Bob, '90'],
      ['person', String(people.Cy)], ['attendance-' + people.Cy, 'attended'], ['minutes-' + people.Cy, '60'], ['role-' + people.Cy, 'chair'],
      ['person', String(people.Di)], ['attendance-' + people.Di, 'attended'], ['minutes-' + people.Di, ''],
    ]);
    assert.equal(good.status, 303, good.text_.slice(0, 300));
    const a = await (await api(server, token, 'GET', `/api/v1/activities/${activity}`)).json();
    assert.equal(a.status, 'held');
    assert.equal(a.attended, 4);
  });

  test('rates are checked, and payments are raised only for those who want paying', async () => {
    const bad = await lead.post('/payments/rates', { 'rate-member-hour': '20.555', 'rate-member-half_day': 'fifty' });
    assert.equal(bad.status, 400);
    assert.ok(bad.text_.includes('href="#rate-member-half_day"'));
    assert.ok(bad.text_.includes('href="#rate-member-hour"'));
    assert.equal((await lead.post('/payments/rates', { 'rate-member-hour': '20', 'rate-member-half_day': '75.00', 'rate-chair-hour': '30' })).status, 303);
    const raised = await lead.post(`/activities/${activity}/payments`, {}, { formPage: `/activities/${activity}` });
    assert.equal(raised.status, 200);
    assert.match(raised.text_, /2 payments raised/);
    assert.match(raised.text_, /declined payment<\/h2>\s*<ul class="govuk-list govuk-list--bullet"><li>Bob Post<\/li>/);
    assert.match(raised.text_, /whether they want to be paid[\s\S]*?<li>Di Unasked<\/li>/);
    const overview = await lead.get('/payments');
    // Ann: 150 minutes is a half day (£75.00); Cy chaired for an hour at £30.00.
    assert.match(overview.text_, /Ann Easy: £75\.00/);
    assert.match(overview.text_, /Cy Mail: £30\.00/);
    assert.doesNotMatch(overview.text_, /Bob Post: £/);
  });

  test('a first payment to someone who asked for benefits advice needs the advice confirmed', async () => {
    const list = await lead.get('/payments');
    const ann = list.text_.match(/action="\/payments\/(\d+)\/approve"[\s\S]*?advice-\1/);
    assert.ok(ann, "Ann's payment carries the advice check");
    const id = ann[1];
    const refused = await lead.post(`/payments/${id}/approve`, {});
    assert.equal(refused.status, 400);
    assert.ok(refused.text_.includes(`href="#advice-${id}"`));
    assert.match(refused.text_, /asked for advice about how payment affects their benefits/);
    assert.equal((await lead.post(`/payments/${id}/approve`, { advice_confirmed: 'yes' })).status, 303);
    const cy = (await lead.get('/payments')).text_.match(/action="\/payments\/(\d+)\/approve"/)[1];
    assert.equal((await lead.post(`/payments/${cy}/approve`, {})).status, 303);
  });

  test('expense claims check receipts, and the payroll export pays each approved line once', async () => {
    await lead.get(`/expenses/new?person=${people.Bob}`);
    const bad = await postMultipart(lead, '/expenses', {
      person_id: String(people.Bob), category: 'travel', description: 'Bus', amount: '4.805', day: '1', month: '1', year: '2026',
    }, [{ name: 'ticket.exe', bytes: 'MZ not a receipt' }]);
    assert.equal(bad.status, 400);
    assert.ok(bad.text_.includes('href="#amount"'));
    assert.ok(bad.text_.includes('href="#receipts"'));
    assert.match(bad.text_, /Each receipt must be a PDF, JPG or PNG file/);
    const good = await postMultipart(lead, '/expenses', {
      person_id: String(people.Bob), category: 'travel', description: 'Bus both ways', amount: '4.80', day: '1', month: '1', year: '2026',
    }, [{ name: 'ticket.pdf', bytes: '%PDF-1.4 a bus ticket' }]);
    assert.equal(good.status, 303, good.text_.slice(0, 400));
    const claimId = (await lead.get('/payments')).text_.match(/href="\/expenses\/(\d+)"/)[1];
    const claim = await lead.get(`/expenses/${claimId}`);
    const receipt = claim.text_.match(/href="(\/expenses\/\d+\/receipts\/\d+)"/)[1];
    const file = await lead.get(receipt);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    assert.equal(file.text_, '%PDF-1.4 a bus ticket');
    const noReason = await lead.post(`/expenses/${claimId}/decision`, { decision: 'reject', reason: '' });
    assert.equal(noReason.status, 400);
    assert.ok(noReason.text_.includes('href="#reason"'));
    assert.equal((await lead.post(`/expenses/${claimId}/decision`, { decision: 'approve' })).status, 303);

    const csv = await lead.get('/payments/payroll.csv');
    assert.equal(csv.status, 200);
    const lines = csv.text_.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'reference,name,address,postcode,date,type,description,amount,pence');
    assert.equal(lines.length, 4);
    assert.ok(lines.some((l) => l.includes('Ann Easy') && l.endsWith(',75.00,7500')));
    assert.ok(lines.some((l) => l.includes('Cy Mail') && l.endsWith(',30.00,3000')));
    assert.ok(lines.some((l) => l.includes('Bob Post') && l.includes('Expense, Travel: Bus both ways') && l.endsWith(',4.80,480')));
    const xlsx = await fetch(server.base + '/payments/payroll.xlsx', { headers: { cookie: [...lead.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(xlsx.status, 200);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');

    const page = await lead.get('/payments/payroll');
    const pairs = [...page.text_.matchAll(/<input type="hidden" name="(payment|claim)" value="(\d+)">/g)].map((m) => [m[1], m[2]]);
    assert.equal(pairs.length, 3);
    assert.equal((await postPairs(lead, '/payments/payroll/paid', pairs)).status, 303);
    assert.match((await lead.get('/payments/payroll')).text_, /Nothing is waiting to be paid/);
  });

  test('actions and ratings are shown back to members, who rate once and anonymously', async () => {
    const badAction = await lead.post(`/activities/${activity}/actions`, { you_said: '', owner: '', status: 'soon', day: '', month: '', year: '' },
      { formPage: `/activities/${activity}/actions/new` });
    assert.equal(badAction.status, 400);
    for (const href of ['#you_said', '#owner', '#status', '#day']) assert.ok(badAction.text_.includes(`href="${href}"`), href);
    assert.equal((await lead.post(`/activities/${activity}/actions`, {
      you_said: 'Papers arrive too late to read', we_did: '', owner: 'Chair', status: 'planned', day: '1', month: '5', year: '2099',
    })).status, 303);
    assert.equal((await lead.post(`/activities/${activity}/outcome`, { notes: 'Good talk', decisions: 'Meet monthly', lead_rung: 'co_design' },
      { formPage: `/activities/${activity}/outcome` })).status, 303);

    const cy = await makeUser(server, 'cy@example.org', 'participant');
    const mine = await cy.get('/my-activities');
    assert.equal(mine.status, 200);
    assert.match(mine.text_, /Papers arrive too late to read/);
    assert.match(mine.text_, /£30\.00 for your time/);
    // What they download of their data includes their activities and payments.
    const kept = JSON.parse((await cy.get('/my-data/export.json')).text_);
    assert.deepEqual(kept.activities.map((a) => [a.title, a.attendance, a.minutes]), [['Spring meeting', 'attended', 60]]);
    assert.deepEqual(kept.payments.map((p) => [p.amount, p.status]), [['30.00', 'paid']]);
    const keptCsv = (await cy.get('/my-data/export.csv')).text_;
    assert.match(keptCsv, /activity 1 title,Spring meeting/);
    assert.match(keptCsv, /payment 1 amount,30\.00/);
    // 'Your activities' gathers the meetings waiting for a rating into one
    // short prompt, in everyday words, with no form under each meeting.
    assert.match(mine.text_, /You have 1 meeting to tell us about/);
    assert.ok(mine.text_.includes(`href="/my-activities/${activity}/rating"`));
    assert.doesNotMatch(mine.text_, /name="rung-/);
    assert.doesNotMatch(mine.text_, /Which rung|ladder of co-production did it reach/);
    // The question, one meeting a page: the ladder in plain words, not its jargon.
    const question = await cy.get(`/my-activities/${activity}/rating`);
    assert.equal(question.status, 200);
    assert.match(question.text_, /<h1 class="govuk-fieldset__heading">How much say did you have\?<\/h1>/);
    assert.match(question.text_, /Meeting 1 of 1: Spring meeting, /);
    for (const words of ['We had to be there, but we had no say', 'They taught us about their plans',
      'We were told what had already been decided', 'We were asked what we thought, but they decided',
      'We talked it over, and our ideas changed some things', 'We helped plan it, but they made the final choice',
      'We made the decisions together']) {
      assert.ok(question.text_.includes(`>${words}</label>`), words);
    }
    assert.doesNotMatch(question.text_, /Which rung|>(Coercion|Educating|Informing|Consultation|Engagement|Co-design|Co-production)</);
    const none = await cy.post(`/my-activities/${activity}/rating`, {});
    assert.equal(none.status, 400);
    assert.ok(none.text_.includes(`href="#rung-${activity}-coercion"`));
    assert.match(none.text_, /Choose the words that are most like how the meeting was for you/);
    const rate = () => cy.post(`/my-activities/${activity}/rating`, { [`rung-${activity}`]: 'consultation' }, { formPage: `/my-activities/${activity}/rating` });
    const rated = await rate();
    assert.equal(rated.status, 303);
    assert.equal(rated.headers.get('location'), '/my-activities?rated=1');
    assert.equal((await rate()).status, 409);
    // Answered: the question page goes back to the list, which thanks them and asks no more.
    assert.equal((await cy.get(`/my-activities/${activity}/rating`)).headers.get('location'), '/my-activities');
    const thanked = (await cy.get('/my-activities?rated=1')).text_;
    assert.match(thanked, /Thank you for telling us\. We do not keep your name with your answers\./);
    assert.match(thanked, /You have told us how much say you had\. Thank you\./);
    assert.doesNotMatch(thanked, /meetings? to tell us about/);
    // One rating is not shown: too few to keep it anonymous, and paper
    // ratings added by staff do not count towards showing it.
    assert.match((await lead.get(`/activities/${activity}`)).text_, /1 ratings by members so far/);
    assert.equal((await lead.post(`/activities/${activity}/paper-ratings`, { rung: 'co_design', count: '2' })).status, 303);
    const stillHidden = (await lead.get(`/activities/${activity}`)).text_;
    assert.match(stillHidden, /1 ratings by members so far/);
    assert.doesNotMatch(stillHidden, /Consultation<\/th><td class="govuk-table__cell govuk-table__cell--numeric">1</);
    const ann = await makeUser(server, 'ann@example.org', 'participant');
    await ann.post(`/my-activities/${activity}/rating`, { [`rung-${activity}`]: 'co_design' }, { formPage: '/my-activities' });
    // Di took part in an earlier meeting too: the prompt counts both, and
    // after one answer the next question follows.
    const earlier = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/activities`, {
      kind: 'meeting', title: 'Winter meeting', starts_at: '2026-01-20T14:00', duration_minutes: 60, place: 'Library',
    })).json();
    assert.equal((await api(server, token, 'POST', `/api/v1/activities/${earlier.id}/invite`)).status, 200);
    assert.equal((await api(server, token, 'POST', `/api/v1/activities/${earlier.id}/attendance`, {
      attendance: [{ person_id: people.Di, attendance: 'attended' }],
    })).status, 200);
    const di = await makeUser(server, 'di@example.org', 'participant');
    const diPage = (await di.get('/my-activities')).text_;
    assert.match(diPage, /You have 2 meetings to tell us about/);
    // In Welsh, the list and the question speak Welsh, dates and the ladder's words too.
    di.cookies.set('coproduce_language', 'cy');
    const diWelsh = (await di.get('/my-activities')).text_;
    assert.match(diWelsh, /<html lang="cy"/);
    assert.match(diWelsh, /<h1 class="govuk-heading-xl">Eich gweithgareddau<\/h1>/);
    assert.match(diWelsh, /Mae gennych chi 2 gyfarfod i ddweud wrthym amdanyn nhw/);
    assert.match(diWelsh, /Ionawr 2026 am 14:00/);
    assert.doesNotMatch(diWelsh, /You have|Coming up|You said, we did/);
    const questionWelsh = (await di.get(`/my-activities/${activity}/rating`)).text_;
    assert.match(questionWelsh, /<h1 class="govuk-fieldset__heading">Faint o lais gawsoch chi\?<\/h1>/);
    assert.match(questionWelsh, /Cyfarfod 1 o 2: Spring meeting, /);
    assert.match(questionWelsh, />Fe wnaethon ni(?:'|&apos;)r penderfyniadau gyda(?:'|&apos;)n gilydd<\/label>/);
    assert.doesNotMatch(questionWelsh, /We made the decisions together|How much say/);
    di.cookies.delete('coproduce_language');
    assert.ok(diPage.includes(`href="/my-activities/${activity}/rating"`));
    assert.match((await di.get(`/my-activities/${activity}/rating`)).text_, /Meeting 1 of 2: Spring meeting/);
    const first = await di.post(`/my-activities/${activity}/rating`, { [`rung-${activity}`]: 'co_design' });
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), `/my-activities/${earlier.id}/rating?sent=1`);
    const next = (await di.get(first.headers.get('location'))).text_;
    assert.match(next, /Meeting 1 of 1: Winter meeting/);
    assert.match(next, /Thank you\. We do not keep your name with your answer\./);
    assert.match(next, /href="\/my-activities">Skip this one and go back to your activities</);
    assert.match((await di.get('/my-activities')).text_, /You have 1 meeting to tell us about/);
    // The lead's own rating keeps the rung names, with the members' words beside them.
    const outcome = (await lead.get(`/activities/${activity}/outcome`)).text_;
    assert.match(outcome, /Informing: “We were told what had already been decided”/);
    const shown = (await lead.get(`/activities/${activity}`)).text_;
    assert.match(shown, /3 anonymous ratings by members who took part, and 2 collected on paper/);
    assert.match(shown, /Co-design<\/th><td class="govuk-table__cell govuk-table__cell--numeric">2<\/td><td class="govuk-table__cell govuk-table__cell--numeric">2</);
    assert.match(shown, /Consultation<\/th><td class="govuk-table__cell govuk-table__cell--numeric">1<\/td>/);

    // A participant's claim is checked like a lead's, and they see only their own pages.
    const claim = await postMultipart(cy, '/my-payments/claims', { category: '', description: '', amount: '', day: '', month: '', year: '' }, []);
    assert.equal(claim.status, 400);
    for (const href of ['#category', '#description', '#amount', '#day']) assert.ok(claim.text_.includes(`href="${href}"`), href);
    // In Welsh, 'Your payments' and its claim form, errors included, are in Welsh.
    cy.cookies.set('coproduce_language', 'cy');
    const paymentsWelsh = (await cy.get('/my-payments')).text_;
    assert.match(paymentsWelsh, /<html lang="cy"/);
    assert.match(paymentsWelsh, /<h1 class="govuk-heading-xl">Eich taliadau<\/h1>/);
    assert.match(paymentsWelsh, /£30\.00<\/strong> am eich amser/);
    assert.match(paymentsWelsh, />Wedi(?:'|&apos;)i dalu</);
    assert.match(paymentsWelsh, />Teithio<\/label>/);
    assert.match(paymentsWelsh, />Diwrnod<\/label>/);
    const claimWelsh = await postMultipart(cy, '/my-payments/claims', { category: '', description: '', amount: '', day: '', month: '', year: '' }, []);
    assert.equal(claimWelsh.status, 400);
    assert.match(claimWelsh.text_, /Dewiswch beth oedd y gost ar ei gyfer/);
    assert.match(claimWelsh.text_, /Rhowch y swm/);
    assert.doesNotMatch(claimWelsh.text_, /Select what the expense was for|Enter the amount|Payments for your time/);
    cy.cookies.delete('coproduce_language');
    assert.equal((await cy.get('/payments')).status, 403);
    assert.equal((await cy.get(`/activities/${activity}`)).status, 403);
    assert.equal((await lead.get('/my-payments')).status, 403);
  });

  test('analysts see neither activities nor payments', async () => {
    const analyst = await makeUser(server, 'analyst@example.org', 'analyst');
    for (const url of ['/activities', `/activities/${activity}`, '/payments', '/payments/payroll.csv']) {
      assert.equal((await analyst.get(url)).status, 403, url);
    }
  });
});
