// A fake SMTP relay on loopback that answers as a real ESMTP server does (codes,
// enhanced status codes, multi-line EHLO, AUTH PLAIN and LOGIN, dot-stuffed
// DATA), enough for libcurl's SMTP client, which is how Coproduce sends mail.
// It keeps each accepted message, with its headers and its text decoded, so a
// test can read what a person would have received.
//
//   const smtp = await startFakeSmtp({ user: 'coproduce', password: 'secret' });
//   // point Coproduce at smtp.url, then:
//   assert.match(smtp.messages[0].body, /Your invitation/);
//
// Recipients that behave specially (all others are accepted):
//   - an address ending "@reject.example": 550 5.1.1 User unknown (permanent);
//   - an address ending "@busy.example": 451 4.3.0 Try again later (temporary).
//
// There is no TLS: STARTTLS is never advertised and is answered 454.
//
// Run as a script, for a benchmark:
//   node tests/support/fake_smtp.mjs --port 0 --latency-ms 20
// prints {"url":"smtp://127.0.0.1:PORT"} on one line, serves until SIGTERM or
// SIGINT, then prints {"accepted":N} on standard error.
import crypto from 'node:crypto';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const hostname = 'fake-smtp.test';

// The SIZE limit advertised in EHLO and enforced on MAIL and DATA.
export const maxMessageBytes = 10_485_760;

// Replies for codes a test asks for with failNext but that the protocol
// state machine never gives by itself.
const failureReplies = {
  421: '421 4.3.2 Service not available, closing transmission channel',
  450: '450 4.2.0 Mailbox temporarily unavailable',
  451: '451 4.3.0 Local error in processing, try again later',
  452: '452 4.3.1 Insufficient system storage',
  550: '550 5.7.1 Sender rejected',
  552: '552 5.3.4 Message size exceeds fixed limit',
  554: '554 5.7.1 Transaction failed',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The address inside "FROM:<a@b> PARAMS" / "TO:<a@b>", with its parameters;
// null when the argument is not of that form. "<>" (the null sender) is "".
function parsePath(arg, keyword) {
  const m = new RegExp(`^${keyword}:\\s*<([^<>]*)>\\s*(.*)$`, 'i').exec(arg);
  if (!m) return null;
  const params = {};
  for (const p of m[2].split(/\s+/).filter(Boolean)) {
    const eq = p.indexOf('=');
    params[(eq < 0 ? p : p.slice(0, eq)).toUpperCase()] = eq < 0 ? true : p.slice(eq + 1);
  }
  return { address: m[1], params };
}

// Splits a message (or a MIME part) into unfolded headers and its body.
// Header names are lower-cased; a repeated header's values are joined with ", ".
export function parseMessage(text) {
  const split = /\r?\n\r?\n/.exec(text);
  const head = split ? text.slice(0, split.index) : text;
  const body = split ? text.slice(split.index + split[0].length) : '';
  const headers = {};
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { headers, body };
}

// The parameter `name` of a header value such as 'text/plain; charset="utf-8"'.
function headerParam(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

// Bytes in a character set, as text; unknown sets are read as UTF-8.
function decodeCharset(bytes, charset) {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

// The bytes of quoted-printable text: "=" at a line end joins lines, "=XX" is a byte.
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

// A part's body as text, undoing its Content-Transfer-Encoding and charset.
function decodeBody(headers, body) {
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const charset = headerParam(headers['content-type'], 'charset');
  if (encoding === 'base64') return decodeCharset(Buffer.from(body.replace(/\s+/g, ''), 'base64'), charset);
  if (encoding === 'quoted-printable') return decodeCharset(decodeQuotedPrintable(body), charset);
  return body;
}

// Undoes RFC 2047 encoded words ("=?UTF-8?B?...?=", "=?utf-8?Q?...?="), as a
// non-ASCII subject arrives.
export function decodeHeader(value) {
  if (!value) return value;
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (whole, charset, kind, data) => {
      const bytes = kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
    });
}

// The text/plain and text/html of a MIME entity, descending into multiparts;
// a single-part message that is not HTML counts as its text.
function textParts(headers, body, found = {}) {
  const type = (headers['content-type'] ?? 'text/plain').split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = headerParam(headers['content-type'], 'boundary');
    if (!boundary) return found;
    const pieces = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    for (const piece of pieces.slice(1, -1)) {
      const part = parseMessage(piece);
      textParts(part.headers, part.body, found);
    }
    return found;
  }
  if (type === 'text/html') found.html ??= decodeBody(headers, body);
  else if (type === 'text/plain') found.text ??= decodeBody(headers, body);
  return found;
}

// A received message as tests read it.
function readMessage(data) {
  const { headers, body } = parseMessage(data);
  const parts = textParts(headers, body);
  return {
    headers,
    subject: decodeHeader(headers.subject ?? ''),
    body: parts.text ?? (parts.html === undefined ? decodeBody(headers, body) : ''),
    html: parts.html ?? null,
  };
}

// Starts the relay on 127.0.0.1. Options:
//   user, password   when both are given, MAIL needs AUTH with them first;
//                    otherwise AUTH is optional and any credentials pass
//   port             the port to listen on (default 0: any free one)
//   latencyMs        a delay before every reply (default 0; see setLatency)
// Returns { url, port, messages, close(), setLatency(ms), failNext(n, code),
// down(), up(), reset() }. `messages` holds each accepted message, oldest
// first: { id, from, to: [...], data (raw, dot-unstuffed, CRLF lines), headers
// (lower-case keys), subject (decoded), body (decoded text/plain), html, user
// (the authenticated name, or null), helo }.
export async function startFakeSmtp(options = {}) {
  const requireAuth = options.user !== undefined && options.password !== undefined;
  let latencyMs = options.latencyMs ?? 0;
  let failures = []; // codes the next MAIL FROM commands answer with
  const messages = [];
  const sockets = new Set();
  let server = null;
  let port = options.port ?? 0;

  const credentialsOk = (user, password) => !requireAuth || (user === options.user && password === options.password);

  // One SMTP conversation. Replies go out in order, each after the latency;
  // commands that arrive together (pipelining) wait their turn.
  function converse(socket) {
    const session = {
      helo: null, user: null, from: null, to: [], auth: null, data: null, closing: false,
    };
    let buffered = Buffer.alloc(0);
    const lines = [];
    let working = false;

    async function reply(...replyLines) {
      if (latencyMs > 0) await sleep(latencyMs);
      if (socket.destroyed || socket.writableEnded) return;
      socket.write(replyLines.map((l) => `${l}\r\n`).join(''));
    }

    function resetTransaction() {
      session.from = null;
      session.to = [];
      session.data = null;
    }

    async function authenticate(user, password) {
      if (!credentialsOk(user, password)) return reply('535 5.7.8 Authentication credentials invalid');
      session.user = user;
      return reply('235 2.7.0 Authentication successful');
    }

    // The line after a 334 challenge during AUTH.
    async function authStep(line) {
      const { auth } = session;
      session.auth = null;
      if (line === '*') return reply('501 5.7.0 Authentication aborted');
      let decoded;
      try {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line)) throw new Error('not base64');
        decoded = Buffer.from(line, 'base64').toString('utf8');
      } catch {
        return reply('501 5.5.2 Cannot decode response');
      }
      if (auth.mechanism === 'PLAIN') return plain(decoded);
      if (auth.user === undefined) {
        session.auth = { mechanism: 'LOGIN', user: decoded };
        return reply('334 UGFzc3dvcmQ6');
      }
      return authenticate(auth.user, decoded);
    }

    // "authzid\0authcid\0password", already decoded.
    function plain(decoded) {
      const fields = decoded.split('\0');
      if (fields.length !== 3) return reply('501 5.5.2 Cannot decode response');
      return authenticate(fields[1], fields[2]);
    }

    async function auth(arg) {
      if (!session.helo) return reply('503 5.5.1 Error: send HELO/EHLO first');
      if (session.user !== null) return reply('503 5.5.1 Error: already authenticated');
      if (session.from !== null) return reply('503 5.5.1 Error: MAIL transaction in progress');
      const [mechanism = '', initial] = arg.split(/\s+/);
      switch (mechanism.toUpperCase()) {
        case 'PLAIN':
          session.auth = { mechanism: 'PLAIN' };
          if (initial === undefined) return reply('334 ');
          return authStep(initial === '=' ? '' : initial);
        case 'LOGIN':
          session.auth = { mechanism: 'LOGIN' };
          if (initial === undefined) return reply('334 VXNlcm5hbWU6');
          return authStep(initial);
        case '':
          return reply('501 5.5.4 Syntax: AUTH mechanism');
        default:
          return reply('504 5.5.4 Unrecognized authentication type');
      }
    }

    async function mail(arg) {
      if (!session.helo) return reply('503 5.5.1 Error: send HELO/EHLO first');
      if (requireAuth && session.user === null) return reply('530 5.7.0 Authentication required');
      if (session.from !== null) return reply('503 5.5.1 Error: nested MAIL command');
      const path = parsePath(arg, 'FROM');
      if (!path) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
      if (failures.length) {
        const code = failures.shift();
        await reply(failureReplies[code] ?? `${code} ${code >= 500 ? '5' : '4'}.0.0 Requested action not taken`);
        if (code === 421) {
          session.closing = true;
          socket.end();
        }
        return undefined;
      }
      if (Number(path.params.SIZE) > maxMessageBytes) return reply('552 5.3.4 Message size exceeds fixed limit');
      session.from = path.address;
      return reply('250 2.1.0 Ok');
    }

    async function rcpt(arg) {
      if (session.from === null) return reply('503 5.5.1 Error: need MAIL command');
      const path = parsePath(arg, 'TO');
      if (!path || !path.address) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
      const address = path.address.toLowerCase();
      if (address.endsWith('@reject.example')) return reply(`550 5.1.1 <${path.address}>: Recipient address rejected: User unknown`);
      if (address.endsWith('@busy.example')) return reply(`451 4.3.0 <${path.address}>: Try again later`);
      if (session.to.length >= 1000) return reply('452 4.5.3 Error: too many recipients');
      session.to.push(path.address);
      return reply('250 2.1.5 Ok');
    }

    async function endOfData() {
      const data = session.data.join('');
      if (Buffer.byteLength(data) > maxMessageBytes) {
        resetTransaction();
        return reply('552 5.3.4 Message size exceeds fixed limit');
      }
      const id = crypto.randomBytes(6).toString('hex').toUpperCase();
      messages.push({
        id, from: session.from, to: session.to, data, ...readMessage(data), user: session.user, helo: session.helo,
      });
      resetTransaction();
      return reply(`250 2.0.0 Ok: queued as ${id}`);
    }

    async function command(line) {
      if (session.auth) return authStep(line.trim());
      const space = line.indexOf(' ');
      const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
      const arg = space < 0 ? '' : line.slice(space + 1).trim();
      switch (verb) {
        case 'EHLO':
          if (!arg) return reply('501 5.5.4 Syntax: EHLO hostname');
          session.helo = arg;
          resetTransaction();
          return reply(`250-${hostname} Hello ${arg}`, '250-PIPELINING',
            '250-AUTH PLAIN LOGIN', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', `250 SIZE ${maxMessageBytes}`);
        case 'HELO':
          if (!arg) return reply('501 5.5.4 Syntax: HELO hostname');
          session.helo = arg;
          resetTransaction();
          return reply(`250 ${hostname}`);
        case 'AUTH': return auth(arg);
        case 'MAIL': return mail(arg);
        case 'RCPT': return rcpt(arg);
        case 'DATA':
          if (arg) return reply('501 5.5.4 Syntax: DATA');
          if (session.from === null) return reply('503 5.5.1 Error: need MAIL command');
          if (!session.to.length) return reply('554 5.5.1 Error: no valid recipients');
          session.data = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          resetTransaction();
          return reply('250 2.0.0 Ok');
        case 'NOOP': return reply('250 2.0.0 Ok');
        case 'VRFY': return reply('252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery');
        case 'HELP': return reply('214 2.0.0 See RFC 5321');
        case 'STARTTLS': return reply('454 4.7.0 TLS not available');
        case 'QUIT':
          session.closing = true;
          await reply('221 2.0.0 Bye');
          socket.end();
          return undefined;
        default:
          return reply('502 5.5.2 Error: command not recognized');
      }
    }

    // One line without its line end; while in DATA it is message text.
    async function handle(line) {
      if (session.data === null) return command(line);
      if (line === '.') return endOfData();
      session.data.push(`${line.startsWith('.') ? line.slice(1) : line}\r\n`);
      return undefined;
    }

    async function work() {
      if (working) return;
      working = true;
      try {
        while (lines.length && !session.closing && !socket.destroyed) await handle(lines.shift());
      } finally {
        working = false;
      }
    }

    // Splits on bytes, not characters, so a UTF-8 character cut between two
    // packets is decoded whole.
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      let nl;
      while ((nl = buffered.indexOf(10)) >= 0) {
        const end = nl > 0 && buffered[nl - 1] === 13 ? nl - 1 : nl;
        lines.push(buffered.subarray(0, end).toString('utf8'));
        buffered = buffered.subarray(nl + 1);
      }
      work();
    });
    socket.on('error', () => {});
    reply(`220 ${hostname} ESMTP Coproduce fake relay`);
  }

  function listen() {
    return new Promise((resolve, reject) => {
      server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        converse(socket);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        ({ port } = server.address());
        resolve();
      });
    });
  }

  // Stops listening and cuts every open conversation, as a crashed relay would.
  function stop() {
    if (!server) return Promise.resolve();
    const closing = server;
    server = null;
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => closing.close(() => resolve()));
  }

  await listen();
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    close: stop,
    setLatency(ms) { latencyMs = ms; },
    // The next `n` MAIL FROM commands answer `code` (421 also closes the
    // connection, as a server shutting down does).
    failNext(n, code = 451) { for (let i = 0; i < n; i++) failures.push(code); },
    // Refuses new connections (the port is closed) and drops open ones.
    down: stop,
    // Listens again on the same port.
    async up() { if (!server) await listen(); },
    // Forgets messages, pending failures and latency.
    reset() {
      messages.length = 0;
      failures = [];
      latencyMs = options.latencyMs ?? 0;
    },
  };
}

// The value after `--name` in argv, or `fallback`.
function flag(argv, name, fallback) {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
}

async function main(argv) {
  const smtp = await startFakeSmtp({
    port: Number(flag(argv, 'port', '0')),
    latencyMs: Number(flag(argv, 'latency-ms', '0')),
    user: flag(argv, 'user', undefined),
    password: flag(argv, 'password', undefined),
  });
  process.stdout.write(`${JSON.stringify({ url: smtp.url })}\n`);
  const stop = () => {
    process.stderr.write(`${JSON.stringify({ accepted: smtp.messages.length })}\n`);
    smtp.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
