// Kyverno custom policies: operators, anchors, match/exclude, autogen, deny conditions, load
// errors, and the policy library under tests/kyverno/ run through the Kyverno CLI test runner.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/inputs/dockerfile.hpp"
#include "coconut/policy/kyverno/kyverno.hpp"
#include "coconut/policy/kyverno/model.hpp"

namespace ky = coconut::policy::kyverno;
namespace pol = coconut::policy;
namespace fs = std::filesystem;
using ky::Json;

namespace {

struct Run {
    pol::Inputs inputs;
    std::shared_ptr<const ky::PolicySet> policies;
    std::vector<ky::RuleResult> results;
};

// Loads one policy text and one resources text, applies them.
std::unique_ptr<Run> run(const std::string& policy, const std::string& resources) {
    auto r = std::make_unique<Run>();
    auto loaded = ky::load_text("policy.yaml", policy);
    EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().message);
    if (!loaded) return r;
    r->policies = *loaded;
    r->inputs.add_text("resources.yaml", resources);
    EXPECT_TRUE(r->inputs.parse_findings().empty());
    r->results = ky::apply(*r->policies, r->inputs.documents());
    return r;
}

// "status" of rule `rule` on the resource named `name` ("" when the rule did not match it).
std::string status(const Run& r, const std::string& rule, const std::string& name) {
    for (const auto& x : r.results)
        if (x.rule == rule && x.document->name == name) return x.status;
    return "";
}

const ky::RuleResult* result(const Run& r, const std::string& rule, const std::string& name) {
    for (const auto& x : r.results)
        if (x.rule == rule && x.document->name == name) return &x;
    return nullptr;
}

std::string load_error(const std::string& policy) {
    auto loaded = ky::load_text("p.yaml", policy);
    return loaded ? std::string("(loaded)") : loaded.error().message;
}

// A ClusterPolicy with one validate rule for Pods; `validate` is the indented validate body.
std::string pod_policy(const std::string& validate, const std::string& extra_meta = "") {
    return "apiVersion: kyverno.io/v1\n"
           "kind: ClusterPolicy\n"
           "metadata:\n"
           "  name: p\n" +
           extra_meta +
           "spec:\n"
           "  validationFailureAction: Enforce\n"
           "  rules:\n"
           "  - name: r\n"
           "    match:\n"
           "      any:\n"
           "      - resources:\n"
           "          kinds: [Pod]\n"
           "    validate:\n" +
           validate;
}

std::string pod(const std::string& name, const std::string& spec_body, const std::string& meta_extra = "") {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n" + meta_extra + "spec:\n" + spec_body +
           "---\n";
}

}  // namespace

// ------------------------------------------------------------------ scalars and operators

TEST(KyvernoOperators, Wildcards) {
    EXPECT_TRUE(ky::wildcard_match("*", ""));
    EXPECT_TRUE(ky::wildcard_match("?*", "a"));
    EXPECT_FALSE(ky::wildcard_match("?*", ""));
    EXPECT_TRUE(ky::wildcard_match("*:latest", "nginx:latest"));
    EXPECT_FALSE(ky::wildcard_match("*:latest", "nginx:1.25"));
    EXPECT_TRUE(ky::wildcard_match("prod-?", "prod-1"));
    EXPECT_FALSE(ky::wildcard_match("prod-?", "prod-12"));
    EXPECT_TRUE(ky::wildcard_match("a*b*c", "aXXbYYc"));
}

TEST(KyvernoOperators, QuantitiesAndDurations) {
    EXPECT_DOUBLE_EQ(static_cast<double>(*ky::parse_quantity("250m")), 0.25);
    EXPECT_DOUBLE_EQ(static_cast<double>(*ky::parse_quantity("1Gi")), 1073741824.0);
    EXPECT_DOUBLE_EQ(static_cast<double>(*ky::parse_quantity("1e3")), 1000.0);
    EXPECT_DOUBLE_EQ(static_cast<double>(*ky::parse_quantity("512M")), 512e6);
    EXPECT_FALSE(ky::parse_quantity("1h").has_value());
    EXPECT_FALSE(ky::parse_quantity("abc").has_value());
    EXPECT_DOUBLE_EQ(static_cast<double>(*ky::parse_duration_seconds("1h30m")), 5400.0);
    EXPECT_DOUBLE_EQ(static_cast<double>(*ky::parse_duration_seconds("500ms")), 0.5);
    EXPECT_FALSE(ky::parse_duration_seconds("10").has_value());
    EXPECT_TRUE(ky::parse_duration_seconds("0").has_value());
}

TEST(KyvernoOperators, ConditionOperators) {
    using ky::Operator;
    auto j = [](const char* s) { return Json::parse(s); };
    EXPECT_TRUE(ky::eval_operator(Operator::Equals, j("\"nginx:latest\""), j("\"*:latest\"")));
    EXPECT_TRUE(ky::eval_operator(Operator::Equals, j("true"), j("true")));
    EXPECT_TRUE(ky::eval_operator(Operator::Equals, j("\"1Gi\""), j("\"1024Mi\"")));
    EXPECT_TRUE(ky::eval_operator(Operator::NotEquals, j("\"a\""), j("\"b\"")));
    EXPECT_TRUE(ky::eval_operator(Operator::AnyIn, j("[\"NET_ADMIN\",\"CHOWN\"]"), j("[\"NET_ADMIN\",\"SYS_ADMIN\"]")));
    EXPECT_FALSE(
        ky::eval_operator(Operator::AllIn, j("[\"NET_ADMIN\",\"CHOWN\"]"), j("[\"NET_ADMIN\",\"SYS_ADMIN\"]")));
    EXPECT_TRUE(ky::eval_operator(Operator::AllIn, j("[\"NET_ADMIN\"]"), j("[\"NET_*\"]")));
    EXPECT_TRUE(ky::eval_operator(Operator::AnyNotIn, j("[\"NET_ADMIN\",\"CHOWN\"]"), j("[\"NET_ADMIN\"]")));
    EXPECT_FALSE(ky::eval_operator(Operator::AllNotIn, j("[\"NET_ADMIN\",\"CHOWN\"]"), j("[\"NET_ADMIN\"]")));
    EXPECT_TRUE(ky::eval_operator(Operator::AllNotIn, j("[\"CHOWN\"]"), j("[\"NET_ADMIN\"]")));
    EXPECT_TRUE(ky::eval_operator(Operator::In, j("\"kube-system\""), j("[\"kube-*\"]")));
    EXPECT_TRUE(ky::eval_operator(Operator::NotIn, j("\"default\""), j("[\"kube-system\"]")));
    EXPECT_TRUE(ky::eval_operator(Operator::GreaterThan, j("5"), j("3")));
    EXPECT_TRUE(ky::eval_operator(Operator::GreaterThan, j("\"2Gi\""), j("\"1Gi\"")));
    EXPECT_TRUE(ky::eval_operator(Operator::LessThanOrEquals, j("\"500m\""), j("1")));
    EXPECT_TRUE(ky::eval_operator(Operator::GreaterThan, j("\"2h\""), j("\"90m\"")));
    EXPECT_TRUE(ky::eval_operator(Operator::DurationLessThan, j("\"30s\""), j("\"1m\"")));
    EXPECT_FALSE(ky::eval_operator(Operator::GreaterThan, j("\"abc\""), j("3")));
}

TEST(KyvernoOperators, JmesPathSubset) {
    std::string err;
    Json obj = Json::parse(R"({"metadata":{"name":"web","labels":{"app.kubernetes.io/name":"shop"}},
        "spec":{"containers":[{"name":"a","ports":[{"hostPort":80}]},{"name":"b","securityContext":{"privileged":true}}]}})");
    ky::RequestContext ctx;
    ctx.object = &obj;
    auto eval = [&](const char* e) {
        std::string error;
        auto x = ky::parse_expr(e, error);
        EXPECT_TRUE(x.has_value()) << error;
        return x ? ky::eval_expr(*x, ctx) : ky::EvalResult{};
    };
    EXPECT_EQ(eval("request.object.metadata.name").value, "web");
    EXPECT_EQ(eval("request.object.metadata.labels.\"app.kubernetes.io/name\"").value, "shop");
    EXPECT_EQ(eval("request.object.spec.containers[].securityContext.privileged").value, Json::parse("[true]"));
    EXPECT_EQ(eval("request.object.spec.containers[].ports[].hostPort").value, Json::parse("[80]"));
    EXPECT_EQ(eval("request.object.spec.containers[*].name").value, Json::parse(R"(["a","b"])"));
    EXPECT_EQ(eval("request.object.spec.containers[1].name").value, "b");
    EXPECT_EQ(eval("length(request.object.spec.containers)").value, 2);
    EXPECT_EQ(eval("request.operation").value, "CREATE");
    // Kyverno's JMESPath: a missing key is an error, which `||` turns into the default.
    EXPECT_FALSE(eval("request.object.spec.hostNetwork").error.empty());
    EXPECT_EQ(eval("request.object.spec.hostNetwork || `false`").value, false);
    EXPECT_EQ(eval("request.object.spec.serviceAccountName || ''").value, "");

    EXPECT_FALSE(ky::parse_expr("request.object.spec.containers[?name=='a']", err).has_value());
    EXPECT_NE(err.find("filter"), std::string::npos) << err;
    err.clear();
    EXPECT_FALSE(ky::parse_expr("to_upper(request.object.metadata.name)", err).has_value());
    EXPECT_NE(err.find("to_upper"), std::string::npos) << err;
    err.clear();
    EXPECT_FALSE(ky::parse_expr("serviceAccountName", err).has_value());
    err.clear();
    EXPECT_FALSE(ky::parse_expr("element.name", err).has_value());
    EXPECT_NE(err.find("foreach"), std::string::npos) << err;
}

// ------------------------------------------------------------------ pattern semantics

TEST(KyvernoPattern, PlainValueFailsAtThePathAndNode) {
    auto r =
        run(pod_policy("      message: Privileged mode is disallowed\n"
                       "      pattern:\n"
                       "        spec:\n"
                       "          containers:\n"
                       "          - =(securityContext):\n"
                       "              =(privileged): \"false\"\n"),
            pod("good", "  containers:\n  - name: a\n    image: x\n") +
                pod("bad", "  containers:\n  - name: a\n    image: x\n    securityContext:\n      privileged: true\n") +
                pod("fine", "  containers:\n  - name: a\n    securityContext:\n      privileged: false\n"));
    EXPECT_EQ(status(*r, "r", "good"), "pass");
    EXPECT_EQ(status(*r, "r", "fine"), "pass");
    const auto* bad = result(*r, "r", "bad");
    ASSERT_NE(bad, nullptr);
    EXPECT_EQ(bad->status, "fail");
    EXPECT_EQ(bad->message,
              "validation error: Privileged mode is disallowed. rule r failed at path "
              "/spec/containers/0/securityContext/privileged/");
    // bad is the second document, starting on line 10: privileged: true is on line 19.
    EXPECT_EQ(bad->mark.line, 19u);
    EXPECT_EQ(bad->mark.column, 19u);
}

TEST(KyvernoPattern, RequiredValuesStarAndNonEmpty) {
    auto r = run(pod_policy("      pattern:\n"
                            "        metadata:\n"
                            "          labels:\n"
                            "            app: \"?*\"\n"
                            "            team: \"*\"\n"),
                 pod("ok", "  containers: []\n", "  labels:\n    app: web\n    team: ''\n") +
                     pod("empty-app", "  containers: []\n", "  labels:\n    app: ''\n    team: x\n") +
                     pod("no-team", "  containers: []\n", "  labels:\n    app: web\n") +
                     pod("no-labels", "  containers: []\n"));
    EXPECT_EQ(status(*r, "r", "ok"), "pass");
    EXPECT_EQ(status(*r, "r", "empty-app"), "fail");
    EXPECT_EQ(status(*r, "r", "no-team"), "fail");
    const auto* nt = result(*r, "r", "no-team");
    ASSERT_NE(nt, nullptr);
    EXPECT_NE(nt->message.find("failed at path /metadata/labels/"), std::string::npos) << nt->message;
    EXPECT_EQ(status(*r, "r", "no-labels"), "fail");
}

TEST(KyvernoPattern, OperatorsRangesAndAlternatives) {
    auto r = run(pod_policy("      pattern:\n"
                            "        spec:\n"
                            "          containers:\n"
                            "          - image: \"!*:latest\"\n"
                            "            resources:\n"
                            "              limits:\n"
                            "                memory: \"<=1Gi\"\n"
                            "                cpu: \">100m\"\n"
                            "            =(ports):\n"
                            "            - containerPort: \"1024-65535\"\n"
                            "            imagePullPolicy: \"Always | IfNotPresent\"\n"),
                 pod("ok",
                     "  containers:\n  - image: a:1\n    imagePullPolicy: Always\n"
                     "    resources: {limits: {memory: 512Mi, cpu: 200m}}\n    ports: [{containerPort: 8080}]\n") +
                     pod("latest",
                         "  containers:\n  - image: a:latest\n    imagePullPolicy: Always\n"
                         "    resources: {limits: {memory: 512Mi, cpu: 200m}}\n") +
                     pod("big",
                         "  containers:\n  - image: a:1\n    imagePullPolicy: Always\n"
                         "    resources: {limits: {memory: 2Gi, cpu: 200m}}\n") +
                     pod("cpu",
                         "  containers:\n  - image: a:1\n    imagePullPolicy: Always\n"
                         "    resources: {limits: {memory: 1Gi, cpu: 100m}}\n") +
                     pod("port",
                         "  containers:\n  - image: a:1\n    imagePullPolicy: Always\n"
                         "    resources: {limits: {memory: 1Gi, cpu: 1}}\n    ports: [{containerPort: 80}]\n") +
                     pod("never",
                         "  containers:\n  - image: a:1\n    imagePullPolicy: Never\n"
                         "    resources: {limits: {memory: 1Gi, cpu: 1}}\n"));
    EXPECT_EQ(status(*r, "r", "ok"), "pass");
    EXPECT_EQ(status(*r, "r", "latest"), "fail");
    EXPECT_EQ(status(*r, "r", "big"), "fail");
    EXPECT_EQ(status(*r, "r", "cpu"), "fail");
    EXPECT_EQ(status(*r, "r", "port"), "fail");
    EXPECT_EQ(status(*r, "r", "never"), "fail");
}

TEST(KyvernoPattern, NotInRangeAndNumbers) {
    auto r =
        run(pod_policy("      pattern:\n"
                       "        spec:\n"
                       "          =(securityContext):\n"
                       "            =(runAsUser): \"1!-999\"\n"
                       "          =(priority): 5\n"),
            pod("root", "  securityContext: {runAsUser: 0}\n") + pod("sys", "  securityContext: {runAsUser: 500}\n") +
                pod("user", "  securityContext: {runAsUser: 1000}\n  priority: 5\n") + pod("prio", "  priority: 6\n"));
    EXPECT_EQ(status(*r, "r", "root"), "pass");
    EXPECT_EQ(status(*r, "r", "sys"), "fail");
    EXPECT_EQ(status(*r, "r", "user"), "pass");
    EXPECT_EQ(status(*r, "r", "prio"), "fail");
}

TEST(KyvernoPattern, ConditionalAnchorSkipsElementsAndRule) {
    auto r = run(pod_policy("      pattern:\n"
                            "        spec:\n"
                            "          containers:\n"
                            "          - (name): \"web-*\"\n"
                            "            imagePullPolicy: Always\n"),
                 pod("skip", "  containers:\n  - name: db\n    imagePullPolicy: Never\n") +
                     pod("pass",
                         "  containers:\n  - name: db\n    imagePullPolicy: Never\n  - name: web-1\n"
                         "    imagePullPolicy: Always\n") +
                     pod("fail", "  containers:\n  - name: web-1\n    imagePullPolicy: IfNotPresent\n"));
    EXPECT_EQ(status(*r, "r", "skip"), "skip");
    EXPECT_EQ(status(*r, "r", "pass"), "pass");
    EXPECT_EQ(status(*r, "r", "fail"), "fail");
}

TEST(KyvernoPattern, NegationExistenceGlobalAndAdd) {
    auto r = run(pod_policy("      pattern:\n"
                            "        spec:\n"
                            "          =(volumes):\n"
                            "          - X(hostPath): \"null\"\n"
                            "          ^(containers):\n"
                            "          - name: sidecar\n"
                            "          +(dnsPolicy): ClusterFirst\n"),
                 pod("ok", "  containers: [{name: app}, {name: sidecar}]\n  volumes: [{name: v, emptyDir: {}}]\n") +
                     pod("hostpath",
                         "  containers: [{name: sidecar}]\n  volumes:\n  - name: v\n    hostPath:\n"
                         "      path: /\n") +
                     pod("nosidecar", "  containers: [{name: app}]\n"));
    EXPECT_EQ(status(*r, "r", "ok"), "pass");
    const auto* hp = result(*r, "r", "hostpath");
    ASSERT_NE(hp, nullptr);
    EXPECT_EQ(hp->status, "fail");
    EXPECT_NE(hp->message.find("/spec/volumes/0/hostPath/"), std::string::npos) << hp->message;
    EXPECT_EQ(status(*r, "r", "nosidecar"), "fail");

    auto g = run(pod_policy("      pattern:\n"
                            "        spec:\n"
                            "          containers:\n"
                            "          - <(image): \"registry.corp/*\"\n"
                            "          imagePullSecrets:\n"
                            "          - name: \"?*\"\n"),
                 pod("public", "  containers: [{name: a, image: nginx}]\n") +
                     pod("corp-nosecret", "  containers: [{name: a, image: registry.corp/web}]\n") +
                     pod("corp-secret",
                         "  containers: [{name: a, image: registry.corp/web}]\n"
                         "  imagePullSecrets: [{name: pull}]\n"));
    EXPECT_EQ(status(*g, "r", "public"), "skip");
    EXPECT_EQ(status(*g, "r", "corp-nosecret"), "fail");
    EXPECT_EQ(status(*g, "r", "corp-secret"), "pass");
}

TEST(KyvernoPattern, NullPatternAndScalarsOverLists) {
    auto r = run(pod_policy("      pattern:\n"
                            "        spec:\n"
                            "          =(hostIPC): null\n"
                            "          containers:\n"
                            "          - =(args): \"!--privileged*\"\n"),
                 pod("ok", "  hostIPC: false\n  containers: [{name: a, args: [--port, '80']}]\n") +
                     pod("ipc", "  hostIPC: true\n  containers: [{name: a}]\n") +
                     pod("arg", "  containers: [{name: a, args: [--port, --privileged=true]}]\n"));
    EXPECT_EQ(status(*r, "r", "ok"), "pass");
    EXPECT_EQ(status(*r, "r", "ipc"), "fail");
    EXPECT_EQ(status(*r, "r", "arg"), "fail");
}

TEST(KyvernoPattern, AnyPattern) {
    auto r = run(pod_policy("      message: run as non-root\n"
                            "      anyPattern:\n"
                            "      - spec:\n"
                            "          securityContext:\n"
                            "            runAsNonRoot: true\n"
                            "      - spec:\n"
                            "          containers:\n"
                            "          - securityContext:\n"
                            "              runAsNonRoot: true\n"),
                 pod("pod-level", "  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]\n") +
                     pod("container-level", "  containers: [{name: a, securityContext: {runAsNonRoot: true}}]\n") +
                     pod("none", "  containers: [{name: a}]\n"));
    EXPECT_EQ(status(*r, "r", "pod-level"), "pass");
    EXPECT_EQ(status(*r, "r", "container-level"), "pass");
    const auto* none = result(*r, "r", "none");
    ASSERT_NE(none, nullptr);
    EXPECT_EQ(none->status, "fail");
    EXPECT_EQ(none->message,
              "validation error: run as non-root. rule r[0] failed at path /spec/securityContext/ "
              "rule r[1] failed at path /spec/containers/0/securityContext/");
}

// ------------------------------------------------------------------ deny conditions

TEST(KyvernoDeny, ConditionsVariablesAndMessages) {
    auto r = run(pod_policy("      message: \"pod {{ request.object.metadata.name }} uses the host network\"\n"
                            "      deny:\n"
                            "        conditions:\n"
                            "          any:\n"
                            "          - key: \"{{ request.object.spec.hostNetwork || `false` }}\"\n"
                            "            operator: Equals\n"
                            "            value: true\n"
                            "          - key: \"{{ request.object.spec.containers[].ports[].hostPort || `[]` }}\"\n"
                            "            operator: AnyIn\n"
                            "            value: [\"1-1023\", 22, 80]\n"),
                 pod("ok", "  containers: [{name: a}]\n") +
                     pod("hostnet", "  hostNetwork: true\n  containers: [{name: a}]\n") +
                     pod("port", "  containers: [{name: a, ports: [{containerPort: 80, hostPort: 80}]}]\n"));
    EXPECT_EQ(status(*r, "r", "ok"), "pass");
    const auto* hn = result(*r, "r", "hostnet");
    ASSERT_NE(hn, nullptr);
    EXPECT_EQ(hn->status, "fail");
    EXPECT_EQ(hn->message, "pod hostnet uses the host network");
    EXPECT_EQ(status(*r, "r", "port"), "fail");
}

TEST(KyvernoDeny, UnresolvedVariableIsARuleError) {
    auto r = run(pod_policy("      deny:\n"
                            "        conditions:\n"
                            "        - key: \"{{ request.object.spec.hostPID }}\"\n"
                            "          operator: Equals\n"
                            "          value: true\n"),
                 pod("a", "  containers: [{name: a}]\n") + pod("b", "  hostPID: true\n  containers: [{name: a}]\n"));
    EXPECT_EQ(status(*r, "r", "a"), "error");
    EXPECT_EQ(status(*r, "r", "b"), "fail");
}

TEST(KyvernoDeny, PreconditionsAndLength) {
    auto r = run(pod_policy("      deny:\n"
                            "        conditions:\n"
                            "          all:\n"
                            "          - key: \"{{ length(request.object.spec.containers) }}\"\n"
                            "            operator: GreaterThan\n"
                            "            value: 2\n"),
                 pod("two", "  containers: [{name: a}, {name: b}]\n") +
                     pod("three", "  containers: [{name: a}, {name: b}, {name: c}]\n"));
    EXPECT_EQ(status(*r, "r", "two"), "pass");
    EXPECT_EQ(status(*r, "r", "three"), "fail");

    std::string with_pre =
        pod_policy("      pattern:\n        metadata:\n          labels:\n            team: \"?*\"\n");
    with_pre.replace(with_pre.find("    validate:"), 0,
                     "    preconditions:\n"
                     "      all:\n"
                     "      - key: \"{{ request.object.metadata.namespace || 'default' }}\"\n"
                     "        operator: AnyNotIn\n"
                     "        value: [kube-system]\n");
    auto p = run(with_pre, pod("sys", "  containers: []\n", "  namespace: kube-system\n") +
                               pod("app", "  containers: []\n", "  namespace: shop\n"));
    EXPECT_EQ(status(*p, "r", "sys"), "skip");
    EXPECT_EQ(status(*p, "r", "app"), "fail");
}

// ------------------------------------------------------------------ match / exclude

TEST(KyvernoMatch, KindsNamesNamespacesSelectorsAnnotations) {
    const std::string policy = R"(apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: m
  annotations:
    pod-policies.kyverno.io/autogen-controllers: none
spec:
  rules:
  - name: gvk
    match:
      any:
      - resources:
          kinds: [apps/v1/Deployment]
    validate:
      pattern: {metadata: {name: "*"}}
  - name: names-ns
    match:
      any:
      - resources:
          kinds: ["*"]
          names: ["web-*"]
          namespaces: ["prod-?"]
    validate:
      pattern: {metadata: {name: "*"}}
  - name: selector
    match:
      all:
      - resources:
          kinds: [Pod]
          selector:
            matchLabels: {tier: front*}
            matchExpressions:
            - {key: env, operator: In, values: [prod, stage]}
            - {key: legacy, operator: DoesNotExist}
    exclude:
      any:
      - resources:
          annotations: {skip.example.com/*: "yes"}
    validate:
      pattern: {metadata: {name: "*"}}
  - name: legacy
    match:
      resources:
        kinds: [v1/Pod]
    exclude:
      resources:
        namespaces: [kube-system]
    validate:
      pattern: {metadata: {name: "*"}}
)";
    const std::string resources = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web-1, namespace: prod-1}
spec: {}
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old}
---
apiVersion: v1
kind: Pod
metadata: {name: front, labels: {tier: frontend, env: prod}}
---
apiVersion: v1
kind: Pod
metadata: {name: front-legacy, labels: {tier: frontend, env: prod, legacy: "1"}}
---
apiVersion: v1
kind: Pod
metadata: {name: front-skipped, labels: {tier: frontend, env: prod}, annotations: {skip.example.com/policy: "yes"}}
---
apiVersion: v1
kind: Pod
metadata: {name: sys, namespace: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: prod-22}
)";
    auto r = run(policy, resources);
    EXPECT_EQ(status(*r, "gvk", "web-1"), "pass");
    EXPECT_EQ(status(*r, "gvk", "old"), "");
    EXPECT_EQ(status(*r, "names-ns", "web-1"), "pass");
    EXPECT_EQ(status(*r, "names-ns", "web-2"), "");
    EXPECT_EQ(status(*r, "selector", "front"), "pass");
    EXPECT_EQ(status(*r, "selector", "front-legacy"), "");
    EXPECT_EQ(status(*r, "selector", "front-skipped"), "");
    EXPECT_EQ(status(*r, "legacy", "front"), "pass");
    EXPECT_EQ(status(*r, "legacy", "sys"), "");
    // autogen-controllers: none
    for (const auto& x : r->results) EXPECT_FALSE(x.rule.starts_with("autogen-")) << x.rule;
}

TEST(KyvernoMatch, NamespacedPolicyOnlyAppliesInItsNamespace) {
    std::string p = pod_policy("      pattern: {metadata: {labels: {team: \"?*\"}}}\n");
    p.replace(p.find("ClusterPolicy"), 13, "Policy");
    p.replace(p.find("  name: p\n"), 10, "  name: p\n  namespace: shop\n");
    auto r = run(p, pod("in", "  containers: []\n", "  namespace: shop\n") + pod("out", "  containers: []\n"));
    EXPECT_EQ(status(*r, "r", "in"), "fail");
    EXPECT_EQ(status(*r, "r", "out"), "");
}

TEST(KyvernoMatch, NonKubernetesDocuments) {
    const std::string policy = R"(apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: df}
spec:
  rules:
  - name: no-root-user
    match:
      any:
      - resources:
          kinds: [coconut.dev/v1/Dockerfile]
    validate:
      message: the image must set a non-root USER
      pattern:
        spec:
          stages:
          - instructions:
            - (instruction): USER
              arguments: "!root"
)";
    auto loaded = ky::load_text("policy.yaml", policy);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    // The synthetic object the engine builds for a Dockerfile (docs/policy-documents.md),
    // written out by hand so this test does not depend on the Dockerfile reader.
    const std::string object = R"(apiVersion: coconut.dev/v1
kind: Dockerfile
metadata: {name: web/Dockerfile}
spec:
  stages:
  - index: 0
    instructions:
    - {instruction: FROM, arguments: "alpine:3.20"}
    - {instruction: USER, arguments: root}
)";
    coconut::yaml::Stream stream = coconut::yaml::parse(object, "web/Dockerfile");
    ASSERT_TRUE(stream.ok());
    pol::SourceFile file{"web/Dockerfile", object};
    pol::Document doc;
    doc.file = &file;
    doc.input = pol::inputs::k_dockerfile;
    doc.api_version = "coconut.dev/v1";
    doc.kind = "Dockerfile";
    doc.name = "web/Dockerfile";
    doc.root = stream.documents[0].root()->find("spec");
    doc.object = stream.documents[0].root();
    std::vector<pol::Document> docs{doc};
    std::vector<pol::Finding> findings;
    ky::evaluate(**loaded, docs, findings);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "df/no-root-user");
    EXPECT_EQ(findings[0].object, "");
    EXPECT_EQ(findings[0].mark.line, 9u);
    EXPECT_EQ(findings[0].message,
              "validation error: the image must set a non-root USER. rule no-root-user failed at "
              "path /spec/stages/0/instructions/1/arguments/");
}

// ------------------------------------------------------------------ autogen

TEST(KyvernoAutogen, PodRulesApplyToControllers) {
    const std::string policy = pod_policy(
        "      message: no privileged\n"
        "      pattern:\n"
        "        spec:\n"
        "          containers:\n"
        "          - =(securityContext):\n"
        "              =(privileged): \"false\"\n");
    const std::string resources = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: dep}
spec:
  template:
    spec:
      containers:
      - name: a
        securityContext: {privileged: true}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cron}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: a
            securityContext: {privileged: true}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: sts}
spec:
  template:
    spec:
      containers: [{name: a}]
---
apiVersion: v1
kind: Service
metadata: {name: svc}
)";
    auto r = run(policy, resources);
    const auto* dep = result(*r, "autogen-r", "dep");
    ASSERT_NE(dep, nullptr);
    EXPECT_EQ(dep->status, "fail");
    EXPECT_EQ(dep->message,
              "validation error: no privileged. rule autogen-r failed at path "
              "/spec/template/spec/containers/0/securityContext/privileged/");
    EXPECT_EQ(dep->mark.line, 9u);
    EXPECT_EQ(status(*r, "autogen-cronjob-r", "cron"), "fail");
    EXPECT_EQ(status(*r, "autogen-r", "cron"), "");
    EXPECT_EQ(status(*r, "autogen-r", "sts"), "pass");
    EXPECT_EQ(status(*r, "r", "dep"), "");
    EXPECT_EQ(status(*r, "r", "svc"), "");

    // The annotation narrows the controllers.
    auto only = run(pod_policy("      pattern: {spec: {containers: [{name: \"*\"}]}}\n",
                               "  annotations:\n    pod-policies.kyverno.io/autogen-controllers: Deployment\n"),
                    resources);
    EXPECT_EQ(status(*only, "autogen-r", "dep"), "pass");
    EXPECT_EQ(status(*only, "autogen-r", "sts"), "");
    EXPECT_EQ(status(*only, "autogen-cronjob-r", "cron"), "");
}

TEST(KyvernoAutogen, DenyVariablesAreRerootedToThePodTemplate) {
    auto r = run(pod_policy("      deny:\n"
                            "        conditions:\n"
                            "          any:\n"
                            "          - key: \"{{ request.object.spec.hostPID || `false` }}\"\n"
                            "            operator: Equals\n"
                            "            value: true\n"),
                 "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  template:\n    spec:\n"
                 "      hostPID: true\n      containers: [{name: a}]\n");
    EXPECT_EQ(status(*r, "autogen-r", "ds"), "fail");
}

TEST(KyvernoAutogen, NamesOrSelectorsDisableAutogen) {
    std::string p = pod_policy("      pattern: {spec: {containers: [{name: \"*\"}]}}\n");
    p.replace(p.find("kinds: [Pod]"), 12, "kinds: [Pod]\n          names: [\"web*\"]");
    auto loaded = ky::load_text("p.yaml", p);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    ASSERT_EQ((*loaded)->policies.size(), 1u);
    EXPECT_EQ((*loaded)->policies[0].rules.size(), 1u);
}

// ------------------------------------------------------------------ load errors

TEST(KyvernoLoad, UnsupportedFeaturesAreNamedWithPositions) {
    std::string mutate = pod_policy("      pattern: {}\n");
    mutate.replace(mutate.find("    validate:"), 0, "    mutate:\n      patchStrategicMerge: {}\n");
    EXPECT_EQ(load_error(mutate).rfind("p.yaml:13:5: spec.rules[0].mutate: mutate rules are not supported", 0), 0u)
        << load_error(mutate);

    EXPECT_NE(load_error(pod_policy("      foreach:\n      - list: request.object.spec.containers\n"))
                  .find("validate.foreach is not supported"),
              std::string::npos);
    EXPECT_NE(load_error(pod_policy("      podSecurity: {level: baseline}\n")).find("validate.podSecurity"),
              std::string::npos);
    EXPECT_NE(load_error(pod_policy("      cel:\n        expressions: []\n")).find("validate.cel"), std::string::npos);

    std::string ctx = pod_policy("      pattern: {}\n");
    ctx.replace(ctx.find("    validate:"), 0,
                "    context:\n    - name: cm\n      configMap: {name: x, namespace: y}\n");
    EXPECT_NE(load_error(ctx).find("spec.rules[0].context: rule context"), std::string::npos) << load_error(ctx);

    std::string fn = load_error(
        pod_policy("      deny:\n        conditions:\n        - key: \"{{ to_upper(request.object.metadata.name) }}\"\n"
                   "          operator: Equals\n          value: X\n"));
    EXPECT_NE(fn.find("p.yaml:16:16: spec.rules[0].validate.deny.conditions[0].key"), std::string::npos) << fn;
    EXPECT_NE(fn.find("to_upper"), std::string::npos) << fn;

    std::string var = load_error(pod_policy("      message: \"{{ serviceAccountName }}\"\n      pattern: {}\n"));
    EXPECT_NE(var.find("serviceAccountName"), std::string::npos) << var;

    std::string op =
        load_error(pod_policy("      deny:\n        conditions:\n        - key: a\n          operator: Matches\n"
                              "          value: b\n"));
    EXPECT_NE(op.find("unsupported condition operator `Matches`"), std::string::npos) << op;

    std::string subjects = pod_policy("      pattern: {}\n");
    subjects.replace(subjects.find("      - resources:"), 0, "      - subjects: [{kind: User, name: bob}]\n");
    EXPECT_NE(load_error(subjects).find("subjects"), std::string::npos);

    std::string nssel = pod_policy("      pattern: {}\n");
    nssel.replace(nssel.find("kinds: [Pod]"), 12, "kinds: [Pod]\n          namespaceSelector: {matchLabels: {a: b}}");
    EXPECT_NE(load_error(nssel).find("namespaceSelector is not supported"), std::string::npos);

    EXPECT_NE(load_error("apiVersion: kyverno.io/v2beta1\nkind: CleanupPolicy\nmetadata: {name: c}\n")
                  .find("CleanupPolicy is not supported"),
              std::string::npos);
    EXPECT_NE(load_error(pod_policy("      pattern:\n        spec:\n          Y(x): 1\n")).find("unknown anchor"),
              std::string::npos);
    EXPECT_NE(load_error(pod_policy("      pattern:\n        spec:\n          volumes: []\n")).find("empty list"),
              std::string::npos);
    EXPECT_NE(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n").find("no Kyverno"),
              std::string::npos);
}

TEST(KyvernoLoad, SeverityAndFindings) {
    auto loaded = ky::load_text("p.yaml", pod_policy("      message: need a team label\n"
                                                     "      pattern: {metadata: {labels: {team: \"?*\"}}}\n",
                                                     "  annotations:\n    policies.kyverno.io/severity: high\n"));
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    pol::Inputs inputs;
    inputs.add_text("pods.yaml", pod("web", "  containers: []\n", "  namespace: shop\n"));
    std::vector<pol::Finding> findings;
    ky::evaluate(**loaded, inputs.documents(), findings);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "p/r");
    EXPECT_EQ(findings[0].severity, pol::Severity::High);
    EXPECT_EQ(findings[0].file, "pods.yaml");
    EXPECT_EQ(findings[0].object, "Pod/shop/web");
    EXPECT_EQ(findings[0].mark.line, 3u);  // the `metadata:` key (labels missing)
    EXPECT_EQ(findings[0].mark.column, 1u);
    EXPECT_EQ(findings[0].message, "validation error: need a team label. rule r failed at path /metadata/labels/");
}

// ------------------------------------------------------------------ the policy library

TEST(KyvernoLibrary, EveryTestAgreesWithTheExpectedResults) {
    const fs::path root = fs::path(COCONUT_SOURCE_DIR) / "tests" / "kyverno";
    std::size_t policies = 0;
    for (const auto& e : fs::directory_iterator(root))
        if (e.is_directory() && fs::exists(e.path() / "kyverno-test.yaml")) ++policies;
    EXPECT_GE(policies, 15u);
    auto report = ky::run_tests(root.string());
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->test_files.size(), policies);
    EXPECT_GT(report->cases.size(), policies * 2);
    std::size_t fails = 0, passes = 0;
    for (const auto& c : report->cases) {
        EXPECT_TRUE(c.agree) << c.test_file << ": " << c.policy << "/" << c.rule << " on " << c.kind << " "
                             << c.resource << ": expected " << c.expected << ", got " << c.actual << " (" << c.message
                             << ")";
        fails += c.expected == "fail" ? 1 : 0;
        passes += c.expected == "pass" ? 1 : 0;
    }
    EXPECT_EQ(report->agreed(), report->cases.size());
    EXPECT_GE(fails, policies);
    EXPECT_GE(passes, policies);
}

TEST(KyvernoLibrary, DisagreementIsReportedPerCase) {
    const fs::path dir = fs::temp_directory_path() / "coconut-kyverno-test-runner";
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto write = [&](const char* name, const std::string& text) {
        std::FILE* f = std::fopen((dir / name).string().c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
    };
    std::string policy = pod_policy("      pattern: {metadata: {labels: {team: \"?*\"}}}\n");
    policy.replace(policy.find("    validate:"), 0,
                   "    exclude:\n      any:\n      - resources:\n          namespaces: [kube-system]\n");
    write("policy.yaml", policy);
    write("resources.yaml",
          pod("a", "  containers: []\n") + pod("sys", "  containers: []\n", "  namespace: kube-system\n"));
    write("kyverno-test.yaml",
          "name: t\npolicies: [policy.yaml]\nresources: [resources.yaml]\nresults:\n"
          "- policy: p\n  rule: r\n  resource: a\n  kind: Pod\n  result: pass\n"
          "- policy: p\n  rule: nope\n  resource: a\n  kind: Pod\n  result: fail\n"
          "- policy: p\n  rule: r\n  resources: [sys]\n  kind: Pod\n  result: fail\n"
          "- policy: p\n  rule: r\n  resources: [kube-system/sys]\n  kind: Pod\n  result: skip\n");
    auto report = ky::run_tests(dir.string());
    ASSERT_TRUE(report.has_value()) << report.error().message;
    ASSERT_EQ(report->cases.size(), 4u);
    EXPECT_FALSE(report->cases[0].agree);
    EXPECT_EQ(report->cases[0].actual, "fail");
    EXPECT_EQ(report->cases[1].actual, "not found");
    EXPECT_FALSE(report->cases[1].agree);
    // An excluded resource agrees with pass/skip/warn but not with fail (as the Kyverno CLI).
    EXPECT_EQ(report->cases[2].actual, "excluded");
    EXPECT_FALSE(report->cases[2].agree);
    EXPECT_EQ(report->cases[3].actual, "excluded");
    EXPECT_TRUE(report->cases[3].agree);
    EXPECT_EQ(report->agreed(), 1u);

    write("kyverno-test.yaml",
          "name: t\npolicies: [policy.yaml]\nresources: [resources.yaml]\n"
          "variables: values.yaml\nresults: []\n");
    auto bad = ky::run_tests(dir.string());
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("`variables` in Kyverno test files is not supported"), std::string::npos);
    fs::remove_all(dir);
}

TEST(KyvernoLoad, DirectoriesRecurseAndSkipOtherDocuments) {
    const fs::path root = fs::path(COCONUT_SOURCE_DIR) / "tests" / "kyverno";
    auto loaded = ky::load({root.string()});
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    EXPECT_EQ((*loaded)->policies.size(), 20u);   // resources.yaml and kyverno-test.yaml are skipped

    const fs::path empty = fs::temp_directory_path() / "coconut-kyverno-empty-policy-dir";
    fs::remove_all(empty);
    fs::create_directories(empty);
    auto none = ky::load({empty.string()});
    ASSERT_FALSE(none.has_value());
    EXPECT_NE(none.error().message.find("no Kyverno ClusterPolicy or Policy"), std::string::npos);
    fs::remove_all(empty);

    auto missing = ky::load({(empty / "nope.yaml").string()});
    ASSERT_FALSE(missing.has_value());
}

TEST(KyvernoLoad, ApplyRulesOneAndUnscoredPolicies) {
    std::string two = pod_policy("      pattern: {metadata: {labels: {team: \"?*\"}}}\n");
    two += "  - name: second\n"
           "    match:\n"
           "      any:\n"
           "      - resources:\n"
           "          kinds: [Pod]\n"
           "    validate:\n"
           "      pattern: {metadata: {labels: {owner: \"?*\"}}}\n";
    auto all = run(two, pod("a", "  containers: []\n"));
    EXPECT_EQ(status(*all, "r", "a"), "fail");
    EXPECT_EQ(status(*all, "second", "a"), "fail");

    std::string one = two;
    one.replace(one.find("  validationFailureAction: Enforce\n"), 0, "  applyRules: One\n");
    auto first = run(one, pod("a", "  containers: []\n"));
    EXPECT_EQ(status(*first, "r", "a"), "fail");
    EXPECT_EQ(status(*first, "second", "a"), "");

    auto warn = run(pod_policy("      pattern: {metadata: {labels: {team: \"?*\"}}}\n",
                               "  annotations:\n    policies.kyverno.io/scored: \"false\"\n"),
                    pod("a", "  containers: []\n"));
    EXPECT_EQ(status(*warn, "r", "a"), "warn");
}
