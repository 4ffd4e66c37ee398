// COP-PUBLIC-PLACEMENT: services that receive no traffic from the internet (Backend Service,
// Worker Service, Scheduled Job) placed in public subnets (`network.vpc.placement: public`) get
// public IP addresses for no reason.
#include <string>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

RuleInfo placement_info() {
    RuleInfo r = copilot_rule("COP-PUBLIC-PLACEMENT", "Internal workload placed in public subnets", Severity::Medium);
    r.description =
        "`network.vpc.placement: public` launches the ECS tasks in the environment's public subnets with a "
        "public IP address. A Backend Service, a Worker Service or a Scheduled Job is never reached from the "
        "internet (Backend Services are reached through Service Connect, service discovery or an internal "
        "load balancer), so the public address only widens the attack surface: one permissive security group "
        "rule exposes the container directly. Applies to the base manifest and to every environment override.";
    r.remediation =
        "Set `network.vpc.placement: private` (the environment needs NAT gateways or VPC endpoints for "
        "outbound traffic), or place the tasks in explicit private subnets with "
        "`network.vpc.placement.subnets`.";
    r.compliance = {cref("soc2", "CC6.6"), cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

class CopilotPublicPlacement : public BasicRule {
public:
    CopilotPublicPlacement() : BasicRule(placement_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (const Scope& s : scopes_of(doc, {k_backend_service, k_worker_service, k_scheduled_job})) {
            const yaml::Node* placement = get_path(s.node, {"network", "vpc", "placement"});
            if (scalar_text(placement) != "public") continue;
            out.report(doc, placement,
                       subject(doc) + " runs its tasks in public subnets (network.vpc.placement: public)" + s.where() +
                           "; a " + std::string(type(doc)) + " receives no internet traffic, use placement: private");
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotPublicPlacement);

}  // namespace coconut::policy::rules::copilot
