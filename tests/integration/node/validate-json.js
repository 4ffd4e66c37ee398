#!/usr/bin/env node
// Validates a JSON document against a draft-07 JSON Schema with ajv (strict mode off: public
// schemas such as SARIF's use keywords ajv's strict mode rejects).
//
//   node validate-json.js SCHEMA.json DOCUMENT.json
// Exit 0 valid; 1 invalid (errors printed, one per line: instancePath message); 2 usage.
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const [schemaFile, docFile] = process.argv.slice(2);
if (!schemaFile || !docFile) {
  console.error('usage: node validate-json.js SCHEMA.json DOCUMENT.json');
  process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
delete schema.$schema; // ajv's default meta-schema is draft-07 already
const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
if (validate(doc)) {
  console.log(`valid: ${docFile}`);
  process.exit(0);
}
for (const e of validate.errors) console.log(`${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
process.exit(1);
