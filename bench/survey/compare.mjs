// The benchmark's analysis in DuckDB (@duckdb/node-api, 2 threads), for
// bench/survey/compare.sh: complete responses only, reading only the
// question columns and submitted_at; every frequency table and the 10
// cross-tabs' counts in one GROUPING SETS query, plus the number summary and
// the multiple-choice tick counts. Chi-square is not computed (DuckDB has no
// chi-square distribution; the tables are tiny, so it would cost nothing).
// With `crosstabs-only` it reads only the cross-tabs' columns and
// submitted_at and computes only the cross-tabs: less than Coproduce does,
// for a lower bound.
//
//   node compare.mjs DUCKDB_PREFIX RESPONSES.csv [crosstabs-only]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const [prefix, file, mode] = process.argv.slice(2);
const crosstabsOnly = mode === 'crosstabs-only';
const require = createRequire(`${prefix}/package.json`);
const { DuckDBInstance } = require('@duckdb/node-api');

const header = readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 4096).split('\n')[0].split(',');
const crosstabs = [['heard', 'group'], ['knowledge', 'role'], ['barriers', 'role'], ['involved_own_care', 'involved_services'],
  ['knowledge', 'group'], ['confidence', 'group'], ['region', 'heard'], ['q12', 'group'], ['q15', 'heard'], ['training_had', 'role']];
const needed = new Set(['submitted_at', ...crosstabs.flat()]);
const skip = new Set(['id', 'started_at', 'last_page']);
const cols = header.filter((c) => !skip.has(c) && (!crosstabsOnly || needed.has(c.replace(/\[.*$/, ''))));
const quote = (c) => `"${c}"`;
const multiples = [...new Set(cols.filter((c) => c.includes('[')).map((c) => c.slice(0, c.indexOf('['))))];
const optionsOf = (m) => cols.filter((c) => c.startsWith(`${m}[`));
const singles = cols.filter((c) => !c.includes('[') && !['submitted_at', 'age', 'when', 'meaning'].includes(c));

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await instance.connect();
await con.run(`CREATE TEMP TABLE r AS SELECT ${cols.map(quote).join(', ')} FROM read_csv('${file}', header = true,
  columns = {${header.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}) WHERE submitted_at IS NOT NULL`);
// Multiple-choice sides of a cross-tab become one ticked / not ticked column per option.
const selects = [...singles.map(quote)];
const sets = crosstabsOnly ? [] : singles.map((s) => `(${quote(s)})`);
let tables = 0;
for (const [row, col] of crosstabs) {
  const rows = multiples.includes(row) ? optionsOf(row) : [row];
  for (const r of rows) {
    let name = quote(r);
    if (multiples.includes(row)) {
      name = quote(`${r}?`);
      const any = optionsOf(row).map((o) => `${quote(o)} IS NOT NULL`).join(' OR ');
      selects.push(`CASE WHEN ${any} THEN (CASE WHEN ${quote(r)} = '1' THEN 'selected' ELSE 'not_selected' END) END AS ${name}`);
    }
    sets.push(`(${name}, ${quote(col)})`);
    tables += 1;
  }
}
const grouped = await con.runAndReadAll(`SELECT *, count(*) AS n FROM (SELECT ${selects.join(', ')} FROM r)
  GROUP BY GROUPING SETS (${sets.join(', ')})`);
if (crosstabsOnly) {
  const completes = (await con.runAndReadAll('SELECT count(*) FROM r')).getRows()[0][0];
  console.log(`DuckDB: ${completes} complete responses, ${tables} cross-tables only (${grouped.getRows().length} result rows)`);
} else {
  const ticks = multiples.flatMap((m) => optionsOf(m).map((o) => `count_if(${quote(o)} = '1')`));
  const summary = await con.runAndReadAll(`SELECT count(*), avg(age::DOUBLE), median(age::DOUBLE), min(age::DOUBLE),
    max(age::DOUBLE), count("when"), count(meaning), ${ticks.join(', ')} FROM r`);
  const completes = summary.getRows()[0][0];
  console.log(`DuckDB: ${completes} complete responses, ${singles.length + multiples.length + 2} frequency tables, ` +
    `${tables} cross-tables (${grouped.getRows().length} result rows)`);
}
