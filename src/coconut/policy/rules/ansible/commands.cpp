// Rules about command/shell/raw tasks: ANS-NO-CHANGED-WHEN, ANS-COMMAND-INSTEAD-OF-MODULE,
// ANS-COMMAND-INSTEAD-OF-SHELL, ANS-RISKY-SHELL-PIPE, ANS-NO-FREE-FORM (ansible-lint's
// no-changed-when, command-instead-of-module, command-instead-of-shell, risky-shell-pipe,
// no-free-form).
#include <array>
#include <map>
#include <regex>
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/ansible/common.hpp"

namespace coconut::policy::rules::ansible {

namespace {

using namespace std::string_view_literals;

std::vector<std::string> split_ws(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        std::size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// ansible-lint's get_first_cmd_arg / get_second_cmd_arg: words of `cmd` or of the first argument.
std::vector<std::string> command_words(const an::Task& t) {
    if (const an::Param* cmd = t.param("cmd"); cmd != nullptr) return split_ws(cmd->text);
    const auto args = command_arguments(t);
    if (args.empty()) return {};
    return split_ws(args.front());
}

class AnsNoChangedWhen : public BasicRule {
public:
    AnsNoChangedWhen()
        : BasicRule(ansible_rule(
              "ANS-NO-CHANGED-WHEN", "Command task without changed_when", Severity::Medium, {"AnsibleTask"},
              "`command`, `shell` and `raw` tasks always report `changed`, so every run looks like a change, "
              "handlers fire needlessly and check mode tells nothing. ansible-lint flags such tasks (outside "
              "handlers) unless they set `changed_when:` or the `creates`/`removes` arguments.",
              "Add `changed_when:` (e.g. `changed_when: false` for read-only commands or a condition on the "
              "registered result), or `creates:`/`removes:` so the command only runs when needed.",
              {"ansible-lint:no-changed-when"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || t.action_type() == "handler") return;
        static const std::set<std::string, std::less<>> k_commands = {
            "command", "shell", "raw", "ansible.legacy.command", "ansible.legacy.shell", "ansible.legacy.raw"};
        if (k_commands.count(t.module) == 0) return;
        if (t.node->find_key("changed_when") != nullptr || t.param("creates") != nullptr || t.param("removes") != nullptr)
            return;
        out.report(doc, t.node, describe(t) + " runs " + t.action + " without changed_when, creates or removes");
    }
};

class AnsCommandInsteadOfModule : public BasicRule {
public:
    AnsCommandInsteadOfModule()
        : BasicRule(ansible_rule(
              "ANS-COMMAND-INSTEAD-OF-MODULE", "Command used where a module exists", Severity::Medium,
              {"AnsibleTask"},
              "A `command` or `shell` task runs a program that an Ansible module manages idempotently "
              "(`git`, `systemctl`, `apt-get`, `curl`, `wget`, `tar`, `sed`, `rsync`, ...). The module knows "
              "the current state, reports changes correctly and supports check mode; the command does not.",
              "Use the module named in the message (e.g. `ansible.builtin.git`, `ansible.builtin.systemd`, "
              "`ansible.builtin.get_url`) instead of running the program.",
              {"ansible-lint:command-instead-of-module"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || (t.module != "command" && t.module != "shell")) return;
        static const std::map<std::string, std::string, std::less<>> k_modules = {
            {"apt-get", "apt-get"}, {"chkconfig", "service"}, {"curl", "get_url or uri"}, {"git", "git"},
            {"hg", "hg"}, {"letsencrypt", "acme_certificate"}, {"mktemp", "tempfile"}, {"mount", "mount"},
            {"patch", "patch"}, {"rpm", "yum or rpm_key"}, {"rsync", "synchronize"},
            {"sed", "template, replace or lineinfile"}, {"service", "service"}, {"supervisorctl", "supervisorctl"},
            {"svn", "subversion"}, {"systemctl", "systemd"}, {"tar", "unarchive"}, {"unzip", "unarchive"},
            {"wget", "get_url or uri"}, {"yum", "yum"}};
        static const std::map<std::string, std::set<std::string, std::less<>>, std::less<>> k_allowed = {
            {"git", {"branch", "log", "lfs"}},
            {"systemctl", {"--version", "kill", "set-default", "show-environment", "status"}},
            {"yum", {"clean"}},
            {"rpm", {"--nodeps"}}};
        const auto words = command_words(t);
        if (words.empty()) return;
        std::string exe = words[0];
        if (const auto slash = exe.find_last_of('/'); slash != std::string::npos) exe = exe.substr(slash + 1);
        if (words.size() > 1)
            if (auto it = k_allowed.find(exe); it != k_allowed.end() && it->second.count(words[1]) != 0) return;
        const auto it = k_modules.find(exe);
        if (it == k_modules.end()) return;
        if (const an::Param* warn = t.param("warn"); warn != nullptr && !warn->boolean()) return;
        out.report(doc, t.node, describe(t) + " runs " + exe + "; use the " + it->second + " module instead");
    }
};

class AnsCommandInsteadOfShell : public BasicRule {
public:
    AnsCommandInsteadOfShell()
        : BasicRule(ansible_rule(
              "ANS-COMMAND-INSTEAD-OF-SHELL", "Shell used without shell features", Severity::Low, {"AnsibleTask"},
              "A `shell` task runs a command that uses no shell feature (no pipe, redirection, chaining, "
              "variable, glob or newline). `command` runs it without a shell, so nothing in the arguments "
              "can be interpreted by the shell by accident.",
              "Use `ansible.builtin.command` for plain commands; keep `shell` for pipes, redirections and "
              "other shell syntax (or when `executable:` is set).",
              {"ansible-lint:command-instead-of-shell"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || t.module != "shell") return;
        if (t.param("executable") != nullptr) return;
        // The user's command as written; the jinja-free copy (placeholders) is only for the test.
        std::string command;
        if (const an::Param* cmd = t.param("cmd"); cmd != nullptr) {
            command = cmd->text;
        } else {
            for (const auto& a : command_arguments(t)) command += (command.empty() ? "" : " ") + a;
        }
        if (unjinja(command).find_first_of("&|<>;$\n*[]{}?`") != std::string::npos) return;
        out.report(doc, t.node, describe(t) + " uses shell for " + quote_value(command) + ", which needs no shell; use command");
    }
};

class AnsRiskyShellPipe : public BasicRule {
public:
    AnsRiskyShellPipe()
        : BasicRule(ansible_rule(
              "ANS-RISKY-SHELL-PIPE", "Shell pipeline without pipefail", Severity::Medium, {"AnsibleTask"},
              "A `shell` task runs a pipeline without `set -o pipefail`: when a command other than the last "
              "one fails, the pipeline still exits 0 and Ansible reports success. ansible-lint checks "
              "free-form shell tasks at the top level of tasks/pre_tasks/post_tasks that do not ignore errors.",
              "Start the script with `set -o pipefail` (and set `executable: /bin/bash` where /bin/sh is "
              "dash), or avoid the pipe.",
              {"ansible-lint:risky-shell-pipe"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || t.action_type() != "task" || t.module != "shell") return;
        if (truthy(t.keyword("ignore_errors"))) return;
        if (const an::Param* ie = t.param("ignore_errors"); ie != nullptr && ie->boolean()) return;
        std::string joined;
        for (const auto& a : command_arguments(t)) joined += (joined.empty() ? "" : " ") + a;
        const std::string text = unjinja(joined);
        bool pipe = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] != '|') continue;
            if ((i > 0 && text[i - 1] == '|') || (i + 1 < text.size() && text[i + 1] == '|')) continue;
            pipe = true;
            break;
        }
        if (!pipe) return;
        static const std::regex k_pipefail(R"(^\s*set.*[+-][A-Za-z]*o\s*pipefail)");
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            // `\s*` may run over newlines in Python's re.M; lines suffice for real scripts.
            if (std::regex_search(text.begin() + static_cast<std::ptrdiff_t>(start),
                                  text.begin() + static_cast<std::ptrdiff_t>(end), k_pipefail))
                return;
            start = end + 1;
        }
        out.report(doc, t.node, describe(t) + " pipes commands without `set -o pipefail`");
    }
};

class AnsNoFreeForm : public BasicRule {
public:
    AnsNoFreeForm()
        : BasicRule(ansible_rule(
              "ANS-NO-FREE-FORM", "Module arguments in free-form key=value text", Severity::Low, {"AnsibleTask"},
              "A module is called with `key=value` arguments inside a string (`apt: name=nginx state=present`, "
              "`command: chdir=/srv make`). Free-form text is split by Ansible's own quoting rules, values are "
              "always strings and typos are not caught by argument validation.",
              "Pass the arguments as a YAML mapping (`ansible.builtin.apt: {name: nginx, state: present}`); "
              "for command/shell use `cmd:` with `chdir:`/`creates:` as separate keys.",
              {"ansible-lint:no-free-form"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || t.old_style || t.action.empty()) return;
        static const std::set<std::string, std::less<>> k_inclusions = {
            "include", "include_tasks", "import_playbook", "import_tasks", "ansible.builtin.include",
            "ansible.builtin.include_tasks", "ansible.builtin.import_playbook", "ansible.builtin.import_tasks"};
        if (k_inclusions.count(t.action) != 0 || t.module == "raw") return;
        if (t.args == nullptr || !t.args->is_scalar() || t.args->is_null()) return;
        const std::string& value = t.args->text;
        if (value.find('=') == std::string::npos) return;
        static const std::set<std::string, std::less<>> k_cmd = {"command", "shell", "win_command", "win_shell",
                                                                 "ansible.windows.win_command",
                                                                 "ansible.windows.win_shell"};
        if (k_cmd.count(t.module) != 0) {
            static const std::regex k_cmd_re("^(chdir|creates|executable|removes|stdin|stdin_add_newline|warn)=");
            if (!std::regex_search(value, k_cmd_re)) return;
        }
        out.report(doc, t.node, describe(t) + " passes free-form arguments to " + t.action + ": " + quote_value(value));
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsNoChangedWhen);
COCONUT_REGISTER_RULE(AnsCommandInsteadOfModule);
COCONUT_REGISTER_RULE(AnsCommandInsteadOfShell);
COCONUT_REGISTER_RULE(AnsRiskyShellPipe);
COCONUT_REGISTER_RULE(AnsNoFreeForm);

}  // namespace coconut::policy::rules::ansible
