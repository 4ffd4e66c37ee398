#pragma once
// `coconut check`: policy checks over files, directories, stdin, or the artifacts generated
// in memory from coconut.yaml.
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
};

struct CheckResult {
    std::vector<spec::Problem> problems;     // spec problems (no-path mode): exit 2
    std::vector<policy::Finding> findings;
    policy::report::Summary summary;
};

util::Expected<CheckResult> run_check(const CheckOptions& options);

}  // namespace coconut::actions
