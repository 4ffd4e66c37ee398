#pragma once
// How a plain scalar is read depends on who reads it (DESIGN §3):
//  - Core12:     YAML 1.2 core schema (GitHub Actions, libfyaml, most modern tools): `on` is a string.
//  - Yaml11:     YAML 1.1 as PyYAML reads it (Ansible): yes/no/on/off are booleans, 0755 is octal,
//                1_000 is an int, 1e3 (no dot) is a STRING, 2024-01-01 is a date.
//  - Kubernetes: sigs.k8s.io/yaml (go-yaml v2 then JSON): YAML 1.1 booleans including y/n,
//                0755 octal, 1e3 a float, dates become timestamps.
#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "coconut/yaml/node.hpp"

namespace coconut::yaml {

enum class Dialect : std::uint8_t { Core12, Yaml11, Kubernetes };

enum class ScalarType : std::uint8_t { Null, Bool, Int, Float, Timestamp, String };

const char* to_string(ScalarType t);
const char* to_string(Dialect d);

// How `text` would be typed if written as a PLAIN scalar in `dialect`.
ScalarType classify_plain(std::string_view text, Dialect dialect);
// The type of a parsed node: quoted and block scalars are strings; explicit tags win.
ScalarType resolve(const Node& node, Dialect dialect);

std::optional<bool> as_bool(const Node& node, Dialect dialect);
std::optional<std::int64_t> as_int(const Node& node, Dialect dialect);
std::optional<double> as_float(const Node& node, Dialect dialect);  // ints are accepted too

// The parsed tree as JSON data, read in `dialect` (timestamps stay their text).
nlohmann::ordered_json to_json(const Node& node, Dialect dialect);

}  // namespace coconut::yaml
