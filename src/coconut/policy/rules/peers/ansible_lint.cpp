// ansible-lint's rules at v6.13.1, the version Debian ships (src/ansiblelint/rules/<rule>.py; the
// tag in brackets is the one a rule reports). The ANS-* rules port these matchers; the integration
// suite tests/integration/ansible_lint.sh runs the real ansible-lint next to coconut on
// tests/ansible_corpus/ and requires the same (tag, file, line) findings (100 % agreement on 100
// findings when these entries were written).
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> ansible_lint() {
    const Peer p{"ansible-lint", "ansible/ansible-lint@v6.13.1"};
    return table(
        p,
        {
            {"command-instead-of-module", "src/ansiblelint/rules/command_instead_of_module.py",
             "Reports a command or shell task whose first word (basename) is one of apt-get, chkconfig, curl, "
             "git, hg, letsencrypt, mktemp, mount, patch, rpm, rsync, sed, service, supervisorctl, svn, "
             "systemctl, tar, unzip, wget or yum — except git branch/log/lfs, systemctl --version/kill/"
             "set-default/show-environment/status, yum clean and rpm --nodeps — unless warn is false.",
             ""},
            {"command-instead-of-shell", "src/ansiblelint/rules/command_instead_of_shell.py",
             "Reports a shell task without executable whose command, jinja removed, contains none of "
             "& | < > ; $ newline * [ ] { } ? `.",
             ""},
            {"deprecated-module", "src/ansiblelint/rules/deprecated_module.py",
             "Reports a task whose module is in its list of deprecated modules (accelerate, azure, docker, "
             "ec2_vpc, include, kubernetes, ...).",
             ""},
            {"fqcn[action-core]", "src/ansiblelint/rules/fqcn.py",
             "Reports a task whose module resolves to ansible.builtin but is named otherwise than its "
             "ansible.builtin or ansible.legacy name.",
             ""},
            {"fqcn[action]", "src/ansiblelint/rules/fqcn.py",
             "Reports a task whose module resolves (through the installed Ansible's plugin loader) to a "
             "collection module but is named with fewer than two dots.",
             "coconut recognises the short names that ansible-core 2.14 itself redirects to collections (a "
             "table of the common ones); ansible-lint also knows the modules of collections installed on the "
             "machine that lints."},
            {"fqcn[keyword]", "src/ansiblelint/rules/fqcn.py", "Reports a play of a playbook with a collections key.",
             ""},
            {"ignore-errors", "src/ansiblelint/rules/ignore_errors.py",
             "Reports a task with a truthy ignore_errors (other than \"{{ ansible_check_mode }}\") and no "
             "register.",
             ""},
            {"key-order[task]", "src/ansiblelint/rules/key_order.py",
             "Reports a task whose keys are not in the order name first, block/rescue/always last.", ""},
            {"latest[git]", "src/ansiblelint/rules/latest.py", "Reports a git task whose version is unset or HEAD.",
             ""},
            {"latest[hg]", "src/ansiblelint/rules/latest.py", "Reports an hg task whose revision is unset or default.",
             ""},
            {"literal-compare", "src/ansiblelint/rules/literal_compare.py",
             "Reports a task (or block) with a when condition matching [=!]= ?(True|true|False|false).", ""},
            {"deprecated-local-action", "src/ansiblelint/rules/deprecated_local_action.py",
             "Reports a task with a local_action key.", ""},
            {"name[casing]", "src/ansiblelint/rules/name.py",
             "Reports a play or task name whose first character is a lowercase letter.", ""},
            {"name[missing]", "src/ansiblelint/rules/name.py", "Reports a task (handler, block) without a name.", ""},
            {"name[template]", "src/ansiblelint/rules/name.py",
             "Reports a play or task name with a jinja expression followed by more text (.*{{.*}}.*\\w.*).", ""},
            {"name[play]", "src/ansiblelint/rules/name.py", "Reports a play of a playbook without a name.", ""},
            {"no-changed-when", "src/ansiblelint/rules/no_changed_when.py",
             "Reports a command, shell or raw task (not a handler) without changed_when and without creates or "
             "removes arguments.",
             ""},
            {"no-free-form", "src/ansiblelint/rules/no_free_form.py",
             "Reports a task (not an include/import, not raw) whose module value is a string containing '=', "
             "for command and shell only when it starts with chdir=, creates=, executable=, removes=, stdin=, "
             "stdin_add_newline= or warn=.",
             "The raw-module findings (tags no-free-form[raw] and no-free-form[raw-non-string]) are not part of "
             "this alias."},
            {"no-log-password", "src/ansiblelint/rules/no_log_password.py",
             "Opt-in; reports a looping task (loop or with_*) with an argument whose name contains password and "
             "no true no_log (a templated no_log passes; user with password_lock and no password passes).",
             ""},
            {"no-relative-paths", "src/ansiblelint/rules/no_relative_paths.py",
             "Reports a copy, win_copy, template or win_template task whose src contains ../files, ../templates "
             "or ../win_templates.",
             ""},
            {"package-latest", "src/ansiblelint/rules/package_latest.py",
             "Reports a package-manager task (apk, apt, dnf, gem, npm, package, pip, yum, zypper, ...) with "
             "state: latest and neither version nor update_only.",
             ""},
            {"partial-become", "src/ansiblelint/rules/partial_become.py",
             "Reports a play of a playbook in which a become_user has no become in its lineage (play, blocks, "
             "tasks).",
             ""},
            {"risky-file-permissions", "src/ansiblelint/rules/risky_file_permissions.py",
             "Reports an archive, assemble, copy, file, get_url, replace or template task without mode (except "
             "state absent or link, recurse, file with state file, replace), and a blockinfile, lineinfile, "
             "htpasswd or ini_file task that creates (create, default true for the last two) without mode; "
             "mode: preserve outside copy and template.",
             "coconut also skips blockinfile, lineinfile, htpasswd and ini_file tasks with state absent: "
             "they remove a line, block, user or option from an existing file and never create one, but "
             "ansible-lint 6.13 checks state absent only for the other modules, so it reports e.g. an "
             "ini_file or htpasswd task with state absent and no mode."},
            {"risky-shell-pipe", "src/ansiblelint/rules/risky_shell_pipe.py",
             "Reports a shell task at the top level of a task list, not ignoring errors, whose command (jinja "
             "removed) has a single '|' and no `set ... -o pipefail`.",
             ""},
            {"yaml[truthy]",
             "src/ansiblelint/rules/yaml_rule.py, src/ansiblelint/yaml_utils.py (yamllint configuration)",
             "Reports, through yamllint's truthy rule with ansible-lint's configuration, a plain scalar truth "
             "value other than true and false (yes, no, on, off, True, FALSE, ...).",
             ""},
        });
}

}  // namespace coconut::policy::rules::peers
