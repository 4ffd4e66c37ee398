// libFuzzer harness: the Kyverno policy loader (policy/kyverno). The input is a policy file;
// when it loads, it is applied to a few fixed resources (a Pod, a Deployment, a Service) so
// the compiled patterns, conditions and variables are evaluated too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/kyverno/kyverno.hpp"

namespace p = coconut::policy;

namespace {

const p::Inputs& resources() {
    static const p::Inputs* inputs = [] {
        auto* in = new p::Inputs();
        in->add_text("resources.yaml", R"(apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: "1"}
  annotations: {owner: team}
spec:
  hostNetwork: false
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: ghcr.io/acme/web:1.2.3
    ports: [{containerPort: 8080, hostPort: 80}]
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
    securityContext: {privileged: true, capabilities: {add: [NET_ADMIN], drop: [ALL]}}
  volumes:
  - name: data
    hostPath: {path: /var/data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers: [{name: init, image: busybox}]
      containers: [{name: api, image: "nginx:latest", livenessProbe: {periodSeconds: 10}}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: default}
spec: {type: NodePort, ports: [{port: 80}]}
)");
        return in;
    }();
    return *inputs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto loaded = p::kyverno::load_text("policy.yaml", text);
    if (!loaded) return 0;
    std::vector<p::Finding> findings;
    p::kyverno::evaluate(**loaded, resources().documents(), findings);
    (void)p::kyverno::apply(**loaded, resources().documents());
    return 0;
}
