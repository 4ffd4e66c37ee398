// Loading Kyverno ClusterPolicy / Policy files into a PolicySet. Every field is either
// understood, explicitly accepted as irrelevant offline (admission-webhook settings), or an
// error naming the unsupported feature with file:line:col and the field path.
#include <algorithm>
#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "coconut/policy/kyverno/kyverno.hpp"
#include "coconut/policy/kyverno/model.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::kyverno {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_severity_annotation = "policies.kyverno.io/severity";
constexpr const char* k_autogen_annotation = "pod-policies.kyverno.io/autogen-controllers";

// Rule fields of Kyverno that coconut does not evaluate, with the reason given; null for others.
const char* unsupported_rule_field(std::string_view key) {
    static constexpr std::array<std::pair<std::string_view, const char*>, 6> k_unsupported = {{
        {"mutate", "mutate rules are not supported (coconut checks; only validate rules)"},
        {"generate", "generate rules are not supported (only validate rules)"},
        {"verifyImages", "verifyImages rules are not supported (only validate rules)"},
        {"context", "rule context (ConfigMap, apiCall, imageRegistry, variable lookups) is not supported"},
        {"imageExtractors", "imageExtractors are not supported"},
        {"celPreconditions", "celPreconditions are not supported"},
    }};
    for (const auto& [field, why] : k_unsupported)
        if (field == key) return why;
    return nullptr;
}

struct LoadError {
    std::string message;
};

class PolicyLoader {
public:
    PolicyLoader(std::string file) : m_file(std::move(file)) {}

    // Throws LoadError (caught in load_stream; never escapes this file).
    Policy policy(const yaml::Node& root, const std::string& kind) {
        Policy p;
        p.kind = kind;
        p.file = m_file;
        p.mark = root.start;
        const yaml::Node* meta = root.find("metadata");
        if (meta == nullptr || !meta->is_mapping()) fail(&root, "metadata", "a policy needs metadata.name");
        p.name = scalar(meta, "name", "metadata.name");
        if (p.name.empty()) fail(meta, "metadata.name", "a policy needs metadata.name");
        if (kind == "Policy") {
            p.ns = scalar(meta, "namespace", "metadata.namespace");
            if (p.ns.empty()) p.ns = "default";
        }
        std::string controllers;
        bool has_controllers = false;
        if (const yaml::Node* ann = meta->find("annotations"); ann != nullptr && ann->is_mapping()) {
            if (const yaml::Node* sev = ann->find(k_severity_annotation)) {
                auto s = parse_severity(sev->text);
                if (!s)
                    fail(sev, std::string("metadata.annotations.") + k_severity_annotation,
                         "unknown severity `" + sev->text + "` (info, low, medium, high, critical)");
                p.severity = *s;
            }
            if (const yaml::Node* sc = ann->find("policies.kyverno.io/scored")) p.scored = sc->text != "false";
            if (const yaml::Node* c = ann->find(k_autogen_annotation)) {
                controllers = c->text;
                has_controllers = true;
            }
        }
        const yaml::Node* spec = root.find("spec");
        if (spec == nullptr || !spec->is_mapping()) fail(&root, "spec", "a policy needs spec.rules");
        for (const auto& pair : spec->pairs) {
            const std::string& k = pair.key->text;
            std::string field = "spec." + k;
            if (k == "rules") continue;
            if (k == "validationFailureAction") {
                p.failure_action = failure_action(pair.value, field);
            } else if (k == "applyRules") {
                if (pair.value->text == "One")
                    p.apply_one = true;
                else if (pair.value->text != "All")
                    fail(pair.value, field, "applyRules must be One or All");
            } else if (k == "background" || k == "failurePolicy" || k == "webhookTimeoutSeconds" || k == "admission" ||
                       k == "emitWarning" || k == "schemaValidation" || k == "validationFailureActionOverrides" ||
                       k == "useServerSideApply" || k == "mutateExistingOnPolicyUpdate" || k == "generateExisting" ||
                       k == "generateExistingOnPolicyUpdate" || k == "webhookConfiguration") {
                // Admission-webhook and background-scan settings: no meaning for offline checks.
            } else {
                fail(pair.key, field, "unknown or unsupported policy field `" + k + "`");
            }
        }
        const yaml::Node* rules = spec->find("rules");
        if (rules == nullptr || !rules->is_sequence() || rules->items.empty())
            fail(spec, "spec.rules", "a policy needs at least one rule");
        std::set<std::string> names;
        for (std::size_t i = 0; i < rules->items.size(); ++i) {
            Rule r = rule(*rules->items[i], "spec.rules[" + std::to_string(i) + "]", p.failure_action);
            if (!names.insert(r.name).second)
                fail(rules->items[i], "spec.rules[" + std::to_string(i) + "].name",
                     "duplicate rule name `" + r.name + "`");
            p.rules.push_back(std::move(r));
        }
        autogen(p, has_controllers, controllers);
        return p;
    }

private:
    std::string m_file;

    [[noreturn]] void fail(const yaml::Node* at, const std::string& field, const std::string& message) const {
        throw LoadError{yaml::format_mark(m_file, at != nullptr ? at->start : yaml::Mark{}) + ": " + field + ": " +
                        message};
    }

    std::string scalar(const yaml::Node* map, const char* key, const std::string& field) const {
        const yaml::Node* n = map->find(key);
        if (n == nullptr || n->is_null()) return {};
        if (!n->is_scalar()) fail(n, field, "must be a string");
        return n->text;
    }

    std::string failure_action(const yaml::Node* n, const std::string& field) const {
        std::string v = n->text;
        std::string lower;
        for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "audit") return "Audit";
        if (lower == "enforce") return "Enforce";
        fail(n, field, "must be Audit or Enforce, not `" + v + "`");
    }

    Template tmpl(const yaml::Node* n, const std::string& field) const {
        std::string err;
        auto t = parse_template(n->text, err);
        if (!t) fail(n, field, err);
        return *t;
    }

    // Validates every `{{ }}` inside a (possibly nested) condition operand.
    void check_operand_vars(const yaml::Node* n, const std::string& field) const {
        if (n->is_scalar()) {
            if (n->text.find("{{") != std::string::npos) (void)tmpl(n, field);
            return;
        }
        if (n->is_sequence())
            for (std::size_t i = 0; i < n->items.size(); ++i)
                check_operand_vars(n->items[i], field + "[" + std::to_string(i) + "]");
        else
            for (const auto& p : n->pairs) check_operand_vars(p.value, field + "." + p.key->text);
    }

    Operand operand(const yaml::Node* n, const std::string& field) const {
        Operand o;
        o.node = n;
        if (n == nullptr) return o;
        if (n->is_scalar() && n->text.find("{{") != std::string::npos &&
            yaml::resolve(*n, yaml::Dialect::Kubernetes) == yaml::ScalarType::String)
            o.tmpl = tmpl(n, field);
        else
            check_operand_vars(n, field);
        return o;
    }

    Operator op(const yaml::Node* n, const std::string& field) const {
        struct Name {
            const char* name;
            Operator op;
        };
        static constexpr Name k_ops[] = {
            {"equals", Operator::Equals},
            {"equal", Operator::Equals},
            {"notequals", Operator::NotEquals},
            {"notequal", Operator::NotEquals},
            {"in", Operator::In},
            {"anyin", Operator::AnyIn},
            {"allin", Operator::AllIn},
            {"notin", Operator::NotIn},
            {"anynotin", Operator::AnyNotIn},
            {"allnotin", Operator::AllNotIn},
            {"greaterthan", Operator::GreaterThan},
            {"greaterthanorequals", Operator::GreaterThanOrEquals},
            {"lessthan", Operator::LessThan},
            {"lessthanorequals", Operator::LessThanOrEquals},
            {"durationgreaterthan", Operator::DurationGreaterThan},
            {"durationgreaterthanorequals", Operator::DurationGreaterThanOrEquals},
            {"durationlessthan", Operator::DurationLessThan},
            {"durationlessthanorequals", Operator::DurationLessThanOrEquals},
        };
        if (n == nullptr || !n->is_scalar()) fail(n, field, "a condition needs an operator");
        std::string lower;
        for (char c : n->text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const auto& o : k_ops)
            if (lower == o.name) return o.op;
        fail(n, field,
             "unsupported condition operator `" + n->text +
                 "` (supported: Equals, NotEquals, In, AnyIn, AllIn, NotIn, AnyNotIn, AllNotIn, "
                 "GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals, Duration*)");
    }

    std::vector<Condition> condition_list(const yaml::Node* n, const std::string& field) const {
        std::vector<Condition> out;
        if (n == nullptr || n->is_null()) return out;
        if (!n->is_sequence()) fail(n, field, "must be a list of conditions");
        for (std::size_t i = 0; i < n->items.size(); ++i) {
            const yaml::Node* c = n->items[i];
            std::string f = field + "[" + std::to_string(i) + "]";
            if (!c->is_mapping()) fail(c, f, "a condition is a map {key, operator, value}");
            for (const auto& p : c->pairs)
                if (p.key->text != "key" && p.key->text != "operator" && p.key->text != "value" &&
                    p.key->text != "message")
                    fail(p.key, f + "." + p.key->text, "unknown condition field `" + p.key->text + "`");
            Condition cond;
            cond.mark = c->start;
            if (c->find_key("key") == nullptr) fail(c, f + ".key", "a condition needs a key");
            cond.key = operand(c->find("key"), f + ".key");
            cond.op = op(c->find("operator"), f + ".operator");
            cond.value = operand(c->find("value"), f + ".value");
            out.push_back(std::move(cond));
        }
        return out;
    }

    Conditions conditions(const yaml::Node* n, const std::string& field) const {
        Conditions c;
        if (n == nullptr) return c;
        c.present = true;
        if (n->is_sequence()) {  // the legacy form: a plain list, all must hold
            c.all = condition_list(n, field);
            return c;
        }
        if (!n->is_mapping()) fail(n, field, "conditions must be a list or a map with any/all");
        for (const auto& p : n->pairs) {
            if (p.key->text == "any")
                c.any = condition_list(p.value, field + ".any");
            else if (p.key->text == "all")
                c.all = condition_list(p.value, field + ".all");
            else
                fail(p.key, field + "." + p.key->text, "conditions take only `any` and `all`");
        }
        return c;
    }

    std::vector<std::string> string_list(const yaml::Node* n, const std::string& field) const {
        std::vector<std::string> out;
        if (n == nullptr || n->is_null()) return out;
        if (!n->is_sequence()) fail(n, field, "must be a list of strings");
        for (const auto* i : n->items) {
            if (!i->is_scalar()) fail(i, field, "must be a list of strings");
            if (i->text.find("{{") != std::string::npos) fail(i, field, "variables in match/exclude are not supported");
            out.push_back(i->text);
        }
        return out;
    }

    std::vector<std::pair<std::string, std::string>> string_map(const yaml::Node* n, const std::string& field) const {
        std::vector<std::pair<std::string, std::string>> out;
        if (n == nullptr || n->is_null()) return out;
        if (!n->is_mapping()) fail(n, field, "must be a map of strings");
        for (const auto& p : n->pairs) {
            if (!p.value->is_scalar()) fail(p.value, field + "." + p.key->text, "must be a string");
            out.emplace_back(p.key->text, p.value->text);
        }
        return out;
    }

    ResourceFilter::Kind kind(const yaml::Node* n, const std::string& field) const {
        auto parts = util_split(n->text);
        ResourceFilter::Kind k;
        if (parts.size() == 1) {
            k.kind = parts[0];
        } else if (parts.size() == 2) {
            k.version = parts[0];
            k.has_version = true;
            k.kind = parts[1];
        } else if (parts.size() == 3) {
            k.group = parts[0];
            k.version = parts[1];
            k.kind = parts[2];
            k.has_group = k.has_version = true;
        } else {
            fail(n, field, "kind `" + n->text + "` is not Kind, Version/Kind or Group/Version/Kind");
        }
        if (k.kind.find('.') != std::string::npos && parts.size() == 1)
            fail(n, field, "subresources (`" + n->text + "`) are not supported");
        if (k.kind.empty()) fail(n, field, "empty kind");
        return k;
    }

    static std::vector<std::string> util_split(const std::string& s) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (true) {
            std::size_t pos = s.find('/', start);
            if (pos == std::string::npos) {
                out.push_back(s.substr(start));
                return out;
            }
            out.push_back(s.substr(start, pos - start));
            start = pos + 1;
        }
    }

    ResourceFilter resources(const yaml::Node* n, const std::string& field) const {
        ResourceFilter f;
        if (n == nullptr || !n->is_mapping()) fail(n, field, "must be a map");
        for (const auto& p : n->pairs) {
            const std::string& k = p.key->text;
            std::string sub = field + "." + k;
            if (k == "kinds") {
                if (!p.value->is_sequence()) fail(p.value, sub, "must be a list");
                for (std::size_t i = 0; i < p.value->items.size(); ++i)
                    f.kinds.push_back(kind(p.value->items[i], sub + "[" + std::to_string(i) + "]"));
            } else if (k == "names") {
                auto v = string_list(p.value, sub);
                f.names.insert(f.names.end(), v.begin(), v.end());
            } else if (k == "name") {
                if (!p.value->is_scalar()) fail(p.value, sub, "must be a string");
                f.names.push_back(p.value->text);
            } else if (k == "namespaces") {
                f.namespaces = string_list(p.value, sub);
            } else if (k == "annotations") {
                f.annotations = string_map(p.value, sub);
            } else if (k == "operations") {
                f.operations = string_list(p.value, sub);
            } else if (k == "selector") {
                f.has_selector = true;
                if (!p.value->is_mapping()) fail(p.value, sub, "must be a label selector");
                for (const auto& sp : p.value->pairs) {
                    if (sp.key->text == "matchLabels") {
                        f.match_labels = string_map(sp.value, sub + ".matchLabels");
                    } else if (sp.key->text == "matchExpressions") {
                        if (!sp.value->is_sequence()) fail(sp.value, sub + ".matchExpressions", "must be a list");
                        for (const auto* e : sp.value->items) {
                            ResourceFilter::Expression ex;
                            if (!e->is_mapping()) fail(e, sub + ".matchExpressions", "must be a list of maps");
                            ex.key = scalar(e, "key", sub + ".matchExpressions.key");
                            ex.op = scalar(e, "operator", sub + ".matchExpressions.operator");
                            ex.values = string_list(e->find("values"), sub + ".matchExpressions.values");
                            if (ex.op != "In" && ex.op != "NotIn" && ex.op != "Exists" && ex.op != "DoesNotExist")
                                fail(e, sub + ".matchExpressions.operator",
                                     "unknown selector operator `" + ex.op + "` (In, NotIn, Exists, DoesNotExist)");
                            f.match_expressions.push_back(std::move(ex));
                        }
                    } else {
                        fail(sp.key, sub + "." + sp.key->text, "unknown selector field");
                    }
                }
            } else if (k == "namespaceSelector") {
                fail(p.key, sub, "namespaceSelector is not supported (it needs the labels of live Namespace objects)");
            } else {
                fail(p.key, sub, "unknown or unsupported resource filter field `" + k + "`");
            }
        }
        return f;
    }

    // One `any`/`all` item: {resources: …} (plus admission-user filters, unsupported).
    ResourceFilter filter(const yaml::Node* n, const std::string& field) const {
        if (n == nullptr || !n->is_mapping()) fail(n, field, "must be a map with `resources`");
        ResourceFilter f;
        bool has_resources = false;
        for (const auto& p : n->pairs) {
            const std::string& k = p.key->text;
            if (k == "resources") {
                f = resources(p.value, field + ".resources");
                has_resources = true;
            } else if (k == "subjects" || k == "roles" || k == "clusterRoles") {
                fail(p.key, field + "." + k,
                     "`" + k + "` filters on the admission request's user, which offline checks do not have");
            } else {
                fail(p.key, field + "." + k, "unknown match field `" + k + "`");
            }
        }
        if (!has_resources) fail(n, field, "a match/exclude entry needs `resources`");
        return f;
    }

    MatchBlock match(const yaml::Node* n, const std::string& field) const {
        MatchBlock m;
        if (n == nullptr || n->is_null()) return m;
        if (!n->is_mapping()) fail(n, field, "must be a map");
        m.present = true;
        for (const auto& p : n->pairs) {
            const std::string& k = p.key->text;
            std::string sub = field + "." + k;
            if (k == "any" || k == "all") {
                if (!p.value->is_sequence()) fail(p.value, sub, "must be a list");
                auto& list = k == "any" ? m.any : m.all;
                for (std::size_t i = 0; i < p.value->items.size(); ++i)
                    list.push_back(filter(p.value->items[i], sub + "[" + std::to_string(i) + "]"));
            } else if (k == "resources") {
                m.all.push_back(resources(p.value, sub));
            } else if (k == "subjects" || k == "roles" || k == "clusterRoles") {
                fail(p.key, sub,
                     "`" + k + "` filters on the admission request's user, which offline checks do not have");
            } else {
                fail(p.key, sub, "unknown match field `" + k + "`");
            }
        }
        if (m.any.empty() && m.all.empty()) fail(n, field, "needs `any`, `all` or `resources`");
        return m;
    }

    Rule rule(const yaml::Node& n, const std::string& field, const std::string& policy_action) const {
        if (!n.is_mapping()) fail(&n, field, "a rule must be a map");
        Rule r;
        r.mark = n.start;
        r.failure_action = policy_action;
        r.name = scalar(&n, "name", field + ".name");
        if (r.name.empty()) fail(&n, field + ".name", "a rule needs a name");
        const yaml::Node* validate = nullptr;
        for (const auto& p : n.pairs) {
            const std::string& k = p.key->text;
            std::string sub = field + "." + k;
            if (k == "name" || k == "skipBackgroundRequests" || k == "reportProperties") continue;
            if (k == "match")
                r.match = match(p.value, sub);
            else if (k == "exclude")
                r.exclude = match(p.value, sub);
            else if (k == "preconditions")
                r.preconditions = conditions(p.value, sub);
            else if (k == "validate")
                validate = p.value;
            else if (const char* why = unsupported_rule_field(k))
                fail(p.key, sub, why);
            else
                fail(p.key, sub, "unknown or unsupported rule field `" + k + "`");
        }
        if (!r.match.present) fail(&n, field + ".match", "a rule needs `match`");
        if (validate == nullptr) fail(&n, field, "a rule needs `validate` (only validate rules are supported)");
        if (!validate->is_mapping()) fail(validate, field + ".validate", "must be a map");
        std::string vf = field + ".validate";
        for (const auto& p : validate->pairs) {
            const std::string& k = p.key->text;
            std::string sub = vf + "." + k;
            if (k == "message") {
                r.message = tmpl(p.value, sub);
                r.has_message = true;
            } else if (k == "pattern") {
                const yaml::Node* at = nullptr;
                if (auto e = check_pattern(*p.value, at)) fail(at, sub, *e);
                r.pattern = p.value;
            } else if (k == "anyPattern") {
                if (!p.value->is_sequence() || p.value->items.empty())
                    fail(p.value, sub, "must be a non-empty list of patterns");
                for (const auto* item : p.value->items) {
                    const yaml::Node* at = nullptr;
                    if (auto e = check_pattern(*item, at)) fail(at, sub, *e);
                    r.any_pattern.push_back(item);
                }
            } else if (k == "deny") {
                if (!p.value->is_mapping()) fail(p.value, sub, "must be a map with `conditions`");
                for (const auto& dp : p.value->pairs)
                    if (dp.key->text != "conditions") fail(dp.key, sub + "." + dp.key->text, "unknown deny field");
                r.deny = conditions(p.value->find("conditions"), sub + ".conditions");
                r.deny.present = true;
            } else if (k == "failureAction") {
                r.failure_action = failure_action(p.value, sub);
            } else if (k == "failureActionOverrides" || k == "allowExistingViolations") {
                // admission-only settings
            } else if (k == "foreach") {
                fail(p.key, sub, "validate.foreach is not supported");
            } else if (k == "podSecurity") {
                fail(p.key, sub, "validate.podSecurity is not supported (use the built-in PSS rules: --profile)");
            } else if (k == "cel") {
                fail(p.key, sub, "validate.cel (CEL expressions) is not supported");
            } else if (k == "manifests") {
                fail(p.key, sub, "validate.manifests (signed manifests) is not supported");
            } else if (k == "assert") {
                fail(p.key, sub, "validate.assert (assertion trees) is not supported");
            } else {
                fail(p.key, sub, "unknown or unsupported validate field `" + k + "`");
            }
        }
        int kinds = (r.pattern != nullptr ? 1 : 0) + (r.any_pattern.empty() ? 0 : 1) + (r.deny.present ? 1 : 0);
        if (kinds != 1) fail(validate, vf, "a validate rule needs exactly one of pattern, anyPattern, deny");
        return r;
    }

    // ---- autogen (Kyverno's default for rules written for Pods) ----

    static bool is_pod(const ResourceFilter::Kind& k) { return k.kind == "Pod"; }

    static bool autogen_ok(const ResourceFilter& f, bool& needed) {
        if (!f.names.empty() || f.has_selector || !f.annotations.empty()) return false;
        bool pod = std::any_of(f.kinds.begin(), f.kinds.end(), is_pod);
        if (pod && f.kinds.size() > 1) return false;
        needed = needed || pod;
        return true;
    }

    static void autogen(Policy& p, bool has_annotation, const std::string& annotation) {
        bool needed = false;
        bool ok = true;
        for (const auto& r : p.rules) {
            for (const auto* block : {&r.match, &r.exclude}) {
                bool dummy = false;
                bool& n = block == &r.match ? needed : dummy;
                for (const auto& f : block->any) ok = ok && autogen_ok(f, n);
                for (const auto& f : block->all) ok = ok && autogen_ok(f, n);
            }
        }
        if (!ok || !needed) return;
        std::vector<std::string> controllers = {"DaemonSet",   "Deployment", "Job",
                                                "StatefulSet", "ReplicaSet", "CronJob"};
        if (has_annotation) {
            controllers.clear();
            std::size_t start = 0;
            while (start <= annotation.size()) {
                std::size_t pos = annotation.find(',', start);
                std::string c = annotation.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
                c.erase(0, c.find_first_not_of(" \t"));
                c.erase(c.find_last_not_of(" \t") + 1);
                if (!c.empty()) controllers.push_back(c);
                if (pos == std::string::npos) break;
                start = pos + 1;
            }
            if (std::find(controllers.begin(), controllers.end(), "none") != controllers.end()) return;
        }
        std::vector<std::string> pod_controllers;
        bool cronjob = false;
        for (const auto& c : controllers) {
            if (c == "CronJob")
                cronjob = true;
            else
                pod_controllers.push_back(c);
        }
        auto retarget = [](MatchBlock& m, const std::vector<std::string>& kinds) {
            for (auto* list : {&m.any, &m.all})
                for (auto& f : *list) {
                    if (!std::any_of(f.kinds.begin(), f.kinds.end(), is_pod)) continue;
                    f.kinds.clear();
                    for (const auto& k : kinds) {
                        ResourceFilter::Kind kk;
                        kk.kind = k;
                        f.kinds.push_back(kk);
                    }
                }
        };
        std::vector<Rule> generated;
        std::vector<Rule> generated_cron;
        for (const auto& r : p.rules) {
            bool matches_pod = false;
            for (const auto* list : {&r.match.any, &r.match.all})
                for (const auto& f : *list)
                    matches_pod = matches_pod || std::any_of(f.kinds.begin(), f.kinds.end(), is_pod);
            if (!matches_pod) continue;
            if (!pod_controllers.empty()) {
                Rule g = r;
                g.name = "autogen-" + r.name;
                g.target = Target::PodTemplate;
                retarget(g.match, pod_controllers);
                retarget(g.exclude, pod_controllers);
                generated.push_back(std::move(g));
            }
            if (cronjob) {
                Rule g = r;
                g.name = "autogen-cronjob-" + r.name;
                g.target = Target::CronJobPodTemplate;
                retarget(g.match, {"CronJob"});
                retarget(g.exclude, {"CronJob"});
                generated_cron.push_back(std::move(g));
            }
        }
        for (auto& g : generated) p.rules.push_back(std::move(g));
        for (auto& g : generated_cron) p.rules.push_back(std::move(g));
    }
};

bool is_yaml_file(const fs::path& p) {
    auto ext = p.extension().string();
    return ext == ".yaml" || ext == ".yml";
}

}  // namespace

util::Expected<void> load_stream(PolicySet& set, std::string file, std::string_view text, bool explicit_file) {
    auto stream = std::make_unique<yaml::Stream>(yaml::parse(text, file));
    if (!stream->errors.empty()) {
        const auto& d = stream->errors.front();
        return util::fail(util::ErrorCode::Input, yaml::format_mark(file, d.mark) + ": " + d.message, file);
    }
    std::size_t before = set.policies.size();
    PolicyLoader loader(file);
    for (const auto& doc : stream->documents) {
        const yaml::Node* root = doc.root();
        if (root == nullptr || !root->is_mapping()) continue;
        const yaml::Node* api = root->find("apiVersion");
        const yaml::Node* kind = root->find("kind");
        if (api == nullptr || kind == nullptr) continue;
        const std::string& av = api->text;
        bool kyverno_group = av.starts_with("kyverno.io/") || av.starts_with("policies.kyverno.io/");
        if (!kyverno_group) continue;
        const std::string& k = kind->text;
        if (k != "ClusterPolicy" && k != "Policy")
            return util::fail(util::ErrorCode::Input,
                              yaml::format_mark(file, kind->start) + ": kind: Kyverno " + k +
                                  " is not supported (only ClusterPolicy and Policy)",
                              file);
        if (av != "kyverno.io/v1" && av != "kyverno.io/v2beta1")
            return util::fail(util::ErrorCode::Input,
                              yaml::format_mark(file, api->start) + ": apiVersion: " + av +
                                  " is not supported (kyverno.io/v1 and kyverno.io/v2beta1)",
                              file);
        try {
            Policy p = loader.policy(*root, k);
            for (const auto& existing : set.policies)
                if (existing.name == p.name && existing.ns == p.ns && existing.kind == p.kind)
                    return util::fail(util::ErrorCode::Input,
                                      yaml::format_mark(file, root->start) + ": metadata.name: duplicate policy `" +
                                          p.name + "` (also in " + existing.file + ")",
                                      file);
            set.policies.push_back(std::move(p));
        } catch (const LoadError& e) {
            return util::fail(util::ErrorCode::Input, e.message, file);
        }
    }
    if (explicit_file && set.policies.size() == before)
        return util::fail(util::ErrorCode::Input, file + ": no Kyverno ClusterPolicy or Policy in this file", file);
    set.streams.push_back(std::move(stream));
    return {};
}

util::Expected<std::shared_ptr<const PolicySet>> load_text(std::string file, std::string_view text) {
    auto set = std::make_shared<PolicySet>();
    TRY_VOID(load_stream(*set, std::move(file), text, true));
    return std::shared_ptr<const PolicySet>(std::move(set));
}

util::Expected<std::shared_ptr<const PolicySet>> load(const std::vector<std::string>& paths) {
    auto set = std::make_shared<PolicySet>();
    for (const auto& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> files;
            for (fs::recursive_directory_iterator it(path, ec), end; it != end && !ec; it.increment(ec)) {
                if (it->is_directory() && it->path().filename() == ".git") {
                    it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file() && is_yaml_file(it->path())) files.push_back(it->path());
            }
            if (ec) return util::fail(util::ErrorCode::Input, path + ": " + ec.message(), path);
            std::sort(files.begin(), files.end());
            std::size_t before = set->policies.size();
            for (const auto& f : files) {
                TRY(text, util::read_file(f));
                TRY_VOID(load_stream(*set, f.string(), text, false));
            }
            if (set->policies.size() == before)
                return util::fail(util::ErrorCode::Input,
                                  path + ": no Kyverno ClusterPolicy or Policy in any *.yaml / *.yml file", path);
        } else {
            if (!fs::exists(path, ec))
                return util::fail(util::ErrorCode::Input, path + ": no such policy file or directory", path);
            TRY(text, util::read_file(path));
            TRY_VOID(load_stream(*set, path, text, true));
        }
    }
    return std::shared_ptr<const PolicySet>(std::move(set));
}

}  // namespace coconut::policy::kyverno
