#!/usr/bin/env node
// Builds the files the server serves under /static/ into build/static/:
//
//   build/static/css/app.css              static/scss/app.scss compiled with sass
//   build/static/govuk-frontend.min.js    GOV.UK Frontend's ES module bundle
//   build/static/assets/images/*          GOV.UK Frontend's images and manifest
//   build/static/assets/manifest.json     (not its fonts: we use system fonts)
//   build/static/**                       everything else in static/ except scss/
//
// Idempotent: files whose content is unchanged are not rewritten, so running it
// twice changes nothing. Quiet unless something fails. Usage:
//
//   node scripts/build-static.mjs [--out DIR]
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(root, 'build', 'static');
const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk');

// Writes data to file unless the file already holds exactly that data.
async function writeIfChanged(file, data) {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  try {
    const old = await readFile(file);
    if (old.equals(bytes)) return;
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

// Copies a directory tree, skipping names for which skip(relativePath) is true.
async function copyTree(from, to, skip = () => false, rel = '') {
  for (const entry of await readdir(path.join(from, rel), { withFileTypes: true })) {
    const relPath = path.join(rel, entry.name);
    if (skip(relPath)) continue;
    if (entry.isDirectory()) {
      await copyTree(from, to, skip, relPath);
    } else if (entry.isFile()) {
      await writeIfChanged(path.join(to, relPath), await readFile(path.join(from, relPath)));
    }
  }
}

async function main() {
  const css = sass.compile(path.join(root, 'static', 'scss', 'app.scss'), {
    loadPaths: [path.join(root, 'node_modules')],
    quietDeps: true,
    style: 'compressed',
  });
  await writeIfChanged(path.join(out, 'css', 'app.css'), css.css + '\n');

  for (const name of ['govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
    await writeIfChanged(path.join(out, name), await readFile(path.join(govuk, name)));
  }
  await copyTree(path.join(govuk, 'assets'), path.join(out, 'assets'), (rel) => rel === 'fonts');

  await copyTree(path.join(root, 'static'), out, (rel) => rel === 'scss');

  // A short fingerprint of the CSS makes it easy to see which build is served.
  if (process.env.BUILD_STATIC_VERBOSE) {
    const hash = createHash('sha256').update(css.css).digest('hex').slice(0, 12);
    console.log(`build/static: app.css ${css.css.length} bytes, sha256 ${hash}`);
  }
}

main().catch((err) => {
  console.error(`build-static: ${err.message}`);
  process.exit(1);
});
