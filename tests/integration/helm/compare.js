#!/usr/bin/env node
// Compares two streams of Kubernetes objects (multi-document YAML) as parsed objects, not text:
// objects are matched by kind + name, then compared field by field (object key order is
// ignored, list order is not). Used to prove that `helm template` of the generated chart gives
// the same objects as the kubernetes target (`kubectl kustomize k8s/overlays/<env>`).
//
//   node compare.js [--label TEXT] [--ignore-kind KIND]... [--only-kind KIND]... [--ignore-hooks] LEFT RIGHT
//   node compare.js --self-test
//
// YAML is read as the API server reads it (YAML 1.1), so a value that is a string on one side
// and a boolean or number on the other is a difference. Needs the `yaml` package (NODE_PATH).
// --ignore-hooks leaves out Helm hooks (objects annotated helm.sh/hook, e.g. `helm test` pods).
// Prints the first differing path of every differing object. Last line:
// "SUMMARY compared=N differences=D only_left=L only_right=R". Exit 0 when equal, 1 when not,
// 2 on usage or parse errors.
'use strict';

const fs = require('fs');
const YAML = require('yaml');

function usage(msg) {
  if (msg) process.stderr.write(`compare: ${msg}\n`);
  process.stderr.write('usage: compare.js [--label TEXT] [--ignore-kind KIND]... [--only-kind KIND]... [--ignore-hooks] LEFT RIGHT | --self-test\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { label: '', ignore: new Set(), only: new Set(), hooks: true, files: [], selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--label') o.label = argv[++i];
    else if (a === '--ignore-kind') o.ignore.add(argv[++i]);
    else if (a === '--only-kind') o.only.add(argv[++i]);
    else if (a === '--ignore-hooks') o.hooks = false;
    else if (a === '--self-test') o.selfTest = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.files.push(a);
  }
  if (!o.selfTest && o.files.length !== 2) usage('need exactly two files');
  return o;
}

// Parses a stream; returns Map "Kind/name" -> object. Throws on YAML errors or duplicates.
function parseObjects(text, where, opts) {
  const docs = YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true });
  const out = new Map();
  for (const d of docs) {
    if (d.errors && d.errors.length) throw new Error(`${where}: ${d.errors[0].message}`);
    const o = d.toJS({ maxAliasCount: 100 });
    if (o === null || o === undefined) continue;
    if (typeof o !== 'object' || Array.isArray(o) || !o.kind || !o.metadata || !o.metadata.name)
      throw new Error(`${where}: a document is not a Kubernetes object: ${JSON.stringify(o).slice(0, 120)}`);
    if (opts.ignore.has(o.kind)) continue;
    if (opts.only.size && !opts.only.has(o.kind)) continue;
    if (opts.hooks === false && o.metadata.annotations && o.metadata.annotations['helm.sh/hook']) continue;
    const key = `${o.kind}/${o.metadata.name}`;
    if (out.has(key)) throw new Error(`${where}: ${key} appears twice`);
    out.set(key, o);
  }
  return out;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function show(v) {
  const s = JSON.stringify(v);
  return s === undefined ? 'absent' : s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

// The first path where a and b differ, with both values; null when equal.
function firstDifference(a, b, path) {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return { path, left: a, right: b };
  if (ta === 'array') {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.length || i >= b.length) return { path: `${path}/${i}`, left: a[i], right: b[i] };
      const d = firstDifference(a[i], b[i], `${path}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (ta === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(k in a) || !(k in b)) return { path: p, left: a[k], right: b[k] };
      const d = firstDifference(a[k], b[k], p);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : { path, left: a, right: b };
}

function compare(left, right) {
  const report = { compared: 0, differences: [], onlyLeft: [], onlyRight: [] };
  for (const [key, l] of left) {
    const r = right.get(key);
    if (!r) {
      report.onlyLeft.push(key);
      continue;
    }
    report.compared++;
    const d = firstDifference(l, r, '');
    if (d) report.differences.push({ key, ...d });
  }
  for (const key of right.keys()) if (!left.has(key)) report.onlyRight.push(key);
  return report;
}

function run(opts) {
  const [lf, rf] = opts.files;
  let left;
  let right;
  try {
    left = parseObjects(fs.readFileSync(lf, 'utf8'), lf, opts);
    right = parseObjects(fs.readFileSync(rf, 'utf8'), rf, opts);
  } catch (e) {
    process.stdout.write(`error: ${e.message}\n`);
    process.stdout.write('SUMMARY compared=0 differences=0 only_left=0 only_right=0 error=1\n');
    return 2;
  }
  const rep = compare(left, right);
  const label = opts.label ? `${opts.label}: ` : '';
  for (const k of rep.onlyLeft) process.stdout.write(`${label}only in ${lf}: ${k}\n`);
  for (const k of rep.onlyRight) process.stdout.write(`${label}only in ${rf}: ${k}\n`);
  for (const d of rep.differences)
    process.stdout.write(`${label}${d.key} differs at ${d.path || '/'}: ${show(d.left)} != ${show(d.right)}\n`);
  process.stdout.write(
    `SUMMARY compared=${rep.compared} differences=${rep.differences.length} only_left=${rep.onlyLeft.length} only_right=${rep.onlyRight.length}\n`);
  const ok = rep.differences.length === 0 && rep.onlyLeft.length === 0 && rep.onlyRight.length === 0 && rep.compared > 0;
  return ok ? 0 : 1;
}

function selfTest() {
  const opts = { ignore: new Set(['Namespace']), only: new Set(), hooks: false };
  const base = `
apiVersion: v1
kind: Namespace
metadata: {name: ns}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {a: "1", b: x}}
spec: {replicas: 2, template: {spec: {containers: [{name: web, image: "i:1"}]}}}
`;
  const cases = [
    ['same objects, other key order', `
apiVersion: apps/v1
kind: Deployment
metadata: {labels: {b: x, a: "1"}, name: web}
spec: {template: {spec: {containers: [{image: "i:1", name: web}]}}, replicas: 2}
`, true, ''],
    ['a scalar differs', base.replace('replicas: 2', 'replicas: 3'), false, '/spec/replicas'],
    ['a string becomes a number (YAML 1.1)', base.replace('a: "1"', 'a: 1'), false, '/metadata/labels/a'],
    ['"on" unquoted is a boolean in YAML 1.1', base.replace('b: x', 'b: on'), false, '/metadata/labels/b'],
    ['a missing field', base.replace(', image: "i:1"', ''), false, '/spec/template/spec/containers/0/image'],
    ['an extra object', `${base}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n`, false, 'only in'],
    ['a helm hook is left out', `${base}---\napiVersion: v1\nkind: Pod\nmetadata: {name: t, annotations: {helm.sh/hook: test}}\n`, true, ''],
  ];
  let failed = 0;
  for (const [name, text, equal, where] of cases) {
    const rep = compare(parseObjects(base, 'left', opts), parseObjects(text, 'right', opts));
    const isEqual = rep.differences.length === 0 && rep.onlyLeft.length === 0 && rep.onlyRight.length === 0;
    let ok = isEqual === equal;
    if (ok && !equal && where.startsWith('/')) ok = rep.differences.length === 1 && rep.differences[0].path === where;
    if (ok && where === 'only in') ok = rep.onlyRight.length === 1;
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}\n`);
    if (!ok) {
      failed++;
      process.stdout.write(`     ${JSON.stringify(rep)}\n`);
    }
  }
  return failed ? 1 : 0;
}

const opts = parseArgs(process.argv.slice(2));
process.exit(opts.selfTest ? selfTest() : run(opts));
