#!/usr/bin/env node
// Checks a rendered Kubernetes stream (`kubectl kustomize` output) against what the spec says,
// using spec-merge.js as an independent oracle of environment resolution:
//  - one Namespace, named after the target namespace; every namespaced object lives in it;
//  - per service: its workload (Deployment | StatefulSet | CronJob | Job), Service (port),
//    Ingress (host), ExternalSecret (secrets), env ConfigMap (env) exist;
//  - replicas (spec.replicas, or the HPA's min/max when max > min), resource requests and the
//    image of the container equal the resolved spec values.
// With --base-rendered, every service whose replicas or resources differ between the base and
// this environment must render differently in the two streams ("overlay differences show").
//
//   node check-render.js --spec coconut.yaml [--env ENV] --rendered FILE
//                        [--base-rendered FILE] [--label TEXT]
// Exit 0 ok, 1 mismatches (each printed), 2 usage. Last line: "SUMMARY checks=N failed=F diffs=D".
'use strict';

const fs = require('fs');
const YAML = require('yaml');
const { resolve, isMap } = require('./spec-merge');

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ClusterSecretStore']);

function parseArgs(argv) {
  const o = { spec: null, env: '', rendered: null, baseRendered: null, label: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--spec') o.spec = next();
    else if (a === '--env') o.env = next();
    else if (a === '--rendered') o.rendered = next();
    else if (a === '--base-rendered') o.baseRendered = next();
    else if (a === '--label') o.label = next();
    else usage(`unknown argument ${a}`);
  }
  if (!o.spec || !o.rendered) usage('--spec and --rendered are required');
  return o;
}

function usage(msg) {
  process.stderr.write(`check-render: ${msg}\nusage: check-render.js --spec SPEC [--env ENV] --rendered FILE [--base-rendered FILE]\n`);
  process.exit(2);
}

function readStream(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' });
  const objs = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    const o = d.toJS();
    if (o) objs.push(o);
  }
  return objs;
}

function index(objs) {
  const m = new Map();
  for (const o of objs) m.set(`${o.kind}/${o.metadata && o.metadata.name}`, o);
  return m;
}

// Replicas as the loader reads them: absent -> 1..1; a number n -> n..n; {min, max}.
function replicasOf(svc) {
  const r = svc.replicas;
  if (r === undefined || r === null) return { min: 1, max: 1 };
  if (typeof r === 'number') return { min: r, max: r };
  const min = r.min ?? 1;
  return { min, max: r.max ?? min };
}

// What Kubernetes should run for these replicas (coconut's plan: HPA when max > min).
function replicaPlan(r) {
  if (r.max <= 0) return { replicas: 0, hpa: null };
  if (r.max > r.min) return { replicas: undefined, hpa: { min: Math.max(r.min, 1), max: r.max } };
  return { replicas: r.min, hpa: null };
}

function workloadKind(svc) {
  if ((svc.type || 'backend') === 'job') return svc.schedule ? 'CronJob' : 'Job';
  const persistent = Array.isArray(svc.volumes) && svc.volumes.some((v) => v && v.size);
  return persistent ? 'StatefulSet' : 'Deployment';
}

function podSpecOf(w) {
  if (!w || !w.spec) return null;
  if (w.kind === 'CronJob') return w.spec.jobTemplate && w.spec.jobTemplate.spec && w.spec.jobTemplate.spec.template && w.spec.jobTemplate.spec.template.spec;
  return w.spec.template && w.spec.template.spec;
}

// The rendered replica facts of a service: {replicas, hpaMin, hpaMax}.
function renderedReplicas(idx, name, kind) {
  const w = idx.get(`${kind}/${name}`);
  const h = idx.get(`HorizontalPodAutoscaler/${name}`);
  return {
    replicas: w && w.spec ? w.spec.replicas : undefined,
    hpaMin: h && h.spec ? h.spec.minReplicas : undefined,
    hpaMax: h && h.spec ? h.spec.maxReplicas : undefined,
  };
}

function renderedResources(idx, name, kind) {
  const ps = podSpecOf(idx.get(`${kind}/${name}`));
  const c = ps && Array.isArray(ps.containers) ? ps.containers.find((x) => x.name === name) || ps.containers[0] : null;
  const req = (c && c.resources && c.resources.requests) || {};
  return { cpu: req.cpu, memory: req.memory, image: c && c.image };
}

const same = (a, b) => String(a) === String(b);

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const label = opts.label || `${opts.spec}${opts.env ? `@${opts.env}` : ''}`;
  const data = resolve(opts.spec, opts.env);
  const base = resolve(opts.spec, '');
  const objs = readStream(opts.rendered);
  const idx = index(objs);
  let checks = 0;
  let failed = 0;
  let diffs = 0;
  const check = (ok, what) => {
    checks++;
    if (!ok) {
      failed++;
      console.log(`FAIL ${label}: ${what}`);
    }
    return ok;
  };

  const ns = (data.targets && data.targets.kubernetes && data.targets.kubernetes.namespace) || data.name;
  const namespaces = objs.filter((o) => o.kind === 'Namespace');
  check(namespaces.length === 1, `expected exactly one Namespace, got ${namespaces.length}`);
  if (namespaces.length === 1) check(namespaces[0].metadata.name === ns, `Namespace is '${namespaces[0].metadata.name}', expected '${ns}'`);
  for (const o of objs) {
    if (CLUSTER_SCOPED.has(o.kind)) continue;
    check(o.metadata && o.metadata.namespace === ns, `${o.kind}/${o.metadata && o.metadata.name}: namespace '${o.metadata && o.metadata.namespace}', expected '${ns}'`);
  }

  const services = isMap(data.services) ? data.services : {};
  check(Object.keys(services).length > 0, 'the spec has no services');
  for (const [name, svc0] of Object.entries(services)) {
    const svc = svc0 || {};
    const kind = workloadKind(svc);
    const has = (k, n = name) => idx.has(`${k}/${n}`);
    if (!check(has(kind), `service ${name}: no ${kind}/${name} rendered`)) continue;
    if (svc.port) check(has('Service'), `service ${name}: has port ${svc.port} but no Service/${name}`);
    if (svc.ingress) {
      const ing = idx.get(`Ingress/${name}`);
      if (check(!!ing, `service ${name}: has ingress but no Ingress/${name}`) && svc.ingress.host) {
        const hosts = ((ing.spec && ing.spec.rules) || []).map((r) => r.host);
        check(hosts.includes(svc.ingress.host), `Ingress/${name}: hosts [${hosts}] lack ${svc.ingress.host}`);
      }
    }
    if (isMap(svc.secrets) && Object.keys(svc.secrets).length)
      check(has('ExternalSecret', `${name}-secrets`), `service ${name}: has secrets but no ExternalSecret/${name}-secrets`);
    if (isMap(svc.env) && Object.keys(svc.env).length) {
      const cm = idx.get(`ConfigMap/${name}-env`);
      if (check(!!cm, `service ${name}: has env but no ConfigMap/${name}-env`)) {
        for (const [k, v] of Object.entries(svc.env))
          check(cm.data && k in cm.data && same(cm.data[k], v), `ConfigMap/${name}-env: ${k}=${cm.data && cm.data[k]}, expected ${v}`);
      }
    }

    const res = renderedResources(idx, name, kind);
    const want = { cpu: (svc.resources && svc.resources.cpu) || '100m', memory: (svc.resources && svc.resources.memory) || '128Mi' };
    check(same(res.cpu, want.cpu), `${kind}/${name}: cpu request ${res.cpu}, expected ${want.cpu}`);
    check(same(res.memory, want.memory), `${kind}/${name}: memory request ${res.memory}, expected ${want.memory}`);
    if (svc.image) check(res.image === svc.image, `${kind}/${name}: image ${res.image}, expected ${svc.image}`);

    if (kind === 'Deployment' || kind === 'StatefulSet') {
      const plan = replicaPlan(replicasOf(svc));
      const got = renderedReplicas(idx, name, kind);
      if (plan.hpa) {
        check(got.hpaMin === plan.hpa.min && got.hpaMax === plan.hpa.max,
          `service ${name}: HPA min/max ${got.hpaMin}/${got.hpaMax}, expected ${plan.hpa.min}/${plan.hpa.max}`);
        check(got.replicas === undefined, `${kind}/${name}: spec.replicas ${got.replicas} set although the HPA owns it`);
      } else {
        check(got.replicas === plan.replicas, `${kind}/${name}: spec.replicas ${got.replicas}, expected ${plan.replicas}`);
        check(got.hpaMin === undefined, `service ${name}: unexpected HorizontalPodAutoscaler (replicas fixed at ${plan.replicas})`);
      }
    }
  }

  if (opts.baseRendered) {
    const bidx = index(readStream(opts.baseRendered));
    const bservices = isMap(base.services) ? base.services : {};
    for (const [name, svc0] of Object.entries(services)) {
      const svc = svc0 || {};
      const bsvc = bservices[name] || {};
      const kind = workloadKind(svc);
      const envR = JSON.stringify(replicaPlan(replicasOf(svc)));
      const baseR = JSON.stringify(replicaPlan(replicasOf(bsvc)));
      if (kind !== 'CronJob' && kind !== 'Job' && envR !== baseR) {
        diffs++;
        const a = renderedReplicas(bidx, name, kind);
        const b = renderedReplicas(idx, name, kind);
        const fmt = (r) => (r.hpaMin !== undefined ? `hpa ${r.hpaMin}..${r.hpaMax}` : `replicas ${r.replicas}`);
        if (check(JSON.stringify(a) !== JSON.stringify(b), `service ${name}: replicas differ in the spec but render the same (${fmt(a)})`))
          console.log(`diff ${label}: ${name} ${fmt(a)} (base) -> ${fmt(b)} (${opts.env || 'base'})`);
      }
      const er = (svc.resources || {});
      const br = (bsvc.resources || {});
      if (!same(er.cpu ?? '', br.cpu ?? '') || !same(er.memory ?? '', br.memory ?? '')) {
        diffs++;
        const a = renderedResources(bidx, name, kind);
        const b = renderedResources(idx, name, kind);
        if (check(a.cpu !== b.cpu || a.memory !== b.memory, `service ${name}: resources differ in the spec but render the same (${a.cpu}/${a.memory})`))
          console.log(`diff ${label}: ${name} requests ${a.cpu}/${a.memory} (base) -> ${b.cpu}/${b.memory} (${opts.env || 'base'})`);
      }
    }
  }

  const kinds = new Map();
  for (const o of objs) kinds.set(o.kind, (kinds.get(o.kind) || 0) + 1);
  console.log(`${label}: ${objs.length} objects [${[...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`).join(', ')}]`);
  console.log(`SUMMARY checks=${checks} failed=${failed} diffs=${diffs}`);
  return failed ? 1 : 0;
}

try {
  process.exit(main());
} catch (e) {
  console.log(`FAIL ${e.message}`);
  console.log('SUMMARY checks=0 failed=1 diffs=0');
  process.exit(1);
}
