#pragma once
// Shared helpers of the GitHub Actions workflow rules (ids GHA-…): the workflow's triggers, its
// jobs and steps, `${{ … }}` expressions and the contexts they read, and the source position of
// a piece of a scalar (so a finding in a multi-line `run:` block points at the right line).
// Workflows are YAML 1.2 (GitHub's parser): `on:` is a key, `yes` is a string.
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/node_access.hpp"
#include "coconut/policy/document.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::policy::rules::github {

struct Step {
    const yaml::Node* node = nullptr;  // the step mapping, never null
    std::size_t index = 0;             // 1-based position in the job
    std::string name;                  // `name:`, empty when absent
    const yaml::Node* uses = nullptr;
    const yaml::Node* run = nullptr;
    const yaml::Node* with = nullptr;
    const yaml::Node* env = nullptr;

    // `step "Build"` or `step 3`.
    [[nodiscard]] std::string label() const;
    // The action of `uses:` without its ref, lowercased ("actions/checkout",
    // "github/codeql-action/init"); empty for `run:` steps, local (./) and docker:// actions.
    [[nodiscard]] std::string action() const;
};

struct Job {
    std::string id;
    const yaml::Node* key = nullptr;   // the job id's key node
    const yaml::Node* node = nullptr;  // the job mapping, never null
    std::vector<Step> steps;

    // `job "build"`.
    [[nodiscard]] std::string label() const;
};

// The jobs of a workflow (mappings only), in source order.
std::vector<Job> jobs(const Document& doc);

// The events that trigger the workflow (`on: push`, `on: [push, pull_request]` or
// `on: {push: …}`), with the node naming each.
struct Trigger {
    std::string event;
    const yaml::Node* node = nullptr;
};
std::vector<Trigger> triggers(const Document& doc);
bool has_trigger(const Document& doc, std::string_view event);
// The first trigger of the workflow that is one of `events`; empty when none is.
std::string first_trigger(const Document& doc, std::initializer_list<std::string_view> events);

// Events a person without write access to the repository can cause (a fork's pull request, an
// issue, a comment…).
bool is_public_trigger(std::string_view event);

// ---- expressions ----
struct Expression {
    std::size_t offset = 0;  // of "${{" in the text
    std::size_t length = 0;  // through the closing "}}"
    std::string body;        // between the braces, trimmed
};
std::vector<Expression> expressions(std::string_view text);

// The context paths an expression reads, lowercased, with indexes as `*`:
// "github.event.commits[0].message" -> "github.event.commits.*.message". Function names and
// string literals are skipped.
std::vector<std::string> context_paths(std::string_view body);

// Each context path of an expression, and whether its value can reach the expression's result:
// an operand of a comparison (`x != null`), a negation (`!x`) or an argument of a boolean
// function (`contains(x, 'y')`) only yields true or false, never the text of x.
struct ContextRef {
    std::string path;
    bool reaches_value = true;
};
std::vector<ContextRef> context_refs(std::string_view body);
// The paths of context_refs whose value can reach the result.
std::vector<std::string> value_context_paths(std::string_view body);

// An attacker-controllable context (issue/PR/comment/review titles and bodies, commit messages
// and author names, branch names, page names…) or an object that contains one (for
// `toJSON(github.event.pull_request)`). Returns false for the safe fields (numbers, SHAs, logins).
bool is_untrusted_context(std::string_view path);

// Each line of a multi-line scalar (a `run:` script) with the offset where it starts in `text`;
// a text ending in a newline ends with an empty line.
void for_each_line(const std::string& text, const std::function<void(const std::string& line, std::size_t offset)>& fn);

// ---- positions ----
// The source position of text[offset, offset+length) of a scalar node: found by looking for the
// same characters in the node's source span, so it is exact for block scalars (`run: |`) and
// plain scalars; the node's start when it cannot be told (escapes, folding).
yaml::Mark mark_at(const Document& doc, const yaml::Node* scalar, std::size_t offset, std::size_t length);

// ---- scalar access (YAML 1.2) ----
std::optional<bool> as_bool(const yaml::Node* node);

// The RuleInfo skeleton of a GitHub workflow rule.
RuleInfo workflow_rule(std::string id, std::string title, Severity severity);

}  // namespace coconut::policy::rules::github
