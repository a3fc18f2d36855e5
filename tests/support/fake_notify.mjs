// A fake GOV.UK Notify REST API (v2) on loopback, so tests and benchmarks can
// watch what Coproduce sends without a network or a real service. Written from
// Notify's public API documentation: the same paths, JWT authentication, request
// validation, error bodies and notification shapes, with no templates of its own
// unless a test gives some.
//
//   const notify = await startFakeNotify({ deliverAfterMs: 50 });
//   // point Coproduce at notify.url with notify.apiKey, then:
//   assert.equal(notify.byReference('invite-42').length, 1);
//
// Recipients that behave specially (all other valid ones are accepted and end
// "delivered", or "received" for a letter):
//   - an email address ending "@fail.example" is refused at once with
//     400 BadRequestError "Can't send to this recipient using a team-only API key",
//     the refusal Notify gives a team key for someone outside the team;
//   - an email address ending "@bounce.example", Notify's own simulated
//     perm-fail@simulator.notify, or the phone number 07700900002 is accepted
//     and ends "permanent-failure";
//   - temp-fail@simulator.notify or 07700900003 is accepted and ends
//     "temporary-failure".
//
// Run as a script, for a benchmark:
//   node tests/support/fake_notify.mjs --port 0 --latency-ms 20
// prints {"url":"http://127.0.0.1:PORT"} on one line, serves until SIGTERM or
// SIGINT, then prints {"accepted":N,"duplicateReferences":M} on standard error.
import crypto from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';

// The example key from Notify's documentation, under a Coproduce name.
export const defaultApiKey =
  'coproduce_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Notify rejects a token issued more than this many seconds from its clock.
const clockSkewSeconds = 30;

// Notify lists at most this many notifications a page.
const pageSize = 250;

// The statuses GET /v2/notifications accepts as a filter.
const knownStatuses = ['cancelled', 'created', 'sending', 'sent', 'delivered', 'pending', 'failed',
  'technical-failure', 'temporary-failure', 'permanent-failure', 'pending-virus-check',
  'validation-failed', 'virus-scan-failed', 'returned-letter', 'accepted', 'received'];

// An API key is {key_name}-{service id}-{secret}; the name may hold hyphens,
// so both UUIDs are counted from the end.
export function parseApiKey(apiKey) {
  return { serviceId: apiKey.slice(-73, -37), secret: apiKey.slice(-36) };
}

const base64url = (data) => Buffer.from(data).toString('base64url');

// A token for `apiKey` issued at `iat` (epoch seconds), as Notify's clients make
// one: for tests that call the fake directly.
export function notifyToken(apiKey = defaultApiKey, iat = Math.floor(Date.now() / 1000)) {
  const { serviceId, secret } = parseApiKey(apiKey);
  const signed = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${base64url(JSON.stringify({ iss: serviceId, iat }))}`;
  const signature = crypto.createHmac('sha256', secret).update(signed).digest('base64url');
  return `${signed}.${signature}`;
}

// Notify's error body: one or more { error, message } under a status code.
function errorBody(status, error, ...messages) {
  return { status_code: status, errors: messages.map((message) => ({ error, message })) };
}

const authError = (status, message) => ({ status, body: errorBody(status, 'AuthError', message) });

// Checks the Authorization header the way Notify does. Returns null when the
// request may go on, else the { status, body } to answer with.
function checkAuthorization(header, { serviceId, secret }, now) {
  if (!header) return authError(401, 'Unauthorized: authentication token must be provided');
  const [scheme, token] = header.split(' ');
  if (scheme !== 'Bearer' || !token) return authError(401, 'Unauthorized: authentication bearer scheme must be used');
  const parts = token.split('.');
  if (parts.length !== 3) return authError(403, 'Invalid token: signature, api token not found');
  let head;
  let claims;
  try {
    head = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  } catch {
    return authError(403, 'Invalid token: signature, api token not found');
  }
  if (head.alg !== 'HS256') return authError(403, 'Invalid token: algorithm used is not HS256');
  if (typeof claims.iss !== 'string') return authError(403, 'Invalid token: iss field not provided');
  if (claims.iss !== serviceId) return authError(403, 'Invalid token: service not found');
  const expected = crypto.createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return authError(403, 'Invalid token: signature, api token not found');
  }
  if (typeof claims.iat !== 'number') return authError(403, 'Invalid token: iat field not provided');
  if (Math.abs(now / 1000 - claims.iat) > clockSkewSeconds) {
    return authError(403, 'Error: Your system clock must be accurate to within 30 seconds');
  }
  return null;
}

// Notify's email check, rewritten: a plain local part, and a host name of at
// least two labels whose last is a real-looking top-level domain.
export function validEmail(address) {
  if (typeof address !== 'string') return false;
  const email = address.trim();
  if (email.length > 320 || email.includes('..')) return false;
  const m = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@(.+)$/.exec(email);
  if (!m) return false;
  const labels = m[1].toLowerCase().split('.');
  if (labels.length < 2 || m[1].length > 253) return false;
  const tld = labels[labels.length - 1];
  if (!/^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$/.test(tld)) return false;
  return labels.every((l) => l.length > 0 && l.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(l));
}

// A UK mobile number in any of the ways people write one ("07700 900123",
// "+44 7700 900123", "0044…"), as the ten digits after 0; or Notify's message
// for why not. International numbers are refused as for a service without the
// international text message permission.
export function ukMobile(number) {
  if (typeof number !== 'string') return { error: `phone_number ${JSON.stringify(number)} is not of type string` };
  const compact = number.trim().replace(/[\s().-]/g, '');
  if (!/^\+?[0-9]+$/.test(compact)) return { error: 'phone_number Must not contain letters or symbols' };
  let digits = compact.replace(/^\+/, '');
  if (digits.startsWith('0044')) digits = digits.slice(4);
  else if (digits.startsWith('44')) digits = digits.slice(2);
  else if (compact.startsWith('+')) return { error: 'phone_number Not a UK mobile number' };
  digits = digits.replace(/^0/, '');
  if (!digits.startsWith('7')) return { error: 'phone_number Not a UK mobile number' };
  if (digits.length > 10) return { error: 'phone_number Too many digits' };
  if (digits.length < 10) return { error: 'phone_number Not enough digits' };
  return { digits };
}

// A UK postcode, however spaced or cased; returns it in its usual form, or null.
export function ukPostcode(text) {
  if (typeof text !== 'string') return null;
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (compact === 'GIR0AA') return 'GIR 0AA';
  const m = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/.exec(compact);
  return m ? `${m[1]} ${m[2]}` : null;
}

// The status a notification to `recipient` ends in.
function finalStatus(type, recipient) {
  const r = String(recipient).toLowerCase();
  if (type === 'email') {
    if (r.endsWith('@bounce.example') || r === 'perm-fail@simulator.notify') return 'permanent-failure';
    if (r === 'temp-fail@simulator.notify') return 'temporary-failure';
    return 'delivered';
  }
  if (type === 'sms') {
    if (recipient === '7700900002') return 'permanent-failure';
    if (recipient === '7700900003') return 'temporary-failure';
    return 'delivered';
  }
  return 'received';
}

// Notify's timestamps: ISO 8601 in UTC with microseconds.
const timestamp = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

// Fills ((placeholders)) from `personalisation`; a list becomes bullet points.
// Returns { text, missing: [names] }.
function fill(text, personalisation) {
  const missing = [];
  const out = text.replace(/\(\(([^()]+?)(\?\?[^()]*)?\)\)/g, (whole, rawName, optional) => {
    const name = rawName.trim();
    const key = Object.keys(personalisation).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) {
      if (!optional) missing.push(name);
      return '';
    }
    const value = personalisation[key];
    if (optional) return value ? optional.slice(2) : '';
    return Array.isArray(value) ? `\n\n${value.map((v) => `* ${v}`).join('\n')}\n` : String(value);
  });
  return { text: out, missing };
}

// The template a notification is sent with. With no templates given, any UUID
// is a template whose subject is personalisation.subject and whose body is
// personalisation.body, or else one "key: value" line per placeholder value.
function render(templates, templateId, personalisation) {
  const template = templates?.[templateId];
  if (templates && !template) return { error: errorBody(400, 'BadRequestError', 'Template not found') };
  if (!template) {
    const body = personalisation.body !== undefined
      ? String(personalisation.body)
      : Object.entries(personalisation).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`).join('\n');
    return { subject: String(personalisation.subject ?? 'Message from the fake GOV.UK Notify'), body, version: 1 };
  }
  const subject = fill(template.subject ?? '', personalisation);
  const body = fill(template.body ?? '', personalisation);
  const missing = [...new Set([...subject.missing, ...body.missing])];
  if (missing.length) return { error: errorBody(400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`) };
  return { subject: subject.text, body: body.text, version: template.version ?? 1 };
}

// Schema checks common to every kind of notification: messages Notify gives,
// gathered so all appear in one answer as Notify's do.
function commonErrors(body) {
  const errors = [];
  if (body.template_id === undefined) errors.push('template_id is a required property');
  else if (typeof body.template_id !== 'string' || !uuidPattern.test(body.template_id)) {
    errors.push('template_id is not a valid UUID');
  }
  if (body.personalisation !== undefined
    && (body.personalisation === null || typeof body.personalisation !== 'object' || Array.isArray(body.personalisation))) {
    errors.push(`personalisation ${JSON.stringify(body.personalisation)} is not of type object`);
  }
  if (body.reference !== undefined && body.reference !== null && typeof body.reference !== 'string') {
    errors.push(`reference ${JSON.stringify(body.reference)} is not of type string`);
  }
  return errors;
}

// The address lines of a letter's personalisation, in order, blanks dropped;
// a "postcode" placeholder still counts as the last line, as Notify treats it.
function addressLines(personalisation) {
  const lines = [];
  for (let i = 1; i <= 7; i++) {
    const v = personalisation[`address_line_${i}`];
    if (v !== undefined && v !== null && String(v).trim()) lines.push(String(v).trim());
  }
  if (personalisation.postcode && String(personalisation.postcode).trim()) lines.push(String(personalisation.postcode).trim());
  return lines;
}

// Checks the recipient of one kind of notification. Returns { recipient, fields }
// (fields are those GET shows for it) or { error } with Notify's error body.
function checkRecipient(type, body) {
  const personalisation = body.personalisation ?? {};
  if (type === 'email') {
    if (body.email_address === undefined) return { errors: ['email_address is a required property'] };
    if (!validEmail(body.email_address)) return { errors: ['email_address Not a valid email address'] };
    if (body.email_reply_to_id !== undefined && (typeof body.email_reply_to_id !== 'string' || !uuidPattern.test(body.email_reply_to_id))) {
      return { errors: ['email_reply_to_id is not a valid UUID'] };
    }
    const email = body.email_address.trim();
    // A team key may only send to the team: the way to test a permanent refusal.
    if (email.toLowerCase().endsWith('@fail.example')) {
      return { error: errorBody(400, 'BadRequestError', "Can't send to this recipient using a team-only API key") };
    }
    return { recipient: email, fields: { email_address: email } };
  }
  if (type === 'sms') {
    if (body.phone_number === undefined) return { errors: ['phone_number is a required property'] };
    const phone = ukMobile(body.phone_number);
    if (phone.error) return { errors: [phone.error] };
    return { recipient: phone.digits, fields: { phone_number: body.phone_number } };
  }
  if (body.personalisation === undefined) return { errors: ['personalisation is a required property'] };
  if (!personalisation.address_line_1) return { errors: ['personalisation address_line_1 is a required property'] };
  const lines = addressLines(personalisation);
  if (lines.length < 3) return { errors: ['Address must be at least 3 lines'] };
  if (lines.length > 7) return { errors: ['Address must be no more than 7 lines'] };
  const postcode = ukPostcode(lines[lines.length - 1]);
  if (!postcode) return { errors: ['Must be a real UK postcode'] };
  const fields = {};
  for (let i = 1; i <= 7; i++) fields[`line_${i}`] = i < lines.length ? lines[i - 1] : null;
  fields[`line_${lines.length}`] = postcode;
  fields.postcode = postcode;
  fields.postage = body.postage ?? 'second';
  return { recipient: lines.join('\n'), fields };
}

// Starts the fake on 127.0.0.1. Options:
//   apiKey           the only key it accepts (default defaultApiKey)
//   port             the port to listen on (default 0: any free one)
//   deliverAfterMs   how long a notification stays "created" before it ends
//                    delivered / received / failed (default 0: at once)
//   latencyMs        a delay before every answer (default 0; see setLatency)
//   templates        { [templateId]: { subject, body, version? } } with
//                    ((placeholders)); when given, other template ids are
//                    "Template not found" and missing placeholders are refused
//   fromEmail        the content.from_email of accepted emails
//   keepRequests     record every request in `requests` (default true)
// Returns { url, port, apiKey, serviceId, sent, requests, close(), setLatency(ms),
// failNext(n, status), byReference(ref), duplicateReferences(), reset() }.
// `sent` holds each accepted notification once, oldest first, as GET shows it
// plus `personalisation`; `requests` holds { method, path, body, auth, status }.
export async function startFakeNotify(options = {}) {
  const apiKey = options.apiKey ?? defaultApiKey;
  const keys = parseApiKey(apiKey);
  const deliverAfterMs = options.deliverAfterMs ?? 0;
  const keepRequests = options.keepRequests ?? true;
  const fromEmail = options.fromEmail ?? 'coproduce.test@notifications.service.gov.uk';
  let latencyMs = options.latencyMs ?? 0;
  let failures = []; // statuses the next requests answer with, first first
  const sent = [];
  const requests = [];
  const byId = new Map();
  const referenceCounts = new Map();
  let url = '';

  // What GET shows of a notification: every field but the personalisation.
  function view(n) {
    const { personalisation, ...shown } = n;
    return shown;
  }

  // Makes status, sent_at and completed_at read the time, so a notification
  // (in `sent` as in GET) moves on from "created" once deliverAfterMs has passed.
  function track(n, createdMs, last) {
    const done = () => Date.now() - createdMs >= deliverAfterMs;
    Object.defineProperties(n, {
      status: { enumerable: true, get: () => (done() ? last : 'created') },
      sent_at: { enumerable: true, get: () => (done() ? timestamp(createdMs) : null) },
      completed_at: { enumerable: true, get: () => (done() ? timestamp(createdMs + deliverAfterMs) : null) },
    });
    return n;
  }

  function accept(type, body, check, content) {
    const id = crypto.randomUUID();
    const createdMs = Date.now();
    const reference = body.reference ?? null;
    const template = {
      id: body.template_id,
      version: content.version,
      uri: `${url}/services/${keys.serviceId}/templates/${body.template_id}`,
    };
    const notification = track({
      id,
      reference,
      email_address: null,
      phone_number: null,
      ...(type === 'letter' ? {} : { line_1: null, line_2: null, line_3: null, line_4: null, line_5: null, line_6: null, line_7: null, postcode: null }),
      ...check.fields,
      type,
      template,
      body: content.body,
      subject: type === 'sms' ? null : content.subject,
      created_at: timestamp(createdMs),
      created_by_name: null,
      scheduled_for: null,
      is_cost_data_ready: false,
      cost_in_pounds: null,
      cost_details: {},
      personalisation: body.personalisation ?? {},
    }, createdMs, finalStatus(type, check.recipient));
    sent.push(notification);
    byId.set(id, notification);
    if (reference !== null) referenceCounts.set(reference, (referenceCounts.get(reference) ?? 0) + 1);
    const answer = { id, reference, content: {}, uri: `${url}/v2/notifications/${id}`, template };
    if (type === 'email') answer.content = { subject: content.subject, body: content.body, from_email: fromEmail };
    else if (type === 'sms') answer.content = { body: content.body, from_number: 'GOVUK' };
    else {
      answer.content = { subject: content.subject, body: content.body };
      answer.scheduled_for = null;
    }
    return { status: 201, body: answer };
  }

  function send(type, body) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { status: 400, body: errorBody(400, 'ValidationError', `${JSON.stringify(body)} is not of type object`) };
    }
    const check = checkRecipient(type, body);
    const errors = [...(check.errors ?? []), ...commonErrors(body)];
    if (errors.length) return { status: 400, body: errorBody(400, 'ValidationError', ...errors) };
    if (check.error) return { status: check.error.status_code, body: check.error };
    const content = render(options.templates, body.template_id, body.personalisation ?? {});
    if (content.error) return { status: content.error.status_code, body: content.error };
    return accept(type, body, check, content);
  }

  function list(query, path) {
    const types = query.getAll('template_type');
    const statuses = query.getAll('status');
    for (const t of types) {
      if (!['sms', 'email', 'letter'].includes(t)) {
        return { status: 400, body: errorBody(400, 'ValidationError', `template_type ${t} is not one of [sms, email, letter]`) };
      }
    }
    for (const s of statuses) {
      if (!knownStatuses.includes(s)) {
        return { status: 400, body: errorBody(400, 'ValidationError', `status ${s} is not one of [${knownStatuses.join(', ')}]`) };
      }
    }
    const reference = query.get('reference');
    const olderThan = query.get('older_than');
    let rows = sent.slice().reverse();
    if (olderThan) {
      const at = rows.findIndex((n) => n.id === olderThan);
      rows = at < 0 ? [] : rows.slice(at + 1);
    }
    const notifications = [];
    for (const n of rows) {
      if (notifications.length === pageSize) break;
      if (reference !== null && n.reference !== reference) continue;
      if (types.length && !types.includes(n.type)) continue;
      const shown = view(n);
      if (statuses.length && !statuses.includes(shown.status)) continue;
      notifications.push(shown);
    }
    const links = { current: `${url}${path}` };
    if (notifications.length === pageSize) {
      const next = new URLSearchParams(query);
      next.set('older_than', notifications[notifications.length - 1].id);
      links.next = `${url}/v2/notifications?${next}`;
    }
    return { status: 200, body: { notifications, links } };
  }

  function route(method, path, body) {
    const target = new URL(path, 'http://fake');
    const p = target.pathname.replace(/\/$/, '');
    const send_ = /^\/v2\/notifications\/(email|sms|letter)$/.exec(p);
    if (send_) {
      if (method !== 'POST') return methodNotAllowed();
      if (body === undefined) return { status: 400, body: errorBody(400, 'BadRequestError', 'Invalid JSON supplied in POST data') };
      return send(send_[1], body);
    }
    if (p === '/v2/notifications') {
      if (method !== 'GET') return methodNotAllowed();
      return list(target.searchParams, path);
    }
    const one = /^\/v2\/notifications\/([^/]+)$/.exec(p);
    if (one) {
      if (method !== 'GET') return methodNotAllowed();
      if (!uuidPattern.test(one[1])) return { status: 400, body: errorBody(400, 'ValidationError', 'notification_id is not a valid UUID') };
      const n = byId.get(one[1].toLowerCase());
      if (!n) return { status: 404, body: errorBody(404, 'NoResultFound', 'No result found') };
      return { status: 200, body: view(n) };
    }
    return { status: 404, body: { result: 'error', message: 'The requested URL was not found on the server.' } };
  }

  const methodNotAllowed = () => ({
    status: 405, body: { result: 'error', message: 'The method is not allowed for the requested URL.' },
  });

  const failureBodies = {
    429: errorBody(429, 'RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'),
    500: errorBody(500, 'Exception', 'Internal server error'),
  };

  // The answer to one whole request.
  function answer(req, raw) {
    const auth = req.headers.authorization ?? null;
    let body;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
    }
    const record = { method: req.method, path: req.url, body: body ?? (raw || null), auth, status: 0 };
    if (keepRequests) requests.push(record);
    let result;
    if (failures.length) {
      const status = failures.shift();
      result = { status, body: failureBodies[status] ?? errorBody(status, 'Exception', http.STATUS_CODES[status] ?? 'Error') };
    } else {
      result = checkAuthorization(auth, keys, Date.now());
      // Notify reads the body as JSON only when it says it is JSON.
      const isJson = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
      result ??= route(req.method, req.url, isJson ? body : undefined);
    }
    record.status = result.status;
    return result;
  }

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const result = answer(req, Buffer.concat(chunks).toString('utf8'));
      const text = JSON.stringify(result.body);
      const reply = () => {
        res.writeHead(result.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      };
      if (latencyMs > 0) setTimeout(reply, latencyMs);
      else reply();
    });
  });
  // Benchmarks hold many keep-alive connections; Node would otherwise cap
  // how long each may live.
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    apiKey,
    serviceId: keys.serviceId,
    sent,
    requests,
    // Stops listening and drops kept-alive connections.
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    setLatency(ms) { latencyMs = ms; },
    // The next `n` requests, whatever they are, answer `status` (429: Notify's
    // rate limit error, 500: its internal error) and change nothing.
    failNext(n, status = 500) { for (let i = 0; i < n; i++) failures.push(status); },
    // The accepted notifications with this reference, oldest first.
    byReference(ref) { return sent.filter((n) => n.reference === ref); },
    // How many accepted notifications repeat a reference already accepted.
    duplicateReferences() {
      let extra = 0;
      for (const count of referenceCounts.values()) extra += count - 1;
      return extra;
    },
    // Forgets every notification and request, pending failures and latency.
    reset() {
      sent.length = 0;
      requests.length = 0;
      byId.clear();
      referenceCounts.clear();
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
  const notify = await startFakeNotify({
    port: Number(flag(argv, 'port', '0')),
    latencyMs: Number(flag(argv, 'latency-ms', '0')),
    deliverAfterMs: Number(flag(argv, 'deliver-after-ms', '0')),
    apiKey: flag(argv, 'api-key', defaultApiKey),
    // A long benchmark would otherwise keep every request body.
    keepRequests: false,
  });
  process.stdout.write(`${JSON.stringify({ url: notify.url })}\n`);
  const stop = () => {
    process.stderr.write(`${JSON.stringify({ accepted: notify.sent.length, duplicateReferences: notify.duplicateReferences() })}\n`);
    notify.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
