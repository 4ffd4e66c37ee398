#pragma once
// Container image references as the dockerfile target and `coconut build` use them:
// `[registry/]repository[:tag][@algorithm:hex]`. Only what coconut needs: splitting off the tag
// and digest, and deciding whether a reference is pinned (a tag other than `latest`, or a digest).
#include <optional>
#include <string>
#include <string_view>

#include "coconut/util/expected.hpp"

namespace coconut::generate::dockerfile {

struct ImageRef {
    std::string repository;  // everything before the tag / digest ("gcr.io/distroless/static-debian12")
    std::string tag;         // "nonroot"; empty when none
    std::string digest;      // "sha256:<64 hex>"; empty when none

    [[nodiscard]] std::string str() const;
};

// Parses a reference; nullopt when it is not one (empty, whitespace, bad digest, empty tag ...).
std::optional<ImageRef> parse_image_ref(std::string_view text);

// True for a digest coconut accepts: sha256:<64 lowercase hex> or sha512:<128 lowercase hex>.
bool is_digest(std::string_view text);

// True for a valid tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool is_valid_tag(std::string_view text);

// A reference usable as a base image: parses, and is pinned by a tag that is not `latest` or by a
// digest (`scratch` is always fine). The error names `field` (e.g. "services.web.build.base_image").
util::Expected<ImageRef> require_pinned(std::string_view text, std::string_view field);

}  // namespace coconut::generate::dockerfile
