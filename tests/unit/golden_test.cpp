// Golden tests (DESIGN §11): tests/golden/<generator>/<case>/ holds the input spec and
// `expected/`, the exact tree the generator must produce for it (every environment of the spec
// resolved and passed in). Every file is compared byte for byte, and missing or extra files fail.
// The generators covered here are listed in k_generators (other generators may keep their own
// golden tests; add a name here to use this one).
//
// The input spec of a case is either `<case>/coconut.yaml`, or — for cases that track one of the
// repository's examples — a one-line file `<case>/source` holding the spec's path relative to the
// case directory (e.g. `../../../../examples/shop/coconut.yaml`): the example stays the single
// source of truth and any change to it shows up as a golden diff in review. The header comment
// always names "coconut.yaml", whatever the path, so outputs do not depend on the layout.
//
// COCONUT_UPDATE_GOLDEN=1 rewrites every expected/ tree instead of comparing; review the diff.
//
// For the kubernetes generator, every expected overlay is also built with the real
// `kubectl kustomize` when kubectl is installed (skipped otherwise, saying so).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"

namespace fs = std::filesystem;

namespace {

struct GoldenCase {
    std::string generator;   // directory under tests/golden, a registered generator name
    std::string name;        // case directory
    fs::path dir;
};

const std::vector<std::string> k_generators{"kubernetes", "helm"};

fs::path golden_root() { return fs::path(COCONUT_SOURCE_DIR) / "tests" / "golden"; }

std::vector<GoldenCase> discover() {
    std::vector<GoldenCase> out;
    for (const auto& gen : k_generators) {
        std::error_code ec;
        if (!fs::is_directory(golden_root() / gen, ec)) continue;
        for (const auto& c : fs::directory_iterator(golden_root() / gen)) {
            if (!c.is_directory()) continue;
            if (!fs::exists(c.path() / "coconut.yaml") && !fs::exists(c.path() / "source")) continue;
            out.push_back(GoldenCase{gen, c.path().filename().string(), c.path()});
        }
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

fs::path spec_path(const GoldenCase& c) {
    if (fs::exists(c.dir / "coconut.yaml")) return c.dir / "coconut.yaml";
    std::string rel = read_file(c.dir / "source");
    while (!rel.empty() && (rel.back() == '\n' || rel.back() == '\r' || rel.back() == ' ')) rel.pop_back();
    return (c.dir / rel).lexically_normal();
}

// path (relative, '/'-separated) -> content of every file under `root`.
std::map<std::string, std::string> read_tree(const fs::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        out.emplace(fs::relative(e.path(), root).generic_string(), read_file(e.path()));
    }
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
    const auto* generator = coconut::generate::Registry::instance().find(c.generator);
    ASSERT_TRUE(generator) << "tests/golden/" << c.generator << ": no generator of that name is registered";

    fs::path spec_file = spec_path(c);
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

    coconut::generate::ArtifactSet artifacts;
    auto r = generator->generate(coconut::generate::GenerateInput{base, envs, "coconut.yaml"}, artifacts);
    ASSERT_TRUE(r.has_value()) << r.error().message;

    const fs::path expected_dir = c.dir / "expected";
    const char* update = std::getenv("COCONUT_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        fs::remove_all(expected_dir);
        for (const auto* a : artifacts.all()) {
            fs::path p = expected_dir / a->path;
            fs::create_directories(p.parent_path());
            std::ofstream(p, std::ios::binary) << a->content;
        }
        GTEST_SKIP() << "rewrote " << expected_dir.string();
    }

    auto expected = read_tree(expected_dir);
    ASSERT_FALSE(expected.empty()) << expected_dir.string() << " is empty: run with COCONUT_UPDATE_GOLDEN=1";
    for (const auto* a : artifacts.all()) {
        auto it = expected.find(a->path);
        if (it == expected.end()) {
            ADD_FAILURE() << a->path << ": generated but not in expected/";
            continue;
        }
        if (it->second != a->content) ADD_FAILURE() << a->path << ": " << first_difference(it->second, a->content);
        expected.erase(it);
    }
    for (const auto& [path, _] : expected) ADD_FAILURE() << path << ": expected but not generated";
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(discover()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

// Every overlay of every kubernetes golden builds with the real kustomize (kubectl 1.32).
TEST(GoldenKustomize, OverlaysBuild) {
    if (std::system("kubectl version --client >/dev/null 2>&1") != 0) GTEST_SKIP() << "kubectl is not installed";
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
