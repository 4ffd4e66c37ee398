#pragma once
// Loading and validating coconut.yaml. Validation reports ALL problems at once, each with its
// position and field path, formatted `FILE:LINE:COL: error: PATH: message`.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/model.hpp"
#include "coconut/util/expected.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::spec {

struct Problem {
    std::string file;
    yaml::Mark mark;
    std::string path;      // field path, e.g. "services.web.port" ("" for document-level)
    std::string message;   // e.g. "must be 1..65535 (got 80000)"
    // "FILE:LINE:COL: error: PATH: message" (path omitted when empty)
    [[nodiscard]] std::string format() const;
};

// A loaded spec: the base (no environment applied) plus what is needed to resolve environments.
class LoadedSpec {
public:
    const Spec& base() const { return m_base; }
    // The spec with environment `env` applied (maps merge, scalars and lists replace).
    // Fails (ErrorCode::Usage) for an unknown environment, naming the known ones.
    util::Expected<Spec> resolve(std::string_view env) const;
    // The merged YAML-data view of an environment ("" = base), for `coconut config`.
    util::Expected<nlohmann::ordered_json> resolved_data(std::string_view env) const;

    // implementation detail, filled by load()
    Spec m_base;
    nlohmann::ordered_json m_base_data;                                  // base without `environments`
    std::vector<std::pair<std::string, nlohmann::ordered_json>> m_env_overlays;
    std::vector<std::pair<std::string, Spec>> m_resolved;                // validated per environment
};

struct LoadResult {
    std::vector<Problem> problems;   // empty on success
    LoadedSpec spec;
    [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Parses and validates `text` (the content of `file`). Every environment is resolved and
// validated too, so a problem that only an overlay causes (min > max after merge) is reported
// at the overlay's position.
LoadResult load(std::string_view text, const std::string& file);

// Reads the file then load(); an unreadable file is one Problem at 0:0.
LoadResult load_file(const std::string& path);

// JSON Schema (draft-07) of the spec, generated from the descriptor table.
nlohmann::ordered_json json_schema();
// docs/spec.md, generated from the descriptor table.
std::string reference_markdown();
// A commented starter spec for `coconut init`.
std::string starter_spec(std::string_view app, std::string_view service, ServiceType type, int port);

}  // namespace coconut::spec
