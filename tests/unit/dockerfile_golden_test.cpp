// Golden tests of the `dockerfile` generator: every tests/golden/dockerfile/<case>/coconut.yaml (or
// the example spec named in <case>/source) is loaded with spec::load_file, only the dockerfile
// generator runs, and its files must equal <case>/expected/ byte for byte (and no file may be
// missing or extra).
//
// After an intended change: COCONUT_UPDATE_GOLDEN=1 ./coconut_tests --gtest_filter='*DockerfileGolden*'
// rewrites the expected trees; review them with `git diff tests/golden/dockerfile`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "coconut/generate/dockerfile/dockerfile_generator.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path k_golden_root = fs::path(COCONUT_SOURCE_DIR) / "tests/golden/dockerfile";

std::vector<std::string> golden_cases() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(k_golden_root, ec))
        if (e.is_directory() && (fs::exists(e.path() / "coconut.yaml") || fs::exists(e.path() / "source")))
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The case's spec: <case>/coconut.yaml, or the path (relative to the case) in <case>/source, for
// cases that track one of the repository's examples.
fs::path spec_of(const fs::path& dir) {
    if (fs::exists(dir / "coconut.yaml")) return dir / "coconut.yaml";
    std::string rel = slurp(dir / "source");
    while (!rel.empty() && (rel.back() == '\n' || rel.back() == '\r' || rel.back() == ' ')) rel.pop_back();
    return (dir / rel).lexically_normal();
}

bool update_golden() {
    const char* v = std::getenv("COCONUT_UPDATE_GOLDEN");
    return v && std::string(v) == "1";
}

// relative path -> content of every file under dir (dot files included).
std::map<std::string, std::string> read_tree(const fs::path& dir) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            files[fs::relative(e.path(), dir).generic_string()] = slurp(e.path());
    return files;
}

class DockerfileGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DockerfileGolden, MatchesExpected) {
    const fs::path dir = k_golden_root / GetParam();
    auto loaded = coconut::spec::load_file(spec_of(dir).string());
    ASSERT_TRUE(loaded.ok()) << (loaded.problems.empty() ? "" : loaded.problems.front().format());

    const auto* gen = coconut::generate::Registry::instance().find("dockerfile");
    ASSERT_NE(gen, nullptr);
    std::vector<coconut::spec::Spec> envs;
    coconut::generate::GenerateInput input{loaded.spec.base(), envs, "coconut.yaml"};
    coconut::generate::ArtifactSet out;
    auto r = gen->generate(input, out);
    ASSERT_TRUE(r.has_value()) << r.error().message;

    std::map<std::string, std::string> got;
    for (const auto* a : out.all()) got[a->path] = a->content;
    const fs::path expected_dir = dir / "expected";

    if (update_golden()) {
        fs::remove_all(expected_dir);
        fs::create_directories(expected_dir);
        for (const auto& [path, content] : got) {
            fs::create_directories((expected_dir / path).parent_path());
            std::ofstream(expected_dir / path, std::ios::binary) << content;
        }
        GTEST_SKIP() << "rewrote " << expected_dir;
    }

    const auto expected = read_tree(expected_dir);
    for (const auto& [path, content] : expected) {
        auto it = got.find(path);
        if (it == got.end()) {
            ADD_FAILURE() << GetParam() << ": expected file not generated: " << path;
            continue;
        }
        EXPECT_EQ(it->second, content) << GetParam() << ": " << path
                                       << " differs (COCONUT_UPDATE_GOLDEN=1 rewrites the golden files)";
    }
    for (const auto& [path, _] : got)
        EXPECT_TRUE(expected.count(path)) << GetParam() << ": unexpected generated file " << path;

    // Deterministic: a second run gives the same bytes.
    coconut::generate::ArtifactSet again;
    ASSERT_TRUE(gen->generate(input, again).has_value());
    ASSERT_EQ(again.size(), out.size());
    for (const auto* a : again.all()) EXPECT_EQ(a->content, got[a->path]) << a->path;
}

INSTANTIATE_TEST_SUITE_P(Cases, DockerfileGolden, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(DockerfileGoldenCases, EveryPresetHasACase) {
    // node, python, go, java, static and dockerfile (in "mixed") must all be covered.
    std::string all;
    for (const auto& c : golden_cases()) all += slurp(spec_of(k_golden_root / c));
    for (const char* runtime : {"runtime: node", "runtime: python", "runtime: go", "runtime: java", "runtime: static",
                                "runtime: dockerfile"})
        EXPECT_NE(all.find(runtime), std::string::npos) << "no golden case uses " << runtime;
}

}  // namespace
