// COP-PUBLIC-PLACEMENT: services that receive no traffic from the internet (Backend Service,
// Worker Service, Scheduled Job) placed in public subnets (`network.vpc.placement: public`) get
// public IP addresses for no reason.
#include <string>

#include "coconut/policy/inputs/copilot.hpp"
#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

RuleInfo placement_info() {
    RuleInfo r;
    r.id = "COP-PUBLIC-PLACEMENT";
    r.title = "Internal workload placed in public subnets";
    r.severity = Severity::Medium;
    r.input = inputs::k_copilot;
    r.kinds = {"CopilotManifest"};
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
        const std::string_view t = type(doc);
        if (t != k_backend_service && t != k_worker_service && t != k_scheduled_job) return;
        for (const Scope& s : scopes(doc)) {
            const yaml::Node* placement = get_path(s.node, {"network", "vpc", "placement"});
            if (scalar_text(placement) != "public") continue;
            out.report(doc, placement,
                       subject(doc) + " runs its tasks in public subnets (network.vpc.placement: public)" + s.where() +
                           "; a " + std::string(t) + " receives no internet traffic, use placement: private");
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotPublicPlacement);

}  // namespace coconut::policy::rules::copilot
