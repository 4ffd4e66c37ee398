// Every registered policy rule against its fixtures (tests/policy/<RULE-ID>/): each `fire*`
// file must give exactly the findings listed in `<file>.expected` (one LINE:COL per line, or
// `LINE:COL  MESSAGE` to check the message as well), each
// `pass*` file none of that rule. Plus the meta-test of DESIGN §11: every rule has fixtures,
// documentation, a severity, a remediation and a compliance mapping or a reason for none.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/schema/validator.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace fs = std::filesystem;
using namespace coconut;

namespace {

const fs::path k_fixtures = fs::path(COCONUT_SOURCE_DIR) / "tests" / "policy";

std::vector<std::string> rule_ids() {
    std::vector<std::string> ids;
    for (const policy::Rule* r : policy::RuleRegistry::instance().all()) ids.push_back(r->info().id);
    return ids;
}

// The rules docs/rules.md documents, in order: the id of every `### ID — Title` section, and of
// every `| [`ID`](#anchor) | ...` row of the per-area tables; `total` is the sum of the "Rules"
// column of the summary table (`| [Area](#anchor) | N |`).
struct DocumentedRules {
    std::vector<std::string> sections;
    std::vector<std::string> table_rows;
    std::size_t total = 0;
};

DocumentedRules documented_rules(const fs::path& rules_md) {
    DocumentedRules out;
    auto text = util::read_file(rules_md);
    EXPECT_TRUE(text.has_value()) << rules_md << ": " << (text ? "" : text.error().message);
    if (!text) return out;
    const std::regex section_re("^### ([A-Z0-9]+(-[A-Z0-9]+)+) — .+$");
    const std::regex row_re("^\\| \\[`([A-Z0-9]+(-[A-Z0-9]+)+)`\\]\\(#[a-z0-9-]+\\) \\|.*$");
    const std::regex area_re("^\\| \\[[^\\]`]+\\]\\(#[a-z0-9-]+\\) \\| ([0-9]+) \\|$");
    std::smatch m;
    for (const auto& line : util::split(*text, '\n')) {
        if (std::regex_match(line, m, section_re))
            out.sections.push_back(m[1]);
        else if (std::regex_match(line, m, row_re))
            out.table_rows.push_back(m[1]);
        else if (std::regex_match(line, m, area_re))
            out.total += std::stoul(m[1]);
    }
    return out;
}

// The ids of `a` that `b` lacks, space-separated ("" when none).
template <class A, class B>
std::string only_in(const A& a, const B& b) {
    const std::set<std::string> in_b(b.begin(), b.end());
    std::string out;
    for (const auto& id : std::set<std::string>(a.begin(), a.end()))
        if (!in_b.count(id)) out += (out.empty() ? "" : " ") + id;
    return out;
}

std::vector<fs::path> fixture_files(const std::string& id, const std::string& prefix) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(k_fixtures / id, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (util::starts_with(name, prefix) && !util::ends_with(name, ".expected")) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> positions_of(const std::string& id, const fs::path& file) {
    policy::Inputs inputs;
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(file, ec)) || fs::is_symlink(fs::symlink_status(file, ec))) {
        // A directory fixture (a chart, a tree) or a link: loaded the way `coconut check PATH` does.
        EXPECT_TRUE(inputs.add_path(file.string()).has_value()) << file;
    } else {
        auto text = util::read_file(file);
        EXPECT_TRUE(text.has_value()) << file;
        if (!text) return {};
        inputs.add_text(fs::relative(file, COCONUT_SOURCE_DIR).generic_string(), std::move(*text), true);
    }
    policy::CheckOptions options;
    options.profile = policy::PssLevel::Restricted;
    if (id == policy::schema::k_schema_rule) {
        // The schema check runs with --schemas only: use the shared Kubernetes schemas.
        auto schemas = policy::schema::SchemaSet::open(fs::path(COCONUT_SOURCE_DIR) / ".." / "shared" / "schemas" / "k8s");
        EXPECT_TRUE(schemas.has_value());
        if (schemas)
            options.extra.emplace_back([set = *schemas](const auto& docs, auto& findings) { set->validate(docs, findings); });
    }
    std::vector<std::string> out;
    for (const auto& f : policy::run_checks(inputs, options))
        if (f.rule == id && !f.suppressed)
            out.push_back(std::to_string(f.mark.line) + ":" + std::to_string(f.mark.column) + "  " + f.message);
    return out;
}

class RuleFixtures : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleFixtures, FireAndPass) {
    const std::string id = GetParam();
    const auto fire = fixture_files(id, "fire");
    const auto pass = fixture_files(id, "pass");
    ASSERT_FALSE(fire.empty()) << "no fire* fixture in tests/policy/" << id;
    ASSERT_FALSE(pass.empty()) << "no pass* fixture in tests/policy/" << id;
    for (const auto& file : fire) {
        auto expected_text = util::read_file(file.string() + ".expected");
        ASSERT_TRUE(expected_text.has_value()) << "missing " << file.string() << ".expected";
        std::vector<std::string> expected;
        for (const auto& line : util::split(*expected_text, '\n'))
            if (!util::trim(line).empty()) expected.push_back(util::trim(line));
        ASSERT_FALSE(expected.empty()) << file << ".expected lists no position: a fire fixture must fire";
        const auto actual = positions_of(id, file);
        // An expected line is `LINE:COL`, or `LINE:COL  MESSAGE` when the message matters too.
        std::vector<std::string> actual_shown;
        for (std::size_t i = 0; i < actual.size(); ++i) {
            const bool with_message = i < expected.size() && expected[i].find(' ') != std::string::npos;
            actual_shown.push_back(with_message ? actual[i] : actual[i].substr(0, actual[i].find(' ')));
        }
        EXPECT_EQ(actual_shown, expected) << file << "\nfindings:\n  " << util::join(actual, "\n  ");
    }
    for (const auto& file : pass) {
        const auto actual = positions_of(id, file);
        EXPECT_TRUE(actual.empty()) << file << " must not fire " << id << ":\n  " << util::join(actual, "\n  ");
    }
}

INSTANTIATE_TEST_SUITE_P(Policy, RuleFixtures, ::testing::ValuesIn(rule_ids()),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(PolicyRules, MetadataIsComplete) {
    const std::regex id_re("^[A-Z0-9]+(-[A-Z0-9]+)+$");
    const std::regex alias_re("^[a-z][a-z0-9-]*:[A-Za-z0-9_\\[\\]./-]+$");
    const std::set<std::string> frameworks = {"cis-k8s", "nsa", "soc2", "hipaa", "gdpr"};
    const auto all = policy::RuleRegistry::instance().all();
    // Exactly the rules docs/rules.md documents (a rule that fails to register, or a stale
    // docs/rules.md, changes one side only).
    const auto docs = documented_rules(fs::path(COCONUT_SOURCE_DIR) / "docs" / "rules.md");
    const auto ids = rule_ids();
    const std::set<std::string> registered(ids.begin(), ids.end());
    EXPECT_EQ(registered.size(), all.size()) << "duplicate rule ids in the registry";
    EXPECT_EQ(all.size(), docs.sections.size()) << "registered rules vs `### ID — Title` sections in docs/rules.md";
    EXPECT_EQ(all.size(), docs.table_rows.size()) << "registered rules vs rule rows of the tables in docs/rules.md";
    EXPECT_EQ(all.size(), docs.total) << "registered rules vs the sum of the area table in docs/rules.md";
    EXPECT_EQ(only_in(registered, docs.sections), "") << "registered, but no `### ID — Title` section in docs/rules.md";
    EXPECT_EQ(only_in(docs.sections, registered), "") << "a section of docs/rules.md, but not registered";
    EXPECT_EQ(only_in(registered, docs.table_rows), "") << "registered, but in no table of docs/rules.md";
    EXPECT_EQ(only_in(docs.table_rows, registered), "") << "in a table of docs/rules.md, but not registered";
    for (const policy::Rule* r : all) {
        const auto& info = r->info();
        SCOPED_TRACE(info.id);
        EXPECT_TRUE(std::regex_match(info.id, id_re)) << "rule id must look like K8S-PRIVILEGED";
        EXPECT_FALSE(info.title.empty());
        EXPECT_GE(info.description.size(), 40u) << "description too short to be useful";
        EXPECT_GE(info.remediation.size(), 15u) << "remediation missing";
        EXPECT_TRUE(!info.compliance.empty() || !info.no_compliance_reason.empty())
            << "needs a compliance mapping or a reason why none applies";
        for (const auto& c : info.compliance) {
            EXPECT_EQ(frameworks.count(c.framework), 1u) << "unknown framework " << c.framework;
            EXPECT_FALSE(c.control.empty());
        }
        for (const auto& a : info.aliases) EXPECT_TRUE(std::regex_match(a, alias_re)) << "alias '" << a << "' is not tool:check";
    }
}

TEST(PolicyRules, EveryFixtureDirectoryNamesARule) {
    const auto ids = rule_ids();
    const std::set<std::string> known(ids.begin(), ids.end());
    std::error_code ec;
    for (fs::directory_iterator it(k_fixtures, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory() && it->path().filename() != "inputs") {   // the readers' (policy_inputs_test)
            EXPECT_EQ(known.count(it->path().filename().string()), 1u)
                << "tests/policy/" << it->path().filename().string() << " names no registered rule";
        }
}

TEST(PolicyRules, DocsListEveryRule) {
    auto docs = util::read_file(fs::path(COCONUT_SOURCE_DIR) / "docs" / "rules.md");
    ASSERT_TRUE(docs.has_value()) << "docs/rules.md missing: coconut docs rules > docs/rules.md";
    for (const auto& id : rule_ids())
        EXPECT_NE(docs->find("### " + id + " "), std::string::npos) << id << " is not in docs/rules.md (regenerate it)";
}

}  // namespace
