#pragma once
// Environment overlays: the difference between the base objects and an environment's objects,
// as kustomize understands it (JSON6902 patches, extra resources, `$patch: delete`).
#include <string>
#include <string_view>
#include <vector>

#include "coconut/generate/kubernetes/objects.hpp"

namespace coconut::generate::kubernetes {

// A JSON Pointer (RFC 6901) reference token: '~' -> "~0", '/' -> "~1".
std::string escape_pointer_token(std::string_view token);

// The minimal RFC 6902 operations (add / replace / remove) that turn `from` into `to`: objects
// are compared key by key, arrays of equal length element by element, anything else (arrays of
// different length, type changes, scalars) is replaced whole. Appends to `ops` (a JSON array);
// `pointer` is the location of `from` in the document ("" for the root).
void diff_json(const Json& from, const Json& to, std::string& pointer, Json& ops);
Json diff_json(const Json& from, const Json& to);

// One change an environment makes to a base object: JSON6902 operations, or its deletion.
struct Change {
    std::string api_version;
    std::string kind;
    std::string name;
    std::string namespace_name;
    bool remove = false;
    Json ops = Json::array();   // non-empty unless `remove`
    Json removed_body;          // the deleted base object (remove only)
};

// What an environment changes: changes in base order, additions in environment order.
struct OverlayPlan {
    std::vector<Change> changes;
    std::vector<Object> added;   // only in the environment
    [[nodiscard]] bool empty() const { return changes.empty() && added.empty(); }
};

// Builds an OverlayPlan group by group (the namespace-wide objects, then each service), so the
// caller can drop each group's objects as it goes. Objects are matched by (kind, name); building
// both sides with the same namespace keeps a namespace change out of the diff (kustomize's
// `namespace:` does it). Linear in the number of objects plus the size of changed objects.
class OverlayDiff {
public:
    // `base` and `env` are the objects of one group on each side; `env` is moved from.
    void add_group(const std::vector<Object>& base, std::vector<Object>& env);
    // An object deleted in one group and added in another (a name moving between services)
    // becomes a patch.
    OverlayPlan finish() &&;

private:
    OverlayPlan m_plan;
};

// The whole diff in one group.
OverlayPlan plan_overlay(const std::vector<Object>& base, std::vector<Object> env);

}  // namespace coconut::generate::kubernetes
