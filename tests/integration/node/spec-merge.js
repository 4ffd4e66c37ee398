#!/usr/bin/env node
// An independent oracle for coconut's environment resolution (DESIGN §2): the spec's data with
// `environments.<env>` merged in (maps merge, scalars and lists replace). Used by the
// integration suites to check `coconut config --env` and the rendered overlays.
//
//   node spec-merge.js SPEC.yaml [ENV]   -> JSON on stdout (base data when ENV is omitted)
//   require('./spec-merge').resolve(specPath, env)
'use strict';

const fs = require('fs');
const YAML = require('yaml');

function isMap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(base, over) {
  if (!isMap(base) || !isMap(over)) return structuredClone(over);
  const out = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : structuredClone(v);
  return out;
}

// The loader's shorthands, so that the oracle compares like with like: `replicas: N` is
// {min: N, max: N}; a `command`/`args` string is split into words (no shell runs).
function normalize(data) {
  if (!isMap(data) || !isMap(data.services)) return data;
  for (const svc of Object.values(data.services)) {
    if (!isMap(svc)) continue;
    if (typeof svc.replicas === 'number') svc.replicas = { min: svc.replicas, max: svc.replicas };
    for (const k of ['command', 'args'])
      if (typeof svc[k] === 'string') svc[k] = svc[k].trim().split(/\s+/).filter(Boolean);
  }
  return data;
}

function load(specPath) {
  // coconut reads YAML 1.2 with merge keys.
  const doc = YAML.parseDocument(fs.readFileSync(specPath, 'utf8'), { version: '1.2', merge: true, uniqueKeys: true });
  if (doc.errors.length) throw new Error(`${specPath}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS({ maxAliasCount: 1000 }) || {};
}

function environments(specPath) {
  const data = load(specPath);
  return isMap(data.environments) ? Object.keys(data.environments) : [];
}

function resolve(specPath, env) {
  const data = load(specPath);
  const envs = isMap(data.environments) ? data.environments : {};
  delete data.environments;
  if (!env) return normalize(data);
  if (!(env in envs)) throw new Error(`${specPath}: no environment '${env}' (have: ${Object.keys(envs).join(', ')})`);
  return normalize(merge(data, envs[env] || {}));
}

module.exports = { load, resolve, environments, merge, normalize, isMap };

if (require.main === module) {
  const [specPath, env] = process.argv.slice(2);
  if (!specPath) {
    process.stderr.write('usage: spec-merge.js SPEC.yaml [ENV]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(resolve(specPath, env), null, 2) + '\n');
}
