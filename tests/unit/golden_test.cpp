// Golden tests of every generator (DESIGN §11). The generators are the registry's, not a list
// kept here: every generator in generate::Registry must have at least one case under
// tests/golden/<generator name>/<case>/, and every directory under tests/golden/ must name a
// registered generator.
//
// A case is `<case>/coconut.yaml` (or, for cases that track one of the repository's examples, a
// one-line file `<case>/source` holding the spec's path relative to the case directory, e.g.
// `../../../../examples/shop/coconut.yaml`: the example stays the single source of truth and any
// change to it shows up as a golden diff in review) plus `<case>/expected/`, the exact tree the
// generator must produce for it, every environment of the spec resolved and passed in (as
// `coconut generate` does). The header comment always names "coconut.yaml", whatever the path,
// so outputs do not depend on the layout. Each case FAILS when:
//   - the case has no spec, no expected/ or an empty expected/;
//   - a file is generated but not expected, expected but not generated, or differs (the first
//     differing line is shown);
//   - a second run of the generator gives other bytes (generators are deterministic).
//
// After an intended change:
//   COCONUT_UPDATE_GOLDEN=1 ./build/coconut_tests --gtest_filter='*Golden*'
// rewrites every expected/ tree that differs and reports each rewritten case as SKIPPED (never
// passed: ctest lists it under "did not run"), then review with `git diff tests/golden` and run
// again without the variable. With CI=true the variable is refused (the Makefile refuses first).
//
// For the kubernetes generator, every expected overlay is also built with the real
// `kubectl kustomize` when kubectl is installed (skipped otherwise, saying so). The dockerfile
// cases must cover every build runtime preset between them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"

namespace fs = std::filesystem;

namespace {

struct GoldenCase {
    std::string generator;   // a registered generator name = directory under tests/golden
    std::string name;        // case directory
    fs::path dir;
};

fs::path golden_root() { return fs::path(COCONUT_SOURCE_DIR) / "tests" / "golden"; }

std::string rel(const fs::path& p) { return fs::relative(p, COCONUT_SOURCE_DIR).generic_string(); }

bool env_is(const char* name, std::initializer_list<const char*> values) {
    const char* v = std::getenv(name);
    if (!v) return false;
    return std::any_of(values.begin(), values.end(), [&](const char* x) { return std::string(v) == x; });
}

bool update_mode() { return env_is("COCONUT_UPDATE_GOLDEN", {"1"}); }
bool in_ci() { return env_is("CI", {"true", "1"}); }

std::vector<std::string> registered_generators() {
    std::vector<std::string> out;
    for (const auto* g : coconut::generate::Registry::instance().all()) out.emplace_back(g->name());
    return out;
}

// The case directories of every registered generator, sorted. Directories without a spec are
// included (the test then fails for them) so that a half-made case is never silently ignored.
std::vector<GoldenCase> discover() {
    std::vector<GoldenCase> out;
    for (const auto& gen : registered_generators()) {
        std::error_code ec;
        for (fs::directory_iterator it(golden_root() / gen, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory()) out.push_back(GoldenCase{gen, it->path().filename().string(), it->path()});
    }
    std::sort(out.begin(), out.end(), [](const GoldenCase& a, const GoldenCase& b) {
        return std::tie(a.generator, a.name) < std::tie(b.generator, b.name);
    });
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The case's spec, or an empty path when it has neither coconut.yaml nor source.
fs::path spec_path(const fs::path& dir) {
    if (fs::exists(dir / "coconut.yaml")) return dir / "coconut.yaml";
    if (!fs::exists(dir / "source")) return {};
    std::string p = read_file(dir / "source");
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r' || p.back() == ' ')) p.pop_back();
    return (dir / p).lexically_normal();
}

// path (relative, '/'-separated) -> content of every file under `root` (dot files included).
std::map<std::string, std::string> read_tree(const fs::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) out.emplace(fs::relative(e.path(), root).generic_string(), read_file(e.path()));
    return out;
}

// "line N: expected `...`, got `...`" for the first differing line.
std::string first_difference(const std::string& expected, const std::string& actual) {
    std::istringstream e(expected), a(actual);
    std::string le, la;
    for (int line = 1;; ++line) {
        bool he = static_cast<bool>(std::getline(e, le));
        bool ha = static_cast<bool>(std::getline(a, la));
        if (!he && !ha) return "differs only in the final newline";
        if (!he || !ha || le != la)
            return "line " + std::to_string(line) + ": expected `" + (he ? le : "<end>") + "`, got `" + (ha ? la : "<end>") + "`";
    }
}

// Runs the case's generator on its spec, every environment resolved. Fatal failures on error.
void generate_case(const GoldenCase& c, std::map<std::string, std::string>& files) {
    const auto* generator = coconut::generate::Registry::instance().find(c.generator);
    ASSERT_TRUE(generator) << "tests/golden/" << c.generator << ": no generator of that name is registered";
    const fs::path spec_file = spec_path(c.dir);
    ASSERT_FALSE(spec_file.empty()) << rel(c.dir) << ": no coconut.yaml (or `source` file naming the spec) in the case";

    auto loaded = coconut::spec::load_file(spec_file.string());
    std::string problems;
    for (const auto& p : loaded.problems) problems += p.format() + "\n";
    ASSERT_TRUE(loaded.ok()) << problems;
    const auto& base = loaded.spec.base();
    std::vector<coconut::spec::Spec> envs;
    for (const auto& e : base.environments) {
        auto r = loaded.spec.resolve(e);
        ASSERT_TRUE(r.has_value()) << r.error().message;
        envs.push_back(std::move(*r));
    }
    const coconut::generate::GenerateInput input{base, envs, "coconut.yaml"};

    coconut::generate::ArtifactSet artifacts;
    auto r = generator->generate(input, artifacts);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    for (const auto* a : artifacts.all()) files.emplace(a->path, a->content);

    // Deterministic: a second run gives the same bytes.
    coconut::generate::ArtifactSet again;
    auto r2 = generator->generate(input, again);
    ASSERT_TRUE(r2.has_value()) << r2.error().message;
    ASSERT_EQ(again.size(), artifacts.size()) << "a second run generated another number of files";
    for (const auto* a : again.all())
        EXPECT_EQ(a->content, files[a->path]) << a->path << ": a second run generated other bytes";
}

// Rewrites `expected_dir` to hold exactly `files`, touching only what differs; returns the number
// of files written or removed.
int update_expected(const fs::path& expected_dir, const std::map<std::string, std::string>& files) {
    int changed = 0;
    const auto before = read_tree(expected_dir);
    for (const auto& [path, content] : files) {
        auto it = before.find(path);
        if (it != before.end() && it->second == content) continue;
        const fs::path p = expected_dir / path;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
        ++changed;
    }
    for (const auto& [path, _] : before)
        if (!files.count(path)) {
            fs::remove(expected_dir / path);
            ++changed;
        }
    // Directories left empty by removed files.
    std::vector<fs::path> dirs;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(expected_dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory()) dirs.push_back(it->path());
    std::sort(dirs.rbegin(), dirs.rend());   // deepest first
    for (const auto& d : dirs)
        if (fs::is_empty(d, ec)) fs::remove(d, ec);
    return changed;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.generator << "/" << c.name; }

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& info) {
    std::string n = info.param.generator + "_" + info.param.name;
    for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return n;
}

}  // namespace

TEST_P(Golden, MatchesExpectedTree) {
    const GoldenCase& c = GetParam();
    std::map<std::string, std::string> generated;
    generate_case(c, generated);
    if (HasFatalFailure()) return;

    const fs::path expected_dir = c.dir / "expected";
    if (update_mode()) {
        ASSERT_FALSE(in_ci()) << "COCONUT_UPDATE_GOLDEN=1 with CI=true: goldens are never rewritten in CI";
        const int n = update_expected(expected_dir, generated);
        GTEST_SKIP() << "updated " << n << " files under " << rel(expected_dir)
                     << "; review with git diff and re-run without COCONUT_UPDATE_GOLDEN";
    }

    std::error_code ec;
    ASSERT_TRUE(fs::is_directory(expected_dir, ec))
        << rel(expected_dir) << " does not exist: create it with COCONUT_UPDATE_GOLDEN=1 and review it";
    auto expected = read_tree(expected_dir);
    ASSERT_FALSE(expected.empty()) << rel(expected_dir) << " is empty: create it with COCONUT_UPDATE_GOLDEN=1 and review it";
    for (const auto& [path, content] : generated) {
        auto it = expected.find(path);
        if (it == expected.end()) {
            ADD_FAILURE() << rel(expected_dir / path) << ": generated but not in expected/";
            continue;
        }
        if (it->second != content) ADD_FAILURE() << rel(expected_dir / path) << ": " << first_difference(it->second, content);
        expected.erase(it);
    }
    for (const auto& [path, _] : expected) ADD_FAILURE() << rel(expected_dir / path) << ": expected but not generated";
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(discover()), case_name);
// No case at all is reported by GoldenCoverage below, with a clearer message.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

// Every registered generator has cases; every directory under tests/golden is a generator.
TEST(GoldenCoverage, EveryRegisteredGeneratorHasCases) {
    const auto generators = registered_generators();
    ASSERT_FALSE(generators.empty()) << "no generator is registered";
    const auto cases = discover();
    for (const auto& gen : generators) {
        const auto n = std::count_if(cases.begin(), cases.end(), [&](const GoldenCase& c) { return c.generator == gen; });
        EXPECT_GT(n, 0) << "generator '" << gen << "' is registered but has no golden case: add tests/golden/" << gen
                        << "/<case>/{coconut.yaml, expected/}";
    }
    const std::set<std::string> known(generators.begin(), generators.end());
    std::error_code ec;
    for (fs::directory_iterator it(golden_root(), ec), end; !ec && it != end; it.increment(ec))
        EXPECT_TRUE(it->is_directory() && known.count(it->path().filename().string()))
            << rel(it->path()) << " names no registered generator (registered: " << ::testing::PrintToString(generators)
            << ")";
    EXPECT_FALSE(ec) << rel(golden_root()) << ": " << ec.message();
}

// The dockerfile cases cover every build runtime preset between them.
TEST(GoldenCoverage, DockerfileCasesCoverEveryRuntime) {
    std::string all;
    for (const auto& c : discover())
        if (c.generator == "dockerfile" && !spec_path(c.dir).empty()) all += read_file(spec_path(c.dir));
    for (const char* runtime : {"runtime: node", "runtime: python", "runtime: go", "runtime: java", "runtime: static",
                                "runtime: dockerfile"})
        EXPECT_NE(all.find(runtime), std::string::npos) << "no tests/golden/dockerfile case uses " << runtime;
}

// Every overlay of every kubernetes golden builds with the real kustomize (kubectl 1.32).
TEST(GoldenKustomize, OverlaysBuild) {
    if (std::system("kubectl version --client >/dev/null 2>&1") != 0) {
        // In CI every tool is installed (scripts/setup-deps.sh): nothing may be skipped there.
        if (in_ci()) FAIL() << "kubectl is not installed (CI=true: run scripts/setup-deps.sh)";
        GTEST_SKIP() << "kubectl is not installed";
    }
    int built = 0;
    for (const auto& c : discover()) {
        if (c.generator != "kubernetes") continue;
        // Each overlay builds the base too; the base alone only when there is no overlay.
        std::vector<fs::path> dirs;
        std::error_code ec;
        if (fs::is_directory(c.dir / "expected" / "k8s" / "overlays", ec))
            for (const auto& e : fs::directory_iterator(c.dir / "expected" / "k8s" / "overlays")) dirs.push_back(e.path());
        if (dirs.empty()) dirs.push_back(c.dir / "expected" / "k8s" / "base");
        std::sort(dirs.begin(), dirs.end());
        for (const auto& d : dirs) {
            if (!fs::exists(d / "kustomization.yaml")) continue;
            std::string cmd = "kubectl kustomize '" + d.string() + "' 2>&1 >/dev/null";
            FILE* p = popen(cmd.c_str(), "r");
            ASSERT_TRUE(p);
            std::string err;
            char buf[512];
            while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) err.append(buf, n);
            int status = pclose(p);
            EXPECT_EQ(status, 0) << "kubectl kustomize " << d.string() << ":\n" << err;
            EXPECT_EQ(err, "") << "kubectl kustomize " << d.string() << " warned";
            ++built;
        }
    }
    if (built == 0) GTEST_SKIP() << "no kubernetes goldens";
}
