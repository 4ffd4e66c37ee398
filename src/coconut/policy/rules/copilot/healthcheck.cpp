// COP-NO-HEALTHCHECK: a service without a health check is only restarted when its process
// exits; a hung or half-started container keeps receiving traffic or messages.
#include <string>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

RuleInfo healthcheck_info() {
    RuleInfo r = copilot_rule("COP-NO-HEALTHCHECK", "Service has no health check", Severity::Medium);
    r.description =
        "Without a health check, ECS (or App Runner) only notices a container that exits: a container that "
        "hangs, deadlocks or lost its database connection keeps receiving requests or queue messages, and a "
        "broken deployment is declared healthy. A Load Balanced Web Service needs `http.healthcheck` (the "
        "target group otherwise probes `GET /`, which rarely checks dependencies), `nlb.healthcheck` or a "
        "container `image.healthcheck`; a Request-Driven Web Service `http.healthcheck`; a Backend Service "
        "`image.healthcheck` (or `http.healthcheck` when it has an internal load balancer); a Worker Service "
        "`image.healthcheck`. Reported at the manifest when no scope sets one, or at each production "
        "environment without one when only some environments do.";
    r.remediation =
        "Add a health check endpoint to the application and declare it: `http: {healthcheck: {path: "
        "/healthz}}` for load-balanced services, or `image: {healthcheck: {command: [\"CMD-SHELL\", "
        "\"curl -f http://localhost:8080/healthz || exit 1\"]}}` for backend and worker services.";
    r.compliance = {cref("soc2", "CC7.2"), cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

class CopilotNoHealthcheck : public BasicRule {
public:
    CopilotNoHealthcheck() : BasicRule(healthcheck_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const std::string_view t = type(doc);
        const bool lb = t == k_lb_web_service;
        const bool rd = t == k_rd_web_service;
        const bool backend = t == k_backend_service;
        const bool worker = t == k_worker_service;
        if (!lb && !rd && !backend && !worker) return;
        const auto has = [&](const yaml::Node* scope) {
            const bool image_check = is_set(get_path(scope, {"image", "healthcheck"}));
            const bool http_check = is_set(get_path(scope, {"http", "healthcheck"}));
            if (lb) return image_check || http_check || is_set(get_path(scope, {"nlb", "healthcheck"}));
            if (rd) return http_check;
            if (backend) return image_check || http_check;
            return image_check;
        };
        const auto all = scopes(doc);
        if (all.empty()) return;
        const char* what = lb        ? "http.healthcheck or image.healthcheck"
                           : rd      ? "http.healthcheck"
                           : backend ? "image.healthcheck, or http.healthcheck with an internal load balancer"
                                     : "image.healthcheck";
        const yaml::Node* base_at = lb || rd ? deepest(all.front().node, {"http", "healthcheck"})
                                             : deepest(all.front().node, {"image", "healthcheck"});
        for (const Missing& m : missing_setting(all, has, base_at))
            out.report(doc, m.at, subject(doc) + " has no health check" + m.scope->where() + " (set " + what + ")");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotNoHealthcheck);

}  // namespace coconut::policy::rules::copilot
