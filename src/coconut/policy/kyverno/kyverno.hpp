#pragma once
// Custom policies as code: the Kyverno ClusterPolicy/Policy language (validate rules:
// match/exclude, pattern, anyPattern, deny.conditions, message) evaluated over Documents.
// Unsupported features are load errors naming the feature, never silently ignored.
// What is supported exactly: docs/policies.md, "Custom policies (Kyverno)".
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/document.hpp"
#include "coconut/policy/finding.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::policy::kyverno {

struct PolicySet;

// Loads policy files or directories (recursing into *.yaml / *.yml). Error messages carry
// file:line:col and name the unsupported feature. In directories, YAML documents that are not
// kyverno.io policies (test files, resources) are skipped; a file named explicitly must hold
// at least one policy.
util::Expected<std::shared_ptr<const PolicySet>> load(const std::vector<std::string>& paths);
// The same for one file's content (`file` names it in messages).
util::Expected<std::shared_ptr<const PolicySet>> load_text(std::string file, std::string_view text);

// Appends one Finding per failing (policy, rule, resource); Finding::rule is "policy/rule".
// A rule that cannot be evaluated on a resource (e.g. a variable that does not resolve,
// which Kyverno reports as a rule error) is a finding too, its message says so.
void evaluate(const PolicySet& policies, const std::vector<Document>& documents, std::vector<Finding>& out);

// The outcome of one rule on one matched resource, as `kyverno apply` reports it.
struct RuleResult {
    std::string policy;            // metadata.name (Policy: also see policy_namespace)
    std::string policy_namespace;  // empty for ClusterPolicy
    std::string rule;              // autogen rules: "autogen-<rule>", "autogen-cronjob-<rule>"
    const Document* document = nullptr;
    std::string status;  // "pass" | "fail" | "warn" | "skip" | "error"
    std::string message;
    yaml::Mark mark;  // fail: where the pattern failed; else the object root
};
// Every (policy, rule, document) whose match/exclude selects the document.
std::vector<RuleResult> apply(const PolicySet& policies, const std::vector<Document>& documents);

// ---- Kyverno CLI test files (`coconut policy test DIR`) ----

// One expected result of a test file, for one resource, compared with ours.
struct TestCase {
    std::string test_file;
    std::string policy, rule, kind, resource;
    std::string expected;  // pass | fail | skip | warn | error
    std::string actual;    // the same set, "excluded" (the rule does not select the resource;
                           // agrees with pass, skip and warn, as in the Kyverno CLI), or
                           // "not found" (no such policy, rule or resource)
    bool agree = false;
    std::string message;  // our rule message (fail/error), or why nothing was found
};

struct TestReport {
    std::vector<std::string> test_files;
    std::vector<TestCase> cases;
    [[nodiscard]] std::size_t agreed() const;
};

// Runs every Kyverno CLI test file under `dir` (recursing): files named kyverno-test.yaml /
// kyverno-test.yml (the older form: `name`, `policies`, `resources`, `results` with
// `resource` or `resources`) and any *.yaml holding a `cli.kyverno.io/v1alpha1` `Test`.
// Paths in a test file are relative to it. Fails (exit 2) on unreadable or unsupported test
// files (variables, userinfo, exceptions, mutate/generate expectations) and on policy load
// errors; disagreement is reported per case, not as an error.
util::Expected<TestReport> run_tests(const std::string& dir);

}  // namespace coconut::policy::kyverno
