// The learning API over HTTP: the workforce, modules, requirements,
// completions and coverage, as a learning lead, a co-production lead, an
// analyst and the people who may not see worker records meet them.
//
// The coverage example is worked by hand from the rules in
// src/learning/coverage.h; its dates are fixed in the past because a
// completion may not be recorded in the future.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, run, startServer, userWithRole,
} from '../support/server.mjs';

const workersUrl = '/api/v1/learning/workers';

// Adds a worker and answers the record; the status must be 201.
async function addWorker(server, token, worker) {
  const res = await api(server, token, 'POST', workersUrl, worker);
  assert.equal(res.status, 201, `adding ${worker.worker_id}: ${await res.clone().text()}`);
  return res.json();
}

async function addCompletion(server, token, id, body) {
  const res = await api(server, token, 'POST', `${workersUrl}/${id}/completions`, body);
  assert.equal(res.status, 201, `completion for worker ${id}: ${await res.clone().text()}`);
  return res.json();
}

// The id of the organisation's starter module (listing the modules makes it).
async function starterId(server, token) {
  const { modules } = await (await api(server, token, 'GET', '/api/v1/learning/modules')).json();
  return modules.find((m) => m.starter).id;
}

async function coverage(server, token, date) {
  const res = await api(server, token, 'GET', `/api/v1/learning/coverage?date=${date}`);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

// A coverage row as the API answers it.
const row = (keyName, key, workers, completed, share) => ({ [keyName]: key, workers, completed, share });

describe('learning coverage, worked by hand', () => {
  let server;
  let token;
  let starter;
  const ids = {};

  // Requirements: the starter module for care workers within 84 days of
  // starting, and for supervisors and leaders within 90. It refreshes every
  // 24 months. Nobody else has required learning.
  //
  // On 2025-06-30:
  //   A  in post; completed 2024-03-01, expires 2026-03-01           done
  //   B  in post; completed 2023-05-01, expired 2025-05-01           expired: overdue
  //   C  started 2025-05-01, due by 2025-07-30; their completion on
  //      2025-08-01 is after the date and does not count             due
  //   D  started 2024-06-01, due by 2024-08-30, never completed      overdue
  //   E  starts on the day and completes on the day                   done
  //   F  leaves on the day (still in post); an expired completion
  //      and a later one expiring 2025-08-01, 32 days on             done, expiring soon
  //   G  left 2025-03-31                                              not counted
  //   H  starts 2025-09-01                                            not counted
  //   I  a registered manager: no requirement for the category       not counted
  const workforce = [
    { key: 'A', worker_id: 'WX-A', role_category: 'care_worker', closeness: 'direct_care', workplace: 'Oak House', team: 'Days', started_on: '2024-01-10', completions: ['2024-03-01'] },
    { key: 'B', worker_id: 'WX-B', role_category: 'care_worker', closeness: 'direct_care', workplace: 'Oak House', team: 'Nights', started_on: '2022-01-05', completions: ['2023-05-01'] },
    { key: 'C', worker_id: 'WX-C', role_category: 'supervisor_leader', closeness: 'supervisor', workplace: 'Elm Court', team: 'Days', started_on: '2025-05-01', completions: ['2025-08-01'] },
    { key: 'D', worker_id: 'WX-D', role_category: 'supervisor_leader', closeness: 'supervisor', workplace: 'Elm Court', team: '', started_on: '2024-06-01', completions: [] },
    { key: 'E', worker_id: 'WX-E', role_category: 'care_worker', closeness: 'other_role', workplace: 'Oak House', team: 'Days', started_on: '2025-06-30', completions: ['2025-06-30'] },
    { key: 'F', worker_id: 'WX-F', role_category: 'care_worker', closeness: 'direct_care', workplace: 'Elm Court', team: 'Nights', started_on: '2023-01-01', left_on: '2025-06-30', completions: ['2023-02-01', '2023-08-01'] },
    { key: 'G', worker_id: 'WX-G', role_category: 'care_worker', closeness: 'direct_care', workplace: 'Oak House', team: 'Days', started_on: '2020-01-01', left_on: '2025-03-31', completions: ['2024-01-01'] },
    { key: 'H', worker_id: 'WX-H', role_category: 'supervisor_leader', closeness: 'supervisor', workplace: 'Elm Court', team: 'Days', started_on: '2025-09-01', completions: [] },
    { key: 'I', worker_id: 'WX-I', role_category: 'registered_manager', closeness: 'registered_manager', workplace: 'Oak House', team: 'Days', started_on: '2019-01-01', completions: ['2024-06-01'] },
  ];

  before(async () => {
    server = await startServer();
    ({ token } = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead'));
    starter = await starterId(server, token);
    for (const [role_category, within_days] of [['care_worker', 84], ['supervisor_leader', 90]]) {
      const res = await api(server, token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category, within_days });
      assert.equal(res.status, 201, await res.clone().text());
    }
    for (const { key, completions, ...w } of workforce) {
      const made = await addWorker(server, token, { ...w, name: `Worker ${key}` });
      ids[key] = made.id;
      for (const completed_on of completions) await addCompletion(server, token, made.id, { module_id: starter, completed_on });
    }
  });
  after(async () => { await server?.stop(); });

  test('on 2025-06-30 the totals and every breakdown match the hand count', async () => {
    const c = await coverage(server, token, '2025-06-30');
    assert.equal(c.date, '2025-06-30');
    assert.equal(c.workers, 6, 'A to F: not the leaver, the starter-to-be or the manager with nothing required');
    assert.equal(c.completed, 3, 'A, E and F; not B (expired), C (completed after the date) or D');
    assert.equal(c.share, 0.5);
    assert.equal(c.overdue, 2, 'B expired and D overdue; C is only due');
    assert.equal(c.expiring_soon, 1, "F's expires 32 days on");
    assert.deepEqual(c.by_role_category, [
      row('role_category', 'new_to_care', 0, 0, null),
      row('role_category', 'care_worker', 4, 3, 0.75),
      row('role_category', 'enhanced_care_worker', 0, 0, null),
      row('role_category', 'personal_assistant', 0, 0, null),
      row('role_category', 'supervisor_leader', 2, 0, 0),
      row('role_category', 'practice_leader', 0, 0, null),
      row('role_category', 'deputy_manager', 0, 0, null),
      row('role_category', 'registered_manager', 0, 0, null),
      row('role_category', 'not_on_pathway', 0, 0, null),
    ]);
    assert.deepEqual(c.by_closeness, [
      row('closeness', 'direct_care', 3, 2, 2 / 3),
      row('closeness', 'supervisor', 2, 0, 0),
      row('closeness', 'registered_manager', 0, 0, null),
      row('closeness', 'senior_manager', 0, 0, null),
      row('closeness', 'commissioner', 0, 0, null),
      row('closeness', 'other_role', 1, 1, 1),
    ]);
    assert.deepEqual(c.by_workplace, [
      row('workplace', 'Elm Court', 3, 1, 1 / 3),
      row('workplace', 'Oak House', 3, 2, 2 / 3),
    ]);
    assert.deepEqual(c.by_team, [
      row('team', '', 1, 0, 0),
      row('team', 'Days', 3, 2, 2 / 3),
      row('team', 'Nights', 2, 1, 0.5),
    ]);
  });

  // date, workers, completed, overdue, expiring_soon, why
  const days = [
    ['2024-08-30', 5, 4, 0, 0, "A, B, D, F and G in post; D's 90 days end today: due, not overdue"],
    ['2024-08-31', 5, 4, 1, 0, 'the day after, D is overdue'],
    ['2025-04-30', 4, 3, 1, 1, "G has left and C not started; B's completion expires tomorrow"],
    ['2025-05-01', 5, 2, 2, 0, "B's completion expires today; C starts today with time to do it"],
  ];
  for (const [date, workers, completed, overdue, expiring] of days) {
    test(`on ${date} the edges of the rules hold`, async () => {
      const c = await coverage(server, token, date);
      assert.deepEqual([c.workers, c.completed, c.overdue, c.expiring_soon], [workers, completed, overdue, expiring],
        `${date}: ${days.find((d) => d[0] === date)[5]}`);
    });
  }

  test('a date with nobody in post answers zeros and no shares', async () => {
    const c = await coverage(server, token, '2018-12-31');
    assert.equal(c.workers, 0);
    assert.equal(c.completed, 0);
    assert.equal(c.share, null);
    assert.ok(c.by_role_category.every((r) => r.workers === 0 && r.share === null));
    assert.deepEqual(c.by_workplace, []);
  });

  test('a refresh is counted from the latest completion, and its expiry is completion plus 24 months', async () => {
    // D catches up today (an old completion date is allowed): now done on 2025-06-30.
    const done = await addCompletion(server, token, ids.D, { module_id: starter, completed_on: '2025-06-01', provider: 'Skills for Care', how_delivered: 'Workshop' });
    assert.equal(done.expires_on, '2027-06-01');
    assert.equal(done.provider, 'Skills for Care');
    assert.equal(done.how_delivered, 'Workshop');
    assert.equal(done.source, 'recorded');
    const c = await coverage(server, token, '2025-06-30');
    assert.deepEqual([c.workers, c.completed, c.overdue], [6, 4, 1]);
    assert.deepEqual(c.by_role_category.find((r) => r.role_category === 'supervisor_leader'), row('role_category', 'supervisor_leader', 2, 1, 0.5));
    // A leap day plus 24 months falls on the last day of February.
    const leap = await addCompletion(server, token, ids.B, { module_id: starter, completed_on: '2024-02-29' });
    assert.equal(leap.expires_on, '2026-02-28');
  });
});

describe('requirements for one workplace', () => {
  let server;
  let token;
  let starter;

  // Deputy managers everywhere have a year to complete the starter module;
  // at Birch Lodge they have 30 days. New-to-care workers must complete it
  // within 14 days at Birch Lodge only. Everyone started on 2024-01-01 and
  // nobody has completed it. On 2024-03-01 (60 days on):
  //   Birch deputy   the workplace's 30 days have passed        overdue
  //   Ash deputy     the organisation's 365 days have not        due
  //   Birch new      14 days have passed                         overdue
  //   Ash new        nothing required at Ash House               not counted
  const staff = [
    ['BL-DM', 'deputy_manager', 'Birch Lodge'], ['AH-DM', 'deputy_manager', 'Ash House'],
    ['BL-NC', 'new_to_care', 'Birch Lodge'], ['AH-NC', 'new_to_care', 'Ash House'],
  ];

  before(async () => {
    server = await startServer();
    ({ token } = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead'));
    starter = await starterId(server, token);
    for (const [role_category, within_days, workplace] of [['deputy_manager', 365, undefined], ['deputy_manager', 30, 'Birch Lodge'],
      ['new_to_care', 14, 'Birch Lodge']]) {
      const res = await api(server, token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category, within_days, workplace });
      assert.equal(res.status, 201, await res.clone().text());
    }
    for (const [worker_id, role_category, workplace] of staff) {
      await addWorker(server, token, { worker_id, name: `Worker ${worker_id}`, role_category, closeness: 'supervisor', workplace, started_on: '2024-01-01' });
    }
  });
  after(async () => { await server?.stop(); });

  test("a workplace's own requirement replaces the organisation's for the workers there", async () => {
    const c = await coverage(server, token, '2024-03-01');
    assert.equal(c.workers, 3, 'not the new worker at Ash House, who has nothing required');
    assert.equal(c.completed, 0);
    assert.equal(c.overdue, 2, "Birch Lodge's deputy and new worker; Ash House's deputy still has time");
    assert.deepEqual(c.by_workplace, [row('workplace', 'Ash House', 1, 0, 0), row('workplace', 'Birch Lodge', 2, 0, 0)]);
    assert.deepEqual(c.by_role_category.filter((r) => r.workers > 0),
      [row('role_category', 'new_to_care', 1, 0, 0), row('role_category', 'deputy_manager', 2, 0, 0)]);
  });

  test('the same module and role category may be required once everywhere and once per workplace', async () => {
    const again = await api(server, token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category: 'deputy_manager', within_days: 10, workplace: 'Birch Lodge' });
    assert.equal(again.status, 409);
    const everywhere = await api(server, token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category: 'deputy_manager', within_days: 10 });
    assert.equal(everywhere.status, 409);
    const tooLong = await api(server, token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category: 'care_worker', within_days: 10, workplace: 'W'.repeat(201) });
    assert.equal(tooLong.status, 400);
    assert.equal((await tooLong.json()).error.field, 'workplace');
    const { requirements } = await (await api(server, token, 'GET', '/api/v1/learning/requirements')).json();
    assert.deepEqual(requirements.map((r) => [r.role_category, r.workplace, r.within_days]).sort(),
      [['deputy_manager', '', 365], ['deputy_manager', 'Birch Lodge', 30], ['new_to_care', 'Birch Lodge', 14]].sort());
  });
});

describe('the learning API', () => {
  let server;
  let lead;      // learning lead
  let coLead;    // co-production lead
  let analyst;
  let participant;
  let learner;
  let other;     // a learning lead in another organisation
  let starter;
  let otherStarter;

  before(async () => {
    server = await startServer();
    lead = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead');
    coLead = await userWithRole(server, admin.organisation, 'colead@example.org', 'coproduction-lead');
    analyst = await userWithRole(server, admin.organisation, 'analyst@example.org', 'analyst');
    participant = await userWithRole(server, admin.organisation, 'participant@example.org', 'participant');
    learner = await userWithRole(server, admin.organisation, 'learner@example.org', 'learner');
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Other Trust']);
    other = await userWithRole(server, 'Other Trust', 'other-learning@example.org', 'learning-lead');
    starter = await starterId(server, lead.token);
    otherStarter = await starterId(server, other.token);
  });
  after(async () => { await server?.stop(); });

  test('the starter module is there for every organisation, with its knowledge check', async () => {
    const { modules } = await (await api(server, lead.token, 'GET', '/api/v1/learning/modules')).json();
    const s = modules.find((m) => m.starter);
    assert.ok(s, 'a starter module is listed');
    assert.equal(modules[0].id, s.id, 'listed first');
    assert.equal(s.title, 'Working in co-production');
    assert.ok(s.questions >= 8, `${s.questions} questions`);
    assert.equal(s.refresh_months, 24);
    assert.notEqual(starter, otherStarter, 'each organisation has its own copy');
  });

  test('co-production leads and analysts see figures but no worker records; others see nothing', async () => {
    const worker = await addWorker(server, lead.token, {
      worker_id: 'ACC-1', name: 'Access Tester', role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-01',
    });
    const figures = [['GET', '/api/v1/learning/coverage'], ['GET', '/api/v1/learning/coverage?date=2025-01-01'],
      ['GET', '/api/v1/learning/modules'], ['GET', '/api/v1/learning/requirements']];
    const records = [['GET', workersUrl], ['POST', workersUrl], ['GET', `${workersUrl}/${worker.id}`],
      ['PATCH', `${workersUrl}/${worker.id}`], ['DELETE', `${workersUrl}/${worker.id}`],
      ['POST', `${workersUrl}/${worker.id}/completions`], ['POST', '/api/v1/learning/requirements']];
    const body = (method) => (method === 'GET' || method === 'DELETE' ? undefined : { name: 'Changed By Someone' });

    for (const [who, token] of [['learning lead', lead.token], ['co-production lead', coLead.token], ['analyst', analyst.token]]) {
      for (const [method, url] of figures) assert.equal((await api(server, token, method, url)).status, 200, `${who}: ${method} ${url}`);
    }
    for (const [who, token] of [['co-production lead', coLead.token], ['analyst', analyst.token]]) {
      for (const [method, url] of records) {
        const res = await api(server, token, method, url, body(method));
        assert.equal(res.status, 403, `${who}: ${method} ${url}`);
        assert.equal((await res.json()).error.code, 'forbidden');
      }
    }
    for (const [who, token] of [['participant', participant.token], ['learner', learner.token]]) {
      for (const [method, url] of [...figures, ...records]) {
        assert.equal((await api(server, token, method, url, body(method))).status, 403, `${who}: ${method} ${url}`);
      }
    }
    for (const [method, url] of [...figures, ...records]) {
      const res = await fetch(server.base + url, { method });
      assert.equal(res.status, 401, `no token: ${method} ${url}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      const wrong = await api(server, 'not-a-real-token', method, url, body(method));
      assert.equal(wrong.status, 401, `a made-up token: ${method} ${url}`);
    }
    // Whatever was refused changed nothing.
    const still = await (await api(server, lead.token, 'GET', `${workersUrl}/${worker.id}`)).json();
    assert.equal(still.name, 'Access Tester');
  });

  test("another organisation's worker is not found, and its modules cannot be used", async () => {
    const mine = await addWorker(server, lead.token, {
      worker_id: 'ISO-1', name: 'Isolated Person', role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-01',
    });
    for (const [method, url, body] of [['GET', `${workersUrl}/${mine.id}`], ['PATCH', `${workersUrl}/${mine.id}`, { name: 'Taken Over' }],
      ['POST', `${workersUrl}/${mine.id}/completions`, { module_id: otherStarter, completed_on: '2024-06-01' }],
      ['DELETE', `${workersUrl}/${mine.id}`]]) {
      const res = await api(server, other.token, method, url, body);
      assert.equal(res.status, 404, `${method} ${url} from another organisation`);
      assert.equal((await res.json()).error.code, 'not_found');
    }
    const theirs = await (await api(server, other.token, 'GET', `${workersUrl}?q=Isolated`)).json();
    assert.equal(theirs.total, 0, 'their list does not show our worker');
    const after = await (await api(server, lead.token, 'GET', `${workersUrl}/${mine.id}`)).json();
    assert.equal(after.name, 'Isolated Person', 'nothing they sent changed our worker');
    assert.equal((await coverage(server, other.token, '2025-01-01')).workers, 0);

    // Their module is not ours to record or require.
    const completion = await api(server, lead.token, 'POST', `${workersUrl}/${mine.id}/completions`, { module_id: otherStarter, completed_on: '2024-06-01' });
    assert.equal(completion.status, 400);
    assert.equal((await completion.json()).error.field, 'module_id');
    const requirement = await api(server, lead.token, 'POST', '/api/v1/learning/requirements', { module_id: otherStarter, role_category: 'care_worker', within_days: 30 });
    assert.equal(requirement.status, 400);
    assert.equal((await requirement.json()).error.field, 'module_id');
    const { requirements } = await (await api(server, other.token, 'GET', '/api/v1/learning/requirements')).json();
    assert.deepEqual(requirements, []);
  });

  test('a new worker is answered with its id and every key, and read back the same', async () => {
    const res = await api(server, lead.token, 'POST', workersUrl, {
      worker_id: ' NEW-1 ', name: 'Noor Example', workplace: 'Oak House', job_role: 'Senior care worker', team: 'Days',
      role_category: 'enhanced_care_worker', closeness: 'supervisor', started_on: '2024-02-01',
      care_certificate: 'completed', email: 'Noor@Example.org',
    });
    assert.equal(res.status, 201);
    const w = await res.json();
    assert.ok(Number.isInteger(w.id));
    assert.equal(res.headers.get('location'), `${workersUrl}/${w.id}`);
    assert.equal(w.worker_id, 'NEW-1', 'spaces around it are trimmed');
    assert.equal(w.email, 'noor@example.org');
    assert.equal(w.left_on, null);
    const read = await (await api(server, lead.token, 'GET', `${workersUrl}/${w.id}`)).json();
    assert.deepEqual(read, w);
    // care_certificate left out is not_started.
    const plain = await addWorker(server, lead.token, {
      worker_id: 'NEW-2', name: 'Plain Example', role_category: 'new_to_care', closeness: 'direct_care', started_on: '2024-02-01',
    });
    assert.equal(plain.care_certificate, 'not_started');
    const found = await (await api(server, lead.token, 'GET', `${workersUrl}?q=Noor`)).json();
    assert.deepEqual(found.workers.map((x) => x.worker_id), ['NEW-1']);
    const byRole = await (await api(server, lead.token, 'GET', `${workersUrl}?role_category=new_to_care`)).json();
    assert.deepEqual(byRole.workers.map((x) => x.worker_id), ['NEW-2']);
  });

  test('unknown codes and dates that do not exist are named by field, and nothing is stored', async () => {
    const before = (await (await api(server, lead.token, 'GET', workersUrl)).json()).total;
    const res = await api(server, lead.token, 'POST', workersUrl, {
      worker_id: 'BAD-1', name: 'Bad Input', role_category: 'carer', closeness: 'near', started_on: '2026-02-30',
      care_certificate: 'maybe', email: 'not-an-email',
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.code, 'invalid');
    assert.equal(body.error.field, 'role_category', 'the first problem, in the order of the keys');
    const fields = body.errors.map((e) => e.field);
    for (const f of ['role_category', 'closeness', 'started_on', 'care_certificate', 'email']) assert.ok(fields.includes(f), `${f} in ${fields}`);
    for (const f of ['worker_id', 'name']) assert.ok(!fields.includes(f), `${f} was fine`);
    assert.match(body.errors.find((e) => e.field === 'role_category').message, /care_worker/, 'the message lists the codes to use');

    const missing = await (await api(server, lead.token, 'POST', workersUrl, {})).json();
    assert.deepEqual(missing.errors.map((e) => e.field), ['worker_id', 'name', 'role_category', 'closeness', 'started_on']);

    const order = await (await api(server, lead.token, 'POST', workersUrl, {
      worker_id: 'BAD-2', name: 'Left Early', role_category: 'care_worker', closeness: 'direct_care', started_on: '2025-03-01', left_on: '2025-02-28',
    })).json();
    assert.deepEqual(order.errors.map((e) => e.field), ['left_on']);

    const notText = await (await api(server, lead.token, 'POST', workersUrl, {
      worker_id: 'BAD-3', name: ['Not', 'Text'], role_category: 'care_worker', closeness: 'direct_care', started_on: '2025-03-01',
    })).json();
    assert.equal(notText.error.field, 'name');

    const tooLong = await (await api(server, lead.token, 'POST', workersUrl, {
      worker_id: 'X'.repeat(51), name: 'Long Id', role_category: 'care_worker', closeness: 'direct_care', started_on: '2025-03-01',
    })).json();
    assert.deepEqual(tooLong.errors.map((e) => e.field), ['worker_id']);

    const date = await api(server, lead.token, 'GET', '/api/v1/learning/coverage?date=2026-02-30');
    assert.equal(date.status, 400);
    assert.equal((await date.json()).error.field, 'date');
    const words = await api(server, lead.token, 'GET', '/api/v1/learning/coverage?date=yesterday');
    assert.equal(words.status, 400);

    const after = (await (await api(server, lead.token, 'GET', workersUrl)).json()).total;
    assert.equal(after, before, 'no worker was stored');
  });

  test('a body that is not a JSON object is a 400', async () => {
    for (const [url, body] of [[workersUrl, '{not json'], [workersUrl, '[1, 2]'],
      ['/api/v1/learning/requirements', 'module_id=1'], [`${workersUrl}/1/completions`, '"2025-01-01"']]) {
      const res = await fetch(server.base + url, {
        method: 'POST', headers: { authorization: `Bearer ${lead.token}`, 'content-type': 'application/json' }, body,
      });
      assert.equal(res.status, 400, `${url} with ${body}`);
      assert.equal((await res.json()).error.code, 'bad_request');
    }
  });

  test('a worker ID already used is a 409 naming worker_id, and nothing is written', async () => {
    const first = await addWorker(server, lead.token, {
      worker_id: 'DUP-1', name: 'First Holder', role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-01',
    });
    const before = (await (await api(server, lead.token, 'GET', workersUrl)).json()).total;
    const res = await api(server, lead.token, 'POST', workersUrl, {
      worker_id: 'DUP-1', name: 'Second Holder', role_category: 'supervisor_leader', closeness: 'supervisor', started_on: '2024-01-01',
    });
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.error.code, 'conflict');
    assert.equal(body.error.field, 'worker_id');
    const list = await (await api(server, lead.token, 'GET', workersUrl)).json();
    assert.equal(list.total, before, 'the list count is unchanged');
    assert.equal((await (await api(server, lead.token, 'GET', `${workersUrl}/${first.id}`)).json()).name, 'First Holder');

    // Changing another worker's ID to one in use is refused the same way.
    const second = await addWorker(server, lead.token, {
      worker_id: 'DUP-2', name: 'Other Holder', role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-01',
    });
    const patch = await api(server, lead.token, 'PATCH', `${workersUrl}/${second.id}`, { worker_id: 'DUP-1', team: 'Nights' });
    assert.equal(patch.status, 409);
    assert.equal((await patch.json()).error.field, 'worker_id');
    const unchanged = await (await api(server, lead.token, 'GET', `${workersUrl}/${second.id}`)).json();
    assert.equal(unchanged.worker_id, 'DUP-2');
    assert.equal(unchanged.team, '');

    // The same ID in another organisation is theirs to use.
    const elsewhere = await api(server, other.token, 'POST', workersUrl, {
      worker_id: 'DUP-1', name: 'Elsewhere Holder', role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-01',
    });
    assert.equal(elsewhere.status, 201);
  });

  test('a requirement is listed once; the same one again is a 409, and bad values name their field', async () => {
    const res = await api(server, lead.token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category: 'personal_assistant', within_days: 56 });
    assert.equal(res.status, 201);
    const r = await res.json();
    assert.ok(Number.isInteger(r.id));
    assert.deepEqual([r.module_id, r.module_title, r.role_category, r.within_days, r.workplace],
      [starter, 'Working in co-production', 'personal_assistant', 56, ''], 'no workplace given: every workplace');
    const again = await api(server, lead.token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category: 'personal_assistant', within_days: 10 });
    assert.equal(again.status, 409);
    assert.equal((await again.json()).error.code, 'conflict');
    const { requirements } = await (await api(server, analyst.token, 'GET', '/api/v1/learning/requirements')).json();
    assert.deepEqual(requirements.filter((x) => x.role_category === 'personal_assistant').map((x) => x.within_days), [56],
      'still one requirement, with its first deadline');
    for (const [body, field] of [
      [{ module_id: starter, role_category: 'carer', within_days: 30 }, 'role_category'],
      [{ module_id: starter, role_category: 'care_worker', within_days: -1 }, 'within_days'],
      [{ module_id: starter, role_category: 'care_worker', within_days: 3651 }, 'within_days'],
      [{ module_id: starter, role_category: 'care_worker' }, 'within_days'],
      [{ module_id: 999999, role_category: 'care_worker', within_days: 30 }, 'module_id'],
      [{ role_category: 'care_worker', within_days: 30 }, 'module_id'],
    ]) {
      const bad = await api(server, lead.token, 'POST', '/api/v1/learning/requirements', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal((await bad.json()).error.field, field, JSON.stringify(body));
    }
  });

  test('a completion before the worker started, on a date that does not exist or in the future names completed_on', async () => {
    const w = await addWorker(server, lead.token, {
      worker_id: 'CMP-1', name: 'Completion Tester', role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-10',
    });
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const completed_on of ['2024-01-09', '2026-02-30', '2024-13-01', '01/02/2024', '', tomorrow]) {
      const res = await api(server, lead.token, 'POST', `${workersUrl}/${w.id}/completions`, { module_id: starter, completed_on });
      assert.equal(res.status, 400, completed_on);
      const body = await res.json();
      assert.equal(body.error.code, 'invalid');
      assert.equal(body.error.field, 'completed_on', completed_on);
    }
    const before = await api(server, lead.token, 'POST', `${workersUrl}/${w.id}/completions`, { module_id: starter, completed_on: '2024-01-09' });
    assert.match((await before.json()).error.message, /2024-01-10/, 'the message says when they started');
    const noModule = await api(server, lead.token, 'POST', `${workersUrl}/${w.id}/completions`, { completed_on: '2024-02-01' });
    assert.equal((await noModule.json()).error.field, 'module_id');
    const nobody = await api(server, lead.token, 'POST', `${workersUrl}/999999/completions`, { module_id: starter, completed_on: '2024-02-01' });
    assert.equal(nobody.status, 404);
    // None of those counted: the worker's first completion is still to come.
    const onStart = await addCompletion(server, lead.token, w.id, { module_id: starter, completed_on: '2024-01-10' });
    assert.equal(onStart.worker_id, w.id);
    assert.equal(onStart.module_id, starter);
    assert.equal(onStart.expires_on, '2026-01-10');
  });

  test('PATCH changes only the keys sent; a bad one changes nothing', async () => {
    const w = await addWorker(server, lead.token, {
      worker_id: 'PAT-1', name: 'Patch Tester', workplace: 'Oak House', job_role: 'Carer', team: 'Days', role_category: 'care_worker',
      closeness: 'direct_care', started_on: '2024-01-10', care_certificate: 'in_progress', email: 'patch@example.org',
    });
    const res = await api(server, lead.token, 'PATCH', `${workersUrl}/${w.id}`, { left_on: '2025-12-31', team: 'Nights' });
    assert.equal(res.status, 200);
    const changed = await res.json();
    assert.deepEqual(changed, { ...w, left_on: '2025-12-31', team: 'Nights' });
    assert.deepEqual(await (await api(server, lead.token, 'GET', `${workersUrl}/${w.id}`)).json(), changed);

    const back = await (await api(server, lead.token, 'PATCH', `${workersUrl}/${w.id}`, { left_on: null })).json();
    assert.equal(back.left_on, null, 'null clears the leaving date');
    assert.equal(back.team, 'Nights');

    for (const [body, field] of [[{ closeness: 'far' }, 'closeness'], [{ started_on: '2024-02-30' }, 'started_on'],
      [{ left_on: '2023-01-01' }, 'left_on'], [{ name: '' }, 'name'], [{ role_category: 7 }, 'role_category']]) {
      const bad = await api(server, lead.token, 'PATCH', `${workersUrl}/${w.id}`, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal((await bad.json()).error.field, field);
    }
    assert.deepEqual(await (await api(server, lead.token, 'GET', `${workersUrl}/${w.id}`)).json(), back, 'the bad changes stored nothing');
    assert.equal((await api(server, lead.token, 'PATCH', `${workersUrl}/999999`, { team: 'x' })).status, 404);
    assert.equal((await api(server, lead.token, 'GET', `${workersUrl}/not-a-number`)).status, 404);
  });

  test('DELETE erases the worker, and their completions leave coverage', async () => {
    const res = await api(server, lead.token, 'POST', '/api/v1/learning/requirements', { module_id: starter, role_category: 'practice_leader', within_days: 30 });
    assert.equal(res.status, 201);
    const w = await addWorker(server, lead.token, {
      worker_id: 'DEL-1', name: 'Delete Tester', role_category: 'practice_leader', closeness: 'senior_manager', started_on: '2024-01-10',
    });
    await addCompletion(server, lead.token, w.id, { module_id: starter, completed_on: '2024-02-01' });
    const practice = async () => (await coverage(server, lead.token, '2024-06-30')).by_role_category.find((r) => r.role_category === 'practice_leader');
    assert.deepEqual(await practice(), row('role_category', 'practice_leader', 1, 1, 1));

    const del = await api(server, lead.token, 'DELETE', `${workersUrl}/${w.id}`);
    assert.equal(del.status, 204);
    assert.equal(await del.text(), '');
    assert.equal((await api(server, lead.token, 'GET', `${workersUrl}/${w.id}`)).status, 404);
    assert.equal((await api(server, lead.token, 'DELETE', `${workersUrl}/${w.id}`)).status, 404, 'erasing twice finds nothing');
    assert.equal((await api(server, lead.token, 'POST', `${workersUrl}/${w.id}/completions`, { module_id: starter, completed_on: '2024-03-01' })).status, 404);
    assert.deepEqual(await practice(), row('role_category', 'practice_leader', 0, 0, null));
    const list = await (await api(server, lead.token, 'GET', `${workersUrl}?q=DEL-1`)).json();
    assert.equal(list.total, 0);
    // The worker ID is free again.
    await addWorker(server, lead.token, {
      worker_id: 'DEL-1', name: 'Returner', role_category: 'care_worker', closeness: 'direct_care', started_on: '2025-01-10',
    });
  });
});

describe('the audit trail of worker records', () => {
  let server;
  let lead;
  const name = 'Zebedee Quartermaine';
  const email = 'zebedee.q@example.org';

  // Every audit log row, newest first: { at, actor, action, subject, address }.
  async function auditRows() {
    const c = new Client(server.base);
    await c.signIn();
    const rows = [];
    for (let page = 1; page <= 20; page += 1) {
      const res = await c.get(`/admin/audit-log?page=${page}`);
      assert.equal(res.status, 200);
      for (const tr of res.text_.matchAll(/<tr class="govuk-table__row">\s*(<td[\s\S]*?)<\/tr>/g)) {
        const cells = [...tr[1].matchAll(/<td class="govuk-table__cell">([\s\S]*?)<\/td>/g)].map((m) => m[1].trim());
        if (cells.length === 5) rows.push({ at: cells[0], actor: cells[1], action: cells[2], subject: cells[3], address: cells[4] });
      }
      if (!res.text_.includes(`page=${page + 1}`)) return { rows, html: res.text_ };
    }
    throw new Error('the audit log has more than 20 pages');
  }

  before(async () => {
    server = await startServer();
    lead = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead');
  });
  after(async () => { await server?.stop(); });

  test('every read and change of a worker is recorded, naming who and which record but not the worker', async () => {
    const starter = await starterId(server, lead.token);
    const byLead = async () => (await auditRows()).rows.filter((r) => r.actor === 'learning@example.org');
    let seen = (await byLead()).length;
    // What each call added to the log, newest first.
    const added = async (what) => {
      const rows = await byLead();
      const fresh = rows.slice(0, rows.length - seen);
      seen = rows.length;
      assert.ok(fresh.length > 0, `${what} is in the audit log`);
      return fresh;
    };

    const w = await addWorker(server, lead.token, {
      worker_id: 'AUD-1', name, role_category: 'care_worker', closeness: 'direct_care', started_on: '2024-01-10', email,
    });
    const subject = `Worker ${w.id}`;
    const steps = {};
    steps.create = await added('adding a worker');
    assert.equal((await api(server, lead.token, 'GET', `${workersUrl}/${w.id}`)).status, 200);
    steps.read = await added('reading a worker');
    assert.equal((await api(server, lead.token, 'PATCH', `${workersUrl}/${w.id}`, { team: 'Days' })).status, 200);
    steps.update = await added('changing a worker');
    await addCompletion(server, lead.token, w.id, { module_id: starter, completed_on: '2024-02-01' });
    steps.completion = await added('recording a completion');
    assert.equal((await api(server, lead.token, 'DELETE', `${workersUrl}/${w.id}`)).status, 204);
    steps.erase = await added('erasing a worker');
    for (const [step, rows] of Object.entries(steps)) {
      for (const r of rows) assert.equal(r.subject, subject, `${step}: ${JSON.stringify(r)}`);
      assert.ok(rows.every((r) => r.address.length > 0), `${step}: the network address is kept`);
    }
    // Each change is told apart from the others and from a read.
    const actions = (rows) => new Set(rows.map((r) => r.action));
    const readAction = steps.read[0].action;
    for (const step of ['create', 'update', 'completion', 'erase']) {
      assert.ok([...actions(steps[step])].some((a) => a !== readAction), `${step} is recorded as more than a read`);
    }
    const changeAction = (step) => [...actions(steps[step])].find((a) => a !== readAction);
    const kinds = ['create', 'update', 'completion', 'erase'].map(changeAction);
    assert.equal(new Set(kinds).size, 4, `four kinds of change: ${kinds.join(', ')}`);

    assert.equal((await api(server, lead.token, 'GET', `${workersUrl}?q=Zebedee`)).status, 200);
    const list = await added('searching the workforce');
    assert.match(list[0].subject, /^Organisation \d+$/);

    const { html } = await auditRows();
    assert.ok(!html.includes('Zebedee') && !html.includes('Quartermaine'), "the audit log does not hold the worker's name");
    assert.ok(!html.includes(email), "nor their email address");
  });

  test("the server's log output holds no worker's name or email", async () => {
    // Searching by name puts it in the query string; a failed add puts it in the body.
    await api(server, lead.token, 'GET', `${workersUrl}?q=${encodeURIComponent(name)}`);
    await api(server, lead.token, 'POST', workersUrl, { worker_id: 'AUD-2', name, email, role_category: 'nope' });
    const logs = server.stdout() + server.stderr();
    assert.ok(logs.includes('/api/v1/learning/workers'), 'the requests were logged');
    for (const part of ['Zebedee', 'Quartermaine', email]) assert.ok(!logs.includes(part), `${part} is not in the log`);
  });
});
