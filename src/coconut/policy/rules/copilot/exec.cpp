// COP-EXEC-PRODUCTION and COP-EXEC-ENABLED: `exec: true` turns on ECS Exec, an interactive
// shell into the running containers. In production it is a standing back door (high); in other
// environments a medium-severity convenience that should be deliberate.
#include <string>
#include <vector>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

// Where exec is enabled and whether production gets it.
struct ExecFinding {
    const yaml::Node* at = nullptr;
    std::string message;
    bool production = false;
};

std::vector<ExecFinding> exec_findings(const Document& doc) {
    std::vector<ExecFinding> out;
    const auto all = scopes(doc);
    if (all.empty()) return out;
    const std::string who = subject(doc);
    for (const Scope& s : all) {
        const yaml::Node* exec = get(s.node, "exec");
        if (as_bool(exec) != true) continue;
        if (!s.base()) {
            out.push_back(ExecFinding{exec, who + " enables ECS Exec (exec: true)" + s.where(), s.production});
            continue;
        }
        // The base value applies to every environment that does not override `exec`.
        std::vector<std::string> prod;
        for (const Scope& e : all)
            if (!e.base() && e.production && get(e.node, "exec") == nullptr) prod.push_back("\"" + e.env + "\"");
        if (prod.empty()) {
            out.push_back(ExecFinding{exec, who + " enables ECS Exec (exec: true) for every environment", false});
        } else {
            std::string list;
            for (const auto& p : prod) list += (list.empty() ? "" : ", ") + p;
            out.push_back(
                ExecFinding{exec,
                            who + " enables ECS Exec (exec: true) for every environment, including production " +
                                (prod.size() == 1 ? "environment " : "environments ") + list,
                            true});
        }
    }
    return out;
}

const char* const k_description =
    "`exec: true` enables ECS Exec for the service: anyone allowed `ecs:ExecuteCommand` can open an "
    "interactive shell in the running containers (`copilot svc exec`), read their secrets and memory, and "
    "change the running code outside any deployment pipeline. Copilot also grants the task role the SSM "
    "permissions that make this possible. The base setting applies to every environment that does not "
    "override it.";

const char* const k_remediation =
    "Remove `exec: true` (the default is false), or enable it only in a non-production environment "
    "override (`environments: {test: {exec: true}}`) and set `exec: false` for production; use logs, "
    "metrics and one-off tasks (`copilot task run`) for debugging production.";

RuleInfo exec_production_info() {
    RuleInfo r = copilot_rule("COP-EXEC-PRODUCTION", "ECS Exec enabled in a production environment", Severity::High);
    r.description = std::string(k_description) +
                    " This rule reports exec enabled where it reaches an environment named like production "
                    "(prod, prd, production or live as a word of the name: prod-eu, eu-prod, production; not preprod); "
                    "COP-EXEC-ENABLED reports the rest.";
    r.remediation = k_remediation;
    r.compliance = {cref("soc2", "CC6.1"), cref("soc2", "CC6.8"), cref("hipaa", "164.312(a)(1)"),
                    cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

// Reports the exec findings that reach production (COP-EXEC-PRODUCTION) or the others.
class CopilotExecRule : public BasicRule {
public:
    CopilotExecRule(RuleInfo info, bool production) : BasicRule(std::move(info)), m_production(production) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (auto& f : exec_findings(doc))
            if (f.production == m_production) out.report(doc, f.at, std::move(f.message));
    }

private:
    bool m_production;
};

class CopilotExecProduction final : public CopilotExecRule {
public:
    CopilotExecProduction() : CopilotExecRule(exec_production_info(), true) {}
};

RuleInfo exec_enabled_info() {
    RuleInfo r = copilot_rule("COP-EXEC-ENABLED", "ECS Exec enabled", Severity::Medium);
    r.description = std::string(k_description) +
                    " This rule reports exec enabled outside production environments (or when the manifest "
                    "names no production environment); COP-EXEC-PRODUCTION reports production.";
    r.remediation = k_remediation;
    r.compliance = {cref("soc2", "CC6.1")};
    return r;
}

class CopilotExecEnabled final : public CopilotExecRule {
public:
    CopilotExecEnabled() : CopilotExecRule(exec_enabled_info(), false) {}
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotExecProduction);
COCONUT_REGISTER_RULE(CopilotExecEnabled);

}  // namespace coconut::policy::rules::copilot
