// Names of plays and tasks: ANS-NAME-MISSING, ANS-PLAY-NAME-MISSING, ANS-NAME-CASING,
// ANS-NAME-TEMPLATE (ansible-lint name[missing], name[play], name[casing], name[template]).
#include <cctype>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/ansible/common.hpp"

namespace coconut::policy::rules::ansible {

namespace {

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

// ansible-lint strips the "{stem} | " prefix of task names in task files other than main.yml.
std::string effective_name(const Document& doc, const std::string& name) {
    if (doc.task == nullptr || doc.ansible_file == nullptr) return name;
    const an::File& f = *doc.ansible_file;
    if (f.kind != an::FileKind::Tasks || f.section != "tasks" || f.stem == "main") return name;
    const std::string prefix = f.stem + " | ";
    return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

// `.*\{\{.*\}\}.*\w.*$` matched at the start: on the first line, a jinja expression followed by
// a word character.
bool templated_inside(const std::string& name) {
    const std::string line = name.substr(0, name.find('\n'));
    const auto open = line.find("{{");
    if (open == std::string::npos) return false;
    for (auto close = line.find("}}", open + 2); close != std::string::npos; close = line.find("}}", close + 1))
        for (std::size_t i = close + 2; i < line.size(); ++i)
            if (is_word(line[i])) return true;
    return false;
}

struct Named {
    std::string name;
    const yaml::Node* at = nullptr;
    std::string what;
};

Named named_of(const Document& doc) {
    if (doc.task != nullptr) return {doc.task->name, doc.task->node, describe(*doc.task)};
    return {doc.play->name, doc.play->node, describe(*doc.play)};
}

class AnsNameMissing : public BasicRule {
public:
    AnsNameMissing()
        : BasicRule(ansible_rule(
              "ANS-NAME-MISSING", "Task without a name", Severity::Low, {"AnsibleTask"},
              "Every task, handler and block should have a `name:`. Names are what the run output, the logs "
              "and `--start-at-task` show; an unnamed task appears as its module and arguments, which makes "
              "runs hard to follow and audit.",
              "Add a `name:` that says what the task achieves, starting with an uppercase letter.",
              {"ansible-lint:name[missing]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (skipped(t) || !t.name.empty()) return;
        if (t.name_node != nullptr && !t.name_node->is_scalar()) return;
        out.report(doc, t.node, describe(t) + " has no name");
    }
};

class AnsPlayNameMissing : public BasicRule {
public:
    AnsPlayNameMissing()
        : BasicRule(ansible_rule(
              "ANS-PLAY-NAME-MISSING", "Play without a name", Severity::Low, {"AnsiblePlay"},
              "Every play (and every `import_playbook` entry) of a playbook should have a `name:`; the run "
              "output shows it as the PLAY header, and unnamed plays only show their host pattern.",
              "Add a `name:` to the play that says what it configures.", {"ansible-lint:name[play]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Play& p = *doc.play;
        if (p.node->find_key("name") != nullptr) return;
        out.report(doc, p.node, describe(p) + " has no name");
    }
};

class AnsNameCasing : public BasicRule {
public:
    AnsNameCasing()
        : BasicRule(ansible_rule(
              "ANS-NAME-CASING", "Name starts with a lowercase letter", Severity::Info, {"AnsiblePlay", "AnsibleTask"},
              "Play and task names should start with an uppercase letter, so the run output reads "
              "consistently. Names starting with a digit, a symbol or a jinja expression are accepted.",
              "Capitalise the first letter of the name.", {"ansible-lint:name[casing]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.task != nullptr && skipped(*doc.task)) return;
        const Named n = named_of(doc);
        if (n.name.empty()) return;
        const std::string eff = effective_name(doc, n.name);
        if (eff.empty()) return;
        const auto c = static_cast<unsigned char>(eff[0]);
        if (!(c >= 'a' && c <= 'z')) return;
        out.report(doc, n.at, n.what + " starts with a lowercase letter");
    }
};

class AnsNameTemplate : public BasicRule {
public:
    AnsNameTemplate()
        : BasicRule(ansible_rule(
              "ANS-NAME-TEMPLATE", "Jinja expression inside a name", Severity::Info, {"AnsiblePlay", "AnsibleTask"},
              "A name with a jinja expression in the middle (`Install {{ pkg }} on web`) is rendered "
              "differently per host and cannot be found by `--start-at-task` or in logs; put templates only "
              "at the end of a name.",
              "Move the jinja expression to the end of the name (`Install on web | {{ pkg }}`).",
              {"ansible-lint:name[template]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.task != nullptr && skipped(*doc.task)) return;
        const Named n = named_of(doc);
        if (n.name.empty() || !templated_inside(n.name)) return;
        out.report(doc, n.at, n.what + " has a jinja expression before the end of the name");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsNameMissing);
COCONUT_REGISTER_RULE(AnsPlayNameMissing);
COCONUT_REGISTER_RULE(AnsNameCasing);
COCONUT_REGISTER_RULE(AnsNameTemplate);

}  // namespace coconut::policy::rules::ansible
