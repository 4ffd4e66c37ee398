#!/usr/bin/env node
// Validates the files of coconut's `ecs` target against the AWS CLI input schemas in
// tests/schemas/ecs (draft-07, written from the AWS API references), in one process so each
// schema is compiled once. The schema is chosen by the file name:
//   *.taskdef.json                  register-task-definition.schema.json
//   *.service.json                  create-service.schema.json
//   *.autoscaling-target.json       register-scalable-target.schema.json
//   *.autoscaling-policy-*.json     put-scaling-policy.schema.json
//   *.schedule.json                 create-schedule.schema.json
//
//   node validate-ecs.js --schemas DIR FILE...
// Prints "ok FILE (schema)" or "invalid FILE (schema)" followed by one line per error
// (instancePath message params). Exit 0 all valid; 1 any invalid or unrecognised; 2 usage.
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

const args = process.argv.slice(2);
const at = args.indexOf('--schemas');
if (at < 0 || !args[at + 1]) {
  console.error('usage: node validate-ecs.js --schemas DIR FILE...');
  process.exit(2);
}
const dir = args[at + 1];
const files = args.filter((_, i) => i !== at && i !== at + 1);

const kinds = [
  [/\.taskdef\.json$/, 'register-task-definition'],
  [/\.service\.json$/, 'create-service'],
  [/\.autoscaling-target\.json$/, 'register-scalable-target'],
  [/\.autoscaling-policy-[a-z]+\.json$/, 'put-scaling-policy'],
  [/\.schedule\.json$/, 'create-schedule'],
];
const ajv = new Ajv({ strict: true, strictRequired: false, strictTuples: false, strictTypes: false, allErrors: true });
const compiled = {};
function validatorFor(name) {
  if (!compiled[name]) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, `${name}.schema.json`), 'utf8'));
    delete schema.$schema; // ajv's default meta-schema is draft-07 already
    compiled[name] = ajv.compile(schema);
  }
  return compiled[name];
}

let bad = 0;
for (const file of files) {
  const kind = kinds.find(([re]) => re.test(file));
  if (!kind) {
    console.log(`unrecognised ${file} (no schema for this file name)`);
    bad++;
    continue;
  }
  const validate = validatorFor(kind[1]);
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`invalid ${file} (${kind[1]})\n  not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (validate(doc)) {
    console.log(`ok ${file} (${kind[1]})`);
    continue;
  }
  bad++;
  console.log(`invalid ${file} (${kind[1]})`);
  for (const e of validate.errors) console.log(`  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(bad ? 1 : 0);
