// The policy engine itself: input detection, directory walks with .gitignore, suppressions,
// and the report formats. Rules are tested by their fixtures (policy_fixtures_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/report/report.hpp"
#include "coconut/policy/report/rules_doc.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace fs = std::filesystem;
using namespace coconut;
using policy::Finding;

namespace {

const char* k_privileged_pod = R"(apiVersion: v1
kind: Pod
metadata:
  name: bad
  namespace: team
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        privileged: true
)";

std::vector<Finding> check_text(const std::string& path, const std::string& text, policy::CheckOptions options = {}) {
    policy::Inputs inputs;
    inputs.add_text(path, text, true);
    return policy::run_checks(inputs, options);
}

std::vector<Finding> of_rule(const std::vector<Finding>& all, const std::string& rule, bool include_suppressed = false) {
    std::vector<Finding> out;
    for (const auto& f : all)
        if (f.rule == rule && (include_suppressed || !f.suppressed)) out.push_back(f);
    return out;
}

// util::TempDir with a helper to write files into it.
class TempDir {
public:
    TempDir() : m_dir(coconut::util::TempDir::create("coconut-policy-").value()) {}
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((path() / rel).parent_path());
        std::ofstream(path() / rel) << text;
    }
    [[nodiscard]] const fs::path& path() const { return m_dir.path(); }

private:
    coconut::util::TempDir m_dir;
};

TEST(PolicyInputs, DetectsEveryInputKindByContent) {
    policy::Inputs in;
    in.add_text("a.yaml", std::string(k_privileged_pod) + "---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: one}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: two}\n");
    in.add_text("ci.yaml", "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n");
    in.add_text("copilot/api/manifest.yml", "name: api\ntype: Backend Service\nimage:\n  location: nginx:1.27\n");
    in.add_text("site.yml", "- hosts: all\n  tasks:\n    - name: ping\n      ansible.builtin.ping:\n");
    in.add_text("images/api.Dockerfile", "FROM debian:12\nUSER 10001\n");
    in.add_text("build-script", "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nCMD [\"true\"]\n");
    std::vector<std::string> kinds;
    for (const auto& d : in.documents()) kinds.push_back(std::string(policy::to_string(d.input)) + ":" + d.kind + ":" + d.name);
    EXPECT_EQ(kinds, (std::vector<std::string>{
                         "kubernetes:Pod:bad", "kubernetes:ConfigMap:one", "kubernetes:ConfigMap:two",
                         "github-workflow:GitHubWorkflow:ci", "copilot:CopilotManifest:api",
                         "ansible:AnsiblePlay:", "ansible:AnsibleTask:ping", "dockerfile:Dockerfile:images/api.Dockerfile",
                         "dockerfile:Dockerfile:build-script"}));
    EXPECT_TRUE(in.parse_findings().empty());
    // Non-Kubernetes documents carry the synthetic object Kyverno policies match.
    const auto& wf = in.documents()[3];
    ASSERT_NE(wf.object, nullptr);
    EXPECT_EQ(wf.object->find("apiVersion")->text, "coconut.dev/v1");
    EXPECT_EQ(wf.object->find("kind")->text, "GitHubWorkflow");
    EXPECT_EQ(wf.object->find("spec"), wf.root);
    EXPECT_EQ(in.documents()[0].object_ref(), "Pod/team/bad");
}

TEST(PolicyInputs, BadInputIsAPositionedFinding) {
    auto binary = check_text("blob.yaml", std::string("apiVersion: v1\0\1\2", 17));
    ASSERT_EQ(of_rule(binary, policy::k_parse_rule).size(), 1u);
    EXPECT_EQ(binary[0].mark, (yaml::Mark{1, 1}));
    auto truncated = check_text("t.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n");
    ASSERT_FALSE(of_rule(truncated, policy::k_parse_rule).empty());
    EXPECT_GT(of_rule(truncated, policy::k_parse_rule)[0].mark.line, 1u);
    std::string deep = "a: ";
    for (int i = 0; i < 5000; ++i) deep += "[";
    auto nested = check_text("deep.yaml", deep);
    EXPECT_FALSE(of_rule(nested, policy::k_parse_rule).empty());
    auto unknown = check_text("notes.yaml", "just: some\nrandom: data\n");
    ASSERT_EQ(unknown.size(), 1u);
    EXPECT_EQ(unknown[0].severity, policy::Severity::Info);
}

TEST(PolicyInputs, WalksDirectoriesHonouringGitignore) {
    TempDir dir;
    dir.write(".gitignore", "build/\n*.generated.yaml\n!keep.generated.yaml\n/top-only.yaml\n");
    dir.write("k8s/pod.yaml", k_privileged_pod);
    dir.write("k8s/x.generated.yaml", k_privileged_pod);
    dir.write("k8s/keep.generated.yaml", k_privileged_pod);
    dir.write("top-only.yaml", k_privileged_pod);
    dir.write("sub/top-only.yaml", k_privileged_pod);
    dir.write("build/pod.yaml", k_privileged_pod);
    dir.write("sub/.gitignore", "ignored-here.yaml\n");
    dir.write("sub/ignored-here.yaml", k_privileged_pod);
    dir.write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    dir.write("chart/templates/deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }\n");
    dir.write("jinja/pod.yaml", std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: {{ name }\n---\n") + k_privileged_pod);
    dir.write("README", "not a dockerfile\n");
    dir.write("img/Containerfile", "FROM debian:12\nUSER 10001\n");
    dir.write(".git/config.yaml", k_privileged_pod);
    policy::Inputs in;
    ASSERT_TRUE(in.add_path(dir.path().string()).has_value());
    std::vector<std::string> files;
    for (const auto& d : in.documents()) files.push_back(d.file->path.substr(dir.path().string().size() + 1));
    // The templated file's second document parses and is checked.
    EXPECT_EQ(files, (std::vector<std::string>{"img/Containerfile", "jinja/pod.yaml", "k8s/keep.generated.yaml",
                                               "k8s/pod.yaml", "sub/top-only.yaml"}));
    // The chart's templates: one INPUT-HELM-TEMPLATE; the broken template outside a chart: one
    // info PARSE-ERROR (a template's syntax, not the user's error), never a silent skip.
    ASSERT_EQ(in.parse_findings().size(), 2u);
    EXPECT_EQ(in.parse_findings()[0].rule, policy::k_helm_template_rule);
    EXPECT_EQ(in.parse_findings()[1].rule, policy::k_parse_rule);
    EXPECT_EQ(in.parse_findings()[1].severity, policy::Severity::Info);
    EXPECT_FALSE(in.add_path((dir.path() / "missing").string()).has_value());
}

TEST(PolicySuppressions, ParseSuppressionText) {
    auto s = policy::parse_suppression(" K8S-A, K8S-B  -- because reasons ");
    EXPECT_EQ(s.rules, (std::vector<std::string>{"K8S-A", "K8S-B"}));
    EXPECT_EQ(s.reason, "because reasons");
    EXPECT_TRUE(policy::parse_suppression("K8S-A").reason.empty());
}

TEST(PolicySuppressions, AnnotationCommentSpecAndFlag) {
    const std::string annotated = std::string(k_privileged_pod)
                                      .replace(std::string(k_privileged_pod).find("  namespace: team\n"), 17,
                                               "  namespace: team\n  annotations:\n    coconut.dev/ignore: "
                                               "kube-linter:privileged-container -- CNI agent needs it");
    auto findings = check_text("a.yaml", annotated);
    auto privileged = of_rule(findings, "K8S-PRIVILEGED", true);
    ASSERT_EQ(privileged.size(), 1u);
    EXPECT_TRUE(privileged[0].suppressed);
    EXPECT_EQ(privileged[0].suppression, "annotation");
    EXPECT_EQ(privileged[0].suppression_reason, "CNI agent needs it");
    EXPECT_TRUE(of_rule(findings, policy::k_suppression_rule).empty());

    // A comment covers the block that follows it.
    const std::string commented = std::string(k_privileged_pod).replace(
        std::string(k_privileged_pod).find("      securityContext:"), 0, "      # coconut:ignore K8S-PRIVILEGED\n");
    findings = check_text("b.yaml", commented);
    ASSERT_EQ(of_rule(findings, "K8S-PRIVILEGED", true).size(), 1u);
    EXPECT_TRUE(of_rule(findings, "K8S-PRIVILEGED", true)[0].suppressed);
    auto no_reason = of_rule(findings, policy::k_suppression_rule);
    ASSERT_EQ(no_reason.size(), 1u) << "a suppression without a reason is itself a finding";
    EXPECT_EQ(no_reason[0].mark, (yaml::Mark{10, 7}));

    policy::CheckOptions options;
    options.exceptions.push_back({"K8S-PRIVILEGED", "Pod/team/*", "spec exception", "spec"});
    findings = check_text("c.yaml", k_privileged_pod, options);
    EXPECT_TRUE(of_rule(findings, "K8S-PRIVILEGED").empty());
    options.exceptions = {{"K8S-PRIVILEGED", "Pod/other/*", "elsewhere", "flag"}};
    findings = check_text("c.yaml", k_privileged_pod, options);
    EXPECT_EQ(of_rule(findings, "K8S-PRIVILEGED").size(), 1u);
}

TEST(PolicyEngine, BaselineProfileTurnsOffRestrictedControls) {
    policy::CheckOptions restricted;
    policy::CheckOptions baseline;
    baseline.profile = policy::PssLevel::Baseline;
    auto r = check_text("p.yaml", k_privileged_pod, restricted);
    auto b = check_text("p.yaml", k_privileged_pod, baseline);
    EXPECT_FALSE(of_rule(b, "K8S-PRIVILEGED").empty()) << "privileged is a baseline control";
    EXPECT_GT(r.size(), b.size());
    for (const auto& f : b) {
        const auto* rule = policy::RuleRegistry::instance().find(f.rule);
        ASSERT_NE(rule, nullptr);
        EXPECT_NE(rule->info().pss, policy::PssLevel::Restricted) << f.rule;
    }
}

TEST(PolicyReports, JsonContract) {
    auto findings = check_text("p.yaml", k_privileged_pod);
    auto summary = policy::report::summarize(findings, policy::Severity::High);
    auto j = policy::report::json(findings, summary);
    ASSERT_TRUE(j["findings"].is_array());
    bool found = false;
    for (const auto& f : j["findings"]) {
        for (const char* key : {"rule", "aliases", "severity", "file", "line", "column", "object", "message"})
            EXPECT_TRUE(f.contains(key)) << key;
        if (f["rule"] == "K8S-PRIVILEGED") {
            found = true;
            EXPECT_EQ(f["line"], 11);
            EXPECT_EQ(f["column"], 21);
            EXPECT_EQ(f["object"], "Pod/team/bad");
            EXPECT_EQ(f["file"], "p.yaml");
        }
    }
    EXPECT_TRUE(found);
    EXPECT_TRUE(j["summary"]["failed"].get<bool>());
}

TEST(PolicyReports, SarifAndJunitShape) {
    auto findings = check_text("k8s/p.yaml", k_privileged_pod);
    // Run in /repo/services of a repository at /repo: URIs are relative to the repository root.
    auto sarif = policy::report::sarif(findings, {"/repo/services", "/repo"});
    EXPECT_EQ(sarif["version"], "2.1.0");
    const auto& run = sarif["runs"][0];
    ASSERT_FALSE(run["results"].empty());
    const auto& first = run["results"][0];
    EXPECT_EQ(first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "services/k8s/p.yaml");
    const auto idx = first["ruleIndex"].get<std::size_t>();
    EXPECT_EQ(run["tool"]["driver"]["rules"][idx]["id"], first["ruleId"]);
    const auto summary = policy::report::summarize(findings, policy::Severity::Low);
    const std::string xml = policy::report::junit(findings, summary);
    EXPECT_NE(xml.find("<testsuites name=\"coconut check\" tests=\"" + std::to_string(summary.total) + "\""), std::string::npos);
    EXPECT_NE(xml.find("K8S-PRIVILEGED k8s/p.yaml:11:21"), std::string::npos);
}

// SARIF URIs are RFC 3986 relative references to the repository root, normalised and
// percent-encoded; files outside the root get absolute file: URIs (GitHub places both).
TEST(PolicyReports, SarifUrisAreRepositoryRelativeNormalisedAndEncoded) {
    const policy::report::SarifOptions o{"/repo/deploy", "/repo"};
    auto uri = [&](const std::string& file, bool want_relative) {
        bool relative = !want_relative;
        std::string u = policy::report::sarif_uri(file, o, relative);
        EXPECT_EQ(relative, want_relative) << file;
        return u;
    };
    EXPECT_EQ(uri("k8s/app.yaml", true), "deploy/k8s/app.yaml");
    EXPECT_EQ(uri("../x/../k8s/./app.yaml", true), "k8s/app.yaml");               // normalised
    EXPECT_EQ(uri("/repo/deploy/k8s/app.yaml", true), "deploy/k8s/app.yaml");    // absolute inside the root
    EXPECT_EQ(uri("/tmp/k8s/app.yaml", false), "file:///tmp/k8s/app.yaml");     // outside: absolute
    EXPECT_EQ(uri("my dir/a#b[1].yaml", true), "deploy/my%20dir/a%23b%5B1%5D.yaml");
    EXPECT_EQ(uri("caf\xe9.yaml", true), "deploy/caf%E9.yaml");                   // a Latin-1 byte, kept as a byte
    EXPECT_EQ(uri("a:b.yaml", true), "deploy/a%3Ab.yaml");                         // never read as a scheme
    auto sarif = policy::report::sarif(check_text("/tmp/p.yaml", k_privileged_pod), o);
    const auto& loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    EXPECT_EQ(loc["uri"], "file:///tmp/p.yaml");
    EXPECT_FALSE(loc.contains("uriBaseId"));
    EXPECT_EQ(sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
}

TEST(PolicyReports, ComplianceListsControlsAndTheirStatus) {
    auto findings = check_text("p.yaml", k_privileged_pod);
    auto report = policy::report::compliance("cis-k8s", findings);
    ASSERT_FALSE(report.controls.empty());
    bool failed_privileged = false;
    for (const auto& c : report.controls)
        if (std::find(c.rules.begin(), c.rules.end(), "K8S-PRIVILEGED") != c.rules.end()) failed_privileged = !c.passed();
    EXPECT_TRUE(failed_privileged);
    EXPECT_NE(policy::report::compliance_text(report, false).find("FAIL"), std::string::npos);
}

TEST(PolicyReports, RulesMarkdownHasEveryRule) {
    const std::string md = policy::report::rules_markdown();
    for (const auto* r : policy::RuleRegistry::instance().all())
        EXPECT_NE(md.find("### " + r->info().id + " "), std::string::npos) << r->info().id;
}

}  // namespace
