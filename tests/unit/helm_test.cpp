// Unit tests of the `helm` generator: chart layout and metadata; the chart model (templates are
// the kubernetes target's objects with holes, values read out of the same objects, and the
// refusal of any difference no value covers); the per-environment values files (only
// differences, Helm's merge rules); the strictness of values.schema.json; and the consistency
// of templates, slots and schema. `helm lint`, `helm template` and the equality with the
// kubernetes target run for real in tests/integration/helm.sh.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "coconut/generate/generator.hpp"
#include "coconut/generate/helm/helm_generator.hpp"
#include "coconut/generate/helm/chart_files.hpp"
#include "coconut/generate/helm/chart_model.hpp"
#include "coconut/generate/helm/schema.hpp"
#include "coconut/generate/helm/slots.hpp"
#include "coconut/generate/helm/values_tree.hpp"
#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/spec/load.hpp"

namespace helm = coconut::generate::helm;
namespace k8s = coconut::generate::kubernetes;
namespace spec = coconut::spec;
using coconut::generate::ArtifactSet;
using coconut::generate::GenerateInput;
using Json = nlohmann::ordered_json;

namespace {

constexpr const char* k_spec = R"(
apiVersion: coconut.dev/v1
name: shop
version: 1.4.2
registry: registry.example.com/shop
services:
  web:
    type: web
    build: {context: ./web, runtime: node, version: "20"}
    port: 8080
    env: {LOG_LEVEL: info, FEATURE_X: "on"}
    secrets: {SESSION_KEY: shop/session, DATABASE_URL: shop/db}
    replicas: {min: 2, max: 10, cpu_percent: 70}
    health: {path: /healthz}
    ingress: {host: shop.example.com, tls: true}
    depends_on: [api]
  api:
    type: backend
    image: registry.example.com/shop/api:3.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    port: 9090
    depends_on: [db]
  db:
    type: backend
    image: postgres:16.4
    port: 5432
    volumes: [{name: data, path: /var/lib/postgresql/data, size: 10Gi}]
  worker:
    type: worker
    image: registry.example.com/shop/worker:1.4.2
    command: ["python", "-m", "worker"]
  report:
    type: job
    schedule: "0 3 * * *"
    image: registry.example.com/shop/report:2.0.0
    volumes: [{name: cache, path: /cache, size: 1Gi}]
environments:
  staging:
    services:
      web:
        replicas: {min: 1, max: 1}
        env: {LOG_LEVEL: debug}
  production:
    services:
      db:
        resources: {cpu: "2", memory: 4Gi}
  quiet: {}
targets:
  kubernetes: {namespace: shop, ingress_class: nginx}
)";

struct Loaded {
    spec::Spec base;
    std::vector<spec::Spec> envs;
};

Loaded load(const std::string& text = k_spec) {
    auto r = spec::load(text, "coconut.yaml");
    for (const auto& p : r.problems) ADD_FAILURE() << p.format();
    Loaded l;
    l.base = r.spec.base();
    for (const auto& e : l.base.environments) {
        auto env = r.spec.resolve(e);
        EXPECT_TRUE(env.has_value());
        if (env) l.envs.push_back(std::move(*env));
    }
    return l;
}

ArtifactSet generate(const Loaded& l) {
    ArtifactSet out;
    GenerateInput in{l.base, l.envs, "coconut.yaml"};
    auto r = helm::HelmGenerator().generate(in, out);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return out;
}

helm::ChartModel model_of(const Loaded& l) {
    auto m = helm::build_chart_model(l.base, l.envs);
    EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().message);
    return m ? std::move(*m) : helm::ChartModel();
}

Json values_of(const Loaded& l, const std::string& env = {}) {
    const auto m = model_of(l);
    if (env.empty()) return m.base_values;
    for (const auto& [name, v] : m.environment_values)
        if (name == env) return v;
    ADD_FAILURE() << "no environment " << env;
    return Json();
}

const std::string& content(const ArtifactSet& a, const std::string& path) {
    static const std::string k_none;
    const auto* f = a.find(path);
    EXPECT_NE(f, nullptr) << path;
    return f ? f->content : k_none;
}

// ---- a small draft-07 subset validator (type, enum, const, pattern-free), enough to check that
// generated values fit the schema and that typos do not ----------------------------------------

bool type_matches(const Json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_boolean();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "null") return v.is_null();
    return false;
}

void validate(const Json& root, const Json& schema, const Json& v, const std::string& path,
              std::vector<std::string>& errors) {
    const Json& s = schema.contains("$ref") ? root["definitions"][schema["$ref"].get<std::string>().substr(14)] : schema;
    if (s.contains("type")) {
        bool ok = false;
        if (s["type"].is_array()) {
            for (const auto& t : s["type"]) ok = ok || type_matches(v, t.get<std::string>());
        } else {
            ok = type_matches(v, s["type"].get<std::string>());
        }
        if (!ok) {
            errors.push_back(path + ": wrong type " + v.dump());
            return;
        }
    }
    if (s.contains("enum")) {
        bool found = false;
        for (const auto& e : s["enum"]) found = found || e == v;
        if (!found) errors.push_back(path + ": not in enum: " + v.dump());
    }
    if (v.is_object()) {
        if (s.contains("required"))
            for (const auto& r : s["required"])
                if (!v.contains(r.get<std::string>())) errors.push_back(path + ": missing " + r.get<std::string>());
        for (const auto& [k, x] : v.items()) {
            if (s.contains("properties") && s["properties"].contains(k)) {
                validate(root, s["properties"][k], x, path + "." + k, errors);
            } else if (s.contains("patternProperties") && !s["patternProperties"].empty()) {
                // extended resources: accepted when the key has a '/' or a hugepages- prefix
                if (k.find('/') == std::string::npos && k.rfind("hugepages-", 0) != 0 &&
                    s.value("additionalProperties", Json(true)) == false)
                    errors.push_back(path + ": unknown key " + k);
            } else if (s.contains("additionalProperties")) {
                const Json& ap = s["additionalProperties"];
                if (ap.is_boolean()) {
                    if (!ap.get<bool>()) errors.push_back(path + ": unknown key " + k);
                } else {
                    validate(root, ap, x, path + "." + k, errors);
                }
            }
        }
    }
    if (v.is_array() && s.contains("items"))
        for (std::size_t i = 0; i < v.size(); ++i) validate(root, s["items"], v[i], path + "[" + std::to_string(i) + "]", errors);
}

std::vector<std::string> schema_errors(const Json& schema, const Json& values) {
    std::vector<std::string> errors;
    validate(schema, schema, values, "", errors);
    return errors;
}

}  // namespace

// ---- layout and metadata ------------------------------------------------------------------------

TEST(HelmChart, WritesTheChartLayout) {
    auto a = generate(load());
    std::vector<std::string> want = {
        "chart/.helmignore",
        "chart/Chart.yaml",
        "chart/templates/NOTES.txt",
        "chart/templates/_helpers.tpl",
        "chart/templates/namespace.yaml",
        "chart/templates/services/api.yaml",
        "chart/templates/services/db.yaml",
        "chart/templates/services/report.yaml",
        "chart/templates/services/web.yaml",
        "chart/templates/services/worker.yaml",
        "chart/templates/tests/test-connection.yaml",
        "chart/values-production.yaml",
        "chart/values-quiet.yaml",
        "chart/values-staging.yaml",
        "chart/values.schema.json",
        "chart/values.yaml",
    };
    std::vector<std::string> got;
    for (const auto* f : a.all()) got.push_back(f->path);
    EXPECT_EQ(got, want);
    EXPECT_EQ(a.roots(), std::vector<std::string>{"chart"});
}

TEST(HelmChart, ChartYaml) {
    const auto a = generate(load());
    const std::string& c = content(a, "chart/Chart.yaml");
    EXPECT_EQ(c.rfind("# generated by coconut from coconut.yaml", 0), 0u) << c;
    for (const char* line : {"apiVersion: v2\n", "name: shop\n", "type: application\n", "version: 1.4.2\n",
                             "appVersion: 1.4.2\n", "kubeVersion: \">=1.25.0-0\"\n"})
        EXPECT_NE(c.find(line), std::string::npos) << line << "\n" << c;
}

TEST(HelmChart, EveryFileSaysItIsGenerated) {
    auto a = generate(load());
    for (const auto* f : a.all()) {
        if (f->path == "chart/values.schema.json") {
            EXPECT_NE(f->content.find("\"$comment\": \"generated by coconut"), std::string::npos);
        } else if (f->path.find("/templates/") != std::string::npos) {
            EXPECT_EQ(f->content.rfind("{{- /* generated by coconut from coconut.yaml", 0), 0u) << f->path;
        } else {
            EXPECT_EQ(f->content.rfind("# generated by coconut from coconut.yaml", 0), 0u) << f->path;
        }
    }
}

TEST(HelmChart, IsDeterministic) {
    auto l = load();
    auto a = generate(l);
    auto b = generate(l);
    ASSERT_EQ(a.size(), b.size());
    for (const auto* f : a.all()) EXPECT_EQ(f->content, content(b, f->path)) << f->path;
}

TEST(HelmChart, NothingWhenTheSpecTurnsTheChartOff) {
    std::string text = k_spec;
    text.replace(text.find("{namespace: shop,"), 17, "{chart: false, namespace: shop,");
    auto a = generate(load(text));
    EXPECT_EQ(a.size(), 0u);
}

TEST(HelmChart, ChartVersionIsSemVer) {
    EXPECT_EQ(helm::chart_version("1.4.2"), "1.4.2");
    EXPECT_EQ(helm::chart_version("2.0.0-rc.1+build.5"), "2.0.0-rc.1+build.5");
    EXPECT_EQ(helm::chart_version("v1.4"), "1.4.0");
    EXPECT_EQ(helm::chart_version("3"), "3.0.0");
    EXPECT_EQ(helm::chart_version("2024.01.15"), "2024.1.15");
    EXPECT_EQ(helm::chart_version("1.0.0-rc.01"), "1.0.0-rc.1");
    EXPECT_EQ(helm::chart_version("release_7"), "0.0.0-release-7");
    EXPECT_EQ(helm::chart_version("1.2.3.4"), "0.0.0-1.2.3.4");
    EXPECT_EQ(helm::chart_version(""), "0.0.0");
}

// ---- values --------------------------------------------------------------------------------------

TEST(HelmValues, GlobalValues) {
    Json v = values_of(load());
    EXPECT_EQ(v["app"], Json::parse(R"({"version":"1.4.2"})"));
    EXPECT_EQ(v["namespace"]["create"], false);
    EXPECT_EQ(v["namespace"]["podSecurity"]["enforce"], "restricted");
    EXPECT_EQ(v["networkPolicy"]["defaultDeny"], true);
    EXPECT_EQ(v["externalSecrets"]["secretStoreRef"]["name"], "coconut");
    EXPECT_EQ(v["tests"]["enabled"], true);
    std::vector<std::string> keys;
    for (const auto& [k, x] : v["services"].items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"web", "api", "db", "worker", "report"}));   // spec order
}

TEST(HelmValues, WebService) {
    Json web = values_of(load())["services"]["web"];
    EXPECT_EQ(web["enabled"], true);
    EXPECT_EQ(web["kind"], "Deployment");
    EXPECT_EQ(web["image"], Json::parse(R"({"repository":"registry.example.com/shop/shop-web","tag":"1.4.2",
                                           "digest":"","pullPolicy":"IfNotPresent"})"));
    EXPECT_EQ(web["port"], 8080);
    EXPECT_FALSE(web.contains("replicas"));   // the HPA owns them
    EXPECT_EQ(web["autoscaling"], Json::parse(R"({"enabled":true,"minReplicas":2,"maxReplicas":10,
                                                 "targetCPUUtilizationPercentage":70})"));
    EXPECT_EQ(web["env"], Json::parse(R"({"LOG_LEVEL":"info","FEATURE_X":"on"})"));
    // secrets keep the spec's order (a list: Go templates would sort a map)
    EXPECT_EQ(web["secrets"], Json::parse(R"([{"name":"SESSION_KEY","key":"shop/session"},
                                             {"name":"DATABASE_URL","key":"shop/db"}])"));
    EXPECT_TRUE(web["podAnnotations"].contains("coconut.dev/config-hash"));
    EXPECT_EQ(web["readinessProbe"]["httpGet"]["path"], "/healthz");
    EXPECT_EQ(web["securityContext"]["readOnlyRootFilesystem"], true);
    EXPECT_EQ(web["podSecurityContext"]["runAsUser"], 10001);
    EXPECT_EQ(web["service"], Json::parse(R"({"type":"ClusterIP"})"));
    EXPECT_EQ(web["ingress"]["enabled"], true);
    EXPECT_EQ(web["ingress"]["className"], "nginx");
    EXPECT_EQ(web["ingress"]["host"], "shop.example.com");
    EXPECT_EQ(web["ingress"]["tls"], Json::parse(R"([{"hosts":["shop.example.com"],"secretName":"web-tls"}])"));
    EXPECT_EQ(web["podDisruptionBudget"], Json::parse(R"({"enabled":true,"maxUnavailable":1})"));
    EXPECT_EQ(web["networkPolicy"]["enabled"], true);
    EXPECT_FALSE(web.contains("schedule"));
    EXPECT_FALSE(web.contains("volumeClaimTemplates"));
}

TEST(HelmValues, OtherKinds) {
    Json s = values_of(load())["services"];
    // image pinned by tag and digest
    EXPECT_EQ(s["api"]["image"]["repository"], "registry.example.com/shop/api");
    EXPECT_EQ(s["api"]["image"]["tag"], "3.1");
    EXPECT_EQ(s["api"]["image"]["digest"], "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    EXPECT_EQ(s["api"]["replicas"], 2);   // the default for long-running services
    // no environment autoscales it or gives it an ingress: the chart has no such objects for it
    EXPECT_FALSE(s["api"].contains("autoscaling"));
    EXPECT_FALSE(s["api"].contains("ingress"));
    EXPECT_FALSE(s["api"].contains("env"));
    EXPECT_FALSE(s["api"].contains("secrets"));
    // persistent volume: a StatefulSet with claim templates
    EXPECT_EQ(s["db"]["kind"], "StatefulSet");
    ASSERT_TRUE(s["db"].contains("volumeClaimTemplates"));
    EXPECT_EQ(s["db"]["volumeClaimTemplates"][0]["metadata"]["name"], "data");
    EXPECT_FALSE(s["db"].contains("persistentVolumeClaims"));
    // no port: no Service
    EXPECT_EQ(s["worker"]["command"], Json::parse(R"(["python","-m","worker"])"));
    EXPECT_FALSE(s["worker"].contains("port"));
    EXPECT_FALSE(s["worker"].contains("service"));
    // a scheduled job with a persistent volume: CronJob + standalone claim, no replica values
    EXPECT_EQ(s["report"]["kind"], "CronJob");
    EXPECT_EQ(s["report"]["schedule"], "0 3 * * *");
    EXPECT_FALSE(s["report"].contains("suspend"));
    EXPECT_EQ(s["report"]["persistentVolumeClaims"]["cache"]["resources"]["requests"]["storage"], "1Gi");
    EXPECT_FALSE(s["report"].contains("autoscaling"));
    EXPECT_FALSE(s["report"].contains("replicas"));
}

TEST(HelmValues, EnvironmentFilesHoldOnlyTheDifferences) {
    auto l = load();
    auto a = generate(l);
    const auto m = model_of(l);
    for (const auto& [env, full] : m.environment_values) {
        Json diff = helm::values_diff(m.base_values, full);
        // Layered over values.yaml with Helm's rules, the file gives the environment's values.
        EXPECT_TRUE(helm::json_equal(helm::apply_values(m.base_values, diff), full)) << env;
        EXPECT_NE(content(a, "chart/values-" + env + ".yaml").find("null deletes"), std::string::npos);
    }
    Json d = helm::values_diff(m.base_values, values_of(l, "staging"));
    EXPECT_EQ(d.size(), 1u) << d.dump();               // services only
    EXPECT_EQ(d["services"].size(), 1u) << d.dump();   // web only
    const Json& web = d["services"]["web"];
    EXPECT_EQ(web["replicas"], 1);
    EXPECT_EQ(web["autoscaling"]["enabled"], false);
    EXPECT_TRUE(web["autoscaling"]["minReplicas"].is_null());   // null deletes the base's key
    EXPECT_EQ(web["env"], Json::parse(R"({"LOG_LEVEL":"debug"})"));   // maps merge: only the change
    EXPECT_TRUE(web.contains("podAnnotations"));                     // env changed: the config hash rolls the pods
    EXPECT_FALSE(web.contains("image"));
    EXPECT_TRUE(web["topologySpreadConstraints"].is_null());         // one replica: no spreading
    EXPECT_EQ(web["podDisruptionBudget"]["enabled"], false);

    Json prod = helm::values_diff(m.base_values, values_of(l, "production"));
    EXPECT_EQ(prod["services"]["db"]["resources"]["requests"]["cpu"], "2");
    EXPECT_FALSE(prod["services"].contains("web"));

    const std::string& quiet = content(a, "chart/values-quiet.yaml");   // no changes at all
    EXPECT_EQ(quiet.substr(quiet.size() - 4), "\n{}\n") << quiet;
}

TEST(HelmValues, DiffAndApplyFollowHelmMergeRules) {
    Json base = Json::parse(R"({"a":{"x":1,"y":[1,2],"z":{"k":"v"}},"b":"keep","c":true})");
    Json target = Json::parse(R"({"a":{"y":[1,2,3],"x":1,"w":"new"},"b":"keep"})");
    Json d = helm::values_diff(base, target);
    EXPECT_TRUE(helm::json_equal(d, Json::parse(R"({"a":{"y":[1,2,3],"z":null,"w":"new"},"c":null})"))) << d.dump();
    EXPECT_TRUE(helm::json_equal(helm::apply_values(base, d), target));
    EXPECT_EQ(helm::values_diff(base, base), Json::object());
    // key order does not make a difference
    EXPECT_EQ(helm::values_diff(Json::parse(R"({"m":{"a":1,"b":2}})"), Json::parse(R"({"m":{"b":2,"a":1}})")),
              Json::object());
}

TEST(HelmValues, ImageReferencesSplitAndJoinBack) {
    auto img = [](const char* ref) {
        auto p = helm::split_image(ref);
        return p.repository + "|" + p.tag + "|" + p.digest;
    };
    EXPECT_EQ(img("nginx"), "nginx||");
    EXPECT_EQ(img("nginx:1.27"), "nginx|1.27|");
    EXPECT_EQ(img("localhost:5000/app"), "localhost:5000/app||");
    EXPECT_EQ(img("localhost:5000/app:2"), "localhost:5000/app|2|");
    EXPECT_EQ(img("r.io/a/b@sha256:abc"), "r.io/a/b||sha256:abc");
    EXPECT_EQ(img("r.io/a/b:1@sha256:abc"), "r.io/a/b|1|sha256:abc");
}

// ---- the model: one object shape, two renderings -----------------------------------------------

namespace {

std::vector<helm::Rendering> renderings_of(const Loaded& l) {
    std::vector<helm::Rendering> out;
    auto add = [&](const spec::Spec& s) {
        helm::Rendering r{s.environment, s.kubernetes_namespace(), {}, {}};
        for (const auto& svc : s.services) r.services.push_back(svc.name);
        auto objects = k8s::build_objects(s, r.namespace_name);
        EXPECT_TRUE(objects.has_value());
        if (objects) r.objects = std::move(*objects);
        out.push_back(std::move(r));
    };
    add(l.base);
    for (const auto& e : l.envs) add(e);
    return out;
}

k8s::Object& find(helm::Rendering& r, const char* kind, const char* name) {
    for (auto& o : r.objects)
        if (o.kind == kind && o.name == name) return o;
    throw std::runtime_error(std::string("no such object ") + kind + "/" + name);
}

const helm::TemplateObject& template_of(const helm::ChartModel& m, const char* kind, const char* name) {
    for (const auto& o : m.objects)
        if (o.kind == kind && o.name == name) return o;
    throw std::runtime_error(std::string("no such template ") + kind + "/" + name);
}

}  // namespace

// Every template renders, with each environment's values, exactly the kubernetes target's object
// (build_chart_model proves it too; this says it in a test).
TEST(HelmModel, EveryTemplateRendersTheKubernetesObjectOfEveryEnvironment) {
    const auto l = load();
    const auto m = model_of(l);
    auto rs = renderings_of(l);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const Json& values = i == 0 ? m.base_values : m.environment_values[i - 1].second;
        for (const auto& o : rs[i].objects) {
            if (o.kind == "Namespace") continue;   // rendered on request only
            const auto& t = template_of(m, o.kind.c_str(), o.name.c_str());
            auto r = helm::render_object(m, t, values, rs[i].namespace_name);
            ASSERT_TRUE(r.has_value()) << r.error().message;
            ASSERT_TRUE(r->has_value()) << o.kind << "/" << o.name << " in " << rs[i].environment;
            EXPECT_TRUE(helm::json_equal(**r, o.body)) << o.kind << "/" << o.name << " in " << rs[i].environment;
            ++compared;
        }
    }
    EXPECT_GT(compared, 40u);
}

// One place per change: a field the kubernetes target adds to an object shows up in the chart
// with no change to the helm generator.
TEST(HelmModel, AFieldAddedToAnObjectNeedsNoChartChange) {
    auto rs = renderings_of(load());
    for (auto& r : rs) {
        find(r, "Deployment", "web").body["spec"]["minReadySeconds"] = 7;
        find(r, "Deployment", "web").body["spec"]["template"]["spec"]["dnsPolicy"] = "ClusterFirst";
    }
    auto m = helm::build_chart_model("shop", rs);
    ASSERT_TRUE(m.has_value()) << m.error().message;
    const std::string text = helm::template_text(*m, template_of(*m, "Deployment", "web"));
    EXPECT_NE(text.find("\n  minReadySeconds: 7\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\n      dnsPolicy: ClusterFirst\n"), std::string::npos) << text;
}

// A difference between environments that no value covers cannot make it into a chart: the
// model refuses it, naming the environment, the object and the field.
TEST(HelmModel, RefusesDifferencesNoValueCovers) {
    const auto l = load();
    auto refused = [](std::vector<helm::Rendering> rs, const std::vector<std::string>& words) {
        auto m = helm::build_chart_model("shop", std::move(rs));
        ASSERT_FALSE(m.has_value()) << "accepted: " << words.front();
        for (const auto& w : words) EXPECT_NE(m.error().message.find(w), std::string::npos) << m.error().message;
    };
    {
        auto rs = renderings_of(l);
        find(rs[2], "Deployment", "web").body["spec"]["paused"] = true;   // production only
        refused(rs, {"environment 'production'", "Deployment/web", "/spec/paused", "slots.cpp"});
    }
    {
        auto rs = renderings_of(l);
        find(rs[1], "StatefulSet", "db").body["spec"]["revisionHistoryLimit"] = 9;   // staging only
        refused(rs, {"environment 'staging'", "StatefulSet/db", "/spec/revisionHistoryLimit"});
    }
    {
        auto rs = renderings_of(l);
        rs[0].objects.push_back(k8s::Object{"web", "v1", "Secret", "web-extra", Json::object()});
        refused(rs, {"no chart rule for Secret/web-extra", "slots.cpp"});
    }
    {
        auto rs = renderings_of(l);
        rs[3].services.pop_back();   // "quiet" without the report service
        refused(rs, {"environment 'quiet'", "services"});
    }
}

// ---- slots and schema ----------------------------------------------------------------------------

TEST(HelmSlots, EveryKeyHasASchema) {
    auto leaf_keys = [](const std::string& key, helm::Form form) {
        std::vector<std::string> out;
        std::string k = key;
        if (auto p = k.find("{suffix}"); p != std::string::npos) k.replace(p, 8, "data");
        if (form == helm::Form::Image) {
            for (const char* leaf : {".repository", ".tag", ".digest"}) out.push_back(k + leaf);
        } else if (form != helm::Form::Namespace) {
            out.push_back(k);
        }
        return out;
    };
    std::size_t keys = 0;
    for (const auto& rule : helm::object_rules()) {
        std::vector<std::string> all;
        for (const auto& s : rule.slots)
            for (auto& k : leaf_keys(s.key, s.form)) all.push_back(k);
        if (!rule.when.key.empty())
            for (auto& k : leaf_keys(rule.when.key, helm::Form::Yaml)) all.push_back(k);
        for (const auto& p : rule.parts)
            for (auto& k : leaf_keys(p.when.key, helm::Form::Yaml)) all.push_back(k);
        for (const auto& k : all) {
            EXPECT_FALSE(helm::value_schema(k).is_null()) << rule.kind << " " << rule.name << ": " << k;
            ++keys;
        }
    }
    for (const auto& l : helm::label_slots()) EXPECT_FALSE(helm::value_schema(l.key).is_null()) << l.key;
    EXPECT_GT(keys, 40u);
}

TEST(HelmSchema, IsStrictDraft07) {
    auto schema = helm::values_schema(model_of(load()));
    ASSERT_TRUE(schema.has_value()) << schema.error().message;
    const Json& s = *schema;
    EXPECT_EQ(s["$schema"], "http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(s["additionalProperties"], false);
    // Every object schema that lists properties forbids others.
    std::vector<std::string> open;
    std::function<void(const Json&, const std::string&)> walk = [&](const Json& n, const std::string& path) {
        if (!n.is_object()) return;
        if (n.contains("properties") && n.value("additionalProperties", Json(true)) != false) open.push_back(path);
        for (const auto& [k, v] : n.items()) {
            if (v.is_object()) walk(v, path + "/" + k);
            if (v.is_array())
                for (const auto& x : v) walk(x, path + "/" + k + "[]");
        }
    };
    walk(s, "");
    EXPECT_TRUE(open.empty()) << "open objects: " << Json(open).dump();
    const Json& web = s["properties"]["services"]["properties"]["web"];
    EXPECT_EQ(web["properties"]["kind"]["enum"], Json::parse(R"(["Deployment","StatefulSet","CronJob","Job"])"));
    EXPECT_EQ(web["properties"]["port"]["type"], "integer");
    EXPECT_EQ(web["properties"]["image"]["properties"]["tag"]["type"], "string");
    // A service cannot be added through values: the chart has templates for the spec's services only.
    EXPECT_EQ(s["properties"]["services"]["additionalProperties"], false);
}

TEST(HelmSchema, GeneratedValuesFitAndTyposDoNot) {
    auto l = load();
    const auto m = model_of(l);
    auto schema = helm::values_schema(m);
    ASSERT_TRUE(schema.has_value());
    EXPECT_EQ(schema_errors(*schema, m.base_values), std::vector<std::string>{});
    for (const auto& [env, v] : m.environment_values) EXPECT_EQ(schema_errors(*schema, v), std::vector<std::string>{}) << env;

    auto with = [&](const char* pointer, Json value) {
        Json v = m.base_values;
        v[Json::json_pointer(pointer)] = std::move(value);
        return schema_errors(*schema, v);
    };
    EXPECT_FALSE(with("/services/web/replicaz", 3).empty());
    EXPECT_FALSE(with("/services/web/port", "8080").empty());
    EXPECT_FALSE(with("/services/web/image/tag", 1.0).empty());
    EXPECT_FALSE(with("/services/web/kind", "DaemonSet").empty());
    EXPECT_FALSE(with("/services/web/securityContext/readOnlyRootFileSystem", true).empty());
    EXPECT_FALSE(with("/services/web/resources/requests/memroy", "1Gi").empty());
    EXPECT_FALSE(with("/services/web/ingress/hots", "x").empty());
    EXPECT_FALSE(with("/services/webb", Json::object()).empty());
    EXPECT_FALSE(with("/servicez", Json::object()).empty());
    EXPECT_TRUE(with("/services/web/resources/limits/nvidia.com~1gpu", 1).empty());   // extended resources
    EXPECT_TRUE(with("/services/web/readinessProbe/anything", 1).empty());            // an open Kubernetes blob
}

// ---- templates -----------------------------------------------------------------------------------

TEST(HelmTemplates, AreTheKubernetesObjectsWithHoles) {
    auto a = generate(load());
    const std::string& web = content(a, "chart/templates/services/web.yaml");
    EXPECT_NE(web.find("{{- $svc := index .Values.services \"web\" }}\n{{- if $svc.enabled }}\n"), std::string::npos);
    // Constants come from the kubernetes target's objects as they are.
    EXPECT_NE(web.find("  revisionHistoryLimit: 5\n"), std::string::npos);
    EXPECT_NE(web.find("      serviceAccountName: web\n"), std::string::npos);
    // Values are holes, optional parts are conditions.
    EXPECT_NE(web.find("  namespace: {{ $.Release.Namespace | quote }}\n"), std::string::npos);
    EXPECT_NE(web.find("          image: {{ include \"coconut.image\" $svc.image | quote }}\n"), std::string::npos);
    EXPECT_NE(web.find("          resources:\n            {{- toYaml $svc.resources | nindent 12 }}\n"), std::string::npos);
    EXPECT_NE(web.find("  {{- if hasKey $svc \"replicas\" }}\n  replicas: {{ $svc.replicas | int64 }}\n  {{- end }}\n"),
              std::string::npos);
    EXPECT_NE(web.find("{{- if $svc.autoscaling.enabled }}\n---\napiVersion: autoscaling/v2\n"), std::string::npos);
    EXPECT_NE(web.find("{{- range $svc.secrets }}"), std::string::npos);
    // The host is the first member of the rule: the condition stays inside the sequence item.
    EXPECT_NE(web.find("    - {{- if hasKey $svc.ingress \"host\" }}\n      host: {{ $svc.ingress.host | quote }}\n      {{- end }}\n"),
              std::string::npos)
        << web;
    const std::string& test = content(a, "chart/templates/tests/test-connection.yaml");
    EXPECT_NE(test.find("helm.sh/hook: test"), std::string::npos);
    EXPECT_NE(test.find("runAsNonRoot: true"), std::string::npos);
    EXPECT_NE(test.find("drop:\n            - ALL"), std::string::npos);
    EXPECT_NE(test.find("seccompProfile:\n      type: RuntimeDefault"), std::string::npos);
}

// Every value a template reads exists in the schema (so a template cannot read a key that strict
// values could never set), and every service value the generator writes is read by a template.
TEST(HelmTemplates, ReadOnlyKeysTheSchemaKnows) {
    const auto l = load();
    const auto m = model_of(l);
    auto schema = helm::values_schema(m);
    ASSERT_TRUE(schema.has_value());
    std::string all;
    for (const auto& t : helm::chart_templates(m, l.base, "x")) all += t.content;
    std::set<std::string> read;   // "web.autoscaling.minReplicas" style, first two levels
    for (const auto& name : m.services) {
        std::string text;
        for (const auto& t : helm::chart_templates(m, l.base, "x"))
            if (t.path == "templates/services/" + name + ".yaml") text = t.content;
        const Json& props = (*schema)["properties"]["services"]["properties"][name]["properties"];
        std::regex svc_key(R"(\$svc\.([A-Za-z]+)(\.([A-Za-z]+))?)");
        std::regex has_key(R"(hasKey \$svc(\.([A-Za-z]+))? "([A-Za-z]+)\")");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), svc_key); it != std::sregex_iterator(); ++it) {
            const std::string k = (*it)[1];
            EXPECT_TRUE(props.contains(k)) << name << ": templates read " << k << ", unknown to the schema";
            read.insert(name + "." + k);
            if ((*it)[3].matched && props.contains(k) && props[k].contains("properties")) {
                EXPECT_TRUE(props[k]["properties"].contains((*it)[3].str())) << name << "." << k << "." << (*it)[3];
            }
        }
        for (auto it = std::sregex_iterator(text.begin(), text.end(), has_key); it != std::sregex_iterator(); ++it)
            read.insert(name + "." + ((*it)[2].matched ? (*it)[2].str() : (*it)[3].str()));
    }
    std::regex values_key(R"(\.Values\.([A-Za-z]+))");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), values_key); it != std::sregex_iterator(); ++it)
        EXPECT_TRUE((*schema)["properties"].contains((*it)[1].str())) << (*it)[1];
    for (const auto& [name, s] : m.base_values["services"].items())
        for (const auto& [k, x] : s.items())
            EXPECT_TRUE(read.count(name + "." + k)) << "services." << name << "." << k << " is written but no template reads it";
}
