#pragma once
// AWS Copilot manifests of one (base or environment-resolved) spec, as ordered JSON trees in the
// key order of Copilot's own `copilot svc init` templates. Pure data: files and environment
// overrides live in copilot_generator.cpp. docs/generators/copilot.md has the mapping table.
//
// Facts about Copilot used here come from its manifest reference and from
// github.com/aws/copilot-cli (internal/pkg/manifest, internal/pkg/deploy/cloudformation/stack);
// the code is ours.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "coconut/spec/model.hpp"

namespace coconut::generate::copilot {

using Json = nlohmann::ordered_json;

// Manifest `type:` of a service type.
std::string_view manifest_type(spec::ServiceType t);

// The workload manifest of a service, without `environments:`.
Json service_manifest(const spec::Spec& spec, const spec::Service& svc);

// `copilot/environments/<env>/manifest.yml` of a resolved environment.
Json environment_manifest(const spec::Spec& env);

// A 5-field cron (or a cron macro) as Copilot's `on.schedule`: the predefined schedule when one
// means exactly the same (`0 0 * * *` -> `@daily`), else the cron itself (Copilot turns it into
// an EventBridge `cron(...)` expression). nullopt when Copilot cannot take it
// (spec::copilot::schedule_problem; spec validation reports it).
std::optional<std::string> schedule(std::string_view cron);

// User text (variable values, entrypoint, command, check commands) as Copilot must read it:
// Copilot interpolates `${NAME}` in every manifest string from the shell environment
// (internal/pkg/manifest/interpolate.go), so each `${` is escaped as `\${` to keep it literal.
std::string escape_interpolation(std::string_view value);

// What an environment changes: the keys of `env` whose values differ from `base` (objects
// compared key by key; lists and scalars replaced whole), as Copilot deep-merges an
// `environments.<env>` override over the base manifest. Keys of `base` missing from `env` are
// listed in `removed` as dotted paths (an override cannot remove a setting).
struct Overrides {
    Json changes = Json::object();
    std::vector<std::string> removed;
};
Overrides overrides(const Json& base, const Json& env);

}  // namespace coconut::generate::copilot
