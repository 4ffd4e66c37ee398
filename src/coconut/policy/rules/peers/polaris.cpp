// Polaris' checks: JSON schemas in pkg/config/checks/<check>.yaml, evaluated per container
// (`target: Container`, init containers included unless excluded) or per pod spec
// (`target: PodSpec`), with test cases in test/checks/<check>/.
//
// Checked and not aliased, because the conditions differ: readinessProbeMissing (also containers
// without ports), pullPolicyNotAlways (Always for every image), dangerousCapabilities (ALL,
// SYS_ADMIN, NET_ADMIN only), runAsRootAllowed (accepts runAsUser >= 1 without runAsNonRoot),
// sensitiveContainerEnvVar (its own name and value patterns), deploymentMissingReplicas (wants
// spec.replicas even under an HPA), missingNetworkPolicy (wants ingress and egress rules and
// matchLabels), missingPodDisruptionBudget (every Deployment, whatever its replicas).
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> polaris() {
    const Peer p{"polaris", "FairwindsOps/polaris@c0e23a2"};
    return table(
        p,
        {
            {"privilegeEscalationAllowed", "pkg/config/checks/privilegeEscalationAllowed.yaml",
             "Fails a container whose securityContext.allowPrivilegeEscalation is not false (unset included); a "
             "pod-level false (a field the pod securityContext does not have) is also accepted.",
             "coconut also checks ephemeral containers, does not judge Windows pods, where the field has no "
             "effect, and ignores the pod-level field, which the API server drops."},
            {"automountServiceAccountToken",
             "pkg/config/checks/automountServiceAccountToken.yaml, test/checks/automountServiceAccountToken/, "
             "pkg/config/schema.go (CheckAdditionalObjects)",
             "Fails a pod spec that sets automountServiceAccountToken: true, or leaves it unset while no "
             "ServiceAccount of the input named by serviceAccountName sets it to false.",
             "coconut looks up the ServiceAccount default when serviceAccountName is unset (Polaris looks for an "
             "account named \"\", which never exists), as the API server does."},
            {"cpuRequestsMissing", "pkg/config/checks/cpuRequestsMissing.yaml",
             "Fails a regular container without a non-empty resources.requests.cpu string.",
             "coconut also checks init containers, reads a zero quantity as none, and accepts a bare number "
             "(cpu: 1), which Polaris' string-typed schema rejects although the request is set."},
            {"cpuLimitsMissing", "pkg/config/checks/cpuLimitsMissing.yaml",
             "Fails a regular container without a non-empty resources.limits.cpu string.",
             "coconut also checks init containers, reads a zero quantity as none, and accepts a bare number "
             "(cpu: 1), which Polaris' string-typed schema rejects although the limit is set."},
            {"memoryRequestsMissing", "pkg/config/checks/memoryRequestsMissing.yaml",
             "Fails a regular container without a non-empty resources.requests.memory string.",
             "coconut also checks init containers, reads a zero quantity as none, and accepts a bare number, "
             "which Polaris' string-typed schema rejects although the request is set."},
            {"memoryLimitsMissing", "pkg/config/checks/memoryLimitsMissing.yaml",
             "Fails a regular container without a non-empty resources.limits.memory string.",
             "coconut also checks init containers, reads a zero quantity as none, and accepts a bare number, "
             "which Polaris' string-typed schema rejects although the limit is set."},
            {"hostIPCSet", "pkg/config/checks/hostIPCSet.yaml", "Fails a pod spec with hostIPC: true.", ""},
            {"hostNetworkSet", "pkg/config/checks/hostNetworkSet.yaml", "Fails a pod spec with hostNetwork: true.", ""},
            {"hostPIDSet", "pkg/config/checks/hostPIDSet.yaml", "Fails a pod spec with hostPID: true.", ""},
            {"hostPortSet", "pkg/config/checks/hostPortSet.yaml",
             "Fails a container with a ports entry whose hostPort is not 0.",
             "coconut also checks ephemeral containers."},
            {"hostProcess", "pkg/config/checks/hostProcess.yaml",
             "Fails a pod spec whose securityContext.windowsOptions.hostProcess, or a regular container's, is "
             "not false when set.",
             "coconut also checks init and ephemeral containers, which run on the host just as well."},
            {"hostPathSet", "pkg/config/checks/hostPathSet.yaml", "Fails a pod spec with any hostPath volume.", ""},
            {"tagNotSpecified", "pkg/config/checks/tagNotSpecified.yaml",
             "Fails a container whose image does not match ^.+:.+$ or matches ^.+:latest$.",
             "coconut parses the reference: a registry port without a tag (registry:5000/app) has no tag, which "
             "the pattern misses although the check (\"image tag should be specified\") covers it; a digest "
             "(which contains ':') passes both; coconut also checks ephemeral containers."},
            {"livenessProbeMissing", "pkg/config/checks/livenessProbeMissing.yaml",
             "Fails a regular container without a livenessProbe, except in Jobs and CronJobs.",
             "coconut does not judge bare Pods whose restartPolicy is not Always (a failed liveness probe cannot "
             "restart them)."},
            {"runAsPrivileged", "pkg/config/checks/runAsPrivileged.yaml",
             "Fails a container whose securityContext.privileged is true.",
             "coconut also checks ephemeral containers."},
            {"procMount", "pkg/config/checks/procMount.yaml",
             "Fails a pod spec with a regular container whose securityContext.procMount is set to anything but "
             "Default.",
             "coconut also checks init and ephemeral containers and, under the baseline profile, not pods in a "
             "user namespace (spec.hostUsers: false), as the Pod Security Standards allow."},
            {"notReadOnlyRootFilesystem", "pkg/config/checks/notReadOnlyRootFilesystem.yaml",
             "Fails a container whose securityContext.readOnlyRootFilesystem is not true (unset included); a "
             "pod-level true (a field the pod securityContext does not have) is also accepted.",
             "coconut ignores the pod-level field, which the API server drops."},
        });
}

}  // namespace coconut::policy::rules::peers
