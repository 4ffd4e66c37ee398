// Kubernetes best practices about container images: explicit tag, mutable tags, digest pinning
// and the pull policy that goes with a mutable tag.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

struct ImageRef {
    std::string_view name;     // registry/repository
    std::string_view tag;      // empty when none
    std::string_view digest;   // "sha256:..." or empty
};

ImageRef parse_image(std::string_view image) {
    ImageRef ref;
    if (auto at = image.find('@'); at != std::string_view::npos) {
        ref.digest = image.substr(at + 1);
        image = image.substr(0, at);
    }
    const auto slash = image.rfind('/');
    const auto colon = image.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        ref.tag = image.substr(colon + 1);
        image = image.substr(0, colon);
    }
    ref.name = image;
    return ref;
}

// Tags that are moved on purpose to follow a branch or channel.
constexpr std::array<std::string_view, 20> k_moving_tags = {
    "stable", "edge",    "main",   "master", "nightly", "dev",     "develop", "development", "snapshot", "current",
    "lts",    "mainline", "head",  "rolling", "canary", "unstable", "testing", "staging",    "prod",     "production",
};

bool moving_tag(std::string_view tag) {
    return std::find(k_moving_tags.begin(), k_moving_tags.end(), tag) != k_moving_tags.end();
}

// The image may change under the same reference: no digest and no tag, `latest` or a moving tag.
bool mutable_reference(const ImageRef& ref) {
    return ref.digest.empty() && (ref.tag.empty() || ref.tag == "latest" || moving_tag(ref.tag));
}

RuleInfo practice(std::string id, std::string title, Severity severity) {
    return k8s_rule(std::move(id), std::move(title), severity, pod_kinds());
}

std::vector<ComplianceRef> image_compliance() {
    return {cref("nsa", "Pod security: building secure container images"), cref("soc2", "CC8.1"),
            cref("hipaa", "164.312(c)(1)")};
}

// Calls f(container, image node, parsed reference) for every container with an image.
template <class F>
void for_each_image(const Document& doc, F&& f) {
    auto pod = pod_view(doc);
    if (!pod) return;
    for (const auto& c : pod->containers) {
        const yaml::Node* image = get(c.node, "image");
        const std::string_view text = scalar_text(image);
        if (text.empty()) continue;
        f(c, image, parse_image(text));
    }
}

// ---------------------------------------------------------------------------------------------
class K8sImageTagRule final : public BasicRule {
public:
    K8sImageTagRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-IMAGE-TAG", "Images must name an explicit tag other than latest", Severity::Medium);
        r.description = "An image without a tag means `:latest`; `latest` changes with every push, so two "
                        "replicas (or a rollback) can run different code and nobody can tell which. Images "
                        "pinned by digest are accepted with any tag.";
        r.remediation = "Use an explicit version tag (for example `app:2.3.0`) or pin the digest "
                        "(`app@sha256:...`).";
        r.aliases = {"kube-linter:latest-tag", "kube-score:container-image-tag", "checkov:CKV_K8S_14",
                     "polaris:tagNotSpecified"};
        r.compliance = image_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for_each_image(doc, [&](const ContainerRef& c, const yaml::Node* image, const ImageRef& ref) {
            if (!ref.digest.empty()) return;
            if (ref.tag.empty())
                out.report(doc, image, c.label() + " uses image \"" + image->text + "\" without a tag (means latest)");
            else if (ref.tag == "latest")
                out.report(doc, image, c.label() + " uses image \"" + image->text + "\" with the latest tag");
        });
    }
};
COCONUT_REGISTER_RULE(K8sImageTagRule);

// ---------------------------------------------------------------------------------------------
class K8sImageMutableTagRule final : public BasicRule {
public:
    K8sImageMutableTagRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-IMAGE-MUTABLE-TAG", "Images should not use a branch or channel tag",
                              Severity::Low);
        r.description = "Tags such as `stable`, `edge`, `main`, `master`, `nightly`, `dev`, `develop`, "
                        "`development`, `snapshot`, `current`, `lts`, `mainline`, `head`, `rolling`, `canary`, "
                        "`unstable`, `testing`, `staging`, `prod` and `production` are moved on purpose like "
                        "`latest`: what runs depends on when the node pulled. (`latest` and a missing tag are "
                        "K8S-IMAGE-TAG.) Images pinned by digest are accepted.";
        r.remediation = "Deploy an immutable version tag or a digest, and promote it between environments.";
        r.compliance = image_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for_each_image(doc, [&](const ContainerRef& c, const yaml::Node* image, const ImageRef& ref) {
            if (ref.digest.empty() && moving_tag(ref.tag))
                out.report(doc, image,
                           c.label() + " uses image \"" + image->text + "\" with the moving tag \"" +
                               std::string(ref.tag) + "\"");
        });
    }
};
COCONUT_REGISTER_RULE(K8sImageMutableTagRule);

// ---------------------------------------------------------------------------------------------
class K8sImageDigestRule final : public BasicRule {
public:
    K8sImageDigestRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-IMAGE-DIGEST", "Images should be pinned by digest", Severity::Info);
        r.description = "Any tag can be re-pushed; only a digest (`@sha256:...`) names exactly one image, so "
                        "what was scanned and approved is what runs.";
        r.remediation = "Append the digest to the reference (`app:2.3.0@sha256:...`), resolved by the build or "
                        "release pipeline.";
        r.aliases = {"checkov:CKV_K8S_43"};
        r.compliance = image_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for_each_image(doc, [&](const ContainerRef& c, const yaml::Node* image, const ImageRef& ref) {
            if (ref.digest.empty())
                out.report(doc, image, c.label() + " uses image \"" + image->text + "\" without a digest");
        });
    }
};
COCONUT_REGISTER_RULE(K8sImageDigestRule);

// ---------------------------------------------------------------------------------------------
class K8sImagePullPolicyRule final : public BasicRule {
public:
    K8sImagePullPolicyRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-IMAGE-PULL-POLICY", "Mutable image tags need imagePullPolicy: Always",
                              Severity::Medium);
        r.description = "With a mutable reference (no tag, `latest`, or a moving tag like `stable`) and "
                        "`imagePullPolicy` `IfNotPresent` or `Never`, each node keeps running whatever it "
                        "pulled first: replicas diverge. Kubernetes defaults to `Always` only for no tag and "
                        "`latest`, so a moving tag without a policy is reported too. Version tags and digests "
                        "are not reported.";
        r.remediation = "Prefer an immutable tag or digest; otherwise set `imagePullPolicy: Always`.";
        // No alias: kube-score's container-image-pull-policy, Checkov's CKV_K8S_15 and Polaris'
        // pullPolicyNotAlways want Always for version tags too.
        r.compliance = image_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for_each_image(doc, [&](const ContainerRef& c, const yaml::Node* image, const ImageRef& ref) {
            if (!mutable_reference(ref)) return;
            const yaml::Node* policy = get(c.node, "imagePullPolicy");
            const std::string_view p = scalar_text(policy);
            if (p == "Always") return;
            if (p.empty()) {
                if (ref.tag.empty() || ref.tag == "latest") return;   // defaults to Always
                out.report(doc, image,
                           c.label() + " uses the mutable image \"" + image->text +
                               "\" and imagePullPolicy defaults to IfNotPresent");
                return;
            }
            out.report(doc, policy,
                       c.label() + " uses the mutable image \"" + image->text + "\" with imagePullPolicy: " +
                           std::string(p));
        });
    }
};
COCONUT_REGISTER_RULE(K8sImagePullPolicyRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
