#include "coconut/policy/rules/kubernetes/pod.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/inputs/kubernetes.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::kubernetes {

// Function-local statics: rules read these while registering themselves during static
// initialisation of other translation units, before a namespace-scope global here would be set.
// DeploymentConfig is OpenShift's (apps.openshift.io/v1) Deployment, with its pod template at
// spec.template; kube-linter and Checkov treat it as a workload too.
const std::vector<std::string>& pod_kinds() {
    static const std::vector<std::string> kinds = {
        "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
        "PodTemplate", "DeploymentConfig",
    };
    return kinds;
}

RuleInfo k8s_rule(std::string id, std::string title, Severity severity, std::vector<std::string> kinds,
                  PssLevel pss) {
    RuleInfo r = rule_info(std::move(id), std::move(title), severity, inputs::k_kubernetes, std::move(kinds));
    r.pss = pss;
    return r;
}

const std::vector<std::string>& long_running_kinds() {
    static const std::vector<std::string> kinds = {
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "DeploymentConfig",
    };
    return kinds;
}

const char* to_string(ContainerKind kind) {
    switch (kind) {
        case ContainerKind::Container: return "container";
        case ContainerKind::Init: return "init container";
        case ContainerKind::Ephemeral: return "ephemeral container";
    }
    return "container";
}

const char* field_name(ContainerKind kind) {
    switch (kind) {
        case ContainerKind::Container: return "containers";
        case ContainerKind::Init: return "initContainers";
        case ContainerKind::Ephemeral: return "ephemeralContainers";
    }
    return "containers";
}

std::string ContainerRef::label() const {
    std::string out = to_string(kind);
    out += name.empty() ? std::string(" (unnamed)") : " \"" + name + "\"";
    return out;
}

const yaml::Node* ContainerRef::security_context() const { return get(node, "securityContext"); }

const yaml::Node* PodView::security_context() const { return get(spec, "securityContext"); }

bool PodView::windows() const { return get_str(get(spec, "os"), "name") == "windows"; }

bool PodView::user_namespace() const { return get_bool(spec, "hostUsers") == false; }

const yaml::Node* PodView::labels() const { return get(metadata, "labels"); }

bool is_patch(const Document& doc) { return doc.root != nullptr && doc.root->find("$patch") != nullptr; }

namespace {

bool in(const std::vector<std::string>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

void collect(PodView& view, ContainerKind kind) {
    for (const yaml::Node* item : items(view.spec, field_name(kind))) {
        if (item == nullptr || !item->is_mapping()) continue;
        view.containers.push_back(ContainerRef{item, kind, std::string(get_str(item, "name"))});
    }
}

}  // namespace

std::optional<PodView> pod_view(const Document& doc) {
    if (doc.input != inputs::k_kubernetes || doc.root == nullptr || is_patch(doc)) return std::nullopt;
    const yaml::Node* root = doc.root;
    const yaml::Node* parent = nullptr;   // holds `metadata` and `spec` of the pod
    if (doc.kind == "Pod") {
        parent = root;
    } else if (doc.kind == "PodTemplate") {
        parent = get(root, "template");
    } else if (doc.kind == "CronJob") {
        parent = get_path(root, {"spec", "jobTemplate", "spec", "template"});
    } else if (in(pod_kinds(), doc.kind)) {
        parent = get_path(root, {"spec", "template"});
    } else {
        return std::nullopt;
    }
    const yaml::Node* spec = get(parent, "spec");
    if (spec == nullptr || !spec->is_mapping()) return std::nullopt;
    PodView view;
    view.spec = spec;
    view.parent = parent;
    const yaml::Node* metadata = get(parent, "metadata");
    view.metadata = metadata != nullptr && metadata->is_mapping() ? metadata : nullptr;
    view.long_running = in(long_running_kinds(), doc.kind);
    view.job = doc.kind == "Job" || doc.kind == "CronJob";
    collect(view, ContainerKind::Init);
    collect(view, ContainerKind::Container);
    collect(view, ContainerKind::Ephemeral);
    return view;
}

void for_each_security_context(const PodView& pod,
                               const std::function<void(const yaml::Node* sc, const std::string& who)>& fn) {
    fn(pod.security_context(), "the pod");
    for (const auto& c : pod.containers) fn(c.security_context(), c.label());
}

const yaml::Node* ContainerSecurity::effective(std::string_view field) const {
    const yaml::Node* value = get(own, field);
    return is_set(value) ? value : get(pod, field);
}

std::optional<bool> ContainerSecurity::effective_bool(std::string_view field) const {
    const auto value = get_bool(own, field);
    return value.has_value() ? value : get_bool(pod, field);
}

void for_each_container_security(const PodView& pod, const std::function<void(const ContainerSecurity&)>& fn) {
    for (const auto& c : pod.containers) fn(ContainerSecurity{&c, c.security_context(), pod.security_context()});
}

void require_bool(const Document& doc, Reporter& out, const ContainerSecurity& c, const std::string& field,
                  bool required) {
    if (get_bool(c.own, field) == required) return;
    if (is_set(get(c.own, field)))
        out.report(doc, get(c.own, field),
                   c.container->label() + " sets securityContext." + field + ": " + std::string(get_str(c.own, field)));
    else
        out.report(
            doc, deepest(c.container->node, {"securityContext"}),
            c.container->label() + " does not set securityContext." + field + ": " + (required ? "true" : "false"));
}

bool baseline_capability(std::string_view name) {
    static constexpr std::array<std::string_view, 13> k_baseline_capabilities = {
        "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "MKNOD",
        "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT",
    };
    return std::find(k_baseline_capabilities.begin(), k_baseline_capabilities.end(), name) !=
           k_baseline_capabilities.end();
}

std::string dq(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

std::optional<bool> get_bool(const yaml::Node* map, std::string_view key) {
    const yaml::Node* n = get(map, key);
    if (n == nullptr || !n->is_scalar()) return std::nullopt;
    return yaml::as_bool(*n, yaml::Dialect::Kubernetes);
}

std::optional<std::int64_t> get_int(const yaml::Node* map, std::string_view key) {
    const yaml::Node* n = get(map, key);
    if (n == nullptr || !n->is_scalar()) return std::nullopt;
    return yaml::as_int(*n, yaml::Dialect::Kubernetes);
}

std::string_view get_str(const yaml::Node* map, std::string_view key) { return scalar_text(get(map, key)); }

bool is_set(const yaml::Node* node) { return node != nullptr && !node->is_null(); }

namespace {

std::optional<std::string_view> label_value(const yaml::Node* labels, std::string_view key) {
    const yaml::Node* v = get(labels, key);
    if (v == nullptr || !v->is_scalar()) return std::nullopt;
    return std::string_view(v->text);
}

}  // namespace

bool label_selector_matches(const yaml::Node* selector, const yaml::Node* labels) {
    if (selector == nullptr || selector->is_null()) return false;
    if (!selector->is_mapping()) return false;
    if (const yaml::Node* ml = get(selector, "matchLabels"); ml != nullptr && ml->is_mapping()) {
        for (const auto& p : ml->pairs) {
            auto v = label_value(labels, p.key->text);
            if (!v || *v != scalar_text(p.value)) return false;
        }
    }
    for (const yaml::Node* e : items(selector, "matchExpressions")) {
        const std::string_view key = get_str(e, "key");
        const std::string_view op = get_str(e, "operator");
        auto v = label_value(labels, key);
        std::vector<std::string_view> values;
        for (const yaml::Node* x : items(e, "values")) values.push_back(scalar_text(x));
        const bool listed = v && std::find(values.begin(), values.end(), *v) != values.end();
        if (op == "In") {
            if (!listed) return false;
        } else if (op == "NotIn") {
            if (listed) return false;
        } else if (op == "Exists") {
            if (!v) return false;
        } else if (op == "DoesNotExist") {
            if (v) return false;
        } else {
            return false;  // an unknown operator selects nothing (the API server rejects it)
        }
    }
    return true;
}

bool map_selector_matches(const yaml::Node* selector, const yaml::Node* labels) {
    if (selector == nullptr || !selector->is_mapping() || selector->pairs.empty()) return false;
    for (const auto& p : selector->pairs) {
        auto v = label_value(labels, p.key->text);
        if (!v || *v != scalar_text(p.value)) return false;
    }
    return true;
}

bool same_namespace(const Document& a, const Document& b) {
    return a.ns.empty() || b.ns.empty() || a.ns == b.ns;
}

const std::vector<const Document*>& named(const CheckContext& ctx, const std::string& kind, const std::string& name) {
    using Index = std::map<std::string, std::vector<const Document*>, std::less<>>;
    const Index& index = ctx.memo<Index>("k8s.named." + kind, [&ctx, &kind] {
        Index out;
        for (const Document* d : ctx.of_kind(kind)) out[d->name].push_back(d);
        return out;
    });
    static const std::vector<const Document*> k_none;
    const auto it = index.find(name);
    return it == index.end() ? k_none : it->second;
}

std::vector<const Document*> namespace_peers(const CheckContext& ctx, const std::string& kind, const Document& doc) {
    using Index = std::map<std::string, std::vector<const Document*>, std::less<>>;   // namespace -> docs
    const Index& index = ctx.memo<Index>("k8s.by-namespace." + kind, [&ctx, &kind] {
        Index out;
        for (const Document* d : ctx.of_kind(kind))
            if (!is_patch(*d)) out[d->ns].push_back(d);
        return out;
    });
    std::vector<const Document*> out;
    if (doc.ns.empty()) {
        for (const auto& [_, docs] : index) out.insert(out.end(), docs.begin(), docs.end());
        return out;
    }
    for (const std::string& ns : {doc.ns, std::string()}) {
        const auto it = index.find(ns);
        if (it != index.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
}

const Document* hpa_for(const Document& doc, const CheckContext& ctx) {
    using Index = std::map<std::string, std::vector<const Document*>, std::less<>>;   // "Kind/name" -> HPAs
    const Index& index = ctx.memo<Index>("k8s.hpa-targets", [&ctx] {
        Index out;
        for (const Document* hpa : ctx.of_kind("HorizontalPodAutoscaler")) {
            if (is_patch(*hpa)) continue;
            const yaml::Node* ref = get_path(hpa->root, {"spec", "scaleTargetRef"});
            out[std::string(get_str(ref, "kind")) + "/" + std::string(get_str(ref, "name"))].push_back(hpa);
        }
        return out;
    });
    const auto it = index.find(doc.kind + "/" + doc.name);
    if (it == index.end()) return nullptr;
    for (const Document* hpa : it->second)
        if (same_namespace(doc, *hpa)) return hpa;
    return nullptr;
}

std::optional<std::int64_t> effective_replicas(const Document& doc, const CheckContext& ctx) {
    static const std::vector<std::string> k_scalable = {"Deployment", "StatefulSet", "ReplicaSet",
                                                        "ReplicationController"};
    if (!in(k_scalable, doc.kind) || is_patch(doc)) return std::nullopt;
    if (const Document* hpa = hpa_for(doc, ctx)) return get_int(hpa->root->find("spec"), "minReplicas").value_or(1);
    return get_int(get(doc.root, "spec"), "replicas").value_or(1);
}

std::vector<ComplianceRef> isolation_compliance(std::initializer_list<const char*> cis,
                                                std::initializer_list<const char*> nsa) {
    std::vector<ComplianceRef> out;
    for (const char* c : cis) out.push_back(cref("cis-k8s", c));
    for (const char* n : nsa) out.push_back(cref("nsa", n));
    out.push_back(cref("soc2", "CC6.1"));
    out.push_back(cref("soc2", "CC6.8"));
    out.push_back(cref("hipaa", "164.312(a)(1)"));
    out.push_back(cref("gdpr", "Art. 32(1)(b)"));
    return out;
}

const yaml::Node* deepest(const yaml::Node* map, std::initializer_list<std::string_view> keys) {
    const yaml::Node* cur = map;
    const yaml::Node* at = map;
    for (std::string_view k : keys) {
        const yaml::Node* next = get(cur, k);
        if (next == nullptr || next->is_null()) return at;
        at = cur->find_key(k);
        cur = next;
    }
    return at;
}

}  // namespace coconut::policy::rules::kubernetes
