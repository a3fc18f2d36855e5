// The survey commands people run by hand: a questionnaire to an XLSForm
// spreadsheet and back, the findings as a workbook, and clear messages (and
// nothing written) for files that are wrong.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../support/server.mjs';

let dir;
before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'coproduce-commands-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('the built-in questionnaire goes to an XLSForm spreadsheet and back unchanged', async () => {
  const xlsx = path.join(dir, 'form.xlsx');
  const json = path.join(dir, 'form.json');
  const exported = await runCommand(['survey', 'xlsform', 'export', '--template', 'coproduction', '--output', xlsx]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal((await readFile(xlsx)).subarray(0, 2).toString(), 'PK');
  const imported = await runCommand(['survey', 'xlsform', 'import', xlsx, '--output', json]);
  assert.equal(imported.code, 0, imported.stderr);
  const template = await runCommand(['survey', 'template', 'coproduction']);
  assert.deepEqual(JSON.parse(await readFile(json, 'utf8')), JSON.parse(template.stdout));
});

test('a file that is not a spreadsheet is named, and nothing is written', async () => {
  const bad = path.join(dir, 'partners.xlsx');
  await writeFile(bad, 'this is not a spreadsheet');
  const out = path.join(dir, 'out.json');
  const res = await runCommand(['survey', 'xlsform', 'import', bad, '--output', out]);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /partners\.xlsx/);
  await assert.rejects(stat(out));
});

test('the findings of responses come out as a workbook', async () => {
  const columns = (await runCommand(['survey', 'template', 'coproduction', '--columns'])).stdout.trim();
  const header = columns.split(',');
  const row = (group) => header.map((c) => ({
    id: `r${group}`, started_at: '2026-11-01T10:00:00Z', submitted_at: '2026-11-01T10:10:00Z', last_page: '1', group,
  }[c] ?? '')).join(',');
  const responses = path.join(dir, 'responses.csv');
  await writeFile(responses, [columns, row('carer'), row('workforce'), row('lived_experience')].join('\n') + '\n');
  const book = path.join(dir, 'findings.xlsx');
  const res = await runCommand(['survey', 'analyse', '--template', 'coproduction', '--responses', responses, '--format', 'xlsx', '--output', book]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal((await readFile(book)).subarray(0, 2).toString(), 'PK');
  const json = await runCommand(['survey', 'analyse', '--template', 'coproduction', '--responses', responses, '--format', 'json', '--suppression', 'none']);
  assert.equal(JSON.parse(json.stdout).completes, 3);
});
