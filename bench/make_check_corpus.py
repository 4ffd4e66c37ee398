#!/usr/bin/env python3
"""Writes the deterministic corpus of bench/check.sh (python3 stdlib only, no network):

    bench/make_check_corpus.py OUT_DIR [K8S_DOCS DOCKERFILES PLAYBOOKS]

  OUT_DIR/k8s/apps-NNN.yaml          K8S_DOCS (default 10,000) Kubernetes documents, ~20 a file:
                                     Deployments, StatefulSets, CronJobs, Services, ConfigMaps,
                                     Ingresses, NetworkPolicies, HPAs, PDBs; about 1 in 4
                                     workloads breaks a rule (privileged, :latest, no limits, ...)
  OUT_DIR/docker/svc-NNNN.Dockerfile DOCKERFILES (default 1,000): multi-stage or single-stage,
                                     apt/apk/pip/npm installs; about 1 in 4 with problems
  OUT_DIR/ansible/play-NNN.yml       PLAYBOOKS (default 200): 1-3 plays of 3-8 tasks, mixed
                                     modules; about 1 in 4 tasks with a problem

The same arguments always give the same bytes (seeded random.Random). Prints one line:
"k8s DOCS FILES BYTES docker FILES BYTES ansible FILES BYTES".
"""
import os
import random
import shutil
import sys

R = random.Random(20261128)
TEAMS = ["payments", "search", "identity", "catalog", "orders", "billing", "media", "ads"]
IMAGES = ["nginx", "redis", "postgres", "node", "python", "golang", "envoyproxy/envoy", "busybox"]


def pick(seq):
    return R.choice(seq)


def bad(p=0.25):
    return R.random() < p


def labels(name, team, indent):
    pad = " " * indent
    return (f"{pad}app.kubernetes.io/name: {name}\n{pad}app.kubernetes.io/part-of: {team}\n"
            f"{pad}app.kubernetes.io/managed-by: coconut\n")


def meta(kind, api, name, ns, team, extra=""):
    return (f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
            f"  labels:\n{labels(name, team, 4)}{extra}")


def container(name, indent, broken):
    p = " " * indent
    image = f"registry.example.com/{name}:" + ("latest" if broken and bad(0.5) else f"1.{R.randint(0, 40)}.{R.randint(0, 9)}")
    port = pick([8080, 8443, 9000, 3000, 5000])
    s = f"{p}- name: {name}\n{p}  image: {image}\n{p}  imagePullPolicy: IfNotPresent\n"
    s += f"{p}  ports:\n{p}    - name: http\n{p}      containerPort: {port}\n{p}      protocol: TCP\n"
    s += f"{p}  env:\n"
    for i in range(R.randint(2, 6)):
        s += f"{p}    - name: SETTING_{i}\n{p}      value: \"{R.randint(1, 99999)}\"\n"
    s += f"{p}    - name: DB_PASSWORD\n{p}      valueFrom:\n{p}        secretKeyRef:\n{p}          name: {name}-db\n{p}          key: password\n"
    if not (broken and bad(0.5)):
        s += (f"{p}  resources:\n{p}    requests:\n{p}      cpu: {R.choice([50, 100, 250, 500])}m\n"
              f"{p}      memory: {R.choice([64, 128, 256, 512])}Mi\n{p}    limits:\n"
              f"{p}      cpu: \"{R.choice([1, 2])}\"\n{p}      memory: {R.choice([256, 512, 1024])}Mi\n")
    if not (broken and bad(0.4)):
        s += (f"{p}  readinessProbe:\n{p}    httpGet:\n{p}      path: /healthz\n{p}      port: http\n"
              f"{p}    periodSeconds: 10\n{p}  livenessProbe:\n{p}    httpGet:\n{p}      path: /livez\n"
              f"{p}      port: http\n{p}    initialDelaySeconds: 15\n")
    if broken and bad(0.5):
        s += f"{p}  securityContext:\n{p}    privileged: true\n{p}    runAsUser: 0\n"
    else:
        s += (f"{p}  securityContext:\n{p}    allowPrivilegeEscalation: false\n{p}    readOnlyRootFilesystem: true\n"
              f"{p}    runAsNonRoot: true\n{p}    runAsUser: 10001\n{p}    capabilities:\n{p}      drop: [\"ALL\"]\n"
              f"{p}    seccompProfile:\n{p}      type: RuntimeDefault\n")
    s += f"{p}  volumeMounts:\n{p}    - name: tmp\n{p}      mountPath: /tmp\n{p}    - name: config\n{p}      mountPath: /etc/{name}\n"
    return s


def pod_spec(name, indent, broken):
    p = " " * indent
    s = f"{p}serviceAccountName: {name}\n{p}automountServiceAccountToken: false\n"
    if broken and bad(0.3):
        s += f"{p}hostNetwork: true\n"
    s += f"{p}securityContext:\n{p}  runAsNonRoot: true\n{p}  fsGroup: 10001\n{p}  seccompProfile:\n{p}    type: RuntimeDefault\n"
    s += f"{p}containers:\n" + container(name, indent + 2, broken)
    if bad(0.3):
        s += container(name + "-sidecar", indent + 2, broken)
    s += f"{p}volumes:\n{p}  - name: tmp\n{p}    emptyDir: {{}}\n{p}  - name: config\n{p}    configMap:\n{p}      name: {name}\n"
    return s


def workload(kind, name, ns, team):
    broken = bad()
    api = "batch/v1" if kind == "CronJob" else "apps/v1"
    s = meta(kind, api, name, ns, team) + "spec:\n"
    if kind == "CronJob":
        s += f"  schedule: \"{R.randint(0, 59)} {R.randint(0, 23)} * * *\"\n  concurrencyPolicy: Forbid\n"
        s += "  jobTemplate:\n    spec:\n      backoffLimit: 2\n      template:\n        metadata:\n          labels:\n"
        s += labels(name, team, 12) + "        spec:\n          restartPolicy: OnFailure\n" + pod_spec(name, 10, broken)
        return s
    s += f"  replicas: {R.randint(2, 6)}\n"
    if kind == "StatefulSet":
        s += f"  serviceName: {name}\n"
    s += f"  selector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n"
    s += "  template:\n    metadata:\n      labels:\n" + labels(name, team, 8) + "    spec:\n" + pod_spec(name, 6, broken)
    if kind == "StatefulSet":
        s += ("  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [\"ReadWriteOnce\"]\n"
              f"        resources:\n          requests:\n            storage: {R.randint(1, 100)}Gi\n")
    return s


def k8s_doc(kind, name, ns, team):
    if kind in ("Deployment", "StatefulSet", "CronJob"):
        return workload(kind, name, ns, team)
    if kind == "Service":
        svc_type = "LoadBalancer" if bad(0.1) else "ClusterIP"
        return meta(kind, "v1", name, ns, team) + (
            f"spec:\n  type: {svc_type}\n  selector:\n    app.kubernetes.io/name: {name}\n"
            "  ports:\n    - name: http\n      port: 80\n      targetPort: http\n      protocol: TCP\n")
    if kind == "ConfigMap":
        s = meta(kind, "v1", name, ns, team) + "data:\n"
        for i in range(R.randint(3, 12)):
            s += f"  key_{i}.conf: \"value-{R.randint(0, 10**9)}-{'x' * R.randint(5, 60)}\"\n"
        if bad(0.1):
            s += "  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        return s
    if kind == "Ingress":
        tls = "" if bad(0.2) else f"  tls:\n    - hosts: [\"{name}.example.com\"]\n      secretName: {name}-tls\n"
        return meta(kind, "networking.k8s.io/v1", name, ns, team) + (
            f"spec:\n  ingressClassName: nginx\n{tls}  rules:\n    - host: {name}.example.com\n      http:\n        paths:\n"
            f"          - path: /\n            pathType: Prefix\n            backend:\n              service:\n"
            f"                name: {name}\n                port:\n                  name: http\n")
    if kind == "NetworkPolicy":
        return meta(kind, "networking.k8s.io/v1", name, ns, team) + (
            f"spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n  policyTypes: [Ingress, Egress]\n"
            f"  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: {ns}\n"
            "      ports:\n        - port: 8080\n          protocol: TCP\n  egress:\n    - to:\n        - namespaceSelector: {}\n"
            "      ports:\n        - port: 53\n          protocol: UDP\n")
    if kind == "HorizontalPodAutoscaler":
        return meta(kind, "autoscaling/v2", name, ns, team) + (
            f"spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {name}\n"
            f"  minReplicas: 2\n  maxReplicas: {R.randint(4, 30)}\n  metrics:\n    - type: Resource\n      resource:\n"
            f"        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: {R.choice([60, 70, 80])}\n")
    if kind == "PodDisruptionBudget":
        return meta(kind, "policy/v1", name, ns, team) + (
            f"spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n")
    raise ValueError(kind)


# Weights: workloads are the big documents; each app gets its satellites.
KINDS = ["Deployment"] * 5 + ["StatefulSet", "CronJob"] + ["Service"] * 4 + ["ConfigMap"] * 4 + \
        ["Ingress"] * 2 + ["NetworkPolicy"] * 2 + ["HorizontalPodAutoscaler"] * 2 + ["PodDisruptionBudget"] * 2


def write_k8s(out, n_docs):
    files = max(1, round(n_docs / 20))
    total = 0
    for f in range(files):
        count = n_docs // files + (1 if f < n_docs % files else 0)
        team = TEAMS[f % len(TEAMS)]
        ns = f"{team}-{f % 7}"
        docs = []
        for d in range(count):
            kind = pick(KINDS)
            docs.append(k8s_doc(kind, f"{team}-app{f:03d}-{d:02d}", ns, team))
        text = "---\n".join(docs)
        with open(os.path.join(out, f"apps-{f:03d}.yaml"), "w") as fh:
            fh.write(text)
        total += len(text.encode())
    return files, total


def dockerfile(i):
    lang = pick(["apt", "apk", "pip", "npm", "go"])
    broken = bad()
    lines = [f"# syntax=docker/dockerfile:1", f"# service {i:04d} ({lang})"]
    tag = "latest" if broken and bad(0.4) else None
    if lang == "go":
        lines += [f"FROM golang:{tag or '1.22-bookworm'} AS build", "WORKDIR /src", "COPY go.mod go.sum ./",
                  "RUN go mod download", "COPY . .", "RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app",
                  "", "FROM gcr.io/distroless/static-debian12:nonroot", "COPY --from=build /out/app /app"]
        final = ["/app"]
    elif lang == "npm":
        lines += [f"FROM node:{tag or '20-bookworm-slim'} AS deps", "WORKDIR /app", "COPY package.json package-lock.json ./",
                  "RUN npm ci --omit=dev" if not (broken and bad(0.5)) else "RUN npm install",
                  "", "FROM node:20-bookworm-slim", "ENV NODE_ENV=production", "WORKDIR /app",
                  "COPY --from=deps /app/node_modules ./node_modules", "COPY . ."]
        final = ["node", "server.js"]
    elif lang == "pip":
        lines += [f"FROM python:{tag or '3.12-slim'}", "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1", "WORKDIR /app",
                  "COPY requirements.txt .",
                  "RUN pip install -r requirements.txt" if broken and bad(0.5) else "RUN pip install --no-cache-dir -r requirements.txt",
                  "COPY . ."]
        final = ["python", "-m", "app"]
    elif lang == "apk":
        lines += [f"FROM alpine:{tag or '3.20'}",
                  "RUN apk add curl ca-certificates tzdata" if broken and bad(0.5)
                  else "RUN apk add --no-cache curl=8.9.1-r2 ca-certificates=20240705-r0 tzdata=2024b-r0",
                  "COPY bin/service /usr/local/bin/service"]
        final = ["/usr/local/bin/service"]
    else:
        lines += [f"FROM debian:{tag or 'bookworm-slim'}"]
        if broken and bad(0.5):
            lines += ["RUN apt-get update", "RUN apt-get install -y curl git build-essential"]
        else:
            lines += ["RUN apt-get update \\", "    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 ca-certificates \\",
                      "    && rm -rf /var/lib/apt/lists/*"]
        lines += ["COPY bin/service /usr/local/bin/service"]
        final = ["/usr/local/bin/service"]
    if broken and bad(0.3):
        lines += ["ADD https://example.com/tool.tar.gz /tmp/", "RUN cd /tmp && tar xzf tool.tar.gz"]
    if broken and bad(0.3):
        lines += ["ENV API_TOKEN=s3cr3t-token-value"]
    lines += [f"LABEL org.opencontainers.image.title=\"service-{i:04d}\" org.opencontainers.image.version=\"1.{i % 50}.0\""]
    lines += [f"EXPOSE {pick([8080, 8443, 3000, 5000])}"]
    if lang != "go" and not (broken and bad(0.5)):
        lines += ["USER 10001:10001"]
    if lang not in ("go",) and bad(0.7):
        # With options: dockerfilelint 1.8.0 crashes on a HEALTHCHECK without any.
        lines += ["HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/healthz || exit 1"]
    if broken and bad(0.3):
        lines += ["CMD " + " ".join(final)]
    else:
        lines += ["ENTRYPOINT [" + ", ".join(f'"{a}"' for a in final) + "]"]
    return "\n".join(lines) + "\n"


def write_each(out, n, make, name):
    """Writes make(i) to out/name.format(i) for i < n; returns (files, bytes)."""
    total = 0
    for i in range(n):
        text = make(i)
        with open(os.path.join(out, name.format(i)), "w") as fh:
            fh.write(text)
        total += len(text.encode())
    return n, total


def write_docker(out, n):
    return write_each(out, n, dockerfile, "svc-{:04d}.Dockerfile")


def task(j):
    broken = bad()
    fq = "" if broken and bad(0.5) else "ansible.builtin."
    choice = R.randrange(9)
    name = f"Task {j} of the play"
    if choice == 0:
        body = f"  {fq}apt:\n    name: [curl, git]\n    state: {'latest' if broken else 'present'}\n    update_cache: true\n"
    elif choice == 1:
        body = (f"  {fq}template:\n    src: app.conf.j2\n    dest: /etc/app/app-{j}.conf\n"
                + ("" if broken else "    owner: root\n    group: root\n    mode: \"0644\"\n"))
    elif choice == 2:
        body = f"  {fq}service:\n    name: app{j}\n    state: started\n    enabled: true\n"
    elif choice == 3:
        if broken:
            body = f"  {fq}shell: cat /etc/app/app.conf\n"
        else:
            body = f"  {fq}command: cat /etc/app/app.conf\n  changed_when: false\n"
    elif choice == 4:
        body = f"  {fq}copy:\n    src: files/motd\n    dest: /etc/motd\n    mode: \"0644\"\n"
    elif choice == 5:
        body = f"  {fq}user:\n    name: deploy{j}\n    groups: [www-data]\n    append: true\n"
    elif choice == 6:
        body = f"  {fq}file:\n    path: /var/lib/app{j}\n    state: directory\n    mode: \"0750\"\n"
    elif choice == 7:
        body = f"  {fq}lineinfile:\n    path: /etc/sysctl.conf\n    line: vm.swappiness={R.randint(1, 60)}\n    mode: \"0644\"\n"
    else:
        body = f"  {fq}get_url:\n    url: https://example.com/app-{j}.tar.gz\n    dest: /tmp/app.tar.gz\n    mode: \"0644\"\n"
    if broken and bad(0.3):
        s = "- " + body.lstrip()  # unnamed task: the module key on the dash line
    else:
        s = f"- name: {name}\n" + body
    if broken and bad(0.2):
        s += "  ignore_errors: true\n"
    return s


def playbook(i):
    plays = []
    for p in range(R.randint(1, 3)):
        tasks = "".join("    " + line + "\n" if line else "\n"
                        for t in range(R.randint(3, 8)) for line in task(t).rstrip("\n").split("\n"))
        plays.append(f"- name: Play {p} of playbook {i:03d}\n  hosts: {pick(['web', 'db', 'all', 'workers'])}\n"
                     f"  become: true\n  tasks:\n{tasks}")
    return "---\n" + "\n".join(plays)


def write_ansible(out, n):
    return write_each(out, n, playbook, "play-{:03d}.yml")


def main():
    if len(sys.argv) not in (2, 5):
        sys.exit(__doc__)
    out = sys.argv[1]
    docs, n_docker, n_ansible = (int(a) for a in sys.argv[2:5]) if len(sys.argv) == 5 else (10000, 1000, 200)
    result = []
    for sub, writer, n in (("k8s", write_k8s, docs), ("docker", write_docker, n_docker), ("ansible", write_ansible, n_ansible)):
        path = os.path.join(out, sub)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        files, size = writer(path, n)
        result.append(f"{sub} {n} {files} {size}" if sub == "k8s" else f"{sub} {files} {size}")
    print(" ".join(result))


if __name__ == "__main__":
    main()
