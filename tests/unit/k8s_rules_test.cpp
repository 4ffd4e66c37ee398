// Kubernetes rules: the pod helpers (pod spec of every kind, containers, label selectors) and the
// behaviours the generic fixture harness cannot show (it always runs the Restricted profile).
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"
#include "coconut/yaml/node.hpp"

using namespace coconut;
namespace k8s = coconut::policy::rules::kubernetes;

namespace {

std::vector<std::string> findings_of(const std::string& rule, const std::string& yaml,
                                     policy::PssLevel profile = policy::PssLevel::Restricted) {
    policy::Inputs inputs;
    inputs.add_text("test.yaml", yaml, true);
    policy::CheckOptions options;
    options.profile = profile;
    std::vector<std::string> out;
    for (const auto& f : policy::run_checks(inputs, options))
        if (f.rule == rule)
            out.push_back(std::to_string(f.mark.line) + ":" + std::to_string(f.mark.column) + " " + f.message);
    return out;
}

const policy::Document& only_document(const policy::Inputs& inputs) {
    EXPECT_EQ(inputs.documents().size(), 1u);
    return inputs.documents().front();
}

TEST(K8sPod, FindsThePodSpecOfEveryKind) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Pod", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:1\n"},
        {"Deployment",
         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      labels: {app: d}\n"
         "    spec:\n      containers:\n        - name: c\n          image: x:1\n"},
        {"ReplicationController",
         "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  template:\n    spec:\n"
         "      containers:\n        - name: c\n          image: x:1\n"},
        {"CronJob",
         "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: j\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n"
         "    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n              image: x:1\n"},
        {"PodTemplate",
         "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: t\ntemplate:\n  spec:\n    containers:\n      - name: c\n"
         "        image: x:1\n"},
        {"DeploymentConfig",
         "apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: dc\nspec:\n"
         "  selector: {app: dc}\n  template:\n    metadata:\n      labels: {app: dc}\n    spec:\n"
         "      containers:\n        - name: c\n          image: x:1\n"},
    };
    for (const auto& [kind, text] : cases) {
        SCOPED_TRACE(kind);
        policy::Inputs inputs;
        inputs.add_text("t.yaml", text, true);
        const auto& doc = only_document(inputs);
        EXPECT_EQ(doc.kind, kind);
        auto pod = k8s::pod_view(doc);
        ASSERT_TRUE(pod.has_value());
        ASSERT_EQ(pod->containers.size(), 1u);
        EXPECT_EQ(pod->containers[0].name, "c");
        EXPECT_EQ(pod->containers[0].label(), "container \"c\"");
    }
}

TEST(K8sPod, ContainerKindsAndLabels) {
    policy::Inputs inputs;
    inputs.add_text("t.yaml",
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: i\n"
                    "  containers:\n    - name: c\n    - image: unnamed\n  ephemeralContainers:\n    - name: e\n",
                    true);
    auto pod = k8s::pod_view(only_document(inputs));
    ASSERT_TRUE(pod.has_value());
    ASSERT_EQ(pod->containers.size(), 4u);
    EXPECT_EQ(pod->containers[0].label(), "init container \"i\"");
    EXPECT_EQ(pod->containers[1].label(), "container \"c\"");
    EXPECT_EQ(pod->containers[2].label(), "container (unnamed)");
    EXPECT_EQ(pod->containers[3].label(), "ephemeral container \"e\"");
}

TEST(K8sPod, PatchesAndFragmentsHaveNoPod) {
    policy::Inputs patch;
    patch.add_text("p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n$patch: delete\n", true);
    EXPECT_FALSE(k8s::pod_view(only_document(patch)).has_value());
    EXPECT_TRUE(k8s::is_patch(only_document(patch)));
    policy::Inputs fragment;
    fragment.add_text("f.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n", true);
    EXPECT_FALSE(k8s::pod_view(only_document(fragment)).has_value());
}

TEST(K8sPod, LabelSelectors) {
    const auto labels = yaml::parse("app: web\ntier: frontend\n", "l");
    const yaml::Node* l = labels.documents.at(0).root();
    std::deque<yaml::Stream> keep;   // stable addresses: the selectors point into these trees
    auto sel = [&](const std::string& text) {
        keep.push_back(yaml::parse(text, "s"));
        return keep.back().documents.at(0).root();
    };
    EXPECT_TRUE(k8s::label_selector_matches(sel("{}"), l));
    EXPECT_TRUE(k8s::label_selector_matches(sel("matchLabels: {app: web}"), l));
    EXPECT_FALSE(k8s::label_selector_matches(sel("matchLabels: {app: api}"), l));
    EXPECT_TRUE(k8s::label_selector_matches(sel("matchExpressions: [{key: tier, operator: In, values: [frontend, edge]}]"), l));
    EXPECT_FALSE(k8s::label_selector_matches(sel("matchExpressions: [{key: tier, operator: NotIn, values: [frontend]}]"), l));
    EXPECT_TRUE(k8s::label_selector_matches(sel("matchExpressions: [{key: app, operator: Exists}]"), l));
    EXPECT_FALSE(k8s::label_selector_matches(sel("matchExpressions: [{key: zone, operator: Exists}]"), l));
    EXPECT_TRUE(k8s::label_selector_matches(sel("matchExpressions: [{key: zone, operator: DoesNotExist}]"), l));
    EXPECT_FALSE(k8s::label_selector_matches(
        sel("matchLabels: {app: web}\nmatchExpressions: [{key: tier, operator: In, values: [backend]}]"), l));
    EXPECT_FALSE(k8s::label_selector_matches(nullptr, l));
    // Service-style selectors: all pairs must match; an empty selector selects nothing.
    EXPECT_TRUE(k8s::map_selector_matches(sel("{app: web}"), l));
    EXPECT_FALSE(k8s::map_selector_matches(sel("{app: web, tier: backend}"), l));
    EXPECT_FALSE(k8s::map_selector_matches(sel("{}"), l));
}

const char* k_unmasked_userns = R"(apiVersion: v1
kind: Pod
metadata:
  name: nested
spec:
  hostUsers: false
  containers:
    - name: runtime
      image: registry.example.com/runtime:1.0.0
      securityContext:
        procMount: Unmasked
)";

TEST(K8sRules, ProcMountUserNamespaceRelaxesBaselineOnly) {
    EXPECT_TRUE(findings_of("K8S-PROC-MOUNT", k_unmasked_userns, policy::PssLevel::Baseline).empty());
    const auto restricted = findings_of("K8S-PROC-MOUNT", k_unmasked_userns, policy::PssLevel::Restricted);
    ASSERT_EQ(restricted.size(), 1u);
    EXPECT_EQ(restricted[0], "11:20 container \"runtime\" sets securityContext.procMount to \"Unmasked\"");
}

TEST(K8sRules, RestrictedRulesAreOffUnderBaseline) {
    const char* pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
                      "      image: x:1.0.0\n";
    EXPECT_EQ(findings_of("K8S-RUN-AS-NON-ROOT", pod, policy::PssLevel::Restricted).size(), 1u);
    EXPECT_TRUE(findings_of("K8S-RUN-AS-NON-ROOT", pod, policy::PssLevel::Baseline).empty());
    EXPECT_TRUE(findings_of("K8S-SECCOMP-REQUIRED", pod, policy::PssLevel::Baseline).empty());
}

TEST(K8sRules, MessagesNameTheContainerAndValue) {
    const char* pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n"
                      "      image: x:1.0.0\n      securityContext:\n        privileged: true\n";
    const auto f = findings_of("K8S-PRIVILEGED", pod);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0], "10:21 container \"web\" sets securityContext.privileged: true");
}

TEST(K8sRules, OneFindingPerProblemAcrossBaselineAndRestricted) {
    // SYS_ADMIN is reported by the Baseline rule only; CHOWN (Baseline-allowed) by the Restricted one.
    const char* pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
                      "      image: x:1.0.0\n      securityContext:\n        capabilities:\n          drop: [ALL]\n"
                      "          add: [SYS_ADMIN, CHOWN]\n";
    const auto baseline = findings_of("K8S-CAPABILITIES-BASELINE", pod);
    const auto restricted = findings_of("K8S-CAPABILITIES-RESTRICTED", pod);
    ASSERT_EQ(baseline.size(), 1u);
    ASSERT_EQ(restricted.size(), 1u);
    EXPECT_NE(baseline[0].find("SYS_ADMIN"), std::string::npos);
    EXPECT_NE(restricted[0].find("CHOWN"), std::string::npos);
}

TEST(K8sRules, EffectiveReplicasFollowTheHpa) {
    const char* text = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: x:1.0.0
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 6
)";
    EXPECT_TRUE(findings_of("K8S-REPLICAS-MIN", text).empty());
    // 3 replicas through the HPA: the PDB and spreading rules apply.
    EXPECT_EQ(findings_of("K8S-PDB-MISSING", text).size(), 1u);
    EXPECT_EQ(findings_of("K8S-ANTI-AFFINITY", text).size(), 1u);
}

// OpenShift's DeploymentConfig is a workload like a Deployment: every pod rule applies, and its
// pods keep running (so the probe rules apply too).
TEST(K8sRules, DeploymentConfigIsAWorkloadKind) {
    const auto& kinds = k8s::pod_kinds();
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "DeploymentConfig"), kinds.end());
    const auto& running = k8s::long_running_kinds();
    EXPECT_NE(std::find(running.begin(), running.end(), "DeploymentConfig"), running.end());
    const char* dc = R"(apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata:
  name: legacy
spec:
  selector:
    app: legacy
  template:
    metadata:
      labels: {app: legacy}
    spec:
      hostNetwork: true
      containers:
        - name: legacy
          image: registry.example.com/legacy:1.0.0
)";
    EXPECT_EQ(
        findings_of("K8S-HOST-NETWORK", dc),
        std::vector<std::string>{"12:20 the pod sets spec.hostNetwork: true and shares the node's network namespace"});
    EXPECT_EQ(findings_of("K8S-LIVENESS-PROBE", dc),
              std::vector<std::string>{"14:11 container \"legacy\" has no livenessProbe"});
    EXPECT_TRUE(findings_of("K8S-SELECTOR-MISMATCH", dc).empty());
}

// kubectl's `kind: List` (what `kubectl get -o yaml` writes): the reader makes one document per
// item, and the cross-object rules look across the items as across documents.
const char* k_list_template = R"(apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          serviceAccountName: web
          containers:
            - name: web
              image: registry.example.com/web:1.0.0
              ports:
                - {name: http, containerPort: 8080}
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: web, namespace: shop}
  - apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec:
      selector: {app: SERVICE_SELECTS}
      ports:
        - {name: http, port: 80, targetPort: http}
  - apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: web, namespace: shop}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: HPA_TARGETS}
      minReplicas: 2
      maxReplicas: 4
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: web, namespace: shop}
    spec:
      maxUnavailable: 1
      selector:
        matchLabels: {app: PDB_SELECTS}
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: web, namespace: shop}
    spec:
      podSelector:
        matchLabels: {app: POLICY_SELECTS}
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: {name: web, namespace: shop}
    spec:
      defaultBackend:
        service: {name: INGRESS_ROUTES_TO, port: {number: 80}}
)";

std::string list_with(const std::string& name) {
    std::string text = k_list_template;
    for (const char* placeholder :
         {"SERVICE_SELECTS", "HPA_TARGETS", "PDB_SELECTS", "POLICY_SELECTS", "INGRESS_ROUTES_TO"}) {
        const auto at = text.find(placeholder);
        text.replace(at, std::string_view(placeholder).size(), name);
    }
    return text;
}

const std::vector<std::string> k_cross_object_rules = {
    "K8S-SERVICE-NO-PODS",         "K8S-HPA-TARGET-MISSING",     "K8S-PDB-MISSING",
    "K8S-NETWORK-POLICY",          "K8S-NETWORK-POLICY-NO-PODS", "K8S-INGRESS-NO-SERVICE",
    "K8S-SERVICE-ACCOUNT-MISSING", "K8S-SERVICE-TARGET-PORT",
};

TEST(K8sRules, CrossObjectRulesSeeTheItemsOfAList) {
    const std::string matching = list_with("web");
    for (const auto& rule : k_cross_object_rules)
        EXPECT_EQ(findings_of(rule, matching), std::vector<std::string>{}) << rule;
    // Every reference renamed on one side: each rule finds its item inside the List.
    const std::string dangling = list_with("api");
    EXPECT_EQ(findings_of("K8S-SERVICE-NO-PODS", dangling),
              std::vector<std::string>{"28:7 the selector of Service \"web\" matches no pod template in the input"});
    EXPECT_EQ(findings_of("K8S-HPA-TARGET-MISSING", dangling),
              std::vector<std::string>{"35:69 HorizontalPodAutoscaler \"web\" targets Deployment \"api\", which is not "
                                       "in the input"});
    EXPECT_EQ(
        findings_of("K8S-PDB-MISSING", dangling),
        std::vector<std::string>{"4:5 Deployment \"web\" runs 2 replicas and no PodDisruptionBudget selects its pods"});
    EXPECT_EQ(findings_of("K8S-NETWORK-POLICY", dangling),
              std::vector<std::string>{"12:9 no NetworkPolicy of the input selects the pods of Deployment \"web\""});
    EXPECT_EQ(
        findings_of("K8S-NETWORK-POLICY-NO-PODS", dangling),
        std::vector<std::string>{"49:7 the podSelector of NetworkPolicy \"web\" matches no pod template in the input"});
    EXPECT_EQ(findings_of("K8S-INGRESS-NO-SERVICE", dangling),
              std::vector<std::string>{"56:25 Ingress \"web\" routes to Service \"api\", which is not in the input"});
}

}  // namespace
