#pragma once
// Validation of a coconut.yaml node tree (internal to the spec layer): a structural walk driven
// by the descriptor table (schema.hpp), then the cross-field rules. Collects every problem.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "coconut/spec/schema.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::spec::detail {

// A field path kept as segments ("services", "web", "[0]") so it can be walked again.
class Path {
public:
    Path() = default;
    [[nodiscard]] Path key(std::string_view k) const {
        Path p = *this;
        p.m_parts.emplace_back(k);
        return p;
    }
    [[nodiscard]] Path index(std::size_t i) const {
        Path p = *this;
        p.m_parts.push_back("[" + std::to_string(i) + "]");
        return p;
    }
    [[nodiscard]] const std::vector<std::string>& parts() const { return m_parts; }
    [[nodiscard]] std::string str() const;
    [[nodiscard]] Path prefixed(const Path& prefix) const {
        Path p = prefix;
        p.m_parts.insert(p.m_parts.end(), m_parts.begin(), m_parts.end());
        return p;
    }

private:
    std::vector<std::string> m_parts;
};

struct Issue {
    const yaml::Node* node = nullptr;  // the node the problem is about (may be null)
    yaml::Mark mark;
    Path path;
    std::string message;
};

struct ValidateOptions {
    std::vector<std::string> environment_names;  // for policies.exceptions[].environment
    // Nodes an environment overlay wrote: a dependency cycle is reported at one of them if it can.
    const std::unordered_set<const yaml::Node*>* preferred = nullptr;
};

// Validates a whole spec document (the base, or an environment's merged tree).
void validate_root(const yaml::Node& root, const ValidateOptions& options, std::vector<Issue>& out);

// Target-specific rules (spec/targets/<target>.cpp): one self-registering check per target that
// runs after the structural walk on every validated tree (the base and each environment's merged
// tree; load() reports an environment's issue only when the base does not have it) and reports
// only when the tree enables its target, e.g. Fargate task sizes when `targets.ecs` is present.
// A check may assume the structural walk ran: it must skip (not report) nodes of the wrong kind.
using TargetCheck = void (*)(const yaml::Node& root, std::vector<Issue>& out);
struct TargetCheckRegistration {
    TargetCheckRegistration(const char* target, TargetCheck check);
};
// In a check's .cpp: COCONUT_REGISTER_TARGET_CHECK(ecs, check_ecs);
#define COCONUT_REGISTER_TARGET_CHECK(target, fn) \
    static const ::coconut::spec::detail::TargetCheckRegistration coconut_target_check_##target{#target, fn}

// Helpers shared with the model builder.
const yaml::Node* value_of(const yaml::Node* mapping, std::string_view key);  // nullptr if absent or null
std::string describe_value(const yaml::Node& n);                               // `string "abc"`, `a list`
std::string quote(std::string_view s);                                          // 'text', escaped, shortened
// "did you mean" candidate: util::closest_match, else the one candidate `word` abbreviates.
std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates);
std::string unknown_name_message(std::string_view what, std::string_view name,
                                 const std::vector<std::string>& known, std::string_view plural);

}  // namespace coconut::spec::detail
