#pragma once
// Shared helpers of the AWS Copilot manifest rules (ids COP-…). A Copilot workload manifest is
// the base configuration plus per-environment overrides under `environments:`
// (`environments: {production: {count: 3}}`); Copilot deep-merges an override over the base
// for that environment. Rules look at every scope (the base and each override) and report at
// the node that sets the value.
#include <cstdint>
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

namespace coconut::policy::rules::copilot {

// Manifest `type:` values.
inline constexpr std::string_view k_lb_web_service = "Load Balanced Web Service";
inline constexpr std::string_view k_backend_service = "Backend Service";
inline constexpr std::string_view k_worker_service = "Worker Service";
inline constexpr std::string_view k_rd_web_service = "Request-Driven Web Service";
inline constexpr std::string_view k_scheduled_job = "Scheduled Job";

// One place a setting can come from: the base manifest (env empty, node == root) or the
// override mapping of one environment.
struct Scope {
    std::string env;                   // empty for the base manifest
    const yaml::Node* node = nullptr;  // the mapping holding the settings, never null
    const yaml::Node* key = nullptr;   // the environment's key node (null for the base)
    bool production = false;           // is_production(env)

    [[nodiscard]] bool base() const { return env.empty(); }
    // "" for the base, ` in environment "production"` otherwise (for messages).
    [[nodiscard]] std::string where() const;
    // Where to report a missing setting of this scope: the root for the base, the
    // environment's key otherwise.
    [[nodiscard]] const yaml::Node* anchor() const { return key != nullptr ? key : node; }
};

// An environment name that denotes production: one of its words (split at - _ .) is prod, prd,
// production or live, optionally numbered ("prod", "prod-eu", "eu-prod2", "production_us",
// "live"), and none marks a pre- or non-production stage ("preprod", "pre-prod", "nonprod").
// Case-insensitive.
bool is_production(std::string_view env);

// The manifest's `type:` and `name:` (empty when absent).
std::string_view type(const Document& doc);
std::string_view name(const Document& doc);
// `Backend Service "api"` — for messages.
std::string subject(const Document& doc);

// The base scope followed by one scope per environment override (in source order; overrides
// that are not mappings are skipped).
std::vector<Scope> scopes(const Document& doc);
// The scopes of a manifest whose type is one of `types`; none for any other manifest.
std::vector<Scope> scopes_of(const Document& doc, std::initializer_list<std::string_view> types);

// ---- scalar access ----
// A present, non-null value (an empty sequence or mapping counts as unset).
bool is_set(const yaml::Node* node);
// Copilot reads manifests with go-yaml v3, which accepts YAML 1.1 booleans (yes/no/on/off)
// when decoding into a bool field.
std::optional<bool> as_bool(const yaml::Node* node);
std::optional<std::int64_t> as_int(const yaml::Node* node);
// Where to report a setting missing along `keys` below `map`: the key of the deepest mapping
// that exists on the path (`map` itself when the first key is absent).
const yaml::Node* deepest(const yaml::Node* map, std::initializer_list<std::string_view> keys);

// A setting every environment should have (a health check, rollback alarms, a read-only root
// file system). Returns the places to report it missing:
//   - the base has it (per `has`): nothing;
//   - no scope has it: the base (at `base_at`);
//   - some environments have it: each production environment that does not (at its key).
struct Missing {
    const Scope* scope = nullptr;
    const yaml::Node* at = nullptr;
};
std::vector<Missing> missing_setting(const std::vector<Scope>& scopes,
                                     const std::function<bool(const yaml::Node*)>& has, const yaml::Node* base_at);

// The RuleInfo skeleton of a Copilot manifest rule.
RuleInfo copilot_rule(std::string id, std::string title, Severity severity);

}  // namespace coconut::policy::rules::copilot
