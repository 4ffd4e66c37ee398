#pragma once
// Shared by the Ansible rules (ANS-…): rule metadata, task descriptions for messages and the
// small pieces of ansible-lint 6.13's semantics that several rules use (jinja stripping, YAML 1.1
// truthiness, skip tags). Each rule follows the ansible-lint rule it is aliased to, including
// the line it reports (the task's or play's first line).
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/ansible/reader.hpp"
#include "coconut/policy/rule.hpp"

namespace coconut::policy::rules::ansible {

namespace an = coconut::policy::ansible;

// RuleInfo with input Ansible and the given kinds; no_compliance_reason k_hygiene unless
// compliance is given.
RuleInfo ansible_rule(std::string id, std::string title, Severity severity, std::vector<std::string> kinds,
                      std::string description, std::string remediation, std::vector<std::string> aliases,
                      std::vector<ComplianceRef> compliance = {});

// `task "Install nginx"`, `handler "Restart nginx"`, `block "Configure"`, or for unnamed ones
// `unnamed task (ansible.builtin.shell)` / `unnamed block`.
std::string describe(const an::Task& task);
// `play "Web servers"` / `unnamed play`.
std::string describe(const an::Play& play);

// A value for messages: at most 60 characters, in double quotes.
std::string quote_value(std::string_view text);

// ansible-lint's unjinja(): {{…}}, {%…%}, {#…#} (within one line) replaced by placeholders.
std::string unjinja(std::string_view text);

// Python truthiness of a YAML value (policy/ansible/reader.hpp).
using an::truthy;

// The task carries the `skip_ansible_lint` tag (ansible-lint skips it for every task rule).
bool skipped(const an::Task& task);

// ansible-lint's command argument list: [raw params] or the argv list.
std::vector<std::string> command_arguments(const an::Task& task);

}  // namespace coconut::policy::rules::ansible
