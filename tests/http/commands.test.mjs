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

// A small pool in two categories: 12 in area north, 8 in south; ages young
// and old, skewed so that the quotas pull against the pool.
async function writePool() {
  const people = ['id,area,age'];
  for (let i = 0; i < 20; i += 1) people.push(`p${i},${i < 12 ? 'north' : 'south'},${i % 3 === 0 ? 'old' : 'young'}`);
  const quotas = ['feature,value,min,max', 'area,north,2,3', 'area,south,2,3', 'age,young,2,3', 'age,old,2,3'];
  await writeFile(path.join(dir, 'pool.csv'), `${people.join('\n')}\n`);
  await writeFile(path.join(dir, 'quotas.csv'), `${quotas.join('\n')}\n`);
}

for (const [algorithm, proof] of [['leximin', /smallest probability is within/], ['maximin', /smallest probability is within/],
  ['nash', /mean log probability is within/]]) {
  test(`select --algorithm ${algorithm} chooses a panel that meets the quotas and says what it proved`, async () => {
    await writePool();
    const out = path.join(dir, `out-${algorithm}`);
    const res = await runCommand(['select', '--people', path.join(dir, 'pool.csv'), '--quotas', path.join(dir, 'quotas.csv'),
      '--size', '5', '--id-column', 'id', '--seed', '3', '--algorithm', algorithm, '--lottery', '100',
      '--output-dir', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, proof);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    assert.equal(report.algorithm, algorithm);
    assert.ok(report.distribution.proven_gap >= 0 && report.distribution.proven_gap <= 1e-6,
      `proven gap ${report.distribution.proven_gap}`);
    assert.ok(report.distribution.panels_kept >= 1);
    assert.ok(report.distribution.probability_levels >= 1);
    assert.equal(report.selected.length, 5);
    const probabilities = (await readFile(path.join(out, 'probabilities.csv'), 'utf8')).trim().split('\n').slice(1);
    assert.equal(probabilities.length, 20);
    // Everyone has a chance, under every fair algorithm.
    for (const line of probabilities) {
      const p = Number(line.split(',').find((cell, i) => i > 0 && /^[0-9.]+$/.test(cell)));
      assert.ok(p > 0, `a person with no chance: ${line}`);
    }
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    assert.match(html, /Proven: the/);
  });
}

test('select with an algorithm it does not know says which ones it does, and writes nothing', async () => {
  await writePool();
  const out = path.join(dir, 'out-bad');
  const res = await runCommand(['select', '--people', path.join(dir, 'pool.csv'), '--quotas', path.join(dir, 'quotas.csv'),
    '--size', '5', '--algorithm', 'fairest', '--output-dir', out]);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /leximin/);
  assert.match(res.stderr, /nash/);
  await assert.rejects(stat(out));
});
