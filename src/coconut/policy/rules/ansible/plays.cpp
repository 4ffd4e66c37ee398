// Play- and file-level rules: ANS-PARTIAL-BECOME, ANS-YAML-TRUTHY (ansible-lint partial-become,
// yaml[truthy]).
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/node_access.hpp"
#include "coconut/policy/rules/ansible/common.hpp"

namespace coconut::policy::rules::ansible {

namespace {

// ansible-lint's partial-become walk over a play and its task lists, blocks included.
std::vector<const yaml::Node*> subtasks(const yaml::Node* n) {
    std::vector<const yaml::Node*> out;
    for (const char* key : {"tasks", "pre_tasks", "post_tasks", "handlers", "block", "always", "rescue"})
        for (const yaml::Node* i : items(n, key))
            if (i->is_mapping()) out.push_back(i);
    return out;
}

bool has_key(const yaml::Node* n, std::string_view key) { return n != nullptr && n->find_key(key) != nullptr; }

bool nested_search(std::string_view term, const yaml::Node* n) {
    if (has_key(n, term)) return true;
    for (const yaml::Node* s : subtasks(n))
        if (nested_search(term, s)) return true;
    return false;
}

bool become_user_without_become(bool above, const yaml::Node* n) {
    if (has_key(n, "become")) return false;
    if (has_key(n, "become_user") && nested_search("become", n)) {
        for (const yaml::Node* s : subtasks(n))
            if (become_user_without_become(false, s)) return true;
        return false;
    }
    if (nested_search("become_user", n)) {
        const auto subs = subtasks(n);
        if (subs.empty()) return true;
        for (const yaml::Node* s : subs)
            if (become_user_without_become(above || has_key(n, "become_user"), s)) return true;
        return false;
    }
    return above;
}

class AnsPartialBecome : public BasicRule {
public:
    AnsPartialBecome()
        : BasicRule(ansible_rule(
              "ANS-PARTIAL-BECOME", "become_user without become", Severity::Medium, {"AnsiblePlay"},
              "A play, block or task sets `become_user:` but nothing in its lineage sets `become:`. Without "
              "`become: true` Ansible does not switch user at all, so the tasks run as the connection user — "
              "not as the user the author intended (files owned by the wrong user, commands with the wrong "
              "privileges).",
              "Add `become: true` next to `become_user:` (on the play, the block or the task).",
              {"ansible-lint:partial-become"}, {{"soc2", "CC6.1"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (!become_user_without_become(false, doc.play->node)) return;
        out.report(doc, doc.play->node,
                   describe(*doc.play) + " sets become_user without become: the user is not switched");
    }
};

class AnsYamlTruthy : public BasicRule {
public:
    AnsYamlTruthy()
        : BasicRule(ansible_rule(
              "ANS-YAML-TRUTHY", "YAML 1.1 boolean spelled yes/no/on/off/True", Severity::Info,
              {"AnsiblePlay", "AnsibleTask"},
              "Ansible reads YAML 1.1, where plain `yes`, `no`, `on`, `off`, `True` and `FALSE` are booleans; "
              "YAML 1.2 tools (and humans) read them differently (`on` is a string in GitHub Actions, `no` "
              "is Norway in a country list). Writing only `true`/`false` for booleans and quoting strings "
              "keeps the meaning the same for every reader — yamllint's truthy rule as ansible-lint runs it.",
              "Write `true` or `false`; quote the value when a string is meant (`\"yes\"`).",
              {"ansible-lint:yaml[truthy]"})) {}

    static void walk(const yaml::Node* n, std::set<const yaml::Node*>& seen, std::vector<const yaml::Node*>& hits) {
        if (n == nullptr || !seen.insert(n).second) return;
        if (n->is_scalar()) {
            static const std::set<std::string, std::less<>> k_truthy = {
                "YES", "Yes", "yes", "NO", "No", "no", "TRUE", "True", "FALSE", "False", "ON", "On", "on", "OFF", "Off", "off"};
            if (n->style == yaml::Style::Plain && n->tag.empty() && k_truthy.count(n->text) != 0) hits.push_back(n);
            return;
        }
        for (const yaml::Node* i : n->items) walk(i, seen, hits);
        for (const auto& p : n->pairs) {
            walk(p.key, seen, hits);
            walk(p.value, seen, hits);
        }
    }

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::File* f = doc.ansible_file;
        if (f == nullptr || f->root == nullptr) return;
        // Once per file: on its first play, or on the first task of a task file.
        const bool first = !f->plays.empty() ? doc.play == &f->plays.front() && doc.task == nullptr
                                             : !f->tasks.empty() && doc.task == &f->tasks.front();
        if (!first) return;
        std::set<const yaml::Node*> seen;
        std::vector<const yaml::Node*> hits;
        walk(f->root, seen, hits);
        std::sort(hits.begin(), hits.end(), [](const yaml::Node* a, const yaml::Node* b) {
            return a->start.line != b->start.line ? a->start.line < b->start.line : a->start.column < b->start.column;
        });
        for (const yaml::Node* h : hits)
            out.report(doc, h, "truthy value " + quote_value(h->text) + " should be true or false");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsPartialBecome);
COCONUT_REGISTER_RULE(AnsYamlTruthy);

}  // namespace coconut::policy::rules::ansible
