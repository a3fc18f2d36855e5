// Durability of acknowledged writes when the server process is killed
// (issue 14). Each cycle starts `coproduce serve` on the same database, has
// several clients create people through the JSON API as fast as they can,
// SIGKILLs the server at a random moment while writes are in flight, starts
// it again and reads back every write that was answered 201: each must be
// there with the fields that were sent. A final sweep through the people
// list checks every acknowledged write of every cycle once more.
//
// Run it through bench/durability/run, which picks the engine: on SQLite a
// file in a temporary folder, on PostgreSQL a database on the throwaway
// server of scripts/with-postgres ($COPRODUCE_TEST_POSTGRES).
//
//   node bench/durability/durability.mjs [--cycles 100] [--clients 4]
//
// Prints the cycles, acknowledged writes and writes lost; exits 1 when any
// acknowledged write is missing or changed, 2 when the run itself fails.
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  api, dropDatabase, engine, freshDatabase, run, sleep, startServer,
} from '../../tests/support/server.mjs';

const { values: opts } = parseArgs({
  options: {
    cycles: { type: 'string', default: '100' },
    clients: { type: 'string', default: '4' },
    // The server is killed this long after the clients start, chosen
    // uniformly at random in the range each cycle.
    'kill-after-ms': { type: 'string', default: '50-600' },
    seed: { type: 'string' },
  },
});
const cycles = Number(opts.cycles);
const clients = Number(opts.clients);
const [killMin, killMax] = opts['kill-after-ms'].split('-').map(Number);
if (!(cycles >= 1 && clients >= 1 && killMin >= 0 && killMax >= killMin)) {
  console.error('durability: --cycles and --clients must be 1 or more, --kill-after-ms MIN-MAX');
  process.exit(2);
}

// A small seeded generator (mulberry32), so a run can be repeated with --seed.
const seed = opts.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(opts.seed);
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}

const n = (x) => x.toLocaleString('en-GB');

// The person a client sends: every field that is checked afterwards is
// unique to the write, so a row written by another request cannot pass for it.
function personFor(cycle, client, i) {
  const tag = `c${cycle}-k${client}-n${i}`;
  return {
    name: `Durability ${tag}`,
    email: `durability-${tag}@example.org`,
    phone: `01632 960 ${String(i % 1000).padStart(3, '0')}`,
    area: `Area ${tag}`,
    consent: true,
    lived_experience: ['unpaid_carer'],
    pool_categories: { cycle: String(cycle), client: String(client), serial: String(i) },
  };
}

// What is wrong with `got` as the stored form of `sent`, or '' when nothing
// is. The people list gives only the person's own columns (no pool
// categories, no consent), so the sweep passes `full` false.
function difference(sent, got, { full = true } = {}) {
  for (const key of ['name', 'email', 'phone', 'area']) {
    if (got[key] !== sent[key]) return `${key} is ${JSON.stringify(got[key])}, sent ${JSON.stringify(sent[key])}`;
  }
  if (!full) return '';
  for (const [k, v] of Object.entries(sent.pool_categories)) {
    if (got.pool_categories?.[k] !== v) return `pool category ${k} is ${JSON.stringify(got.pool_categories?.[k])}, sent "${v}"`;
  }
  if (got.consent?.active !== true) return 'consent is not active';
  if (got.erased) return 'the record is marked erased';
  return '';
}

// One client: creates people until `stopped()`, one request at a time.
// Returns { acknowledged: [{ id, sent }], refused, failed }: refused counts
// answers other than 201, failed counts requests that got no answer.
async function writer(server, token, cycle, client, stopped, inFlight) {
  const acknowledged = [];
  let refused = 0;
  let failed = 0;
  for (let i = 0; !stopped(); i += 1) {
    const sent = personFor(cycle, client, i);
    inFlight.count += 1;
    try {
      const res = await api(server, token, 'POST', '/api/v1/people', sent);
      // The status line is the acknowledgement: the id comes from Location,
      // so a body cut off by the kill still counts.
      if (res.status === 201) {
        const id = Number(/\/api\/v1\/people\/(\d+)$/.exec(res.headers.get('location') || '')?.[1]);
        acknowledged.push({ id, sent });
      } else {
        refused += 1;
        if (refused <= 3 && !stopped()) console.error(`  cycle ${cycle}: POST /api/v1/people answered ${res.status}`);
      }
      await res.arrayBuffer().catch(() => {});
    } catch {
      failed += 1;
    } finally {
      inFlight.count -= 1;
    }
  }
  return { acknowledged, refused, failed };
}

// Reads back each write with GET /api/v1/people/{id}, `clients` at a time.
// Returns the lost ones as [{ id, sent, why }].
async function checkEach(server, token, writes) {
  const lost = [];
  let next = 0;
  async function reader() {
    while (next < writes.length) {
      const w = writes[next++];
      if (!Number.isInteger(w.id)) {
        lost.push({ ...w, why: 'the 201 answer had no Location' });
        continue;
      }
      const res = await api(server, token, 'GET', `/api/v1/people/${w.id}`);
      if (res.status !== 200) {
        lost.push({ ...w, why: `GET answered ${res.status}` });
        await res.arrayBuffer();
        continue;
      }
      const why = difference(w.sent, await res.json());
      if (why) lost.push({ ...w, why });
    }
  }
  await Promise.all(Array.from({ length: clients }, reader));
  return lost;
}

// Every person of the organisation, through the paged list.
async function everyone(server, token) {
  const byId = new Map();
  for (let offset = 0; ; offset += 1000) {
    const res = await api(server, token, 'GET', `/api/v1/people?limit=1000&offset=${offset}`);
    if (res.status !== 200) throw new Error(`GET /api/v1/people answered ${res.status}`);
    const page = await res.json();
    for (const p of page.people) byId.set(p.id, p);
    if (page.people.length < 1000) return byId;
  }
}

async function main() {
  const started = Date.now();
  const { dir, db } = await freshDatabase();
  // One pool-staff user and API token per client; the people API has no
  // rate limit, so nothing but the server's own speed paces the writes.
  const tokens = [];
  for (let k = 0; k < clients; k += 1) {
    const email = `writer${k}@example.org`;
    await run(['admin', 'create-user', '--database', db, '--organisation', 'Test Council', '--email', email,
      '--role', 'coproduction-lead'], { input: 'a long enough password\n' });
    const out = await run(['admin', 'create-token', '--database', db, '--email', email]);
    tokens.push(out.trim().split('\n').at(-1));
  }

  console.log(`durability on ${engine}: ${n(cycles)} cycles, ${clients} clients writing through POST /api/v1/people, ` +
    `SIGKILL ${killMin}-${killMax} ms after they start (seed ${seed})`);

  const all = [];           // every acknowledged write, all cycles
  const lostIds = new Map(); // id (or a placeholder) -> { sent, why }
  let pending = [];         // acknowledged in the last cycle, not yet read back
  let inFlightAtKills = 0;
  let refused = 0;
  let failed = 0;
  let server;

  function noteLost(cycle, lost) {
    for (const l of lost) {
      const key = Number.isInteger(l.id) ? l.id : `?${l.sent.name}`;
      if (lostIds.has(key)) continue;
      lostIds.set(key, l);
      if (lostIds.size <= 10) console.log(`  LOST after cycle ${cycle}: ${l.sent.name} (id ${l.id}): ${l.why}`);
    }
  }

  try {
    for (let cycle = 1; cycle <= cycles + 1; cycle += 1) {
      server = await startServer({ db });
      // The previous cycle's acknowledged writes, after its kill and this restart.
      noteLost(cycle - 1, await checkEach(server, tokens[0], pending));
      pending = [];
      if (cycle > cycles) break;

      let killed = false;
      const inFlight = { count: 0 };
      const stopped = () => killed;
      const runs = tokens.map((t, k) => writer(server, t, cycle, k, stopped, inFlight));
      await sleep(killMin + random() * (killMax - killMin));
      // In one turn of the event loop: no answer can arrive between the
      // count and the kill.
      killed = true;
      inFlightAtKills += inFlight.count;
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      for (const r of await Promise.all(runs)) {
        pending.push(...r.acknowledged);
        refused += r.refused;
        failed += r.failed;
      }
      all.push(...pending);
      server = undefined;

      if (cycle % 10 === 0 || cycle === cycles) {
        console.log(`  ${engine}: cycle ${n(cycle)}/${n(cycles)}: ${n(all.length)} acknowledged writes, ` +
          `${n(lostIds.size)} lost so far, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    }

    // Once more, every acknowledged write of the run in one sweep: a later
    // kill must not have taken back an earlier cycle's write.
    const stored = await everyone(server, tokens[0]);
    const sweepLost = [];
    for (const w of all) {
      const got = stored.get(w.id);
      if (!got) sweepLost.push({ ...w, why: 'missing from the people list at the end' });
      else {
        const why = difference(w.sent, got, { full: false });
        if (why) sweepLost.push({ ...w, why: `at the end: ${why}` });
      }
    }
    noteLost(cycles, sweepLost);
    const acknowledgedIds = new Set(all.map((w) => w.id));
    let unanswered = 0;
    for (const p of stored.values()) {
      if (p.name?.startsWith('Durability ') && !acknowledgedIds.has(p.id)) unanswered += 1;
    }

    await server.stop();
    server = undefined;

    const seconds = (Date.now() - started) / 1000;
    console.log(`${engine}: ${n(cycles)} cycles, ${n(all.length)} acknowledged writes, ${n(lostIds.size)} writes lost`);
    console.log(`  ${n(inFlightAtKills)} writes were in flight at the kills (${(inFlightAtKills / cycles).toFixed(1)} a cycle); ` +
      `${n(failed)} writes got no answer, of which ${n(unanswered)} were stored all the same ` +
      `(committed, answer lost with the process); ${n(refused)} answered other than 201; ${seconds.toFixed(0)} s`);
    return lostIds.size === 0 ? 0 : 1;
  } finally {
    if (server) {
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
    }
    await dropDatabase(db);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`durability: ${e.stack || e}`);
  process.exitCode = 2;
});
