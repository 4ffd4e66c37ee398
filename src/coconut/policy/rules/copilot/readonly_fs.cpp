// COP-READONLY-FS: the main container of an ECS-based workload should run with a read-only
// root file system (`storage.readonly_fs: true`); Copilot's default is writable.
#include <string>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

RuleInfo readonly_fs_info() {
    RuleInfo r = copilot_rule("COP-READONLY-FS", "Container root file system is writable", Severity::Low);
    r.description =
        "`storage.readonly_fs: true` mounts the main container's root file system read-only "
        "(`readonlyRootFilesystem` in the ECS task definition). Without it an attacker who gets code "
        "execution in the container can drop tools, modify the application or persist in the image layer "
        "for the life of the task. Applies to Load Balanced Web, Backend and Worker Services and Scheduled "
        "Jobs. The rule fires at an explicit `readonly_fs: false` (base or environment override), and when "
        "the setting is missing everywhere (at the manifest, or at `storage` when present); when only some "
        "environments set it, production environments without it are reported.";
    r.remediation =
        "Set `storage: {readonly_fs: true}` and give the application writable scratch space where it needs "
        "it with an ephemeral volume (`storage.volumes.<name>` with a `path`) or /tmp on a mounted volume.";
    r.aliases = {};
    r.compliance = {cref("soc2", "CC6.8"), cref("nsa", "Pod security: immutable container file systems")};
    return r;
}

class CopilotReadonlyFs : public BasicRule {
public:
    CopilotReadonlyFs() : BasicRule(readonly_fs_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const auto all = scopes_of(doc, {k_lb_web_service, k_backend_service, k_worker_service, k_scheduled_job});
        if (all.empty()) return;
        for (const Scope& s : all) {
            const yaml::Node* ro = get_path(s.node, {"storage", "readonly_fs"});
            if (ro != nullptr && as_bool(ro) == false)
                out.report(doc, ro,
                           subject(doc) + " sets storage.readonly_fs: false" + s.where() +
                               "; the container's root file system is writable");
        }
        const auto has = [](const yaml::Node* scope) {
            return get_path(scope, {"storage", "readonly_fs"}) != nullptr &&
                   !get_path(scope, {"storage", "readonly_fs"})->is_null();
        };
        // An explicit false counts as "set" here: it is reported above.
        for (const Missing& m : missing_setting(all, has, deepest(all.front().node, {"storage", "readonly_fs"})))
            out.report(doc, m.at,
                       subject(doc) + " does not set storage.readonly_fs: true" +
                           (m.scope->base() ? std::string() : m.scope->where()) +
                           "; the container's root file system is writable");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotReadonlyFs);

}  // namespace coconut::policy::rules::copilot
