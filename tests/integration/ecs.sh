#!/usr/bin/env bash
# The `ecs` target's files are valid AWS CLI inputs: every file validates against the input
# schemas in tests/schemas/ecs (draft-07, written from the AWS API references,
# additionalProperties: false on every object described), checked with ajv.
#  1. the validator is live: a misspelled field in each kind of file, an invalid Fargate
#     cpu/memory pair and a cron with both day fields are rejected, naming the problem;
#  2. every example x every environment: `coconut generate --target ecs`, the expected files
#     per service type, all valid; secrets are SSM parameter ARNs (never values); only the
#     documented ${...} placeholders appear, and after envsubst-style substitution the files
#     are still valid and hold no placeholder;
#  3. every golden case under tests/golden/ecs validates too;
#  4. a spec whose resources have no Fargate task size is refused (exit 2) at its position.
#
#   bash tests/integration/ecs.sh build/coconut
# shellcheck disable=SC2015 # `check && pass ... || fail ...`: pass always succeeds
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool python3
require_node_tools

SCHEMAS="$SRC/tests/schemas/ecs"
VALIDATE=(node "$NODE_TOOLS/validate-ecs.js" --schemas "$SCHEMAS")

# --- 1. the validator is live -----------------------------------------------------------------
GOLD="$SRC/tests/golden/ecs/shop/expected/ecs/production"
mkdir -p "$WORK/neg"
# mutate NAME SOURCE PYTHON: writes $WORK/neg/NAME from SOURCE after running PYTHON on d.
mutate() {
  python3 - "$2" "$WORK/neg/$1" "$3" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), indent=2)
PY
}
# reject FILE WHAT NEEDLE: the validator must refuse FILE and name NEEDLE.
reject() {
  run_cmd "${VALIDATE[@]}" "$1"
  if [[ $RC == 0 ]]; then
    fail "$2 was accepted: the schema is not strict"
  elif grep -q -- "$3" "$WORK/out"; then
    pass "$2 rejected ($(grep -m1 -- "$3" "$WORK/out" | sed 's/^ *//'))"
  else
    fail "$2 rejected without naming $3"
    show "$WORK/out"
  fi
}
run_cmd "${VALIDATE[@]}" "$GOLD/web.taskdef.json" "$GOLD/web.service.json" "$GOLD/web.autoscaling-target.json" \
  "$GOLD/web.autoscaling-policy-cpu.json" "$GOLD/report.schedule.json"
[[ $RC == 0 ]] && pass "the unmodified shop production files validate" || { fail "shop production files invalid"; show "$WORK/out"; }

mutate bad-top.taskdef.json "$GOLD/web.taskdef.json" 'd["requiresCompatibilites"] = d.pop("requiresCompatibilities")'
reject "$WORK/neg/bad-top.taskdef.json" "task definition with misspelled 'requiresCompatibilites'" requiresCompatibilites
mutate bad-container.taskdef.json "$GOLD/web.taskdef.json" 'c = d["containerDefinitions"][0]; c["readonlyRootFileSystem"] = c.pop("readonlyRootFilesystem")'
reject "$WORK/neg/bad-container.taskdef.json" "container with misspelled 'readonlyRootFileSystem'" readonlyRootFileSystem
mutate bad-health.taskdef.json "$GOLD/web.taskdef.json" 'd["containerDefinitions"][0]["healthCheck"]["intervall"] = 10'
reject "$WORK/neg/bad-health.taskdef.json" "healthCheck with misspelled 'intervall'" intervall
mutate bad-pair.taskdef.json "$GOLD/web.taskdef.json" 'd["memory"] = "4096"'
reject "$WORK/neg/bad-pair.taskdef.json" "Fargate task with cpu 256 and memory 4096" '/memory must be equal to one of the allowed values'
mutate bad-cpu.taskdef.json "$GOLD/web.taskdef.json" 'd["cpu"] = 256'
reject "$WORK/neg/bad-cpu.taskdef.json" "task cpu as a number (the CLI wants a string)" '/cpu must be string'
mutate bad.service.json "$GOLD/web.service.json" 'd["desiredCont"] = d.pop("desiredCount")'
reject "$WORK/neg/bad.service.json" "service with misspelled 'desiredCont'" desiredCont
mutate bad-breaker.service.json "$GOLD/web.service.json" 'd["deploymentConfiguration"]["deploymentCircuitBreaker"]["rolback"] = True'
reject "$WORK/neg/bad-breaker.service.json" "circuit breaker with misspelled 'rolback'" rolback
mutate bad-net.service.json "$GOLD/web.service.json" 'del d["networkConfiguration"]'
reject "$WORK/neg/bad-net.service.json" "Fargate service without networkConfiguration" networkConfiguration
mutate bad.autoscaling-target.json "$GOLD/web.autoscaling-target.json" 'd["MinCapcity"] = d.pop("MinCapacity")'
reject "$WORK/neg/bad.autoscaling-target.json" "scalable target with misspelled 'MinCapcity'" MinCapcity
mutate bad.autoscaling-policy-cpu.json "$GOLD/web.autoscaling-policy-cpu.json" 'c = d["TargetTrackingScalingPolicyConfiguration"]; c["TargetValeu"] = c.pop("TargetValue")'
reject "$WORK/neg/bad.autoscaling-policy-cpu.json" "scaling policy with misspelled 'TargetValeu'" TargetValeu
mutate bad.schedule.json "$GOLD/report.schedule.json" 'd["FlexibleTimeWindows"] = d.pop("FlexibleTimeWindow")'
reject "$WORK/neg/bad.schedule.json" "schedule with misspelled 'FlexibleTimeWindows'" FlexibleTimeWindows
mutate bad-cron.schedule.json "$GOLD/report.schedule.json" 'd["ScheduleExpression"] = "cron(0 3 * * * *)"'
reject "$WORK/neg/bad-cron.schedule.json" "cron without '?' in a day field" '/ScheduleExpression must match pattern'

# --- 2. every example x every environment ------------------------------------------------------
cat >"$WORK/check.py" <<'PY'
# check.py SPEC_NAME DIR: the expected files exist per service type, secrets are SSM ARNs,
# placeholders are the documented ones; writes DIR.subst/ with placeholders filled in.
import json, os, re, sys
name, root = sys.argv[1], sys.argv[2]
documented = re.compile(r"^(AWS_ACCOUNT_ID|ECS_SUBNET_ID|ECS_SECURITY_GROUP_ID|ECS_TARGET_GROUP_[A-Z0-9_]+)$")
values = {"AWS_ACCOUNT_ID": "123456789012", "ECS_SUBNET_ID": "subnet-0123456789abcdef0",
          "ECS_SECURITY_GROUP_ID": "sg-0123456789abcdef0"}
problems = []
for env in sorted(os.listdir(root)):
    d = os.path.join(root, env)
    files = sorted(os.listdir(d))
    for f in files:
        text = open(os.path.join(d, f)).read()
        for p in sorted(set(re.findall(r"\$\{([^}]*)\}", text))):
            if not documented.match(p):
                problems.append(f"{env}/{f}: undocumented placeholder ${{{p}}}")
        if f.endswith(".taskdef.json"):
            svc = f[: -len(".taskdef.json")]
            td = json.loads(text)
            for c in td["containerDefinitions"]:
                for s in c.get("secrets", []):
                    if not re.match(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]+:(\d{12}|\$\{AWS_ACCOUNT_ID\}):parameter/", s["valueFrom"]):
                        problems.append(f"{env}/{f}: secret {s['name']} is not an SSM parameter ARN: {s['valueFrom']}")
                if c.get("user", "0").split(":")[0] in ("0", "root"):
                    problems.append(f"{env}/{f}: container runs as root")
                if c["logConfiguration"]["logDriver"] != "awslogs":
                    problems.append(f"{env}/{f}: no awslogs")
            job = svc + ".schedule.json" in files
            if not job and svc + ".service.json" not in files:
                problems.append(f"{env}/{f}: neither a service nor a schedule for {svc}")
        # envsubst-style substitution of every placeholder
        def sub(m):
            k = m.group(1)
            if k.startswith("ECS_TARGET_GROUP_"):
                return "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + k[17:].lower().replace("_", "-")[:32] + "/0123456789abcdef"
            return values[k]
        out = os.path.join(root + ".subst", env)
        os.makedirs(out, exist_ok=True)
        subst = re.sub(r"\$\{([A-Z0-9_]+)\}", sub, text)
        if "${" in subst:
            problems.append(f"{env}/{f}: a placeholder is left after substitution")
        open(os.path.join(out, f), "w").write(subst)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY

examples="$(list_examples)"
[[ -n $examples ]] || fail "no examples/*/coconut.yaml found in $SRC"
while read -r name spec; do
  [[ -n $name ]] || continue
  out="$WORK/gen/$name"
  run_cmd "$COCONUT" generate -f "$spec" --target ecs -o "$out"
  if [[ $RC != 0 ]]; then
    fail "$name: coconut generate --target ecs exited $RC"
    show "$WORK/err" 20
    continue
  fi
  envs="$(spec_environments "$spec" | tr '\n' ' ')"
  for e in $envs; do
    [[ -d $out/ecs/$e ]] || fail "$name: no ecs/$e directory"
  done
  mapfile -t files < <(find "$out/ecs" -name '*.json' | sort)
  run_cmd "${VALIDATE[@]}" "${files[@]}"
  if [[ $RC == 0 ]]; then
    pass "$name: all ${#files[@]} files valid (environments: ${envs% })"
  else
    fail "$name: invalid files"
    grep -v '^ok' "$WORK/out" | show - 30
  fi
  run_cmd python3 "$WORK/check.py" "$name" "$out/ecs"
  if [[ $RC == 0 ]]; then
    pass "$name: files per service type, secrets as SSM ARNs, non-root, awslogs, documented placeholders only"
  else
    fail "$name: content checks"
    show "$WORK/out" 30
  fi
  mapfile -t files < <(find "$out/ecs.subst" -name '*.json' | sort)
  run_cmd "${VALIDATE[@]}" "${files[@]}"
  [[ $RC == 0 ]] && pass "$name: still valid with the placeholders filled in" ||
    { fail "$name: invalid after substitution"; grep -v '^ok' "$WORK/out" | show - 20; }
done <<<"$examples"

# --- 3. every golden case ---------------------------------------------------------------------
mapfile -t files < <(find "$SRC/tests/golden/ecs" -path '*/expected/*' -name '*.json' | sort)
if ((${#files[@]} == 0)); then
  fail "no golden files under tests/golden/ecs"
else
  run_cmd "${VALIDATE[@]}" "${files[@]}"
  [[ $RC == 0 ]] && pass "all ${#files[@]} golden files of tests/golden/ecs valid" ||
    { fail "golden files invalid"; grep -v '^ok' "$WORK/out" | show - 30; }
fi

# --- 4. a spec without a Fargate task size is refused -----------------------------------------
cat >"$WORK/bad.yaml" <<'YAML'
apiVersion: coconut.dev/v1
name: tiny
services:
  api:
    image: registry.example.com/api:1.0.0
    resources: {cpu: 250m, memory: 4Gi}
targets:
  ecs: {}
YAML
if expect_rc 2 "coconut validate refuses 0.25 vCPU with 4 GiB" "$COCONUT" validate -f "$WORK/bad.yaml"; then
  want="bad.yaml:6:16: error: services.api.resources: Fargate has no task size with 0.25 vCPU and 4 GiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 4Gi"
  grep -qF "$want" "$WORK/out" "$WORK/err" && pass "the error names the position and the nearest valid pair" ||
    { fail "unexpected message (want: $want)"; show "$WORK/err"; show "$WORK/out"; }
fi
expect_rc 2 "coconut generate refuses it too" "$COCONUT" generate -f "$WORK/bad.yaml" --target ecs -o "$WORK/never"
[[ ! -e $WORK/never/ecs ]] && pass "nothing was written" || fail "files were written for an invalid spec"

it_finish
