#pragma once
// Shared helpers of the Kubernetes rules: find the pod spec and pod metadata of every kind that
// carries one (Pod, the workload controllers including OpenShift's DeploymentConfig, CronJob's job
// template, PodTemplate), iterate its containers with their kind, read scalars in the Kubernetes
// YAML dialect, match label selectors.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/node_access.hpp"
#include "coconut/policy/document.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::policy::rules::kubernetes {

// Kinds whose documents carry a pod spec, for RuleInfo::kinds.
const std::vector<std::string>& pod_kinds();
// The controllers that keep pods running (everything in pod_kinds() except Pod, Job, CronJob
// and PodTemplate).
const std::vector<std::string>& long_running_kinds();

// The RuleInfo skeleton every Kubernetes rule starts from (id, title, severity, kinds, PSS level).
RuleInfo k8s_rule(std::string id, std::string title, Severity severity, std::vector<std::string> kinds,
                  PssLevel pss = PssLevel::None);

enum class ContainerKind : std::uint8_t { Container, Init, Ephemeral };
const char* to_string(ContainerKind kind);     // "container", "init container", "ephemeral container"
const char* field_name(ContainerKind kind);    // "containers", "initContainers", "ephemeralContainers"

struct ContainerRef {
    const yaml::Node* node = nullptr;   // the container mapping, never null
    ContainerKind kind = ContainerKind::Container;
    std::string name;                   // empty when the container has no name
    // `container "web"`, `init container "migrate"` — for messages.
    [[nodiscard]] std::string label() const;
    // securityContext mapping or nullptr.
    [[nodiscard]] const yaml::Node* security_context() const;
};

struct PodView {
    const yaml::Node* spec = nullptr;       // the pod spec mapping, never null in a PodView
    const yaml::Node* metadata = nullptr;   // pod (template) metadata; may be null
    const yaml::Node* parent = nullptr;     // where the pod spec hangs: the template, or the Pod root
    std::vector<ContainerRef> containers;   // initContainers, containers, ephemeralContainers
    bool long_running = false;              // a controller that keeps its pods running
    bool job = false;                       // Job or CronJob: pods that run to completion

    // spec.securityContext mapping or nullptr.
    [[nodiscard]] const yaml::Node* security_context() const;
    // spec.os.name is "windows".
    [[nodiscard]] bool windows() const;
    // spec.hostUsers is false: the pod runs in a user namespace.
    [[nodiscard]] bool user_namespace() const;
    // Pod template labels (metadata.labels mapping) or nullptr.
    [[nodiscard]] const yaml::Node* labels() const;
};

// Documents that are kustomize strategic-merge patches (`$patch:` at the top) are fragments, not
// objects: rules skip them.
bool is_patch(const Document& doc);

// The pod of a document of one of pod_kinds(); nullopt when the document is a patch, another
// kind, or has no pod spec mapping (a fragment).
std::optional<PodView> pod_view(const Document& doc);

// ---- security contexts ----
// The securityContexts the Pod Security Standards check one by one: the pod's
// (spec.securityContext, `who` "the pod"), then every container's, init and ephemeral ones
// included (`who` its label). `sc` is null where none is set.
void for_each_security_context(const PodView& pod,
                               const std::function<void(const yaml::Node* sc, const std::string& who)>& fn);

// A container with its effective security settings: a field of the pod's securityContext
// (runAsNonRoot, runAsUser, seccompProfile, seLinuxOptions, ...) applies to every container that
// does not set it itself.
struct ContainerSecurity {
    const ContainerRef* container = nullptr;   // never null
    const yaml::Node* own = nullptr;           // the container's securityContext, or null
    const yaml::Node* pod = nullptr;           // the pod's securityContext, or null
    // The field as it applies: the container's when set (present and not null), else the pod's.
    [[nodiscard]] const yaml::Node* effective(std::string_view field) const;
    // A boolean field as it applies: the container's when it is a boolean, else the pod's.
    [[nodiscard]] std::optional<bool> effective_bool(std::string_view field) const;
};
// Every container of the pod (init, regular, ephemeral) with its effective securityContext.
void for_each_container_security(const PodView& pod, const std::function<void(const ContainerSecurity&)>& fn);

// Reports a container whose own securityContext does not set boolean `field` to `required`: at
// the value when it is set otherwise, at the securityContext (or container) when it is not set.
void require_bool(const Document& doc, Reporter& out, const ContainerSecurity& c, const std::string& field,
                  bool required);

// A capability of the container runtimes' default set, which the Pod Security Standards
// (Baseline) allow to add: AUDIT_WRITE, CHOWN, ..., SYS_CHROOT (names compared exactly).
bool baseline_capability(std::string_view name);

// ---- messages ----
// `"text"`.
std::string dq(std::string_view s);

// ---- scalar access in the Kubernetes dialect ----
// A boolean value; nullopt when absent, null or not a boolean in the Kubernetes dialect.
std::optional<bool> get_bool(const yaml::Node* map, std::string_view key);
std::optional<std::int64_t> get_int(const yaml::Node* map, std::string_view key);
// Scalar text ("" when absent, null or not a scalar).
std::string_view get_str(const yaml::Node* map, std::string_view key);
// A present, non-null value.
bool is_set(const yaml::Node* node);
// Where a finding about a missing field is reported: the KEY node of the deepest field that
// exists along `keys` below `map` (so `securityContext:` rather than its first child), or `map`
// itself when the first key is absent.
const yaml::Node* deepest(const yaml::Node* map, std::initializer_list<std::string_view> keys);

// ---- label selectors ----
// A metav1.LabelSelector (matchLabels + matchExpressions with In/NotIn/Exists/DoesNotExist)
// against a labels mapping. A null selector matches nothing; an empty one matches everything.
bool label_selector_matches(const yaml::Node* selector, const yaml::Node* labels);
// A plain map selector (Service spec.selector) against a labels mapping; an empty or null
// selector matches nothing (a Service without a selector selects no pods).
bool map_selector_matches(const yaml::Node* selector, const yaml::Node* labels);

// Both documents are in the same namespace; an unset namespace matches any (kustomize and
// `kubectl -n` usually set it at apply time).
bool same_namespace(const Document& a, const Document& b);

// Indexes built once per run (CheckContext::memo), so cross-document rules stay linear.
// Kubernetes documents of `kind` named `name` (any namespace; filter with same_namespace).
const std::vector<const Document*>& named(const CheckContext& ctx, const std::string& kind, const std::string& name);
// Documents of `kind` that may share a namespace with `doc` (same_namespace), patches excluded.
std::vector<const Document*> namespace_peers(const CheckContext& ctx, const std::string& kind, const Document& doc);
// The HorizontalPodAutoscaler of the input whose scaleTargetRef names `doc`, or nullptr.
const Document* hpa_for(const Document& doc, const CheckContext& ctx);

// Effective replica count of a workload: spec.replicas (default 1) for Deployment, StatefulSet,
// ReplicaSet, ReplicationController; when an HPA in the input targets it, the HPA's minReplicas
// (default 1). nullopt for other kinds (DaemonSet, Pod, Job...).
std::optional<std::int64_t> effective_replicas(const Document& doc, const CheckContext& ctx);

// The mapping shared by the pod isolation controls (Pod Security Standards): the given CIS
// Kubernetes Benchmark sections, the NSA/CISA guide's pod security section(s), SOC 2 CC6.1
// (logical access) and CC6.8 (unauthorised software), HIPAA access control, GDPR Art. 32(1)(b).
std::vector<ComplianceRef> isolation_compliance(std::initializer_list<const char*> cis,
                                                std::initializer_list<const char*> nsa = {
                                                    "Pod security: pod security enforcement"});

}  // namespace coconut::policy::rules::kubernetes
