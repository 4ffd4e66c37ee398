#!/usr/bin/env bash
# `coconut build --push` of examples/hello with the REAL buildah, into a REAL local registry
# (docker-registry on a free 127.0.0.1 port), then:
#  - skopeo inspect of the pushed image shows the non-root numeric user, the HEALTHCHECK, the
#    exposed port, the OCI labels, and the digest recorded in coconut.lock;
#  - both tags (version and git commit) are in the registry;
#  - `podman run` of the pushed image (pulled by digest) answers 200 on /healthz, and podman's
#    own run of the image's HEALTHCHECK succeeds;
#  - `coconut generate` pins the image by that digest once the spec's registry matches;
#  - the builder's output is streamed with the service name, and failures quote the builder.
#
# Containers without a daemon as ../shared/LAB.md says: our own containers.conf (runc,
# cgroupfs, ulimits) and storage.conf (vfs, everything under the temp dir); /etc is untouched.
# Needs: buildah podman skopeo runc docker-registry slirp4netns (apt), curl, git, node.
#
#   bash tests/integration/build.sh build/coconut
# shellcheck disable=SC2015 # `check && pass ... || fail ...`: pass always succeeds
# shellcheck source=tests/integration/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool buildah podman skopeo runc docker-registry slirp4netns curl node

BUILD_DIR="${COCONUT_BUILD_DIR:-$(dirname "$COCONUT")}"
HELLO_BIN="$BUILD_DIR/examples/hello/hello"
[[ -x $HELLO_BIN ]] || {
  echo "FAIL: the hello example binary is not built: $HELLO_BIN (it is built with the project)"
  exit 1
}

# ---- lab: containers config, storage, registry -------------------------------------------
LAB="$WORK/lab"
mkdir -p "$LAB/storage" "$LAB/run" "$LAB/reg" "$LAB/tmp" "$LAB/libpod"
# (tmp_dir, beyond LAB.md's recipe: podman's runtime state stays in the temp dir too, so suites
# running at the same time do not share /run/libpod.)
cat >"$LAB/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$LAB/libpod"
EOF
cat >"$LAB/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$LAB/storage"
runroot = "$LAB/run"
EOF
export CONTAINERS_CONF="$LAB/containers.conf"
export CONTAINERS_STORAGE_CONF="$LAB/storage.conf"
export TMPDIR="$LAB/tmp"   # buildah/podman scratch space, and coconut's temporary build files

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

REG_PID=""
CONTAINER=""
# shellcheck disable=SC2317 # called from the EXIT trap
build_cleanup() {
  if [[ -n $CONTAINER ]]; then podman rm -f "$CONTAINER" >/dev/null 2>&1 || true; fi
  if [[ -n $REG_PID ]]; then
    kill "$REG_PID" 2>/dev/null || true
    wait "$REG_PID" 2>/dev/null || true
  fi
}
trap 'build_cleanup; _it_cleanup' EXIT

REG_PORT="$(free_port)"
cat >"$LAB/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $LAB/reg
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
EOF
# (REGISTRY_* variables are configuration overrides for docker-registry: none may leak in.)
env -u REGISTRY_AUTH_FILE docker-registry serve "$LAB/registry.yml" >"$LAB/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$REG_PORT/v2/" >/dev/null 2>&1 && break
  kill -0 "$REG_PID" 2>/dev/null || break
  sleep 0.1
done
if ! curl -fsS "http://127.0.0.1:$REG_PORT/v2/" >/dev/null 2>&1; then
  fail "docker-registry did not start on 127.0.0.1:$REG_PORT"
  show "$LAB/registry.log"
  it_finish
fi
pass "docker-registry serves on 127.0.0.1:$REG_PORT (pid $REG_PID)"
REGISTRY="127.0.0.1:$REG_PORT/demo"

# ---- the project: examples/hello with its binary, in a git repository ---------------------
APP="$WORK/app"
mkdir -p "$APP"
cp "$SRC/examples/hello/coconut.yaml" "$APP/coconut.yaml"
cp "$HELLO_BIN" "$APP/hello"
APP_NAME="$(awk '/^name:/ {print $2; exit}' "$APP/coconut.yaml")"
VERSION="$(awk '/^version:/ {print $2; exit}' "$APP/coconut.yaml")"
SERVICE="$(awk '/^services:/ {s=1; next} s && match($0, /^  [a-z0-9-]+:/) {print substr($0, 3, RLENGTH - 3); exit}' "$APP/coconut.yaml")"
RUN_AS_USER="$(awk '/run_as_user:/ {print $2; exit}' "$APP/coconut.yaml")"
RUN_AS_USER="${RUN_AS_USER:-10001}"
REPO="$REGISTRY/$APP_NAME-$SERVICE"
echo "   app=$APP_NAME service=$SERVICE version=$VERSION image=$REPO"
if ! grep -q 'healthcheck:' "$APP/coconut.yaml"; then
  fail "examples/hello/coconut.yaml sets no build.healthcheck (the scratch image then has no HEALTHCHECK)"
fi

COMMIT=""
if command -v git >/dev/null 2>&1; then
  (cd "$APP" && git init -q && git add -A && git -c user.name=ci -c user.email=ci@example.invalid commit -qm init) &&
    COMMIT="$(git -C "$APP" rev-parse --short HEAD)"
fi

# ---- coconut build --push -----------------------------------------------------------------
run_cmd "$COCONUT" build --push --registry "$REGISTRY" -f "$APP/coconut.yaml"
if [[ $RC != 0 ]]; then
  fail "coconut build --push exited $RC"
  show "$WORK/err" 60
  it_finish
fi
pass "coconut build --push --registry $REGISTRY (with $(grep -o 'with buildah [0-9.]*' "$WORK/err" | head -1 | cut -c6-))"
grep -q "^\[$SERVICE\] STEP 1/" "$WORK/err" && pass "the builder's output is streamed, prefixed with the service" ||
  { fail "no '[$SERVICE] STEP 1/...' progress lines on stderr"; show "$WORK/err"; }
cp "$WORK/out" "$WORK/build.out"

LOCK="$APP/coconut.lock"
if [[ ! -f $LOCK ]]; then
  fail "coconut.lock was not written beside the spec"
  it_finish
fi
LOCK_DIGEST="$(awk '/^    digest:/ {print $2; exit}' "$LOCK")"
[[ $LOCK_DIGEST =~ ^sha256:[0-9a-f]{64}$ ]] && pass "coconut.lock records $LOCK_DIGEST" ||
  { fail "coconut.lock has no digest"; show "$LOCK"; }
grep -q "^    image: $REPO\$" "$LOCK" && pass "coconut.lock records the repository $REPO" || { fail "coconut.lock image"; show "$LOCK"; }
grep -q "^$SERVICE $REPO:$VERSION@$LOCK_DIGEST\$" "$WORK/build.out" && pass "stdout lists the pushed reference" ||
  { fail "stdout: expected '$SERVICE $REPO:$VERSION@$LOCK_DIGEST'"; show "$WORK/build.out"; }

# ---- skopeo inspect: digest, labels, user, healthcheck ------------------------------------
# --config --raw: the image's own (Docker schema 2) config; without --raw skopeo converts it to
# the OCI config, which has no Healthcheck field.
SK=(skopeo inspect --tls-verify=false)
if "${SK[@]}" "docker://$REPO:$VERSION" >"$WORK/inspect.json" 2>"$WORK/skerr" &&
  "${SK[@]}" --config --raw "docker://$REPO:$VERSION" >"$WORK/config.json" 2>>"$WORK/skerr"; then
  pass "skopeo inspect docker://$REPO:$VERSION"
else
  fail "skopeo inspect failed"
  show "$WORK/skerr"
  it_finish
fi
node - "$WORK/inspect.json" "$WORK/config.json" "$LOCK_DIGEST" "$RUN_AS_USER" "$APP_NAME-$SERVICE" "$VERSION" "$COMMIT" <<'JS' >"$WORK/checks.out" 2>&1
const fs = require('fs');
const [inspectFile, configFile, lockDigest, uid, title, version, commit] = process.argv.slice(2);
const inspect = JSON.parse(fs.readFileSync(inspectFile, 'utf8'));
const config = JSON.parse(fs.readFileSync(configFile, 'utf8')).config || {};
let failed = 0;
const check = (ok, what, got) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : ` (got ${JSON.stringify(got)})`}`);
  if (!ok) failed++;
};
check(inspect.Digest === lockDigest, `registry digest equals coconut.lock (${lockDigest})`, inspect.Digest);
check(config.User === `${uid}:${uid}`, `user is the numeric non-root ${uid}:${uid}`, config.User);
check(/^[1-9][0-9]*:[1-9][0-9]*$/.test(config.User || ''), 'user is numeric and not root', config.User);
const hc = config.Healthcheck || {};
check(Array.isArray(hc.Test) && hc.Test[0] === 'CMD' && hc.Test.length > 1,
      `HEALTHCHECK in the image config, exec form: ${JSON.stringify(hc.Test)}`, hc);
check(hc.Interval > 0 && hc.Timeout > 0 && hc.Retries > 0, 'HEALTHCHECK has interval, timeout and retries', hc);
check(config.ExposedPorts && '8080/tcp' in config.ExposedPorts, 'EXPOSE 8080', config.ExposedPorts);
check(Array.isArray(config.Entrypoint) && config.Entrypoint[0].startsWith('/app/'), 'exec-form ENTRYPOINT', config.Entrypoint);
const labels = inspect.Labels || {};
const L = (k) => labels[`org.opencontainers.image.${k}`];
check(L('title') === title, `label title=${title}`, L('title'));
check(L('version') === version, `label version=${version}`, L('version'));
check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(L('created') || ''), 'label created is an RFC 3339 UTC time', L('created'));
if (commit) check((L('revision') || '').startsWith(commit), `label revision is the git commit ${commit}`, L('revision'));
check('org.opencontainers.image.source' in labels, 'label source present', labels);
process.exit(failed ? 1 : 0);
JS
rc=$?
sed 's/^/     /' "$WORK/checks.out"
[[ $rc == 0 ]] && pass "the pushed image has the digest, user, healthcheck and labels expected" ||
  fail "the pushed image does not match (see above)"

if [[ -n $COMMIT ]]; then
  skopeo list-tags --tls-verify=false "docker://$REPO" >"$WORK/tags.json" 2>&1
  grep -q "\"$VERSION\"" "$WORK/tags.json" && grep -q "\"$COMMIT\"" "$WORK/tags.json" &&
    pass "the registry has both tags: $VERSION and $COMMIT" || { fail "tags missing"; show "$WORK/tags.json"; }
fi

# ---- podman run of the pushed image (by digest) -------------------------------------------
HTTP_PORT="$(free_port)"
if CONTAINER="$(podman run -d --tls-verify=false --network slirp4netns -p "127.0.0.1:$HTTP_PORT:8080" \
  "$REPO@$LOCK_DIGEST" 2>"$WORK/podman.err")"; then
  code=""
  for _ in $(seq 1 100); do
    code="$(curl -s -o "$WORK/healthz.body" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/healthz" 2>/dev/null || true)"
    [[ $code == 200 ]] && break
    sleep 0.2
  done
  [[ $code == 200 ]] && pass "podman run $REPO@$LOCK_DIGEST answers 200 on /healthz" ||
    { fail "GET /healthz answered '$code'"; podman logs "$CONTAINER" 2>&1 | show -; }
  user="$(podman inspect --format '{{.Config.User}}' "$CONTAINER" 2>/dev/null)"
  [[ $user == "$RUN_AS_USER:$RUN_AS_USER" ]] && pass "the container runs as $user" || fail "container user: '$user'"
  if grep -q 'healthcheck:' "$APP/coconut.yaml"; then
    podman healthcheck run "$CONTAINER" >"$WORK/hc.out" 2>&1 && pass "podman healthcheck run: the image's HEALTHCHECK passes" ||
      { fail "podman healthcheck run failed"; show "$WORK/hc.out"; }
  fi
  podman rm -f "$CONTAINER" >/dev/null 2>&1 && CONTAINER=""
else
  fail "podman run failed"
  show "$WORK/podman.err"
fi

# ---- generate pins by digest --------------------------------------------------------------
expect_rc 0 "generate with a lock from another registry" "$COCONUT" generate -f "$APP/coconut.yaml" --target kubernetes -o "$WORK/gen-unpinned"
grep -q "was pushed to $REPO but the spec's image is" "$WORK/err" &&
  pass "generate warns that the lock's registry differs from the spec's (not pinned)" ||
  { fail "generate: expected a warning about the registry mismatch"; show "$WORK/err"; }
sed -i "s|^version:|registry: $REGISTRY\nversion:|" "$APP/coconut.yaml"
run_cmd "$COCONUT" generate -f "$APP/coconut.yaml" --target kubernetes -o "$WORK/gen"
if [[ $RC == 0 ]] && grep -rqF "image: $REPO:$VERSION@$LOCK_DIGEST" "$WORK/gen/k8s"; then
  pass "coconut generate pins $REPO by the digest in coconut.lock"
else
  fail "coconut generate did not pin the image by digest (exit $RC)"
  grep -rn "image:" "$WORK/gen/k8s" | show -
  show "$WORK/err"
fi

# ---- failures -----------------------------------------------------------------------------
rm "$APP/hello"
expect_rc 2 "a missing binary is an input error before anything is built" "$COCONUT" build -f "$APP/coconut.yaml"
grep -q "build the binary before the image" "$WORK/err" && pass "... naming the binary" ||
  { fail "the error does not name the missing binary"; show "$WORK/err"; }
echo "not an ELF" >"$APP/hello"
printf 'FROM scratch\nCOPY missing-file /x\n' >"$APP/Dockerfile"
sed -i 's|runtime: static .*|runtime: dockerfile|; s|^\(\s*\)binary: hello.*$|\1dockerfile: Dockerfile|; /^\s*healthcheck:/d' "$APP/coconut.yaml"
expect_rc 1 "a failing build exits 1" "$COCONUT" build -f "$APP/coconut.yaml" --builder buildah
grep -q "image build failed: buildah failed with exit code" "$WORK/err" && grep -qi "missing-file" "$WORK/err" &&
  pass "the error quotes buildah's own message" || { fail "the failure does not quote buildah"; show "$WORK/err"; }
expect_rc 2 "an unknown --builder is a usage error" "$COCONUT" build -f "$APP/coconut.yaml" --builder kaniko

it_finish
