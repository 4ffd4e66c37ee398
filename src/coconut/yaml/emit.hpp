#pragma once
// The only way coconut writes YAML. Deterministic: keys in the order the tree holds them
// (generators insert in canonical order), block style, two-space indentation, sequences
// indented under their key, and every string quoted that ANY dialect (YAML 1.2 core, YAML 1.1 /
// PyYAML, Kubernetes / go-yaml) would read as something other than that string.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace coconut::yaml {

// True when the string must be quoted to stay a string in every dialect.
bool needs_quotes(std::string_view s);

// One document, no leading `---`, ending in a newline.
std::string emit(const nlohmann::ordered_json& value);
// Appends one document to `out` (faster for large outputs).
void emit_to(std::string& out, const nlohmann::ordered_json& value);
// Several documents separated by `---` lines.
std::string emit_stream(const std::vector<nlohmann::ordered_json>& docs);

// A scalar as it would appear in YAML (quoted if needed), e.g. for messages and templates.
std::string emit_scalar(const nlohmann::ordered_json& value);

}  // namespace coconut::yaml
