// libFuzzer harness: input detection and the input readers of `coconut check`. The first byte
// picks the file name the rest arrives under (a Dockerfile, a manifest, a playbook, a role's
// task file, a workflow, a Copilot manifest, an unknown name; met explicitly or in a directory
// walk); its top bit also runs every built-in rule over what was read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"

namespace p = coconut::policy;

namespace {

constexpr const char* k_names[] = {
    "Dockerfile",
    "build/Containerfile.prod",
    "k8s/deploy.yaml",
    "site.yml",
    "roles/web/tasks/main.yml",
    "roles/web/handlers/main.yaml",
    ".github/workflows/ci.yml",
    "copilot/api/manifest.yml",
    "notes.txt",
    "README",
    "chart/templates/deploy.yaml",
    "kustomization.yaml",
};
constexpr std::size_t k_name_count = sizeof(k_names) / sizeof(k_names[0]);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t selector = data[0];
    const std::string name = k_names[(selector & 0x3f) % k_name_count];
    const bool explicit_file = (selector & 0x40) == 0;
    const bool run_rules = (selector & 0x80) != 0;
    p::Inputs inputs;
    inputs.add_text(name, std::string(reinterpret_cast<const char*>(data) + 1, size - 1), explicit_file);
    if (run_rules && !inputs.error()) (void)p::run_checks(inputs, p::CheckOptions{});
    return 0;
}
