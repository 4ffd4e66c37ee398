// `coconut check` (the real binary, COCONUT_BINARY) on a multi-document file whose first
// document does not parse: the error is a PARSE-ERROR finding, and the privileged pod in the
// document after it is still checked, so `--fail-on critical` fails the run (issue 9). Before,
// every document after a syntax error was dropped and the run exited 0.
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "coconut/platform/process_runner.hpp"
#include "coconut/util/fs.hpp"

namespace {

struct CheckRun {
    int exit_code = -1;
    nlohmann::json report;
    std::string err;
};

CheckRun check(const std::string& text, const std::string& name) {
    auto dir = coconut::util::TempDir::create("coconut-yaml-stream-");
    EXPECT_TRUE(dir.has_value());
    const auto file = dir->path() / name;
    std::ofstream(file, std::ios::binary) << text;
    coconut::platform::ProcessRunner runner;
    coconut::platform::Command cmd;
    cmd.argv = {COCONUT_BINARY, "check", file.string(), "--format", "json", "--fail-on", "critical"};
    cmd.timeout = std::chrono::seconds(60);
    auto r = runner.run(cmd);
    EXPECT_TRUE(r.has_value());
    CheckRun out;
    if (!r) return out;
    out.exit_code = r->exit_code;
    out.err = r->err;
    out.report = nlohmann::json::parse(r->out, nullptr, false);
    return out;
}

// (rule, line) of every finding
std::vector<std::pair<std::string, int>> findings(const nlohmann::json& report) {
    std::vector<std::pair<std::string, int>> out;
    if (!report.is_object() || !report.contains("findings")) return out;
    for (const auto& f : report["findings"]) out.emplace_back(f["rule"].get<std::string>(), f["line"].get<int>());
    return out;
}

bool has(const std::vector<std::pair<std::string, int>>& list, const std::string& rule, int line) {
    for (const auto& [r, l] : list)
        if (r == rule && l == line) return true;
    return false;
}

const std::string k_privileged_pod =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: root-pod\n"
    "spec:\n"
    "  containers:\n"
    "    - name: app\n"
    "      image: registry.example.com/app:1.0.0\n"
    "      securityContext:\n"
    "        privileged: true\n";

}  // namespace

TEST(YamlCheckStream, PrivilegedPodAfterABrokenDocumentIsStillFound) {
    // line 4: a genuine syntax error (a mapping value inside a plain scalar)
    const std::string text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b: c\n---\n" + k_privileged_pod;
    const CheckRun run = check(text, "stream.yaml");
    const auto list = findings(run.report);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_TRUE(has(list, "PARSE-ERROR", 4)) << run.report.dump(1);
    // the pod begins on line 6; `privileged: true` is on line 15
    EXPECT_TRUE(has(list, "K8S-PRIVILEGED", 15)) << run.report.dump(1);
}

TEST(YamlCheckStream, KubectlStyleFlowIndentationIsCheckedNotAParseError) {
    // issue 9's first example in a pod that also runs privileged: no PARSE-ERROR, and the pod
    // is checked.
    std::string pod = k_privileged_pod;
    pod += "      command: [\n        \"nginx\",\n        \"-g\",\n        \"daemon off;\"\n      ]\n";
    const CheckRun run = check(pod, "flow.yaml");
    const auto list = findings(run.report);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    for (const auto& [rule, line] : list) EXPECT_NE(rule, "PARSE-ERROR") << "line " << line;
    EXPECT_TRUE(has(list, "K8S-PRIVILEGED", 10)) << run.report.dump(1);
}
