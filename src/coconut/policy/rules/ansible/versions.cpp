// Unpinned versions: ANS-PACKAGE-LATEST, ANS-LATEST-GIT, ANS-LATEST-HG (ansible-lint
// package-latest, latest[git], latest[hg]).
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/ansible/common.hpp"

namespace coconut::policy::rules::ansible {

namespace {

const std::vector<ComplianceRef> k_change_control = {{"soc2", "CC8.1"}};

// A `module` task that checks out the moving head: `param` absent or set to `head`.
bool checks_out_head(const an::Task& t, std::string_view module, std::string_view param, std::string_view head) {
    if (t.is_block || skipped(t) || t.module != module) return false;
    const an::Param* v = t.param(param);
    return v == nullptr || v->text == head;
}

class AnsPackageLatest : public BasicRule {
public:
    AnsPackageLatest()
        : BasicRule(ansible_rule(
              "ANS-PACKAGE-LATEST", "Package installed with state: latest", Severity::Low, {"AnsibleTask"},
              "A package manager task uses `state: latest`: every run may upgrade the package to whatever the "
              "repository offers that day, so two runs of the same playbook produce different hosts and an "
              "untested version reaches production without a change in the code.",
              "Use `state: present` and pin the version in the package name (`nginx=1.24.*`) or `version:`; "
              "upgrade deliberately in a reviewed change. `update_only: true` is accepted.",
              {"ansible-lint:package-latest"}, k_change_control)) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t)) return;
        static const std::set<std::string, std::less<>> k_managers = {
            "apk", "apt", "bower", "bundler", "dnf", "easy_install", "gem", "homebrew", "jenkins_plugin", "npm",
            "openbsd_package", "openbsd_pkg", "package", "pacman", "pear", "pip", "pkg5", "pkgutil", "portage",
            "slackpkg", "sorcery", "swdepot", "win_chocolatey", "yarn", "yum", "zypper"};
        if (k_managers.count(t.module) == 0) return;
        const an::Param* state = t.param("state");
        if (state == nullptr || state->text != "latest" || (state->value != nullptr && !state->value->is_scalar())) return;
        if (const an::Param* v = t.param("version"); v != nullptr && v->truthy()) return;
        if (const an::Param* u = t.param("update_only"); u != nullptr && u->truthy()) return;
        const an::Param* name = t.param("name");
        out.report(doc, t.node,
                   describe(t) + " installs " + (name != nullptr && !name->text.empty() ? quote_value(name->text) : "packages") +
                       " with state: latest");
    }
};

class AnsLatestGit : public BasicRule {
public:
    AnsLatestGit()
        : BasicRule(ansible_rule(
              "ANS-LATEST-GIT", "Git checkout of HEAD", Severity::Medium, {"AnsibleTask"},
              "A `git` task checks out `HEAD` (no `version:`, or `version: HEAD`): what gets deployed is "
              "whatever the branch points to at run time, not a reviewed revision, and reruns differ.",
              "Set `version:` to a tag or a commit SHA (or at least a release branch).",
              {"ansible-lint:latest[git]"}, k_change_control)) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (!checks_out_head(t, "git", "version", "HEAD")) return;
        const an::Param* repo = t.param("repo");
        out.report(doc, t.node,
                   describe(t) + " checks out HEAD of " + (repo != nullptr ? quote_value(repo->text) : std::string("the repository")) +
                       "; pin version: to a tag or commit");
    }
};

class AnsLatestHg : public BasicRule {
public:
    AnsLatestHg()
        : BasicRule(ansible_rule(
              "ANS-LATEST-HG", "Mercurial checkout of the default revision", Severity::Medium, {"AnsibleTask"},
              "An `hg` task checks out the `default` revision (no `revision:`, or `revision: default`): the "
              "deployed code is whatever the branch head is at run time, and reruns differ.",
              "Set `revision:` to a tag or a changeset id.", {"ansible-lint:latest[hg]"}, k_change_control)) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (!checks_out_head(t, "hg", "revision", "default")) return;
        out.report(doc, t.node, describe(t) + " checks out the default revision; pin revision: to a tag or changeset");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsPackageLatest);
COCONUT_REGISTER_RULE(AnsLatestGit);
COCONUT_REGISTER_RULE(AnsLatestHg);

}  // namespace coconut::policy::rules::ansible
