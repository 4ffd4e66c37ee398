// Unit tests of the `kubernetes` generator: object content (labels, hardening, replicas, probes,
// network policies, jobs, secrets), overlay diffs and the file layout. Specs are built in C++.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "coconut/generate/generator.hpp"
#include "coconut/generate/kubernetes/kubernetes_generator.hpp"
#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/generate/kubernetes/overlay.hpp"

namespace k8s = coconut::generate::kubernetes;
namespace spec = coconut::spec;
using coconut::generate::ArtifactSet;
using coconut::generate::GenerateInput;
using Json = nlohmann::ordered_json;

namespace {

spec::Service service(std::string name, spec::ServiceType type, int port = 0) {
    spec::Service s;
    s.name = std::move(name);
    s.type = type;
    s.port = port;
    s.image = "registry.example.com/shop/" + s.name + ":1.0.0";
    return s;
}

// A small app: web -> api -> db (persistent), a worker, a nightly report job.
spec::Spec shop() {
    spec::Spec s;
    s.name = "shop";
    s.version = "1.4.2";
    auto web = service("web", spec::ServiceType::Web, 8080);
    web.image.clear();
    web.build = spec::Build{};
    web.env = {{"LOG_LEVEL", "info"}, {"FEATURE_X", "on"}};
    web.secrets = {{"DATABASE_URL", "db/url"}};
    web.replicas = {2, 10, 70, std::nullopt};
    web.health = spec::Health{};
    web.health->path = "/healthz";
    web.ingress = spec::Ingress{};
    web.ingress->host = "shop.example.com";
    web.ingress->tls = true;
    web.depends_on = {"api"};
    auto api = service("api", spec::ServiceType::Backend, 9090);
    api.depends_on = {"db"};
    auto db = service("db", spec::ServiceType::Backend, 5432);
    db.volumes = {{"data", "/var/lib/postgresql/data", "10Gi", "fast", false}};
    db.health = spec::Health{};   // no path: TCP
    auto worker = service("worker", spec::ServiceType::Worker);
    worker.depends_on = {"api", "db"};
    auto report = service("report", spec::ServiceType::Job);
    report.schedule = "0 3 * * *";
    report.depends_on = {"db"};
    s.services = {web, api, db, worker, report};
    s.targets.kubernetes = spec::KubernetesTarget{};
    s.targets.kubernetes->namespace_name = "shop";
    s.targets.kubernetes->secret_store = "vault";
    return s;
}

std::vector<k8s::Object> build(const spec::Spec& s) {
    auto r = k8s::build_objects(s, s.kubernetes_namespace());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : std::vector<k8s::Object>{};
}

const k8s::Object* find(const std::vector<k8s::Object>& objs, std::string_view kind, std::string_view name) {
    for (const auto& o : objs)
        if (o.kind == kind && o.name == name) return &o;
    return nullptr;
}

const Json& pod_spec(const k8s::Object& o) {
    if (o.kind == "CronJob") return o.body["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    return o.body["spec"]["template"]["spec"];
}

std::vector<std::string> kinds_of(const std::vector<k8s::Object>& objs, std::string_view service) {
    std::vector<std::string> out;
    for (const auto& o : objs)
        if (o.service == service) out.push_back(o.kind + "/" + o.name);
    return out;
}

}  // namespace

TEST(KubernetesObjects, KindOrderPerService) {
    auto objs = build(shop());
    EXPECT_EQ(kinds_of(objs, ""), (std::vector<std::string>{"Namespace/shop", "NetworkPolicy/default-deny"}));
    EXPECT_EQ(kinds_of(objs, "web"),
              (std::vector<std::string>{"ServiceAccount/web", "ConfigMap/web-env", "ExternalSecret/web-secrets",
                                        "Service/web", "Deployment/web", "HorizontalPodAutoscaler/web",
                                        "PodDisruptionBudget/web", "Ingress/web", "NetworkPolicy/web"}));
    EXPECT_EQ(kinds_of(objs, "db"),
              (std::vector<std::string>{"ServiceAccount/db", "Service/db", "Service/db-headless", "StatefulSet/db",
                                        "NetworkPolicy/db"}));
    EXPECT_EQ(kinds_of(objs, "report"),
              (std::vector<std::string>{"ServiceAccount/report", "CronJob/report", "NetworkPolicy/report"}));
}

TEST(KubernetesObjects, LabelsAndSelectors) {
    auto s = shop();
    auto objs = build(s);
    const auto* d = find(objs, "Deployment", "web");
    ASSERT_TRUE(d);
    const Json& labels = d->body["metadata"]["labels"];
    EXPECT_EQ(labels["app.kubernetes.io/name"], "web");
    EXPECT_EQ(labels["app.kubernetes.io/instance"], "shop-web");
    EXPECT_EQ(labels["app.kubernetes.io/component"], "web");
    EXPECT_EQ(labels["app.kubernetes.io/part-of"], "shop");
    EXPECT_EQ(labels["app.kubernetes.io/version"], "1.4.2");
    EXPECT_EQ(labels["app.kubernetes.io/managed-by"], "coconut");
    Json selector = Json::object({{"app.kubernetes.io/name", "web"}, {"app.kubernetes.io/instance", "shop-web"}});
    EXPECT_EQ(d->body["spec"]["selector"]["matchLabels"], selector);
    EXPECT_EQ(find(objs, "Service", "web")->body["spec"]["selector"], selector);
    EXPECT_EQ(find(objs, "PodDisruptionBudget", "web")->body["spec"]["selector"]["matchLabels"], selector);
    for (const auto& o : objs) {
        EXPECT_EQ(o.body["metadata"]["labels"]["app.kubernetes.io/managed-by"], "coconut") << o.kind << "/" << o.name;
        if (o.kind != "Namespace") {
            EXPECT_EQ(o.body["metadata"]["namespace"], "shop") << o.kind << "/" << o.name;
        }
    }
    EXPECT_FALSE(find(objs, "Namespace", "shop")->body["metadata"].contains("namespace"));
}

TEST(KubernetesObjects, SanitizesLabelValues) {
    EXPECT_EQ(k8s::sanitize_label_value("1.0.0+build.5"), "1.0.0_build.5");
    EXPECT_EQ(k8s::sanitize_label_value("-v1-"), "v1");
    EXPECT_EQ(k8s::sanitize_label_value(std::string(80, 'a')).size(), 63u);
    EXPECT_EQ(k8s::sanitize_label_value("+++"), "");
}

TEST(KubernetesObjects, PodTemplateIsHardenedToRestricted) {
    auto s = shop();
    auto objs = build(s);
    for (const char* name : {"web", "db", "report"}) {
        const k8s::Object* o = find(objs, "Deployment", name);
        if (!o) o = find(objs, "StatefulSet", name);
        if (!o) o = find(objs, "CronJob", name);
        ASSERT_TRUE(o) << name;
        const Json& pod = pod_spec(*o);
        EXPECT_EQ(pod["serviceAccountName"], name);
        EXPECT_EQ(pod["automountServiceAccountToken"], false);
        const Json& psc = pod["securityContext"];
        EXPECT_EQ(psc["runAsNonRoot"], true);
        EXPECT_EQ(psc["runAsUser"], 10001);
        EXPECT_EQ(psc["runAsGroup"], 10001);
        EXPECT_EQ(psc["fsGroup"], 10001);
        EXPECT_EQ(psc["seccompProfile"]["type"], "RuntimeDefault");
        ASSERT_EQ(pod["containers"].size(), 1u);
        const Json& c = pod["containers"][0];
        EXPECT_EQ(c["imagePullPolicy"], "IfNotPresent");
        const Json& csc = c["securityContext"];
        EXPECT_EQ(csc["allowPrivilegeEscalation"], false);
        EXPECT_EQ(csc["readOnlyRootFilesystem"], true);
        EXPECT_EQ(csc["runAsNonRoot"], true);
        EXPECT_EQ(csc["capabilities"]["drop"], Json::array({"ALL"}));
        EXPECT_EQ(c["volumeMounts"][0], Json::object({{"name", "tmp"}, {"mountPath", "/tmp"}}));
        EXPECT_EQ(pod["volumes"][0], Json::object({{"name", "tmp"}, {"emptyDir", Json::object()}}));
    }
    const Json& web = pod_spec(*find(objs, "Deployment", "web"))["containers"][0];
    EXPECT_EQ(web["image"], "shop-web:1.4.2");   // built: <app>-<svc>:<version>
    EXPECT_EQ(web["ports"][0], Json::object({{"name", "http"}, {"containerPort", 8080}, {"protocol", "TCP"}}));
    EXPECT_EQ(web["resources"]["requests"]["cpu"], "100m");
    EXPECT_EQ(web["resources"]["limits"]["memory"], "128Mi");
}

TEST(KubernetesObjects, ReadOnlyRootFilesystemException) {
    auto s = shop();
    s.policies.exceptions = {{"K8S-READ-ONLY-ROOT-FS", "api", "", "writes under /home"},
                             {"K8S-READ-ONLY-ROOT-FS", "web", "dev", "dev only"},
                             {"K8S-HOST-PORT", "", "", "another rule"}};
    auto ro = [](const std::vector<k8s::Object>& objs, const char* name) {
        return pod_spec(*find(objs, "Deployment", name))["containers"][0]["securityContext"]["readOnlyRootFilesystem"];
    };
    auto objs = build(s);
    EXPECT_EQ(ro(objs, "api"), false);
    EXPECT_EQ(ro(objs, "web"), true);     // the exception is for dev only
    EXPECT_EQ(ro(objs, "worker"), true);
    s.environment = "dev";
    objs = build(s);
    EXPECT_EQ(ro(objs, "web"), false);
}

TEST(KubernetesObjects, ResourceLimitsFallBackToRequests) {
    auto s = shop();
    s.services[1].resources = {"250m", "256Mi", "1", ""};
    auto objs = build(s);
    const Json& r = pod_spec(*find(objs, "Deployment", "api"))["containers"][0]["resources"];
    EXPECT_EQ(r["requests"], Json::object({{"cpu", "250m"}, {"memory", "256Mi"}}));
    EXPECT_EQ(r["limits"], Json::object({{"cpu", "1"}, {"memory", "256Mi"}}));
}

TEST(KubernetesObjects, FixedReplicasHaveNoHpa) {
    auto s = shop();
    s.services[1].replicas = {3, 3, 80, std::nullopt};
    auto objs = build(s);
    EXPECT_EQ(find(objs, "Deployment", "api")->body["spec"]["replicas"], 3);
    EXPECT_FALSE(find(objs, "HorizontalPodAutoscaler", "api"));
    ASSERT_TRUE(find(objs, "PodDisruptionBudget", "api"));
    EXPECT_EQ(find(objs, "PodDisruptionBudget", "api")->body["spec"]["maxUnavailable"], 1);
    EXPECT_TRUE(pod_spec(*find(objs, "Deployment", "api")).contains("topologySpreadConstraints"));
}

TEST(KubernetesObjects, SingleReplicaHasNoPdbNorSpread) {
    auto objs = build(shop());
    const auto* api = find(objs, "Deployment", "api");
    EXPECT_EQ(api->body["spec"]["replicas"], 1);
    EXPECT_FALSE(find(objs, "PodDisruptionBudget", "api"));
    EXPECT_FALSE(find(objs, "HorizontalPodAutoscaler", "api"));
    EXPECT_FALSE(pod_spec(*api).contains("topologySpreadConstraints"));
}

TEST(KubernetesObjects, AutoscaledWorkloadLeavesReplicasToHpa) {
    auto s = shop();
    s.services[0].replicas.memory_percent = 75;
    auto objs = build(s);
    const auto* d = find(objs, "Deployment", "web");
    EXPECT_FALSE(d->body["spec"].contains("replicas"));
    const auto* hpa = find(objs, "HorizontalPodAutoscaler", "web");
    ASSERT_TRUE(hpa);
    EXPECT_EQ(hpa->body["apiVersion"], "autoscaling/v2");
    EXPECT_EQ(hpa->body["spec"]["scaleTargetRef"],
              Json::object({{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}}));
    EXPECT_EQ(hpa->body["spec"]["minReplicas"], 2);
    EXPECT_EQ(hpa->body["spec"]["maxReplicas"], 10);
    const Json& metrics = hpa->body["spec"]["metrics"];
    ASSERT_EQ(metrics.size(), 2u);
    EXPECT_EQ(metrics[0]["resource"]["name"], "cpu");
    EXPECT_EQ(metrics[0]["resource"]["target"]["averageUtilization"], 70);
    EXPECT_EQ(metrics[1]["resource"]["name"], "memory");
    EXPECT_EQ(metrics[1]["resource"]["target"]["averageUtilization"], 75);
    const Json& spread = pod_spec(*d)["topologySpreadConstraints"];
    ASSERT_EQ(spread.size(), 2u);
    EXPECT_EQ(spread[0]["topologyKey"], "topology.kubernetes.io/zone");
    EXPECT_EQ(spread[0]["whenUnsatisfiable"], "ScheduleAnyway");
    EXPECT_EQ(spread[1]["topologyKey"], "kubernetes.io/hostname");
    const Json& strategy = d->body["spec"]["strategy"];
    EXPECT_EQ(strategy["type"], "RollingUpdate");
    EXPECT_EQ(strategy["rollingUpdate"]["maxUnavailable"], 0);
    EXPECT_EQ(strategy["rollingUpdate"]["maxSurge"], "25%");
}

TEST(KubernetesObjects, ScaleToZero) {
    auto s = shop();
    s.services[0].replicas = {0, 0, 80, std::nullopt};
    s.services[4].replicas = {0, 0, 80, std::nullopt};
    auto objs = build(s);
    EXPECT_EQ(find(objs, "Deployment", "web")->body["spec"]["replicas"], 0);
    EXPECT_FALSE(find(objs, "HorizontalPodAutoscaler", "web"));
    EXPECT_FALSE(find(objs, "PodDisruptionBudget", "web"));
    EXPECT_EQ(find(objs, "CronJob", "report")->body["spec"]["suspend"], true);
}

TEST(KubernetesObjects, MinZeroWithMaxAutoscalesFromOne) {
    auto s = shop();
    s.services[1].replicas = {0, 4, 80, std::nullopt};
    auto objs = build(s);
    EXPECT_EQ(find(objs, "HorizontalPodAutoscaler", "api")->body["spec"]["minReplicas"], 1);
    EXPECT_FALSE(find(objs, "PodDisruptionBudget", "api"));
}

TEST(KubernetesObjects, StatefulSetForPersistentVolumes) {
    auto objs = build(shop());
    EXPECT_FALSE(find(objs, "Deployment", "db"));
    const auto* sts = find(objs, "StatefulSet", "db");
    ASSERT_TRUE(sts);
    EXPECT_EQ(sts->body["spec"]["serviceName"], "db-headless");
    const Json& claims = sts->body["spec"]["volumeClaimTemplates"];
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0]["metadata"]["name"], "data");
    EXPECT_FALSE(claims[0]["metadata"]["labels"].contains("app.kubernetes.io/version"));
    EXPECT_EQ(claims[0]["spec"]["accessModes"], Json::array({"ReadWriteOnce"}));
    EXPECT_EQ(claims[0]["spec"]["storageClassName"], "fast");
    EXPECT_EQ(claims[0]["spec"]["resources"]["requests"]["storage"], "10Gi");
    const Json& mounts = pod_spec(*sts)["containers"][0]["volumeMounts"];
    EXPECT_EQ(mounts[1], Json::object({{"name", "data"}, {"mountPath", "/var/lib/postgresql/data"}}));
    // the claim is not a pod volume
    EXPECT_EQ(pod_spec(*sts)["volumes"].size(), 1u);
    const auto* headless = find(objs, "Service", "db-headless");
    ASSERT_TRUE(headless);
    EXPECT_EQ(headless->body["spec"]["clusterIP"], "None");
    EXPECT_EQ(headless->body["spec"]["publishNotReadyAddresses"], true);
}

TEST(KubernetesObjects, EphemeralVolumesAreEmptyDirs) {
    auto s = shop();
    s.services[1].volumes = {{"cache", "/var/cache/api", "", "", false}, {"tmp", "/scratch", "", "", true}};
    auto objs = build(s);
    const auto* d = find(objs, "Deployment", "api");
    ASSERT_TRUE(d);
    const Json& vols = pod_spec(*d)["volumes"];
    ASSERT_EQ(vols.size(), 3u);
    EXPECT_EQ(vols[0]["name"], "coconut-tmp");   // the user's volume is called tmp
    EXPECT_EQ(vols[1], Json::object({{"name", "cache"}, {"emptyDir", Json::object()}}));
    const Json& mounts = pod_spec(*d)["containers"][0]["volumeMounts"];
    EXPECT_EQ(mounts[2], Json::object({{"name", "tmp"}, {"mountPath", "/scratch"}, {"readOnly", true}}));
}

TEST(KubernetesObjects, ProbesFromHealth) {
    auto s = shop();
    s.services[0].health->interval = {"15s", 15};
    s.services[0].health->initial_delay = {"5s", 5};
    auto objs = build(s);
    const Json& web = pod_spec(*find(objs, "Deployment", "web"))["containers"][0];
    Json expected = Json::object({{"httpGet", Json::object({{"path", "/healthz"}, {"port", "http"}})},
                                  {"initialDelaySeconds", 5},
                                  {"periodSeconds", 15},
                                  {"timeoutSeconds", 2},
                                  {"failureThreshold", 3}});
    EXPECT_EQ(web["readinessProbe"], expected);
    EXPECT_EQ(web["livenessProbe"], expected);
    // health without a path: TCP on the port
    const Json& db = pod_spec(*find(objs, "StatefulSet", "db"))["containers"][0];
    EXPECT_EQ(db["readinessProbe"]["tcpSocket"], Json::object({{"port", "tcp"}}));
    EXPECT_FALSE(db["readinessProbe"].contains("httpGet"));
    // a port and no health: TCP probe anyway
    const Json& api = pod_spec(*find(objs, "Deployment", "api"))["containers"][0];
    EXPECT_EQ(api["livenessProbe"]["tcpSocket"], Json::object({{"port", "tcp"}}));
    // no port, no health: no probe
    const Json& worker = pod_spec(*find(objs, "Deployment", "worker"))["containers"][0];
    EXPECT_FALSE(worker.contains("readinessProbe"));
    EXPECT_FALSE(worker.contains("ports"));
}

// A worker has nothing to probe unless it says how: the workload says so where `coconut check`
// sees it; with health.command it gets an exec check and no such note.
TEST(KubernetesObjects, WorkerWithoutPortSaysWhyNoLivenessProbeOrRunsItsCommand) {
    auto s = shop();
    auto objs = build(s);
    const auto* worker = find(objs, "Deployment", "worker");
    ASSERT_NE(worker, nullptr);
    const std::string note = worker->body["metadata"]["annotations"]["coconut.dev/ignore"];
    EXPECT_EQ(note.rfind("K8S-LIVENESS-PROBE -- ", 0), 0u) << note;
    EXPECT_NE(note.find("services.worker.health.command"), std::string::npos) << note;
    EXPECT_FALSE(find(objs, "Deployment", "api")->body["metadata"].contains("annotations"));   // it has a port

    s.services[3].health = spec::Health{};
    s.services[3].health->command = {"/app/worker", "healthcheck"};
    objs = build(s);
    worker = find(objs, "Deployment", "worker");
    EXPECT_FALSE(worker->body["metadata"].contains("annotations"));
    const Json& c = pod_spec(*worker)["containers"][0];
    EXPECT_EQ(c["livenessProbe"]["exec"], Json::parse(R"({"command":["/app/worker","healthcheck"]})"));
    EXPECT_EQ(c["readinessProbe"]["exec"], c["livenessProbe"]["exec"]);
    EXPECT_FALSE(c.contains("ports"));
}

TEST(KubernetesObjects, HealthOnAnotherPortUsesTheNumber) {
    auto s = shop();
    s.services[0].health->port = 9000;
    auto objs = build(s);
    const Json& web = pod_spec(*find(objs, "Deployment", "web"))["containers"][0];
    EXPECT_EQ(web["readinessProbe"]["httpGet"]["port"], 9000);
}

TEST(KubernetesObjects, ServiceExposesTheServicePort) {
    auto objs = build(shop());
    const Json& ports = find(objs, "Service", "web")->body["spec"]["ports"];
    EXPECT_EQ(ports, Json::array({Json::object(
                         {{"name", "http"}, {"port", 8080}, {"targetPort", "http"}, {"protocol", "TCP"}, {"appProtocol", "http"}})}));
    EXPECT_EQ(find(objs, "Service", "web")->body["spec"]["type"], "ClusterIP");
    EXPECT_FALSE(find(objs, "Service", "worker"));
}

TEST(KubernetesObjects, ConfigMapAndExternalSecret) {
    auto objs = build(shop());
    const auto* cm = find(objs, "ConfigMap", "web-env");
    ASSERT_TRUE(cm);
    EXPECT_EQ(cm->body["data"], Json::object({{"LOG_LEVEL", "info"}, {"FEATURE_X", "on"}}));
    const auto* es = find(objs, "ExternalSecret", "web-secrets");
    ASSERT_TRUE(es);
    EXPECT_EQ(es->body["apiVersion"], "external-secrets.io/v1beta1");
    EXPECT_EQ(es->body["spec"]["secretStoreRef"], Json::object({{"kind", "SecretStore"}, {"name", "vault"}}));
    EXPECT_EQ(es->body["spec"]["target"]["name"], "web-secrets");
    EXPECT_EQ(es->body["spec"]["data"], Json::array({Json::object(
                                            {{"secretKey", "DATABASE_URL"}, {"remoteRef", Json::object({{"key", "db/url"}})}})}));
    const auto* d = find(objs, "Deployment", "web");
    const Json& c = pod_spec(*d)["containers"][0];
    EXPECT_EQ(c["envFrom"][0]["configMapRef"]["name"], "web-env");
    EXPECT_EQ(c["env"][0], Json::object({{"name", "DATABASE_URL"},
                                         {"valueFrom", Json::object({{"secretKeyRef", Json::object({{"name", "web-secrets"}, {"key", "DATABASE_URL"}})}})}}));
    // a config change rolls the pods
    std::string hash = d->body["spec"]["template"]["metadata"]["annotations"]["coconut.dev/config-hash"];
    auto s = shop();
    s.services[0].env[0].second = "debug";
    auto changed = build(s);
    EXPECT_NE(find(changed, "Deployment", "web")->body["spec"]["template"]["metadata"]["annotations"]["coconut.dev/config-hash"],
              hash);
    // no env: no ConfigMap, no envFrom, no annotation
    EXPECT_FALSE(find(objs, "ConfigMap", "api-env"));
    const auto* api = find(objs, "Deployment", "api");
    EXPECT_FALSE(pod_spec(*api)["containers"][0].contains("envFrom"));
    EXPECT_FALSE(api->body["spec"]["template"]["metadata"].contains("annotations"));
}

TEST(KubernetesObjects, Ingress) {
    auto s = shop();
    s.targets.kubernetes->ingress_class = "nginx";
    s.services[0].ingress->annotations = {{"nginx.ingress.kubernetes.io/proxy-body-size", "8m"}};
    auto objs = build(s);
    const auto* ing = find(objs, "Ingress", "web");
    ASSERT_TRUE(ing);
    EXPECT_EQ(ing->body["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"], "8m");
    const Json& spec = ing->body["spec"];
    EXPECT_EQ(spec["ingressClassName"], "nginx");
    EXPECT_EQ(spec["tls"], Json::array({Json::object({{"hosts", Json::array({"shop.example.com"})}, {"secretName", "web-tls"}})}));
    const Json& path = spec["rules"][0]["http"]["paths"][0];
    EXPECT_EQ(spec["rules"][0]["host"], "shop.example.com");
    EXPECT_EQ(path["path"], "/");
    EXPECT_EQ(path["pathType"], "Prefix");
    EXPECT_EQ(path["backend"]["service"]["name"], "web");
    EXPECT_EQ(path["backend"]["service"]["port"]["name"], "http");
    // the service's own class wins
    s.services[0].ingress->class_name = "internal";
    s.services[0].ingress->tls_secret = "shop-cert";
    objs = build(s);
    EXPECT_EQ(find(objs, "Ingress", "web")->body["spec"]["ingressClassName"], "internal");
    EXPECT_EQ(find(objs, "Ingress", "web")->body["spec"]["tls"][0]["secretName"], "shop-cert");
}

TEST(KubernetesObjects, NetworkPolicies) {
    auto objs = build(shop());
    const auto* deny = find(objs, "NetworkPolicy", "default-deny");
    ASSERT_TRUE(deny);
    EXPECT_EQ(deny->body["spec"]["podSelector"], Json::object());
    EXPECT_EQ(deny->body["spec"]["policyTypes"], Json::array({"Ingress", "Egress"}));

    auto selector = [](const char* svc) {
        return Json::object({{"podSelector", Json::object({{"matchLabels", Json::object({{"app.kubernetes.io/name", svc},
                                                                                           {"app.kubernetes.io/instance", std::string("shop-") + svc}})}})}});
    };
    // db is used by api, worker and report
    const Json& db = find(objs, "NetworkPolicy", "db")->body["spec"];
    ASSERT_EQ(db["ingress"].size(), 1u);
    EXPECT_EQ(db["ingress"][0]["from"], Json::array({selector("api"), selector("worker"), selector("report")}));
    EXPECT_EQ(db["ingress"][0]["ports"], Json::array({Json::object({{"protocol", "TCP"}, {"port", 5432}})}));
    // web: from api? no - nobody depends on web; from the ingress controller
    const Json& web = find(objs, "NetworkPolicy", "web")->body["spec"];
    ASSERT_EQ(web["ingress"].size(), 1u);
    EXPECT_EQ(web["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"], "ingress-nginx");
    EXPECT_EQ(web["ingress"][0]["ports"][0]["port"], 8080);
    // web egress: DNS, then api on 9090
    ASSERT_EQ(web["egress"].size(), 2u);
    EXPECT_EQ(web["egress"][0]["to"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"], "kube-system");
    EXPECT_EQ(web["egress"][0]["to"][0]["podSelector"]["matchLabels"]["k8s-app"], "kube-dns");
    EXPECT_EQ(web["egress"][0]["ports"], Json::array({Json::object({{"protocol", "UDP"}, {"port", 53}}),
                                                      Json::object({{"protocol", "TCP"}, {"port", 53}})}));
    EXPECT_EQ(web["egress"][1]["to"], Json::array({selector("api")}));
    EXPECT_EQ(web["egress"][1]["ports"][0]["port"], 9090);
    // worker: no port, so no ingress rules at all; egress to api and db
    const Json& worker = find(objs, "NetworkPolicy", "worker")->body["spec"];
    EXPECT_FALSE(worker.contains("ingress"));
    ASSERT_EQ(worker["egress"].size(), 3u);
    EXPECT_EQ(worker["egress"][2]["ports"][0]["port"], 5432);
}

TEST(KubernetesObjects, IngressControllerNamespaceIsConfigurable) {
    auto s = shop();
    s.targets.kubernetes->ingress_namespace = "traefik";
    auto objs = build(s);
    EXPECT_EQ(find(objs, "NetworkPolicy", "web")->body["spec"]["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"]
                                                                                         ["kubernetes.io/metadata.name"],
              "traefik");
}

TEST(KubernetesObjects, CronJob) {
    auto objs = build(shop());
    const auto* cj = find(objs, "CronJob", "report");
    ASSERT_TRUE(cj);
    EXPECT_EQ(cj->body["apiVersion"], "batch/v1");
    const Json& spec = cj->body["spec"];
    EXPECT_EQ(spec["schedule"], "0 3 * * *");
    EXPECT_EQ(spec["concurrencyPolicy"], "Forbid");
    EXPECT_FALSE(spec.contains("suspend"));
    EXPECT_EQ(spec["successfulJobsHistoryLimit"], 3);
    EXPECT_EQ(spec["failedJobsHistoryLimit"], 3);
    EXPECT_EQ(spec["jobTemplate"]["spec"]["backoffLimit"], 3);
    const Json& pod = pod_spec(*cj);
    EXPECT_EQ(pod["restartPolicy"], "Never");
    EXPECT_FALSE(pod["containers"][0].contains("readinessProbe"));
    EXPECT_FALSE(find(objs, "HorizontalPodAutoscaler", "report"));
    EXPECT_FALSE(find(objs, "PodDisruptionBudget", "report"));
}

TEST(KubernetesObjects, JobWithoutScheduleAndPersistentVolume) {
    auto s = shop();
    s.services[4].schedule.clear();
    s.services[4].volumes = {{"out", "/out", "1Gi", "", false}};
    auto objs = build(s);
    const auto* job = find(objs, "Job", "report");
    ASSERT_TRUE(job);
    const auto* pvc = find(objs, "PersistentVolumeClaim", "report-out");
    ASSERT_TRUE(pvc);
    EXPECT_EQ(pvc->body["spec"]["resources"]["requests"]["storage"], "1Gi");
    EXPECT_EQ(job->body["spec"]["template"]["spec"]["volumes"][1],
              Json::object({{"name", "out"}, {"persistentVolumeClaim", Json::object({{"claimName", "report-out"}})}}));
}

TEST(KubernetesObjects, NamespacePodSecurityLabels) {
    auto s = shop();
    auto objs = build(s);
    const Json& restricted = find(objs, "Namespace", "shop")->body["metadata"]["labels"];
    EXPECT_EQ(restricted["pod-security.kubernetes.io/enforce"], "restricted");
    EXPECT_EQ(restricted["pod-security.kubernetes.io/audit"], "restricted");
    EXPECT_EQ(restricted["pod-security.kubernetes.io/warn"], "restricted");
    s.policies.profile = spec::Profile::Baseline;
    objs = build(s);
    const Json& baseline = find(objs, "Namespace", "shop")->body["metadata"]["labels"];
    EXPECT_EQ(baseline["pod-security.kubernetes.io/enforce"], "baseline");
    EXPECT_EQ(baseline["pod-security.kubernetes.io/warn"], "restricted");
}

TEST(KubernetesObjects, LongInstanceLabelsStayUnique) {
    std::string a = k8s::instance_label("app", std::string(60, 'a') + "1");
    std::string b = k8s::instance_label("app", std::string(60, 'a') + "2");
    EXPECT_LE(a.size(), 63u);
    EXPECT_NE(a, b);
    EXPECT_EQ(k8s::sanitize_label_value(a), a);
    EXPECT_EQ(k8s::instance_label("shop", "web"), "shop-web");
}

TEST(KubernetesObjects, NamesKubernetesRejects) {
    auto s = shop();
    s.services[1].name = "9api";   // has a port: its Service name must start with a letter
    s.services[0].depends_on.clear();
    EXPECT_FALSE(k8s::build_objects(s, "shop").has_value());
    s = shop();
    s.services[2].name = std::string(55, 'd');   // persistent: <name>-headless > 63
    s.services[1].depends_on.clear();
    s.services[3].depends_on = {"api"};
    s.services[4].depends_on.clear();
    auto r = k8s::build_objects(s, "shop");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("headless"), std::string::npos);
}

TEST(KubernetesObjects, NameCollisionIsAnError) {
    auto s = shop();
    s.services.push_back(service("db-headless", spec::ServiceType::Backend, 80));
    auto r = k8s::build_objects(s, "shop");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("Service 'db-headless'"), std::string::npos) << r.error().message;
}

// ---- overlays ----

TEST(KubernetesOverlay, DiffJson) {
    Json from = Json::parse(R"({"a": 1, "b": {"c": [1, 2], "d": "x", "k/~": 1}, "e": [1], "gone": true})");
    Json to = Json::parse(R"({"a": 2, "b": {"c": [1, 3], "d": "x", "k/~": 2, "new": {"n": 1}}, "e": [1, 2]})");
    Json ops = k8s::diff_json(from, to);
    Json expected = Json::parse(R"([
        {"op": "replace", "path": "/a", "value": 2},
        {"op": "replace", "path": "/b/c/1", "value": 3},
        {"op": "replace", "path": "/b/k~1~0", "value": 2},
        {"op": "add", "path": "/b/new", "value": {"n": 1}},
        {"op": "replace", "path": "/e", "value": [1, 2]},
        {"op": "remove", "path": "/gone"}])");
    EXPECT_EQ(ops, expected) << ops.dump(2);
    EXPECT_TRUE(k8s::diff_json(from, from).empty());
    EXPECT_EQ(k8s::diff_json(Json(1), Json("1")), Json::parse(R"([{"op": "replace", "path": "", "value": "1"}])"));
}

TEST(KubernetesOverlay, ReplicasChange) {
    auto base = shop();
    base.services[1].replicas = {2, 2, 80, std::nullopt};
    auto env = base;
    env.environment = "production";
    env.services[1].replicas = {4, 4, 80, std::nullopt};
    auto b = build(base);
    auto e = build(env);
    auto plan = k8s::plan_overlay(b, e);
    EXPECT_TRUE(plan.added.empty());
    ASSERT_EQ(plan.changes.size(), 1u);
    EXPECT_FALSE(plan.changes[0].remove);
    EXPECT_EQ(plan.changes[0].kind, "Deployment");
    EXPECT_EQ(plan.changes[0].name, "api");
    EXPECT_EQ(plan.changes[0].api_version, "apps/v1");
    EXPECT_EQ(plan.changes[0].ops, Json::parse(R"([{"op": "replace", "path": "/spec/replicas", "value": 4}])"));
}

TEST(KubernetesOverlay, AutoscalingToFixedRemovesHpaAndAddsReplicas) {
    auto base = shop();
    auto env = base;
    env.environment = "staging";
    env.services[0].replicas = {1, 1, 70, std::nullopt};
    auto b = build(base);
    auto e = build(env);
    auto plan = k8s::plan_overlay(b, e);
    std::vector<std::string> changes;
    for (const auto& c : plan.changes) changes.push_back((c.remove ? "delete " : "patch ") + c.kind + "/" + c.name);
    EXPECT_EQ(changes, (std::vector<std::string>{"patch Deployment/web", "delete HorizontalPodAutoscaler/web",
                                                 "delete PodDisruptionBudget/web"}));
    EXPECT_EQ(plan.changes[1].namespace_name, "shop");
    const Json& ops = plan.changes[0].ops;
    EXPECT_EQ(ops[0], Json::parse(R"({"op": "add", "path": "/spec/replicas", "value": 1})"));
    EXPECT_EQ(ops[1], Json::parse(R"({"op": "remove", "path": "/spec/template/spec/topologySpreadConstraints"})"));
    EXPECT_EQ(ops.size(), 2u);
    // and back: the environment adds them
    auto back = k8s::plan_overlay(e, b);
    ASSERT_EQ(back.added.size(), 2u);
    EXPECT_EQ(back.added[0].kind, "HorizontalPodAutoscaler");
    EXPECT_EQ(back.added[1].kind, "PodDisruptionBudget");
}

TEST(KubernetesOverlay, ObjectMovingBetweenGroupsIsAPatch) {
    auto base = build(shop());
    std::vector<k8s::Object> group_a;
    std::vector<k8s::Object> group_b;
    for (const auto& o : base) (o.service == "db" ? group_a : group_b).push_back(o);
    // the environment builds Service/db-headless from another group, with another port
    std::vector<k8s::Object> env_a;
    std::vector<k8s::Object> env_b = group_b;
    for (const auto& o : group_a) {
        if (o.kind == "Service" && o.name == "db-headless") {
            auto moved = o;
            moved.service = "other";
            moved.body["spec"]["ports"][0]["port"] = 6432;
            env_b.push_back(moved);
        } else {
            env_a.push_back(o);
        }
    }
    k8s::OverlayDiff diff;
    diff.add_group(group_a, env_a);
    diff.add_group(group_b, env_b);
    auto plan = std::move(diff).finish();
    EXPECT_TRUE(plan.added.empty());
    ASSERT_EQ(plan.changes.size(), 1u);
    EXPECT_FALSE(plan.changes[0].remove);
    EXPECT_EQ(plan.changes[0].ops, Json::parse(R"([{"op": "replace", "path": "/spec/ports/0/port", "value": 6432}])"));
}

TEST(KubernetesOverlay, NoDifferenceNoPlan) {
    auto b = build(shop());
    auto e = build(shop());
    EXPECT_TRUE(k8s::plan_overlay(b, e).empty());
}

// ---- the generator: files and kustomizations ----

namespace {

ArtifactSet generate(const spec::Spec& base, const std::vector<spec::Spec>& envs) {
    const auto* g = coconut::generate::Registry::instance().find("kubernetes");
    EXPECT_TRUE(g);
    ArtifactSet out;
    auto r = g->generate(GenerateInput{base, envs, "coconut.yaml"}, out);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return out;
}

std::vector<std::string> paths(const ArtifactSet& a) {
    std::vector<std::string> out;
    for (const auto* x : a.all()) out.push_back(x->path);
    return out;
}

bool contains(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(KubernetesGenerator, Registered) {
    const auto* g = coconut::generate::Registry::instance().find("kubernetes");
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->description().empty());
}

TEST(KubernetesGenerator, Layout) {
    auto base = shop();
    base.environments = {"staging", "production"};
    auto staging = base;
    staging.environment = "staging";
    staging.services[0].replicas = {1, 1, 70, std::nullopt};
    auto production = base;
    production.environment = "production";
    production.services[1].secrets = {{"API_KEY", "api/key"}};
    production.targets.kubernetes->namespace_name = "shop-prod";
    auto out = generate(base, {staging, production});
    EXPECT_EQ(paths(out), (std::vector<std::string>{
                              "k8s/base/api.yaml",
                              "k8s/base/db.yaml",
                              "k8s/base/kustomization.yaml",
                              "k8s/base/namespace.yaml",
                              "k8s/base/report.yaml",
                              "k8s/base/web.yaml",
                              "k8s/base/worker.yaml",
                              "k8s/overlays/production/kustomization.yaml",
                              "k8s/overlays/production/patches/deployment-api.yaml",
                              "k8s/overlays/production/resources/api.yaml",
                              "k8s/overlays/staging/kustomization.yaml",
                              "k8s/overlays/staging/patches/deployment-web.yaml",
                              "k8s/overlays/staging/patches/horizontalpodautoscaler-web.yaml",
                              "k8s/overlays/staging/patches/poddisruptionbudget-web.yaml",
                          }));
    EXPECT_EQ(out.roots(), (std::vector<std::string>{"k8s/base", "k8s/overlays/staging", "k8s/overlays/production"}));
    for (const auto* a : out.all()) EXPECT_TRUE(a->content.starts_with("# generated by coconut from coconut.yaml")) << a->path;

    const std::string& kbase = out.find("k8s/base/kustomization.yaml")->content;
    EXPECT_TRUE(contains(kbase, "resources:\n  - namespace.yaml\n  - web.yaml\n  - api.yaml\n  - db.yaml\n  - worker.yaml\n  - report.yaml\n"))
        << kbase;
    const std::string& web = out.find("k8s/base/web.yaml")->content;
    EXPECT_TRUE(contains(web, "\n---\napiVersion: apps/v1\nkind: Deployment\n")) << web;

    const std::string& kstaging = out.find("k8s/overlays/staging/kustomization.yaml")->content;
    EXPECT_FALSE(contains(kstaging, "namespace:"));
    EXPECT_TRUE(contains(kstaging, "  - path: patches/deployment-web.yaml\n    target:\n      group: apps\n      version: v1\n"
                                   "      kind: Deployment\n      name: web\n"))
        << kstaging;
    EXPECT_TRUE(contains(kstaging, "  - path: patches/horizontalpodautoscaler-web.yaml\n")) << kstaging;
    const std::string& del = out.find("k8s/overlays/staging/patches/horizontalpodautoscaler-web.yaml")->content;
    EXPECT_TRUE(contains(del, "$patch: delete")) << del;

    const std::string& kprod = out.find("k8s/overlays/production/kustomization.yaml")->content;
    EXPECT_TRUE(contains(kprod, "namespace: shop-prod\n")) << kprod;
    EXPECT_TRUE(contains(kprod, "resources:\n  - ../../base\n  - resources/api.yaml\n")) << kprod;
    EXPECT_TRUE(contains(out.find("k8s/overlays/production/resources/api.yaml")->content, "kind: ExternalSecret")) << kprod;
    // the added objects keep the base namespace: kustomize's namespace: moves everything
    EXPECT_TRUE(contains(out.find("k8s/overlays/production/resources/api.yaml")->content, "namespace: shop\n"));
}

TEST(KubernetesGenerator, EnvironmentWithoutDifferences) {
    auto base = shop();
    auto env = base;
    env.environment = "dev";
    auto out = generate(base, {env});
    const std::string& k = out.find("k8s/overlays/dev/kustomization.yaml")->content;
    EXPECT_TRUE(k.ends_with("kind: Kustomization\nresources:\n  - ../../base\n")) << k;
}

TEST(KubernetesGenerator, ReservedFileNames) {
    EXPECT_EQ(k8s::service_file_name("web"), "web.yaml");
    EXPECT_EQ(k8s::service_file_name("namespace"), "namespace.service.yaml");
    EXPECT_EQ(k8s::service_file_name("kustomization"), "kustomization.service.yaml");
}

TEST(KubernetesGenerator, Deterministic) {
    auto base = shop();
    auto env = base;
    env.environment = "prod";
    env.services[0].resources.cpu = "500m";
    auto a = generate(base, {env});
    auto b = generate(base, {env});
    ASSERT_EQ(a.size(), b.size());
    auto x = a.all();
    auto y = b.all();
    for (std::size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(x[i]->path, y[i]->path);
        EXPECT_EQ(x[i]->content, y[i]->content);
    }
}

TEST(KubernetesGenerator, ThousandServicesAllGenerated) {
    spec::Spec base;
    base.name = "big";
    base.version = "2.0.0";
    for (int i = 0; i < 1000; ++i) {
        auto s = service("svc" + std::to_string(i), i % 10 == 0 ? spec::ServiceType::Web : spec::ServiceType::Backend, 8080);
        s.replicas = {2, 6, 80, std::nullopt};
        s.env = {{"A", "1"}, {"B", "2"}};
        s.secrets = {{"TOKEN", "tok/" + std::to_string(i)}};
        if (i > 0) s.depends_on = {"svc" + std::to_string(i - 1)};
        if (i % 10 == 0) {
            s.ingress = spec::Ingress{};
            s.ingress->host = s.name + ".example.com";
        }
        base.services.push_back(std::move(s));
    }
    auto staging = base;
    staging.environment = "staging";
    for (auto& s : staging.services) s.replicas = {1, 1, 80, std::nullopt};
    auto production = base;
    production.environment = "production";
    for (std::size_t i = 0; i < production.services.size(); i += 2) production.services[i].resources.cpu = "500m";

    // Timing lives in bench/bench.sh; this test keeps the large case correct: every service
    // gets its file, and production patches the workloads whose CPU changed (and only those).
    const std::vector<spec::Spec> envs{staging, production};
    ArtifactSet out = generate(base, envs);
    EXPECT_NE(out.find("k8s/base/svc0.yaml"), nullptr);
    EXPECT_NE(out.find("k8s/base/svc999.yaml"), nullptr);
    EXPECT_NE(out.find("k8s/overlays/staging/kustomization.yaml"), nullptr);
    EXPECT_NE(out.find("k8s/overlays/production/kustomization.yaml"), nullptr);
    EXPECT_NE(out.find("k8s/overlays/production/patches/deployment-svc0.yaml"), nullptr);
    EXPECT_EQ(out.find("k8s/overlays/production/patches/deployment-svc1.yaml"), nullptr);
    EXPECT_GT(out.size(), 1000u);
}
