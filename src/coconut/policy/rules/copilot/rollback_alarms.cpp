// COP-NO-ROLLBACK-ALARMS: ECS services deployed by Copilot (Load Balanced Web, Backend and Worker
// Services) can roll a deployment back when CloudWatch alarms fire (`deployment.rollback_alarms`);
// without alarms only tasks that fail to start trigger the circuit breaker.
#include <string>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

RuleInfo rollback_alarms_info() {
    RuleInfo r = copilot_rule("COP-NO-ROLLBACK-ALARMS", "Service deployments have no rollback alarms", Severity::Low);
    r.description =
        "`deployment.rollback_alarms` (a list of existing CloudWatch alarm names, or thresholds such as "
        "`cpu_utilization`, `memory_utilization` and, for Worker Services, `messages_delayed` for alarms "
        "Copilot creates) makes ECS roll a deployment back to the last completed one when an alarm goes "
        "into ALARM during the rollout. Without it the deployment circuit breaker only catches tasks that "
        "fail to start; a release that starts but serves errors or saturates the service stays deployed. "
        "Applies to Load Balanced Web, Backend and Worker Services (the types that support the field). "
        "Reported at the manifest when no scope sets it, or at each production environment without it "
        "when only some environments do.";
    r.remediation =
        "Add `deployment: {rollback_alarms: [\"my-service-5xx\", \"my-service-latency\"]}` naming alarms on "
        "the service's error rate and latency, or `rollback_alarms: {cpu_utilization: 80, "
        "memory_utilization: 80}` — at least in production environments.";
    r.compliance = {cref("soc2", "CC7.2"), cref("soc2", "CC8.1")};
    return r;
}

class CopilotNoRollbackAlarms : public BasicRule {
public:
    CopilotNoRollbackAlarms() : BasicRule(rollback_alarms_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const auto all = scopes_of(doc, {k_lb_web_service, k_backend_service, k_worker_service});
        if (all.empty()) return;
        const auto has = [](const yaml::Node* scope) {
            return is_set(get_path(scope, {"deployment", "rollback_alarms"}));
        };
        for (const Missing& m : missing_setting(all, has, deepest(all.front().node, {"deployment", "rollback_alarms"})))
            out.report(doc, m.at,
                       subject(doc) + " has no deployment.rollback_alarms" + m.scope->where() +
                           "; a release that starts but fails is not rolled back");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotNoRollbackAlarms);

}  // namespace coconut::policy::rules::copilot
