// Output trees (issue 8): generate records the roots it owns in the output directory and removes
// the ones it no longer produces; a failure at any step leaves the previous tree whole.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "coconut/actions/generate.hpp"
#include "coconut/util/fs.hpp"

namespace fs = std::filesystem;
using coconut::actions::GenerateAction;
using coconut::actions::GenerateOptions;
using coconut::actions::OwnedRoot;

namespace {

fs::path fresh_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("coconut-output-tree-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every regular file under `dir` (relative path -> content), for before/after comparisons.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).generic_string()] = slurp(e.path());
    return out;
}

const char* k_spec_two_envs = R"(apiVersion: coconut.dev/v1
name: shop
services:
  web:
    type: web
    port: 8080
    build: {context: ./web, runtime: node, version: "20"}
  api:
    type: backend
    port: 9000
    build: {context: ./api, runtime: node, version: "20"}
environments:
  staging: {}
  qa: {}
)";

const char* k_spec_one_env = R"(apiVersion: coconut.dev/v1
name: shop
services:
  web:
    type: web
    port: 8080
    build: {context: ./web, runtime: node, version: "20"}
environments:
  staging: {}
)";

coconut::util::Expected<coconut::actions::GenerateResult> generate(const fs::path& spec, const fs::path& out,
                                                                   std::vector<std::string> envs = {},
                                                                   std::vector<std::string> targets = {}) {
    GenerateOptions o;
    o.file = spec.string();
    o.output_dir = out.string();
    o.environments = std::move(envs);
    o.targets = std::move(targets);
    return GenerateAction(o).run();
}

}  // namespace

TEST(OutputTree, RemovesRootsOfRemovedEnvironmentsAndServices) {
    const fs::path dir = fresh_dir("remove");
    const fs::path spec = dir / "coconut.yaml";
    const fs::path out = dir / "deploy";
    write(spec, k_spec_two_envs);
    auto first = generate(spec, out, {}, {"kubernetes", "dockerfile"});
    ASSERT_TRUE(first) << first.error().message;
    ASSERT_TRUE(first->problems.empty());
    ASSERT_TRUE(fs::exists(out / "k8s/overlays/qa/kustomization.yaml"));
    ASSERT_TRUE(fs::exists(out / "docker/api/Dockerfile"));
    ASSERT_TRUE(fs::exists(out / coconut::actions::k_owned_roots_file));
    write(out / "notes.txt", "mine");   // a user's file outside the roots

    write(spec, k_spec_one_env);        // qa and api are gone
    auto second = generate(spec, out, {}, {"kubernetes", "dockerfile"});
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_FALSE(fs::exists(out / "k8s/overlays/qa"));
    EXPECT_FALSE(fs::exists(out / "docker/api"));
    EXPECT_TRUE(fs::exists(out / "k8s/overlays/staging/kustomization.yaml"));
    EXPECT_TRUE(fs::exists(out / "docker/web/Dockerfile"));
    EXPECT_EQ(slurp(out / "notes.txt"), "mine");
    EXPECT_EQ(second->removed, (std::vector<std::string>{"docker/api", "k8s/overlays/qa"}));
    for (const auto& e : fs::directory_iterator(out))
        EXPECT_EQ(e.path().filename().string().rfind(".coconut-tmp", 0), std::string::npos) << e.path();
}

TEST(OutputTree, LeavesRootsOfTargetsAndEnvironmentsNotRun) {
    const fs::path dir = fresh_dir("scoped");
    const fs::path spec = dir / "coconut.yaml";
    const fs::path out = dir / "deploy";
    write(spec, k_spec_two_envs);
    ASSERT_TRUE(generate(spec, out, {}, {"kubernetes", "dockerfile"}));
    // Only staging, only kubernetes: qa's overlay and docker/ stay (and stay recorded).
    auto r = generate(spec, out, {"staging"}, {"kubernetes"});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->removed.empty());
    EXPECT_TRUE(fs::exists(out / "k8s/overlays/qa/kustomization.yaml"));
    EXPECT_TRUE(fs::exists(out / "docker/api/Dockerfile"));
    // A full run later still knows them: removing qa from the spec removes its overlay.
    write(spec, k_spec_one_env);
    auto full = generate(spec, out, {}, {"kubernetes", "dockerfile"});
    ASSERT_TRUE(full);
    EXPECT_FALSE(fs::exists(out / "k8s/overlays/qa"));
    EXPECT_FALSE(fs::exists(out / "docker/api"));
}

TEST(OutputTree, DryRunReportsButRemovesNothing) {
    const fs::path dir = fresh_dir("dry");
    const fs::path spec = dir / "coconut.yaml";
    const fs::path out = dir / "deploy";
    write(spec, k_spec_two_envs);
    ASSERT_TRUE(generate(spec, out, {}, {"kubernetes"}));
    write(spec, k_spec_one_env);
    GenerateOptions o;
    o.file = spec.string();
    o.output_dir = out.string();
    o.targets = {"kubernetes"};
    o.dry_run = true;
    auto r = GenerateAction(o).run();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->removed, std::vector<std::string>{"k8s/overlays/qa"});
    EXPECT_TRUE(fs::exists(out / "k8s/overlays/qa/kustomization.yaml"));
}

TEST(OutputTree, OwnedRootsFileIsValidatedBeforeAnythingIsRemoved) {
    using coconut::actions::parse_owned_roots;
    EXPECT_TRUE(parse_owned_roots(R"({"roots":[{"path":"k8s/base","target":"kubernetes"}]})"));
    for (const char* bad : {R"({"roots":[{"path":"../etc","target":"kubernetes"}]})",
                            R"({"roots":[{"path":"/etc","target":"kubernetes"}]})",
                            R"({"roots":[{"path":"a/../../b","target":"kubernetes"}]})",
                            R"({"roots":[{"path":"","target":"kubernetes"}]})",
                            R"({"roots":[{"path":".","target":"kubernetes"}]})",
                            R"({"roots":[{"path":"k8s","target":3}]})", R"([1,2])", "not json"})
        EXPECT_FALSE(parse_owned_roots(bad)) << bad;

    // A tampered file is a warning; nothing outside what this run writes is touched.
    const fs::path dir = fresh_dir("tampered");
    const fs::path spec = dir / "coconut.yaml";
    const fs::path out = dir / "deploy";
    write(spec, k_spec_one_env);
    write(dir / "precious/keep.txt", "keep");
    write(out / coconut::actions::k_owned_roots_file, R"({"roots":[{"path":"../precious","target":"kubernetes"}]})");
    auto r = generate(spec, out, {}, {"kubernetes"});
    ASSERT_TRUE(r);
    EXPECT_EQ(slurp(dir / "precious/keep.txt"), "keep");
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_NE(r->warnings[0].find("unsafe root path"), std::string::npos) << r->warnings[0];
}

TEST(OutputTree, PlanKeepsOtherTargetsAndSkippedEnvironments) {
    using coconut::actions::plan_owned_roots;
    const std::vector<OwnedRoot> previous = {{"chart", "helm", ""},
                                             {"k8s/base", "kubernetes", ""},
                                             {"k8s/overlays/prod", "kubernetes", "prod"},
                                             {"k8s/overlays/qa", "kubernetes", "qa"},
                                             {"k8s/overlays/old", "kubernetes", "old"}};
    const std::vector<OwnedRoot> produced = {{"k8s/base", "kubernetes", ""}, {"k8s/overlays/qa", "kubernetes", "qa"}};
    auto plan = plan_owned_roots(previous, produced, {"kubernetes"}, {"qa"}, {"prod", "qa"});
    // old: not in the spec any more; prod: in the spec but not generated this run (kept).
    EXPECT_EQ(plan.remove, std::vector<std::string>{"k8s/overlays/old"});
    std::vector<std::string> kept;
    for (const auto& r : plan.keep) kept.push_back(r.path);
    EXPECT_EQ(kept, (std::vector<std::string>{"chart", "k8s/base", "k8s/overlays/prod", "k8s/overlays/qa"}));
}

// Make the N-th rename fail, for every N: the previous tree must survive whole each time.
TEST(OutputTree, AFailureAtAnyMoveLeavesThePreviousTreeWhole) {
    const fs::path dir = fresh_dir("faults");
    ASSERT_TRUE(coconut::util::write_tree_atomic(
        dir, {{"k8s/base/a.yaml", "a1"}, {"k8s/overlays/qa/k.yaml", "qa1"}, {"k8s/overlays/prod/k.yaml", "p1"}, {"top.txt", "t1"}},
        {"k8s/base", "k8s/overlays/qa", "k8s/overlays/prod"}));
    const auto before = snapshot(dir);
    const std::vector<std::pair<std::string, std::string>> next = {
        {"k8s/base/a.yaml", "a2"}, {"k8s/overlays/prod/k.yaml", "p2"}, {"top.txt", "t2"}, {"new.txt", "n2"}};
    int moves = 0;
    for (int fail_at = 1;; ++fail_at) {
        int count = 0;
        const coconut::util::RenameFn rename = [&](const fs::path& from, const fs::path& to, std::error_code& ec) {
            if (++count == fail_at) {
                ec = std::make_error_code(std::errc::io_error);
                return;
            }
            fs::rename(from, to, ec);
        };
        auto r = coconut::util::write_tree_atomic(dir, next, {"k8s/base", "k8s/overlays/prod"}, {"k8s/overlays/qa"}, rename);
        if (r) {
            moves = count;
            break;
        }
        SCOPED_TRACE("failing move " + std::to_string(fail_at));
        EXPECT_NE(r.error().message.find("nothing was changed"), std::string::npos) << r.error().message;
        EXPECT_EQ(snapshot(dir), before);
        for (const auto& e : fs::directory_iterator(dir))
            EXPECT_EQ(e.path().filename().string().rfind(".coconut-", 0), std::string::npos) << e.path();
    }
    EXPECT_GE(moves, 7);   // 3 roots aside, 2 in, top.txt aside + in, new.txt in
    EXPECT_EQ(slurp(dir / "k8s/base/a.yaml"), "a2");
    EXPECT_EQ(slurp(dir / "top.txt"), "t2");
    EXPECT_FALSE(fs::exists(dir / "k8s/overlays/qa"));
}

// Targets the spec does not enable are skipped by a plain `generate` and refused when named.
TEST(OutputTree, TargetsTheSpecDoesNotEnableAreSkippedOrRefusedWithTheWayToEnableThem) {
    const fs::path dir = fresh_dir("enable");
    const fs::path spec = dir / "coconut.yaml";
    write(spec, k_spec_one_env);   // no targets block: kubernetes, helm, dockerfile only
    auto all = generate(spec, dir / "out");
    ASSERT_TRUE(all) << all.error().message;
    for (const char* t : {"ecs", "copilot", "ansible"})
        EXPECT_EQ(std::count(all->targets.begin(), all->targets.end(), t), 0) << t;
    EXPECT_EQ(std::count(all->targets.begin(), all->targets.end(), "kubernetes"), 1);
    EXPECT_FALSE(fs::exists(dir / "out" / "ecs"));
    for (const auto& [target, hint] : std::vector<std::pair<std::string, std::string>>{
             {"ecs", "targets.ecs"}, {"copilot", "targets.ecs.copilot: true"}}) {
        auto refused = generate(spec, dir / "out2", {}, {target});
        ASSERT_FALSE(refused) << target;
        EXPECT_EQ(refused.error().code, coconut::util::ErrorCode::Usage);
        EXPECT_NE(refused.error().message.find("target " + target + " is not enabled"), std::string::npos)
            << refused.error().message;
        EXPECT_NE(refused.error().message.find(hint), std::string::npos) << refused.error().message;
    }
    EXPECT_FALSE(fs::exists(dir / "out2"));
}

// A Copilot service manifest holds every environment's overrides: `generate --env staging`
// still writes them all (a subset would drop production's settings from the file).
TEST(OutputTree, CopilotManifestsKeepEveryEnvironmentUnderEnv) {
    const fs::path dir = fresh_dir("copilot-env");
    const fs::path spec = dir / "coconut.yaml";
    write(spec, std::string(k_spec_two_envs) + "targets:\n  ecs: {copilot: true}\n");
    auto r = generate(spec, dir / "out", {"staging"}, {"copilot"});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(r->problems.empty()) << r->problems[0].format();
    const std::string web = slurp(dir / "out" / "copilot" / "web" / "manifest.yml");
    EXPECT_NE(web.find("\n  staging:"), std::string::npos) << web;
    EXPECT_NE(web.find("\n  qa:"), std::string::npos) << web;
}
