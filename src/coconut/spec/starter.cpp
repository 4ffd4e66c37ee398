// The commented starter coconut.yaml written by `coconut init`. It must validate as written
// (spec_load_test checks every service type).
#include <string>

#include "coconut/spec/load.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::spec {

std::string starter_spec(std::string_view app, std::string_view service, ServiceType type, int port) {
    // Names are emitted as YAML scalars so that odd input still yields valid YAML; validation
    // then reports what is wrong with the name itself.
    const std::string a = yaml::emit_scalar(nlohmann::ordered_json(std::string(app)));
    const std::string s = yaml::emit_scalar(nlohmann::ordered_json(std::string(service)));
    const bool listens = type == ServiceType::Web || type == ServiceType::Backend;
    if (listens && port <= 0) port = 8080;
    if (!listens && port < 0) port = 0;

    std::string out;
    out += "# coconut.yaml: the one spec coconut generates every deployment artifact from.\n";
    out += "# Field reference: docs/spec.md. Editor completion and checks: `coconut schema > coconut.schema.json`\n";
    out += "# and add `# yaml-language-server: $schema=coconut.schema.json` at the top of this file.\n";
    out += "apiVersion: coconut.dev/v1\n";
    out += "name: " + a + "                # DNS-1123 label: prefix of every generated resource\n";
    out += "version: 0.1.0             # the image tag of built services\n";
    out += "# registry: registry.example.com/team   # where built images are pushed\n";
    out += "\n";
    out += "services:\n";
    out += "  " + s + ":\n";
    out += "    type: " + std::string(to_string(type)) + "               # web | backend | worker | job\n";
    out += "    build:\n";
    out += "      context: .             # source directory, relative to this file\n";
    out += "      runtime: static        # node | python | go | java | static | dockerfile\n";
    out += "    # image: registry.example.com/team/" + std::string(service) +
           ":1.0.0   # a prebuilt image instead of `build`\n";
    if (port > 0 && type != ServiceType::Job) out += "    port: " + std::to_string(port) + "\n";
    if (type == ServiceType::Job) out += "    schedule: \"0 3 * * *\"    # cron, UTC: every day at 03:00\n";
    out += "    resources:\n";
    out += "      cpu: 100m              # request; also the default limit\n";
    out += "      memory: 128Mi\n";
    if (type != ServiceType::Job) out += "    replicas: 1                # or {min: 2, max: 10, cpu_percent: 70}\n";
    if (port > 0 && type != ServiceType::Job) {
        out += "    health:\n";
        out += "      path: /healthz         # remove for a TCP check on the port\n";
        out += "      interval: 10s\n";
    }
    out += "    # env:\n";
    out += "    #   LOG_LEVEL: info\n";
    out += "    # secrets:                # references into the secret store (`coconut secrets set`), never values\n";
    out += "    #   DATABASE_URL: db/url\n";
    if (type == ServiceType::Web) {
        out += "    # ingress:\n";
        out += "    #   host: app.example.com\n";
        out += "    #   tls: true\n";
    }
    out += "\n";
    out += "# Each environment overrides parts of the spec: maps merge, scalars and lists replace.\n";
    out += "environments:\n";
    out += "  staging: {}\n";
    out += "  production:\n";
    if (type != ServiceType::Job) {
        out += "    services:\n";
        out += "      " + s + ":\n";
        out += "        replicas: {min: 2, max: 4}\n";
    } else {
        out += "    deploy:\n";
        out += "      health_timeout: 300s\n";
    }
    out += "\n";
    out += "targets:\n";
    out += "  kubernetes:\n";
    out += "    namespace: " + a + "\n";
    out += "\n";
    out += "deploy:\n";
    out += "  strategy: rolling          # rolling | blue-green | canary | immutable\n";
    out += "\n";
    out += "policies:\n";
    out += "  profile: restricted        # Pod Security Standards: baseline | restricted\n";
    return out;
}

}  // namespace coconut::spec
