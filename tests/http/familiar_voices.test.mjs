// The familiar-voices dashboard over HTTP: who may see it, the figures the
// API and the page give on a small data set worked out by hand (the same
// one as src/impact/test_fixture.h), bad dates, the CSV download, and the
// benchmark upload with its errors by line and column.
//
// People and groups are made through the API. The hand-worked activities
// and attendance are written with coproduce_test_sql into the running
// server's database (SQLite or PostgreSQL), because they include what the activities
// pages rightly refuse (attendance at a cancelled activity, attendance by
// people who are not members) to show it is left out. The last test records
// attendance through the activities API as a lead would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, admin, api, run, startServer, userWithRole as user,
} from '../support/server.mjs';
import { auditCount } from '../support/audit.mjs';
import { sql, sqlScript } from '../support/sql.mjs';

const password = 'a long enough password';
const period = 'from=2026-01-01&to=2026-06-30';

async function upload(c, url, fileName, text) {
  const form = new FormData();
  form.append('csrf_token', c.cookies.get('coproduce_csrf'));
  form.append('file', new Blob([text], { type: 'text/csv' }), fileName);
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(c.base + url, { method: 'POST', body: form, headers: { cookie }, redirect: 'manual' });
  res.text_ = await res.text();
  return res;
}

// Twelve people's equality answers: [ethnic group, sex, disability].
const answers = [
  ['white_british', 'male', 'disabled'], ['white_irish', 'male', 'not_disabled'],
  ['black_african', 'female', 'disabled'], ['asian_indian', 'male', 'not_disabled'],
  ['white_british', 'female', 'disabled'], ['white_other', 'male', ''],
  ['mixed_white_asian', 'female', ''], ['white_british', 'male', ''],
  ['white_british', 'male', ''], ['prefer_not_to_say', 'female', ''],
  null, ['other_arab', 'prefer_not_to_say', ''],
];

// Activities: [key, group (0 A, 1 B, 2 C), starts_at, status, [[person (1-12), attendance, minutes]]].
const activities = [
  ['a0', 0, '2025-12-01T10:00', 'held', [[1, 'attended', 60], [2, 'attended', 60], [3, 'apologies', 0]]],
  ['a1', 0, '2026-01-10T10:00', 'held', [[1, 'attended', 60], [2, 'attended', 120], [3, 'attended', 90],
    [4, 'attended', 90], [5, 'attended', 90], [6, 'attended', 90], [11, 'did_not_attend', 0], [12, 'apologies', 0]]],
  ['a2', 0, '2026-02-10T10:00', 'held', [[1, 'attended', 60], [2, 'attended', 120], [3, 'attended', 90],
    [4, 'attended', 90], [7, 'attended', 90], [8, 'attended', 90]]],
  ['a3', 1, '2026-03-10T14:00', 'held', [[1, 'attended', 60], [2, 'attended', 120], [9, 'attended', 90],
    [10, 'attended', 90], [11, 'attended', 90], [12, 'attended', 90]]],
  ['a4', 1, '2026-04-10T14:00', 'held', [[1, 'attended', 60]]],
  ['a5', 2, '2026-05-10T09:30', 'held', [[1, 'attended', 60]]],
  ['a6', 2, '2026-06-30T18:00', 'held', [[1, 'attended', 60]]],
  ['a7', 2, '2026-07-01T09:00', 'held', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((p) => [p, 'attended', 60])],
  ['a8', 2, '2026-03-01T10:00', 'cancelled', [[3, 'attended', 90]]],
];

// Accepted or other memberships: [person, group, status].
const memberships = [
  [1, 0, 'accepted'], [1, 1, 'accepted'], [1, 2, 'accepted'], [2, 0, 'accepted'], [2, 1, 'declined'],
  [2, 2, 'accepted'], [3, 0, 'accepted'], [4, 0, 'accepted'], [4, 1, 'accepted'], [4, 2, 'accepted'],
  [9, 1, 'accepted'], [5, 2, 'invited'],
];

describe('the familiar-voices dashboard', () => {
  let server;
  let lead;
  let analyst;
  let learning;
  let other;
  const groups = [];
  let otherGroup;
  before(async () => {
    server = await startServer();
    lead = await user(server, admin.organisation, 'lead@example.org', 'coproduction-lead');
    analyst = await user(server, admin.organisation, 'analyst@example.org', 'analyst');
    learning = await user(server, admin.organisation, 'learning@example.org', 'learning-lead');
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Other Trust']);
    other = await user(server, 'Other Trust', 'other-lead@example.org', 'coproduction-lead');

    const people = [];
    for (let i = 0; i < 12; i += 1) {
      const body = { name: `Person ${i + 1}`, phone: `01632 960 ${200 + i}`, consent: true };
      if (answers[i]) {
        const [ethnic_group, sex, disability] = answers[i];
        body.equality = { ethnic_group, sex, ...(disability ? { disability } : {}) };
      }
      const res = await api(server, lead.token, 'POST', '/api/v1/people', body);
      assert.equal(res.status, 201, await res.clone().text());
      people.push((await res.json()).id);
    }
    for (const name of ['Carers Board', 'Home Care Panel', 'Mental Health Forum']) {
      const res = await api(server, lead.token, 'POST', '/api/v1/groups', {
        name, purpose: 'Shape services', setting: 'council', size: 12, ladder_aim: 'co_production',
      });
      assert.equal(res.status, 201);
      groups.push((await res.json()).id);
    }
    const res = await api(server, other.token, 'POST', '/api/v1/groups', {
      name: 'Their Board', purpose: 'Theirs', setting: 'nhs', size: 5, ladder_aim: 'co_production',
    });
    otherGroup = (await res.json()).id;

    const org = await sql(server.db, `SELECT organisation_id FROM groups WHERE id = ${groups[0]}`);
    const lines = [];
    activities.forEach(([key, g, startsAt, status, invited], n) => {
      const id = 1000 + n;
      lines.push(`INSERT INTO activities (id, organisation_id, group_id, kind, title, starts_at, duration_minutes, status,
        created_at, updated_at) VALUES (${id}, ${org}, ${groups[g]}, 'meeting', '${key}', '${startsAt}', 120, '${status}',
        '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');`);
      for (const [p, attendance, minutes] of invited) {
        lines.push(`INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, attendance, minutes)
          VALUES (${id}, ${people[p - 1]}, 'email', '2025-01-01T00:00:00Z', '${attendance}', ${minutes});`);
      }
    });
    for (const [p, g, status] of memberships) {
      lines.push(`INSERT INTO group_members (group_id, person_id, status, invited_at)
        VALUES (${groups[g]}, ${people[p - 1]}, '${status}', '2025-01-01T00:00:00Z');`);
    }
    await sqlScript(server.db, lines.join('\n'));
  });
  after(async () => { await server?.stop(); });

  test('leads and analysts may see the dashboard; others are turned away', async () => {
    for (const who of [lead, analyst]) {
      const page = await who.client.get(`/dashboard/familiar-voices?${period}`);
      assert.equal(page.status, 200);
      const res = await api(server, who.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`);
      assert.equal(res.status, 200);
    }
    assert.equal((await learning.client.get('/dashboard/familiar-voices')).status, 403);
    assert.equal((await learning.client.get('/dashboard/benchmark')).status, 403);
    assert.equal((await learning.client.get(`/dashboard/familiar-voices.csv?${period}`)).status, 403);
    assert.equal((await api(server, learning.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`)).status, 403);
    assert.equal((await fetch(`${server.base}/api/v1/dashboard/familiar-voices?${period}`)).status, 401);
    const anonymous = await new Client(server.base).get('/dashboard/familiar-voices');
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get('location'), /^\/sign-in/);
    // Analysts read the benchmark but do not change it.
    assert.equal((await analyst.client.get('/dashboard/benchmark')).status, 200);
    const tried = await upload(analyst.client, '/dashboard/benchmark', 'b.csv', 'category,value,share\nsex,female,1\n');
    assert.equal(tried.status, 403);
    // The staff dashboard links to it for those who may open it.
    for (const who of [lead, analyst]) {
      assert.match((await who.client.get('/dashboard')).text_, /href="\/dashboard\/familiar-voices"/);
    }
    assert.doesNotMatch((await learning.client.get('/dashboard')).text_, /href="\/dashboard\/familiar-voices"/);
  });

  test('the API gives the figures worked out by hand', async () => {
    const res = await api(server, analyst.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`);
    const r = await res.json();
    assert.equal(r.from, '2026-01-01');
    assert.equal(r.to, '2026-06-30');
    assert.equal(r.group, null);
    assert.equal(r.places, 21);
    assert.equal(r.people, 12);
    assert.equal(r.hours, 30);
    assert.ok(Math.abs(r.top_decile_share - 9 / 21) < 1e-9, `top_decile_share ${r.top_decile_share}`);
    assert.ok(Math.abs(r.top_decile_hours_share - 0.4) < 1e-9);
    assert.ok(Math.abs(r.gini - 85 / 252) < 1e-9, `gini ${r.gini}`);
    assert.ok(Math.abs(r.newcomer_share - 10 / 21) < 1e-9, `newcomer_share ${r.newcomer_share}`);
    assert.deepEqual(r.people_on_three_or_more_groups, { count: 2, members: 5, share: 0.4 });
    assert.deepEqual(r.places_by_tenth.map((t) => t.places), [9, 2, 2, 1, 1, 2, 1, 1, 1, 1]);

    const rep = r.representativeness;
    assert.equal(rep.suppressed, false);
    const [ethnic, sex, disability] = rep.categories;
    assert.equal(ethnic.category, 'ethnic_group');
    assert.deepEqual(ethnic.values.map((v) => v.value), ['white', 'asian', 'mixed', 'other', 'black']);
    assert.equal(ethnic.values[0].places, 13);
    assert.equal(ethnic.values[0].benchmark_share, 0.817);
    assert.ok(Math.abs(ethnic.values[0].gap - (13 / 19 - 0.817)) < 1e-9);
    assert.equal(ethnic.not_known_places, 2);
    assert.equal(sex.values[0].description, 'Female: 5 of 19 places (26.3%); benchmark 51.0%');
    assert.equal(disability.suppressed, true);
    assert.deepEqual(disability.values, []);
  });

  test('one group: its own figures, and no breakdown of fewer than ten people', async () => {
    const r = await (await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}&group=${groups[0]}`)).json();
    assert.equal(r.group, groups[0]);
    assert.equal(r.group_name, 'Carers Board');
    assert.equal(r.places, 12);
    assert.ok(Math.abs(r.top_decile_share - 2 / 12) < 1e-9);
    assert.equal(r.newcomer_share, 0.5);
    assert.equal(r.representativeness.suppressed, true);
    assert.ok(r.representativeness.categories.every((c) => c.suppressed && c.values.length === 0));

    const page = await lead.client.get(`/dashboard/familiar-voices?${period}&group=${groups[0]}`);
    assert.equal(page.status, 200);
    assert.match(page.text_, /Too few people to show without risk of identifying someone/);
    assert.doesNotMatch(page.text_, /White: /);
  });

  test('periods are widened to whole months, so days cannot be compared', async () => {
    const r = await (await api(server, lead.token, 'GET', '/api/v1/dashboard/familiar-voices?from=2026-03-14&to=2026-03-14')).json();
    assert.equal(r.from, '2026-03-01');
    assert.equal(r.to, '2026-03-31');
    const page = await lead.client.get('/dashboard/familiar-voices?from=2026-03-14&to=2026-04-20');
    assert.match(page.text_, /the dates you gave were widened to 1 March 2026 to 30 April 2026/);
  });

  test('a period with no places has no proportions', async () => {
    const r = await (await api(server, lead.token, 'GET', '/api/v1/dashboard/familiar-voices?from=2020-01-01&to=2020-12-31')).json();
    assert.equal(r.places, 0);
    assert.equal(r.top_decile_share, null);
    assert.equal(r.gini, null);
    assert.equal(r.newcomer_share, null);
  });

  test('bad dates and groups are refused, naming the parameter', async () => {
    const cases = [
      ['from=2026-02-30&to=2026-06-30', 400, 'from'],
      ['from=2026-01-01&to=30%2F06%2F2026', 400, 'to'],
      ['from=2026-07-01&to=2026-06-30', 400, 'to'],
      ['to=2026-06-30', 400, 'from'],
      [`${period}&group=abc`, 400, 'group'],
      [`${period}&group=${otherGroup}`, 404, 'group'],
      [`${period}&group=999999`, 404, 'group'],
    ];
    for (const [query, status, field] of cases) {
      const res = await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${query}`);
      assert.equal(res.status, status, query);
      assert.equal((await res.json()).error.field, field, query);
    }
  });

  test('the page shows the gaps in words and names bad dates by field', async () => {
    const page = await lead.client.get(`/dashboard/familiar-voices?${period}`);
    assert.match(page.text_, /White: 13 of 19 places \(68\.4%\); benchmark 81\.7%/);
    assert.match(page.text_, /Female: 5 of 19 places \(26\.3%\); benchmark 51\.0%/);
    // The most under-represented come first, under their own heading.
    const under = page.text_.indexOf('Fewer places than the benchmark');
    assert.ok(under > 0 && page.text_.indexOf('White: 13') > under);
    assert.ok(page.text_.indexOf('White: 13') < page.text_.indexOf('Black, Black British'));
    assert.match(page.text_, /42\.9%/); // 9 of 21 places held by the top tenth
    // The table's difference for White: 68.4% - 81.7% = -13.3 percentage points.
    assert.match(page.text_, /<th scope="row" class="govuk-table__header">White<\/th>(<td[^>]*>[^<]*<\/td>){3}<td[^>]*>-13\.3<\/td>/);
    assert.match(page.text_, /role="img"/);
    // Each group's headline figures, with a link to its own view.
    assert.match(page.text_, new RegExp(`group=${groups[0]}#figures">Carers Board<span[^]*?</th><td[^>]*>12</td><td[^>]*>8</td><td[^>]*>16\\.7%</td>`));

    const bad = await lead.client.get('/dashboard/familiar-voices?from=2026-13-01&to=2026-01-01');
    assert.equal(bad.status, 400);
    assert.match(bad.text_, /href="#from"/);
    assert.match(bad.text_, /id="from-error"/);
    assert.doesNotMatch(bad.text_, /id="figures"/);
    const otherOrg = await lead.client.get(`/dashboard/familiar-voices?${period}&group=${otherGroup}`);
    assert.equal(otherOrg.status, 400);
    assert.match(otherOrg.text_, /href="#group"/);

    // With no dates, the last twelve months are shown.
    const fallback = await lead.client.get('/dashboard/familiar-voices');
    assert.equal(fallback.status, 200);
    assert.match(fallback.text_, /name="from" type="text" value="\d{4}-\d{2}-\d{2}"/);
  });

  test('the CSV download holds the same figures', async () => {
    const res = await lead.client.get(`/dashboard/familiar-voices.csv?${period}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.match(res.headers.get('content-disposition'), /familiar-voices-2026-01-01-to-2026-06-30\.csv/);
    assert.match(res.text_, /\r\ntop_decile_share,,,2,0\.428571,/);
    assert.match(res.text_, /\r\nrepresentativeness,Ethnic group,White,13,0\.684211,0\.817000,/);
    assert.match(res.text_, /\r\nrepresentativeness,Disability,,,,,,Too few people/);
    // Without a period, the person is shown the page to choose one.
    const bare = await lead.client.get('/dashboard/familiar-voices.csv');
    assert.equal(bare.status, 200);
    assert.match(bare.headers.get('content-type'), /^text\/html/);
    assert.match(bare.text_, /<form method="get" action="\/dashboard\/familiar-voices"/);
    const bad = await lead.client.get('/dashboard/familiar-voices.csv?from=2026-01-01&to=yesterday');
    assert.equal(bad.status, 400);
    assert.match(bad.text_, /end date/);
  });

  test('the XLSX download is a workbook of the same period', async () => {
    const res = await fetch(`${server.base}/dashboard/familiar-voices.xlsx?${period}&group=${groups[1]}`, {
      headers: { cookie: [...lead.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(res.headers.get('content-disposition'), new RegExp(`familiar-voices-2026-01-01-to-2026-06-30-group-${groups[1]}\\.xlsx`));
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip archive, as every .xlsx is');
    assert.equal((await learning.client.get(`/dashboard/familiar-voices.xlsx?${period}`)).status, 403);
    assert.match((await lead.client.get('/dashboard/familiar-voices.xlsx')).headers.get('content-type'), /^text\/html/);
    assert.equal((await lead.client.get(`/dashboard/familiar-voices.xlsx?${period}&group=${otherGroup}`)).status, 404);
  });

  test('reading the figures is in the audit log', async () => {
    const n = await auditCount(server, 'Looked at the familiar-voices figures');
    assert.ok(n > 0);
  });

  test('a bad benchmark file is refused with its problems by line and column', async () => {
    await lead.client.get('/dashboard/benchmark');
    const res = await upload(lead.client, '/dashboard/benchmark', 'local.csv',
      'category,value,share\nsex,female,0.6\nsex,Martian,0.4\nreligion,none,1\nethnic group,White,lots\n');
    assert.equal(res.status, 400);
    assert.match(res.text_, /local\.csv, line 3, column 2/);
    assert.match(res.text_, /local\.csv, line 4, column 1/);
    assert.match(res.text_, /local\.csv, line 5, column 3/);
    assert.match(res.text_, /&quot;lots&quot; is not a number/);
    const sums = await upload(lead.client, '/dashboard/benchmark', 'sums.csv', 'category,value,share\nsex,female,0.6\nsex,male,0.6\n');
    assert.equal(sums.status, 400);
    assert.match(sums.text_, /sums\.csv, line 2, column 3/);
    assert.match(sums.text_, /add up to 1\.2/);
    // Nothing changed.
    const r = await (await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`)).json();
    assert.equal(r.benchmark.local, false);
    const none = await upload(lead.client, '/dashboard/benchmark', 'empty.csv', '');
    assert.equal(none.status, 400);
    assert.match(none.text_, /href="#file"/);
  });

  test('a local benchmark is used until the organisation goes back to the Census', async () => {
    await lead.client.get('/dashboard/benchmark');
    const res = await upload(lead.client, '/dashboard/benchmark', 'local.csv',
      'category,value,share,source\nsex,Female,0.25,Our area survey\nsex,Male,0.75,Our area survey\n');
    assert.equal(res.status, 303);
    const shown = await lead.client.get('/dashboard/benchmark?uploaded=1');
    assert.match(shown.text_, /Our area survey/);
    assert.match(shown.text_, /own benchmark/);
    let r = await (await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`)).json();
    assert.equal(r.benchmark.local, true);
    const female = r.representativeness.categories[1].values.find((v) => v.value === 'female');
    assert.equal(female.benchmark_share, 0.25);
    assert.ok(Math.abs(female.gap - (5 / 19 - 0.25)) < 1e-12);
    // Another organisation still has the Census.
    const theirs = await (await api(server, other.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`)).json();
    assert.equal(theirs.benchmark.local, false);

    const noToken = await lead.client.request('POST', '/dashboard/benchmark/default', { form: {} });
    assert.equal(noToken.status, 403);
    const reset = await lead.client.post('/dashboard/benchmark/default', {}, { formPage: '/dashboard/benchmark' });
    assert.equal(reset.status, 303);
    r = await (await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}`)).json();
    assert.equal(r.benchmark.local, false);
    assert.equal(r.representativeness.categories[1].values.find((v) => v.value === 'female').benchmark_share, 0.5104);
  });
  // Last, because it adds places: an activity made and recorded through the
  // activities API counts the way the definitions say.
  test('attendance recorded through the activities API is counted', async () => {
    const before = await (await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}&group=${groups[1]}`)).json();
    const created = await api(server, lead.token, 'POST', `/api/v1/groups/${groups[1]}/activities`, {
      kind: 'meeting', title: 'Spring panel', starts_at: '2026-05-20T10:00', duration_minutes: '90', place: 'Town Hall',
    });
    assert.equal(created.status, 201, await created.clone().text());
    const activity = await created.json();
    const invited = await (await api(server, lead.token, 'POST', `/api/v1/activities/${activity.id}/invite`)).json();
    // The panel's accepted members: P1, P4 and P9.
    assert.equal(invited.invited, 3);
    const members = await (await api(server, lead.token, 'GET', `/api/v1/groups/${groups[1]}`)).json();
    const accepted = members.members.filter((m) => m.status === 'accepted').map((m) => m.person_id);
    const recorded = await api(server, lead.token, 'POST', `/api/v1/activities/${activity.id}/attendance`, {
      attendance: [
        { person_id: accepted[0], attendance: 'attended', minutes: '60' },
        { person_id: accepted[1], attendance: 'attended' },
        { person_id: accepted[2], attendance: 'apologies' },
      ],
    });
    assert.equal(recorded.status, 200, await recorded.clone().text());
    const after = await (await api(server, lead.token, 'GET', `/api/v1/dashboard/familiar-voices?${period}&group=${groups[1]}`)).json();
    // The panel had a3 (P1 60, P2 120, P9..P12 90 each) and a4 (P1 60):
    // 7 places, 6 people, 600 minutes. Now P1 (60) and P4 (the whole 90
    // minutes) add 2 places; P9's apologies add none. P4 is new to the
    // panel but not to the organisation, so no newcomer places are added.
    assert.deepEqual([before.places, before.people, before.hours, before.newcomer_places], [7, 6, 10, 4]);
    assert.deepEqual([after.places, after.people, after.hours], [9, 7, 12.5]);
    assert.equal(after.newcomer_places, before.newcomer_places);
  });
});
