#pragma once
// `coconut check`: policy checks over files, directories, stdin, or the artifacts generated
// in memory from coconut.yaml.
#include <optional>
#include <string>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/report/report.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

struct CheckOptions {
    std::vector<std::string> paths;          // empty: the artifacts generated from `spec_file`
    std::string spec_file = "coconut.yaml";
    std::string environment;                 // --env: also apply the spec's exceptions scoped to it
    bool use_spec_in_path_mode = false;      // -f given with PATHs: apply the spec's exceptions/profile
    std::vector<std::string> policy_paths;   // --policy (Kyverno); the spec's policies.custom are added
    std::string profile;                     // "baseline" | "restricted"; empty: the spec's, else restricted
    std::vector<std::string> ignore;         // --ignore "RULE[,RULE] [-- reason]"
    std::string schemas_dir;                 // --schemas: kubeconform-style JSON schema directory
    policy::Severity fail_on = policy::Severity::Low;
    std::string compliance;                  // --compliance FRAMEWORK: also report control coverage
    bool follow_symlinks = false;            // --follow: walk into symlinked directories (loop-safe)
};

struct CheckResult {
    std::vector<spec::Problem> problems;     // spec problems (no-path mode): exit 2
    std::vector<policy::Finding> findings;
    policy::report::Summary summary;
    std::optional<policy::report::ComplianceReport> compliance;   // with options.compliance
    // For SARIF URIs: the working directory and the repository root (git top level, or the
    // working directory outside git), absolute.
    std::string working_dir;
    std::string root_dir;
};

class CheckAction {
public:
    explicit CheckAction(CheckOptions options) : m_options(std::move(options)) {}
    // Usage error when there is nothing to check (no PATH and no spec), for bad flags and
    // unknown rules; Input error for unreadable inputs and invalid policies.
    [[nodiscard]] util::Expected<CheckResult> run() const;

private:
    CheckOptions m_options;
};

}  // namespace coconut::actions
