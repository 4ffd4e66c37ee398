// File modules: ANS-RISKY-FILE-PERMISSIONS, ANS-NO-RELATIVE-PATHS (ansible-lint
// risky-file-permissions, no-relative-paths).
#include <map>
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/ansible/common.hpp"

namespace coconut::policy::rules::ansible {

namespace {

class AnsRiskyFilePermissions : public BasicRule {
public:
    AnsRiskyFilePermissions()
        : BasicRule(ansible_rule(
              "ANS-RISKY-FILE-PERMISSIONS", "File created without an explicit mode", Severity::High, {"AnsibleTask"},
              "A task that creates a file or directory (`copy`, `template`, `file` with state directory/touch, "
              "`get_url`, `assemble`, `archive`, and `lineinfile`/`blockinfile`/`ini_file`/`htpasswd` with "
              "`create`) sets no `mode:`. The permissions then depend on the remote umask and the Ansible "
              "version (ansible/ansible#71200), so secrets and configuration can end up world-readable. Tasks "
              "with `state: absent` (they remove a file, or a line, block, option or user from one) and "
              "symlinks are not judged.",
              "Set `mode:` explicitly as a quoted string (`mode: \"0644\"`, `mode: \"0600\"` for secrets, "
              "`u=rw,g=r,o=`); `mode: preserve` is only valid for copy and template.",
              {"ansible-lint:risky-file-permissions"}, {{"soc2", "CC6.1"}, {"hipaa", "164.312(a)(1)"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t)) return;
        static const std::set<std::string, std::less<>> k_modules = {
            "archive", "community.general.archive", "assemble", "copy", "file", "get_url", "replace", "template"};
        static const std::map<std::string, bool, std::less<>> k_with_create = {
            {"blockinfile", false}, {"htpasswd", true}, {"community.general.htpasswd", true}, {"ini_file", true},
            {"community.general.ini_file", true}, {"lineinfile", false}};
        const auto create_it = k_with_create.find(t.module);
        if (k_modules.count(t.module) == 0 && create_it == k_with_create.end()) return;
        const an::Param* mode = t.param("mode");
        const bool no_mode = mode == nullptr || mode->is_null();
        const std::string target = [&] {
            for (const char* k : {"dest", "path", "name"})
                if (const an::Param* p = t.param(k); p != nullptr && !p->text.empty()) return " for " + quote_value(p->text);
            return std::string();
        }();
        if (mode != nullptr && mode->text == "preserve" && t.module != "copy" && t.module != "template") {
            out.report(doc, t.node, describe(t) + " sets mode: preserve, which " + t.module + " does not support");
            return;
        }
        const an::Param* state = t.param("state");
        const std::string st = state != nullptr ? state->text : std::string();
        if (create_it != k_with_create.end()) {
            // `state: absent` removes a line, block, option or user from an existing file: it never
            // creates one (ansible-lint 6.13 still reports it when create is true).
            if (st == "absent") return;
            const an::Param* create = t.param("create");
            const bool creates = create != nullptr ? create->truthy() : create_it->second;
            if (creates && no_mode) out.report(doc, t.node, describe(t) + " may create a file" + target + " without mode:");
            return;
        }
        if (st == "absent" || st == "link") return;
        if (const an::Param* r = t.param("recurse"); r != nullptr && r->truthy()) return;
        if (t.module == "file" && (state == nullptr || st == "file")) return;
        if (t.module == "replace" && no_mode) return;
        if (!no_mode) return;
        out.report(doc, t.node, describe(t) + " creates a file" + target + " without mode:");
    }
};

class AnsNoRelativePaths : public BasicRule {
public:
    AnsNoRelativePaths()
        : BasicRule(ansible_rule(
              "ANS-NO-RELATIVE-PATHS", "copy/template src climbs into files/ or templates/", Severity::Low,
              {"AnsibleTask"},
              "A `copy` or `template` task names its source as `../files/...` or `../templates/...`. Roles "
              "already look up `src` in their own files/ and templates/ directories; the relative path breaks "
              "when the role or playbook moves and hides where the file really comes from.",
              "Write the path relative to the role's files/ or templates/ directory (`src: nginx.conf.j2`).",
              {"ansible-lint:no-relative-paths"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t)) return;
        static const std::map<std::string, std::string, std::less<>> k_folders = {
            {"copy", "files"}, {"win_copy", "files"}, {"template", "templates"}, {"win_template", "win_templates"}};
        const auto it = k_folders.find(t.module);
        if (it == k_folders.end()) return;
        const an::Param* src = t.param("src");
        if (src == nullptr || src->text.find("../" + it->second) == std::string::npos) return;
        out.report(doc, t.node, describe(t) + " uses the relative src " + quote_value(src->text));
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsRiskyFilePermissions);
COCONUT_REGISTER_RULE(AnsNoRelativePaths);

}  // namespace coconut::policy::rules::ansible
