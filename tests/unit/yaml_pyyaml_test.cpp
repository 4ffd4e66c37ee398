// Real-style YAML snippets (Kubernetes manifests, CloudFormation, GitHub workflows, Ansible)
// read by coconut's YAML layer and by PyYAML (Debian's python3-yaml, test-only; the loader is
// tests/support/pyyaml_load.py): both must load the same data (coconut read in the YAML 1.1
// dialect, which is PyYAML's), or both must reject the snippet. The few rows where coconut
// deliberately differs say so and why, and the test holds them to exactly that difference.
//
// Without python3-yaml the test is skipped, except under CI=true, where it fails
// (scripts/setup-deps.sh installs python3-yaml).
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "coconut/platform/process_runner.hpp"
#include "coconut/yaml/dialect.hpp"
#include "coconut/yaml/node.hpp"

namespace y = coconut::yaml;
using nlohmann::json;

namespace {

enum class Expect {
    Same,                // both load it, to the same data
    BothReject,          // both reject it
    OnlyPyYamlRejects,   // valid YAML 1.2 that PyYAML's scanner refuses; coconut reads it
    OnlyCoconutRejects,  // coconut refuses by design (e.g. duplicate keys)
};

struct Snippet {
    const char* name;
    const char* text;
    Expect expect = Expect::Same;
    const char* why = "";  // for the two "Only" verdicts
};

// clang-format off
const std::vector<Snippet> k_snippets = {
    // ---- the three examples of issue 9 ----
    {"k8s-command-flow-seq-closing-at-key", R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: nginx
      image: nginx:1.25
      command: [
        "nginx",
        "-g",
        "daemon off;"
      ]
)"},
    {"k8s-labels-flow-map-closing-at-key", R"(metadata:
  name: web
  labels: {
    a: b
  }
)"},
    {"k8s-data-quoted-and-flow-continued-at-key", R"(data:
  k: "line one
  continued at key indent"
  other: [a,
  b]
)"},
    // ---- more flow indentation that kubectl and PyYAML accept ----
    {"k8s-args-items-left-of-key", R"(spec:
  containers:
    - name: app
      args: [
  "--port=8080",
"--verbose"
      ]
)"},
    {"k8s-flow-map-items-at-column-1", R"(spec:
  template:
    metadata:
      labels: {app: web,
tier: frontend}
)"},
    {"k8s-ports-flow-maps-over-lines", R"(ports: [
  {containerPort: 80, protocol: TCP},
  {containerPort: 443,
  name: https}
]
)"},
    {"k8s-comments-in-flow-collections", R"(command: [
  "sh",   # the shell
  "-c",
  # the script
  "echo hi" # trailing
]
selector: { # labels
  app: web }
)"},
    {"flow-trailing-commas", "a: [x, y, ]\nb: {k: v, }\n"},
    {"flow-plain-scalar-wrapping-left", "items: [one two\nthree, four]\n"},
    {"quoted-single-continued-at-column-1", "data:\n  msg: 'it''s one\nline'\n"},
    {"quoted-double-continued-at-column-1", "data:\n  k: \"line one\ncontinued at col 1\"\n"},
    {"flow-seq-in-block-seq-continued-at-column-1", "- [a,\nb]\n- c\n"},
    {"seq-item-flow-map-continued-at-column-1", "- {name: a,\nvalue: b}\n"},
    {"flow-closing-at-column-1-three-levels-down", "a:\n  b:\n    c: [1,\n2\n]\n"},
    {"flow-map-value-on-next-line-at-column-1", "a:\n  b: {x:\n1}\n"},
    {"closing-bracket-indented-more", "a: [\n    1\n        ]\n"},
    {"empty-flow-collections-over-lines", "a: [\n]\nb: {\n}\n"},
    {"top-level-flow-seq-over-lines", "[\n1,\n2\n]\n"},
    {"json-document-brackets-left", "{\"spec\": {\"x\": [\n1]\n},\n  \"b\": {\"c\": null}\n}\n"},
    {"quoted-in-flow-continued-at-column-1", "a:\n  b: [\"x\ny\"]\n"},
    {"double-quoted-continued-left-of-seq-item", "items:\n  - name: \"a\nb\"\n"},
    {"nested-seq-quoted-continued-left", "x:\n  - - \"a\n  b\"\n"},
    // ---- scalars ----
    {"k8s-annotation-plain-multiline", R"(metadata:
  annotations:
    description: this is a long
      description that wraps
      over three lines
)"},
    {"double-quoted-escapes-and-line-continuation", R"(msg: "tab\there \u00e9\x41 \
  joined"
)"},
    {"literal-and-folded-block-scalars", R"(script: |
  set -e
  echo "a"

  echo "b"
strip: |-
  no newline
keep: |+
  two newlines

folded: >
  one
  two

    more indented
  three
)"},
    {"yaml11-booleans-octal-and-sexagesimal", R"(enabled: yes
debug: off
mode: 0644
port: 8080
time: 190:20:30
ratio: 1.5
exp: 1e3
version: "1.10"
when: 2024-01-01
)"},
    {"empty-values-and-nulls", "resources: {}\nargs: []\nnothing:\ntilde: ~\nword: null\n"},
    {"quoted-keys-and-colons-in-values", R"("app.kubernetes.io/name": web
'single key': 1
url: http://example.com:8080/path?a=b#frag
time: "12:30"
)"},
    {"colons-in-flow-plain-scalars", "args: [--url=http://example.com:80/x, a:b]\nm: {a:1}\n"},
    {"json-keys-with-adjacent-colons", "{\"a\":1, \"b\":[true,null]}\n"},
    {"plain-scalars-with-indicators-inside", "a: 100%\nb: b#c\nc: -foo\nd: \"x\\/y \\U0001F600\"\n"},
    // ---- anchors, aliases and merge keys ----
    {"anchors-and-merge-key", R"(x-common: &common
  image: nginx
  env: [{name: A, value: "1"}]
web:
  <<: *common
  name: web
  image: nginx:override
)"},
    {"merge-list-of-anchors", R"(base: &base {cpu: 100m, memory: 128Mi}
big: &big {memory: 1Gi}
svc:
  <<: [*big, *base]
  replicas: 2
)"},
    {"alias-of-sequence", "hosts: &h [a, b]\nagain: *h\n"},
    {"anchored-flow-over-lines", "a: &x [\n1]\nb: *x\n"},
    {"anchor-names-with-dots-and-slashes", "a: &x.y/z 1\nb: *x.y/z\n", Expect::OnlyPyYamlRejects,
     "YAML 1.2 anchors may hold any non-space, non-flow-indicator character; PyYAML and go-yaml "
     "take only letters, digits, '-' and '_'"},
    // ---- complex keys and document markers ----
    {"explicit-key", "? long key\n: value\n? other\n: [1, 2]\n"},
    {"explicit-block-scalar-key", "? |\n  block key\n: v\n"},
    {"multi-document-stream", R"(# first
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
apiVersion: v1
kind: Secret
metadata: {name: b}
...
--- # third, with a comment on the marker
kind: Service
)"},
    {"empty-documents", "---\n---\na: 1\n---\n"},
    {"yaml-1.1-directive", "%YAML 1.1\n---\nanswer: 42\n"},
    {"crlf-line-ends", "a: 1\r\nb:\r\n  - x\r\n  - \"y\r\n  z\"\r\n"},
    {"byte-order-mark", "\xEF\xBB\xBFkey: value\n"},
    {"comment-only-file", "# nothing here\n# at all\n"},
    {"block-scalar-on-document-marker", "--- |\n  text\n"},
    {"document-end-then-directive", "a: 1\n...\n%YAML 1.1\n---\nb: 2\n"},
    {"comment-at-column-1-between-key-and-block", "a:\n# comment at col 1\n  b: 1\n"},
    {"block-seq-at-key-column-after-comment", "a:\n# c\n- 1\n- 2\n"},
    {"spaces-before-colon", "a : 1\nb  :   2\n"},
    {"folded-leading-blank-line", "k: >-\n\n  text\n"},
    // ---- tabs ----
    {"tab-inside-quoted-scalar", "a: \"x\ty\"\nb: 'tab\there'\n"},
    {"tabs-as-separation", "a: x\ty\nb: v\t# comment\nc: [1,\t2]\n", Expect::OnlyPyYamlRejects,
     "YAML 1.2 allows tabs inside plain scalars and as separation (s-separate-in-line), and "
     "kubectl (go-yaml) reads them so; PyYAML's scanner refuses a tab where it looks for a token"},
    {"tab-indentation", "a:\n\tb: 1\n", Expect::BothReject},
    {"tab-line-before-comment", "a: b\n\t# a tab-indented comment line\nc: d\n", Expect::OnlyPyYamlRejects,
     "YAML 1.2 allows tabs as separation before a comment (s-separate-in-line); PyYAML and "
     "go-yaml take a tab at the start of a line for indentation"},
    // ---- CloudFormation ----
    {"cloudformation-short-form-tags", R"(Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-data"
      Tags: [{Key: env, Value: !Ref Env}]
Outputs:
  Arn:
    Value: !GetAtt Bucket.Arn
)"},
    {"cloudformation-tagged-flow-over-lines", R"(Conditions:
  IsProd: !Equals [
    !Ref Env,
    prod
  ]
  Name: !Join
    - "-"
    - - !Ref AWS::StackName
      - data
)"},
    {"cloudformation-tag-on-flow-over-lines", "a: !Split [\",\",\n!Ref X]\n"},
    {"cloudformation-nested-short-forms", "A: !Select [0, !GetAZs '']\nB: !If [C, !Ref D, !Ref \"AWS::NoValue\"]\n"},
    // ---- GitHub workflows ----
    {"github-workflow-on-and-matrix", R"(name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        include:
          - os: ubuntu-latest
            experimental: true
    steps:
      - uses: actions/checkout@v4
      - name: Test
        if: ${{ github.event_name == 'push' }}
        run: |
          make test
          echo "done: ${{ job.status }}"
)"},
    // ---- Ansible ----
    {"ansible-play-with-jinja-and-yes", R"(- hosts: web
  become: yes
  vars:
    pkgs: [nginx, curl]
  tasks:
    - name: install
      apt: name=nginx state=present
      when: ansible_os_family == "Debian"
    - name: template
      template:
        src: "{{ item }}.j2"
        dest: /etc/{{ item }}
        mode: "0644"
      loop: "{{ pkgs }}"
)"},
    {"ansible-unquoted-jinja-mapping-key", "dest: {{ path }}\n", Expect::OnlyPyYamlRejects,
     "a flow mapping as a key: coconut keeps it (and check rules quote the user's text); PyYAML "
     "cannot hash a dict as a key"},
    // ---- errors both reject ----
    {"unterminated-double-quote", "a: \"x\nb: 1\n", Expect::BothReject},
    {"unclosed-flow-sequence", "a: [b, c\nd: 1\n", Expect::BothReject},
    {"plain-continued-at-key-column", "data:\n  k: line one\n  continued\n", Expect::BothReject},
    {"mapping-value-in-plain-scalar", "key: value: other\n", Expect::BothReject},
    {"bad-indentation", "a: 1\n  b: 2\n", Expect::BothReject},
    {"unknown-alias", "a: *nope\n", Expect::BothReject},
    {"quoted-key-over-two-lines", "\"a\n b\": 1\n", Expect::BothReject},
    {"misaligned-mapping-in-seq-item", "- name: foo\n   image: bar\n", Expect::BothReject},
    {"content-after-quoted-scalar", "a: \"x\" y\n", Expect::BothReject},
    {"plain-scalar-starting-with-at", "a: @x\n", Expect::BothReject},
    {"helm-template-directives", "{{- if .Values.x }}\na: 1\n{{- end }}\n", Expect::BothReject},
    {"duplicate-key", "a: 1\nb: 2\na: 3\n", Expect::OnlyCoconutRejects,
     "a repeated key is an error in coconut (go-yaml v3 refuses it too); PyYAML keeps the last"},
};
// clang-format on

// coconut's data as PyYAML's json.dumps shows it: YAML 1.1 values, keys as JSON keys.
json py_data(const y::Node& n) {
    if (n.is_sequence()) {
        json a = json::array();
        for (const auto* c : n.items) a.push_back(py_data(*c));
        return a;
    }
    if (n.is_mapping()) {
        json o = json::object();
        for (const auto& p : n.pairs) {
            std::string key = "<complex key>";
            if (p.key->is_scalar()) {
                switch (y::resolve(*p.key, y::Dialect::Yaml11)) {
                    case y::ScalarType::Null: key = "null"; break;
                    case y::ScalarType::Bool: key = *y::as_bool(*p.key, y::Dialect::Yaml11) ? "true" : "false"; break;
                    case y::ScalarType::Int: key = std::to_string(*y::as_int(*p.key, y::Dialect::Yaml11)); break;
                    default: key = p.key->text;
                }
            }
            o[key] = py_data(*p.value);
        }
        return o;
    }
    return json::parse(y::to_json(n, y::Dialect::Yaml11).dump());
}

json coconut_docs(const y::Stream& s) {
    json docs = json::array();
    for (const auto& d : s.documents) docs.push_back(d.root() ? py_data(*d.root()) : json());
    return docs;
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci && (std::string(ci) == "true" || std::string(ci) == "1");
}

const char* name_of(Expect e) {
    switch (e) {
        case Expect::Same: return "same data";
        case Expect::BothReject: return "both reject";
        case Expect::OnlyPyYamlRejects: return "only PyYAML rejects";
        case Expect::OnlyCoconutRejects: return "only coconut rejects";
    }
    return "?";
}

}  // namespace

TEST(YamlPyYaml, TableHasAtLeastThirtyRealStyleSnippets) {
    std::size_t agreeing = 0;
    for (const auto& s : k_snippets) {
        agreeing += s.expect == Expect::Same || s.expect == Expect::BothReject;
        if (s.expect == Expect::OnlyPyYamlRejects || s.expect == Expect::OnlyCoconutRejects) {
            EXPECT_GE(std::string(s.why).size(), 20u) << s.name << ": a difference says why";
        }
    }
    EXPECT_GE(agreeing, 30u);
}

TEST(YamlPyYaml, SameDataOrBothReject) {
    coconut::platform::ProcessRunner runner;
    coconut::platform::Command probe;
    probe.argv = {"python3", "-c", "import yaml"};
    auto p = runner.run(probe);
    if (!p || !p->ok()) {
        if (in_ci()) FAIL() << "python3 with PyYAML (python3-yaml) is missing; scripts/setup-deps.sh installs it";
        GTEST_SKIP() << "python3 with PyYAML (python3-yaml) is missing; scripts/setup-deps.sh installs it";
    }
    json input = json::array();
    for (const auto& s : k_snippets) input.push_back({{"name", s.name}, {"text", s.text}});
    coconut::platform::Command cmd;
    cmd.argv = {"python3", std::string(COCONUT_SOURCE_DIR) + "/tests/support/pyyaml_load.py"};
    cmd.stdin_data = input.dump();
    cmd.timeout = std::chrono::seconds(60);
    auto r = runner.run(cmd);
    ASSERT_TRUE(r && r->ok()) << (r ? r->err : r.error().message);
    const json results = json::parse(r->out);
    ASSERT_EQ(results.size(), k_snippets.size());

    for (std::size_t i = 0; i < k_snippets.size(); ++i) {
        const Snippet& s = k_snippets[i];
        const json& py = results[i];
        ASSERT_EQ(py["name"], s.name);
        const y::Stream ours = y::parse(s.text, s.name);
        const bool py_ok = py["ok"];
        Expect actual = Expect::Same;
        if (ours.ok() && py_ok) actual = Expect::Same;
        else if (!ours.ok() && !py_ok) actual = Expect::BothReject;
        else if (ours.ok()) actual = Expect::OnlyPyYamlRejects;
        else actual = Expect::OnlyCoconutRejects;
        EXPECT_EQ(name_of(actual), std::string(name_of(s.expect)))
            << s.name << "\n  coconut: "
            << (ours.ok() ? coconut_docs(ours).dump()
                          : std::to_string(ours.errors[0].mark.line) + ":" +
                                std::to_string(ours.errors[0].mark.column) + ": " + ours.errors[0].message)
            << "\n  PyYAML:  " << (py_ok ? py["docs"].dump() : py["error"].get<std::string>());
        if (actual == Expect::Same && s.expect == Expect::Same) {
            // nlohmann::json objects compare without regard to key order, as dicts do
            EXPECT_EQ(coconut_docs(ours), json(py["docs"])) << s.name;
        }
    }
}
