#pragma once
// Shared by the Dockerfile rules (DF-…): rule metadata, the shell scripts of RUN instructions
// (shell form, `sh -c` exec form, heredoc bodies) split into commands with source positions,
// and the chain of stages an image is built from.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/dockerfile/parser.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/dockerfile/shell.hpp"

namespace coconut::policy::rules::dockerfile {

namespace df = coconut::policy::dockerfile;

// RuleInfo with input Dockerfile, kinds {"Dockerfile"} and, unless compliance is given,
// no_compliance_reason k_hygiene.
RuleInfo dockerfile_rule(std::string id, std::string title, Severity severity, std::string description,
                         std::string remediation, std::vector<std::string> aliases,
                         std::vector<ComplianceRef> compliance = {});

// One shell script run by a RUN instruction.
struct Script {
    const df::Instruction* instruction = nullptr;
    const df::Heredoc* heredoc = nullptr;   // set when the script is a heredoc body
    bool exec = false;                      // from the exec (JSON) form: no exact positions
    std::vector<Command> commands;

    [[nodiscard]] yaml::Mark mark_at(std::size_t offset) const;
    // The program word of `c` (or its first word).
    [[nodiscard]] yaml::Mark mark_of(const Command& c) const;
    [[nodiscard]] yaml::Mark mark_of(const Word& w) const { return mark_at(w.offset); }
};

// The scripts of the RUN instructions with index in [begin, end) of d.instructions:
//  - shell form: the arguments;
//  - exec form: the script of `["sh", "-c", SCRIPT]` (any POSIX shell), otherwise the array as
//    one command;
//  - heredoc bodies that are scripts: `RUN <<EOF` alone (unless a #! line names a non-shell
//    interpreter) or fed to a shell (`RUN bash <<EOF`); `RUN python3 <<EOF` and
//    `RUN cat <<EOF > file` bodies are not.
std::vector<Script> run_scripts(const df::Dockerfile& d, std::size_t begin, std::size_t end);
std::vector<Script> run_scripts(const df::Dockerfile& d);

// The stage, then the earlier stage it is built FROM, and so on.
std::vector<const df::Stage*> stage_chain(const df::Dockerfile& d, const df::Stage& stage);
// Every instruction in effect for `stage`: those of its chain, oldest first.
std::vector<const df::Instruction*> chain_instructions(const df::Dockerfile& d, const df::Stage& stage);

// `stage "build" (node:20)` or `stage 2 (node:20)` for messages.
std::string describe_stage(const df::Stage& stage);

// A value for messages: at most 60 characters, in double quotes.
std::string quoted(std::string_view text);

// True when some argument word of `c` (after the program) equals `arg`.
bool has_arg(const Command& c, std::string_view arg);

// The index of the subcommand of a package manager command (`apt-get -q install x` -> index of
// "install"), skipping options; `with_value` lists options that take the next word as value.
std::size_t subcommand_index(const Command& c, const std::vector<std::string_view>& with_value);

// True when the RUN has a `--mount=type=cache|tmpfs` whose target contains `path_part`.
bool has_cache_mount(const df::Instruction& run, std::string_view path_part);

// Words that are not literal package names: options, variables, paths, URLs.
bool is_variable(std::string_view word);

}  // namespace coconut::policy::rules::dockerfile
