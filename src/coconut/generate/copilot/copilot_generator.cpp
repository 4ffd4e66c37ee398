#include "coconut/generate/copilot/copilot_generator.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "coconut/generate/copilot/manifest.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::generate::copilot {

namespace {

constexpr const char* k_kind_manifest = "copilot-manifest";
constexpr const char* k_root = "copilot";

}  // namespace

util::Expected<void> CopilotGenerator::generate(const GenerateInput& in, ArtifactSet& out) const {
    const std::string header = header_comment(in.source_file);
    for (const auto& env : in.environments)
        if (env.environment.empty())
            return util::fail(util::ErrorCode::Usage, "copilot: an environment spec without a name was given");
    // A service manifest holds the overrides of every environment: written from some of them,
    // it would silently drop the others' (and `copilot svc deploy --env <other>` would deploy
    // the base settings there). `generate --env E` passes them all anyway (needs_every_environment).
    for (const auto& name : in.base.environments) {
        const bool given = std::any_of(in.environments.begin(), in.environments.end(),
                                       [&](const spec::Spec& e) { return e.environment == name; });
        if (!given)
            return util::fail(util::ErrorCode::Usage, "copilot: each service manifest holds the overrides of every "
                                                      "environment, but environment " + name + " was not given");
    }

    for (const auto& svc : in.base.services) {
        // Copilot keeps environment manifests in copilot/environments/: a service of that name
        // would collide (spec validation rejects it; this guards callers that skip validation).
        if (svc.name == "environments" || svc.name == "pipelines")
            return util::fail(util::ErrorCode::Input, "copilot: services." + svc.name +
                                                          ": the name is reserved by Copilot (its own directories)");
        Json manifest = service_manifest(in.base, svc);
        Json envs = Json::object();
        for (const auto& env : in.environments) {
            const spec::Service* resolved = env.find_service(svc.name);
            if (resolved == nullptr) continue;
            Overrides o = overrides(manifest, service_manifest(env, *resolved));
            if (!o.removed.empty())
                return util::fail(util::ErrorCode::Input,
                                  "copilot: environment " + env.environment + " removes " + util::join(o.removed, ", ") +
                                      " from service " + svc.name +
                                      "; a Copilot environment override can change or add settings but not remove them");
            // Every environment is listed, `{}` when nothing differs: the manifest says which
            // environments it is deployed to, and the COP-* rules see each one's settings.
            envs[env.environment] = std::move(o.changes);
        }
        if (!envs.empty()) manifest["environments"] = std::move(envs);
        const std::string dir = std::string(k_root) + "/" + svc.name;
        out.add(dir + "/manifest.yml", header + yaml::emit(manifest), k_kind_manifest);
        out.add_root(dir);
    }
    for (const auto& env : in.environments) {
        const std::string dir = std::string(k_root) + "/environments/" + env.environment;
        out.add(dir + "/manifest.yml", header + yaml::emit(environment_manifest(env)), k_kind_manifest);
        out.add_root(dir, env.environment);
    }
    return {};
}

COCONUT_REGISTER_GENERATOR(CopilotGenerator);

}  // namespace coconut::generate::copilot
