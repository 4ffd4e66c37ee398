// COP-PRODUCTION-SINGLE-TASK: a production environment that runs one task (the default
// `count`, `count: 1`, or an autoscaling range starting at 1) loses the service on every task
// replacement, deployment hiccup or Availability Zone failure.
#include <optional>
#include <string>
#include <vector>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

struct Count {
    const yaml::Node* at = nullptr;  // the node that sets the minimum
    std::int64_t min = 1;
};

// The minimum task count a `count:` value gives; nullopt when it cannot be told.
std::optional<Count> min_count(const yaml::Node* count) {
    if (count == nullptr || count->is_null()) return std::nullopt;
    if (count->is_scalar()) {
        if (auto n = as_int(count)) return Count{count, *n};
        return std::nullopt;
    }
    if (!count->is_mapping()) return std::nullopt;
    if (const yaml::Node* range = get(count, "range")) {
        if (range->is_scalar()) {  // "1-10"
            const std::string& t = range->text;
            const auto dash = t.find('-');
            if (dash == std::string::npos || dash == 0) return std::nullopt;
            try {
                return Count{range, std::stoll(t.substr(0, dash))};
            } catch (...) {
                return std::nullopt;
            }
        }
        if (const yaml::Node* min = get(range, "min")) {
            if (auto n = as_int(min)) return Count{min, *n};
        }
        return std::nullopt;
    }
    if (const yaml::Node* spot = get(count, "spot")) {
        if (auto n = as_int(spot)) return Count{spot, *n};
    }
    return std::nullopt;
}

RuleInfo production_count_info() {
    RuleInfo r =
        copilot_rule("COP-PRODUCTION-SINGLE-TASK", "Production environment runs a single task", Severity::Medium);
    r.description =
        "In an environment named like production (prod, prd, production or live as a word of the name: prod-eu, "
        "eu-prod, production; not preprod) the service's `count` "
        "(an integer, or the minimum of an autoscaling `range`; Copilot's default is 1) is below 2. One task "
        "means downtime whenever ECS replaces it (host maintenance, a failed health check, a Spot "
        "interruption) and no capacity in a second Availability Zone. The value is the environment "
        "override's `count`, or the base `count` it inherits; reported where it is set (at the "
        "environment when neither sets it). Applies to Load Balanced Web, Backend and Worker Services.";
    r.remediation =
        "Set `count: 2` or more (or `count: {range: 2-10, cpu_percentage: 70}`) in the production "
        "environment override or in the base manifest.";
    r.compliance = {cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

class CopilotProductionSingleTask : public BasicRule {
public:
    CopilotProductionSingleTask() : BasicRule(production_count_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const auto all = scopes_of(doc, {k_lb_web_service, k_backend_service, k_worker_service});
        if (all.empty()) return;
        const yaml::Node* base_count = get(all.front().node, "count");
        std::vector<std::string> inheriting;  // production environments that inherit a low base count
        std::optional<Count> base_min = min_count(base_count);
        for (const Scope& s : all) {
            if (!s.production) continue;
            const yaml::Node* own = get(s.node, "count");
            if (own != nullptr && !own->is_null()) {
                if (auto c = min_count(own); c && c->min < 2)
                    out.report(doc, c->at,
                               subject(doc) + " runs " + std::to_string(c->min) + " task" + (c->min == 1 ? "" : "s") +
                                   s.where() + "; run at least 2 in production");
                continue;
            }
            if (base_count == nullptr || base_count->is_null()) {
                out.report(doc, s.anchor(),
                           subject(doc) + " sets no count" + s.where() +
                               " and runs Copilot's default of 1 task; run at least 2 in production");
            } else if (base_min && base_min->min < 2) {
                inheriting.push_back("\"" + s.env + "\"");
            }
        }
        if (!inheriting.empty()) {
            std::string list;
            for (const auto& e : inheriting) list += (list.empty() ? "" : ", ") + e;
            out.report(doc, base_min->at,
                       subject(doc) + " runs " + std::to_string(base_min->min) + " task" +
                           (base_min->min == 1 ? "" : "s") + " in production " +
                           (inheriting.size() == 1 ? "environment " : "environments ") + list +
                           " (inherited from the base count); run at least 2 in production");
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotProductionSingleTask);

}  // namespace coconut::policy::rules::copilot
