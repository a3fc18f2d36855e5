// Reads the audit log the way an administrator does: every page of
// /admin/audit-log, newest entry first, so tests check what is audited on
// either database engine.
import { Client, admin } from './server.mjs';

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s) => s.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));/gi, (whole, hex, dec, name) => {
  if (hex) return String.fromCodePoint(parseInt(hex, 16));
  if (dec) return String.fromCodePoint(Number(dec));
  return entities[name] ?? whole;
});

// The entries of the audit log of `email`'s organisation (by default the
// test administrator's), newest first: [{ at, actor, action, subject,
// address }], where `action` is the words the page shows (e.g. "Imported
// survey responses") and `subject` is e.g. "Survey 3".
export async function auditLog(server, { email = admin.email, password = admin.password } = {}) {
  const client = new Client(server.base);
  await client.signIn(email, password);
  const entries = [];
  for (let page = 1; ; page += 1) {
    const res = await client.get(`/admin/audit-log?page=${page}`);
    if (res.status !== 200) throw new Error(`the audit log's page ${page} answered ${res.status}`);
    const body = res.text_.slice(res.text_.indexOf('<tbody'), res.text_.indexOf('</tbody>'));
    for (const [, row] of body.matchAll(/<tr class="govuk-table__row">([^]*?)<\/tr>/g)) {
      const cells = [...row.matchAll(/<td class="govuk-table__cell">([^]*?)<\/td>/g)].map(([, c]) => unescape(c.trim()));
      const [at, actor, action, subject, address] = cells;
      entries.push({ at, actor, action, subject, address });
    }
    if (!res.text_.includes('rel="next"')) return entries;
  }
}

// How many entries of the audit log say `action` (the words the page shows).
export async function auditCount(server, action, options) {
  return (await auditLog(server, options)).filter((e) => e.action === action).length;
}
