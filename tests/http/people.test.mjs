// The involvement pool over HTTP: staff pages, imports, a participant's own
// data, the people API and its OpenAPI document, and organisation isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, routes, run, startServer, userWithRole as user,
} from '../support/server.mjs';

const password = 'a long enough password';

// Posts a multipart form with a file, the way a browser uploads one.
async function upload(c, url, fileName, text, fields = {}) {
  const form = new FormData();
  form.append('csrf_token', c.cookies.get('coproduce_csrf'));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([text], { type: 'text/csv' }), fileName);
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(c.base + url, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
  res.text_ = await res.text();
  return res;
}

describe('the involvement pool', () => {
  let server;
  let lead;
  let analyst;
  let other;
  before(async () => {
    server = await startServer();
    lead = await user(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    analyst = await user(server, admin.organisation, 'analyst@example.org', 'analyst');
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Other Trust']);
    other = await user(server, 'Other Trust', 'other-lead@example.org', 'coproduction-lead');
  });
  after(async () => { await server?.stop(); });

  test('the OpenAPI document lists exactly the API routes the server has', async () => {
    const res = await fetch(`${server.base}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.match(doc.openapi, /^3\./);
    const documented = new Set();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (item[method]) documented.add(`${method.toUpperCase()} ${path}`);
      }
    }
    const served = new Set((await routes()).filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`));
    for (const r of documented) assert.ok(served.has(r), `${r} is documented but not served`);
    for (const r of served) assert.ok(documented.has(r), `${r} is served but not documented`);
  });

  test('POST /api/v1/people answers 201 with the new record and its id', async () => {
    const res = await api(server, lead.token, 'POST', '/api/v1/people', {
      name: 'Grace Hopper', email: 'GRACE@example.org', formats: ['large_print'], lived_experience: ['unpaid_carer'],
      area: 'Northfield', consent: true, pool_categories: { 'age group': '65+' },
      equality: { ethnic_group: 'white_irish', sex: 'female' },
    });
    assert.equal(res.status, 201);
    const p = await res.json();
    assert.ok(Number.isInteger(p.id));
    assert.equal(res.headers.get('location'), `/api/v1/people/${p.id}`);
    assert.equal(p.email, 'grace@example.org');
    assert.deepEqual(p.formats, ['large_print']);
    assert.equal(p.consent.active, true);
    assert.equal(p.pool_categories['age group'], '65+');
    assert.ok(!('equality' in p), 'equality answers are not part of the everyday record');

    const read = await (await api(server, lead.token, 'GET', `/api/v1/people/${p.id}`)).json();
    assert.equal(read.name, 'Grace Hopper');
    const exported = await (await api(server, lead.token, 'GET', `/api/v1/people/${p.id}/export`)).json();
    assert.equal(exported.equality_monitoring.ethnic_group, 'white_irish');
    assert.equal(exported.consents.length, 1);

    const patched = await api(server, lead.token, 'PATCH', `/api/v1/people/${p.id}`, { area: 'Southfield' });
    assert.equal(patched.status, 200);
    const after = await patched.json();
    assert.equal(after.area, 'Southfield');
    assert.equal(after.email, 'grace@example.org', 'fields left out keep their values');
  });

  test('the API names every wrong field and stores nothing', async () => {
    const res = await api(server, lead.token, 'POST', '/api/v1/people', {
      email: 'nope', formats: ['smoke_signals'], payment: 'maybe', equality: { ethnic_group: 'martian' },
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    const fields = body.errors.map((e) => e.field);
    for (const f of ['name', 'email', 'formats', 'payment', 'ethnic_group']) assert.ok(fields.includes(f), `${f} in ${fields}`);
    const bad = await fetch(`${server.base}/api/v1/people`, {
      method: 'POST', headers: { authorization: `Bearer ${lead.token}` }, body: '{not json',
    });
    assert.equal(bad.status, 400);
    const list = await (await api(server, lead.token, 'GET', '/api/v1/people?q=nope')).json();
    assert.equal(list.total, 0);
  });

  test('other organisations and other roles cannot reach a person', async () => {
    const p = await (await api(server, lead.token, 'POST', '/api/v1/people', { name: 'Private Person', phone: '01632 960 111' })).json();
    for (const [method, url] of [['GET', `/api/v1/people/${p.id}`], ['PATCH', `/api/v1/people/${p.id}`],
      ['DELETE', `/api/v1/people/${p.id}`], ['GET', `/api/v1/people/${p.id}/export`]]) {
      const res = await api(server, other.token, method, url, method === 'PATCH' ? { name: 'x' } : undefined);
      assert.equal(res.status, 404, `${method} ${url} from another organisation`);
    }
    const otherList = await (await api(server, other.token, 'GET', '/api/v1/people')).json();
    assert.equal(otherList.total, 0);
    assert.equal((await api(server, analyst.token, 'GET', `/api/v1/people/${p.id}`)).status, 403);
    assert.equal((await other.client.get(`/people/${p.id}`)).status, 404);
    assert.equal((await analyst.client.get('/people')).status, 403);
  });

  test('DELETE erases a person but keeps an anonymous record', async () => {
    const p = await (await api(server, lead.token, 'POST', '/api/v1/people', { name: 'Leaving Soon', email: 'leaving@example.org' })).json();
    assert.equal((await api(server, lead.token, 'DELETE', `/api/v1/people/${p.id}`)).status, 204);
    const after = await (await api(server, lead.token, 'GET', `/api/v1/people/${p.id}`)).json();
    assert.equal(after.erased, true);
    assert.equal(after.name, '');
    assert.equal(after.email, '');
  });

  test('staff add a person with a form that names every problem', async () => {
    const c = lead.client;
    const form = await c.get('/people/new');
    assert.equal(form.status, 200);
    for (const field of ['contact_by', 'formats', 'access_needs', 'lived_experience', 'care_kinds', 'availability',
      'ways', 'payment']) {
      assert.match(form.text_, new RegExp(`name="${field}"`), `the form asks about ${field}`);
    }
    const bad = await c.post('/people', { email: 'not-an-email', formats: 'other_language' });
    assert.equal(bad.status, 400);
    for (const href of ['#name', '#email', '#other_language', '#consent']) {
      assert.ok(bad.text_.includes(`href="${href}"`), `${href} in the error summary`);
    }
    assert.match(bad.text_, /value="not-an-email"/, 'what was typed is kept');
    const ok = await c.post('/people', {
      name: 'Mary Seacole', phone: '01632 960 123', area: 'Eastfield', lived_experience: 'draws_on_care', consent: 'yes',
    });
    assert.equal(ok.status, 303);
    const page = await c.get(ok.headers.get('location'));
    assert.equal(page.status, 200);
    assert.match(page.text_, /Mary Seacole/);
    assert.match(page.text_, /The changes were saved/);
    assert.match(page.text_, /I draw on care and support/);
    const list = await c.get('/people?q=seacole');
    assert.match(list.text_, /Mary Seacole/);
    const filtered = await c.get('/people?q=&experience=unpaid_carer');
    assert.ok(!filtered.text_.includes('Mary Seacole'), 'the experience filter works');
  });

  test('a person can be corrected, consent withdrawn, data downloaded and erased from their page', async () => {
    const c = lead.client;
    const created = await c.post('/people', { name: 'Alan Turing', email: 'alan@example.org', consent: 'yes' });
    const url = created.headers.get('location').split('?')[0];
    const edit = await c.post(`${url}/edit`, { name: 'Alan M Turing', email: 'alan@example.org', area: 'Wilmslow' });
    assert.equal(edit.status, 303);
    assert.match((await c.get(url)).text_, /Wilmslow/);
    const badEdit = await c.post(`${url}/edit`, { name: '', email: '' });
    assert.equal(badEdit.status, 400);
    assert.match(badEdit.text_, /href="#name"/);

    await c.post(`${url}/consent`, { consent: 'withdraw' });
    assert.match((await c.get(url)).text_, /Withdrawn on/);

    const json = await c.get(`${url}/export.json`);
    assert.equal(json.status, 200);
    assert.match(json.headers.get('content-disposition'), /attachment/);
    assert.equal(JSON.parse(json.text_).name, 'Alan M Turing');
    const csv = await c.get(`${url}/export.csv`);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.match(csv.text_, /^\uFEFF?field,value/);

    assert.equal((await c.get(`${url}/erase`)).status, 200);
    const erased = await c.post(`${url}/erase`, {});
    assert.equal(erased.status, 303);
    const page = await c.get(url);
    assert.match(page.text_, /Erased person/);
    assert.ok(!page.text_.includes('alan@example.org'));
  });

  test('an import is checked, previewed, and added only when confirmed', async () => {
    const c = lead.client;
    await c.get('/people/import');
    const good = 'unique_id,first_name,last_name,email,Gender,age group\n'
      + 'u1,Ada,Lovelace,ada@example.org,Female,65+\nu2,Bo,Diddley,bo@example.org,Male,25-44\n';
    const preview = await upload(c, '/people/import', 'pool.csv', good);
    assert.equal(preview.status, 200);
    assert.match(preview.text_, /holds <strong>2<\/strong> people/);
    assert.match(preview.text_, /Gender, age group/);
    assert.equal((await c.get('/people?q=lovelace')).text_.includes('Ada Lovelace'), false, 'nothing added before confirming');
    const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];
    const done = await c.post('/people/import/confirm', { pending });
    assert.equal(done.status, 303);
    assert.match(done.headers.get('location'), /imported=2/);
    assert.match((await c.get('/people?q=lovelace')).text_, /Ada Lovelace/);
    const again = await c.post('/people/import/confirm', { pending });
    assert.equal(again.status, 404, 'a confirmation works once');
  });

  test('a mixed import lists each problem by line and column and adds nothing', async () => {
    const c = lead.client;
    const mixed = 'id,name,email,formats\n1,Good Row,good@example.org,\n2,,nobody@example.org,\n3,Bad Email,nope,telepathy\n';
    const res = await upload(c, '/people/import', 'mixed.csv', mixed);
    assert.equal(res.status, 400);
    assert.match(res.text_, /mixed\.csv was not imported/);
    assert.match(res.text_, /mixed\.csv, line 3, column 2/);
    assert.match(res.text_, /mixed\.csv, line 4, column 3/);
    assert.match(res.text_, /mixed\.csv, line 4, column 4/);
    assert.ok(!(await c.get('/people?q=good+row')).text_.includes('Good Row'), 'nothing imported');
    const broken = await upload(c, '/people/import', 'broken.csv', 'name,email\n"unterminated,x@example.org\n');
    assert.equal(broken.status, 400);
    assert.match(broken.text_, /broken\.csv, line \d+/);
    const none = await upload(c, '/people/import', 'empty.csv', '');
    assert.equal(none.status, 400);
    assert.match(none.text_, /href="#file"/);
  });

  test('a participant sees, downloads and erases their own data', async () => {
    await api(server, lead.token, 'POST', '/api/v1/people', { name: 'Pat Participant', email: 'pat@example.org', consent: true });
    const pat = await user(server, admin.organisation, 'pat@example.org', 'participant');
    const page = await pat.client.get('/my-data');
    assert.equal(page.status, 200);
    assert.match(page.text_, /Pat Participant/);
    const data = await pat.client.get('/my-data/export.json');
    assert.equal(JSON.parse(data.text_).email, 'pat@example.org');
    assert.equal((await pat.client.get('/people')).status, 403, 'participants do not see the pool');
    const erased = await pat.client.post('/my-data/erase', {});
    assert.equal(erased.status, 200);
    assert.match(erased.text_, /Your data has been deleted/);
    const after = await pat.client.get('/my-data');
    assert.equal(after.status, 404, 'nothing of theirs is left to show');
    const list = await (await api(server, lead.token, 'GET', '/api/v1/people?q=pat')).json();
    assert.equal(list.total, 0, 'and staff no longer find them');

    // Someone who reads the site in Welsh is told in Welsh.
    await api(server, lead.token, 'POST', '/api/v1/people', { name: 'Gwen Parry', email: 'gwen@example.org', consent: true });
    const gwen = await user(server, admin.organisation, 'gwen@example.org', 'participant');
    gwen.client.cookies.set('coproduce_language', 'cy');
    const gone = await gwen.client.post('/my-data/erase', {}, { formPage: '/my-data' });
    assert.equal(gone.status, 200);
    assert.match(gone.text_, /<html lang="cy"/);
    assert.match(gone.text_, /Mae eich data wedi(?:'|&apos;)i ddileu/);
    assert.doesNotMatch(gone.text_, /class="govuk-panel__(?:title|body)" lang="en"|Your data has been|Go to the home page/);
  });

  test('reads and changes of people are in the audit log', async () => {
    const c = new Client(server.base);
    await c.signIn();
    let text = '';
    for (let page = 1; page <= 10; page += 1) text += (await c.get(`/admin/audit-log?page=${page}`)).text_;
    const log = { text_: text };
    for (const text of ["Looked at a person&apos;s record", 'Added a person to the pool', 'Imported people from a file',
      "Erased a person&apos;s data"]) {
      assert.ok(log.text_.includes(text), text);
    }
  });
});
