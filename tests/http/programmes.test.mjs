// The programmes API over HTTP: a programme with its theory of change,
// indicators, costs, valued outcomes and business case, as a co-production
// lead, an analyst and the people who may not use it meet them.
//
// The business case is worked by hand from the arithmetic in
// src/impact/value.h; the status against target from the rule in
// src/impact/theory_of_change.h.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  admin, api, run, startServer, userWithRole,
} from '../support/server.mjs';
import { auditCount } from '../support/audit.mjs';
import { sql } from '../support/sql.mjs';

const base = '/api/v1/programmes';

const programme = {
  name: "Carers' voice",
  purpose: 'Carers shape the short breaks service',
  lead: 'Sam Lee',
  starts_on: '2025-04-01',
  ends_on: '2026-03-31',
};

// Sends `body` and expects `status`; answers the JSON.
async function expectStatus(server, token, method, url, body, status) {
  const res = await api(server, token, method, url, body);
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${url}: ${text}`);
  return text ? JSON.parse(text) : null;
}

// The fields a 400 answer names, in order.
async function fieldsOf(server, token, method, url, body) {
  const answer = await expectStatus(server, token, method, url, body, 400);
  assert.equal(answer.error.code, 'invalid');
  assert.equal(answer.error.field, answer.errors[0].field, 'the first problem is the error');
  for (const e of answer.errors) assert.ok(e.message.length > 10, `a message for ${e.field}`);
  return answer.errors.map((e) => e.field);
}

describe('the programmes API', () => {
  let server;
  let lead;      // co-production lead: writes
  let analyst;   // reads
  let learningLead;
  let participant;
  let other;     // a co-production lead in another organisation
  let adminToken;

  before(async () => {
    server = await startServer();
    adminToken = (await run(['admin', 'create-token', '--database', server.db, '--email', admin.email])).trim().split('\n').at(-1);
    lead = await userWithRole(server, admin.organisation, 'colead@example.org', 'coproduction-lead');
    analyst = await userWithRole(server, admin.organisation, 'analyst@example.org', 'analyst');
    learningLead = await userWithRole(server, admin.organisation, 'learning@example.org', 'learning-lead');
    participant = await userWithRole(server, admin.organisation, 'participant@example.org', 'participant');
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Other Trust']);
    other = await userWithRole(server, 'Other Trust', 'other-lead@example.org', 'coproduction-lead');
  });
  after(async () => { await server?.stop(); });

  test('a programme is created, read, listed and its discount rate changed', async () => {
    const res = await api(server, lead.token, 'POST', base, programme);
    assert.equal(res.status, 201, await res.clone().text());
    const made = await res.json();
    assert.equal(res.headers.get('location'), `${base}/${made.id}`);
    assert.equal(made.name, "Carers' voice");
    assert.equal(made.lead, 'Sam Lee');
    assert.equal(made.discount_rate, 3.5, "the Green Book's rate unless changed");
    assert.deepEqual(made.group_ids, []);

    const patched = await expectStatus(server, lead.token, 'PATCH', `${base}/${made.id}`, { discount_rate: 1.5 }, 200);
    assert.equal(patched.discount_rate, 1.5);
    assert.equal(patched.name, "Carers' voice", 'keys left out keep their values');
    const read = await expectStatus(server, analyst.token, 'GET', `${base}/${made.id}`, undefined, 200);
    assert.equal(read.discount_rate, 1.5);
    const { programmes } = await expectStatus(server, analyst.token, 'GET', base, undefined, 200);
    assert.ok(programmes.some((p) => p.id === made.id));
  });

  test('the business case equals the hand-worked example', async () => {
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'Worked example' }, 201);
    // 12 units a year at £100, for 2 years, deadweight 25%, attribution
    // 20%, drop-off 10% a year, at 3.5%:
    //   adjusted: 12 × 10,000p × 0.75 × 0.80                 = 72,000p
    //   year 1:   72,000 / 1.035                               = 69,565.217p
    //   year 2:   72,000 × 0.90 = 64,800 / 1.035² (1.071225)   = 60,491.493p
    //   present value 130,056.711p, rounded once: 130,057p.
    // Costs in the programme's period: £600 venue + £400 interpreters =
    // 100,000p (a cost after its end does not count). NPV 30,057p; ratio 1.30057.
    const outcome = await expectStatus(server, lead.token, 'POST', `${base}/${p.id}/outcomes`, {
      name: 'Carers less often in crisis', quantity: 12, value_pence: 10000, duration_years: 2,
      deadweight: 25, attribution: 20, displacement: 0, drop_off: 10, source: 'Local unit cost of a crisis visit',
    }, 201);
    assert.equal(outcome.deadweight, 25);
    for (const cost of [{ kind: 'venue', amount_pence: 60000, date: '2025-06-01', note: 'Hall hire' },
      { kind: 'interpreters', amount_pence: 40000, date: '2026-03-31', note: 'BSL' },
      { kind: 'catering', amount_pence: 55555, date: '2026-04-01', note: 'After the end' }]) {
      const c = await expectStatus(server, lead.token, 'POST', `${base}/${p.id}/costs`, cost, 201);
      assert.equal(c.amount_pence, cost.amount_pence);
    }
    const bc = await expectStatus(server, analyst.token, 'GET', `${base}/${p.id}/business-case`, undefined, 200);
    assert.equal(bc.discount_rate, 3.5);
    assert.equal(bc.total_present_value_pence, 130057);
    assert.equal(bc.total_costs_pence, 100000);
    assert.equal(bc.net_present_value_pence, 30057);
    assert.equal(bc.ratio, 130057 / 100000);
    assert.equal(bc.no_ratio_reason, null);
    assert.deepEqual(bc.outcomes.map((o) => [o.id, o.name, o.present_value_pence]),
      [[outcome.id, 'Carers less often in crisis', 130057]]);
    assert.equal(bc.outcomes[0].years.length, 2);
    assert.ok(Math.abs(bc.outcomes[0].years[1].present_value_pence - 60491.493) < 0.001);
    assert.deepEqual(bc.costs.map((c) => c.label), ['Venue: Hall hire', 'Interpreters: BSL']);
    // Every assumption of the outcome and the discount rate, largest swing first.
    assert.equal(bc.sensitivity.length, 8);
    for (let i = 1; i < bc.sensitivity.length; i++) {
      assert.ok(bc.sensitivity[i - 1].swing_pence >= bc.sensitivity[i].swing_pence, 'tornado order');
    }
    assert.ok(bc.scenarios.low.net_present_value_pence <= bc.scenarios.central.net_present_value_pence);
    assert.equal(bc.scenarios.central.net_present_value_pence, 30057);

    // A later period counts the later cost only.
    const later = await expectStatus(server, lead.token, 'GET', `${base}/${p.id}/business-case?from=2026-04-01&to=2026-12-31`, undefined, 200);
    assert.equal(later.total_costs_pence, 55555);
    const costs = await expectStatus(server, lead.token, 'GET', `${base}/${p.id}/costs`, undefined, 200);
    assert.equal(costs.total_pence, 100000);
    assert.equal(costs.by_category.accessibility, 40000);
    assert.equal(costs.by_category.venue, 60000);

    // At 0% nothing is discounted: 72,000 + 64,800 = 136,800p.
    await expectStatus(server, lead.token, 'PATCH', `${base}/${p.id}`, { discount_rate: 0 }, 200);
    const flat = await expectStatus(server, lead.token, 'GET', `${base}/${p.id}/business-case`, undefined, 200);
    assert.equal(flat.total_present_value_pence, 136800);
  });

  test('an indicator from a survey question gives its share, base and Wilson interval, hiding small numbers', async () => {
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'Heard' }, 201);
    await expectStatus(server, lead.token, 'PUT', `${base}/${p.id}/theory-of-change`, {
      elements: [{ ref: 'O1', stage: 'outcome_short', text: 'Carers feel heard' }], links: [],
    }, 200);
    // A survey of the organisation's and its sent answers, written straight
    // into the database (the survey tests cover taking surveys on the web).
    const org = await sql(server.db, `SELECT id FROM organisations WHERE name = '${admin.organisation}'`);
    const definition = JSON.stringify({
      format: 'coproduce-survey/1', title: 'Check-in',
      questions: [{ code: 'heard', type: 'yes_no', text: 'Did you feel heard?' },
        { code: 'why', type: 'long_text', text: 'Why?' }],
    }).replaceAll("'", "''");
    const survey = await sql(server.db, `INSERT INTO surveys (organisation_id, title, slug, definition, created_at, updated_at)
      VALUES (${org}, 'Check-in', 'check-in-heard', '${definition}', 'x', 'x') RETURNING id`);
    const rows = [];
    // 2025-Q2: 8 yes and 4 no; one started and never sent. 2025-Q3: 2 yes.
    for (let i = 0; i < 12; i++) rows.push([`2025-05-${String(i + 1).padStart(2, '0')}T10:00:00Z`, i < 8 ? 'yes' : 'no']);
    rows.push([null, 'yes'], ['2025-08-01T10:00:00Z', 'yes'], ['2025-08-02T10:00:00Z', 'yes']);
    const values = rows.map(([sent, answer]) => `(${survey}, 'x', 'x', ${sent ? `'${sent}'` : 'NULL'}, '{"heard": {"values": ["${answer}"]}}')`);
    await sql(server.db, `INSERT INTO survey_responses (survey_id, started_at, updated_at, submitted_at, answers) VALUES ${values.join(', ')}`);

    const made = await expectStatus(server, lead.token, 'POST', `${base}/${p.id}/indicators`, {
      element: 'O1', name: 'Carers who felt heard', direction: 'higher', frequency: 'quarterly',
      source: 'survey', survey_id: Number(survey), question: 'heard', options: ['yes'],
    }, 201);
    assert.equal(made.unit, 'percentage', 'a survey share is a percentage');
    assert.deepEqual(made.options, ['yes']);
    const [q2, q3] = made.measurements;
    assert.equal(q2.period, '2025-Q2');
    assert.equal(q2.base, 12);
    assert.ok(Math.abs(q2.value - (100 * 8) / 12) < 1e-9);
    // 95% Wilson interval of 8 of 12, worked by hand: 39.06% to 86.19%.
    assert.ok(Math.abs(q2.interval.lower - 39.06) < 0.01, `lower ${q2.interval.lower}`);
    assert.ok(Math.abs(q2.interval.upper - 86.19) < 0.01, `upper ${q2.interval.upper}`);
    assert.equal(q3.period, '2025-Q3');
    assert.equal(q3.value, null, 'two answers are too few to show');
    assert.equal(q3.suppressed, true);
    assert.match(q3.note, /too few/);

    // Each way the survey, question or answers can be wrong, on its field.
    const indicator = {
      element: 'O1', name: 'Heard', direction: 'higher', frequency: 'quarterly', source: 'survey',
      survey_id: Number(survey), question: 'heard', options: ['yes'],
    };
    const url = `${base}/${p.id}/indicators`;
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...indicator, survey_id: 999999 }), ['survey_id']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...indicator, question: 'why' }), ['question']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...indicator, options: ['yes', 'maybe'] }), ['options.1']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...indicator, survey_id: undefined, question: '', options: [] }),
      ['survey_id', 'question', 'options']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...indicator, options: 'yes' }), ['options']);
    // Another organisation's survey cannot be measured here.
    const otherOrg = await sql(server.db, "SELECT id FROM organisations WHERE name = 'Other Trust'");
    const theirs = await sql(server.db, `INSERT INTO surveys (organisation_id, title, slug, definition, created_at, updated_at)
      VALUES (${otherOrg}, 'Theirs', 'theirs-heard', '${definition}', 'x', 'x') RETURNING id`);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...indicator, survey_id: Number(theirs) }), ['survey_id']);
    const listed = await expectStatus(server, analyst.token, 'GET', url, undefined, 200);
    assert.equal(listed.indicators.length, 1, 'nothing half-saved');
  });

  test('a benchmark gap indicator names its category and value, and is audited when read', async () => {
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'Reach' }, 201);
    await expectStatus(server, lead.token, 'PUT', `${base}/${p.id}/theory-of-change`, {
      elements: [{ ref: 'P1', stage: 'output', text: 'Places taken up' }], links: [],
    }, 200);
    const url = `${base}/${p.id}/indicators`;
    const gap = {
      element: 'P1', name: 'Gap for disabled people', direction: 'higher', frequency: 'quarterly',
      source: 'platform', measure: 'benchmark_gap',
    };
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, gap), ['category', 'category_value']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', url, { ...gap, category: 'sex', category_value: 'disabled' }),
      ['category_value']);
    const made = await expectStatus(server, lead.token, 'POST', url, { ...gap, category: 'disability', category_value: 'disabled' }, 201);
    assert.equal(made.unit, 'points');
    assert.equal(made.category, 'disability');
    // No places in the programme: no figure, and a reason, never a made-up 0.
    assert.ok(made.measurements.length > 0);
    for (const m of made.measurements) {
      assert.equal(m.value, null);
      assert.ok(m.note.length > 0);
    }
    const reads = () => auditCount(server, "Read equality answers for a programme's benchmark gap");
    const before = await reads();
    await expectStatus(server, analyst.token, 'GET', url, undefined, 200);
    assert.equal(await reads(), before + 1, 'reading equality answers is in the audit log');

    // Its reach: nothing held yet, so no shares and nothing broken down,
    // never a made-up 0; every rung listed; the read audited too.
    const reach = await expectStatus(server, analyst.token, 'GET', `${base}/${p.id}/reach`, undefined, 200);
    assert.equal(reach.from, programme.starts_on);
    assert.equal(reach.places, 0);
    assert.equal(reach.newcomer_share, null);
    assert.equal(reach.lead_mean, null);
    assert.deepEqual(reach.rungs.map((r) => r.rank), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(reach.representativeness.suppressed, true);
    assert.equal(await reads(), before + 2);
    const bad = await expectStatus(server, analyst.token, 'GET', `${base}/${p.id}/reach?from=2025-05-01&to=2025-04-01`, undefined, 400);
    assert.equal(bad.error.field, 'to');
  });

  test('a business case with no costs says so instead of dividing by zero', async () => {
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'No costs yet' }, 201);
    await expectStatus(server, lead.token, 'POST', `${base}/${p.id}/outcomes`, {
      name: 'Wellbeing', quantity: 1, proxy: 'wellby', duration_years: 1,
    }, 201);
    const bc = await expectStatus(server, lead.token, 'GET', `${base}/${p.id}/business-case`, undefined, 200);
    assert.equal(bc.total_costs_pence, 0);
    assert.equal(bc.ratio, null);
    assert.match(bc.no_ratio_reason, /no costs/);
    // £13,000 a WELLBY at 3.5% for one year: 1,300,000 / 1.035 = 1,256,038.65p.
    assert.equal(bc.total_present_value_pence, 1256039);
    assert.equal(bc.net_present_value_pence, 1256039);
  });

  test('staff time is costed from the grade and hours, with on-costs', async () => {
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'Staff time' }, 201);
    const grades = await expectStatus(server, lead.token, 'PUT', '/api/v1/staff-grades',
      { grades: [{ name: 'Band 5', hourly_pence: 2000, on_cost_percent: 25 }] }, 200);
    assert.deepEqual(grades.grades, [{ name: 'Band 5', hourly_pence: 2000, on_cost_percent: 25 }]);
    // 3.5 hours × £20.00 × 1.25 = £87.50.
    const cost = await expectStatus(server, lead.token, 'POST', `${base}/${p.id}/costs`,
      { kind: 'staff_time', grade: 'Band 5', hours: 3.5, date: '2025-05-01', note: 'Planning' }, 201);
    assert.equal(cost.amount_pence, 8750);
    assert.equal(cost.hourly_pence, 2000);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${base}/${p.id}/costs`,
      { kind: 'staff_time', grade: 'Band 5', date: '2025-05-01', amount_pence: 100 }), ['amount_pence', 'hours']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${base}/${p.id}/costs`,
      { kind: 'staff_time', grade: 'Band 9', hours: 1, date: '2025-05-01' }), ['grade']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'PUT', '/api/v1/staff-grades',
      { grades: [{ name: 'Band 6', hourly_pence: -1, on_cost_percent: 120 }] }),
    ['grades.0.hourly_pence', 'grades.0.on_cost_percent']);
    const still = await expectStatus(server, analyst.token, 'GET', '/api/v1/staff-grades', undefined, 200);
    assert.equal(still.grades.length, 1, 'nothing half-saved');
  });

  test('bad input is named by field, and nothing is half-saved', async () => {
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', base,
      { ...programme, name: '', ends_on: '2025-03-31', discount_rate: 25 }), ['name', 'ends_on', 'discount_rate']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', base, { ...programme, group_ids: [999] }), ['group_ids.0']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', base, { ...programme, discount_rate: 'low' }), ['discount_rate']);
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'Checks' }, 201);
    const url = `${base}/${p.id}`;
    assert.deepEqual(await fieldsOf(server, lead.token, 'PATCH', url, { discount_rate: 20.5 }), ['discount_rate']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'PATCH', url, { discount_rate: -1 }), ['discount_rate']);
    assert.equal((await expectStatus(server, lead.token, 'GET', url, undefined, 200)).discount_rate, 3.5);

    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/outcomes`, {
      name: 'Bad', quantity: -1, value_pence: 100, duration_years: -1, deadweight: 120, attribution: -5, displacement: 0, drop_off: 101,
    }), ['quantity', 'duration_years', 'deadweight', 'attribution', 'drop_off']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/outcomes`, { name: 'Half' }),
      ['quantity', 'value_pence', 'duration_years']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/outcomes`,
      { name: 'Pence', quantity: 1, value_pence: 10.5, duration_years: 1 }), ['value_pence']);
    assert.deepEqual((await expectStatus(server, lead.token, 'GET', `${url}/outcomes`, undefined, 200)).outcomes, []);

    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/costs`,
      { kind: 'venue', amount_pence: -500, date: '2025-02-30' }), ['date', 'amount_pence']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/costs`,
      { kind: 'payments', amount_pence: 500, date: '2025-05-01' }), ['kind']);
    assert.deepEqual((await expectStatus(server, lead.token, 'GET', `${url}/costs`, undefined, 200)).costs, []);
    assert.deepEqual(await fieldsOf(server, lead.token, 'GET', `${url}/costs?from=2025-06-01&to=2025-05-01`), ['to']);

    await expectStatus(server, lead.token, 'PUT', `${url}/theory-of-change`,
      { elements: [{ ref: 'O1', stage: 'outcome_short', text: 'Heard' }] }, 200);
    const indicator = {
      element: 'O1', name: 'Feel heard', unit: 'percentage', direction: 'higher', frequency: 'quarterly', source: 'manual',
    };
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/indicators`, { ...indicator, source: undefined }), ['source']);
    // A survey indicator names its survey, question and the answers counted.
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/indicators`, { ...indicator, source: 'survey' }),
      ['survey_id', 'question', 'options']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/indicators`, {
      ...indicator, baseline_value: 40, baseline_date: '2025-04-01', target_value: 70, target_date: '2025-03-01',
    }), ['target_date']);
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/indicators`, { ...indicator, element: 'Z9' }), ['element']);
    assert.deepEqual((await expectStatus(server, lead.token, 'GET', `${url}/indicators`, undefined, 200)).indicators, []);

    assert.deepEqual(await fieldsOf(server, lead.token, 'PUT', `${url}/theory-of-change`, {
      elements: [{ ref: 'A1', stage: 'activity', text: 'Sessions' }, { ref: 'A1', stage: 'output', text: 'Twice' }],
      links: [{ from: 'A1', to: 'Q1' }],
    }), ['elements.1.ref', 'links.0.to']);
    const toc = await expectStatus(server, lead.token, 'GET', `${url}/theory-of-change`, undefined, 200);
    assert.deepEqual(toc.elements.map((e) => e.ref), ['O1'], 'the theory of change is as it was');
  });

  test('the theory of change, indicators, measurements and status against target', async () => {
    const p = await expectStatus(server, lead.token, 'POST', base, { ...programme, name: 'Indicators' }, 201);
    const url = `${base}/${p.id}`;
    const toc = await expectStatus(server, lead.token, 'PUT', `${url}/theory-of-change`, {
      elements: [
        { ref: 'I1', stage: 'input', text: 'Paid time for carers' },
        { ref: 'A1', stage: 'activity', text: 'Monthly co-design sessions' },
        { ref: 'P1', stage: 'output', text: 'Sessions held with carers' },
        { ref: 'O1', stage: 'outcome_short', text: 'Carers feel heard' },
        { ref: 'X1', stage: 'impact', text: 'Short breaks that fit carers' },
      ],
      links: [
        { from: 'I1', to: 'A1' },
        { from: 'A1', to: 'P1', assumptions: 'Carers can come', conditions: 'Replacement care is paid for' },
        { from: 'P1', to: 'O1' },
        { from: 'O1', to: 'X1' },
      ],
    }, 200);
    assert.deepEqual(toc.elements.map((e) => [e.ref, e.stage_label]), [['I1', 'Input'], ['A1', 'Activity'],
      ['P1', 'Output'], ['O1', 'Short-term outcome'], ['X1', 'Impact']]);
    assert.equal(toc.links[1].conditions, 'Replacement care is paid for');

    const made = await expectStatus(server, lead.token, 'POST', `${url}/indicators`, {
      element: 'O1', name: 'Carers who feel heard', definition: 'Share answering yes in the quarterly check-in',
      unit: 'percentage', direction: 'higher', frequency: 'quarterly', source: 'manual',
      baseline_value: 40, baseline_date: '2025-04-01', target_value: 70, target_date: '2026-03-31',
    }, 201);
    assert.equal(made.status.code, 'no_measurement');
    assert.match(made.status.rule, /^Higher is better\. Met when the latest measurement is at or above the target of 70%/);
    // 2025-Q3 ends 2025-09-30, 182 of 364 days from the baseline: the line
    // stands at 40 + 30 × 182/364 = 55. 54 is off track; 56 on track.
    const q3 = await expectStatus(server, lead.token, 'POST', `${url}/indicators/${made.id}/measurements`,
      { period: '2025-Q3', value: 54, evidence: 'Check-in survey, September: 27 of 50' }, 201);
    assert.equal(q3.status.code, 'off_track');
    assert.match(q3.status.explanation, /below the straight-line value of 55% for that date \(182 of 364 days/);
    const q4 = await expectStatus(server, lead.token, 'POST', `${url}/indicators/${made.id}/measurements`,
      { period: '2025-Q4', value: 66, evidence: 'Check-in survey, December: 33 of 50' }, 201);
    assert.equal(q4.status.code, 'on_track');  // the line: 40 + 30 × 274/364 = 62.58
    assert.deepEqual(q4.measurements.map((m) => [m.period, m.value, m.evidence]), [
      ['2025-Q3', 54, 'Check-in survey, September: 27 of 50'], ['2025-Q4', 66, 'Check-in survey, December: 33 of 50']]);
    const again = await expectStatus(server, lead.token, 'POST', `${url}/indicators/${made.id}/measurements`,
      { period: '2025-Q4', value: 70, evidence: 'Again' }, 409);
    assert.equal(again.error.field, 'period');
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/indicators/${made.id}/measurements`,
      { period: '2025-12', value: 101, evidence: '' }), ['period', 'value', 'evidence']);

    // A platform measure is worked out, never typed: with no groups yet,
    // no places in any quarter (a real 0), and no share to show.
    const places = await expectStatus(server, lead.token, 'POST', `${url}/indicators`, {
      element: 'P1', name: 'Places taken up', direction: 'higher', frequency: 'quarterly', source: 'platform', measure: 'places',
    }, 201);
    assert.equal(places.unit, 'count');
    assert.deepEqual(places.measurements.map((m) => [m.period, m.value]),
      [['2025-Q2', 0], ['2025-Q3', 0], ['2025-Q4', 0], ['2026-Q1', 0]]);
    const share = await expectStatus(server, lead.token, 'POST', `${url}/indicators`, {
      element: 'P1', name: 'Newcomers', direction: 'higher', frequency: 'quarterly', source: 'platform', measure: 'newcomer_share',
    }, 201);
    assert.ok(share.measurements.every((m) => m.value === null && m.note === 'No places in the period'));
    assert.deepEqual(await fieldsOf(server, lead.token, 'POST', `${url}/indicators/${places.id}/measurements`,
      { period: '2025-Q3', value: 3, evidence: 'Typed' }), ['source']);

    // An element with indicators cannot be removed from the theory of change.
    assert.deepEqual(await fieldsOf(server, lead.token, 'PUT', `${url}/theory-of-change`,
      { elements: [{ ref: 'P1', stage: 'output', text: 'Sessions held' }] }), ['elements']);
    const { indicators } = await expectStatus(server, analyst.token, 'GET', `${url}/indicators`, undefined, 200);
    assert.equal(indicators.length, 3);
    await expectStatus(server, lead.token, 'DELETE', `${url}/indicators/${share.id}`, undefined, 204);
    await expectStatus(server, lead.token, 'GET', `${url}/indicators/${share.id}`, undefined, 404);
  });

  test('administrators and co-production leads write; analysts read; nobody else may', async () => {
    const p = await expectStatus(server, adminToken, 'POST', base, { ...programme, name: 'Access' }, 201);
    const url = `${base}/${p.id}`;
    const reads = [base, url, `${url}/theory-of-change`, `${url}/indicators`, `${url}/costs`, `${url}/outcomes`,
      `${url}/business-case`, `${url}/reach`, '/api/v1/staff-grades'];
    const writes = [['POST', base, programme], ['PATCH', url, { discount_rate: 2 }],
      ['PUT', `${url}/theory-of-change`, { elements: [] }],
      ['POST', `${url}/costs`, { kind: 'venue', amount_pence: 1, date: '2025-05-01' }],
      ['POST', `${url}/outcomes`, { name: 'x', quantity: 1, value_pence: 1, duration_years: 1 }],
      ['POST', `${url}/indicators`, { element: 'x', name: 'x', direction: 'higher', frequency: 'monthly', source: 'manual', unit: 'count' }],
      ['PUT', '/api/v1/staff-grades', { grades: [] }]];
    for (const readUrl of reads) await expectStatus(server, analyst.token, 'GET', readUrl, undefined, 200);
    for (const [method, writeUrl, body] of writes) {
      const res = await api(server, analyst.token, method, writeUrl, body);
      assert.equal(res.status, 403, `analyst: ${method} ${writeUrl}`);
      assert.equal((await res.json()).error.code, 'forbidden');
    }
    for (const [who, token] of [['learning lead', learningLead.token], ['participant', participant.token]]) {
      for (const readUrl of reads) assert.equal((await api(server, token, 'GET', readUrl)).status, 403, `${who}: GET ${readUrl}`);
      for (const [method, writeUrl, body] of writes) {
        assert.equal((await api(server, token, method, writeUrl, body)).status, 403, `${who}: ${method} ${writeUrl}`);
      }
    }
    for (const readUrl of reads) assert.equal((await fetch(server.base + readUrl)).status, 401, `no token: ${readUrl}`);
    await expectStatus(server, adminToken, 'PATCH', url, { discount_rate: 2 }, 200);

    // Another organisation's programme is not found, and nothing they send changes it.
    for (const [method, otherUrl, body] of [['GET', url], ['PATCH', url, { name: 'Taken over' }],
      ['GET', `${url}/business-case`], ['POST', `${url}/costs`, { kind: 'venue', amount_pence: 1, date: '2025-05-01' }],
      ['PUT', `${url}/theory-of-change`, { elements: [] }]]) {
      const res = await api(server, other.token, method, otherUrl, body);
      assert.equal(res.status, 404, `${method} ${otherUrl} from another organisation`);
      assert.equal((await res.json()).error.code, 'not_found');
    }
    const theirs = await expectStatus(server, other.token, 'GET', base, undefined, 200);
    assert.deepEqual(theirs.programmes, []);
    const after = await expectStatus(server, lead.token, 'GET', url, undefined, 200);
    assert.equal(after.name, 'Access');
    assert.equal((await expectStatus(server, lead.token, 'GET', `${url}/costs`, undefined, 200)).total_pence, 0);
  });
});
