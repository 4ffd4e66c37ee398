#pragma once
// Values as trees: Helm's merge rules (a values file over values.yaml), order-insensitive
// equality, and the pieces the chart splits values into (image references).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace coconut::generate::helm {

using Json = nlohmann::ordered_json;

// What a values file layered over `base` must hold to give `target`, with Helm's merge rules:
// maps merge key by key, lists and scalars replace, a key set to null is deleted. Keys that
// `target` lacks become null; equal subtrees are left out. Object key order is ignored.
Json values_diff(const Json& base, const Json& target);

// Applies a values_diff() result the way Helm coalesces a -f file over values.yaml (for tests).
Json apply_values(const Json& base, const Json& overlay);

// Structural equality that ignores object key order (ordered_json's == does not).
bool json_equal(const Json& a, const Json& b);

// Splits an image reference into the chart's image values: repository, tag, digest, such that
// repository [":" tag] ["@" digest] gives the reference back exactly.
struct ImageParts {
    std::string repository;
    std::string tag;
    std::string digest;
};
ImageParts split_image(std::string_view ref);

}  // namespace coconut::generate::helm
