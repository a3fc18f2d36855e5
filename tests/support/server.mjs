// Shared by the HTTP and browser tests: the real coproduce binary on a
// loopback port with a fresh database, and a small cookie-keeping client.
//
// The binary is $COPRODUCE_BIN, or build/coproduce. When $COPRODUCE_TEST_POSTGRES
// names the socket folder of a PostgreSQL server (scripts/with-postgres
// starts a throwaway one), each fresh database is a new PostgreSQL database
// on it; otherwise it is an SQLite file in a temporary folder.
import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = path.resolve(root, process.env.COPRODUCE_BIN || 'build/coproduce');

// The administrator every test server starts with.
export const admin = {
  organisation: 'Test Council',
  email: 'admin@example.org',
  password: 'correct horse battery staple 42',
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs a coproduce command; resolves { code, stdout, stderr } whatever the
// exit code. `input` goes to its standard input; `env` is added to this
// process's environment.
export function runCommand(args, { input, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

// Runs a coproduce command that must succeed; resolves its standard output.
export async function run(args, options) {
  const r = await runCommand(args, options);
  if (r.code !== 0) throw new Error(`coproduce ${args.join(' ')} exited ${r.code}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// Points `organisation`'s messages in the database `db` at a fake GOV.UK
// Notify (tests/support/fake_notify.mjs), its keys sealed with `secretKey`
// as the server's are; resolves as runCommand does.
export function useFakeNotify(db, organisation, notify, secretKey) {
  return runCommand(['admin', 'messages', '--database', db, '--organisation', organisation,
    '--notify-key', notify.apiKey, '--notify-url', notify.url, '--notify-email-template', crypto.randomUUID(),
    '--notify-sms-template', crypto.randomUUID(), '--notify-letter-template', crypto.randomUUID()],
  { env: { COPRODUCE_SECRET_KEY: secretKey } });
}

// A TCP port nobody is listening on just now.
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The engine the tests run on: 'postgres' under scripts/with-postgres, else 'sqlite'.
export const postgresSocket = process.env.COPRODUCE_TEST_POSTGRES || '';
export const engine = postgresSocket ? 'postgres' : 'sqlite';

// Runs SQL as the test server's superuser on its maintenance database.
async function postgresAdmin(sql) {
  await execFileAsync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', postgresSocket, '-U', 'coproduce',
    '-d', 'postgres', '-c', sql]);
}

let databaseSerial = 0;

// A new, empty database: on PostgreSQL a new database on the test server,
// else the file `name` in `dir`. Returns its --database argument.
export async function newDatabase(dir, name = 'coproduce.db') {
  if (engine !== 'postgres') return path.join(dir, name);
  const pgName = `t_${process.pid}_${databaseSerial++}_${Date.now().toString(36)}`;
  await postgresAdmin(`CREATE DATABASE ${pgName} TEMPLATE template0 ENCODING 'UTF8'`);
  return `postgresql:///${pgName}?host=${postgresSocket}&user=coproduce`;
}

// Removes a database newDatabase made on PostgreSQL (an SQLite file goes
// with its folder).
export async function dropDatabase(db) {
  const m = /^postgresql:\/\/\/(t_[a-z0-9_]+)\?/.exec(db || '');
  if (!m) return;
  await postgresAdmin(`DROP DATABASE IF EXISTS ${m[1]} WITH (FORCE)`).catch(() => {});
}

// A fresh database, holding one organisation and its administrator unless
// `empty` is set; `dir` is a temporary folder for the test's own files.
// Returns { dir, db }.
export async function freshDatabase({ empty = false } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-test-'));
  const db = await newDatabase(dir);
  await run(['migrate', '--database', db]);
  if (!empty) {
    await run(['admin', 'create-organisation', '--database', db, '--name', admin.organisation]);
    await run(['admin', 'create-user', '--database', db, '--organisation', admin.organisation,
      '--email', admin.email, '--role', 'administrator'], { input: admin.password + '\n' });
  }
  return { dir, db };
}

// Starts `coproduce serve` on a free port and waits for /healthz. With no
// `db`, a fresh database with the test administrator is made; `env` adds to
// its environment. Returns
// { base, port, db, dir, stop, stdout(), stderr(), exited }: `stop()` sends
// SIGTERM, waits for the exit and removes the temporary folder; it resolves
// the exit { code, signal }.
export async function startServer({ db, dir, args = [], env } = {}) {
  if (!db) ({ db, dir } = await freshDatabase());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--database', db, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let exit = null;
  exited.then((e) => { exit = e; });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exit) throw new Error(`coproduce serve exited early (${JSON.stringify(exit)}):\n${stderr}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`coproduce serve did not answer /healthz with 200 within 30 s:\n${stderr}`);
    }
    await sleep(100);
  }

  async function stop() {
    if (!exit) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) {
      await dropDatabase(db);
      await rm(dir, { recursive: true, force: true });
    }
    return exit;
  }
  return {
    base, port, db, dir, stop, exited, pid: child.pid, stdout: () => stdout, stderr: () => stderr,
  };
}

// The route table from `coproduce routes --json`: [{ method, path, roles, channel }].
export async function routes() {
  const { stdout } = await execFileAsync(bin, ['routes', '--json']);
  return JSON.parse(stdout);
}

// A browser-like HTTP client that keeps cookies and does not follow redirects.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  async request(method, url, { form, headers = {}, body } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(this.base + url, { method, headers: h, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => a.trim().toLowerCase() === 'max-age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    res.text_ = await res.text();
    return res;
  }

  get(url, options) { return this.request('GET', url, options); }

  // Posts a form the way a page does: fetches `formPage` first (for the CSRF
  // cookie) and adds the token unless the form already has one.
  async post(url, form, { formPage = url } = {}) {
    if (!this.cookies.has('coproduce_csrf')) await this.get(formPage);
    return this.request('POST', url, { form: { csrf_token: this.cookies.get('coproduce_csrf'), ...form } });
  }

  // Posts multipart/form-data as an upload form does, with the CSRF token:
  // `fields` are text, `files` a list of { field, name, content } (a string
  // or bytes). Fetches `formPage` first when there is no CSRF cookie yet.
  async postFiles(url, fields = {}, files = [], { formPage = '/sign-in' } = {}) {
    if (!this.cookies.has('coproduce_csrf')) await this.get(formPage);
    const body = new FormData();
    body.set('csrf_token', this.cookies.get('coproduce_csrf'));
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    for (const f of files) body.append(f.field, new Blob([f.content]), f.name);
    return this.request('POST', url, { body });
  }

  async signIn(email = admin.email, password = admin.password) {
    const res = await this.post('/sign-in', { email, password }, { formPage: '/sign-in' });
    if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
    return res;
  }
}

// The password of users made by userWithRole.
export const userPassword = 'a long enough password';

// Makes a user with `role` in `organisation` and signs them in. Returns
// { client, token }: a signed-in Client and an API token for them.
export async function userWithRole(server, organisation, email, role) {
  await run(['admin', 'create-user', '--database', server.db, '--organisation', organisation,
    '--email', email, '--role', role], { input: `${userPassword}\n` });
  const out = await run(['admin', 'create-token', '--database', server.db, '--email', email]);
  const client = new Client(server.base);
  await client.signIn(email, userPassword);
  return { client, token: out.trim().split('\n').at(-1) };
}

// Calls the JSON API with `token`; `body` (if any) is sent as JSON.
export function api(server, token, method, url, body) {
  return fetch(server.base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// Waits for a recruitment round's selection job to end; resolves the round.
export async function waitForRound(server, token, id) {
  for (let i = 0; i < 300; i += 1) {
    const round = await (await api(server, token, 'GET', `/api/v1/recruit/${id}`)).json();
    if (!['queued', 'running'].includes(round.status)) return round;
    await sleep(100);
  }
  throw new Error(`round ${id} did not finish within 30 s`);
}
