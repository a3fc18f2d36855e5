// The benchmark's repeat counting in DuckDB (@duckdb/node-api, 2 threads),
// for bench/survey/compare.sh, beside compare.mjs (which does the main file):
// the complete responses' ids from the main file, the repeat's table
// (services.csv) joined to them, then what `coproduce survey analyse
// --repeat` gives for a repeat: responses with at least one instance,
// instances, mean and median instances per complete response (those with
// none as 0), the frequency table of service and the summary of visits.
//
//   node compare_repeat.mjs DUCKDB_PREFIX RESPONSES.csv SERVICES.csv
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const [prefix, file, services] = process.argv.slice(2);
const require = createRequire(`${prefix}/package.json`);
const { DuckDBInstance } = require('@duckdb/node-api');

const header = readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 4096).split('\n')[0].split(',');
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await instance.connect();
await con.run(`CREATE TEMP TABLE c AS SELECT id FROM read_csv('${file}', header = true,
  columns = {${header.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}) WHERE submitted_at IS NOT NULL`);
await con.run(`CREATE TEMP TABLE s AS SELECT s.* FROM read_csv('${services}', header = true,
  columns = {'response_id': 'VARCHAR', 'instance': 'INTEGER', 'service': 'VARCHAR', 'visits': 'DOUBLE'}) s
  SEMI JOIN c ON s.response_id = c.id`);
const per = (await con.runAndReadAll(`SELECT count(*), count_if(n > 0), sum(n), avg(n), median(n) FROM
  (SELECT c.id, count(s.response_id) AS n FROM c LEFT JOIN s ON s.response_id = c.id GROUP BY c.id)`)).getRows()[0];
await con.runAndReadAll('SELECT service, count(*) FROM s WHERE service IS NOT NULL GROUP BY service');
await con.runAndReadAll('SELECT avg(visits), median(visits), min(visits), max(visits) FROM s');
console.log(`DuckDB repeat: ${per[0]} complete responses, ${per[1]} with instances, ${per[2]} instances, ` +
  `mean ${Number(per[3]).toFixed(4)}, median ${per[4]}`);
