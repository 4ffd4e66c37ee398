// kube-score's checks (README_CHECKS.md lists them; the code is in score/<area>/<area>.go). Its pod
// checks see Pods, Deployments, StatefulSets, DaemonSets, Jobs and CronJobs (parser/parse.go), and
// grade each object once with comments per container.
//
// Checked and not aliased, because the conditions differ: container-image-pull-policy (Always for
// version tags too), pod-probes (only pods a Service selects, readiness before liveness),
// pod-networkpolicy (wants ingress and egress policies), deployment-replicas (only Deployments a
// Service selects, not HPA-scaled ones), deployment-/statefulset-has-poddisruptionbudget (also
// workloads without spec.replicas), deployment-/statefulset-has-host-podantiaffinity
// (podAntiAffinity only, also without spec.replicas), stable-version (a shorter list of versions).
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> kube_score() {
    const Peer p{"kube-score", "zegl/kube-score@06dedc9"};
    return table(
        p,
        {
            {"container-resources", "score/container/container.go (containerResources)",
             "Grades an object critical or warning when a container or init container has a zero or unset CPU "
             "limit (unless --ignore-container-cpu-limit), memory limit, CPU request or memory request.",
             "The alias is carried by K8S-CPU-REQUESTS, K8S-CPU-LIMITS, K8S-MEMORY-REQUESTS and "
             "K8S-MEMORY-LIMITS, whose union is the check; coconut also checks ReplicaSets, "
             "ReplicationControllers, PodTemplates and DeploymentConfigs."},
            {"container-image-tag", "score/container/container.go (containerImageTag, containerTag)",
             "Grades an object critical when a container or init container image has an empty or latest tag, "
             "the tag being the text after the last ':'.",
             "coconut parses the reference: a registry port without a tag (registry:5000/app) has no tag, which "
             "kube-score's split on ':' misses although the check (\"explicit non-latest tag\") covers it; it "
             "also checks ephemeral containers, ReplicaSets, ReplicationControllers, PodTemplates and "
             "DeploymentConfigs."},
            {"environment-variable-key-duplication", "score/container/container.go (environmentVariableKeyDuplication)",
             "Grades an object critical when a container or init container lists an env name twice.",
             "coconut also checks ephemeral containers, ReplicaSets, ReplicationControllers, PodTemplates and "
             "DeploymentConfigs."},
            {"container-security-context-privileged", "score/security/security.go (containerSecurityContextPrivileged)",
             "Grades an object critical when a container or init container sets securityContext.privileged: "
             "true.",
             "coconut also checks ephemeral containers, ReplicaSets, ReplicationControllers, PodTemplates and "
             "DeploymentConfigs."},
            {"container-security-context-readonlyrootfilesystem",
             "score/security/security.go (containerSecurityContextReadOnlyRootFilesystem)",
             "Grades an object critical when a container or init container has no securityContext or one whose "
             "readOnlyRootFilesystem is not true.",
             "coconut also checks ReplicaSets, ReplicationControllers, PodTemplates and DeploymentConfigs."},
            {"container-seccomp-profile", "score/security/security.go (podSeccompProfile)",
             "Optional check; warns when neither the pod's securityContext.seccompProfile nor every regular "
             "container's is set (any type), unless the pod template has the annotation "
             "seccomp.security.alpha.kubernetes.io/defaultProfileName.",
             "coconut also checks init and ephemeral containers (the Restricted profile requires them), does "
             "not read the PodSecurityPolicy-era annotation, which sets no profile on a pod, and does not judge "
             "Windows pods; an explicit Unconfined is K8S-SECCOMP-UNCONFINED's."},
            {"service-targets-pod", "score/service/service.go (serviceTargetsPod)",
             "Grades a Service (not ExternalName) critical when its selector matches the labels of no Pod or pod "
             "template of its namespace.",
             "coconut judges only Services with a selector, and only when the input holds at least one workload "
             "(otherwise pods are presumed elsewhere); kube-score's empty selector matches any pod of the "
             "namespace."},
            {"horizontalpodautoscaler-has-target", "score/hpa/hpa.go (hpaHasTarget)",
             "Grades a HorizontalPodAutoscaler critical when no object of the input has the scaleTargetRef's "
             "apiVersion, kind and name in the HPA's namespace.",
             "coconut judges only when the input holds an object of the target's kind (otherwise the target is "
             "presumed elsewhere), does not compare the apiVersion, and treats an unset namespace as matching "
             "any."},
            {"ingress-targets-service", "score/ingress/ingress.go (ingressTargetsServiceCommon)",
             "Grades an Ingress critical when a rules[*].http.paths[*] backend names no Service of its "
             "namespace with a port of that number or name.",
             "coconut judges only when the input holds at least one Service, also checks the defaultBackend "
             "(the check, \"the Ingress targets a Service\", covers it), and treats an unset namespace as "
             "matching any."},
            {"networkpolicy-targets-pod", "score/networkpolicy/networkpolicy.go (networkPolicyTargetsPod)",
             "Grades a NetworkPolicy critical when its podSelector matches the labels of no Pod or pod template "
             "of its namespace.",
             "coconut judges only when the input holds at least one workload (otherwise pods are presumed "
             "elsewhere) and treats an unset namespace as matching any."},
        });
}

}  // namespace coconut::policy::rules::peers
