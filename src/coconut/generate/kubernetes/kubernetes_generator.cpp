#include "coconut/generate/kubernetes/kubernetes_generator.hpp"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/generate/kubernetes/overlay.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::generate::kubernetes {

namespace {

constexpr const char* k_kind_manifest = "kubernetes-manifest";
constexpr const char* k_kind_kustomization = "kustomization";
constexpr const char* k_kind_patch = "kustomize-patch";
constexpr const char* k_namespace_file = "namespace.yaml";

std::string file_of(const Object& o) { return o.service.empty() ? k_namespace_file : service_file_name(o.service); }

Json kustomization_header() {
    Json k = Json::object();
    k["apiVersion"] = "kustomize.config.k8s.io/v1beta1";
    k["kind"] = "Kustomization";
    return k;
}

// Groups consecutive objects of one file into one multi-document YAML file each, in order.
// Objects of one service are contiguous in build_objects()'s output, and so are additions
// taken from it in order; a file seen again later is appended to.
struct FileGroup {
    std::string file;
    std::string text;
    std::size_t documents = 0;
};

std::vector<FileGroup> group_files(const std::vector<Object>& objects, const std::string& header) {
    std::vector<FileGroup> files;
    std::unordered_map<std::string, std::size_t> index;
    for (const Object& o : objects) {
        std::string file = file_of(o);
        auto [it, inserted] = index.emplace(file, files.size());
        if (inserted) files.push_back(FileGroup{std::move(file), header, 0});
        FileGroup& g = files[it->second];
        if (g.documents++ > 0) g.text += "---\n";
        yaml::emit_to(g.text, o.body);
    }
    return files;
}

std::string render(const std::vector<Object>& objects, const std::string& header) {
    std::string text;
    text.reserve(header.size() + objects.size() * 1024);   // about 1 KiB per object: few regrowths
    text += header;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        if (i) text += "---\n";
        yaml::emit_to(text, objects[i].body);
    }
    return text;
}

std::string patch_file(const Change& c) { return "patches/" + util::to_lower(c.kind) + "-" + c.name + ".yaml"; }

// JSON6902 target of an object: group (omitted for the core group), version, kind, name.
Json patch_target(const Change& c) {
    Json t = Json::object();
    auto slash = c.api_version.find('/');
    if (slash != std::string::npos) {
        t["group"] = c.api_version.substr(0, slash);
        t["version"] = c.api_version.substr(slash + 1);
    } else {
        t["version"] = c.api_version;
    }
    t["kind"] = c.kind;
    t["name"] = c.name;
    return t;
}

// A strategic-merge patch deleting an object (kustomize applies it to custom resources too).
Json delete_patch(const Change& c) {
    Json p = Json::object();
    p["apiVersion"] = c.api_version;
    p["kind"] = c.kind;
    Json meta = Json::object();
    meta["name"] = c.name;
    if (!c.namespace_name.empty()) meta["namespace"] = c.namespace_name;
    p["metadata"] = std::move(meta);
    p["$patch"] = "delete";
    return p;
}

void write_overlay(const OverlayPlan& plan, const std::string& base_namespace, const spec::Spec& env,
                   const std::string& header, ArtifactSet& out) {
    const std::string root = "k8s/overlays/" + env.environment;
    const std::string dir = root + "/";
    Json k = kustomization_header();
    std::string env_namespace = env.kubernetes_namespace();
    if (env_namespace != base_namespace) k["namespace"] = env_namespace;

    Json resources = Json::array({"../../base"});
    for (auto& g : group_files(plan.added, header)) {
        std::string path = "resources/" + g.file;
        resources.push_back(path);
        out.add(dir + path, std::move(g.text), k_kind_manifest);
    }
    k["resources"] = std::move(resources);

    Json patches = Json::array();
    for (const auto& c : plan.changes) {
        std::string path = patch_file(c);
        Json entry = Json::object();
        entry["path"] = path;
        if (c.remove) {
            out.add(dir + path, header + yaml::emit(delete_patch(c)), k_kind_patch);
        } else {
            out.add(dir + path, header + yaml::emit(c.ops), k_kind_patch);
            entry["target"] = patch_target(c);
        }
        patches.push_back(std::move(entry));
    }
    if (!patches.empty()) k["patches"] = std::move(patches);

    out.add(dir + "kustomization.yaml", header + yaml::emit(k), k_kind_kustomization);
    out.add_root(root, env.environment);
}

// The generation state of one environment: its objects are built a group at a time, diffed
// against the base group and dropped.
struct EnvState {
    const spec::Spec& spec;
    ObjectBuilder builder;
    std::unordered_map<std::string_view, const spec::Service*> services;
    NameCheck names;
    OverlayDiff diff;

    EnvState(const spec::Spec& s, const std::string& base_namespace) : spec(s), builder(s, base_namespace) {
        services.reserve(s.services.size());
        names.reserve(2 + s.services.size() * 8);
        for (const auto& svc : s.services) services.emplace(svc.name, &svc);
    }
};

util::Expected<void> diff_group(EnvState& env, const std::vector<Object>& base, std::vector<Object>& objects) {
    for (const auto& o : objects) TRY_VOID(env.names.add(o));
    env.diff.add_group(base, objects);
    return {};
}

}  // namespace

std::string service_file_name(std::string_view service) {
    if (service == "namespace" || service == "kustomization") return std::string(service) + ".service.yaml";
    return std::string(service) + ".yaml";
}

util::Expected<void> KubernetesGenerator::generate(const GenerateInput& in, ArtifactSet& out) const {
    const std::string header = header_comment(in.source_file);
    const std::string ns = in.base.kubernetes_namespace();
    TRY_VOID(check_names(in.base));
    for (const auto& env : in.environments) TRY_VOID(check_names(env));
    const ObjectBuilder base_builder(in.base, ns);
    NameCheck base_names;
    base_names.reserve(2 + in.base.services.size() * 8);   // about eight objects per service

    // Environments are built with the base namespace: a namespace change is kustomize's
    // `namespace:`, not a patch of every object.
    std::vector<EnvState> envs;
    envs.reserve(in.environments.size());
    for (const auto& env : in.environments) {
        if (env.environment.empty())
            return util::fail(util::ErrorCode::Usage, "kubernetes: an environment spec without a name was given");
        envs.emplace_back(env, ns);
    }

    // One group at a time (the namespace, then each service): build the base objects, emit
    // them, build and diff each environment's, drop everything. Memory stays one group deep.
    std::vector<Object> base_objects;
    std::vector<Object> env_objects;
    Json resources = Json::array();

    base_builder.namespace_objects(base_objects);
    for (const auto& o : base_objects) TRY_VOID(base_names.add(o));
    out.add(std::string("k8s/base/") + k_namespace_file, render(base_objects, header), k_kind_manifest);
    resources.push_back(k_namespace_file);
    for (auto& env : envs) {
        env_objects.clear();
        env.builder.namespace_objects(env_objects);
        TRY_VOID(diff_group(env, base_objects, env_objects));
    }

    for (const auto& svc : in.base.services) {
        base_objects.clear();
        base_builder.service_objects(svc, base_objects);
        for (const auto& o : base_objects) TRY_VOID(base_names.add(o));
        std::string file = service_file_name(svc.name);
        out.add("k8s/base/" + file, render(base_objects, header), k_kind_manifest);
        resources.push_back(std::move(file));
        for (auto& env : envs) {
            env_objects.clear();
            auto it = env.services.find(svc.name);
            if (it != env.services.end()) env.builder.service_objects(*it->second, env_objects);
            TRY_VOID(diff_group(env, base_objects, env_objects));
        }
    }
    base_objects.clear();

    std::unordered_set<std::string_view> base_services;
    base_services.reserve(in.base.services.size());
    for (const auto& svc : in.base.services) base_services.insert(svc.name);
    for (auto& env : envs) {
        for (const auto& svc : env.spec.services) {
            if (base_services.count(svc.name)) continue;   // rare: a service only in the environment
            env_objects.clear();
            env.builder.service_objects(svc, env_objects);
            TRY_VOID(diff_group(env, base_objects, env_objects));
        }
    }

    Json k = kustomization_header();
    k["resources"] = std::move(resources);
    out.add("k8s/base/kustomization.yaml", header + yaml::emit(k), k_kind_kustomization);
    out.add_root("k8s/base");

    for (auto& env : envs) write_overlay(std::move(env.diff).finish(), ns, env.spec, header, out);
    return {};
}

COCONUT_REGISTER_GENERATOR(KubernetesGenerator);

}  // namespace coconut::generate::kubernetes
