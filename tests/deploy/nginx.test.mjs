// Coproduce as it is deployed: a PostgreSQL database, two `coproduce serve`
// processes started with the command line of docs/deploy/coproduce@.service,
// and Debian's nginx in front of them with docs/deploy/nginx-site.conf (its
// ports, host name and certificate replaced), all on loopback. Staff journeys
// run through nginx with requests shared between the processes; then one
// process is killed with SIGKILL while writers are busy, and nginx must carry
// on with the other without losing a write it acknowledged.
//
// Run by `make test-deploy` (under scripts/with-postgres); nginx runs with its
// own configuration in a temporary folder (tests/deploy/nginx.conf.template),
// so a system nginx, if there is one, is neither used nor disturbed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  Client, admin, api, bin, dropDatabase, freePort, newDatabase, postgresSocket, root, run, sleep, waitForRound,
} from '../support/server.mjs';

const execFileAsync = promisify(execFile);

const nginxBin = process.env.COPRODUCE_NGINX || '/usr/sbin/nginx';
const unitFile = path.join(root, 'docs/deploy/coproduce@.service');
const envFile = path.join(root, 'docs/deploy/coproduce.env');
const siteFile = path.join(root, 'docs/deploy/nginx-site.conf');

// nginx answers with a certificate made for this run; the client talks only
// to it, on loopback.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

function whichSync(name) {
  return (process.env.PATH || '').split(':').some((d) => d && existsSync(path.join(d, name)));
}

const skip = (!postgresSocket && 'needs a PostgreSQL server: run it with `make test-deploy` (scripts/with-postgres)')
  || (!existsSync(nginxBin) && `needs nginx at ${nginxBin}: run scripts/install-deps`)
  || (!whichSync('openssl') && 'needs openssl for the test certificate: run scripts/install-deps');

// The unit's settings by key ([Service] and the rest alike; no key repeats).
async function readUnit() {
  const text = await readFile(unitFile, 'utf8');
  const settings = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) settings[m[1]] = m[2];
  }
  return settings;
}

// The NAME=value lines of docs/deploy/coproduce.env.
async function readEnvFile() {
  const env = {};
  for (const line of (await readFile(envFile, 'utf8')).split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

// The unit's ExecStart as an argument list for instance `port`, as systemd
// would run it: %i is the instance, ${NAME} a whole argument from the
// environment file, and the checkout in /opt/coproduce is this build.
function unitCommand(execStart, port, env) {
  assert.doesNotMatch(execStart, /["'\\]/, 'ExecStart is split on spaces here: no quoting');
  const line = execStart.replaceAll('%i', String(port));
  assert.doesNotMatch(line, /%./, 'only the %i specifier is substituted here');
  const buildDir = path.dirname(bin);
  return line.split(/\s+/).map((word) => {
    const expanded = word.replace(/\$\{(\w+)\}/g, (_, name) => {
      assert.ok(name in env, `${name}, used by ExecStart, is in docs/deploy/coproduce.env`);
      return env[name];
    });
    if (expanded === '/opt/coproduce/build/coproduce') return bin;
    return expanded.replace(/^\/opt\/coproduce\/build\//, `${buildDir}/`).replace(/^\/opt\/coproduce\//, `${root}/`);
  });
}

// A `coproduce serve` process run from `argv`. Resolves once /healthz answers
// 200, with what the process says and the prefix of its request ids (each
// process has its own, so a response's X-Request-Id names who answered it).
async function startProcess(name, argv, env) {
  const port = Number(/--listen 127\.0\.0\.1:(\d+)/.exec(argv.join(' '))[1]);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  let exit = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exit = { code, signal }; resolve(exit); });
    child.on('error', (e) => { stderr += `${e.message}\n`; exit = { code: null, signal: null, error: e.code }; resolve(exit); });
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exit) throw new Error(`${name} exited early (${JSON.stringify(exit)}):\n${stderr}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) {
        const prefix = res.headers.get('x-request-id').split('-')[0];
        return {
          name, port, base, child, prefix, exited, exit: () => exit, stdout: () => stdout, stderr: () => stderr,
        };
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer /healthz with 200 within 30 s:\n${stderr}`);
    }
    await sleep(100);
  }
}

async function stopProcess(p, signal = 'SIGTERM') {
  if (!p || p.exit()) return p?.exit();
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
  const e = await p.exited;
  clearTimeout(timer);
  return e;
}

// docs/deploy/nginx-site.conf with each of `pairs` replaced exactly once, so a
// change to the documented file cannot quietly leave the test on old values.
async function siteConfig(pairs) {
  let text = await readFile(siteFile, 'utf8');
  for (const [from, to] of pairs) {
    assert.equal(text.split(from).length - 1, 1, `docs/deploy/nginx-site.conf has "${from}" once`);
    text = text.replace(from, to);
  }
  return text;
}

// Which process answered a response that came through nginx.
function servedBy(res, processes) {
  const id = res.headers.get('x-request-id') || '';
  return processes.find((p) => id.startsWith(`${p.prefix}-`))?.name;
}

describe('two coproduce processes behind nginx on PostgreSQL', { skip, timeout: 180_000 }, () => {
  let dir;
  let db;
  let unit;
  let env;
  let a;
  let b;
  let nginx;
  let nginxExit;
  let nginxLog = '';
  let proxy; // nginx: { base, db } as api() and Client take a server, and httpBase
  let token;
  let staff; // a signed-in Client through nginx
  const people = {};

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-deploy-'));
    await chmod(dir, 0o755); // nginx's workers run as nobody when the test runs as root
    await mkdir(path.join(dir, 'temp'));
    // An empty database: both processes start on it at once and race to
    // apply the migrations, as two instances do at boot after an upgrade.
    db = await newDatabase(dir);
    const ports = new Set();
    while (ports.size < 4) ports.add(await freePort());
    const [portA, portB, httpPort, httpsPort] = ports;
    proxy = { base: `https://127.0.0.1:${httpsPort}`, db, httpBase: `http://127.0.0.1:${httpPort}` };

    unit = await readUnit();
    env = { ...await readEnvFile(), COPRODUCE_DATABASE: db, COPRODUCE_PUBLIC_URL: proxy.base };
    [a, b] = await Promise.all([
      startProcess('A', unitCommand(unit.ExecStart, portA, env), env),
      startProcess('B', unitCommand(unit.ExecStart, portB, env), env),
    ]);
    await run(['admin', 'create-organisation', '--database', db, '--name', admin.organisation]);
    await run(['admin', 'create-user', '--database', db, '--organisation', admin.organisation,
      '--email', admin.email, '--role', 'administrator'], { input: `${admin.password}\n` });
    token = (await run(['admin', 'create-token', '--database', db, '--email', admin.email])).trim().split('\n').at(-1);

    await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
    await writeFile(path.join(dir, 'site.conf'), await siteConfig([
      ['127.0.0.1:8081', `127.0.0.1:${portA}`],
      ['127.0.0.1:8082', `127.0.0.1:${portB}`],
      ['listen 80;', `listen 127.0.0.1:${httpPort};`],
      ['listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`],
      ['/etc/ssl/coproduce/fullchain.pem', path.join(dir, 'cert.pem')],
      ['/etc/ssl/coproduce/privkey.pem', path.join(dir, 'key.pem')],
    ]));
    const template = await readFile(path.join(root, 'tests/deploy/nginx.conf.template'), 'utf8');
    const conf = path.join(dir, 'nginx.conf');
    await writeFile(conf, template.replaceAll('@PREFIX@', dir));
    const nginxArgs = ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')];
    await execFileAsync(nginxBin, ['-t', '-q', ...nginxArgs]).catch((e) => {
      throw new Error(`nginx -t refused the configuration:\n${e.stderr}`);
    });
    nginx = spawn(nginxBin, nginxArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr.on('data', (d) => { nginxLog += d; });
    nginxExit = new Promise((resolve) => nginx.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await fetch(`${proxy.base}/healthz`)).status === 200) break;
      } catch {
        // nginx is not listening yet.
      }
      if (nginx.exitCode !== null || Date.now() > deadline) {
        const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
        throw new Error(`nginx did not answer /healthz within 15 s:\n${nginxLog}${log}`);
      }
      await sleep(100);
    }
  });

  after(async () => {
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      nginx.kill('SIGTERM');
      await nginxExit;
    }
    await stopProcess(a);
    await stopProcess(b);
    if (db) await dropDatabase(db);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the systemd unit passes systemd-analyze verify', async (t) => {
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
    if (!analyze) {
      t.skip('systemd-analyze is not installed (Debian package systemd)');
      return;
    }
    // verify checks that ExecStart's program exists, so it points at this build.
    const unitDir = path.join(dir, 'systemd');
    await mkdir(unitDir);
    const text = (await readFile(unitFile, 'utf8')).replace('/opt/coproduce/build/coproduce', bin);
    await writeFile(path.join(unitDir, 'coproduce@.service'), text);
    const r = await execFileAsync(analyze, ['verify', path.join(unitDir, 'coproduce@8081.service')])
      .catch((e) => assert.fail(`systemd-analyze verify failed:\n${e.stderr}`));
    assert.equal(r.stderr, '', 'no warnings: every key is known and every value parses');
  });

  test('staff journeys work through nginx, each request answered by either process', async () => {
    const processes = [a, b];
    const answeredSignedIn = new Set();
    staff = new Client(proxy.base);
    const signedIn = await staff.signIn();
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('coproduce_session='));
    assert.match(cookie, /; Secure/i, 'nginx says https (X-Forwarded-Proto), so the session cookie is Secure');
    assert.equal(signedIn.headers.get('strict-transport-security'), 'max-age=31536000');

    // Sessions and CSRF tokens are in the database: a page made by one process
    // takes a form to the other.
    const checkedGet = async (url) => {
      const res = await staff.get(url);
      assert.equal(res.status, 200, `GET ${url}`);
      answeredSignedIn.add(servedBy(res, processes));
      return res;
    };
    await checkedGet('/dashboard');
    const added = await staff.post('/people', {
      name: 'Mary Seacole', phone: '01632 960 123', area: 'Eastfield', lived_experience: 'draws_on_care', consent: 'yes',
    }, { formPage: '/people/new' });
    assert.equal(added.status, 303, added.text_.slice(0, 300));
    answeredSignedIn.add(servedBy(added, processes));
    assert.match((await checkedGet(added.headers.get('location'))).text_, /Mary Seacole/);
    assert.match((await checkedGet('/people?q=seacole')).text_, /Mary Seacole/);

    // A group of four drawn from the five people by a selection job, which
    // either process's worker runs.
    for (const name of ['Ann', 'Bob', 'Cy', 'Di']) {
      const res = await api(proxy, token, 'POST', '/api/v1/people', {
        name: `${name} Pool`, email: `${name.toLowerCase()}@example.org`, consent: true, lived_experience: ['unpaid_carer'],
      });
      assert.equal(res.status, 201, await res.clone().text());
      people[name] = (await res.json()).id;
    }
    const group = await (await api(proxy, token, 'POST', '/api/v1/groups', {
      name: 'Carers Board', purpose: 'Shape support for carers', setting: 'council', size: 4, ladder_aim: 'co_production',
    })).json();
    const round = await (await api(proxy, token, 'POST', `/api/v1/groups/${group.id}/recruit`, { categories: ['experience'], quotas: [] })).json();
    assert.equal((await api(proxy, token, 'POST', `/api/v1/recruit/${round.id}/run`)).status, 202);
    assert.equal((await waitForRound(proxy, token, round.id)).status, 'done');
    const drawn = await api(proxy, token, 'POST', `/api/v1/recruit/${round.id}/draw`, {});
    assert.equal(drawn.status, 200);
    const { selected } = await drawn.json();
    assert.equal(selected.length, 4);
    assert.equal((await api(proxy, token, 'POST', `/api/v1/recruit/${round.id}/invite`)).status, 200);
    for (const id of selected) {
      const res = await staff.post(`/groups/${group.id}/members/${id}/respond`, { answer: 'accept' }, { formPage: `/groups/${group.id}` });
      assert.equal(res.status, 303);
      answeredSignedIn.add(servedBy(res, processes));
    }

    // An activity planned on its form, its invitations sent, attendance recorded.
    const planned = await staff.post(`/groups/${group.id}/activities`, {
      kind: 'meeting', title: 'Spring meeting', day: '14', month: '4', year: '2026', time: '10:30', duration_minutes: '120',
      place: 'Town hall, room 2', link: '', letter_text: 'Please join our spring meeting.', easy_read_text: 'We are meeting.',
    }, { formPage: `/groups/${group.id}/activities/new` });
    assert.equal(planned.status, 303, planned.text_.slice(0, 300));
    const activity = Number(planned.headers.get('location').split('/').at(-1));
    assert.equal((await staff.post(`/activities/${activity}/invite`, {})).status, 303);
    const attendance = await api(proxy, token, 'POST', `/api/v1/activities/${activity}/attendance`, {
      attendance: selected.map((id) => ({ person_id: id, attendance: 'attended' })),
    });
    assert.equal(attendance.status, 200, await attendance.clone().text());
    const held = await (await api(proxy, token, 'GET', `/api/v1/activities/${activity}`)).json();
    assert.equal(held.status, 'held');
    assert.equal(held.attended, 4);
    assert.match((await checkedGet(`/activities/${activity}`)).text_, /Spring meeting/);

    // A 3 MiB receipt: more than nginx takes unless client_max_body_size is raised.
    await staff.get(`/expenses/new?person=${people.Bob}`);
    const receipt = Buffer.concat([Buffer.from('%PDF-1.4 a bus ticket\n'), Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const claimed = await staff.postFiles('/expenses', {
      person_id: String(people.Bob), category: 'travel', description: 'Bus both ways', amount: '4.80', day: '1', month: '1', year: '2026',
    }, [{ field: 'receipts', name: 'ticket.pdf', content: receipt }]);
    assert.equal(claimed.status, 303, `a 3 MiB upload through nginx: ${claimed.status} ${claimed.text_.slice(0, 200)}`);
    const claimPage = (await checkedGet('/payments')).text_.match(/href="(\/expenses\/\d+)"/)[1];
    const receiptUrl = (await checkedGet(claimPage)).text_.match(/href="(\/expenses\/\d+\/receipts\/\d+)"/)[1];
    const cookieHeader = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const download = await fetch(proxy.base + receiptUrl, { headers: { cookie: cookieHeader } });
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(receipt), 'the receipt comes back byte for byte');

    assert.deepEqual([...answeredSignedIn].sort(), ['A', 'B'], 'both processes answered the signed-in session');

    // Plain HTTP is sent to HTTPS.
    const plain = await fetch(`${proxy.httpBase}/people?q=x`, { redirect: 'manual' });
    assert.equal(plain.status, 301);
    assert.equal(plain.headers.get('location'), 'https://127.0.0.1/people?q=x');
  });

  // Six writers add people through nginx as fast as they are answered. Once
  // B has taken `bFirst` of them, `event` runs (B is killed or stopped); the
  // writers carry on for `afterMs`. Resolves every write, with when it was
  // sent, how it was answered and the id it got, and when `event` ended.
  async function writeThrough(label, bFirst, event, afterMs) {
    const requests = [];
    let stopping = false;
    const writer = async (w) => {
      for (let i = 0; !stopping; i += 1) {
        const r = { name: `${label} ${w}-${i}`, started: performance.now() };
        try {
          const res = await api(proxy, token, 'POST', '/api/v1/people', { name: r.name, phone: '01632 960 000', consent: true });
          r.status = res.status;
          const text = await res.text();
          if (res.status === 201) r.id = JSON.parse(text).id;
        } catch (e) {
          r.status = `no answer (${e.cause?.code || e.message})`;
        }
        requests.push(r);
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    const until = Date.now() + 20_000;
    while (writesTakenBy(b) < bFirst && Date.now() < until) await sleep(20);
    const taken = writesTakenBy(b);
    let eventEnded = Infinity;
    try {
      assert.ok(taken >= bFirst, `B took ${bFirst} writes within 20 s`);
      await event();
      eventEnded = performance.now();
      await sleep(afterMs);
    } finally {
      stopping = true;
      await Promise.all(writers);
    }
    return { requests, eventEnded, taken };
  }

  // How many people B added through the API (its request log says).
  function writesTakenBy(p) {
    return (p.stdout().match(/"method":"POST","request_id":"[^"]*","route":"\/api\/v1\/people","status":201/g) || []).length;
  }

  // The people whose names start with `label`, read from process `p` directly.
  async function storedPeople(p, label) {
    const stored = new Map();
    for (let offset = 0; ; offset += 1000) {
      const page = await (await api(p, token, 'GET', `/api/v1/people?limit=1000&offset=${offset}`)).json();
      for (const person of page.people) {
        if (!person.name.startsWith(`${label} `)) continue;
        assert.ok(!stored.has(person.name), `${person.name} is stored once: no write was sent twice`);
        stored.set(person.name, person.id);
      }
      if (page.people.length < 1000) break;
    }
    return stored;
  }

  // What a client may rely on when a process goes away: every write sent
  // after `gone` is acknowledged (nginx sends it to A); a write cut off on B
  // answers 502 Bad Gateway, at most one per writer; every acknowledged write
  // is stored under its id, read back from A directly, and none twice.
  async function checkWrites(t, label, requests, gone, note, { mayCutOff = 6 } = {}) {
    const acknowledged = requests.filter((r) => r.status === 201);
    const unanswered = requests.filter((r) => r.status !== 201);
    const after = requests.filter((r) => r.started > gone);
    const statuses = {};
    for (const r of unanswered) statuses[r.status] = (statuses[r.status] || 0) + 1;
    t.diagnostic(`${requests.length} writes: ${acknowledged.length} acknowledged, ${unanswered.length} not `
      + `${JSON.stringify(statuses)}; ${note}; ${after.length} were sent after B was gone`);
    assert.ok(after.length >= 20, 'the writers kept going after B was gone');
    assert.deepEqual(after.filter((r) => r.status !== 201).map((r) => `${r.name}: ${r.status}`), [],
      'every write sent after B was gone is acknowledged: nginx sends it to A');
    assert.ok(unanswered.length <= mayCutOff, mayCutOff
      ? 'at most one write per writer is cut off, the one in flight on B'
      : 'no write is cut off: B answers every request it took before it stops');
    for (const r of unanswered) {
      assert.equal(r.status, 502, `${r.name}, cut off on B, answers nginx's 502 Bad Gateway`);
    }
    const stored = await storedPeople(a, label);
    assert.deepEqual(acknowledged.filter((r) => stored.get(r.name) !== r.id).map((r) => r.name), [],
      'every acknowledged write is stored');
    // A write cut off may or may not have been committed before B went.
    const committedButCutOff = [...stored.keys()].filter((name) => !acknowledged.some((r) => r.name === name));
    for (const name of committedButCutOff) {
      assert.ok(unanswered.some((r) => r.name === name), `${name} is stored without being acknowledged, so it was cut off`);
    }
    t.diagnostic(`${committedButCutOff.length} of the ${unanswered.length} cut off were committed`);
  }

  let killedAt;

  test('nginx carries on with one process when the other is killed mid-write, losing no acknowledged write', async (t) => {
    const { requests, eventEnded, taken } = await writeThrough('Killed', 30, async () => {
      b.child.kill('SIGKILL');
      assert.equal((await b.exited).signal, 'SIGKILL');
    }, 3000);
    killedAt = eventEnded;

    await checkWrites(t, 'Killed', requests, killedAt, `B took ${taken} before the kill`);

    // The session signed in before the kill still works, forms included.
    const page = await staff.get('/people?q=seacole');
    assert.equal(page.status, 200);
    assert.match(page.text_, /Mary Seacole/);
    const added = await staff.post('/people', { name: 'Ada Lovelace', phone: '01632 960 999', consent: 'yes' }, { formPage: '/people/new' });
    assert.equal(added.status, 303, added.text_.slice(0, 300));
    assert.equal(servedBy(added, [a, b]), 'A');
  });

  test('when the dead process is tried again after fail_timeout, nginx passes even a POST to the other', async () => {
    // B has been down for longer than its fail_timeout (10 s, counted by nginx
    // in whole seconds): nginx tries it with the next requests, is refused, and
    // sends them to A. A POST may go on because nothing of it reached B.
    await sleep(Math.max(0, killedAt + 12_000 - performance.now()));
    const refusedBefore = (await readFile(path.join(dir, 'error.log'), 'utf8')).match(/Connection refused/g)?.length ?? 0;
    for (let i = 0; i < 6; i += 1) {
      const res = await api(proxy, token, 'POST', '/api/v1/people', { name: `Retried ${i}`, phone: '01632 960 000' });
      assert.equal(res.status, 201, `POST ${i} while B is down`);
    }
    const refusedAfter = (await readFile(path.join(dir, 'error.log'), 'utf8')).match(/Connection refused/g)?.length ?? 0;
    assert.ok(refusedAfter > refusedBefore, `nginx did try B again, and was refused:\n${await readFile(path.join(dir, 'error.log'), 'utf8')}`);
    assert.equal((await storedPeople(a, 'Retried')).size, 6);
  });

  test('a process started again, as systemd does, gets requests again', async () => {
    // The unit's Restart=always starts it again on the same port; nginx tries
    // it again once its fail_timeout (10 s) has passed.
    b = await startProcess('B', unitCommand(unit.ExecStart, b.port, env), env);
    const deadline = Date.now() + 20_000;
    let answeredByB = false;
    while (!answeredByB && Date.now() < deadline) {
      const res = await staff.get('/dashboard');
      assert.equal(res.status, 200);
      answeredByB = servedBy(res, [a, b]) === 'B';
      if (!answeredByB) await sleep(200);
    }
    assert.ok(answeredByB, 'nginx sends requests to B again within 20 s');
  });

  test("a process stopped with the unit's stop signal exits cleanly while nginx carries on", async (t) => {
    // systemctl stop or restart sends SIGTERM: B takes no new connection,
    // answers the requests it is answering, those on connections it had
    // accepted or the kernel had queued for it, and then exits.
    assert.equal(unit.KillSignal, 'SIGTERM');
    const limit = Number(/^(\d+)$/.exec(unit.TimeoutStopSec)[1]) * 1000;
    let stopped;
    let took;
    const { requests, eventEnded, taken } = await writeThrough('Stopped', writesTakenBy(b) + 20, async () => {
      const started = Date.now();
      stopped = await stopProcess(b, unit.KillSignal);
      took = Date.now() - started;
    }, 1000);
    assert.deepEqual(stopped, { code: 0, signal: null }, 'exit status 0, which systemd counts as a clean stop');
    assert.ok(took < limit, `stopped within TimeoutStopSec (${limit / 1000} s)`);
    assert.match(b.stderr(), /Coproduce stopped\./);
    await checkWrites(t, 'Stopped', requests, eventEnded, `B took ${taken} and stopped in ${took} ms`, { mayCutOff: 0 });
  });
});

test('docs/operations.md shows the tested nginx site, systemd unit and environment file as they are', async () => {
  const guide = await readFile(path.join(root, 'docs/operations.md'), 'utf8');
  for (const file of [siteFile, unitFile, envFile]) {
    const text = (await readFile(file, 'utf8')).trimEnd();
    assert.ok(guide.includes(`\n${text}\n\`\`\``), `docs/operations.md shows ${path.relative(root, file)} whole, in a code block`);
  }
});
