// Dockerfile rules about the final image as a whole: its user, its health check.
#include <algorithm>
#include <string>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/dockerfile/common.hpp"

namespace coconut::policy::rules::dockerfile {

namespace {

// The last USER instruction in effect for the final stage (its chain included), or nullptr.
const df::Instruction* last_user(const df::Dockerfile& d, const df::Stage& final_stage) {
    const df::Instruction* user = nullptr;
    for (const df::Instruction* ins : chain_instructions(d, final_stage)) {
        if (ins->keyword == "USER") user = ins;
    }
    return user;
}

// "root", "0", "root:root", "0:0", "root:1000" -> true.
bool is_root_user(std::string_view arguments) {
    std::string_view user = arguments.substr(0, arguments.find(':'));
    while (!user.empty() && (user.back() == ' ' || user.back() == '\t')) user.remove_suffix(1);
    if (user.size() >= 2 && (user.front() == '"' || user.front() == '\'') && user.back() == user.front()) {
        user = user.substr(1, user.size() - 2);
    }
    return user == "root" || user == "0";
}

// Base images documented to run as a non-root user (distroless `:nonroot`, `…-nonroot`).
bool nonroot_base(const df::Stage& s) { return s.tag.find("nonroot") != std::string::npos; }

}  // namespace

class DfUserMissing final : public BasicRule {
public:
    DfUserMissing()
        : BasicRule(dockerfile_rule(
              "DF-USER-MISSING", "The final stage sets no USER", Severity::Medium,
              "Without a `USER` instruction in the final stage (or in the earlier stages it is built "
              "`FROM`), the container runs as whatever user the base image declares — root for almost "
              "every official image. A process running as root inside the container turns any code "
              "execution bug into root on the container's filesystem and widens the impact of a "
              "container escape. Base images tagged `nonroot` (distroless) are accepted. (Checkov's "
              "CKV_DOCKER_3 accepts a USER in any stage; hadolint has no such rule.)",
              "Create an unprivileged user and switch to it before CMD/ENTRYPOINT, e.g. "
              "`RUN useradd --uid 10001 --no-create-home app` then `USER 10001:10001` (a numeric "
              "UID lets Kubernetes `runAsNonRoot` verify it).",
              {"checkov:CKV_DOCKER_3"}, {{"nsa", "Pod security: non-root containers"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr || d->final_stage() == nullptr) return;
        const df::Stage& final_stage = *d->final_stage();
        if (last_user(*d, final_stage) != nullptr) return;
        auto chain = stage_chain(*d, final_stage);
        if (std::any_of(chain.begin(), chain.end(), [](const df::Stage* s) { return nonroot_base(*s); })) return;
        out.report_at(doc, final_stage.mark,
                      "final " + describe_stage(final_stage) +
                          " sets no USER: the container runs as the base image's user, usually root");
    }
};
COCONUT_REGISTER_RULE(DfUserMissing);

class DfUserRoot final : public BasicRule {
public:
    DfUserRoot()
        : BasicRule(dockerfile_rule(
              "DF-USER-ROOT", "The last USER of the final stage is root", Severity::High,
              "The user in effect when the image starts is the last `USER` of the final stage. When it "
              "is `root` or UID `0` (with or without a group), the container runs as root: switching to "
              "root for installation steps is fine, but the image must switch back to an unprivileged "
              "user afterwards.",
              "Add `USER <non-root uid>` (e.g. `USER 10001:10001`) after the last step that needs root, "
              "before CMD/ENTRYPOINT.",
              {"hadolint:DL3002", "checkov:CKV_DOCKER_8"}, {{"nsa", "Pod security: non-root containers"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr || d->final_stage() == nullptr) return;
        const df::Instruction* user = last_user(*d, *d->final_stage());
        if (user == nullptr || !is_root_user(user->arguments)) return;
        out.report_at(doc, user->args_mark,
                      "the last USER of the final stage is " + quoted(user->arguments) +
                          ": the container runs as root; switch to an unprivileged user");
    }
};
COCONUT_REGISTER_RULE(DfUserRoot);

class DfHealthcheckMissing final : public BasicRule {
public:
    DfHealthcheckMissing()
        : BasicRule(dockerfile_rule(
              "DF-HEALTHCHECK-MISSING", "The final stage has no HEALTHCHECK", Severity::Low,
              "Docker, Podman, Compose and ECS use the image's `HEALTHCHECK` to tell a hung process "
              "from a healthy one; without it a deadlocked service keeps receiving traffic. The final "
              "stage and the stages it is built `FROM` are searched. `HEALTHCHECK NONE` counts as a "
              "deliberate decision (e.g. a worker whose orchestrator probes it another way, or a "
              "Kubernetes-only image with probes) and does not fire.",
              "Add `HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app/healthcheck\"]` (exec form, "
              "using a binary present in the image), or `HEALTHCHECK NONE` to record that the "
              "orchestrator checks health itself.",
              {"checkov:CKV_DOCKER_2"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr || d->final_stage() == nullptr) return;
        for (const df::Instruction* ins : chain_instructions(*d, *d->final_stage())) {
            if (ins->keyword == "HEALTHCHECK") return;
        }
        const df::Stage& final_stage = *d->final_stage();
        out.report_at(doc, final_stage.mark,
                      "final " + describe_stage(final_stage) +
                          " has no HEALTHCHECK (add one, or `HEALTHCHECK NONE` when the orchestrator probes "
                          "the service)");
    }
};
COCONUT_REGISTER_RULE(DfHealthcheckMissing);

// ---- base images -------------------------------------------------------------------------

namespace {

// Stages whose FROM names a registry image we can judge: not scratch, not an earlier stage, no
// build-arg variables in the reference.
bool judged_image(const df::Stage& s) {
    return !s.scratch && !s.from_stage && !s.image.empty() && !is_variable(s.image);
}

std::vector<ComplianceRef> change_control() { return {{"soc2", "CC8.1"}}; }

}  // namespace

class DfImageNoTag final : public BasicRule {
public:
    DfImageNoTag()
        : BasicRule(dockerfile_rule(
              "DF-IMAGE-NO-TAG", "Base image without a tag", Severity::Medium,
              "A `FROM` image without a tag or digest means `latest`: whatever the registry serves on "
              "the day of the build. Builds stop being reproducible and a new major version of the base "
              "can arrive unreviewed. Stages built `FROM` an earlier stage, `scratch`, and references "
              "made of build arguments (`FROM $BASE`) are not judged.",
              "Pin a version tag (`FROM debian:12-slim`), better a digest as well "
              "(`FROM debian:12-slim@sha256:…`).",
              {"hadolint:DL3006", "checkov:CKV_DOCKER_7", "dockerfilelint:missing_tag"}, change_control())) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Stage& s : d->stages) {
            if (!judged_image(s) || !s.tag.empty() || !s.digest.empty()) continue;
            out.report_at(doc, s.image_mark,
                          describe_stage(s) + " uses image " + quoted(s.image) +
                              " without a tag: it resolves to :latest at build time");
        }
    }
};
COCONUT_REGISTER_RULE(DfImageNoTag);

class DfImageLatest final : public BasicRule {
public:
    DfImageLatest()
        : BasicRule(dockerfile_rule(
              "DF-IMAGE-LATEST", "Base image tagged latest", Severity::Medium,
              "`:latest` moves with every release of the base image, so two builds of the same commit "
              "can produce different images and a breaking base update arrives without review. A "
              "reference that also carries a digest is pinned and does not fire.",
              "Use a version tag (`node:20.12-bookworm-slim`) and, for reproducible builds, a digest.",
              {"hadolint:DL3007", "checkov:CKV_DOCKER_7", "dockerfilelint:latest_tag"}, change_control())) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Stage& s : d->stages) {
            if (!judged_image(s) || !s.digest.empty() || s.tag != "latest") continue;
            out.report_at(doc, s.image_mark,
                          describe_stage(s) + " uses " + quoted(s.image) + ": pin a version tag instead of latest");
        }
    }
};
COCONUT_REGISTER_RULE(DfImageLatest);

class DfImageDigest final : public BasicRule {
public:
    DfImageDigest()
        : BasicRule(dockerfile_rule(
              "DF-IMAGE-DIGEST", "Base image not pinned by digest", Severity::Info,
              "Tags are mutable: a registry can serve different content under `node:20` tomorrow. Only "
              "a digest (`@sha256:…`) names exact bytes, which makes builds reproducible and protects "
              "against a compromised or re-pushed tag. Informational: pinning digests needs an update "
              "bot (Renovate, Dependabot) to stay current.",
              "Append the digest: `FROM node:20-bookworm-slim@sha256:<digest>` (`docker buildx "
              "imagetools inspect node:20-bookworm-slim` prints it) and let Renovate/Dependabot update it.",
              {}, change_control())) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Stage& s : d->stages) {
            if (!judged_image(s) || !s.digest.empty()) continue;
            out.report_at(doc, s.image_mark, describe_stage(s) + " uses " + quoted(s.image) + " without a digest");
        }
    }
};
COCONUT_REGISTER_RULE(DfImageDigest);

}  // namespace coconut::policy::rules::dockerfile
