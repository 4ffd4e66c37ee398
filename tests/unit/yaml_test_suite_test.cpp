// The YAML Test Suite (yaml/yaml-test-suite, `data` branch; read from ../shared/yaml-test-suite
// beside the checkout, COCONUT_SHARED_DIR overrides) through coconut's YAML layer.
//
// Every case folder has `in.yaml` and either an `error` file (the input must be rejected) or
// `test.event` (the expected parse events) and mostly `in.json` (the expected data). A valid case
// passes when yaml::parse reports no error, our tree matches the tree the events describe (node
// kinds, scalar text and style, flow/block style, tags; aliases expanded to the anchored node as
// our tree holds them) and, where in.json exists, the data read in the YAML 1.2 core schema equals
// it document by document. An error case passes when yaml::parse reports an error.
//
// The suite runs twice: in the YAML 1.2 mode (ParseOptions::lenient_indentation = false) and in
// the default, lenient mode every caller uses. tests/yaml_test_suite/known_failures.txt lists
// every case that does not pass, per mode, with the reason; the test fails on a failure that is
// not listed AND on a listed case that now passes (so the list stays exact: remove the line).
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "coconut/yaml/dialect.hpp"
#include "coconut/yaml/node.hpp"

namespace fs = std::filesystem;
namespace y = coconut::yaml;

namespace {

fs::path suite_dir() {
    if (const char* s = std::getenv("COCONUT_SHARED_DIR"); s && *s) return fs::path(s) / "yaml-test-suite";
    return fs::path(COCONUT_SOURCE_DIR).parent_path() / "shared" / "yaml-test-suite";
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci && (std::string(ci) == "true" || std::string(ci) == "1");
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---- the expected tree, built from test.event ----
struct EvNode {
    y::Kind kind = y::Kind::Scalar;
    char style = ':';  // scalars: : ' " | > ; collections: '{' flow, 'b' block
    std::string tag;   // full tag without <>, empty when none
    std::string text;
    std::vector<const EvNode*> children;  // sequence items; mapping key, value, key, value...
};

struct EvStream {
    std::deque<EvNode> arena;
    std::vector<const EvNode*> documents;
};

std::string unescape_event(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        switch (s[++i]) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case '0': out += '\0'; break;
            case '\\': out += '\\'; break;
            default:
                out += '\\';
                out += s[i];
        }
    }
    return out;
}

// Parses test.event; returns false (with why) on a line it does not understand.
bool parse_events(const std::string& text, EvStream& out, std::string& why) {
    std::istringstream in(text);
    std::string line;
    std::vector<EvNode*> stack;
    std::map<std::string, const EvNode*> anchors;
    auto attach = [&](const EvNode* n) {
        if (stack.empty()) out.documents.push_back(n);
        else stack.back()->children.push_back(n);
    };
    // Reads the optional "&anchor" and "<tag>" properties at the front of `rest`.
    auto properties = [](std::string& rest, std::string& anchor, std::string& tag) {
        while (!rest.empty()) {
            if (rest[0] == '&') {
                auto sp = rest.find(' ');
                anchor = rest.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
                rest = sp == std::string::npos ? "" : rest.substr(sp + 1);
            } else if (rest[0] == '<') {
                auto gt = rest.find("> ");
                if (gt == std::string::npos) gt = rest.size() - 1;
                tag = rest.substr(1, gt - 1);
                rest = gt + 2 <= rest.size() ? rest.substr(gt + 2) : "";
            } else {
                break;
            }
        }
    };
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::string head = line.substr(0, 4);
        std::string rest = line.size() > 5 ? line.substr(5) : "";
        if (head == "+STR" || head == "-STR" || head == "+DOC" || head == "-DOC") continue;
        if (head == "+MAP" || head == "+SEQ") {
            EvNode& n = out.arena.emplace_back();
            n.kind = head == "+MAP" ? y::Kind::Mapping : y::Kind::Sequence;
            n.style = 'b';
            if (rest.rfind("{}", 0) == 0 || rest.rfind("[]", 0) == 0) {
                n.style = '{';
                rest = rest.size() > 3 ? rest.substr(3) : "";
            }
            std::string anchor;
            properties(rest, anchor, n.tag);
            if (!anchor.empty()) anchors[anchor] = &n;
            attach(&n);
            stack.push_back(&n);
        } else if (head == "-MAP" || head == "-SEQ") {
            if (stack.empty()) return why = "unbalanced " + head, false;
            stack.pop_back();
        } else if (head == "=VAL") {
            EvNode& n = out.arena.emplace_back();
            std::string anchor;
            properties(rest, anchor, n.tag);
            if (rest.empty()) return why = "bad event line: " + line, false;
            n.style = rest[0];
            n.text = unescape_event(std::string_view(rest).substr(1));
            if (!anchor.empty()) anchors[anchor] = &n;
            attach(&n);
        } else if (head == "=ALI") {
            auto it = anchors.find(rest.substr(1));
            if (it == anchors.end()) return why = "unknown alias in events: " + line, false;
            attach(it->second);
        } else {
            return why = "unknown event line: " + line, false;
        }
    }
    return true;
}

// Our Node::tag is the tag as written ("!!str", "!local"; a handle redefined by %TAG resolved);
// the events give the resolved tag.
bool same_tag(const std::string& ours, const std::string& full) {
    if (ours == full) return true;
    return ours.rfind("!!", 0) == 0 && full == "tag:yaml.org,2002:" + ours.substr(2);
}

char style_char(const y::Node& n) {
    switch (n.style) {
        case y::Style::Plain: return ':';
        case y::Style::SingleQuoted: return '\'';
        case y::Style::DoubleQuoted: return '"';
        case y::Style::Literal: return '|';
        case y::Style::Folded: return '>';
        case y::Style::Flow: return '{';
        case y::Style::Block: return 'b';
    }
    return '?';
}

std::string show(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else out += c;
    }
    return out + "\"";
}

bool same_tree(const y::Node* ours, const EvNode* want, const std::string& path, std::string& why) {
    if (!ours) return why = path + ": no node", false;
    if (ours->kind != want->kind)
        return why = path + ": kind differs (" + std::to_string(int(ours->kind)) + " vs " +
                     std::to_string(int(want->kind)) + ")",
               false;
    if (style_char(*ours) != want->style)
        return why = path + ": style '" + style_char(*ours) + "' vs '" + want->style + "'", false;
    if (!same_tag(ours->tag, want->tag)) return why = path + ": tag [" + ours->tag + "] vs <" + want->tag + ">", false;
    switch (ours->kind) {
        case y::Kind::Scalar:
            if (ours->text != want->text) return why = path + ": text " + show(ours->text) + " vs " + show(want->text), false;
            return true;
        case y::Kind::Sequence:
            if (ours->items.size() != want->children.size())
                return why = path + ": " + std::to_string(ours->items.size()) + " items vs " +
                             std::to_string(want->children.size()),
                       false;
            for (std::size_t i = 0; i < ours->items.size(); ++i)
                if (!same_tree(ours->items[i], want->children[i], path + "[" + std::to_string(i) + "]", why)) return false;
            return true;
        case y::Kind::Mapping:
            if (ours->pairs.size() * 2 != want->children.size())
                return why = path + ": " + std::to_string(ours->pairs.size()) + " pairs vs " +
                             std::to_string(want->children.size() / 2),
                       false;
            for (std::size_t i = 0; i < ours->pairs.size(); ++i) {
                const std::string p = path + "{" + std::to_string(i) + "}";
                if (!same_tree(ours->pairs[i].key, want->children[2 * i], p + ".key", why)) return false;
                if (!same_tree(ours->pairs[i].value, want->children[2 * i + 1], p + ".value", why)) return false;
            }
            return true;
    }
    return true;
}

struct Case {
    std::string id;  // "229Q" or "2G84/00"
    fs::path dir;
};

std::vector<Case> cases() {
    std::vector<Case> out;
    const fs::path root = suite_dir();
    if (!fs::is_directory(root)) return out;
    for (const auto& e : fs::directory_iterator(root)) {
        if (!e.is_directory()) continue;
        const std::string name = e.path().filename().string();
        if (fs::exists(e.path() / "in.yaml")) {
            out.push_back({name, e.path()});
            continue;
        }
        for (const auto& sub : fs::directory_iterator(e.path()))
            if (sub.is_directory() && fs::exists(sub.path() / "in.yaml"))
                out.push_back({name + "/" + sub.path().filename().string(), sub.path()});
    }
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
    return out;
}

// Why `c` fails under `options`; empty when it passes.
std::string run_case(const Case& c, const y::ParseOptions& options) {
    const std::string text = read(c.dir / "in.yaml");
    const y::Stream s = y::parse(text, "in.yaml", options);
    if (fs::exists(c.dir / "error")) {
        if (s.ok()) return "accepted, but the suite says the input is invalid";
        return {};
    }
    if (!s.ok())
        return "rejected valid input: " + std::to_string(s.errors[0].mark.line) + ":" +
               std::to_string(s.errors[0].mark.column) + ": " + s.errors[0].message;
    EvStream ev;
    std::string why;
    if (!parse_events(read(c.dir / "test.event"), ev, why)) return "test.event: " + why;
    if (ev.documents.size() != s.documents.size())
        return std::to_string(s.documents.size()) + " documents, the events have " + std::to_string(ev.documents.size());
    for (std::size_t i = 0; i < ev.documents.size(); ++i)
        if (!same_tree(s.documents[i].root(), ev.documents[i], "doc" + std::to_string(i), why)) return "tree: " + why;
    if (fs::exists(c.dir / "in.json")) {
        std::istringstream in(read(c.dir / "in.json"));
        std::vector<nlohmann::json> want;
        while (true) {
            in >> std::ws;
            if (in.peek() == EOF) break;
            nlohmann::json j;
            try {
                in >> j;
            } catch (const std::exception& e) {
                return std::string("in.json: ") + e.what();
            }
            want.push_back(std::move(j));
        }
        std::size_t docs = s.documents.size();
        if (want.size() != docs) return "in.json has " + std::to_string(want.size()) + " documents, we have " + std::to_string(docs);
        for (std::size_t i = 0; i < docs; ++i) {
            const nlohmann::json got = nlohmann::json::parse(y::to_json(*s.documents[i].root(), y::Dialect::Core12).dump());
            if (got != want[i]) return "data of document " + std::to_string(i) + ": " + got.dump() + " vs " + want[i].dump();
        }
    }
    return {};
}

// known_failures.txt: "<case> <mode> <reason...>", mode one of yaml-1.2, lenient, both.
struct Known {
    std::string mode;
    std::string reason;
};

std::map<std::string, Known> known_failures() {
    std::map<std::string, Known> out;
    std::istringstream in(read(fs::path(COCONUT_SOURCE_DIR) / "tests" / "yaml_test_suite" / "known_failures.txt"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string id;
        Known k;
        ls >> id >> k.mode;
        std::getline(ls >> std::ws, k.reason);
        out[id] = k;
    }
    return out;
}

struct Mode {
    const char* name;
    y::ParseOptions options;
};

std::vector<Mode> modes() {
    y::ParseOptions strict;
    strict.lenient_indentation = false;
    return {{"yaml-1.2", strict}, {"lenient", y::ParseOptions{}}};
}

bool listed_for(const Known& k, const std::string& mode) { return k.mode == "both" || k.mode == mode; }

}  // namespace

TEST(YamlTestSuite, SuiteIsThere) {
    const auto all = cases();
    if (all.empty() && !in_ci()) GTEST_SKIP() << "no YAML Test Suite at " << suite_dir();
    EXPECT_GE(all.size(), 350u) << suite_dir();
}

TEST(YamlTestSuite, KnownFailuresAreWellFormed) {
    const auto known = known_failures();
    EXPECT_FALSE(known.empty());
    for (const auto& [id, k] : known) {
        EXPECT_TRUE(k.mode == "yaml-1.2" || k.mode == "lenient" || k.mode == "both") << id << ": mode " << k.mode;
        EXPECT_GE(k.reason.size(), 10u) << id << ": every listed case says why";
    }
}

TEST(YamlTestSuite, EveryCasePassesOrIsAListedFailure) {
    const auto all = cases();
    if (all.empty() && !in_ci()) GTEST_SKIP() << "no YAML Test Suite at " << suite_dir();
    ASSERT_FALSE(all.empty()) << suite_dir();
    const auto known = known_failures();
    std::set<std::string> ids;
    for (const auto& c : all) ids.insert(c.id);
    for (const auto& [id, k] : known) EXPECT_TRUE(ids.count(id)) << "known_failures.txt lists " << id << ", no such case";

    const bool list_all = std::getenv("COCONUT_YAML_SUITE_LIST") != nullptr;
    for (const auto& mode : modes()) {
        std::size_t passed = 0;
        for (const auto& c : all) {
            const std::string why = run_case(c, mode.options);
            auto it = known.find(c.id);
            const bool listed = it != known.end() && listed_for(it->second, mode.name);
            if (list_all && !why.empty()) std::cout << "FAIL " << mode.name << " " << c.id << " " << why << "\n";
            if (why.empty()) {
                ++passed;
                EXPECT_FALSE(listed) << mode.name << ": " << c.id
                                     << " passes now; remove it from tests/yaml_test_suite/known_failures.txt";
            } else {
                EXPECT_TRUE(listed) << mode.name << ": " << c.id << " fails: " << why;
            }
        }
        std::cout << "YAML Test Suite, " << mode.name << " mode: " << passed << " of " << all.size() << " cases pass\n";
    }
}
