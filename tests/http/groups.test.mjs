// Groups and fair recruitment over HTTP: from a pool, through quotas, the
// LEXIMIN run as a job, a public draw and invitations, to answers and a
// replacement round; rounds made fair by LEXIMIN, MAXIMIN and Nash welfare,
// each reporting what it proved; the public page without names; errors on
// every form.
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

  // A group of its own, so these rounds leave the group above as it is. 20
  // people, 10 of each experience, 2 places each: every way of making the
  // lottery fair gives everyone the same 1 in 5 chance.
  const algorithmQuotas = {
    categories: ['experience'],
    quotas: [
      { category: 'experience', value: 'I am an unpaid carer', min: 2, max: 2 },
      { category: 'experience', value: 'I draw on care and support', min: 2, max: 2 },
    ],
  };
  let algorithmGroup;
  const newAlgorithmGroup = async () => {
    if (!algorithmGroup) {
      const res = await api(server, token, 'POST', '/api/v1/groups', {
        name: 'Fairness Panel', setting: 'council', size: 4, ladder_aim: 'co_design',
      });
      assert.equal(res.status, 201);
      algorithmGroup = await res.json();
    }
    return algorithmGroup;
  };
  const roundLinks = async (g) => ((await lead.get(`/groups/${g.id}`)).text_.match(/\/rounds\/\d+"/g) ?? []).length;

  test('the quota form asks how the lottery should be made fair, LEXIMIN first and chosen', async () => {
    const g = await newAlgorithmGroup();
    const page = await lead.get(`/groups/${g.id}/recruit?categories=experience`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /<legend[^>]*>How should the lottery be made fair\?<\/legend>/);
    const radios = [...page.text_.matchAll(/<input class="govuk-radios__input" id="algorithm-(\w+)" name="algorithm" type="radio" value="(\w+)"[^>]*>/g)];
    assert.deepEqual(radios.map((m) => m[2]), ['leximin', 'maximin', 'nash'], 'three choices, and no LEGACY (it makes no lottery)');
    assert.match(radios[0][0], / checked>$/, 'LEXIMIN is chosen to start with');
    for (const title of ['LEXIMIN', 'MAXIMIN', 'Nash welfare']) {
      assert.match(page.text_, new RegExp(`govuk-radios__label" for="algorithm-\\w+">${title}</label>\\s*<div id="algorithm-\\w+-hint" class="govuk-hint govuk-radios__hint">\\S`), title);
    }
  });

  for (const [algorithm, title] of [['leximin', 'LEXIMIN'], ['maximin', 'MAXIMIN'], ['nash', 'Nash welfare']]) {
    test(`a round made fair by ${title} finishes and reports what it proved`, async () => {
      const g = await newAlgorithmGroup();
      const created = await api(server, token, 'POST', `/api/v1/groups/${g.id}/recruit`, { ...algorithmQuotas, algorithm });
      assert.equal(created.status, 201);
      const round = await created.json();
      assert.equal(round.algorithm, algorithm);
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`)).status, 202);
      const done = await waitForRound(server, token, round.id);
      assert.equal(done.status, 'done', `the run finished: ${done.message ?? ''}`);
      assert.equal(done.algorithm, algorithm);
      assert.equal(done.complete, true, 'it ran to the end');
      assert.equal(typeof done.proven_gap, 'number');
      assert.ok(done.proven_gap >= 0 && done.proven_gap < 0.01, `a small pool is proven close to the best: ${done.proven_gap}`);
      assert.ok(done.seconds >= 0);
      assert.ok(done.probability_levels >= 1, `distinct chances are counted: ${done.probability_levels}`);
      assert.ok(done.panels_kept >= 1, `the panels the lottery uses are counted: ${done.panels_kept}`);
      assert.ok(Number.isInteger(done.stages), 'the stages are counted');
      // One category: the relaxation over kinds of people has whole-number
      // corners, so LEXIMIN and MAXIMIN are proven by it.
      assert.equal(done.proven_by, algorithm === 'nash' ? 'column generation' : 'relaxation');
      assert.equal(done.types, 2, 'two kinds of people: carers and people who draw on care');
      assert.ok(done.panels_generated >= done.panels_kept, `panels made ${done.panels_generated}, kept ${done.panels_kept}`);
      for (const p of Object.values(done.probabilities)) assert.ok(Math.abs(p - 0.2) < 0.005, `everyone has a 1 in 5 chance: ${p}`);
      const page = await lead.get(`/groups/${g.id}/rounds/${round.id}`);
      assert.equal(page.status, 200);
      assert.match(page.text_, new RegExp(`Way of making it fair</dt><dd class="govuk-summary-list__value">${title}</dd>`));
      assert.match(page.text_, /Proven<\/dt><dd class="govuk-summary-list__value">Yes, to within the proven gap</);
      assert.match(page.text_, /Proven gap<\/dt><dd class="govuk-summary-list__value">(0|less than 0\.000001|0\.\d+)<div class="govuk-hint/);
      assert.match(page.text_, /Time taken<\/dt><dd class="govuk-summary-list__value">(less than 0\.1|\d+\.\d) seconds</);
    });
  }

  test('the quota form records the way chosen, and refuses one it does not offer', async () => {
    const g = await newAlgorithmGroup();
    const form = {
      categories: 'experience', cat_0: 'experience', val_0: 'I am an unpaid carer', min_0: '2', max_0: '2',
      cat_1: 'experience', val_1: 'I draw on care and support', min_1: '2', max_1: '2',
    };
    const before = await roundLinks(g);
    for (const bad of ['legacy', 'fairest', '']) {
      const res = await lead.post(`/groups/${g.id}/recruit`, { ...form, algorithm: bad });
      assert.equal(res.status, 400, bad);
      assert.ok(res.text_.includes('href="#algorithm"'), `the error summary links to the question (${bad})`);
      assert.match(res.text_, /<p id="algorithm-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:<\/span> Choose how the lottery should be made fair/);
      assert.match(res.text_, /id="min_1"[^>]*value="2"/, 'the quotas typed are kept');
    }
    assert.equal(await roundLinks(g), before, 'nothing was saved');
    for (const bad of ['legacy', 'LEXIMIN', 7]) {
      const res = await api(server, token, 'POST', `/api/v1/groups/${g.id}/recruit`, { ...algorithmQuotas, algorithm: bad });
      assert.equal(res.status, 400, String(bad));
      assert.equal((await res.json()).error.field, 'algorithm');
    }
    assert.equal(await roundLinks(g), before, 'nothing was saved by the API either');

    const created = await lead.post(`/groups/${g.id}/recruit`, { ...form, algorithm: 'nash' });
    assert.equal(created.status, 303);
    const roundId = Number(created.headers.get('location').split('/').at(-1));
    const round = await (await api(server, token, 'GET', `/api/v1/recruit/${roundId}`)).json();
    assert.equal(round.algorithm, 'nash');
    assert.match((await lead.get(created.headers.get('location'))).text_, /The lottery is made fair by Nash welfare\./);
    const replaced = await api(server, token, 'POST', `/api/v1/groups/${g.id}/recruit/replace`);
    assert.equal((await replaced.json()).algorithm, 'nash', 'a replacement round keeps the way chosen');
    const plain = await api(server, token, 'POST', `/api/v1/groups/${g.id}/recruit`, algorithmQuotas);
    assert.equal((await plain.json()).algorithm, 'leximin', 'LEXIMIN when none is given');
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
