// Prints, as a PO template, every message the page templates mark for
// translation ({{#t}}...{{/t}}), with its text's spaces collapsed the way
// src/web/templates.cc looks it up. Used by scripts/check-messages.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.argv[2] ?? 'templates';

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.mustache')) yield path;
  }
}

const quote = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';

const messages = new Map(); // text -> [references]
for (const path of files(root)) {
  const source = readFileSync(path, 'utf8');
  const pattern = /\{\{#t\}\}([\s\S]*?)\{\{\/t\}\}/g;
  let m;
  while ((m = pattern.exec(source)) !== null) {
    const text = m[1].replace(/[ \t\r\n]+/g, ' ').trim();
    if (!text) continue;
    const line = source.slice(0, m.index).split('\n').length;
    const ref = `${relative(join(root, '..'), path)}:${line}`;
    if (!messages.has(text)) messages.set(text, []);
    messages.get(text).push(ref);
  }
}

let out = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n';
for (const [text, refs] of messages) {
  out += `#: ${refs.join(' ')}\nmsgid ${quote(text)}\nmsgstr ""\n\n`;
}
process.stdout.write(out);
