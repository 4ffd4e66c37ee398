#!/usr/bin/env node
// Validates Kubernetes objects (multi-document YAML) against strict JSON schemas
// (yannh/kubernetes-json-schema "standalone-strict" layout: <kind>-<group>-<version>.json,
// additionalProperties: false everywhere), like kubeconform does.
//
//   node validate-k8s.js --schemas DIR [--label TEXT] FILE... [--label TEXT FILE...]...
//        ('-' reads stdin; each --label starts a group reported on its own)
//   node validate-k8s.js --schemas DIR --self-test
//
// YAML is read the way the API server's sigs.k8s.io/yaml reads it (YAML 1.1: `yes`, `on`,
// `0755`, `2024-01-01` are not strings), so an emitter that forgets to quote fails here.
// Exit 0: every object that has a schema is valid and no built-in Kubernetes kind lacks one.
// Exit 1: invalid objects, unparsable YAML, or a built-in kind with no schema. Exit 2: usage.
// Per labelled group: "SUMMARY label=L validated=N unchecked=M failed=F"; last line, the totals:
// "SUMMARY validated=N unchecked=M failed=F".
'use strict';

const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const YAML = require('yaml');

// API groups served by kube-apiserver itself: a kind of these groups without a schema is a
// failure (a deprecated apiVersion such as extensions/v1beta1 lands here), while CRD kinds
// (external-secrets.io, monitoring.coreos.com, ...) and kustomize's own files are listed as
// "not checked (no schema)".
const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'extensions',
  'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'certificates.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io',
  'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io',
  'storagemigration.k8s.io',
]);

function usage(msg) {
  if (msg) process.stderr.write(`validate-k8s: ${msg}\n`);
  process.stderr.write('usage: validate-k8s.js --schemas DIR [--label TEXT] FILE... [--label TEXT FILE...]... | --self-test\n');
  process.exit(2);
}

function parseArgs(argv) {
  // Files are grouped by the --label before them, so one process (one schema compilation)
  // validates many renders and still reports each on its own.
  const o = { schemas: null, groups: [], selfTest: false, quiet: false };
  let group = { label: '', files: [] };
  o.groups.push(group);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--schemas') o.schemas = argv[++i];
    else if (a === '--label') {
      group = { label: argv[++i] || '', files: [] };
      o.groups.push(group);
    } else if (a === '--self-test') o.selfTest = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else group.files.push(a);
  }
  o.groups = o.groups.filter((g) => g.files.length > 0);
  if (!o.schemas) usage('--schemas DIR is required');
  if (!o.selfTest && o.groups.length === 0) usage('no input files');
  return o;
}

class Validator {
  constructor(schemaDir) {
    this.schemaDir = schemaDir;
    // strict: false because the Kubernetes schemas carry vendor keywords (x-kubernetes-*,
    // discriminator without a mapping); validateSchema: false because their $schema is the
    // unversioned "http://json-schema.org/schema#" that Ajv has no meta-schema for.
    // additionalProperties: false is a core keyword and is enforced regardless of strict mode
    // (the self-test proves it).
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, allowUnionTypes: true });
    addFormats(this.ajv); // date-time, int32, int64, byte ...
    this.cache = new Map();
  }

  schemaFileFor(apiVersion, kind) {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const groupPart = group === '' ? '' : `-${group.split('.')[0]}`;
    return { group, file: path.join(this.schemaDir, `${kind.toLowerCase()}${groupPart}-${version}.json`) };
  }

  // Returns a compiled validate function, or null when there is no schema file.
  compiled(file) {
    if (this.cache.has(file)) return this.cache.get(file);
    let fn = null;
    if (fs.existsSync(file)) {
      const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete schema.$schema;
      delete schema.$id;
      fn = this.ajv.compile(schema);
    }
    this.cache.set(file, fn);
    return fn;
  }

  // -> {status: 'valid'|'invalid'|'unchecked'|'missing-builtin', errors: [...]}
  validate(obj) {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      return { status: 'invalid', errors: ['document is not a mapping'] };
    const { apiVersion, kind } = obj;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind)
      return { status: 'invalid', errors: ['apiVersion and kind must be non-empty strings'] };
    const { group, file } = this.schemaFileFor(apiVersion, kind);
    const fn = this.compiled(file);
    if (!fn) {
      if (BUILTIN_GROUPS.has(group))
        return { status: 'missing-builtin', errors: [`no schema ${path.basename(file)} for built-in kind ${kind} ${apiVersion}`] };
      return { status: 'unchecked', errors: [] };
    }
    const errors = [];
    if (!obj.metadata || typeof obj.metadata.name !== 'string' || obj.metadata.name === '')
      errors.push('/metadata/name: must be a non-empty string');
    if (!fn(obj)) {
      for (const e of fn.errors) {
        let extra = '';
        if (e.keyword === 'additionalProperties') extra = ` '${e.params.additionalProperty}'`;
        else if (e.keyword === 'enum') extra = ` ${JSON.stringify(e.params.allowedValues)}`;
        errors.push(`${e.instancePath || '/'}: ${e.message}${extra}`);
      }
    }
    return { status: errors.length ? 'invalid' : 'valid', errors };
  }
}

// Parses a multi-document YAML stream -> [{index, obj}] or throws with every parse error.
function parseStream(text, source) {
  const docs = YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: true });
  const out = [];
  const problems = [];
  docs.forEach((doc, i) => {
    for (const e of doc.errors) problems.push(`${source}: document ${i + 1}: ${e.message}`);
    for (const w of doc.warnings) problems.push(`${source}: document ${i + 1}: warning treated as error: ${w.message}`);
    if (doc.errors.length) return;
    const obj = doc.toJS({ maxAliasCount: 1000 });
    if (obj === null || obj === undefined) return; // empty document (e.g. trailing ---)
    out.push({ index: i + 1, obj });
  });
  if (problems.length) {
    const err = new Error(problems.join('\n'));
    err.yamlProblems = problems;
    throw err;
  }
  return out;
}

function describe(obj) {
  const md = (obj && obj.metadata) || {};
  const ns = md.namespace ? `${md.namespace}/` : '';
  return `${obj && obj.kind}/${ns}${md.name} (${obj && obj.apiVersion})`;
}

function run(opts) {
  const v = new Validator(opts.schemas);
  const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  const fmt = (m) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`).join(', ');
  const total = { validated: 0, unchecked: 0, failed: 0 };
  for (const g of opts.groups) {
    const validatedByKind = new Map();
    const uncheckedByKind = new Map();
    let failed = 0;
    for (const f of g.files) {
      let text;
      try {
        text = f === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(f, 'utf8');
      } catch (e) {
        console.log(`FAIL ${f}: cannot read: ${e.message}`);
        failed++;
        continue;
      }
      const source = f === '-' ? '<stdin>' : f;
      let docs;
      try {
        docs = parseStream(text, source);
      } catch (e) {
        console.log(`FAIL ${e.message}`);
        failed++;
        continue;
      }
      for (const { index, obj } of docs) {
        const r = v.validate(obj);
        if (r.status === 'valid') bump(validatedByKind, obj.kind);
        else if (r.status === 'unchecked') bump(uncheckedByKind, `${obj.kind} ${obj.apiVersion}`);
        else {
          failed++;
          console.log(`FAIL ${g.label ? `${g.label}: ` : ''}${source}#${index} ${describe(obj)}`);
          for (const e of r.errors) console.log(`    ${e}`);
        }
      }
    }
    const validated = sum(validatedByKind);
    const unchecked = sum(uncheckedByKind);
    const label = g.label ? `${g.label}: ` : '';
    if (!opts.quiet) {
      console.log(`${label}validated ${validated} object(s)${validated ? ` [${fmt(validatedByKind)}]` : ''}`);
      if (unchecked) console.log(`${label}not checked (no schema): ${unchecked} object(s) [${fmt(uncheckedByKind)}]`);
    }
    if (g.label) console.log(`SUMMARY label=${g.label} validated=${validated} unchecked=${unchecked} failed=${failed}`);
    total.validated += validated;
    total.unchecked += unchecked;
    total.failed += failed;
  }
  console.log(`SUMMARY validated=${total.validated} unchecked=${total.unchecked} failed=${total.failed}`);
  return total.failed === 0 ? 0 : 1;
}

// Proves the validator is live: a good Deployment passes, and misspelled fields (top level and
// deep inside the pod template), wrong types, out-of-range int32 values and unquoted YAML 1.1 booleans
// are all rejected.
function selfTest(opts) {
  const v = new Validator(opts.schemas);
  const good = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'web',
            image: 'registry.example.com/shop/web:1.4.2',
            ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  });
  const cases = [
    ['valid Deployment', (o) => o, 'valid'],
    ['misspelled spec.replcas', (o) => { o.spec.replcas = o.spec.replicas; delete o.spec.replicas; return o; }, 'invalid'],
    ['misspelled container field imagePullPolicyy', (o) => { o.spec.template.spec.containers[0].imagePullPolicyy = 'Always'; return o; }, 'invalid'],
    ['replicas as a string', (o) => { o.spec.replicas = '2'; return o; }, 'invalid'],
    ['containerPort beyond int32 (format check)', (o) => { o.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 40; return o; }, 'invalid'],
    ['port name as a number where a string is needed', (o) => { o.spec.template.spec.containers[0].ports[0].name = 8080; return o; }, 'invalid'],
    ['missing metadata.name', (o) => { delete o.metadata.name; return o; }, 'invalid'],
    ['deprecated apiVersion extensions/v1beta1', (o) => { o.apiVersion = 'extensions/v1beta1'; return o; }, 'missing-builtin'],
    ['CRD kind is unchecked', (o) => ({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'x' }, spec: { anything: 1 } }), 'unchecked'],
  ];
  let bad = 0;
  for (const [name, mutate, want] of cases) {
    const r = v.validate(mutate(good()));
    const ok = r.status === want;
    if (!ok) bad++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} self-test: ${name}: expected ${want}, got ${r.status}${r.errors.length ? ` (${r.errors[0]})` : ''}`);
  }
  // YAML 1.1: an unquoted `on` in a string field is a boolean to the API server.
  const y11 = parseStream('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ENABLED: on\n', 'self-test')[0].obj;
  const r = v.validate(y11);
  const ok = r.status === 'invalid';
  if (!ok) bad++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} self-test: unquoted YAML 1.1 boolean in ConfigMap.data: expected invalid, got ${r.status}`);
  console.log(`SUMMARY self-test cases=${cases.length + 1} failed=${bad}`);
  return bad === 0 ? 0 : 1;
}

const opts = parseArgs(process.argv.slice(2));
if (!fs.existsSync(opts.schemas) || !fs.statSync(opts.schemas).isDirectory()) usage(`schema directory not found: ${opts.schemas}`);
process.exit(opts.selfTest ? selfTest(opts) : run(opts));
