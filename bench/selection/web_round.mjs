// A recruitment round on a large pool, the way a co-production lead runs one
// on the web (issue 16, "On the web"): the pool is imported as a file
// through the import page and confirmed, a group is made, a round is set up
// with quotas on every category of the file, and the run is queued as a job.
// While it runs, each new progress sentence the lead would see is printed
// with the time it appeared; at the end the round's report (the algorithm,
// whether it finished, the proven gap, the time) is printed, and the round's
// page is checked to show the same.
//
// The pool is the selection benchmark's volunteer pool
// (build/bench/selection_generate_pool), with a name, an e-mail address and
// consent added to each row so that the import takes it.
//
//   node bench/selection/web_round.mjs [--people 2500] [--categories 7]
//        [--size 60] [--seed 1] [--algorithm leximin]
//
// Exits 1 when the round does not finish as done or the page does not show
// its report; 2 when the run itself cannot start.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  admin, api, root, sleep, startServer, userWithRole,
} from '../../tests/support/server.mjs';

const { values: opts } = parseArgs({
  options: {
    people: { type: 'string', default: '2500' },
    categories: { type: 'string', default: '7' },
    size: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    algorithm: { type: 'string', default: 'leximin' },
  },
});
const generator = path.resolve(root, process.env.COPRODUCE_BUILD || 'build', 'bench', 'selection_generate_pool');

function fail(code, message) {
  console.error(`web_round: ${message}`);
  process.exit(code);
}

// RFC 4180 is not needed: the generated files hold plain codes only.
const rows = (text) => text.trim().split('\n').map((line) => line.split(','));

const dir = await mkdtemp(path.join(tmpdir(), 'web-round-'));
let server;
try {
  try {
    execFileSync(generator, [opts.people, opts.categories, opts.size, opts.seed, dir, 'volunteer']);
  } catch (e) {
    fail(2, `could not make the pool with ${generator} (build it with ninja -C build): ${e.message}`);
  }
  const [peopleHeader, ...people] = rows(await readFile(path.join(dir, 'people.csv'), 'utf8'));
  const [, ...quotaRows] = rows(await readFile(path.join(dir, 'quotas.csv'), 'utf8'));
  const categories = peopleHeader.slice(1);
  const file = [['id', 'name', 'email', 'consent', ...categories].join(',')]
    .concat(people.map(([id, ...values], i) => [id, `Pool Person ${i + 1}`, `person${i + 1}@example.org`, 'yes', ...values].join(',')))
    .join('\n');

  server = await startServer();
  const { client: lead, token } = await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead');

  let t = Date.now();
  await lead.get('/people/import');
  const preview = await lead.postFiles('/people/import', { id_column: 'id' },
    [{ field: 'file', name: 'pool.csv', content: file }], { formPage: '/people/import' });
  const pending = preview.text_.match(/name="pending" value="(\d+)"/);
  if (preview.status !== 200 || !pending) fail(2, `the import page did not preview the pool (HTTP ${preview.status})`);
  const imported = await lead.post('/people/import/confirm', { pending: pending[1] });
  if (imported.status !== 303) fail(2, `the import was not confirmed (HTTP ${imported.status})`);
  console.log(`imported ${people.length} people with ${categories.length} categories through /people/import in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const groupRes = await api(server, token, 'POST', '/api/v1/groups', {
    name: 'County-wide involvement panel', purpose: 'Advise on adult social care', setting: 'council',
    size: Number(opts.size), ladder_aim: 'co_production',
  });
  if (groupRes.status !== 201) fail(2, `the group was not made (HTTP ${groupRes.status})`);
  const group = await groupRes.json();
  const quotas = quotaRows.map(([category, value, min, max]) => ({
    category: `pool:${category}`, value, min: Number(min), max: Number(max),
  }));
  const created = await api(server, token, 'POST', `/api/v1/groups/${group.id}/recruit`, {
    categories: categories.map((c) => `pool:${c}`), quotas, algorithm: opts.algorithm,
  });
  if (created.status !== 201) fail(2, `the round was not set up (HTTP ${created.status}): ${await created.text()}`);
  const round = await created.json();

  t = Date.now();
  const queued = await api(server, token, 'POST', `/api/v1/recruit/${round.id}/run`);
  if (queued.status !== 202) fail(2, `the round was not queued (HTTP ${queued.status})`);
  let last = '';
  let done;
  for (;;) {
    done = await (await api(server, token, 'GET', `/api/v1/recruit/${round.id}`)).json();
    if (!['queued', 'running'].includes(done.status)) break;
    const progress = done.progress || done.status;
    if (progress !== last) {
      console.log(`${((Date.now() - t) / 1000).toFixed(0).padStart(5)} s  ${progress}`);
      last = progress;
    }
    await sleep(1000);
  }
  const wall = (Date.now() - t) / 1000;
  console.log(`\nround ${round.id}: ${done.status} after ${wall.toFixed(1)} s (queued to finished, polled each second)`);
  if (done.status !== 'done') fail(1, `the round ended ${done.status}: ${done.message ?? ''}`);
  const figures = [
    ['algorithm', done.algorithm],
    ['finished (proven)', done.complete ? 'yes' : 'no: stopped at the time limit'],
    ['proven gap', done.proven_gap.toExponential(1)],
    ['proven by', done.proven_by ?? '-'],
    ['time in the engine', `${done.seconds.toFixed(1)} s`],
    ['types', done.types],
    ['stages', done.stages],
    ['probability levels', done.probability_levels],
    ['panels made / kept', `${done.panels_generated} / ${done.panels_kept}`],
    ['smallest chance', done.fairness.minimum.toFixed(5)],
    ['largest chance', done.fairness.maximum.toFixed(5)],
  ];
  for (const [name, value] of figures) console.log(`  ${name.padEnd(20)} ${value}`);

  // What the lead sees: the round's page names the way, the proof and the time.
  const page = await lead.get(`/groups/${group.id}/rounds/${round.id}`);
  const shown = (term) => page.text_.match(new RegExp(`${term}</dt><dd class="govuk-summary-list__value">([^<]*)<`))?.[1];
  const wanted = ['Way of making it fair', 'Proven', 'Proven gap', 'Time taken'];
  for (const term of wanted) {
    const value = shown(term);
    if (value === undefined) fail(1, `the round's page does not show "${term}"`);
    console.log(`  page: ${term}: ${value}`);
  }
} finally {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}
