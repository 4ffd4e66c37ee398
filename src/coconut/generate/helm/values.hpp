#pragma once
// The chart's values, derived from the Kubernetes objects of a spec (kubernetes::build_objects):
// one model, two renderings. Every object is taken apart into values plus what the templates
// render by themselves (names, labels, selectors, constants); whatever is left over — a field
// the chart's templates would not render — is an error, so a change of the kubernetes target
// that the chart cannot express fails generation (and the unit tests) instead of silently making
// `helm template` differ from `kubectl kustomize`. docs/generators/helm.md lists every value.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/spec/model.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::generate::helm {

using Json = nlohmann::ordered_json;

// The values of one (base or environment-resolved) spec: app, namespace, networkPolicy,
// externalSecrets, services.<name>..., tests. Deterministic key order.
util::Expected<Json> chart_values(const spec::Spec& spec);

// The same from objects already built: those of kubernetes::build_objects(spec,
// spec.kubernetes_namespace()). Fails (ErrorCode::Failure) naming the first object and field the
// chart's templates would not render back exactly.
util::Expected<Json> values_from_objects(const spec::Spec& spec, const std::vector<kubernetes::Object>& objects);

// What a values file layered over `base` must hold to give `target`, with Helm's merge rules:
// maps merge key by key, lists and scalars replace, a key set to null is deleted. Keys that
// `target` lacks become null; equal subtrees are left out. Object key order is ignored.
Json values_diff(const Json& base, const Json& target);

// Applies a values_diff() result the way Helm coalesces a -f file over values.yaml (for tests).
Json apply_values(const Json& base, const Json& overlay);

// Structural equality that ignores object key order (ordered_json's == does not).
bool json_equal(const Json& a, const Json& b);

// The label value the chart's `coconut.version` helper makes of a version: characters other than
// [A-Za-z0-9._-] become '_' (one per character, as Go's regexp sees characters), at most 63
// characters, without leading or trailing '.', '_' or '-'.
std::string version_label(std::string_view version);

// Splits an image reference into the chart's image values: repository, tag, digest, such that
// repository [":" tag] ["@" digest] gives the reference back exactly.
struct ImageParts {
    std::string repository;
    std::string tag;
    std::string digest;
};
ImageParts split_image(std::string_view ref);

}  // namespace coconut::generate::helm
