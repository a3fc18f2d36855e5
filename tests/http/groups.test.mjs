// Groups and fair recruitment over HTTP: from a pool, through quotas, the
// LEXIMIN run as a job, a public draw and invitations, to answers and a
// replacement round; the public page without names; errors on every form.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, run, startServer, waitForRound,
} from '../support/server.mjs';

const password = 'a long enough password';

describe('groups and fair recruitment', () => {
  let server;
  let token;
  let lead;
  let group;
  before(async () => {
    server = await startServer();
    await run(['admin', 'create-user', '--database', server.db, '--organisation', admin.organisation,
      '--email', 'lead@example.org', '--role', 'coproduction-lead'], { input: `${password}\n` });
    token = (await run(['admin', 'create-token', '--database', server.db, '--email', 'lead@example.org'])).trim().split('\n').at(-1);
    lead = new Client(server.base);
    await lead.signIn('lead@example.org', password);
    // 20 people: half carers, half drawing on care; every fourth a woman.
    for (let i = 0; i < 20; i += 1) {
      const res = await api(server, token, 'POST', '/api/v1/people', {
        name: `Pool Person ${i}`, phone: `01632 960 ${100 + i}`, consent: true,
        lived_experience: [i % 2 ? 'unpaid_carer' : 'draws_on_care'],
        equality: { sex: i % 4 === 0 ? 'female' : 'male' },
      });
      assert.equal(res.status, 201);
    }
    const res = await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Carers Board', purpose: 'Shape support for carers', setting: 'council', size: 6,
      ladder_aim: 'co_production', public_page: true,
    });
    assert.equal(res.status, 201);
    group = await res.json();
  });
  after(async () => { await server?.stop(); });

  test('a group form names every missing answer', async () => {
    const res = await lead.post('/groups', { name: '', size: 'lots', term_months: '99' });
    assert.equal(res.status, 400);
    for (const href of ['#name', '#setting', '#size', '#term_months', '#ladder_aim']) {
      assert.ok(res.text_.includes(`href="${href}"`), href);
    }
    const bad = await api(server, token, 'POST', '/api/v1/groups', { name: 'X', setting: 'moon', size: 1, ladder_aim: 'co_production' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.field, 'setting');
  });

  test('the recruit page counts the eligible pool by category', async () => {
    const page = await lead.get(`/groups/${group.id}/recruit?categories=experience&categories=sex`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /20 people are eligible for 6 places/);
    assert.match(page.text_, /Female<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">5</);
  });

  test('quotas the pool cannot meet are explained, with the smallest change', async () => {
    const created = await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, {
      categories: ['sex'], quotas: [{ category: 'sex', value: 'Female', min: 6, max: 6 }],
    });
    assert.equal(created.status, 201);
    const round = await created.json();
    assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`)).status, 202);
    const done = await waitForRound(server, token, round.id);
    assert.equal(done.status, 'infeasible');
    assert.ok(done.conflicts.length > 0);
    assert.ok(done.relaxation.length > 0);
    const page = await lead.get(`/groups/${group.id}/rounds/${round.id}`);
    assert.match(page.text_, /No group can meet these quotas/);
  });

  test('bad quotas on the form are named beside their boxes', async () => {
    const res = await lead.post(`/groups/${group.id}/recruit`, {
      categories: 'sex', cat_0: 'sex', val_0: 'Female', min_0: '4', max_0: '2', cat_1: 'sex', val_1: 'Male', min_1: 'x', max_1: '6',
    });
    assert.equal(res.status, 400);
    assert.ok(res.text_.includes('href="#min_0"'));
    assert.ok(res.text_.includes('href="#min_1"'));
  });

  test('a round runs as a job, is drawn by a public number and invites the panel', async () => {
    const created = await lead.post(`/groups/${group.id}/recruit`, {
      categories: 'experience', cat_0: 'experience', val_0: 'I am an unpaid carer', min_0: '3', max_0: '3',
      cat_1: 'experience', val_1: 'I draw on care and support', min_1: '3', max_1: '3',
    });
    assert.equal(created.status, 303);
    const url = created.headers.get('location');
    const roundId = Number(url.split('/').at(-1));
    assert.match((await lead.get(url)).text_, /Run the selection/);
    assert.equal((await lead.post(`${url}/run`, {})).status, 303);
    const done = await waitForRound(server, token, roundId);
    assert.equal(done.status, 'done');
    const probs = Object.values(done.probabilities);
    assert.equal(probs.length, 20);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 6) < 1e-6, 'chances add up to the places');
    for (const p of probs) assert.ok(Math.abs(p - 0.3) < 1e-6, 'everyone gets the same 3 in 10 chance here');
    const page = await lead.get(url);
    assert.match(page.text_, /Smallest chance of a place<\/dt><dd class="govuk-summary-list__value">30\.0%/);
    const badTicket = await lead.post(`${url}/draw`, { ticket: '5000' });
    assert.equal(badTicket.status, 400);
    assert.ok(badTicket.text_.includes('href="#ticket"'));
    assert.equal((await lead.post(`${url}/draw`, { ticket: '42' })).status, 303);
    const drawn = await (await api(server, token, 'GET', `/api/v1/recruit/${roundId}`)).json();
    assert.equal(drawn.drawn_ticket, 42);
    assert.equal(drawn.selected.length, 6);
    assert.equal((await lead.post(`${url}/invite`, {})).status, 303);
    const g = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
    assert.deepEqual(g.members.map((m) => m.person_id).sort(), [...drawn.selected].sort());
    assert.ok(g.members.every((m) => m.status === 'invited'));
  });

  test('answers are recorded and a replacement round keeps who accepted', async () => {
    const g = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
    const [first, second] = g.members;
    assert.equal((await lead.post(`/groups/${group.id}/members/${first.person_id}/respond`, { answer: 'accept' })).status, 303);
    assert.equal((await lead.post(`/groups/${group.id}/members/${second.person_id}/respond`, { answer: 'decline' })).status, 303);
    const replaced = await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit/replace`);
    assert.equal(replaced.status, 201);
    const round = await replaced.json();
    assert.equal(round.places, 1);
    await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`);
    const done = await waitForRound(server, token, round.id);
    assert.equal(done.status, 'done');
    const drawn = await (await api(server, token, 'POST', `/api/v1/recruit/${round.id}/draw`, {})).json();
    assert.equal(drawn.selected.length, 6);
    assert.ok(drawn.selected.includes(first.person_id), 'who accepted stays');
    assert.ok(!drawn.selected.includes(second.person_id), 'who declined is not drawn again');
  });

  test("a person's page shows their involvement history", async () => {
    const g = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
    const accepted = g.members.find((m) => m.status === 'accepted');
    const page = await lead.get(`/people/${accepted.person_id}`);
    assert.match(page.text_, /Involvement history/);
    assert.match(page.text_, /Carers Board<\/a><\/td>\s*<td class="govuk-table__cell">\d{4}-\d\d-\d\d<\/td><td class="govuk-table__cell">Accepted/);
  });

  test('eligibility can require availability', async () => {
    const res = await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['sex'], available: 'weekend' });
    assert.equal(res.status, 400, 'no one in this pool gave their availability, so there are too few');
    assert.match((await res.json()).error.message, /Only 0 eligible people/);
    const bad = await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['sex'], available: 'midnight' });
    assert.equal((await bad.json()).error.field, 'available');
  });

  test('the public page shows the method and figures, and no names', async () => {
    const res = await fetch(`${server.base}/groups/${group.id}/public`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Carers Board/);
    assert.match(html, /42 of 1000, by a number drawn in public/);
    assert.ok(!html.includes('Pool Person'), 'no names on the public page');
    const other = await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Private Panel', setting: 'nhs', size: 3, ladder_aim: 'consultation',
    });
    const privateGroup = await other.json();
    assert.equal((await fetch(`${server.base}/groups/${privateGroup.id}/public`)).status, 404);
  });

  test('another organisation cannot see or run the group', async () => {
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Elsewhere Trust']);
    await run(['admin', 'create-user', '--database', server.db, '--organisation', 'Elsewhere Trust',
      '--email', 'else@example.org', '--role', 'coproduction-lead'], { input: `${password}\n` });
    const elseToken = (await run(['admin', 'create-token', '--database', server.db, '--email', 'else@example.org'])).trim().split('\n').at(-1);
    assert.equal((await api(server, elseToken, 'GET', `/api/v1/groups/${group.id}`)).status, 404);
    assert.equal((await api(server, elseToken, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['sex'] })).status, 404);
    const rounds = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
    assert.ok(rounds.members.length > 0);
    assert.equal((await api(server, elseToken, 'GET', '/api/v1/recruit/1')).status, 404);
    assert.deepEqual((await (await api(server, elseToken, 'GET', '/api/v1/groups')).json()).groups, []);
  });
});
