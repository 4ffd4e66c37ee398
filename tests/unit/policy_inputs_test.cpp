// Every registered input reader against its fixtures (tests/policy/inputs/<type>/): each file
// under detected/ must give documents of that type and of no other, each file under
// not-detected/ none of that type, both when named on the command line and when met while
// walking a directory. A registered reader without fixtures fails, as does a fixture directory
// that names no reader or a rule whose input no reader produces.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/inputs/reader.hpp"
#include "coconut/util/fs.hpp"

namespace fs = std::filesystem;
using namespace coconut;

namespace {

const fs::path k_fixtures = fs::path(COCONUT_SOURCE_DIR) / "tests" / "policy" / "inputs";

std::vector<std::string> input_types() {
    std::vector<std::string> out;
    for (const policy::inputs::Reader* r : policy::inputs::Registry::instance().all())
        out.emplace_back(r->info().type.name());
    return out;
}

std::vector<fs::path> files_below(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file()) out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string rel(const fs::path& p) { return fs::relative(p, COCONUT_SOURCE_DIR).generic_string(); }

// Input types of the documents read from each file: explicitly (add_text) or walking `dir`.
using Detected = std::map<std::string, std::multiset<std::string>>;   // file -> input types

Detected read_explicitly(const std::vector<fs::path>& files) {
    Detected out;
    for (const auto& file : files) {
        auto text = util::read_file(file);
        EXPECT_TRUE(text.has_value()) << file;
        if (!text) continue;
        policy::Inputs inputs;
        inputs.add_text(rel(file), std::move(*text), true);
        auto& types = out[rel(file)];
        for (const auto& d : inputs.documents()) types.insert(policy::to_string(d.input));
    }
    return out;
}

Detected read_walking(const fs::path& dir) {
    Detected out;
    policy::Inputs inputs;
    EXPECT_TRUE(inputs.add_path(dir.string()).has_value()) << dir;
    for (const auto& d : inputs.documents()) out[rel(d.file->path)].insert(policy::to_string(d.input));
    return out;
}

class InputFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(InputFixtures, DetectedAndNotDetected) {
    const std::string type = GetParam();
    const fs::path detected_dir = k_fixtures / type / "detected";
    const fs::path other_dir = k_fixtures / type / "not-detected";
    const auto detected = files_below(detected_dir);
    const auto other = files_below(other_dir);
    ASSERT_FALSE(detected.empty()) << "no fixture in " << rel(detected_dir) << " (files that are " << type << ")";
    ASSERT_FALSE(other.empty()) << "no fixture in " << rel(other_dir) << " (files that are not " << type << ")";

    const Detected walked = read_walking(detected_dir);
    for (const auto& [how, found] : {std::pair{"named", read_explicitly(detected)}, std::pair{"walked", walked}}) {
        for (const auto& file : detected) {
            SCOPED_TRACE(std::string(how) + " " + rel(file));
            const auto it = found.find(rel(file));
            ASSERT_TRUE(it != found.end() && !it->second.empty()) << "not detected as " << type;
            EXPECT_EQ(it->second.count(type), it->second.size()) << "documents of another type too";
        }
    }
    for (const auto& [how, found] : {std::pair{"named", read_explicitly(other)}, std::pair{"walked", read_walking(other_dir)}}) {
        for (const auto& [file, types] : found) {
            SCOPED_TRACE(std::string(how) + " " + file);
            EXPECT_EQ(types.count(type), 0u) << "detected as " << type;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Policy, InputFixtures, ::testing::ValuesIn(input_types()),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(PolicyInputReaders, EveryFixtureDirectoryNamesAReader) {
    const auto types = input_types();
    const std::set<std::string> known(types.begin(), types.end());
    std::error_code ec;
    for (fs::directory_iterator it(k_fixtures, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory()) {
            EXPECT_EQ(known.count(it->path().filename().string()), 1u)
                << rel(it->path()) << " names no registered input reader";
        }
}

TEST(PolicyInputReaders, InfoIsComplete) {
    const std::regex name_re("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
    const auto all = policy::inputs::Registry::instance().all();
    EXPECT_GE(all.size(), 5u);
    for (const policy::inputs::Reader* r : all) {
        const auto& info = r->info();
        SCOPED_TRACE(info.type.name());
        EXPECT_TRUE(std::regex_match(info.type.name(), name_re)) << "input type names look like github-workflow";
        EXPECT_FALSE(info.noun.empty());
        EXPECT_EQ(policy::inputs::Registry::instance().find(info.type), r);
    }
}

TEST(PolicyInputReaders, EveryRuleChecksARegisteredInput) {
    for (const policy::Rule* rule : policy::RuleRegistry::instance().all())
        EXPECT_NE(policy::inputs::Registry::instance().find(rule->info().input), nullptr)
            << rule->info().id << " checks input '" << rule->info().input.name() << "', which no reader produces";
}

}  // namespace
