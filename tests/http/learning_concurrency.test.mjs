// The learning pages that check and then write, under concurrent requests:
// confirming an ASC-WDS import, inviting a worker to a learner account (and
// erasing them at the same moment), and planning live sessions from one
// group of co-trainers. Each test sends its requests at once and checks
// that exactly one succeeds, or that what is stored agrees with the
// requests taking turns. Run it on SQLite and again on PostgreSQL
// (scripts/with-postgres), where requests really do run at the same time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, engine, runCommand, startServer, userWithRole, waitForRound,
} from '../support/server.mjs';
import { auditCount } from '../support/audit.mjs';

// Sends every request at once and returns the responses in order.
const all = (thunks) => Promise.all(thunks.map((f) => f()));
const statuses = (responses) => responses.map((r) => r.status);
const count = (xs, x) => xs.filter((y) => y === x).length;

async function addWorker(server, token, worker) {
  const res = await api(server, token, 'POST', '/api/v1/learning/workers', {
    role_category: 'care_worker', closeness: 'direct_care', workplace: 'Oak House', started_on: '2024-01-10', ...worker,
  });
  assert.equal(res.status, 201, `adding ${worker.worker_id}: ${await res.clone().text()}`);
  return res.json();
}

describe(`learning: check-then-write under concurrent requests (${engine})`, () => {
  let server;
  let learning;
  let learningToken;

  before(async () => {
    server = await startServer();
    ({ client: learning, token: learningToken } = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead'));
    await learning.get('/learning/import');  // the CSRF cookie, before requests go at once
  });
  after(async () => { await server?.stop(); });

  test('an ASC-WDS import confirmed 6 times at once is imported once, in each of 3 rounds', async () => {
    for (let i = 1; i <= 8; i += 1) await addWorker(server, learningToken, { worker_id: `LCW-${i}`, name: `Import Worker ${i}` });
    const exported = await learning.get('/learning/export/workers.csv');
    assert.equal(exported.status, 200);
    const addedBefore = await auditCount(server, "Added a worker's record");
    // A race may go the right way by chance, so it is run more than once.
    for (let round = 1; round <= 3; round += 1) {
      // The same eight people under new worker IDs: eight workers to add.
      const file = exported.text_.replaceAll('LCW-', `LC${round}-`);
      assert.equal((file.match(new RegExp(`LC${round}-`, 'g')) || []).length, 8, file);
      const form = new FormData();
      form.append('csrf_token', learning.cookies.get('coproduce_csrf'));
      form.append('workers', new Blob([file], { type: 'text/csv' }), 'workers.csv');
      const preview = await learning.request('POST', '/learning/import', { body: form });
      assert.equal(preview.status, 200, preview.text_.slice(0, 500));
      const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];

      const res = await all(Array.from({ length: 6 }, () => () => learning.post('/learning/import/confirm', { pending })));
      const s = statuses(res);
      assert.equal(count(s, 303), 1, `round ${round}, statuses: ${s}`);
      assert.equal(count(s, 404), 5, `round ${round}, statuses: ${s}`);
      assert.match(decodeURIComponent(res[s.indexOf(303)].headers.get('location')), /8 workers added, 0 updated/);
      assert.ok(res.filter((r) => r.status === 404).every((r) => /already been confirmed/.test(r.text_)),
        'the others are told the import was confirmed already');
    }
    const workers = await (await api(server, learningToken, 'GET', '/api/v1/learning/workers?limit=500')).json();
    assert.equal(workers.total, 32, 'eight workers typed in and eight imported in each round, once');
    assert.equal(await auditCount(server, "Added a worker's record") - addedBefore, 24);
    assert.equal(await auditCount(server, "Changed a worker's record"), 0, 'no confirmation imported a file again');
  });

  test('a worker invited 4 times at once gets one learner account and one link', async () => {
    const w = await addWorker(server, learningToken, { worker_id: 'LCI-1', name: 'Ivy Invite', email: 'ivy@example.org' });
    const res = await all(Array.from({ length: 4 }, () => () => learning.post(`/learning/workers/${w.id}/invite`, {})));
    const s = statuses(res);
    assert.equal(count(s, 200), 1, `statuses: ${s}`);
    assert.equal(count(s, 409), 3, `statuses: ${s}`);
    assert.ok(res.filter((r) => r.status === 409).every((r) => /already been invited/.test(r.text_)),
      'the others are told the worker was invited already');
    const link = res[s.indexOf(200)].text_.match(/href="[^"]*(\/invitation\/[^"]+)"/)[1];
    assert.equal((await new Client(server.base).get(link)).status, 200, 'the one link works');
    assert.equal(await auditCount(server, "Linked a learner account to a worker's record"), 1);
    assert.match((await learning.get(`/learning/workers/${w.id}`)).text_, /Ivy Invite has a learner account/);
  });

  test('a worker erased while being invited keeps no account and no working link', async () => {
    for (let i = 1; i <= 4; i += 1) {
      const email = `eve${i}@example.org`;
      const w = await addWorker(server, learningToken, { worker_id: `LCE-${i}`, name: `Eve Erased ${i}`, email });
      const [invited, erased] = await all([
        () => learning.post(`/learning/workers/${w.id}/invite`, {}),
        () => learning.post(`/learning/workers/${w.id}/erase`, {}),
      ]);
      assert.equal(erased.status, 200, erased.text_.slice(0, 300));
      assert.ok([200, 404].includes(invited.status), `invite answered ${invited.status}: ${invited.text_.slice(0, 300)}`);
      if (invited.status === 200) {
        const link = invited.text_.match(/href="[^"]*(\/invitation\/[^"]+)"/)[1];
        assert.equal((await new Client(server.base).get(link)).status, 404, 'the link died with the record');
      }
      // No account holds the email any more, so an administrator can make one with it.
      const made = await runCommand(['admin', 'create-user', '--database', server.db, '--organisation', admin.organisation,
        '--email', email, '--role', 'analyst'], { input: 'a long enough password\n' });
      assert.equal(made.code, 0, `an account still holds ${email}: ${made.stdout}${made.stderr}`);
    }
  });

  describe('live sessions planned at once from one group of co-trainers', () => {
    let lead;
    let token;
    let group;

    before(async () => {
      ({ client: lead, token } = await userWithRole(server, admin.organisation, 'colead@example.org', 'coproduction-lead'));
      for (let i = 0; i < 8; i += 1) {
        const res = await api(server, token, 'POST', '/api/v1/people', {
          name: `Trainer Person ${i}`, email: `trainer${i}@example.org`, consent: true, payment: 'paid',
          lived_experience: [i % 2 ? 'unpaid_carer' : 'draws_on_care'],
        });
        assert.equal(res.status, 201, await res.clone().text());
      }
      group = await (await api(server, token, 'POST', '/api/v1/groups', {
        name: 'Co-trainers', purpose: 'Co-deliver training', setting: 'care_provider', size: 6, ladder_aim: 'co_production',
      })).json();
      const round = await (await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['experience'], quotas: [] })).json();
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`)).status, 202);
      await waitForRound(server, token, round.id);
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/draw`, {})).status, 200);
      assert.equal((await api(server, token, 'POST', `/api/v1/recruit/${round.id}/invite`)).status, 200);
      const g = await (await api(server, token, 'GET', `/api/v1/groups/${group.id}`)).json();
      assert.equal(g.members.length, 6);
      for (const m of g.members) {
        const res = await lead.post(`/groups/${group.id}/members/${m.person_id}/respond`, { answer: 'accept' }, { formPage: `/groups/${group.id}` });
        assert.equal(res.status, 303);
      }
    });

    test('3 sessions of 2 co-trainers, planned at once from a group of 6, ask each person once', async () => {
      const { modules } = await (await api(server, token, 'GET', '/api/v1/learning/modules')).json();
      const starter = modules.find((m) => m.starter).id;
      await lead.get('/learning/sessions/new');
      const plan = (i) => () => lead.post('/learning/sessions', {
        module_id: String(starter), group_id: String(group.id), trainers: '2', title: `Session ${i}`,
        day: String(10 + i), month: '3', year: String(new Date().getFullYear() + 1), time: '10:00',
        duration_minutes: '120', place: 'Oak House', link: '',
      });
      const res = await all([0, 1, 2].map(plan));
      const s = statuses(res);
      assert.deepEqual(s, [303, 303, 303], res.map((r) => r.text_.slice(0, 300)).join('\n'));
      const trainers = [];
      for (const r of res) {
        const page = (await lead.get(r.headers.get('location'))).text_;
        const list = page.slice(page.indexOf('Co-trainers</h2>'), page.indexOf('</ul>', page.indexOf('Co-trainers</h2>')));
        const names = [...list.matchAll(/<li>(Trainer Person \d+):/g)].map((m) => m[1]);
        assert.equal(names.length, 2, list);
        trainers.push(...names);
      }
      assert.equal(new Set(trainers).size, 6,
        `each session counts the others' co-trainers, so all six are asked once: ${trainers.join(', ')}`);
    });
  });
});
