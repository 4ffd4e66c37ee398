// The copilot target: schedule translation, interpolation escapes, environment overrides, the
// generator's switches, and the table of specs Copilot would reject (tests/spec_errors/copilot_*).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "coconut/actions/check.hpp"
#include "coconut/generate/copilot/manifest.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/spec/targets/copilot.hpp"

namespace fs = std::filesystem;
namespace cop = coconut::generate::copilot;
using coconut::spec::load;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
    return s;
}

const char* const k_spec = R"(apiVersion: coconut.dev/v1
name: shop
services:
  web:
    type: web
    image: registry.example.com/shop/web:1.0.0
  worker:
    type: worker
    image: registry.example.com/shop/worker:1.0.0
    volumes:
      - {name: data, path: /data, size: 1Gi}
      - {name: tmp, path: /tmp}
environments:
  staging:
    services:
      worker:
        volumes: [{name: data, path: /data, size: 1Gi}]
targets:
  ecs: {copilot: true}
)";

}  // namespace

TEST(CopilotSchedule, PredefinedSchedulesWhereTheyMeanTheSame) {
    EXPECT_EQ(cop::schedule("0 0 * * *"), "@daily");
    EXPECT_EQ(cop::schedule("0  *  * * *"), "@hourly");
    EXPECT_EQ(cop::schedule("0 0 * * 0"), "@weekly");
    EXPECT_EQ(cop::schedule("0 0 1 * *"), "@monthly");
    EXPECT_EQ(cop::schedule("0 0 1 1 *"), "@yearly");
    EXPECT_EQ(cop::schedule("@midnight"), "@midnight");
    // 7 is Sunday too, but the preset is only taken for the exact text.
    EXPECT_EQ(cop::schedule("0 0 * * 7"), "cron(0 0 ? * 1 *)");
}

TEST(CopilotSchedule, EventBridgeCronOtherwise) {
    // The same translation as the ecs target's (spec::eventbridge; its own tests cover the rest).
    EXPECT_EQ(cop::schedule("0 3 * * *"), "cron(0 3 * * ? *)");
    EXPECT_EQ(cop::schedule("*/15 * * * *"), "cron(0/15 * * * ? *)");
    // Day-of-month steps survive (Copilot's own translation would turn */2 into *).
    EXPECT_EQ(cop::schedule("0 6 */2 * *"), "cron(0 6 1/2 * ? *)");
    EXPECT_EQ(cop::schedule("0 6 1,15 * ?"), "cron(0 6 1,15 * ? *)");
    // Day-of-week renumbered: standard 0-7 (0 and 7 Sunday) -> EventBridge 1-7 (1 Sunday).
    EXPECT_EQ(cop::schedule("0 9 * * 1-5"), "cron(0 9 ? * 2-6 *)");
    EXPECT_EQ(cop::schedule("30 1 * * 5-7"), "cron(30 1 ? * 1,6,7 *)");
    EXPECT_EQ(cop::schedule("0 9 ? * mon-fri"), "cron(0 9 ? * 2-6 *)");
    EXPECT_EQ(cop::schedule("0 9 1 jan *"), "cron(0 9 1 JAN ? *)");
    // A step in day-of-week is listed (EventBridge takes no step there).
    EXPECT_EQ(cop::schedule("0 3 * * */2"), "cron(0 3 ? * 1,3,5,7 *)");
}

TEST(CopilotSchedule, WhatEventBridgeCannotRun) {
    // Both day fields restricted: the ecs target check reports it; the generator writes nothing.
    EXPECT_FALSE(cop::schedule("0 3 1 * 1").has_value());
}

TEST(CopilotNames, BasicNameValidation) {
    using coconut::spec::copilot::name_problem;
    for (const char* ok : {"ab", "web", "api-gateway", "a1", "shop-2"}) EXPECT_FALSE(name_problem(ok).has_value()) << ok;
    for (const char* bad : {"", "a", "1a", "-ab", "ab-", "a--b", "Ab", "a_b", "a.b"})
        EXPECT_TRUE(name_problem(bad).has_value()) << bad;
    EXPECT_TRUE(name_problem(std::string(256, 'a')).has_value());
}

TEST(CopilotVariables, InterpolationIsEscaped) {
    EXPECT_EQ(cop::escape_interpolation("Hi ${name}"), "Hi \\${name}");
    EXPECT_EQ(cop::escape_interpolation("$HOME and $ {x} and ${"), "$HOME and $ {x} and \\${");
    // An escape already there gets one more: Copilot strips one backslash per `\${`.
    EXPECT_EQ(cop::escape_interpolation("\\${x}"), "\\\\${x}");
    using coconut::spec::copilot::reads_as_list;
    EXPECT_TRUE(reads_as_list(R"(["a", "b"])"));
    EXPECT_FALSE(reads_as_list("[1, 2]"));
    EXPECT_FALSE(reads_as_list("[]"));
    EXPECT_FALSE(reads_as_list("[a, b]"));   // not JSON
    EXPECT_FALSE(reads_as_list("plain"));
}

TEST(CopilotOverrides, OnlyWhatDiffers) {
    const cop::Json base = {{"count", {{"range", "2-10"}, {"cpu_percentage", 70}}},
                            {"variables", {{"A", "1"}, {"B", "2"}}},
                            {"cpu", 256}};
    const cop::Json env = {{"count", 1}, {"variables", {{"A", "1"}, {"B", "3"}, {"C", "4"}}}, {"cpu", 256}};
    const auto o = cop::overrides(base, env);
    EXPECT_EQ(o.changes, (cop::Json{{"count", 1}, {"variables", {{"B", "3"}, {"C", "4"}}}}));
    EXPECT_TRUE(o.removed.empty());
    const auto r = cop::overrides(env, {{"count", 1}, {"variables", {{"A", "1"}}}});
    EXPECT_EQ(r.removed, (std::vector<std::string>{"variables.B", "variables.C", "cpu"}));
}

TEST(CopilotGenerator, EnabledOnlyByTargetsEcsCopilot) {
    const auto* g = coconut::generate::Registry::instance().find("copilot");
    ASSERT_NE(g, nullptr);
    auto on = load(k_spec, "coconut.yaml");
    ASSERT_TRUE(on.ok());
    EXPECT_TRUE(g->enabled(on.spec.base()));
    auto off = load(replace_all(k_spec, "copilot: true", "copilot: false"), "coconut.yaml");
    ASSERT_TRUE(off.ok());
    EXPECT_FALSE(g->enabled(off.spec.base()));
    EXPECT_NE(std::string(g->enable_hint()).find("targets.ecs.copilot"), std::string::npos);
}

// Copilot deep-merges environment overrides: one cannot take a setting away. An environment
// that drops a volume fails generation with the reason instead of deploying the base's volume.
TEST(CopilotGenerator, EnvironmentRemovingASettingIsAnError) {
    auto loaded = load(k_spec, "coconut.yaml");
    ASSERT_TRUE(loaded.ok());
    std::vector<coconut::spec::Spec> envs;
    envs.push_back(*loaded.spec.resolve("staging"));
    coconut::generate::ArtifactSet out;
    auto r = coconut::generate::Registry::instance().find("copilot")->generate({loaded.spec.base(), envs}, out);
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("staging removes storage.volumes.tmp from service worker"), std::string::npos)
        << r.error().message;
}

// The service manifests carry every environment's overrides: a run with some environments only
// would write manifests without the others' settings.
TEST(CopilotGenerator, NeedsEveryEnvironment) {
    auto loaded = load(replace_all(k_spec, "volumes: [{name: data, path: /data, size: 1Gi}]", "env: {A: b}"),
                       "coconut.yaml");
    ASSERT_TRUE(loaded.ok());
    const auto* g = coconut::generate::Registry::instance().find("copilot");
    coconut::generate::ArtifactSet out;
    const std::vector<coconut::spec::Spec> none;
    auto r = g->generate({loaded.spec.base(), none}, out);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, coconut::util::ErrorCode::Usage);
    EXPECT_NE(r.error().message.find("environment staging was not given"), std::string::npos) << r.error().message;
    std::vector<coconut::spec::Spec> all{*loaded.spec.resolve("staging")};
    coconut::generate::ArtifactSet ok;
    ASSERT_TRUE(g->generate({loaded.spec.base(), all}, ok).has_value());
    ASSERT_NE(ok.find("copilot/worker/manifest.yml"), nullptr);
    EXPECT_NE(ok.find("copilot/worker/manifest.yml")->content.find("  staging:\n    variables:\n      A: b\n"),
              std::string::npos)
        << ok.find("copilot/worker/manifest.yml")->content;
}

// The table: every tests/spec_errors/copilot_*.yaml is a spec Copilot would reject. Each is
// rejected with positioned problems that all come from the copilot rules: with the target
// switched off (`copilot: false`) the same spec is valid.
TEST(CopilotSpecRules, EveryCopilotCaseIsRejectedOnlyBecauseOfCopilot) {
    const fs::path corpus = fs::path(COCONUT_SOURCE_DIR) / "tests" / "spec_errors";
    int cases = 0;
    for (const auto& e : fs::directory_iterator(corpus)) {
        const std::string name = e.path().filename().string();
        if (!name.starts_with("copilot_") || e.path().extension() != ".yaml") continue;
        SCOPED_TRACE(name);
        ++cases;
        const std::string text = read(e.path());
        ASSERT_NE(text.find("copilot: true"), std::string::npos);
        auto on = load(text, name);
        ASSERT_FALSE(on.problems.empty());
        for (const auto& p : on.problems) {
            EXPECT_GT(p.mark.line, 0u) << p.format();
            EXPECT_NE(p.path, "") << p.format();
            const bool names_copilot = p.message.find("Copilot") != std::string::npos ||
                                       p.message.find("ALB") != std::string::npos ||
                                       p.message.find("ECS") != std::string::npos;
            EXPECT_TRUE(names_copilot) << p.format();
        }
        auto off = load(replace_all(text, "copilot: true", "copilot: false"), name);
        std::string problems;
        for (const auto& p : off.problems) problems += p.format() + "\n";
        EXPECT_TRUE(off.problems.empty()) << problems;
    }
    EXPECT_GE(cases, 25);
}

// `coconut check` without a PATH checks the Copilot manifests of a spec that enables the target,
// and a `policies.exceptions` entry for a service covers copilot/<service>/: the shop example
// waives three COP rules for its worker, and exactly those are reported suppressed there.
TEST(CopilotCheck, GeneratedManifestsAreCheckedAndServiceExceptionsApply) {
    coconut::actions::CheckOptions options;
    options.spec_file = (fs::path(COCONUT_SOURCE_DIR) / "examples" / "shop" / "coconut.yaml").string();
    auto r = coconut::actions::CheckAction(options).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_TRUE(r->problems.empty());
    std::vector<std::string> suppressed;
    for (const auto& f : r->findings) {
        if (f.file.find("copilot/") == std::string::npos) continue;
        EXPECT_TRUE(f.suppressed) << f.file << ": " << f.rule << " " << f.message;
        if (f.suppressed && f.file.find("copilot/worker/manifest.yml") != std::string::npos) suppressed.push_back(f.rule);
    }
    std::sort(suppressed.begin(), suppressed.end());
    EXPECT_EQ(suppressed, (std::vector<std::string>{"COP-NO-HEALTHCHECK", "COP-PRODUCTION-SINGLE-TASK", "COP-READONLY-FS"}));
}

// The Ansible tree too: `coconut check` without a PATH reads the generated playbook and task
// files of a spec that enables the servers target (and only then).
TEST(CopilotCheck, GeneratedAnsibleTreeIsCheckedWhenTheServersTargetIsOn) {
    const std::string text = read(fs::path(COCONUT_SOURCE_DIR) / "examples" / "hello" / "coconut.yaml");
    const auto from = text.find("\n  servers:");
    ASSERT_NE(from, std::string::npos);
    const auto to = text.find('\n', text.find("service_manager:", from));
    ASSERT_NE(to, std::string::npos);
    const fs::path dir = fs::temp_directory_path() / ("coconut-check-ansible-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto run = [&](const std::string& spec) {
        std::ofstream(dir / "coconut.yaml") << spec;
        coconut::actions::CheckOptions options;
        options.spec_file = (dir / "coconut.yaml").string();
        auto r = coconut::actions::CheckAction(options).run();
        EXPECT_TRUE(r.has_value()) << r.error().message;
        std::set<std::string> ansible;
        for (const auto& f : r->findings)
            if (f.file.find("/ansible/") != std::string::npos) ansible.insert(f.file);
        return std::make_pair(r->summary.files, ansible);
    };
    const auto [with_files, with_findings] = run(text);
    const auto [without_files, without_findings] = run(text.substr(0, from) + text.substr(to));
    fs::remove_all(dir);
    // site.yml, the web and lb roles' tasks and handlers: at least 5 more files read.
    EXPECT_GE(with_files, without_files + 5) << with_files << " vs " << without_files;
    EXPECT_TRUE(with_findings.empty()) << *with_findings.begin();   // clean, and no INPUT-UNKNOWN noise
    EXPECT_TRUE(without_findings.empty());
}
