// Places that check and then write, under concurrent requests. Each test
// sends N requests at once against a limit of M and checks that exactly M
// succeed and that what is stored agrees. `make test` runs this file on
// SQLite and again on PostgreSQL (scripts/with-postgres), where several
// requests really do run their transactions at the same time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, engine, run, startServer, userWithRole, waitForRound,
} from '../support/server.mjs';

// Sends every request at once (after each client has its CSRF cookie) and
// returns the responses in order.
const all = (thunks) => Promise.all(thunks.map((f) => f()));
const statuses = (responses) => responses.map((r) => r.status);
const count = (xs, x) => xs.filter((y) => y === x).length;

describe(`check-then-write under concurrent requests (${engine})`, () => {
  let server;
  let lead;
  let token;
  let adminClient;

  before(async () => {
    server = await startServer();
    ({ client: lead, token } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead'));
    adminClient = new Client(server.base);
    await adminClient.signIn();
  });
  after(async () => { await server?.stop(); });

  test('sign-in: 12 wrong passwords at once, and exactly 5 are checked before the account pauses', async () => {
    await run(['admin', 'create-user', '--database', server.db, '--organisation', admin.organisation,
      '--email', 'target@example.org', '--role', 'analyst'], { input: 'a long enough password\n' });
    const clients = Array.from({ length: 12 }, () => new Client(server.base));
    for (const c of clients) await c.get('/sign-in');
    const res = await all(clients.map((c, i) => () => c.post('/sign-in', { email: 'target@example.org', password: `wrong ${i}` })));
    const s = statuses(res);
    assert.equal(count(s, 429), 7, `statuses: ${s}`);
    assert.equal(s.length - count(s, 429), 5, `statuses: ${s}`);
    assert.ok(res.filter((r) => r.status !== 429).every((r) => /password|email/i.test(r.text_)), 'the 5 are told the sign-in was wrong');
    const right = new Client(server.base);
    assert.equal((await right.post('/sign-in', { email: 'target@example.org', password: 'a long enough password' }, { formPage: '/sign-in' })).status, 429,
      'the account stays paused');
  });

  test('a survey capped at 3 sent responses, sent by 10 people at once, takes exactly 3', async () => {
    const definition = {
      format: 'coproduce-survey/1', id: 'cap', title: 'Capped',
      questions: [{ code: 'view', type: 'short_text', page: 1, text: 'What do you think?' }],
    };
    const created = await lead.postFiles('/surveys', { source: 'upload', title: '' },
      [{ field: 'definition', name: 'cap.json', content: JSON.stringify(definition) }]);
    assert.equal(created.status, 303, created.text_.slice(0, 500));
    const id = created.headers.get('location').match(/\/surveys\/(\d+)/)[1];
    const slug = (await lead.get(`/surveys/${id}`)).text_.match(/href="\/s\/([^"]+)"/)[1];
    assert.equal((await lead.post(`/surveys/${id}/settings`, { cap: '3' }, { formPage: `/surveys/${id}` })).status, 303);
    assert.equal((await lead.post(`/surveys/${id}/status`, { status: 'open' })).status, 303);

    // Ten people start and answer; none has sent yet, so all may start.
    const people = Array.from({ length: 10 }, () => new Client(server.base));
    for (const [i, c] of people.entries()) {
      await c.get(`/s/${slug}`);
      assert.equal((await c.post(`/s/${slug}/start`, {})).status, 303);
      assert.equal((await c.post(`/s/${slug}/page/1`, { view: `view ${i}` })).status, 303);
    }
    const res = await all(people.map((c) => () => c.post(`/s/${slug}/check`, {})));
    const s = statuses(res);
    assert.equal(count(s, 200), 3, `statuses: ${s}`);
    assert.equal(count(s, 409), 7, `statuses: ${s}`);
    assert.ok(res.filter((r) => r.status === 409).every((r) => /had all the responses it needs/.test(r.text_)));
    const summary = await lead.get(`/surveys/${id}`);
    assert.match(summary.text_, /3 sent/);
    assert.match((await new Client(server.base).get(`/s/${slug}`)).text_, /had all the responses it needs/);
  });

  test('a pool file confirmed 8 times at once is added once', async () => {
    await lead.get('/people/import');
    const file = 'unique_id,first_name,last_name,email\nc1,Grace,Hopper,grace@example.org\nc2,Alan,Kay,alan.kay@example.org\n';
    const preview = await lead.postFiles('/people/import', {}, [{ field: 'file', name: 'pool.csv', content: file }]);
    assert.equal(preview.status, 200, preview.text_.slice(0, 500));
    const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];
    const res = await all(Array.from({ length: 8 }, () => () => lead.post('/people/import/confirm', { pending })));
    const s = statuses(res);
    assert.equal(count(s, 303), 1, `statuses: ${s}`);
    assert.equal(count(s, 404), 7, `statuses: ${s}`);
    const people = await (await api(server, token, 'GET', '/api/v1/people?q=hopper')).json();
    assert.equal(people.total, 1, 'Grace Hopper is in the pool once');
  });

  test('two survey files with the same response id, confirmed at once, add one file and name the clash in the other', async () => {
    const created = await lead.postFiles('/surveys', { source: 'template', title: '' });
    assert.equal(created.status, 303);
    const id = created.headers.get('location').match(/\/surveys\/(\d+)/)[1];
    const header = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '').trim();
    const cols = header.split(',');
    const row = (values) => cols.map((c) => values[c] ?? '').join(',');
    const file = (ids) => [header, ...ids.map((x) => row({ id: x, started_at: '2026-03-01T10:00:00', last_page: '1', group: 'carer' }))].join('\n') + '\n';
    const pendings = [];
    // Big enough files that both are read and checked before either is written.
    const many = (prefix) => Array.from({ length: 1500 }, (_, i) => `${prefix}${i}`);
    for (const ids of [['x1', ...many('a')], ['x1', ...many('b')]]) {
      const preview = await lead.postFiles(`/surveys/${id}/import`, {}, [{ field: 'file', name: 'old.csv', content: file(ids) }]);
      assert.equal(preview.status, 200, preview.text_.slice(0, 300));
      pendings.push(preview.text_.match(/name="pending" value="(\d+)"/)[1]);
    }
    const res = await all(pendings.map((pending) => () => lead.post(`/surveys/${id}/import/confirm`, { pending })));
    const s = statuses(res);
    assert.deepEqual(s.slice().sort(), [303, 400], `statuses: ${s}`);
    assert.match(res[s.indexOf(400)].text_, /Line 2, column 1[\s\S]*the id &apos;x1&apos;/);
    const list = await (await api(server, token, 'GET', '/api/v1/surveys')).json();
    assert.equal(list.surveys.find((x) => String(x.id) === id).starts, 1501, 'one file was added, whole');
  });

  describe('a panel drawn, and a payment approved', () => {
    let group;
    let round;

    before(async () => {
      for (let i = 0; i < 6; i += 1) {
        const res = await api(server, token, 'POST', '/api/v1/people', {
          name: `Panel Person ${i}`, email: `panel${i}@example.org`, consent: true, payment: 'paid',
          lived_experience: [i % 2 ? 'unpaid_carer' : 'draws_on_care'],
        });
        assert.equal(res.status, 201, await res.clone().text());
      }
      group = await (await api(server, token, 'POST', '/api/v1/groups', {
        name: 'Panel Board', purpose: 'Test fair draws', setting: 'council', size: 3, ladder_aim: 'co_production',
      })).json();
      round = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['experience'], quotas: [] })).json();
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`)).status, 202);
      await waitForRound(server, token, round.id);
    });

    test('a round drawn 8 times at once with 8 tickets is drawn once, by the ticket that won', async () => {
      const res = await all(Array.from({ length: 8 }, (_, i) => () => api(server, token, 'POST', `/api/v1/recruit/${round.id}/draw`, { ticket: 100 + i })));
      const s = statuses(res);
      assert.equal(count(s, 200), 1, `statuses: ${s}`);
      assert.equal(count(s, 409), 7, `statuses: ${s}`);
      const winner = await res[s.indexOf(200)].json();
      const stored = await (await api(server, token, 'GET', `/api/v1/recruit/${round.id}`)).json();
      assert.equal(stored.drawn_ticket, winner.drawn_ticket);
      assert.deepEqual(stored.selected, winner.selected);
      assert.equal(stored.selected.length, 3);
    });

    test('the panel invited 6 times at once is invited once', async () => {
      const res = await all(Array.from({ length: 6 }, () => () => api(server, token, 'POST', `/api/v1/recruit/${round.id}/invite`)));
      const s = statuses(res);
      assert.equal(count(s, 200), 1, `statuses: ${s}`);
      assert.equal(count(s, 409), 5, `statuses: ${s}`);
      const g = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
      assert.equal(g.members.length, 3, 'each chosen person is a member once');
    });

    test('a payment approved 8 times at once is approved once', async () => {
      const g = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
      for (const m of g.members) {
        assert.equal((await lead.post(`/groups/${group.id}/members/${m.person_id}/respond`, { answer: 'accept' }, { formPage: `/groups/${group.id}` })).status, 303);
      }
      const planned = await lead.post(`/groups/${group.id}/activities`, {
        kind: 'meeting', title: 'Payment meeting', day: '14', month: '4', year: '2026', time: '10:30', duration_minutes: '60',
        place: 'Town hall', link: '',
      }, { formPage: `/groups/${group.id}/activities/new` });
      assert.equal(planned.status, 303, planned.text_.slice(0, 300));
      const activity = Number(planned.headers.get('location').split('/').at(-1));
      assert.equal((await api(server, token, 'POST', `/api/v1/activities/${activity}/invite`)).status, 200);
      const attendance = await api(server, token, 'POST', `/api/v1/activities/${activity}/attendance`, {
        attendance: g.members.map((m) => ({ person_id: m.person_id, attendance: 'attended', minutes: 60 })),
      });
      assert.equal(attendance.status, 200, await attendance.clone().text());
      assert.equal((await lead.post('/payments/rates', { 'rate-member-hour': '20' })).status, 303);
      const raised = await lead.post(`/activities/${activity}/payments`, {}, { formPage: `/activities/${activity}` });
      assert.match(raised.text_, /3 payments raised/);
      const paymentId = (await lead.get('/payments')).text_.match(/action="\/payments\/(\d+)\/approve"/)[1];

      const res = await all(Array.from({ length: 8 }, () => () => lead.post(`/payments/${paymentId}/approve`, {})));
      const s = statuses(res);
      assert.equal(count(s, 303), 1, `statuses: ${s}`);
      assert.equal(count(s, 409), 7, `statuses: ${s}`);
      const log = await adminClient.get('/admin/audit-log');
      assert.equal((log.text_.match(/Approved a payment/g) || []).length, 1, 'one approval is recorded');
      assert.equal(((await lead.get('/payments')).text_.match(/action="\/payments\/\d+\/approve"/g) || []).length, 2,
        'the other two wait for approval');
    });

    test('a payroll marked paid twice at once is marked once, and a changed payroll marks nothing', async () => {
      for (;;) {
        const next = (await lead.get('/payments')).text_.match(/action="\/payments\/(\d+)\/approve"/);
        if (!next) break;
        assert.equal((await lead.post(`/payments/${next[1]}/approve`, {})).status, 303);
      }
      const page = await lead.get('/payments/payroll');
      const lines = [...page.text_.matchAll(/<input type="hidden" name="payment" value="(\d+)">/g)].map((m) => m[1]);
      assert.equal(lines.length, 3);
      const body = new URLSearchParams([['csrf_token', lead.cookies.get('coproduce_csrf')], ...lines.map((id) => ['payment', id])]).toString();
      const mark = () => lead.request('POST', '/payments/payroll/paid', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const res = await all([mark, mark]);
      const s = statuses(res);
      assert.deepEqual(s.slice().sort(), [303, 409], `statuses: ${s}`);
      assert.match(res[s.indexOf(409)].text_, /3 lines have changed since the payroll was downloaded/);
      assert.match((await lead.get('/payments/payroll')).text_, /Nothing is waiting to be paid/);
      const log = await adminClient.get('/admin/audit-log');
      assert.equal((log.text_.match(/Marked payroll lines as paid/g) || []).length, 1, 'marked paid once in the audit log');
    });
  });

  test('two rounds for the same 2 places, invited at once, fill the places once', async () => {
    const small = await (await api(server, token, 'POST', '/api/v1/groups', {
      name: 'Small Board', purpose: 'Two places', setting: 'council', size: 2, ladder_aim: 'co_production',
    })).json();
    const rounds = [];
    for (let i = 0; i < 2; i += 1) {
      const created = await api(server, token, 'POST', `/api/v1/groups/${small.id}/recruit`, { categories: ['experience'], quotas: [] });
      assert.equal(created.status, 201, await created.clone().text());
      rounds.push((await created.json()).id);
    }
    for (const id of rounds) {
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${id}/run`)).status, 202);
      await waitForRound(server, token, id);
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${id}/draw`, {})).status, 200);
    }
    const res = await all(rounds.map((id) => () => api(server, token, 'POST', `/api/v1/recruit/${id}/invite`)));
    const s = statuses(res);
    assert.deepEqual(s.slice().sort(), [200, 409], `statuses: ${s}`);
    assert.match((await res[s.indexOf(409)].json()).error.message, /places are no longer free/);
    const g = await (await api(server, token, 'GET', `/api/v1/groups/${small.id}`)).json();
    assert.equal(g.members.length, 2, 'the group has its 2 places filled once');
  });
});

describe(`a public form limited to 3 starts an hour, started 10 times at once (${engine})`, () => {
  let server;
  before(async () => { server = await startServer({ args: ['--public-form-limit', '3'] }); });
  after(async () => { await server?.stop(); });

  test('exactly 3 are let in', async () => {
    const clients = Array.from({ length: 10 }, () => new Client(server.base));
    for (const c of clients) await c.get('/get-involved');
    const res = await all(clients.map((c) => () => c.post('/get-involved', {})));
    const s = statuses(res);
    assert.equal(count(s, 303), 3, `statuses: ${s}`);
    assert.equal(count(s, 429), 7, `statuses: ${s}`);
  });
});
