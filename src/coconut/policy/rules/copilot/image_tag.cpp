// COP-IMAGE-MUTABLE-TAG: `image.location` (or a sidecar `image`) that names `:latest` or no tag
// at all deploys whatever the tag points to at deploy time: not reproducible, not reviewable.
#include <string>

#include "coconut/policy/rules/copilot/manifest.hpp"

namespace coconut::policy::rules::copilot {
namespace {

// "" when the reference is pinned (a digest or a tag other than latest), otherwise why not.
std::string mutable_reason(std::string_view ref) {
    if (ref.empty()) return {};
    if (ref.find("@sha256:") != std::string_view::npos) return {};
    const auto slash = ref.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? ref : ref.substr(slash + 1);
    const auto colon = last.rfind(':');
    if (colon == std::string_view::npos) return "has no tag (defaults to latest)";
    if (last.substr(colon + 1) == "latest") return "uses the tag latest";
    return {};
}

RuleInfo image_tag_info() {
    RuleInfo r =
        copilot_rule("COP-IMAGE-MUTABLE-TAG", "Image referenced by :latest or without a tag", Severity::Medium);
    r.description =
        "`image.location` (a pre-built image instead of `image.build`) or a sidecar's `image` that uses the "
        "tag `latest`, or no tag at all (which means `latest`), deploys whatever that tag points to when the "
        "task starts: two tasks of one deployment can run different code, a rollback redeploys the new image, "
        "and nobody reviewed what changed. Images pinned by digest (`@sha256:…`) or by a specific tag pass. "
        "Checked in the base manifest and in every environment override.";
    r.remediation =
        "Reference an immutable tag (a version or the commit SHA, e.g. `${IMAGE_TAG}` set by the pipeline) "
        "or a digest (`repo@sha256:…`), and enable tag immutability on the ECR repository.";
    r.compliance = {cref("soc2", "CC8.1")};
    return r;
}

class CopilotImageMutableTag : public BasicRule {
public:
    CopilotImageMutableTag() : BasicRule(image_tag_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (const Scope& s : scopes(doc)) {
            const yaml::Node* location = get_path(s.node, {"image", "location"});
            if (const std::string why = mutable_reason(scalar_text(location)); !why.empty())
                out.report(doc, location,
                           "image " + location->text + " of " + subject(doc) + " " + why + s.where() +
                               "; pin a version tag or a digest");
            const yaml::Node* sidecars = get(s.node, "sidecars");
            if (sidecars == nullptr || !sidecars->is_mapping()) continue;
            for (const auto& p : sidecars->pairs) {
                const yaml::Node* image = get(p.value, "image");
                if (image != nullptr && image->is_mapping()) image = get(image, "location");
                if (const std::string why = mutable_reason(scalar_text(image)); !why.empty())
                    out.report(doc, image,
                               "image " + image->text + " of sidecar \"" + p.key->text + "\" of " + subject(doc) + " " +
                                   why + s.where() + "; pin a version tag or a digest");
            }
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotImageMutableTag);

}  // namespace coconut::policy::rules::copilot
