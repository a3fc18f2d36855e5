// Answers collected in ODK Central and KoboToolbox, brought into a survey
// through the staff import page (issue 17): the exports as those tools write
// them (the fixtures beside the unit tests, src/collection/testdata/), the
// source told on the preview with the columns left out, the responses
// counted on the survey page, a bad file that writes nothing and says where
// in the file's own terms, and Coproduce's own XLSX download going back in;
// answers to repeated questions from ODK Central's repeat CSV uploaded
// beside the main one, checked, held and confirmed together;
// and `coproduce survey convert`, which writes an export in the layout
// `coproduce survey analyse` reads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  admin, root, runCommand, startServer, userWithRole,
} from '../support/server.mjs';
import { sql } from '../support/sql.mjs';

const fixtures = path.join(root, 'src', 'collection', 'testdata');
const fixture = (name) => readFile(path.join(fixtures, name));

// Posts multipart/form-data the way the upload forms do, with the CSRF token.
async function postFiles(client, url, fields, files = {}) {
  if (!client.cookies.has('coproduce_csrf')) await client.get('/sign-in');
  const body = new FormData();
  body.set('csrf_token', client.cookies.get('coproduce_csrf'));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const [k, value] of Object.entries(files)) {
    // Several files under one name, as an input with `multiple` sends them.
    for (const { name, data } of [value].flat()) body.append(k, new Blob([data]), name);
  }
  return client.request('POST', url, { body });
}

// The text of the page as a person reads it: tags out, entities back.
const plain = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&apos;|&#39;/g, "'").replace(/&quot;/g, '"')
  .replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('importing answers collected in ODK Central and KoboToolbox', () => {
  let server;
  let lead;
  let definition;

  before(async () => {
    server = await startServer();
    lead = (await userWithRole(server, admin.organisation, 'lead@example.org', 'coproduction-lead')).client;
    definition = await fixture('form.json');
  });
  after(async () => { await server?.stop(); });

  async function createSurvey() {
    const res = await postFiles(lead, '/surveys', { source: 'upload', title: '' }, { definition: { name: 'voices.json', data: definition } });
    assert.equal(res.status, 303, res.text_);
    return res.headers.get('location').match(/\/surveys\/(\d+)/)[1];
  }

  // The counts the survey's own page shows.
  async function counted(id) {
    const page = await lead.get(`/surveys/${id}`);
    assert.equal(page.status, 200);
    const value = (name) => Number(page.text_.match(new RegExp(`id="${name}">(\\d+)<`))[1]);
    return { starts: value('starts'), completes: value('completes') };
  }

  // Uploads `data` as `name`, checks the preview and confirms it.
  async function importFile(id, name, data, expect) {
    const preview = await postFiles(lead, `/surveys/${id}/import`, {}, { file: { name, data } });
    assert.equal(preview.status, 200, plain(preview.text_).slice(0, 3000));
    const text = plain(preview.text_);
    assert.match(text, new RegExp(`holds ${expect.rows} responses: ${expect.rows} sent \\(complete\\) and 0 not finished`));
    const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];
    const done = await lead.post(`/surveys/${id}/import/confirm`, { pending });
    assert.equal(done.status, 303, plain(done.text_).slice(0, 3000));
    assert.match(done.headers.get('location'), new RegExp(`imported=${expect.rows}$`));
    return text;
  }

  test('an ODK Central CSV and a KoboToolbox CSV come in, the source and what is left out said first', async () => {
    const id = await createSurvey();
    assert.deepEqual(await counted(id), { starts: 0, completes: 0 });

    const odk = await importFile(id, 'voices.csv', await fixture('odk_central.csv'), { rows: 3 });
    assert.match(odk, /An export from ODK Central/);
    assert.match(odk, /Each response's id from the column KEY/);
    assert.match(odk, /When it started from the column start/);
    assert.match(odk, /When it was sent from the column SubmissionDate/);
    for (const column of ['SubmitterName', 'ReviewState', 'FormVersion', 'meta-instanceID', 'more-thanks']) {
      assert.match(odk, new RegExp(`left out:[^]*\\b${column}\\b`), column);
    }
    assert.deepEqual(await counted(id), { starts: 3, completes: 3 });

    const kobo = await importFile(id, 'voices_-_all_versions_-_False_-_2024-07-02.csv', await fixture('kobo.csv'), { rows: 2 });
    assert.match(kobo, /An export from KoboToolbox/);
    assert.match(kobo, /Each response's id from the column _uuid/);
    assert.match(kobo, /When it was sent from the column _submission_time/);
    assert.deepEqual(await counted(id), { starts: 5, completes: 5 });

    // The answers as the survey's own download gives them: codes, ticks, UTC times and Welsh words.
    const csv = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '');
    const header = csv.split('\r\n')[0].split(',');
    const row = csv.split('\r\n').find((l) => l.startsWith('b7c3a1e2-5d4f-4a6b-8c9d-0e1f2a3b4c5d,')).split(',');
    const cell = (name) => row[header.indexOf(name)];
    assert.equal(cell('started_at'), '2024-07-01T09:00:12Z');
    assert.equal(cell('submitted_at'), '2024-07-01T09:07:45Z');
    assert.equal(cell('help[money]'), '1');
    assert.equal(cell('help[time]'), '');
    assert.equal(cell('views[clear]'), 'strongly_agree');
    assert.equal(cell('meet'), '18:45');
    const stored = await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND external_id = '6f1c7e0a-8d2b-4c55-9a3e-1b2c3d4e5f60'`);
    assert.ok(stored.includes('ŵyl yn wych'), stored);
  });

  test('a bad file writes nothing and names each problem by line and by the column as it is in the file', async () => {
    const id = await createSurvey();
    const kobo = (await fixture('kobo.csv')).toString('utf8');
    const bad = kobo.replace('"training money"', '"training lots"').replace('"more/age"', '"more/ages"');
    const checked = await postFiles(lead, `/surveys/${id}/import`, {}, { file: { name: 'kobo.csv', data: bad } });
    assert.equal(checked.status, 400);
    const text = plain(checked.text_);
    assert.match(text, /kobo\.csv was not imported/);
    assert.match(text, /The file is an export from KoboToolbox/);
    assert.match(text, /Line 1, column 12 \(more\/ages\) the column 'more\/ages' is not a question of this survey/);
    assert.match(text, /Line 2, column 6 \(about\/help\) 'lots' is not an option of help \(its options: time, money, training\)/);
    assert.deepEqual(await counted(id), { starts: 0, completes: 0 });

    // The same export twice: the second finds every id already there and adds nothing.
    await importFile(id, 'voices.csv', await fixture('odk_central.csv'), { rows: 3 });
    const twice = await postFiles(lead, `/surveys/${id}/import`, {}, { file: { name: 'voices.csv', data: await fixture('odk_central.csv') } });
    assert.equal(twice.status, 400);
    assert.match(plain(twice.text_), /Line 4, column 19 \(KEY\) the id '0d9a2b6e-3f41-4e7c-b8a5-6c7d8e9f0a1b' is already a response to this survey/);
    assert.deepEqual(await counted(id), { starts: 3, completes: 3 });
  });

  test("a survey's own XLSX download goes into another survey, held as a workbook until confirmed", async () => {
    const from = await createSurvey();
    await importFile(from, 'voices.csv', await fixture('odk_central.csv'), { rows: 3 });
    const cookie = [...lead.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${server.base}/surveys/${from}/responses.xlsx`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const xlsx = Buffer.from(await res.arrayBuffer());

    const to = await createSurvey();
    const text = await importFile(to, 'responses.xlsx', xlsx, { rows: 3 });
    assert.doesNotMatch(text, /An export from/);
    assert.deepEqual(await counted(to), { starts: 3, completes: 3 });
    // A problem in a workbook is at its row and lettered column.
    const again = await postFiles(lead, `/surveys/${to}/import`, {}, { file: { name: 'responses.xlsx', data: xlsx } });
    assert.equal(again.status, 400);
    assert.match(plain(again.text_), /Row 2, column A the id '[0-9a-f-]+' is already a response to this survey/);

    // Its own CSV download still comes in as before, its problems named by line and column alone.
    const csv = (await lead.get(`/surveys/${from}/responses.csv`)).text_.replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    const roleColumn = lines[0].split(',').indexOf('role') + 1;
    const bad = [lines[0], lines[1].replace(/^[^,]+/, 'new-1').replace(',carer,', ',alien,')].join('\n') + '\n';
    const own = await postFiles(lead, `/surveys/${to}/import`, {}, { file: { name: 'own.csv', data: bad } });
    assert.equal(own.status, 400);
    assert.match(own.text_, new RegExp(`Line 2, column ${roleColumn}</td>\\s*<td[^>]*>&apos;alien&apos; is not an option of role`));
    assert.doesNotMatch(own.text_, /An export from|is an export from/);
    assert.deepEqual(await counted(to), { starts: 3, completes: 3 });
  });

  test('answers to repeated questions come in from the repeat CSV uploaded beside the main one', async () => {
    const upload = await postFiles(lead, '/surveys', { source: 'upload', title: '' },
      { definition: { name: 'cared_for.json', data: await fixture('repeats/form.json') } });
    assert.equal(upload.status, 303, upload.text_);
    const id = upload.headers.get('location').match(/\/surveys\/(\d+)/)[1];

    const form = await lead.get(`/surveys/${id}/import`);
    assert.match(plain(form.text_), /Files for repeated questions \(optional\)/);
    assert.match(form.text_, /name="repeat_files" type="file" multiple/);

    // A bad repeat file: nothing is added, and each problem names that file, its line and column.
    const bad = await postFiles(lead, `/surveys/${id}/import`, {}, {
      file: { name: 'odk_main.csv', data: await fixture('repeats/odk_main.csv') },
      repeat_files: [{ name: 'odk_bad-people.csv', data: await fixture('repeats/odk_bad-people.csv') }],
    });
    assert.equal(bad.status, 400);
    const problems = plain(bad.text_);
    assert.match(problems, /odk_bad-people\.csv: Line 2, column 2 \(people-age\)/);
    assert.match(problems, /odk_bad-people\.csv: Line 3, column 3 \(people-needs\) 'shopping' is not an option of needs/);
    assert.match(problems, /odk_bad-people\.csv: Line 4, column 4 \(PARENT_KEY\) no response in odk_main\.csv has the KEY '99999999-0000-4c55-9a3e-1b2c3d4e5f60'/);
    assert.deepEqual(await counted(id), { starts: 0, completes: 0 });

    const preview = await postFiles(lead, `/surveys/${id}/import`, {}, {
      file: { name: 'odk_main.csv', data: await fixture('repeats/odk_main.csv') },
      repeat_files: [{ name: 'odk_main-people.csv', data: await fixture('repeats/odk_main-people.csv') }],
    });
    assert.equal(preview.status, 200, plain(preview.text_).slice(0, 3000));
    const text = plain(preview.text_);
    assert.match(text, /holds 2 responses/);
    assert.match(text, /Answers to repeated questions A person you care for \( people \) 3 rows, from odk_main-people\.csv/);
    const pending = preview.text_.match(/name="pending" value="(\d+)"/)[1];
    const done = await lead.post(`/surveys/${id}/import/confirm`, { pending });
    assert.equal(done.status, 303, plain(done.text_).slice(0, 3000));
    assert.match(done.headers.get('location'), /imported=2$/);
    assert.deepEqual(await counted(id), { starts: 2, completes: 2 });

    // Each response holds its instances, numbered by ODK's KEY, and how many there are.
    const stored = JSON.parse(await sql(server.db, `SELECT answers FROM survey_responses WHERE survey_id = ${id} AND external_id = '1a2b3c4d-0001-4c55-9a3e-1b2c3d4e5f60'`));
    const value = (key) => (stored[key]?.values ?? []).join(' ');
    assert.equal(value('people'), '2');
    assert.equal(value('name#1'), 'Mair');
    assert.equal(value('name#2'), 'Dafydd');
    assert.equal(value('age#2'), '81');
    assert.equal(value('needs#2'), 'meals travel');
    assert.equal(value('name#3'), '');
    // The responses download still has one row per response.
    const csv = (await lead.get(`/surveys/${id}/responses.csv`)).text_.replace(/^\uFEFF/, '');
    assert.equal(csv.trim().split('\r\n').length, 3);
  });

  test('coproduce survey convert writes an export in the layout analyse reads, or nothing and says where', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-convert-'));
    try {
      const out = path.join(dir, 'responses.csv');
      const definition = path.join(fixtures, 'form.json');
      const ok = await runCommand(['survey', 'convert', path.join(fixtures, 'kobo.csv'), '--definition', definition, '--output', out]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stderr, /2 responses from KoboToolbox; columns left out: end today _id/);
      const lines = (await readFile(out, 'utf8')).trim().split('\n');
      assert.match(lines[0], /^id,started_at,submitted_at,last_page,language,role,role_other,help\[time\],/);
      assert.match(lines[1], /^b7c3a1e2-5d4f-4a6b-8c9d-0e1f2a3b4c5d,2024-07-01T09:00:12Z,2024-07-01T09:07:45Z,3,,worker,,,1,1,strongly_agree,/);
      const analysed = await runCommand(['survey', 'analyse', '--definition', definition, '--responses', out, '--format', 'json', '--suppression', 'none']);
      assert.equal(analysed.code, 0, analysed.stderr);
      assert.equal(JSON.parse(analysed.stdout).completes, 2);

      const bad = path.join(fixtures, 'problems', 'odk_cells.csv');
      const refused = await runCommand(['survey', 'convert', bad, '--definition', definition, '--output', path.join(dir, 'bad.csv')]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /odk_cells\.csv, line 2, column 2, 'about-role': 'alien' is not an option of role/);
      assert.match(refused.stderr, /odk_cells\.csv, line 2, column 3, 'about-help': 'lots' is not an option of help/);
      assert.match(refused.stderr, /nothing was written/);
      await assert.rejects(readFile(path.join(dir, 'bad.csv')));

      // An ODK Central export with a repeated group's CSV: the answers to it go beside the
      // responses, one row each, and analyse counts them.
      const repeats = path.join(fixtures, 'repeats');
      const main = path.join(dir, 'cared.csv');
      const both = await runCommand(['survey', 'convert', path.join(repeats, 'odk_main.csv'), '--definition',
        path.join(repeats, 'form.json'), '--repeat', path.join(repeats, 'odk_main-people.csv'), '--output', main]);
      assert.equal(both.code, 0, both.stderr);
      assert.match(both.stderr, /3 answers to 'people' in .*cared-people\.csv/);
      const people = (await readFile(path.join(dir, 'cared-people.csv'), 'utf8')).trim().split(/\r?\n/);
      assert.equal(people[0], 'response_id,instance,name,age,needs[meals],needs[money],needs[travel]');
      assert.equal(people[1], '1a2b3c4d-0001-4c55-9a3e-1b2c3d4e5f60,1,Mair,79,,1,');
      assert.equal(people[2], '1a2b3c4d-0001-4c55-9a3e-1b2c3d4e5f60,2,Dafydd,81,1,,1');
      const counted = await runCommand(['survey', 'analyse', '--definition', path.join(repeats, 'form.json'), '--responses', main,
        '--repeat', `people=${path.join(dir, 'cared-people.csv')}`, '--format', 'json', '--suppression', 'none']);
      assert.equal(counted.code, 0, counted.stderr);
      assert.match(counted.stdout, /"instances": 3/);
      // Without --output the repeat's answers would have nowhere to go: nothing is written.
      const nowhere = await runCommand(['survey', 'convert', path.join(repeats, 'odk_main.csv'), '--definition',
        path.join(repeats, 'form.json'), '--repeat', path.join(repeats, 'odk_main-people.csv')]);
      assert.equal(nowhere.code, 1);
      assert.match(nowhere.stderr, /give --output FILE/);
      assert.equal(nowhere.stdout, '');
      // A bad repeat file writes nothing and names its own lines.
      const badRepeat = await runCommand(['survey', 'convert', path.join(repeats, 'odk_main.csv'), '--definition',
        path.join(repeats, 'form.json'), '--repeat', path.join(repeats, 'odk_bad-people.csv'), '--output', path.join(dir, 'no.csv')]);
      assert.equal(badRepeat.code, 1);
      assert.match(badRepeat.stderr, /odk_bad-people\.csv, line 2, column 2, 'people-age': 'eighty' is not a number/);
      await assert.rejects(readFile(path.join(dir, 'no.csv')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
