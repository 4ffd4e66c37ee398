// ANS-FQCN-BUILTIN, ANS-FQCN, ANS-FQCN-KEYWORD: fully qualified collection names (ansible-lint
// `fqcn[action-core]`, `fqcn[action]`, `fqcn[keyword]`).
#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/ansible/common.hpp"

namespace coconut::policy::rules::ansible {

namespace {

bool has_dot(std::string_view s) { return s.find('.') != std::string_view::npos; }

class AnsFqcnBuiltin : public BasicRule {
public:
    AnsFqcnBuiltin()
        : BasicRule(ansible_rule(
              "ANS-FQCN-BUILTIN", "Builtin module called by its short name", Severity::Low, {"AnsibleTask"},
              "A task calls an `ansible.builtin` module by its short name (`shell:`, `copy:`, `apt:`). "
              "Short names are resolved through the `collections:` search path and `ansible.legacy`, so a "
              "collection or a local module of the same name silently replaces the builtin one. The fully "
              "qualified name makes the module unambiguous and is what ansible-lint's production profile "
              "requires.",
              "Write the fully qualified name, e.g. `ansible.builtin.shell:` instead of `shell:` "
              "(`ansible.legacy.shell` when a local override is intended).",
              {"ansible-lint:fqcn[action-core]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || t.action.empty() || skipped(t) || has_dot(t.action)) return;
        if (!an::is_builtin_module(t.action)) return;
        out.report(doc, t.node,
                   describe(t) + " calls builtin module \"" + t.action + "\" by its short name; write \"ansible.builtin." +
                       t.action + "\"");
    }
};

class AnsFqcn : public BasicRule {
public:
    AnsFqcn()
        : BasicRule(ansible_rule(
              "ANS-FQCN", "Collection module called by its short name", Severity::Low, {"AnsibleTask"},
              "A task calls a module that lives in a collection (`synchronize`, `docker_container`, `ufw`, "
              "...) by its short name. ansible-core only finds it through its legacy redirect table or the "
              "`collections:` keyword; the redirects are deprecated and may point elsewhere after an upgrade. "
              "Only short names that ansible-core 2.14 redirects (a table of the common ones) are recognised.",
              "Write the fully qualified collection name, e.g. `ansible.posix.synchronize:` instead of "
              "`synchronize:`, and list the collection in requirements.yml.",
              {"ansible-lint:fqcn[action]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || t.action.empty() || skipped(t) || has_dot(t.action)) return;
        if (an::is_builtin_module(t.action)) return;
        const std::string_view target = an::collection_redirect(t.action);
        if (target.empty()) return;
        out.report(doc, t.node,
                   describe(t) + " calls module \"" + t.action + "\" by its short name; write \"" +
                       std::string(target) + "\"");
    }
};

class AnsFqcnKeyword : public BasicRule {
public:
    AnsFqcnKeyword()
        : BasicRule(ansible_rule(
              "ANS-FQCN-KEYWORD", "Play uses the collections keyword", Severity::Low, {"AnsiblePlay"},
              "The `collections:` play keyword adds collections to the search path of short module, role "
              "and plugin names, so what a short name means depends on the play it runs in. Fully qualified "
              "names everywhere make the keyword unnecessary.",
              "Remove `collections:` and write fully qualified names for every module, role and plugin.",
              {"ansible-lint:fqcn[keyword]"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.play->node->find_key("collections") == nullptr) return;
        out.report(doc, doc.play->node,
                   describe(*doc.play) + " sets `collections:`; use fully qualified names instead");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsFqcnBuiltin);
COCONUT_REGISTER_RULE(AnsFqcn);
COCONUT_REGISTER_RULE(AnsFqcnKeyword);

}  // namespace coconut::policy::rules::ansible
