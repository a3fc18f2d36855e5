// Runs SQL on a test server's database, SQLite or PostgreSQL, through
// coproduce_test_sql (tests/support/sql_tool.cc), built beside the coproduce
// binary. For what the product rightly refuses to write or never shows;
// everything else goes through the program, its pages and its API.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { bin } from './server.mjs';

const execFileAsync = promisify(execFile);

export const sqlTool = process.env.COPRODUCE_TEST_SQL || path.join(path.dirname(bin), 'coproduce_test_sql');

// Runs one statement on the database `db` (a --database argument) and
// resolves its rows as sqlite3 prints them: one a line, columns separated
// by '|', trimmed. Write portable SQL: it must run on both engines.
export async function sql(db, statement) {
  const { stdout } = await execFileAsync(sqlTool, [db, statement], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

// Runs several statements separated by semicolons in one transaction.
export async function sqlScript(db, statements) {
  await execFileAsync(sqlTool, ['--script', db, statements]);
}

// The names of the columns of `table`, in order.
export async function sqlColumns(db, table) {
  const { stdout } = await execFileAsync(sqlTool, ['--columns', db, table]);
  return stdout.split('\n').filter(Boolean);
}
