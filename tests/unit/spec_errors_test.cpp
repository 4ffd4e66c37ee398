// The broken-spec corpus: tests/spec_errors/<case>.yaml holds a broken coconut.yaml and
// <case>.expected the exact problems coconut must report for it, one formatted line each
// (`FILE:LINE:COL: error: PATH: message`, FILE being the case file's name). Every problem is
// reported at once, in file order.
//
// To add a case: write <case>.yaml, run the tests, check every position and message by hand,
// then write <case>.expected. COCONUT_UPDATE_GOLDEN=1 writes the .expected files from the
// current output (review the diff before committing).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "coconut/spec/load.hpp"

namespace fs = std::filesystem;
using coconut::spec::load;

namespace {

const fs::path k_corpus = fs::path(COCONUT_SOURCE_DIR) / "tests" / "spec_errors";

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<fs::path> cases() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(k_corpus))
        if (e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string formatted(const std::string& text, const std::string& file) {
    std::string out;
    for (const auto& p : load(text, file).problems) out += p.format() + "\n";
    return out;
}

}  // namespace

TEST(SpecErrors, CorpusHasAtLeast35Cases) { EXPECT_GE(cases().size(), 35u); }

TEST(SpecErrors, EveryCaseReportsExactlyTheExpectedProblems) {
    const bool update = std::getenv("COCONUT_UPDATE_GOLDEN") != nullptr;
    for (const auto& yaml : cases()) {
        SCOPED_TRACE(yaml.filename().string());
        const std::string actual = formatted(read(yaml), yaml.filename().string());
        fs::path expected_file = yaml;
        expected_file.replace_extension(".expected");
        if (update) {
            std::ofstream(expected_file, std::ios::binary) << actual;
            continue;
        }
        ASSERT_TRUE(fs::exists(expected_file)) << "missing " << expected_file.filename();
        EXPECT_FALSE(actual.empty()) << "a broken spec must report problems";
        EXPECT_EQ(actual, read(expected_file));
    }
}

TEST(SpecErrors, EveryExpectedFileHasItsCase) {
    for (const auto& e : fs::directory_iterator(k_corpus)) {
        if (e.path().extension() != ".expected") continue;
        fs::path yaml = e.path();
        yaml.replace_extension(".yaml");
        EXPECT_TRUE(fs::exists(yaml)) << e.path().filename() << " has no case file";
    }
}

TEST(SpecErrors, ProblemsAreSortedByPosition) {
    for (const auto& yaml : cases()) {
        SCOPED_TRACE(yaml.filename().string());
        const auto problems = load(read(yaml), yaml.filename().string()).problems;
        for (std::size_t i = 1; i < problems.size(); ++i) {
            const auto& a = problems[i - 1].mark;
            const auto& b = problems[i].mark;
            EXPECT_TRUE(a.line < b.line || (a.line == b.line && a.column <= b.column));
        }
    }
}

// Binary input is generated here rather than committed.
TEST(SpecErrors, BinaryInputIsRejectedWithItsPosition) {
    const char raw[] = "apiVersion: coconut.dev/v1\nname: sh\0p\n";
    const std::string text(raw, sizeof raw - 1);
    EXPECT_EQ(formatted(text, "coconut.yaml"),
              "coconut.yaml:2:9: error: binary input: NUL byte at offset 35; expected YAML text\n");
}

TEST(SpecErrors, InvalidUtf8IsRejected) {
    const std::string text = "apiVersion: coconut.dev/v1\nname: \xff\xfe\n";
    EXPECT_EQ(formatted(text, "coconut.yaml"),
              "coconut.yaml:2:7: error: invalid UTF-8 at offset 33; expected YAML text\n");
}

TEST(SpecErrors, UnreadableFileIsOneProblem) {
    auto r = coconut::spec::load_file((k_corpus / "no-such-file.yaml").string());
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].mark.line, 0u);
    EXPECT_NE(r.problems[0].format().find("no-such-file.yaml: error: "), std::string::npos);
}

// No input may crash or hang the loader: truncations and byte flips of every corpus case.
TEST(SpecErrors, MangledInputsNeverCrash) {
    for (const auto& yaml : cases()) {
        const std::string text = read(yaml);
        for (std::size_t cut = 0; cut < text.size(); cut += 13) {
            auto r = load(text.substr(0, cut), "x.yaml");
            (void)r;
        }
        std::string flipped = text;
        for (std::size_t i = 0; i < flipped.size(); i += 23) {
            const char saved = flipped[i];
            for (char c : {':', '[', '{', '-', '&', '*', '\'', '"', ' '}) {
                flipped[i] = c;
                auto r = load(flipped, "x.yaml");
                (void)r;
            }
            flipped[i] = saved;
        }
    }
    SUCCEED();
}
