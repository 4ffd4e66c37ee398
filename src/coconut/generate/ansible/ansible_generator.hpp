#pragma once
// The `ansible` generator: a playbook tree for plain servers (targets.servers) — site.yml, one
// role per service (two slots per host, systemd or start-stop-daemon), an nginx `lb` role and one
// inventory per environment. See docs/generators/ansible.md for the layout and the variables an
// orchestrator sets with `-e`.
#include <string_view>

#include "coconut/generate/generator.hpp"

namespace coconut::generate::ansible {

class AnsibleGenerator final : public Generator {
public:
    [[nodiscard]] std::string_view name() const override { return "ansible"; }
    [[nodiscard]] std::string_view description() const override {
        return "Ansible playbook, roles and inventories for plain servers (systemd or start-stop-daemon, nginx)";
    }
    [[nodiscard]] util::Expected<void> generate(const GenerateInput& in, ArtifactSet& out) const override;
    [[nodiscard]] bool enabled(const spec::Spec& base) const override { return base.targets.servers.has_value(); }
    [[nodiscard]] std::string_view enable_hint() const override {
        return "add a `targets.servers` block (inventory of hosts) to coconut.yaml";
    }
};

}  // namespace coconut::generate::ansible
