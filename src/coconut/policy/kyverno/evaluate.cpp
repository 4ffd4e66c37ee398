// Applying loaded policies to Documents: match/exclude, preconditions, then the rule's
// pattern, anyPattern or deny conditions; results and messages worded as Kyverno words them.
#include <optional>
#include <string>
#include <vector>

#include "coconut/policy/kyverno/kyverno.hpp"
#include "coconut/policy/kyverno/model.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::kyverno {

namespace {

struct Resource {
    const Document* doc;
    std::string group, version;
    const yaml::Node* labels = nullptr;
    const yaml::Node* annotations = nullptr;
    std::optional<Json> json;  // request.object, built on first use

    explicit Resource(const Document& d) : doc(&d) {
        auto slash = d.api_version.find('/');
        if (slash == std::string::npos) {
            version = d.api_version;
        } else {
            group = d.api_version.substr(0, slash);
            version = d.api_version.substr(slash + 1);
        }
        if (d.object != nullptr)
            if (const yaml::Node* meta = d.object->find("metadata"); meta != nullptr) {
                labels = meta->find("labels");
                annotations = meta->find("annotations");
            }
    }

    const Json& object() {
        if (!json) json = doc->object != nullptr ? yaml::to_json(*doc->object, yaml::Dialect::Kubernetes) : Json();
        return *json;
    }
};

const yaml::Node* map_value(const yaml::Node* map, const std::string& key) {
    return map != nullptr && map->is_mapping() ? map->find(key) : nullptr;
}

bool filter_matches(const ResourceFilter& f, const Resource& r) {
    const Document& d = *r.doc;
    if (!f.kinds.empty()) {
        bool any = false;
        for (const auto& k : f.kinds) {
            if (!wildcard_match(k.kind, d.kind)) continue;
            if (k.has_version && !wildcard_match(k.version, r.version)) continue;
            if (k.has_group && !wildcard_match(k.group, r.group)) continue;
            any = true;
            break;
        }
        if (!any) return false;
    }
    if (!f.names.empty()) {
        bool any = false;
        for (const auto& n : f.names) any = any || wildcard_match(n, d.name);
        if (!any) return false;
    }
    if (!f.namespaces.empty()) {
        bool any = false;
        for (const auto& n : f.namespaces) any = any || wildcard_match(n, d.ns);
        if (!any) return false;
    }
    if (f.has_selector) {
        for (const auto& [k, v] : f.match_labels) {
            const yaml::Node* l = map_value(r.labels, k);
            if (l == nullptr || !l->is_scalar() || !wildcard_match(v, l->text)) return false;
        }
        for (const auto& e : f.match_expressions) {
            const yaml::Node* l = map_value(r.labels, e.key);
            bool in = false;
            if (l != nullptr)
                for (const auto& v : e.values) in = in || v == l->text;
            if (e.op == "In" && !in) return false;
            if (e.op == "NotIn" && in) return false;
            if (e.op == "Exists" && l == nullptr) return false;
            if (e.op == "DoesNotExist" && l != nullptr) return false;
        }
    }
    for (const auto& [k, v] : f.annotations) {
        bool any = false;
        if (r.annotations != nullptr && r.annotations->is_mapping())
            for (const auto& p : r.annotations->pairs)
                any =
                    any || (wildcard_match(k, p.key->text) && p.value->is_scalar() && wildcard_match(v, p.value->text));
        if (!any) return false;
    }
    if (!f.operations.empty()) {  // offline, every resource is a CREATE
        bool create = false;
        for (const auto& o : f.operations) create = create || o == "CREATE";
        if (!create) return false;
    }
    return true;
}

bool block_matches(const MatchBlock& m, const Resource& r) {
    if (!m.any.empty()) {
        bool any = false;
        for (const auto& f : m.any) any = any || filter_matches(f, r);
        if (!any) return false;
    }
    for (const auto& f : m.all)
        if (!filter_matches(f, r)) return false;
    return true;
}

std::string rule_message(const Rule& rule, const RequestContext& ctx) {
    if (!rule.has_message) return {};
    auto r = substitute(rule.message, ctx);
    if (r.error.empty()) return r.value.is_string() ? r.value.get<std::string>() : r.value.dump();
    // Unresolvable variables stay as written.
    std::string raw;
    for (const auto& p : rule.message.parts) raw += p.is_var ? p.source : p.text;
    return raw;
}

// Kyverno's buildErrorMessage.
std::string fail_message(const Rule& rule, const std::string& msg, const std::string& path) {
    if (msg.empty()) return "validation error: rule " + rule.name + " failed at path " + path;
    std::string m = msg;
    if (!m.ends_with(".")) m += ".";
    return "validation error: " + m + " rule " + rule.name + " failed at path " + path;
}

struct Outcome {
    Status status = Status::Pass;
    std::string message;
    const yaml::Node* at = nullptr;
};

// The node a rule's pattern applies to; for autogen rules the pod template, or (when the
// controller has none) the failure Kyverno's wrapped pattern would give.
struct Located {
    const yaml::Node* node = nullptr;
    const yaml::Node* parent = nullptr;
    std::string path = "/";
    bool missing = false;
};

Located locate(const Document& doc, Target target) {
    Located t;
    t.node = doc.object;
    if (target == Target::Object) return t;
    std::vector<const char*> steps = {"spec", "template"};
    if (target == Target::CronJobPodTemplate) steps = {"spec", "jobTemplate", "spec", "template"};
    for (const char* s : steps) {
        const yaml::Node* next = map_value(t.node, s);
        t.path += std::string(s) + "/";
        if (next == nullptr || !next->is_mapping()) {
            t.missing = true;
            t.parent = t.node;
            t.node = next;
            return t;
        }
        t.parent = t.node;
        t.node = next;
    }
    return t;
}

Outcome run_rule(const Rule& rule, Resource& res) {
    RequestContext ctx;
    ctx.target = rule.target;
    bool needs_json = rule.preconditions.present || rule.deny.present || rule.message.has_vars();
    auto has_vars = [](const yaml::Node* p) {
        // cheap check on the raw YAML: any scalar with "{{" below p
        std::vector<const yaml::Node*> stack{p};
        while (!stack.empty()) {
            const yaml::Node* n = stack.back();
            stack.pop_back();
            if (n->is_scalar() && n->text.find("{{") != std::string::npos) return true;
            for (const auto* i : n->items) stack.push_back(i);
            for (const auto& pr : n->pairs) stack.push_back(pr.value);
        }
        return false;
    };
    if (!needs_json && rule.pattern != nullptr) needs_json = has_vars(rule.pattern);
    for (const auto* p : rule.any_pattern) needs_json = needs_json || has_vars(p);
    if (needs_json) ctx.object = &res.object();

    if (rule.preconditions.present) {
        auto c = eval_conditions(rule.preconditions, ctx);
        if (!c.error.empty()) return {Status::Error, "preconditions: " + c.error, nullptr};
        if (!c.value) return {Status::Skip, "preconditions not met", nullptr};
    }
    Located t = locate(*res.doc, rule.target);
    if (rule.deny.present) {
        auto c = eval_conditions(rule.deny, ctx);
        if (!c.error.empty()) return {Status::Error, "deny.conditions: " + c.error, nullptr};
        if (!c.value) return {Status::Pass, {}, nullptr};
        std::string msg = rule_message(rule, ctx);
        if (msg.empty()) msg = "validation error: rule " + rule.name + " failed";
        return {Status::Fail, msg, t.missing ? t.parent : t.node};
    }
    auto match = [&](const yaml::Node& pattern) -> PatternOutcome {
        if (t.missing) {
            PatternOutcome o;
            o.status = Status::Fail;
            o.path = t.path;
            o.at = t.parent;
            return o;
        }
        return match_pattern(t.node, t.parent, pattern, t.path, ctx);
    };
    if (rule.pattern != nullptr) {
        auto o = match(*rule.pattern);
        switch (o.status) {
            case Status::Pass: return {Status::Pass, {}, nullptr};
            case Status::Skip: return {Status::Skip, o.error, nullptr};
            case Status::Error: return {Status::Error, o.error, o.at};
            case Status::Fail: return {Status::Fail, fail_message(rule, rule_message(rule, ctx), o.path), o.at};
        }
    }
    // anyPattern: the first passing pattern passes the rule.
    std::vector<std::string> failed;
    std::vector<std::string> skipped;
    const yaml::Node* first_at = nullptr;
    for (std::size_t i = 0; i < rule.any_pattern.size(); ++i) {
        auto o = match(*rule.any_pattern[i]);
        std::string idx = rule.name + "[" + std::to_string(i) + "]";
        switch (o.status) {
            case Status::Pass: return {Status::Pass, {}, nullptr};
            case Status::Skip: skipped.push_back("rule " + idx + " skipped: " + o.error); break;
            case Status::Error: return {Status::Error, o.error, o.at};
            case Status::Fail:
                failed.push_back("rule " + idx + " failed at path " + o.path);
                if (first_at == nullptr) first_at = o.at;
                break;
        }
    }
    if (failed.empty()) {
        std::string why;
        for (const auto& s : skipped) why += (why.empty() ? "" : " ") + s;
        return {Status::Skip, why, nullptr};
    }
    std::string errs;
    for (const auto& s : failed) errs += (errs.empty() ? "" : " ") + s;
    std::string msg = rule_message(rule, ctx);
    if (msg.empty()) return {Status::Fail, "validation error: " + errs, first_at};
    if (msg.ends_with(".")) return {Status::Fail, "validation error: " + msg + " " + errs, first_at};
    return {Status::Fail, "validation error: " + msg + ". " + errs, first_at};
}

}  // namespace

std::vector<RuleResult> apply(const PolicySet& policies, const std::vector<Document>& documents) {
    std::vector<RuleResult> out;
    for (const auto& doc : documents) {
        if (doc.object == nullptr) continue;
        Resource res(doc);
        for (const auto& policy : policies.policies) {
            if (policy.kind == "Policy" && (doc.ns.empty() ? std::string("default") : doc.ns) != policy.ns) continue;
            for (const auto& rule : policy.rules) {
                if (!block_matches(rule.match, res)) continue;
                if (rule.exclude.present && block_matches(rule.exclude, res)) continue;
                Outcome o = run_rule(rule, res);
                RuleResult r;
                r.policy = policy.name;
                if (policy.kind == "Policy") r.policy_namespace = policy.ns;
                r.rule = rule.name;
                r.document = &doc;
                r.status = to_string(o.status);
                if (o.status == Status::Fail && !policy.scored) r.status = "warn";
                r.message = std::move(o.message);
                const yaml::Node* at = o.at != nullptr ? o.at : doc.object;
                r.mark = at != nullptr ? at->start : yaml::Mark{};
                out.push_back(std::move(r));
                if (policy.apply_one) break;
            }
        }
    }
    return out;
}

void evaluate(const PolicySet& policies, const std::vector<Document>& documents, std::vector<Finding>& out) {
    auto results = apply(policies, documents);
    for (auto& r : results) {
        if (r.status != "fail" && r.status != "warn" && r.status != "error") continue;
        const Policy* policy = nullptr;
        for (const auto& p : policies.policies)
            if (p.name == r.policy && (p.kind == "Policy" ? p.ns : std::string()) == r.policy_namespace) policy = &p;
        Finding f;
        f.rule = r.policy + "/" + r.rule;
        f.severity = policy != nullptr ? policy->severity : Severity::Medium;
        if (r.status == "warn") f.severity = Severity::Info;
        f.file = r.document->file != nullptr ? r.document->file->path : std::string();
        f.mark = r.mark;
        f.object = r.document->object_ref();
        f.message = r.status == "error"
                        ? "policy rule could not be evaluated (Kyverno reports a rule error): " + r.message
                        : std::move(r.message);
        out.push_back(std::move(f));
    }
}

}  // namespace coconut::policy::kyverno
