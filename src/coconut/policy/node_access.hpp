#pragma once
// Null-safe lookups in our YAML tree, shared by every rule family: a rule asks for
// spec.template.spec without checking each level.
#include <initializer_list>
#include <string_view>
#include <vector>

#include "coconut/yaml/node.hpp"

namespace coconut::policy {

// map[key]; nullptr when `map` is null, not a mapping, or the key is absent.
const yaml::Node* get(const yaml::Node* map, std::string_view key);
// Nested lookup: get(get(get(map, a), b), c).
const yaml::Node* get_path(const yaml::Node* map, std::initializer_list<std::string_view> keys);
// The text of a scalar; "" when absent, null or not a scalar.
std::string_view scalar_text(const yaml::Node* node);
// The items of map[key] when it is a sequence; none otherwise (absent, null, not a sequence).
const std::vector<const yaml::Node*>& items(const yaml::Node* map, std::string_view key);

}  // namespace coconut::policy
