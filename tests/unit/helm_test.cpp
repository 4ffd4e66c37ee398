// Unit tests of the `helm` generator: chart layout and metadata, values derived from the
// Kubernetes objects (and the refusal of objects the templates could not render back), the
// per-environment values files (only differences, Helm's merge rules), the strictness of
// values.schema.json, and the consistency of templates, values and schema. `helm lint`,
// `helm template` and the equality with the kubernetes target run for real in
// tests/integration/helm.sh.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "coconut/generate/generator.hpp"
#include "coconut/generate/helm/helm_generator.hpp"
#include "coconut/generate/helm/schema.hpp"
#include "coconut/generate/helm/templates.hpp"
#include "coconut/generate/helm/values.hpp"
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

Json values_of(const spec::Spec& s) {
    auto v = helm::chart_values(s);
    EXPECT_TRUE(v.has_value()) << (v ? "" : v.error().message);
    return v ? *v : Json();
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

std::vector<std::string> schema_errors(const Json& values) {
    const Json schema = helm::values_schema();
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
        "chart/templates/configmap.yaml",
        "chart/templates/cronjob.yaml",
        "chart/templates/deployment.yaml",
        "chart/templates/externalsecret.yaml",
        "chart/templates/hpa.yaml",
        "chart/templates/ingress.yaml",
        "chart/templates/job.yaml",
        "chart/templates/namespace.yaml",
        "chart/templates/networkpolicy.yaml",
        "chart/templates/pdb.yaml",
        "chart/templates/pvc.yaml",
        "chart/templates/service.yaml",
        "chart/templates/serviceaccount.yaml",
        "chart/templates/statefulset.yaml",
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
    Json v = values_of(load().base);
    EXPECT_EQ(v["app"], Json::parse(R"({"name":"shop","version":"1.4.2"})"));
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
    Json web = values_of(load().base)["services"]["web"];
    EXPECT_EQ(web["type"], "web");
    EXPECT_EQ(web["kind"], "Deployment");
    EXPECT_EQ(web["image"], Json::parse(R"({"repository":"registry.example.com/shop/shop-web","tag":"1.4.2",
                                           "digest":"","pullPolicy":"IfNotPresent"})"));
    EXPECT_EQ(web["port"], 8080);
    EXPECT_EQ(web["portName"], "http");
    EXPECT_EQ(web["replicas"], 2);   // the HPA's floor
    EXPECT_EQ(web["autoscaling"], Json::parse(R"({"enabled":true,"minReplicas":2,"maxReplicas":10,
                                                 "targetCPUUtilizationPercentage":70})"));
    EXPECT_EQ(web["env"], Json::parse(R"({"LOG_LEVEL":"info","FEATURE_X":"on"})"));
    // secrets keep the spec's order (a list: Go templates would sort a map)
    EXPECT_EQ(web["secrets"], Json::parse(R"([{"name":"SESSION_KEY","key":"shop/session"},
                                             {"name":"DATABASE_URL","key":"shop/db"}])"));
    EXPECT_TRUE(web.contains("configHash"));
    EXPECT_EQ(web["readinessProbe"]["httpGet"]["path"], "/healthz");
    EXPECT_EQ(web["securityContext"]["readOnlyRootFilesystem"], true);
    EXPECT_EQ(web["podSecurityContext"]["runAsUser"], 10001);
    EXPECT_EQ(web["service"], Json::parse(R"({"type":"ClusterIP","appProtocol":"http"})"));
    EXPECT_EQ(web["ingress"]["enabled"], true);
    EXPECT_EQ(web["ingress"]["className"], "nginx");
    EXPECT_EQ(web["ingress"]["host"], "shop.example.com");
    EXPECT_EQ(web["ingress"]["tls"], Json::parse(R"({"enabled":true,"secretName":"web-tls"})"));
    EXPECT_EQ(web["podDisruptionBudget"]["enabled"], true);
    EXPECT_EQ(web["networkPolicy"]["enabled"], true);
    EXPECT_FALSE(web.contains("schedule"));
    EXPECT_FALSE(web.contains("volumeClaimTemplates"));
}

TEST(HelmValues, OtherKinds) {
    Json s = values_of(load().base)["services"];
    // image pinned by tag and digest
    EXPECT_EQ(s["api"]["image"]["repository"], "registry.example.com/shop/api");
    EXPECT_EQ(s["api"]["image"]["tag"], "3.1");
    EXPECT_EQ(s["api"]["image"]["digest"],
              "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    EXPECT_EQ(s["api"]["autoscaling"], Json::parse(R"({"enabled":false})"));
    EXPECT_EQ(s["api"]["replicas"], 1);
    EXPECT_EQ(s["api"]["ingress"], Json::parse(R"({"enabled":false})"));
    EXPECT_FALSE(s["api"].contains("env"));
    EXPECT_FALSE(s["api"].contains("secrets"));
    // persistent volume: a StatefulSet with claim templates
    EXPECT_EQ(s["db"]["kind"], "StatefulSet");
    ASSERT_TRUE(s["db"].contains("volumeClaimTemplates"));
    EXPECT_EQ(s["db"]["volumeClaimTemplates"][0]["metadata"]["name"], "data");
    EXPECT_FALSE(s["db"].contains("persistentVolumeClaims"));
    // no port: no Service, no ingress values
    EXPECT_EQ(s["worker"]["command"], Json::parse(R"(["python","-m","worker"])"));
    EXPECT_FALSE(s["worker"].contains("port"));
    EXPECT_FALSE(s["worker"].contains("service"));
    EXPECT_FALSE(s["worker"].contains("ingress"));
    // a scheduled job with a persistent volume: CronJob + standalone claim, no replica values
    EXPECT_EQ(s["report"]["kind"], "CronJob");
    EXPECT_EQ(s["report"]["schedule"], "0 3 * * *");
    EXPECT_EQ(s["report"]["cronJob"]["suspend"], false);
    EXPECT_EQ(s["report"]["cronJob"]["concurrencyPolicy"], "Forbid");
    EXPECT_TRUE(s["report"].contains("backoffLimit"));
    EXPECT_EQ(s["report"]["restartPolicy"], "Never");
    ASSERT_TRUE(s["report"].contains("persistentVolumeClaims"));
    EXPECT_EQ(s["report"]["persistentVolumeClaims"][0]["name"], "cache");
    EXPECT_EQ(s["report"]["persistentVolumeClaims"][0]["spec"]["resources"]["requests"]["storage"], "1Gi");
    EXPECT_FALSE(s["report"].contains("autoscaling"));
    EXPECT_FALSE(s["report"].contains("replicas"));
}

TEST(HelmValues, LongNamesCarryTheKubernetesTargetsInstanceLabel) {
    const std::string svc = "queue-consumer-for-nightly-reconciliation-of-partner-ledgers";
    auto l = load("apiVersion: coconut.dev/v1\nname: shop\nservices:\n  " + svc + ": {type: worker, image: busybox:1.36.1}\n  web: {type: web, image: nginx:1.27, port: 8080}\n");
    Json s = values_of(l.base)["services"];
    // `shop-<service>` is 65 characters: the kubernetes target shortens and hashes it
    EXPECT_EQ(s[svc]["instanceLabel"], k8s::instance_label("shop", svc));
    EXPECT_FALSE(s["web"].contains("instanceLabel"));   // the helper's default is right
    EXPECT_EQ(schema_errors(values_of(l.base)), std::vector<std::string>{});
}

TEST(HelmValues, EnvironmentFilesHoldOnlyTheDifferences) {
    auto l = load();
    auto a = generate(l);
    Json base = values_of(l.base);
    for (const auto& env : l.envs) {
        Json full = values_of(env);
        Json diff = helm::values_diff(base, full);
        // Layered over values.yaml with Helm's rules, the file gives the environment's values.
        EXPECT_TRUE(helm::json_equal(helm::apply_values(base, diff), full)) << env.environment;
        EXPECT_NE(content(a, "chart/values-" + env.environment + ".yaml").find("null deletes"), std::string::npos);
    }
    const auto& staging = l.envs[0];
    ASSERT_EQ(staging.environment, "staging");
    Json d = helm::values_diff(base, values_of(staging));
    EXPECT_EQ(d.size(), 1u) << d.dump();   // services only
    EXPECT_EQ(d["services"].size(), 1u) << d.dump();   // web only
    const Json& web = d["services"]["web"];
    EXPECT_EQ(web["replicas"], 1);
    EXPECT_EQ(web["autoscaling"]["enabled"], false);
    EXPECT_TRUE(web["autoscaling"]["minReplicas"].is_null());   // null deletes the base's key
    EXPECT_EQ(web["env"], Json::parse(R"({"LOG_LEVEL":"debug"})"));   // maps merge: only the change
    EXPECT_TRUE(web.contains("configHash"));                         // env changed: pods roll
    EXPECT_FALSE(web.contains("image"));
    EXPECT_TRUE(web["topologySpreadConstraints"].is_null());         // one replica: no spreading

    Json prod = helm::values_diff(base, values_of(l.envs[1]));
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

TEST(HelmValues, ImageAndVersionHelpers) {
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

    EXPECT_EQ(helm::version_label("1.4.2"), "1.4.2");
    EXPECT_EQ(helm::version_label("1.0.0+build.5"), "1.0.0_build.5");
    EXPECT_EQ(helm::version_label("-v1-"), "v1");
    EXPECT_EQ(helm::version_label("1.0\xc3\xa9"), "1.0");   // one '_' per character, then trimmed
    EXPECT_EQ(helm::version_label(std::string(70, 'a')), std::string(63, 'a'));
    // the kubernetes target's own label function agrees on ASCII versions
    for (const char* v : {"1.4.2", "1.0.0+build.5", "2024.01.15", "v1-"})
        EXPECT_EQ(helm::version_label(v), k8s::sanitize_label_value(v)) << v;
}

// The chart must render every field of every object back; anything else is refused, naming the
// object and the field, so a change of the kubernetes target cannot silently break equality.
TEST(HelmValues, RefusesObjectsTheTemplatesWouldNotRenderBack) {
    const auto l = load();
    auto objects = k8s::build_objects(l.base, "shop");
    ASSERT_TRUE(objects.has_value());
    ASSERT_TRUE(helm::values_from_objects(l.base, *objects).has_value());

    auto find = [](std::vector<k8s::Object>& objs, const char* kind, const char* name) -> k8s::Object& {
        for (auto& o : objs)
            if (o.kind == kind && o.name == name) return o;
        throw std::runtime_error("no such object");
    };
    auto refused = [&](std::vector<k8s::Object> objs, const std::string& what) {
        auto r = helm::values_from_objects(l.base, objs);
        EXPECT_FALSE(r.has_value()) << "accepted: " << what;
        if (!r) {
            EXPECT_NE(r.error().message.find(what), std::string::npos) << r.error().message;
        }
    };
    {
        auto objs = *objects;
        find(objs, "Deployment", "web").body["spec"]["paused"] = true;
        refused(objs, "Deployment/web of the kubernetes target: /spec/paused");
    }
    {
        auto objs = *objects;
        find(objs, "Deployment", "web").body["spec"]["template"]["metadata"]["annotations"]["x"] = "y";
        refused(objs, "/spec/template/metadata/annotations");
    }
    {
        auto objs = *objects;
        find(objs, "Service", "api").body["metadata"]["labels"]["extra"] = "1";
        refused(objs, "Service/api of the kubernetes target: /metadata/labels");
    }
    {
        auto objs = *objects;
        find(objs, "StatefulSet", "db").body["spec"]["template"]["spec"]["containers"].push_back(Json::object({{"name", "sidecar"}}));
        refused(objs, "/spec/template/spec/containers/1/name");
    }
    {
        auto objs = *objects;
        find(objs, "Deployment", "web").body["spec"]["replicas"] = 3;   // next to its HPA
        refused(objs, "sets replicas although an HPA owns them");
    }
    {
        auto objs = *objects;
        objs.push_back(k8s::Object{"web", "v1", "Secret", "web-extra", Json::object()});
        refused(objs, "no template for Secret/web-extra");
    }
}

// ---- schema --------------------------------------------------------------------------------------

TEST(HelmSchema, IsStrictDraft07) {
    const Json s = helm::values_schema();
    EXPECT_EQ(s["$schema"], "http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(s["additionalProperties"], false);
    // Every object schema that lists properties forbids others.
    std::vector<std::string> open;
    std::function<void(const Json&, const std::string&)> walk = [&](const Json& n, const std::string& path) {
        if (!n.is_object()) return;
        if (n.contains("properties") && n.value("additionalProperties", Json(true)) != false) open.push_back(path);
        for (const auto& [k, v] : n.items()) {
            if (k == "if") continue;   // conditions, not definitions
            if (v.is_object()) walk(v, path + "/" + k);
            if (v.is_array())
                for (const auto& x : v) walk(x, path + "/" + k + "[]");
        }
    };
    walk(s, "");
    EXPECT_TRUE(open.empty()) << "open objects: " << Json(open).dump();
    const Json& svc = s["definitions"]["service"];
    EXPECT_EQ(svc["properties"]["kind"]["enum"], Json::parse(R"(["Deployment","StatefulSet","CronJob","Job"])"));
    EXPECT_EQ(svc["properties"]["port"]["type"], "integer");
    EXPECT_EQ(svc["properties"]["image"]["properties"]["tag"]["type"], "string");
    EXPECT_EQ(s["properties"]["services"]["additionalProperties"]["$ref"], "#/definitions/service");
}

TEST(HelmSchema, GeneratedValuesFitAndTyposDoNot) {
    auto l = load();
    Json base = values_of(l.base);
    EXPECT_EQ(schema_errors(base), std::vector<std::string>{});
    for (const auto& env : l.envs) EXPECT_EQ(schema_errors(values_of(env)), std::vector<std::string>{}) << env.environment;

    auto with = [&](const char* pointer, Json value) {
        Json v = base;
        v[Json::json_pointer(pointer)] = std::move(value);
        return schema_errors(v);
    };
    EXPECT_FALSE(with("/services/web/replicaz", 3).empty());
    EXPECT_FALSE(with("/services/web/port", "8080").empty());
    EXPECT_FALSE(with("/services/web/image/tag", 1.0).empty());
    EXPECT_FALSE(with("/services/web/kind", "DaemonSet").empty());
    EXPECT_FALSE(with("/services/web/securityContext/readOnlyRootFileSystem", true).empty());
    EXPECT_FALSE(with("/services/web/resources/requests/memroy", "1Gi").empty());
    EXPECT_FALSE(with("/services/web/ingress/hots", "x").empty());
    EXPECT_FALSE(with("/servicez", Json::object()).empty());
    EXPECT_TRUE(with("/services/web/resources/limits/nvidia.com~1gpu", 1).empty());   // extended resources
    EXPECT_TRUE(with("/services/web/readinessProbe/anything", 1).empty());            // an open Kubernetes blob
}

// ---- templates -----------------------------------------------------------------------------------

TEST(HelmTemplates, HelpersAndIdioms) {
    auto a = generate(load());
    const std::string& helpers = content(a, "chart/templates/_helpers.tpl");
    for (const char* d : {"coconut.name", "coconut.fullname", "coconut.labels", "coconut.selectorLabels",
                          "coconut.image", "coconut.podTemplate", "coconut.appLabels", "coconut.version"})
        EXPECT_NE(helpers.find(std::string("define \"") + d + "\""), std::string::npos) << d;
    EXPECT_NE(helpers.find("coconut.dev/config-hash"), std::string::npos);   // constant substituted
    EXPECT_NE(helpers.find("{{ \"coconut\" | quote }}"), std::string::npos);
    for (const auto* f : a.all()) EXPECT_EQ(f->content.find('@' + std::string("MANAGED_BY@")), std::string::npos);
    const std::string& dep = content(a, "chart/templates/deployment.yaml");
    EXPECT_NE(dep.find("range $name, $svc := .Values.services"), std::string::npos);
    EXPECT_NE(dep.find("include \"coconut.podTemplate\" $ctx | nindent 4"), std::string::npos);
    EXPECT_NE(dep.find("toYaml $svc.updateStrategy | nindent 4"), std::string::npos);
    const std::string& test = content(a, "chart/templates/tests/test-connection.yaml");
    EXPECT_NE(test.find("helm.sh/hook: test"), std::string::npos);
    EXPECT_NE(test.find("runAsNonRoot: true"), std::string::npos);
    EXPECT_NE(test.find("drop:\n            - ALL"), std::string::npos);
    EXPECT_NE(test.find("seccompProfile:\n      type: RuntimeDefault"), std::string::npos);
}

// Every value a template reads exists in the schema (so a template typo cannot read a key that
// strict values could never set), and every service value the generator writes is read by some
// template.
TEST(HelmTemplates, ReadOnlyKeysTheSchemaKnows) {
    const Json schema = helm::values_schema();
    const Json& svc = schema["definitions"]["service"]["properties"];
    std::set<std::string> read;
    std::string all;
    for (const auto& t : helm::chart_templates("x")) all += t.content;
    std::regex svc_key(R"(\$svc\.([A-Za-z]+))");
    std::regex has_key(R"(hasKey \$svc "([A-Za-z]+)\")");
    std::regex ctx_key(R"(\.svc\.([A-Za-z]+))");
    for (const auto& re : {svc_key, has_key, ctx_key})
        for (auto it = std::sregex_iterator(all.begin(), all.end(), re); it != std::sregex_iterator(); ++it)
            read.insert((*it)[1]);
    for (const auto& k : read) EXPECT_TRUE(svc.contains(k)) << "templates read services.*." << k << " unknown to the schema";
    std::regex values_key(R"(\.Values\.([A-Za-z]+))");
    for (auto it = std::sregex_iterator(all.begin(), all.end(), values_key); it != std::sregex_iterator(); ++it)
        EXPECT_TRUE(schema["properties"].contains((*it)[1].str())) << (*it)[1];

    Json values = values_of(load().base);
    for (const auto& [name, s] : values["services"].items())
        for (const auto& [k, x] : s.items())
            EXPECT_TRUE(read.count(k)) << "services." << name << "." << k << " is written but no template reads it";
}
