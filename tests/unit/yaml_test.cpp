#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coconut/yaml/dialect.hpp"
#include "coconut/yaml/emit.hpp"
#include "coconut/yaml/node.hpp"

namespace y = coconut::yaml;
using json = nlohmann::ordered_json;

namespace coconut::yaml {
inline void PrintTo(const Mark& m, std::ostream* os) { *os << m.line << ":" << m.column; }
}  // namespace coconut::yaml

namespace {

const y::Node* root_of(const y::Stream& s, std::size_t i = 0) {
    return s.documents.size() > i ? s.documents[i].root() : nullptr;
}

// ---- the scalar table: strings that some dialect would misread if written plain ----
struct ScalarCase {
    const char* text;
    bool must_quote;  // the emitter must quote it
};

const std::vector<ScalarCase> k_scalars = {
    // YAML 1.1 / Kubernetes booleans
    {"on", true}, {"On", true}, {"ON", true}, {"off", true}, {"Off", true}, {"yes", true}, {"Yes", true},
    {"YES", true}, {"no", true}, {"No", true}, {"NO", true}, {"y", true}, {"Y", true}, {"n", true}, {"N", true},
    {"true", true}, {"False", true}, {"TRUE", true},
    // nulls
    {"null", true}, {"Null", true}, {"NULL", true}, {"~", true}, {"", true},
    // numbers in one dialect or another
    {"1e3", true}, {"1E3", true}, {"1.0", true}, {".5", true}, {"1.", true}, {"-1", true}, {"+1", true},
    {"0755", true}, {"0o17", true}, {"0x1F", true}, {"0b101", true}, {"1_000", true}, {"190:20:30", true},
    {"1:20", true}, {"12345678901234567890", true}, {"6.8523015e+5", true}, {"685.230_15e+03", true},
    {".inf", true}, {"-.inf", true}, {".Inf", true}, {".nan", true}, {".NaN", true}, {"0", true},
    // dates and timestamps
    {"2024-01-01", true}, {"2001-12-14t21:59:43.10-05:00", true}, {"2001-12-14 21:59:43.10 -5", true},
    {"2024-1-1", true},
    // leading indicators and structure
    {"*alias", true}, {"&anchor", true}, {"!tag", true}, {"%directive", true}, {"@at", true}, {"`tick", true},
    {"- item", true}, {"-", true}, {"?", true}, {": x", true}, {"[a]", true}, {"{a: 1}", true}, {"#comment", true},
    {"|", true}, {">", true}, {"'quoted'", true}, {"\"dq\"", true}, {"a: b", true}, {"a #b", true}, {"key:", true},
    {"<<", true}, {"=", true}, {"---", true}, {"...", true}, {" leading", true}, {"trailing ", true},
    {"tab\there", true}, {"bell\x07", true}, {"line1\nline2", true /* not plain: written as a literal block */},
    // plain strings that must stay plain
    {"hello", false}, {"nginx:1.25", false}, {"registry.example.com/shop/web:1.4.2", false}, {"a-b", false},
    {"app.kubernetes.io/name", false}, {"250m", false}, {"256Mi", false}, {"0 3 * * *", false},
    {"/healthz", false}, {"http://example.com/a?b=c", false}, {"a:b", false}, {"x#y", false}, {"1.2.3", false},
    {"v1", false}, {"ümlaut", false}, {"10s", false}, {"1e", false}, {"0x", false}, {"0b2", false},
    {"08", true /* YAML 1.2 int 8 */}, {"+.5", true},
};

}  // namespace

TEST(YamlScalars, TableHasAtLeastSixtyCases) { EXPECT_GE(k_scalars.size(), 60u); }

TEST(YamlScalars, QuotingDecision) {
    for (const auto& c : k_scalars) EXPECT_EQ(y::needs_quotes(c.text), c.must_quote) << "scalar: [" << c.text << "]";
}

TEST(YamlScalars, EveryStringRoundTripsAsStringInEveryDialect) {
    for (const auto& c : k_scalars) {
        json doc = json::object();
        doc["key"] = c.text;
        doc["list"] = json::array({c.text});
        doc["nested"] = json::object({{"inner", c.text}});
        std::string text = y::emit(doc);
        auto s = y::parse(text, "roundtrip.yaml");
        ASSERT_TRUE(s.ok()) << "scalar [" << c.text << "] emitted as:\n" << text << s.errors[0].message;
        for (auto d : {y::Dialect::Core12, y::Dialect::Yaml11, y::Dialect::Kubernetes}) {
            json back = y::to_json(*root_of(s), d);
            EXPECT_EQ(back, doc) << "dialect " << y::to_string(d) << " misread [" << c.text << "] emitted as:\n"
                                 << text;
        }
    }
}

TEST(YamlScalars, StringsAsMappingKeysRoundTrip) {
    for (const auto& c : k_scalars) {
        if (std::string(c.text).find('\n') != std::string::npos) continue;
        json doc = json::object({{c.text, 1}});
        auto s = y::parse(y::emit(doc), "k.yaml");
        ASSERT_TRUE(s.ok()) << c.text;
        EXPECT_EQ(y::to_json(*root_of(s), y::Dialect::Yaml11), doc) << c.text;
    }
}

TEST(YamlScalars, NonStringValuesKeepTheirTypes) {
    json doc = {{"i", 42}, {"neg", -7}, {"big", 9007199254740993LL}, {"f", 1.5}, {"whole", 2.0}, {"t", true},
                {"f2", false}, {"n", nullptr}, {"e", json::array()}, {"o", json::object()}};
    std::string text = y::emit(doc);
    EXPECT_NE(text.find("whole: 2.0\n"), std::string::npos) << text;
    auto s = y::parse(text, "t.yaml");
    ASSERT_TRUE(s.ok());
    for (auto d : {y::Dialect::Core12, y::Dialect::Yaml11, y::Dialect::Kubernetes})
        EXPECT_EQ(y::to_json(*root_of(s), d), doc) << y::to_string(d);
}

TEST(YamlDialects, SameTextDifferentReaders) {
    using y::ScalarType;
    struct Row {
        const char* text;
        ScalarType core, yaml11, k8s;
    };
    const Row rows[] = {
        {"on", ScalarType::String, ScalarType::Bool, ScalarType::Bool},
        {"y", ScalarType::String, ScalarType::String, ScalarType::Bool},
        {"1e3", ScalarType::Float, ScalarType::String, ScalarType::Float},
        {"0755", ScalarType::Int, ScalarType::Int, ScalarType::Int},
        {"0o17", ScalarType::Int, ScalarType::String, ScalarType::Int},
        {"1_000", ScalarType::String, ScalarType::Int, ScalarType::Int},
        {"190:20:30", ScalarType::String, ScalarType::Int, ScalarType::String},
        {"2024-01-01", ScalarType::String, ScalarType::Timestamp, ScalarType::Timestamp},
        {"~", ScalarType::Null, ScalarType::Null, ScalarType::Null},
        {"hello", ScalarType::String, ScalarType::String, ScalarType::String},
    };
    for (const auto& r : rows) {
        EXPECT_EQ(y::classify_plain(r.text, y::Dialect::Core12), r.core) << r.text;
        EXPECT_EQ(y::classify_plain(r.text, y::Dialect::Yaml11), r.yaml11) << r.text;
        EXPECT_EQ(y::classify_plain(r.text, y::Dialect::Kubernetes), r.k8s) << r.text;
    }
}

TEST(YamlDialects, ValuesPerDialect) {
    auto s = y::parse("a: 0755\nb: on\nc: 1_000\nd: 0x1F\ne: 190:20:30\n", "v.yaml");
    ASSERT_TRUE(s.ok());
    const auto* r = root_of(s);
    EXPECT_EQ(*y::as_int(*r->find("a"), y::Dialect::Core12), 755);
    EXPECT_EQ(*y::as_int(*r->find("a"), y::Dialect::Yaml11), 493);
    EXPECT_EQ(*y::as_int(*r->find("a"), y::Dialect::Kubernetes), 493);
    EXPECT_FALSE(y::as_bool(*r->find("b"), y::Dialect::Core12).has_value());
    EXPECT_EQ(*y::as_bool(*r->find("b"), y::Dialect::Yaml11), true);
    EXPECT_EQ(*y::as_int(*r->find("c"), y::Dialect::Yaml11), 1000);
    EXPECT_EQ(*y::as_int(*r->find("d"), y::Dialect::Core12), 31);
    EXPECT_EQ(*y::as_int(*r->find("e"), y::Dialect::Yaml11), 190 * 3600 + 20 * 60 + 30);
    EXPECT_EQ(y::to_json(*r, y::Dialect::Core12)["b"], "on");
}

TEST(YamlParse, PositionsAndStyles) {
    const char* text =
        "name: shop\n"
        "services:\n"
        "  web:\n"
        "    port: 8080\n"
        "    quoted: 'single'\n"
        "    dq: \"double\"\n"
        "    lit: |\n"
        "      line\n"
        "    fold: >-\n"
        "      a\n"
        "      b\n"
        "    flow: [1, 2]\n";
    auto s = y::parse(text, "p.yaml");
    ASSERT_TRUE(s.ok());
    const auto* r = root_of(s);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->is_mapping());
    EXPECT_EQ(r->start, (y::Mark{1, 1}));
    const auto* web = r->find("services")->find("web");
    EXPECT_EQ(web->start, (y::Mark{4, 5}));
    const auto* port = web->find("port");
    EXPECT_EQ(port->start, (y::Mark{4, 11}));
    EXPECT_EQ(web->find_key("port")->start, (y::Mark{4, 5}));
    EXPECT_EQ(port->text, "8080");
    EXPECT_EQ(web->find("quoted")->style, y::Style::SingleQuoted);
    EXPECT_EQ(web->find("quoted")->text, "single");
    EXPECT_EQ(web->find("dq")->style, y::Style::DoubleQuoted);
    EXPECT_EQ(web->find("lit")->style, y::Style::Literal);
    EXPECT_EQ(web->find("lit")->text, "line\n");
    EXPECT_EQ(web->find("fold")->style, y::Style::Folded);
    EXPECT_EQ(web->find("fold")->text, "a b");
    EXPECT_EQ(web->find("flow")->style, y::Style::Flow);
    EXPECT_EQ(web->find("flow")->items.size(), 2u);
}

TEST(YamlParse, GithubOnIsAPlainStringKey) {
    auto s = y::parse("on:\n  push: {}\n", "wf.yaml");
    ASSERT_TRUE(s.ok());
    EXPECT_NE(root_of(s)->find("on"), nullptr);
    EXPECT_EQ(root_of(s)->find_key("on")->style, y::Style::Plain);
}

TEST(YamlParse, AnchorsAliasesAndMergeKeys) {
    const char* text =
        "base: &base\n"
        "  image: nginx\n"
        "  port: 80\n"
        "extra: &extra\n"
        "  debug: true\n"
        "web:\n"
        "  <<: [*base, *extra]\n"
        "  port: 8080\n"
        "list: &l [a, b]\n"
        "again: *l\n";
    auto s = y::parse(text, "m.yaml");
    ASSERT_TRUE(s.ok()) << s.errors[0].message;
    json j = y::to_json(*root_of(s), y::Dialect::Core12);
    EXPECT_EQ(j["web"], json({{"image", "nginx"}, {"debug", true}, {"port", 8080}}));
    EXPECT_EQ(j["again"], json({"a", "b"}));
    // explicit keys win over merged ones, wherever the merge key sits
    auto s2 = y::parse("a: &a {x: 1, y: 2}\nb:\n  y: 3\n  <<: *a\n", "m2.yaml");
    ASSERT_TRUE(s2.ok());
    EXPECT_EQ(y::to_json(*root_of(s2), y::Dialect::Core12)["b"], json({{"y", 3}, {"x", 1}}));
}

TEST(YamlParse, MultiDocumentStream) {
    auto s = y::parse("a: 1\n---\nb: 2\n---\n- x\n", "multi.yaml");
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s.documents.size(), 3u);
    EXPECT_EQ(s.documents[1].root()->find("b")->start, (y::Mark{3, 4}));
    EXPECT_TRUE(s.documents[2].root()->is_sequence());
}

TEST(YamlParse, DuplicateKeysAreErrorsWithBothPositions) {
    auto s = y::parse("a: 1\nb: 2\na: 3\n", "dup.yaml");
    ASSERT_EQ(s.errors.size(), 1u);
    EXPECT_EQ(s.errors[0].mark, (y::Mark{3, 1}));
    EXPECT_EQ(s.errors[0].message, "duplicate key 'a' (first defined at line 1, column 1)");
    EXPECT_EQ(y::to_json(*root_of(s), y::Dialect::Core12)["a"], 1);  // the first wins
    y::ParseOptions lax;
    lax.allow_duplicate_keys = true;
    auto s2 = y::parse("a: 1\nb: 2\na: 3\n", "dup.yaml", lax);
    EXPECT_TRUE(s2.ok());
}

TEST(YamlParse, SyntaxErrorsCarryPositions) {
    auto s = y::parse("a: \"x\n", "bad.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.errors[0].mark, (y::Mark{1, 4}));  // the opening quote
    EXPECT_EQ(s.errors[0].message, "double-quoted scalar without closing quote");
    auto t = y::parse("a:\n\tb: 1\n", "tab.yaml");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.errors[0].mark, (y::Mark{2, 1}));
    EXPECT_NE(t.errors[0].message.find("tab"), std::string::npos) << t.errors[0].message;
}

TEST(YamlParse, BinaryAndInvalidUtf8AreRejected) {
    std::string bin("a: 1\nb: \0\x01\x02", 11);
    auto s = y::parse(bin, "bin.yaml");
    ASSERT_EQ(s.errors.size(), 1u);
    EXPECT_EQ(s.errors[0].mark, (y::Mark{2, 4}));
    EXPECT_NE(s.errors[0].message.find("binary input"), std::string::npos);
    auto u = y::parse("a: \xff\xfe\n", "utf.yaml");
    ASSERT_EQ(u.errors.size(), 1u);
    EXPECT_NE(u.errors[0].message.find("invalid UTF-8"), std::string::npos);
}

TEST(YamlParse, UnknownAliasIsAnError) {
    auto s = y::parse("a: *nope\n", "alias.yaml");
    ASSERT_FALSE(s.ok());
    bool found = false;
    for (const auto& e : s.errors) found = found || e.message.find("unknown alias '*nope'") != std::string::npos;
    EXPECT_TRUE(found);
}

TEST(YamlParse, DeepNestingIsAnErrorNotACrash) {
    std::string deep(100000, '[');
    auto s = y::parse(deep, "deep.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.errors[0].message.find("nesting deeper than 512"), std::string::npos) << s.errors[0].message;
}

TEST(YamlParse, AliasBombIsRefused) {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int k = 0; k < 10; ++k) text += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
        text += "]\n";
    }
    auto s = y::parse(text, "lol.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.errors.back().message.find("alias bomb"), std::string::npos);
}

TEST(YamlParse, EmptyInputHasNoDocuments) {
    auto s = y::parse("", "empty.yaml");
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(s.documents.empty() || s.documents[0].root() == nullptr);
}

TEST(YamlEmit, BlockStyleLayout) {
    json doc = json::parse(R"({"apiVersion":"v1","kind":"List","items":[{"a":1,"b":[1,2]},[3,4]],
        "empty":{},"none":[],"text":"line1\nline2\n","deep":{"x":{"v":"on"}}})",
                           nullptr, true, false);
    json ordered = json::object();
    for (auto& [k, v] : doc.items()) ordered[k] = v;
    const std::string expected =
        "apiVersion: v1\n"
        "kind: List\n"
        "items:\n"
        "  - a: 1\n"
        "    b:\n"
        "      - 1\n"
        "      - 2\n"
        "  - - 3\n"
        "    - 4\n"
        "empty: {}\n"
        "none: []\n"
        "text: |\n"
        "  line1\n"
        "  line2\n"
        "deep:\n"
        "  x:\n"
        "    v: \"on\"\n";
    EXPECT_EQ(y::emit(ordered), expected);
}

TEST(YamlEmit, MultiLineStringsKeepTheirBytes) {
    for (std::string s : {"a\nb", "a\nb\n", "a\nb\n\n", "a\n\nb\n", " lead\nx", "x\n  indented\ny\n", "tail\n \n",
                          "a\r\nb", "\n", "a\n# not a comment\n",
                          // found by fuzz_yaml: the first NON-EMPTY line decides a literal block's
                          // indentation, so a leading blank line does not make " more" safe
                          "\n\n   more indented\n  regular\n", "\n\tx\ny"}) {
        json doc = {{"k", s}, {"l", json::array({s})}};
        auto text = y::emit(doc);
        auto p = y::parse(text, "ml.yaml");
        ASSERT_TRUE(p.ok()) << text;
        EXPECT_EQ(y::to_json(*root_of(p), y::Dialect::Core12), doc) << text;
    }
}

TEST(YamlEmit, FloatsStayFloatsInEveryDialect) {
    // found by fuzz_yaml: 0.0001 was written "1e-04", which YAML 1.1 (PyYAML) reads as a string
    for (double d : {0.0001, 1e20, -3e-7, 1.5, 2.0, 0.0}) {
        json doc = {{"v", d}};
        auto text = y::emit(doc);
        auto p = y::parse(text, "f.yaml");
        ASSERT_TRUE(p.ok()) << text;
        for (auto dialect : {y::Dialect::Core12, y::Dialect::Yaml11, y::Dialect::Kubernetes})
            EXPECT_EQ(y::to_json(*root_of(p), dialect), doc) << text << " in " << y::to_string(dialect);
    }
}

TEST(YamlEmit, KeysThatSomeReaderMisreadsAreQuoted) {
    // go-yaml v2 (Kubernetes) reads a plain `y` key as the boolean true
    EXPECT_EQ(y::emit(json{{"y", 1}, {"on", 2}, {"x", 3}}), "\"y\": 1\n\"on\": 2\nx: 3\n");
}

TEST(YamlEmit, Deterministic) {
    json doc = {{"b", 1}, {"a", {{"z", 1}, {"w", 2}}}};
    EXPECT_EQ(y::emit(doc), y::emit(doc));
    EXPECT_EQ(y::emit(doc), "b: 1\na:\n  z: 1\n  w: 2\n");
    EXPECT_EQ(y::emit_stream({doc, doc}), "b: 1\na:\n  z: 1\n  w: 2\n---\nb: 1\na:\n  z: 1\n  w: 2\n");
}

// ---- what kubectl reads (issue 9): lenient indentation, resynchronisation after an error ----

TEST(YamlParse, FlowCollectionsIndentedLikeKubectlAcceptsThem) {
    // The three examples of issue 9: go-yaml (kubectl) and PyYAML accept them; YAML 1.2 does not.
    const std::string command = "spec:\n  containers:\n    - name: web\n      command: [\n        \"nginx\",\n"
                                "        \"-g\",\n        \"daemon off;\"\n      ]\n";
    const std::string labels = "metadata:\n  labels: {\n    a: b\n  }\n";
    const std::string data = "data:\n  k: \"line one\n  continued at key indent\"\n  other: [a,\n  b]\n";

    auto s = y::parse(command, "c.yaml");
    ASSERT_TRUE(s.ok()) << s.errors[0].message;
    const y::Node* cmd = root_of(s)->find("spec")->find("containers")->items[0]->find("command");
    ASSERT_NE(cmd, nullptr);
    EXPECT_EQ(y::to_json(*cmd, y::Dialect::Kubernetes), json::parse(R"(["nginx", "-g", "daemon off;"])"));
    EXPECT_EQ(cmd->style, y::Style::Flow);
    EXPECT_EQ(cmd->start, (y::Mark{4, 16}));
    EXPECT_EQ(cmd->items[2]->start, (y::Mark{7, 9}));  // the opening quote

    auto l = y::parse(labels, "l.yaml");
    ASSERT_TRUE(l.ok()) << l.errors[0].message;
    EXPECT_EQ(y::to_json(*root_of(l), y::Dialect::Kubernetes), json::parse(R"({"metadata": {"labels": {"a": "b"}}})"));
    EXPECT_EQ(root_of(l)->find("metadata")->find("labels")->find_key("a")->start, (y::Mark{3, 5}));

    auto d = y::parse(data, "d.yaml");
    ASSERT_TRUE(d.ok()) << d.errors[0].message;
    EXPECT_EQ(y::to_json(*root_of(d), y::Dialect::Kubernetes),
              json::parse(R"({"data": {"k": "line one continued at key indent", "other": ["a", "b"]}})"));
    EXPECT_EQ(root_of(d)->find("data")->find("k")->start, (y::Mark{2, 6}));
    EXPECT_EQ(root_of(d)->find("data")->find("other")->items[1]->start, (y::Mark{5, 3}));

    // The same inputs under YAML 1.2 to the letter: rejected, with libfyaml's positions.
    y::ParseOptions strict;
    strict.lenient_indentation = false;
    auto sc = y::parse(command, "c.yaml", strict);
    ASSERT_FALSE(sc.ok());
    EXPECT_EQ(sc.errors[0].mark, (y::Mark{8, 7}));
    EXPECT_EQ(sc.errors[0].message, "wrongly indented sequence end in flow mode");
    EXPECT_FALSE(y::parse(labels, "l.yaml", strict).ok());
    EXPECT_FALSE(y::parse(data, "d.yaml", strict).ok());
}

TEST(YamlParse, AnUnclosedFlowCollectionNamesItsBracket) {
    auto s = y::parse("a: [b, c\nd: 1\n", "f.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.errors[0].message.find("(the '[' at line 1, column 4 is still open here)") == std::string::npos, false)
        << s.errors[0].message;
    // columns count characters, not bytes
    auto u = y::parse("\xC3\xBC\xC3\xBC: [a,\nb: c\n", "utf8.yaml");
    ASSERT_FALSE(u.ok());
    EXPECT_NE(u.errors[0].message.find("(the '[' at line 1, column 5 is still open here)"), std::string::npos)
        << u.errors[0].message;
    auto q = y::parse("\xC3\xBC: \"x\n", "utf8.yaml");
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.errors[0].mark, (y::Mark{1, 4}));  // the quote
    // on the bracket's own line there is nothing to add
    auto t = y::parse("a: [b c: d: e]\n", "f.yaml");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.errors[0].message.find("still open"), std::string::npos) << t.errors[0].message;
}

TEST(YamlParse, ADocumentAfterASyntaxErrorIsStillRead) {
    // A kubectl-style stream: the first document is broken, the privileged pod after it must
    // still be there, with the positions it has in the file.
    const std::string text =
        "apiVersion: v1\n"            // 1
        "kind: ConfigMap\n"           // 2
        "data:\n"                     // 3
        "  a: b: c\n"                 // 4  error
        "  d: e\n"                    // 5
        "---\n"                       // 6
        "apiVersion: v1\n"            // 7
        "kind: Pod\n"                 // 8
        "metadata: {name: p}\n"       // 9
        "spec:\n"                     // 10
        "  containers:\n"             // 11
        "    - name: c\n"             // 12
        "      securityContext:\n"    // 13
        "        privileged: true\n"; // 14
    auto s = y::parse(text, "two.yaml");
    ASSERT_EQ(s.errors.size(), 1u);
    EXPECT_EQ(s.errors[0].mark, (y::Mark{4, 7}));
    ASSERT_EQ(s.documents.size(), 2u);
    EXPECT_EQ(s.documents[0].root(), nullptr);  // half a tree is no tree
    const y::Node* pod = root_of(s, 1);
    ASSERT_NE(pod, nullptr);
    EXPECT_EQ(pod->start, (y::Mark{7, 1}));
    EXPECT_EQ(pod->find("kind")->text, "Pod");
    EXPECT_EQ(pod->find("kind")->start, (y::Mark{8, 7}));
    const y::Node* priv =
        pod->find("spec")->find("containers")->items[0]->find("securityContext")->find("privileged");
    ASSERT_NE(priv, nullptr);
    EXPECT_EQ(y::as_bool(*priv, y::Dialect::Kubernetes), true);
    EXPECT_EQ(priv->start, (y::Mark{14, 21}));
    EXPECT_EQ(pod->find("metadata")->find("name")->start, (y::Mark{9, 18}));
}

TEST(YamlParse, EveryBrokenDocumentIsReportedAndSkipped) {
    const std::string text =
        "a: 1\n"            // 1  doc 0: fine
        "--- a: b: c\n"     // 2  doc 1: broken on its marker line
        "---\n"             // 3  doc 2: broken (unclosed flow swallows nothing past the marker)
        "x: [1, 2\n"        // 4
        "---\r\n"           // 5  doc 3: fine, CRLF line ends from here
        "y: 2\r\n"          // 6
        "...\r\n"           // 7
        "@bad\r\n"          // 8  doc 4: broken after an explicit end
        "---\r\n"           // 9  doc 5: fine
        "z: \"q\"\r\n";     // 10
    auto s = y::parse(text, "many.yaml");
    ASSERT_EQ(s.errors.size(), 3u) << s.errors[0].message;
    EXPECT_EQ(s.errors[0].mark.line, 2u);
    EXPECT_EQ(s.errors[1].mark.line, 5u);  // the marker inside the open flow sequence
    EXPECT_NE(s.errors[1].message.find("the '[' at line 4, column 4 is still open"), std::string::npos)
        << s.errors[1].message;
    EXPECT_EQ(s.errors[2].mark, (y::Mark{8, 1}));
    ASSERT_EQ(s.documents.size(), 6u);
    EXPECT_EQ(y::to_json(*root_of(s, 0), y::Dialect::Core12), json::parse(R"({"a": 1})"));
    EXPECT_EQ(root_of(s, 1), nullptr);
    EXPECT_EQ(root_of(s, 2), nullptr);
    ASSERT_NE(root_of(s, 3), nullptr);
    EXPECT_EQ(root_of(s, 3)->find("y")->start, (y::Mark{6, 4}));
    EXPECT_EQ(root_of(s, 4), nullptr);
    ASSERT_NE(root_of(s, 5), nullptr);
    EXPECT_EQ(root_of(s, 5)->find("z")->text, "q");
    EXPECT_EQ(root_of(s, 5)->find("z")->start, (y::Mark{10, 4}));
}

TEST(YamlParse, NoDocumentMarkerAfterTheErrorMeansNothingMore) {
    auto s = y::parse("a: 1\n---\nb: [\nc: 2\n", "end.yaml");
    ASSERT_EQ(s.errors.size(), 1u);
    ASSERT_EQ(s.documents.size(), 2u);
    EXPECT_NE(root_of(s, 0), nullptr);
    EXPECT_EQ(root_of(s, 1), nullptr);
    // `---` inside a block scalar's text, indented, is text, not a marker
    auto t = y::parse("a: [\nb: |\n  ---\n  x: 1\n", "blk.yaml");
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.documents.size(), 1u);
    EXPECT_EQ(root_of(t, 0), nullptr);
}

TEST(YamlParse, TagsRedefinedByTagDirectivesAreResolved) {
    auto s = y::parse("%TAG ! tag:example.com,2000:app/\n%TAG !e! tag:e.com/\n---\n- !foo a\n- !e!x%21 b\n- ! c\n"
                      "- !!str d\n---\n- !Ref e\n- !<tag:v> f\n",
                      "tags.yaml");
    ASSERT_TRUE(s.ok()) << s.errors[0].message;
    EXPECT_EQ(root_of(s, 0)->items[0]->tag, "tag:example.com,2000:app/foo");
    EXPECT_EQ(root_of(s, 0)->items[1]->tag, "tag:e.com/x!");
    EXPECT_EQ(root_of(s, 0)->items[2]->tag, "!");  // the non-specific tag stays
    EXPECT_EQ(root_of(s, 0)->items[3]->tag, "!!str");
    // directives end with their document; CloudFormation's short forms stay as written
    EXPECT_EQ(root_of(s, 1)->items[0]->tag, "!Ref");
    EXPECT_EQ(root_of(s, 1)->items[1]->tag, "tag:v");
}

TEST(YamlParse, DuplicateEmptyKeysArePlacedAtTheirValues) {
    auto s = y::parse(": a\n: b\n", "empty-keys.yaml");
    ASSERT_EQ(s.errors.size(), 1u);
    EXPECT_EQ(s.errors[0].mark, (y::Mark{2, 3}));
    EXPECT_EQ(s.errors[0].message, "duplicate key '' (first defined at line 1, column 3)");
}

// Hostile input: millions of repeated keys stop at the error budget (bounded diagnostics,
// memory and time), and a repeated key is dropped as it arrives (the first wins).
TEST(YamlLimits, RepeatedKeysStopAtTheErrorBudget) {
    std::string text;
    for (int i = 0; i < 200000; ++i) text += "a: 1\n";
    coconut::yaml::ParseOptions options;
    options.max_errors = 50;
    const auto s = coconut::yaml::parse(text, "dup.yaml", options);
    ASSERT_EQ(s.errors.size(), 51u);
    EXPECT_EQ(s.errors[0].message, "duplicate key 'a' (first defined at line 1, column 1)");
    EXPECT_EQ(s.errors[0].mark.line, 2u);
    EXPECT_NE(s.errors.back().message.find("too many problems (50): the rest of the input was not read"), std::string::npos);
    // A few repeats: all reported, the first value kept.
    const auto small = coconut::yaml::parse("a: 1\nb: 2\na: 3\n", "x.yaml");
    ASSERT_EQ(small.errors.size(), 1u);
    ASSERT_NE(small.documents[0].root(), nullptr);
    EXPECT_EQ(small.documents[0].root()->pairs.size(), 2u);
    EXPECT_EQ(small.documents[0].root()->find("a")->text, "1");
}

// libfyaml 0.7.12 crashes when destroying the parser after this error (found by fuzz/yaml.cpp:
// `? -x:<TAB>-` segfaulted every command that read it). The input is an error, the process
// lives on, and the document after the next `---` is still read; in both indentation modes.
TEST(YamlLimits, TabBeforeABlockIndicatorInAnExplicitKeyIsAnErrorNotACrash) {
    for (const bool lenient : {true, false}) {
        coconut::yaml::ParseOptions options;
        options.lenient_indentation = lenient;
        for (const char* text : {"? -x:\t-\n", "? x:\t?\n", "? x: \t-\n", "? x:\t:\n", "a:\n  ? -x:\t- a\n"}) {
            const auto s = coconut::yaml::parse(text, "crash.yaml", options);
            EXPECT_FALSE(s.errors.empty()) << text;
        }
        const auto s = coconut::yaml::parse("? x:\t-\n---\nkind: Pod\n", "crash.yaml", options);
        ASSERT_FALSE(s.errors.empty());
        ASSERT_EQ(s.documents.size(), 2u);
        ASSERT_NE(s.documents[1].root(), nullptr);
        EXPECT_EQ(s.documents[1].root()->find("kind")->text, "Pod");
    }
    // A stream of broken documents stops at the error budget like any other problem.
    std::string many;
    for (int i = 0; i < 100; ++i) many += "a: [\n---\n";
    coconut::yaml::ParseOptions budget;
    budget.max_errors = 10;
    const auto stopped = coconut::yaml::parse(many, "many.yaml", budget);
    ASSERT_EQ(stopped.errors.size(), 11u);
    EXPECT_NE(stopped.errors.back().message.find("too many problems (10)"), std::string::npos);
    // The same bytes where they are text (a block scalar, a quoted scalar, a comment) are fine.
    const auto ok = coconut::yaml::parse("a: |\n  ? x:\t-\nb: \"? x:\t-\"\n# ? x:\t-\n", "ok.yaml");
    EXPECT_TRUE(ok.errors.empty());
    ASSERT_NE(ok.documents[0].root(), nullptr);
    EXPECT_EQ(ok.documents[0].root()->find("a")->text, "? x:\t-\n");
}

// libfyaml 0.7.12 reads an empty block scalar inside a nested collection wrongly (it swallows the
// parent's next entries as content) and then returns never-written bytes from fy_token_get_text
// (found by fuzzing: fuzz/corpus/yaml/libfyaml-empty-block-scalar-*). yaml::parse gives such a
// scalar an explicit indentation indicator first; these are the readings PyYAML and go-yaml give.
TEST(YamlParse, EmptyBlockScalarBeforeASiblingIsEmptyInNestedCollections) {
    struct Case {
        const char* text;
        json expected;
    };
    const Case cases[] = {
        {"m:\n  a: |\n  b: 1\n  c:\n    d: 2\n", json::parse(R"({"m": {"a": "", "b": 1, "c": {"d": 2}}})")},
        {"m:\n  a: >-\n  b: x\n", json::parse(R"({"m": {"a": "", "b": "x"}})")},
        {"m:\n  a: |+ # kept\n\n  b: x\n", json::parse(R"({"m": {"a": "\n", "b": "x"}})")},
        {"m:\n  a: !!str |\n  b: x\n", json::parse(R"({"m": {"a": "", "b": "x"}})")},
        {"x:\n  - |\n  - b\n", json::parse(R"({"x": ["", "b"]})")},
        {"x:\n  - k: |\n    j: 2\n", json::parse(R"({"x": [{"k": "", "j": 2}]})")},
        {"    livenebb: |\n    xxxssProbe:\n      httpGet:\n        path: /healthz\n",
         json::parse(R"({"livenebb": "", "xxxssProbe": {"httpGet": {"path": "/healthz"}}})")},
        // Root level was always read right, and stays so.
        {"a: |\nb: 1\n", json::parse(R"({"a": "", "b": 1})")},
        // Content lines that look like headers belong to their scalar: untouched.
        {"cm:\n  data: |\n    a: |\n    b: 1\n  next: 2\n", json::parse(R"({"cm": {"data": "a: |\nb: 1\n", "next": 2}})")},
        // Explicit indentation indicators are the user's: untouched.
        {"m:\n  a: |2\n      x\n  b: 1\n", json::parse(R"({"m": {"a": "  x\n", "b": 1}})")},
        // A non-empty scalar is untouched.
        {"m:\n  a: |\n    text\n  b: 1\n", json::parse(R"({"m": {"a": "text\n", "b": 1}})")},
    };
    for (const auto& c : cases) {
        const auto s = y::parse(c.text, "t.yaml");
        ASSERT_TRUE(s.errors.empty()) << c.text << ": " << s.errors[0].message;
        ASSERT_EQ(s.documents.size(), 1u) << c.text;
        EXPECT_EQ(y::to_json(*s.documents[0].root(), y::Dialect::Core12), c.expected) << c.text;
    }
    // Positions after the rewritten line are the user's: `b` is at 3:3, its value at 3:6.
    const auto s = y::parse("m:\n  a: | # note\n  b: 1\n", "t.yaml");
    ASSERT_TRUE(s.errors.empty());
    const y::Node* key = s.documents[0].root()->find("m")->find_key("b");
    const y::Node* value = s.documents[0].root()->find("m")->find("b");
    ASSERT_NE(key, nullptr);
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(key->start.line, 3u);
    EXPECT_EQ(key->start.column, 3u);
    EXPECT_EQ(value->start.line, 3u);
    EXPECT_EQ(value->start.column, 6u);
}
