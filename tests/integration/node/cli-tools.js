#!/usr/bin/env node
// Small JSON/YAML checks for tests/integration/cli.sh.
//
//   cli-tools.js json-has FILE KEY              FILE is JSON with a top-level KEY
//   cli-tools.js schema-validate SCHEMA.json [--expect-invalid] SPEC.yaml...
//        validates YAML specs against coconut's own JSON Schema (`coconut schema`)
//   cli-tools.js config-matches CONFIG.json SPEC.yaml ENV
//        every leaf of the spec resolved for ENV by spec-merge.js (independent oracle) is in
//        CONFIG.json (`coconut config --env ENV -o json`) with the same value
//   cli-tools.js same-data A.yaml B.json        the YAML and the JSON hold the same data
// Exit 0 ok, 1 check failed (reasons printed), 2 usage.
'use strict';

const fs = require('fs');
const YAML = require('yaml');
const { resolve, isMap } = require('./spec-merge');

function readYaml(file) {
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { version: '1.2', merge: true });
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
  return doc.toJS();
}

function ajvFor(schema) {
  const s = String(schema.$schema || '');
  let Ajv;
  if (s.includes('2020-12')) Ajv = require('ajv/dist/2020');
  else if (s.includes('2019-09')) Ajv = require('ajv/dist/2019');
  else Ajv = require('ajv');
  const ajv = new Ajv({ strict: false, allErrors: true });
  require('ajv-formats')(ajv);
  return ajv;
}

// Leaves of `want` must equal the values at the same paths in `got` (scalars compared as text:
// the oracle reads YAML, coconut may print 8080 or "8080" depending on the field's type).
function compareLeaves(want, got, path, out) {
  if (isMap(want)) {
    if (!isMap(got)) {
      out.push(`${path || '/'}: expected a mapping, got ${JSON.stringify(got)}`);
      return;
    }
    for (const [k, v] of Object.entries(want)) compareLeaves(v, got[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      out.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      return;
    }
    want.forEach((v, i) => compareLeaves(v, got[i], `${path}[${i}]`, out));
    return;
  }
  if (want === null || want === undefined) return;
  if (got === undefined || String(got) !== String(want)) out.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function main(argv) {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'json-has': {
      const [file, key] = args;
      const data = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!isMap(data) || !(key in data)) {
        console.log(`${file}: no top-level "${key}"`);
        return 1;
      }
      console.log(`${key}: ${JSON.stringify(data[key])}`);
      return 0;
    }
    case 'schema-validate': {
      const expectInvalid = args.includes('--expect-invalid');
      const [schemaFile, ...specs] = args.filter((a) => a !== '--expect-invalid');
      const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
      const validate = ajvFor(schema).compile(schema);
      let bad = 0;
      for (const f of specs) {
        const ok = validate(readYaml(f));
        if (ok === expectInvalid) {
          bad++;
          console.log(`${f}: expected ${expectInvalid ? 'invalid' : 'valid'} against coconut's schema`);
          for (const e of validate.errors || []) console.log(`    ${e.instancePath || '/'}: ${e.message}${e.params && e.params.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);
        } else if (expectInvalid) {
          console.log(`${f}: rejected as expected: ${validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).slice(0, 3).join('; ')}`);
        }
      }
      return bad ? 1 : 0;
    }
    case 'config-matches': {
      const [configFile, spec, env] = args;
      const got = JSON.parse(fs.readFileSync(configFile, 'utf8'));
      const want = resolve(spec, env);
      const problems = [];
      compareLeaves(want, got, '', problems);
      if ('environments' in got) problems.push('resolved config still contains "environments"');
      for (const p of problems.slice(0, 20)) console.log(`    ${p}`);
      if (problems.length > 20) console.log(`    ... ${problems.length - 20} more`);
      return problems.length ? 1 : 0;
    }
    case 'same-data': {
      const [yamlFile, jsonFile] = args;
      const a = readYaml(yamlFile);
      const b = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
      if (deepEqual(a, b)) return 0;
      const problems = [];
      compareLeaves(b, a, '', problems);
      console.log(`    -o yaml and -o json differ: ${problems.slice(0, 5).join('; ') || 'key order or types'}`);
      return 1;
    }
    default:
      process.stderr.write('usage: cli-tools.js json-has|schema-validate|config-matches|same-data ...\n');
      return 2;
  }
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (e) {
  console.log(`error: ${e.message}`);
  process.exit(1);
}
