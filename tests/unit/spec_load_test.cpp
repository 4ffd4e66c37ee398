// The spec layer: defaults, environment overlays, resolve, the data view, the JSON Schema and
// reference docs generated from the descriptor table, the starter spec and the examples.
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "coconut/spec/load.hpp"
#include "coconut/spec/quantity.hpp"
#include "coconut/spec/schema.hpp"

namespace fs = std::filesystem;
using namespace coconut::spec;
using Json = nlohmann::ordered_json;

namespace {

std::string all_problems(const LoadResult& r) {
    std::string out;
    for (const auto& p : r.problems) out += p.format() + "\n";
    return out;
}

LoadedSpec load_ok(const std::string& text) {
    auto r = load(text, "coconut.yaml");
    EXPECT_TRUE(r.ok()) << all_problems(r);
    return r.spec;
}

const Service& service(const Spec& s, std::string_view name) {
    const Service* svc = s.find_service(name);
    if (!svc) throw std::runtime_error("no service " + std::string(name));
    return *svc;
}

const char* const k_minimal = R"(apiVersion: coconut.dev/v1
name: shop
services:
  api:
    image: registry.example.com/shop/api:1.0.0
  web:
    type: web
    build: {context: ./web, runtime: node}
)";

}  // namespace

// ---- defaults ----

TEST(SpecDefaults, TopLevel) {
    const Spec s = load_ok(k_minimal).base();
    EXPECT_EQ(s.api_version, "coconut.dev/v1");
    EXPECT_EQ(s.name, "shop");
    EXPECT_EQ(s.version, "0.1.0");
    EXPECT_EQ(s.registry, "");
    EXPECT_EQ(s.environment, "");
    EXPECT_TRUE(s.environments.empty());
    EXPECT_FALSE(s.targets.kubernetes);
    EXPECT_FALSE(s.targets.ecs);
    EXPECT_FALSE(s.targets.servers);
    EXPECT_EQ(s.deploy.strategy, Strategy::Rolling);
    EXPECT_EQ(s.deploy.canary.steps, (std::vector<int>{10, 50, 100}));
    EXPECT_EQ(s.deploy.canary.pause.seconds, 60);
    EXPECT_EQ(s.deploy.health_timeout.text, "120s");
    EXPECT_EQ(s.deploy.health_timeout.seconds, 120);
    EXPECT_EQ(s.policies.profile, Profile::Restricted);
    EXPECT_FALSE(s.monitoring.slo_availability);
    EXPECT_EQ(s.cost.pricing, "aws-us-east-1");
    ASSERT_EQ(s.services.size(), 2u);
    EXPECT_EQ(s.services[0].name, "api");  // declaration order
    EXPECT_EQ(s.services[1].name, "web");
}

TEST(SpecDefaults, Service) {
    const Spec s = load_ok(k_minimal).base();
    const Service& api = service(s, "api");
    EXPECT_EQ(api.type, ServiceType::Backend);
    EXPECT_FALSE(api.build);
    EXPECT_EQ(api.port, 0);
    EXPECT_FALSE(api.health);  // no port, no health
    EXPECT_EQ(api.resources.cpu, "100m");
    EXPECT_EQ(api.resources.memory, "128Mi");
    EXPECT_EQ(api.resources.cpu_limit, "100m");
    EXPECT_EQ(api.resources.memory_limit, "128Mi");
    EXPECT_EQ(api.replicas.min, 2);   // long-running services default to two replicas
    EXPECT_EQ(api.replicas.max, 2);
    EXPECT_EQ(api.replicas.cpu_percent, 80);
    EXPECT_FALSE(api.replicas.memory_percent);
    EXPECT_EQ(api.run_as_user, 10001);
    EXPECT_EQ(api.position.line, 4u);
    EXPECT_EQ(api.position.column, 3u);
    EXPECT_EQ(s.image_of(api), "registry.example.com/shop/api:1.0.0");

    const Service& web = service(s, "web");
    EXPECT_EQ(web.type, ServiceType::Web);
    EXPECT_EQ(web.port, 8080);  // web services listen on 8080 by default
    ASSERT_TRUE(web.health);    // ... and get a TCP check on it
    EXPECT_EQ(web.health->path, "");
    EXPECT_EQ(web.health->port, 8080);
    EXPECT_EQ(web.health->interval.seconds, 10);
    EXPECT_EQ(web.health->timeout.seconds, 2);
    EXPECT_EQ(web.health->failure_threshold, 3);
    ASSERT_TRUE(web.build);
    EXPECT_EQ(web.build->context, "./web");
    EXPECT_EQ(web.build->runtime, Runtime::Node);
    EXPECT_EQ(web.build->version, "20");
    EXPECT_EQ(web.build->dockerfile, "");
    EXPECT_EQ(s.image_of(web), "shop-web:0.1.0");
}

TEST(SpecDefaults, BuildPresets) {
    const Spec s = load_ok(R"(apiVersion: coconut.dev/v1
name: app
services:
  a: {build: {}}
  b: {build: {runtime: dockerfile}}
  c: {build: {runtime: python}}
  d: {build: {runtime: go, version: "1.23"}}
  e: {build: {runtime: java}}
)").base();
    EXPECT_EQ(service(s, "a").build->runtime, Runtime::Static);
    EXPECT_EQ(service(s, "a").build->context, ".");
    EXPECT_EQ(service(s, "a").build->binary, "a");
    EXPECT_EQ(service(s, "a").build->version, "");
    EXPECT_EQ(service(s, "b").build->dockerfile, "Dockerfile");
    EXPECT_EQ(service(s, "b").build->binary, "");
    EXPECT_EQ(service(s, "c").build->version, "3.12");
    EXPECT_EQ(service(s, "d").build->version, "1.23");
    EXPECT_EQ(service(s, "e").build->version, "21");
}

TEST(SpecDefaults, ReplicasForms) {
    const Spec s = load_ok(R"(apiVersion: coconut.dev/v1
name: app
services:
  fixed: {image: x:1, replicas: 3}
  min-only: {image: x:1, replicas: {min: 3}}
  max-only: {image: x:1, replicas: {max: 5, memory_percent: 75}}
  zero: {image: x:1, replicas: 0}
  at-most-one: {image: x:1, replicas: {max: 1}}
  default: {image: x:1}
  job: {type: job, image: x:1, schedule: "0 3 * * *"}
)").base();
    EXPECT_EQ(service(s, "fixed").replicas.min, 3);
    EXPECT_EQ(service(s, "fixed").replicas.max, 3);
    EXPECT_EQ(service(s, "min-only").replicas.min, 3);
    EXPECT_EQ(service(s, "min-only").replicas.max, 3);
    EXPECT_EQ(service(s, "max-only").replicas.min, 2);   // the default minimum
    EXPECT_EQ(service(s, "max-only").replicas.max, 5);
    EXPECT_EQ(service(s, "at-most-one").replicas.min, 1);  // never above a given maximum
    EXPECT_EQ(service(s, "at-most-one").replicas.max, 1);
    EXPECT_EQ(service(s, "default").replicas.min, 2);
    EXPECT_EQ(service(s, "default").replicas.max, 2);
    EXPECT_EQ(service(s, "job").replicas.min, 1);         // a job runs one pod
    EXPECT_EQ(service(s, "max-only").replicas.memory_percent, 75);
    EXPECT_EQ(service(s, "zero").replicas.max, 0);
}

TEST(SpecDefaults, ValuesAsWritten) {
    const Spec s = load_ok(R"(apiVersion: coconut.dev/v1
name: app
version: 1.10
services:
  web:
    type: web
    image: x:1
    port: 3000
    command: node  server.js --title "my app" 'a b'
    args: [--verbose]
    env: {PORT: 3000, DEBUG: true, EMPTY: , FEATURE: on}
    resources: {cpu_limit: 2, memory_limit: 1Gi}
    health: {path: /healthz, interval: 1m30s, timeout: 500ms}
    ingress: {host: shop.example.com, tls: yes}
targets:
  kubernetes:
    ingress_class: nginx
)").base();
    EXPECT_EQ(s.version, "1.10");  // a string as written, not the number 1.1
    const Service& web = service(s, "web");
    EXPECT_EQ(web.command, (std::vector<std::string>{"node", "server.js", "--title", "my app", "a b"}));
    EXPECT_EQ(web.args, (std::vector<std::string>{"--verbose"}));
    EXPECT_EQ(web.env, (StringMap{{"PORT", "3000"}, {"DEBUG", "true"}, {"EMPTY", ""}, {"FEATURE", "on"}}));
    // a request that is not set defaults to the limit, as Kubernetes does
    EXPECT_EQ(web.resources.cpu, "2");
    EXPECT_EQ(web.resources.memory, "1Gi");
    EXPECT_EQ(web.health->port, 3000);
    EXPECT_EQ(web.health->interval.text, "1m30s");
    EXPECT_EQ(web.health->interval.seconds, 90);
    EXPECT_EQ(web.health->timeout.seconds, 1);  // rounded up, never 0
    ASSERT_TRUE(web.ingress);
    EXPECT_TRUE(web.ingress->tls);  // YAML 1.1 `yes` accepted where a boolean is expected
    EXPECT_EQ(web.ingress->path, "/");
    EXPECT_EQ(web.ingress->tls_secret, "web-tls");
    EXPECT_EQ(web.ingress->class_name, "nginx");
    ASSERT_TRUE(s.targets.kubernetes);
    EXPECT_EQ(s.kubernetes_namespace(), "app");
    EXPECT_TRUE(s.targets.kubernetes->chart);
    EXPECT_EQ(s.targets.kubernetes->secret_store, "coconut");
}

TEST(SpecDefaults, AnchorsAndMergeKeys) {
    const Spec s = load_ok(R"(apiVersion: coconut.dev/v1
name: app
x-defaults: &defaults
  resources: {cpu: 250m, memory: 256Mi}
  replicas: 2
services:
  a:
    <<: *defaults
    image: x:1
  b:
    <<: *defaults
    image: y:1
    replicas: 4
)").base();
    EXPECT_EQ(service(s, "a").resources.cpu, "250m");
    EXPECT_EQ(service(s, "a").replicas.max, 2);
    EXPECT_EQ(service(s, "b").resources.memory, "256Mi");
    EXPECT_EQ(service(s, "b").replicas.max, 4);
}

// ---- environments ----

const char* const k_overlays = R"(apiVersion: coconut.dev/v1
name: shop
version: 1.0.0
services:
  web:
    type: web
    image: registry.example.com/shop/web:1.0.0
    env: {LOG_LEVEL: info, REGION: eu}
    replicas: {min: 2, max: 4, cpu_percent: 70}
    ingress: {host: shop.example.com, tls: true}
    volumes: [{name: a, path: /a}, {name: b, path: /b}]
    depends_on: [api]
  api:
    image: registry.example.com/shop/api:1.0.0
    port: 8080
environments:
  staging:
    version: 1.1.0-rc1
    services:
      web:
        env: {LOG_LEVEL: debug, EXTRA: "1"}
        replicas: {max: 2}
        ingress: {host: staging.shop.example.com}
        volumes: [{name: c, path: /c}]
        depends_on: []
    deploy: {strategy: blue-green}
  production:
    services:
      web:
        replicas: 6
        ingress: null
      api:
        port: 9090
  empty:
)";

TEST(SpecEnvironments, MapsMergeScalarsAndListsReplace) {
    const LoadedSpec loaded = load_ok(k_overlays);
    EXPECT_EQ(loaded.base().environments, (std::vector<std::string>{"staging", "production", "empty"}));
    auto staging = loaded.resolve("staging");
    ASSERT_TRUE(staging) << staging.error().message;
    EXPECT_EQ(staging->environment, "staging");
    EXPECT_EQ(staging->version, "1.1.0-rc1");
    EXPECT_EQ(staging->deploy.strategy, Strategy::BlueGreen);
    const Service& web = service(*staging, "web");
    // maps merge, key by key, keeping the base's order and appending new keys
    EXPECT_EQ(web.env, (StringMap{{"LOG_LEVEL", "debug"}, {"REGION", "eu"}, {"EXTRA", "1"}}));
    EXPECT_EQ(web.replicas.min, 2);
    EXPECT_EQ(web.replicas.max, 2);
    EXPECT_EQ(web.replicas.cpu_percent, 70);
    EXPECT_EQ(web.ingress->host, "staging.shop.example.com");
    EXPECT_TRUE(web.ingress->tls);
    // lists replace
    ASSERT_EQ(web.volumes.size(), 1u);
    EXPECT_EQ(web.volumes[0].name, "c");
    EXPECT_TRUE(web.depends_on.empty());
    // the base is untouched
    EXPECT_EQ(service(loaded.base(), "web").volumes.size(), 2u);
    EXPECT_EQ(service(loaded.base(), "web").env.size(), 2u);
}

TEST(SpecEnvironments, ScalarReplacesMappingAndNullRemoves) {
    const LoadedSpec loaded = load_ok(k_overlays);
    auto production = loaded.resolve("production");
    ASSERT_TRUE(production);
    const Service& web = service(*production, "web");
    EXPECT_EQ(web.replicas.min, 6);
    EXPECT_EQ(web.replicas.max, 6);
    EXPECT_EQ(web.replicas.cpu_percent, 80);  // the whole mapping was replaced by the scalar
    EXPECT_FALSE(web.ingress);
    EXPECT_EQ(service(*production, "api").port, 9090);
    EXPECT_EQ(production->version, "1.0.0");
    auto empty = loaded.resolve("empty");
    ASSERT_TRUE(empty);
    EXPECT_EQ(service(*empty, "web").volumes.size(), 2u);
}

TEST(SpecEnvironments, ResolveUnknownEnvironment) {
    const LoadedSpec loaded = load_ok(k_overlays);
    auto r = loaded.resolve("prod");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, coconut::util::ErrorCode::Usage);
    EXPECT_EQ(r.error().message,
              "unknown environment 'prod' (environments are: empty, production, staging); did you mean "
              "'production'?");
    auto base = loaded.resolve("");
    ASSERT_TRUE(base);
    EXPECT_EQ(base->environment, "");
    EXPECT_FALSE(loaded.resolved_data("nope"));
}

TEST(SpecEnvironments, ResolveWithoutEnvironments) {
    auto r = load_ok(k_minimal).resolve("production");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "unknown environment 'production' (no environments are defined)");
}

TEST(SpecEnvironments, OverlayProblemsAreReportedOnceAtTheOverlay) {
    auto r = load(R"(apiVersion: coconut.dev/v1
name: shop
services:
  web:
    type: web
    image: x:1
    port: 80000
    replicas: {min: 2, max: 4}
environments:
  a: {services: {web: {replicas: {min: 5}}}}
  b: {services: {web: {replicas: {min: 5}}}}
  c: {deploy: {strategy: canary}}
)",
                  "coconut.yaml");
    EXPECT_EQ(all_problems(r),
              "coconut.yaml:7:11: error: services.web.port: must be 1..65535 (got 80000)\n"
              "coconut.yaml:10:34: error: environments.a.services.web.replicas: min (5) must not be greater than max (4)\n"
              "coconut.yaml:11:34: error: environments.b.services.web.replicas: min (5) must not be greater than max (4)\n");
}

// ---- the data view ----

TEST(SpecData, DefaultsAreFilledIn) {
    const LoadedSpec loaded = load_ok(k_overlays);
    auto data = loaded.resolved_data("staging");
    ASSERT_TRUE(data);
    const Json& web = (*data)["services"]["web"];
    EXPECT_EQ(web["replicas"], (Json{{"min", 2}, {"max", 2}, {"cpu_percent", 70}}));
    EXPECT_EQ(web["resources"]["cpu"], "100m");
    EXPECT_EQ(web["health"]["port"], 8080);
    EXPECT_EQ(web["run_as_user"], 10001);
    EXPECT_EQ((*data)["deploy"]["strategy"], "blue-green");
    EXPECT_FALSE(data->contains("environments"));
    auto base = loaded.resolved_data("");
    ASSERT_TRUE(base);
    EXPECT_EQ((*base)["version"], "1.0.0");
}

// The data view is itself a valid spec (JSON is YAML) that resolves to the same data.
TEST(SpecData, RoundTripsThroughLoad) {
    for (const char* example : {"hello", "shop", "microservices"}) {
        SCOPED_TRACE(example);
        const auto r = load_file((fs::path(COCONUT_SOURCE_DIR) / "examples" / example / "coconut.yaml").string());
        ASSERT_TRUE(r.ok()) << all_problems(r);
        for (const auto& env : r.spec.base().environments) {
            auto data = r.spec.resolved_data(env);
            ASSERT_TRUE(data);
            Json with_envs = *data;  // policy exceptions may name environments
            for (const auto& e : r.spec.base().environments) with_envs["environments"][e] = Json::object();
            auto again = load(with_envs.dump(2), "resolved.json");
            ASSERT_TRUE(again.ok()) << all_problems(again);
            EXPECT_EQ(*again.spec.resolved_data(""), *data) << env;
        }
    }
}

// ---- JSON Schema and docs ----

TEST(SpecSchema, Shape) {
    const Json s = json_schema();
    EXPECT_EQ(s["$schema"], "http://json-schema.org/draft-07/schema#");
    EXPECT_EQ(s["type"], "object");
    EXPECT_EQ(s["additionalProperties"], false);
    EXPECT_EQ(s["required"], (Json{"apiVersion", "name", "services"}));
    EXPECT_EQ(s["properties"]["apiVersion"]["const"], "coconut.dev/v1");
    EXPECT_TRUE(s["patternProperties"].contains("^x-"));
    const Json& service = s["properties"]["services"]["additionalProperties"];
    EXPECT_EQ(service["additionalProperties"], false);
    EXPECT_EQ(service["properties"]["type"]["enum"], (Json{"web", "backend", "worker", "job"}));
    EXPECT_EQ(service["properties"]["type"]["default"], "backend");
    EXPECT_EQ(service["properties"]["port"]["minimum"], 1);
    EXPECT_EQ(service["properties"]["port"]["maximum"], 65535);
    EXPECT_EQ(service["properties"]["run_as_user"]["default"], 10001);
    EXPECT_EQ(service["properties"]["replicas"]["oneOf"].size(), 2u);
    EXPECT_EQ(service["properties"]["volumes"]["items"]["required"], (Json{"name", "path"}));
    EXPECT_EQ(s["properties"]["services"]["propertyNames"]["pattern"], "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    EXPECT_EQ(s["properties"]["deploy"]["properties"]["canary"]["properties"]["steps"]["default"],
              (Json{10, 50, 100}));
    // environments override: the same fields, nothing required
    const Json& env = s["properties"]["environments"]["additionalProperties"];
    EXPECT_EQ(env["additionalProperties"], false);
    EXPECT_FALSE(env.contains("required"));
    EXPECT_FALSE(env["properties"].contains("name"));
    EXPECT_FALSE(env["properties"]["services"]["additionalProperties"]["properties"]["volumes"]["items"].contains(
        "required"));
}

TEST(SpecSchema, EveryPropertyHasADescription) {
    std::function<void(const Json&, const std::string&)> walk = [&](const Json& j, const std::string& path) {
        if (!j.is_object()) return;
        if (j.contains("properties")) {
            for (auto it = j["properties"].begin(); it != j["properties"].end(); ++it) {
                EXPECT_TRUE(it.value().contains("description")) << path << "." << it.key();
                walk(it.value(), path + "." + it.key());
            }
        }
        for (const char* k : {"items", "additionalProperties"})
            if (j.contains(k)) walk(j[k], path + "." + k);
        if (j.contains("oneOf"))
            for (const auto& alt : j["oneOf"]) walk(alt, path);
    };
    walk(json_schema(), "");
}

TEST(SpecSchema, ReferenceMarkdownCoversEveryField) {
    const std::string md = reference_markdown();
    std::set<const schema::Type*> seen;
    std::function<void(const schema::Type*)> walk = [&](const schema::Type* t) {
        if (!t || !seen.insert(t).second) return;
        if (t->kind == schema::Kind::Object) {
            EXPECT_NE(md.find(" — " + t->title + "\n"), std::string::npos) << t->title;
            for (const auto& f : t->fields) {
                EXPECT_NE(md.find("| `" + f.name + "` |"), std::string::npos) << t->title << "." << f.name;
                EXPECT_FALSE(f.description.empty()) << t->title << "." << f.name;
            }
        }
        walk(t->item);
        for (const auto* a : t->alternatives) walk(a);
        for (const auto& f : t->fields) walk(f.type);
    };
    walk(&schema::root());
    EXPECT_NE(md.find("| `port` | integer (1..65535) | 8080 for web services, none otherwise |"), std::string::npos);
    EXPECT_NE(md.find("| `run_as_user` | integer (≥ 1) | `10001` |"), std::string::npos);
}

// ---- starter spec and examples ----

TEST(SpecStarter, ValidatesForEveryServiceType) {
    for (auto type : {ServiceType::Web, ServiceType::Backend, ServiceType::Worker, ServiceType::Job}) {
        SCOPED_TRACE(to_string(type));
        const std::string text = starter_spec("my-app", "api", type, 9000);
        const LoadedSpec loaded = load_ok(text);
        const Service& svc = service(loaded.base(), "api");
        EXPECT_EQ(svc.type, type);
        if (type == ServiceType::Web || type == ServiceType::Backend) {
            EXPECT_EQ(svc.port, 9000);
        }
        if (type == ServiceType::Job) {
            EXPECT_EQ(svc.schedule, "0 3 * * *");
        }
        EXPECT_TRUE(loaded.resolve("production"));
        EXPECT_NE(text.find("# "), std::string::npos);  // commented
    }
    const LoadedSpec web = load_ok(starter_spec("shop", "web", ServiceType::Web, 0));
    EXPECT_EQ(service(web.base(), "web").port, 8080);
}

TEST(SpecStarter, OddNamesYieldProblemsNotBrokenYaml) {
    auto r = load(starter_spec("My App: \"x\"", "Web #1", ServiceType::Web, 8080), "coconut.yaml");
    ASSERT_FALSE(r.ok());
    for (const auto& p : r.problems) EXPECT_NE(p.path, "") << p.format();  // no YAML syntax errors
}

TEST(SpecExamples, AllValidate) {
    const fs::path dir = fs::path(COCONUT_SOURCE_DIR) / "examples";
    int count = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.path().filename() != "coconut.yaml") continue;
        ++count;
        const auto r = load_file(e.path().string());
        EXPECT_TRUE(r.ok()) << all_problems(r);
        for (const auto& env : r.spec.base().environments) EXPECT_TRUE(r.spec.resolve(env)) << env;
    }
    EXPECT_GE(count, 3);
}

TEST(SpecExamples, Contents) {
    const fs::path dir = fs::path(COCONUT_SOURCE_DIR) / "examples";
    const Spec hello = load_file((dir / "hello" / "coconut.yaml").string()).spec.base();
    ASSERT_EQ(hello.services.size(), 1u);
    EXPECT_EQ(hello.services[0].port, 8080);
    EXPECT_EQ(hello.services[0].build->runtime, Runtime::Static);
    EXPECT_EQ(hello.services[0].health->path, "/healthz");

    const auto shop = load_file((dir / "shop" / "coconut.yaml").string()).spec;
    EXPECT_EQ(shop.base().environments, (std::vector<std::string>{"staging", "production"}));
    EXPECT_EQ(service(shop.base(), "report").type, ServiceType::Job);
    EXPECT_EQ(service(shop.base(), "worker").type, ServiceType::Worker);
    EXPECT_TRUE(service(shop.base(), "worker").is_persistent());
    EXPECT_TRUE(service(shop.base(), "web").ingress->tls);
    EXPECT_FALSE(service(shop.base(), "web").secrets.empty());

    const auto micro = load_file((dir / "microservices" / "coconut.yaml").string()).spec;
    EXPECT_EQ(micro.base().services.size(), 10u);
    EXPECT_EQ(micro.base().environments, (std::vector<std::string>{"dev", "staging", "production"}));
    EXPECT_EQ(service(*micro.resolve("dev"), "frontend").replicas.max, 1);
    EXPECT_EQ(service(*micro.resolve("production"), "frontend").replicas.max, 20);
    EXPECT_EQ(service(*micro.resolve("production"), "search").volumes[0].size, "200Gi");
    EXPECT_EQ(micro.resolve("production")->targets.kubernetes->context, "prod-eu-1");
    EXPECT_EQ(micro.resolve("production")->targets.kubernetes->namespace_name, "market");
}

// ---- value formats ----

TEST(SpecValues, CpuQuantities) {
    EXPECT_EQ(parse_cpu_millis("250m"), 250);
    EXPECT_EQ(parse_cpu_millis("0.5"), 500);
    EXPECT_EQ(parse_cpu_millis("2"), 2000);
    EXPECT_EQ(parse_cpu_millis(".25"), 250);
    EXPECT_EQ(parse_cpu_millis("1.005"), 1005);
    for (const char* bad : {"", "m", "250M", "0", "0m", "1.5m", "0.0001", "-1", "1 ", "1e3", "abc", "9999999999m"})
        EXPECT_FALSE(parse_cpu_millis(bad)) << bad;
}

TEST(SpecValues, MemoryQuantities) {
    EXPECT_EQ(parse_memory_bytes("256Mi"), 256.0 * 1024 * 1024);
    EXPECT_EQ(parse_memory_bytes("1Gi"), 1024.0 * 1024 * 1024);
    EXPECT_EQ(parse_memory_bytes("128974848"), 128974848.0);
    EXPECT_EQ(parse_memory_bytes("129M"), 129e6);
    EXPECT_EQ(parse_memory_bytes("1k"), 1000.0);
    EXPECT_EQ(parse_memory_bytes("129e6"), 129e6);
    EXPECT_EQ(parse_memory_bytes("0.5Gi"), 512.0 * 1024 * 1024);
    for (const char* bad : {"", "128m", "256MB", "1gb", "1K", "Mi", "0", "-1Gi", "1 Gi", "1e999", "99999999999999Ei"})
        EXPECT_FALSE(parse_memory_bytes(bad)) << bad;
    EXPECT_EQ(memory_error("128m"), "invalid memory quantity '128m': 'm' means thousandths of a byte; did you mean "
                                    "'128Mi'?");
}

TEST(SpecValues, Durations) {
    EXPECT_EQ(parse_duration_ms("10s"), 10000);
    EXPECT_EQ(parse_duration_ms("1m30s"), 90000);
    EXPECT_EQ(parse_duration_ms("500ms"), 500);
    EXPECT_EQ(parse_duration_ms("2h"), 7200000);
    EXPECT_EQ(parse_duration_ms("1h2m3s4ms"), 3723004);
    EXPECT_EQ(parse_duration_ms("0s"), 0);
    for (const char* bad : {"", "10", "1.5s", "s", "10 s", "-1s", "1d", "10S", "99999999999999h"})
        EXPECT_FALSE(parse_duration_ms(bad)) << bad;
    EXPECT_EQ(duration_seconds(500), 1);
    EXPECT_EQ(duration_seconds(0), 0);
    EXPECT_EQ(duration_seconds(90000), 90);
}

TEST(SpecValues, CronSchedules) {
    for (const char* ok : {"0 3 * * *", "*/15 * * * *", "0 9 * * MON-FRI", "0 0 1,15 * *", "0 0-23/2 * * *",
                           "30 2 * JAN-MAR sun", "0 0 ? * 7", "5/10 * * * *", "@hourly", "@daily", "@weekly",
                           "@monthly", "@yearly", "@annually", "@midnight", "0  3 * *\t*"})
        EXPECT_FALSE(cron_problem(ok)) << ok << ": " << cron_problem(ok).value_or("");
    EXPECT_EQ(cron_problem("0 3 * *"), "expected 5 fields (minute hour day-of-month month day-of-week), got 4");
    EXPECT_EQ(cron_problem("0 24 * * *"), "hour: 24 is out of range 0-23");
    EXPECT_EQ(cron_problem("0 0 0 * *"), "day-of-month: 0 is out of range 1-31");
    EXPECT_EQ(cron_problem("0 0 * 13 *"), "month: 13 is out of range 1-12");
    EXPECT_EQ(cron_problem("0 0 * * 8"), "day-of-week: 8 is out of range 0-7");
    EXPECT_EQ(cron_problem("0 0 * * MON-"), "day-of-week: '' is not a number or a day name (SUN-SAT)");
    EXPECT_EQ(cron_problem("0,,5 * * * *"), "minute: empty element in a list");
    EXPECT_EQ(cron_problem("? * * * *"), "minute: '?' is only allowed alone in day-of-month and day-of-week");
    EXPECT_EQ(cron_problem("TZ=UTC 0 3 * * *"), "time zone prefixes (TZ=...) are not supported");
    EXPECT_EQ(cron_problem("*/x * * * *"), "minute: invalid step 'x'");
    EXPECT_TRUE(cron_problem("99999999999999999999 * * * *"));
}

TEST(SpecValues, SplitWords) {
    EXPECT_EQ(split_words("a  b\tc"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(split_words(R"(sh -c 'echo "hi" $X' "a\"b" c\ d)"),
              (std::vector<std::string>{"sh", "-c", "echo \"hi\" $X", "a\"b", "c d"}));
    EXPECT_EQ(split_words("''"), (std::vector<std::string>{""}));
    EXPECT_EQ(split_words(""), (std::vector<std::string>{}));
    EXPECT_FALSE(split_words("'open"));
    EXPECT_FALSE(split_words("\"open"));
}

TEST(SpecModel, EnumNames) {
    EXPECT_STREQ(to_string(ServiceType::Worker), "worker");
    EXPECT_STREQ(to_string(Runtime::Dockerfile), "dockerfile");
    EXPECT_STREQ(to_string(Strategy::BlueGreen), "blue-green");
    EXPECT_STREQ(to_string(Profile::Baseline), "baseline");
    EXPECT_STREQ(to_string(ServiceManager::StartStopDaemon), "start-stop-daemon");
}

TEST(SpecProblem, Format) {
    EXPECT_EQ((Problem{"coconut.yaml", {9, 11}, "services.web.port", "must be 1..65535 (got 80000)"}.format()),
              "coconut.yaml:9:11: error: services.web.port: must be 1..65535 (got 80000)");
    EXPECT_EQ((Problem{"coconut.yaml", {1, 1}, "", "the file is empty"}.format()),
              "coconut.yaml:1:1: error: the file is empty");
    EXPECT_EQ((Problem{"missing.yaml", {}, "", "cannot read"}.format()), "missing.yaml: error: cannot read");
}

// ---- robustness ----

TEST(SpecRobustness, LongDependencyChainsAndBigCycles) {
    std::string text = "apiVersion: coconut.dev/v1\nname: big\nservices:\n";
    const int n = 3000;
    for (int i = 0; i < n; ++i)
        text += "  s" + std::to_string(i) + ": {image: x:1, depends_on: [s" + std::to_string((i + 1) % n) + "]}\n";
    auto r = load(text, "big.yaml");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "services.s0.depends_on[0]");
    EXPECT_EQ(r.problems[0].message.substr(0, 36), "dependency cycle: s0 -> s1 -> s2 -> ");
}

TEST(SpecRobustness, DeepNestingAndAliasBombs) {
    std::string deep = "apiVersion: coconut.dev/v1\nname: x\nservices: ";
    deep += std::string(5000, '[') + std::string(5000, ']') + "\n";
    EXPECT_FALSE(load(deep, "deep.yaml").ok());

    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
        bomb += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
        bomb += "]\n";
    }
    EXPECT_FALSE(load(bomb, "bomb.yaml").ok());
}
