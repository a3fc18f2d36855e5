// Bad input at the HTTP level, and stopping cleanly: the server answers a
// clear 4xx, stores nothing, and keeps serving.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client, startServer, sleep } from '../support/server.mjs';

// Sends raw bytes and resolves whatever comes back before the server closes
// the connection or `ms` pass.
function raw(port, bytes, ms = 3000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { socket.destroy(); resolve(data); }, ms);
    socket.on('data', (d) => { data += d; });
    socket.on('end', () => { clearTimeout(timer); resolve(data); });
    socket.on('error', (e) => { clearTimeout(timer); if (data) resolve(data); else reject(e); });
    socket.write(bytes);
  });
}

const statusOf = (response) => Number((response.match(/^HTTP\/1\.1 (\d{3})/) || [])[1]);

describe('bad input over HTTP', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  const stillServing = async () => {
    const res = await fetch(`${server.base}/healthz`);
    assert.equal(res.status, 200, 'the server keeps serving');
  };

  test('malformed requests get a 400', async () => {
    for (const bytes of [
      'NOT HTTP AT ALL\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'GET no-slash HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n',
    ]) {
      const res = await raw(server.port, bytes);
      assert.equal(statusOf(res), 400, JSON.stringify(bytes));
    }
    await stillServing();
  });

  test('oversize headers get a 431 and oversize bodies a 413', async () => {
    const big = await raw(server.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    assert.equal(statusOf(big), 431);
    const body = await raw(server.port,
      `POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\nemail=`);
    assert.equal(statusOf(body), 413);
    await stillServing();
  });

  test('invalid UTF-8 in a form is a 400 naming the problem, and nothing is stored', async () => {
    const c = new Client(server.base);
    await c.signIn();
    const res = await c.request('POST', '/admin/users', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf_token=${c.cookies.get('coproduce_csrf')}&email=bad%40example.org&name=%C3%28&role=analyst`,
    });
    assert.equal(res.status, 400);
    assert.match(res.text_, /not valid text/);
    assert.ok(!(await c.get('/admin/users')).text_.includes('bad@example.org'));
  });

  test('a broken multipart form is a 400', async () => {
    const c = new Client(server.base);
    await c.get('/sign-in');
    const res = await c.request('POST', '/sign-in', {
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nno end in sight',
    });
    assert.equal(res.status, 400);
    await stillServing();
  });

  test('a multipart form is read like any other form', async () => {
    const c = new Client(server.base);
    await c.get('/sign-in');
    const form = new FormData();
    form.append('csrf_token', c.cookies.get('coproduce_csrf'));
    form.append('email', 'nobody@example.org');
    form.append('password', 'wrong password');
    const res = await fetch(`${server.base}/sign-in`, {
      method: 'POST', body: form, headers: { cookie: `coproduce_csrf=${c.cookies.get('coproduce_csrf')}` },
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Enter a correct email address and password/);
  });
});

// A plain TCP connection to `server` that collects what comes back:
// { socket, text() (all received so far), error() (a socket error or null), ended }.
async function rawConnection(server) {
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => socket.on('connect', r));
  let response = '';
  let socketError = null;
  socket.on('data', (d) => { response += d; });
  socket.on('error', (e) => { socketError = e; });
  const ended = new Promise((r) => socket.on('close', r));
  return { socket, text: () => response, error: () => socketError, ended };
}

describe('stopping', () => {
  test('SIGTERM lets a request in flight finish, then exits 0', async () => {
    const server = await startServer();
    const raw = await rawConnection(server);
    const { socket } = raw;
    // Half a request: the headers promise a body that has not all arrived.
    socket.write('POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\nemail=');
    await sleep(200);
    const idle = net.connect(server.port, '127.0.0.1');
    // The idle connection only has to end; how (FIN or reset) is the kernel's business.
    idle.on('error', () => {});
    const idleClosed = new Promise((r) => idle.on('close', r));
    await new Promise((r) => idle.on('connect', r));
    await sleep(200);  // let the server accept it, so it is idle rather than still queued
    const stopping = server.stop();
    await sleep(300);
    socket.write('a%40b.org&pw=');
    socket.end('x');
    await raw.ended;
    assert.equal(raw.error(), null, 'the request in flight was not cut off');
    assert.equal(statusOf(raw.text()), 403, 'the request in flight was answered (CSRF refusal, as it had no token)');
    await idleClosed;
    const exit = await stopping;
    assert.equal(exit.code, 0);
    assert.match(server.stderr(), /stopped/);
    await assert.rejects(fetch(`${server.base}/healthz`), 'no longer listening');
  });

  // A proxy opens a connection for each request and cannot send a POST
  // elsewhere once it has sent it: a connection opened just before the stop
  // gets a moment for its request, which is answered.
  test('a connection opened just before SIGTERM has its request answered', async () => {
    const server = await startServer();
    const raw = await rawConnection(server);
    const { socket } = raw;
    await sleep(200);  // accepted, and idle: no request yet
    const stopping = server.stop();
    await sleep(300);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await raw.ended;
    assert.equal(raw.error(), null, 'the connection was not reset');
    assert.equal(statusOf(raw.text()), 200, 'the request sent after the stop began was answered');
    assert.match(raw.text(), /connection: close/i, 'and the connection closed after it');
    assert.equal((await stopping).code, 0);
  });
});
