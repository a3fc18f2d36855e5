// The OpenAPI document, src/web/openapi.json (served at /api/v1/openapi.json):
// it is valid OpenAPI 3.0, every request body says which fields it needs, and
// every API route it documents is one the server has. The first two read the
// file from disk and need no server; the last needs $COPRODUCE_BIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { root, routes } from '../support/server.mjs';

const doc = JSON.parse(await readFile(path.join(root, 'src/web/openapi.json'), 'utf8'));
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The object a local reference (#/components/...) points at; anything else as it is.
function resolve(node) {
  let seen = 0;
  while (node && typeof node.$ref === 'string') {
    assert.match(node.$ref, /^#\//, `only local references are expected: ${node.$ref}`);
    node = node.$ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((n, key) => n?.[key], doc);
    assert.ok(node, 'a reference points at nothing');
    assert.ok(++seen < 20, 'a reference loops');
  }
  return node;
}

// The required keys and the properties of a schema, through allOf.
function fieldsOf(schema) {
  schema = resolve(schema);
  const required = new Set(schema.required ?? []);
  const properties = { ...(schema.properties ?? {}) };
  for (const part of schema.allOf ?? []) {
    const inner = fieldsOf(part);
    inner.required.forEach((k) => required.add(k));
    Object.assign(properties, inner.properties);
  }
  return { required, properties };
}

function* operations() {
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of methods) if (item[method]) yield { route, method, operation: item[method] };
  }
}

test('the document is valid OpenAPI 3.0', async () => {
  assert.match(doc.openapi, /^3\.0\.\d+$/);
  // validate() checks the document against the OpenAPI 3.0 schema, resolves
  // every $ref and checks paths, parameters and operation ids; it changes
  // what it is given, so it gets a copy.
  try {
    await SwaggerParser.validate(structuredClone(doc));
  } catch (e) {
    assert.fail(e.message);  // names each place at fault
  }
});

test('every request body lists the fields it requires', () => {
  const problems = [];
  let bodies = 0;
  for (const { route, method, operation } of operations()) {
    if (!['post', 'put', 'patch'].includes(method) || !operation.requestBody) continue;
    const body = resolve(operation.requestBody);
    for (const [type, media] of Object.entries(body.content ?? {})) {
      const where = `${method.toUpperCase()} ${route} (${type})`;
      const schema = resolve(media.schema ?? {});
      const { required, properties } = fieldsOf(schema);
      bodies++;
      if (method === 'patch' && schema['x-partial-of']) {
        // A partial update: no key is required, and each key is the one of the
        // full input schema it is part of, defined the same way.
        const full = fieldsOf({ $ref: `#/components/schemas/${schema['x-partial-of']}` });
        if (required.size) problems.push(`${where}: a partial body requires ${[...required].join(', ')}`);
        for (const [key, definition] of Object.entries(properties)) {
          if (!(key in full.properties)) problems.push(`${where}: ${key} is not a key of ${schema['x-partial-of']}`);
          else if (JSON.stringify(definition) !== JSON.stringify(full.properties[key])) {
            problems.push(`${where}: ${key} differs from ${schema['x-partial-of']}'s`);
          }
        }
        continue;
      }
      if (schema['x-all-optional']) {
        // A body that may be left out, whose keys are all optional.
        if (body.required) problems.push(`${where}: the body is required, yet no key in it is`);
        if (required.size) problems.push(`${where}: x-all-optional, yet it requires ${[...required].join(', ')}`);
        continue;
      }
      if (!required.size) problems.push(`${where}: no required list`);
      for (const key of required) {
        if (!(key in properties)) problems.push(`${where}: requires ${key}, which it does not describe`);
      }
    }
  }
  assert.ok(bodies > 0, 'the document has request bodies');
  assert.deepEqual(problems, []);
});

test('every documented API route is served', async (t) => {
  if (!process.env.COPRODUCE_BIN) {
    t.skip('COPRODUCE_BIN is not set: no binary to read the route table from');
    return;
  }
  // Placeholders may be named differently in the two: compare shapes only.
  const shape = (method, route) => `${method.toUpperCase()} ${route.replace(/\{[^}]*\}/g, '{}')}`;
  const served = new Set((await routes()).map((r) => shape(r.method, r.path)));
  const missing = [];
  let documented = 0;
  for (const { route, method } of operations()) {
    if (!route.startsWith('/api/v1')) continue;
    documented++;
    if (!served.has(shape(method, route))) missing.push(`${method.toUpperCase()} ${route}`);
  }
  assert.ok(documented > 0, 'the document has /api/v1 routes');
  assert.deepEqual(missing, [], 'documented but not served');
});
