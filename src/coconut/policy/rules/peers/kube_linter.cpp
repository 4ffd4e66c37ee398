// kube-linter's built-in checks (pkg/builtinchecks/yamls/<check>.yaml: scope, template and
// parameters) and their templates (pkg/templates/<template>/template.go). "DeploymentLike" there is
// Pod, Deployment, DaemonSet, DeploymentConfig, StatefulSet, ReplicaSet, ReplicationController, Job
// and CronJob (pkg/objectkinds/deployment_like.go); "all containers" is init, regular and ephemeral
// containers (pkg/extract/customtypes/pod_spec.go).
//
// Checked and not aliased, because the conditions differ: minimum-three-replicas (below 3;
// K8S-REPLICAS-MIN: below 2), privilege-escalation-container (passes an unset
// allowPrivilegeEscalation; also privileged and SYS_ADMIN), run-as-non-root (accepts a non-zero
// runAsUser; also runAsGroup 0), unsafe-sysctls (prefix list kernel.msg, kernel.sem, kernel.shm,
// fs.mqueue., net.; K8S-SYSCTLS: the Pod Security Standards' safe set), use-namespace (also objects
// without a namespace), no-extensions-v1beta (one API group; K8S-DEPRECATED-API: every removed
// version), env-var-secret (names containing "secret", any value), no-anti-affinity (podAntiAffinity
// only; K8S-ANTI-AFFINITY also accepts topologySpreadConstraints), no-readiness-probe (also
// containers without ports), dangling-service (also Services without a selector).
// No coconut rule: access-to-create-pods, access-to-secrets, dangling-networkpolicypeer-podselector,
// dangling-servicemonitor, dnsconfig-options, env-value-from, exposed-services,
// hpa-minimum-three-replicas, no-node-affinity, no-rolling-update-strategy, pdb-min-available,
// priority-class-name, required-annotation-email, required-label-owner, restart-policy, sorted-keys.
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> kube_linter() {
    const Peer p{"kube-linter", "stackrox/kube-linter@35de568"};
    return table(
        p,
        {
            {"dangling-horizontalpodautoscaler",
             "pkg/builtinchecks/yamls/dangling-horizontalpodautoscaler.yaml, pkg/templates/danglinghpa/template.go",
             "Reports a HorizontalPodAutoscaler when no object of the lint context with a pod template has the "
             "scaleTargetRef's kind, name and apiVersion.",
             "coconut judges only when the input holds an object of the target's kind (otherwise the target is "
             "presumed elsewhere), matches any object of that kind and name (not the apiVersion, and also "
             "kinds without a pod template), and requires the same namespace (an unset namespace matches any)."},
            {"dangling-ingress",
             "pkg/builtinchecks/yamls/dangling-ingress.yaml, pkg/templates/danglingingress/template.go",
             "Reports every networking.k8s.io/v1 Ingress backend (defaultBackend and rules[*].http.paths[*]) "
             "whose service name and port (number, or name) match no port of a Service of the same namespace.",
             "coconut judges only when the input holds at least one Service, also reads the v1beta1 "
             "serviceName/servicePort form, and treats an unset namespace as matching any."},
            {"non-isolated-pod",
             "pkg/builtinchecks/yamls/non-isolated-pod.yaml, pkg/templates/nonisolatedpod/template.go",
             "Reports a DeploymentLike whose pod template labels no NetworkPolicy of its namespace selects "
             "(podSelector matchLabels and matchExpressions; an empty selector selects all).",
             "coconut judges only when the input holds at least one NetworkPolicy (otherwise policies are "
             "presumed to come from elsewhere) and treats an unset namespace as matching any."},
            {"duplicate-env-var",
             "pkg/builtinchecks/yamls/duplicate-env-var.yaml, pkg/templates/duplicatenvvar/template.go",
             "Reports every env name that appears a second time in a container's env, for all containers of a "
             "DeploymentLike.",
             "coconut also checks PodTemplates."},
            {"host-ipc", "pkg/builtinchecks/yamls/hostipc.yaml, pkg/templates/hostipc/template.go",
             "Reports a DeploymentLike whose pod spec sets hostIPC: true.", "coconut also checks PodTemplates."},
            {"host-network", "pkg/builtinchecks/yamls/hostnetwork.yaml, pkg/templates/hostnetwork/template.go",
             "Reports a DeploymentLike whose pod spec sets hostNetwork: true.", "coconut also checks PodTemplates."},
            {"host-pid", "pkg/builtinchecks/yamls/hostpid.yaml, pkg/templates/hostpid/template.go",
             "Reports a DeploymentLike whose pod spec sets hostPID: true.", "coconut also checks PodTemplates."},
            {"privileged-container", "pkg/builtinchecks/yamls/privileged.yaml, pkg/templates/privileged/template.go",
             "Reports every container (all containers of a DeploymentLike) whose securityContext sets "
             "privileged: true.",
             "coconut also checks PodTemplates."},
            {"no-read-only-root-fs",
             "pkg/builtinchecks/yamls/read-only-root-fs.yaml, pkg/templates/readonlyrootfs/template.go",
             "Reports every container of a DeploymentLike whose securityContext.readOnlyRootFilesystem is not "
             "true (unset included).",
             "coconut does not judge ephemeral containers (kubectl debug adds them; they are not in manifests) and "
             "also checks PodTemplates."},
            {"writable-host-mount",
             "pkg/builtinchecks/yamls/writable-host-mount.yaml, pkg/templates/writablehostmount/template.go",
             "Reports every volumeMount without readOnly: true, in all containers of a DeploymentLike, of a "
             "volume that is a hostPath.",
             "coconut also checks PodTemplates."},
            {"unsafe-proc-mount",
             "pkg/builtinchecks/yamls/unsafe-proc-mount.yaml, pkg/templates/unsafeprocmount/template.go",
             "Reports every container of a DeploymentLike whose securityContext.procMount is Unmasked "
             "(case-insensitive).",
             "coconut reports any value other than Default (the API server accepts only Default and Unmasked) "
             "and, under the baseline profile, not for pods in a user namespace (spec.hostUsers: false), as the "
             "Pod Security Standards allow."},
            {"latest-tag", "pkg/builtinchecks/yamls/latest-tag.yaml, pkg/templates/latesttag/template.go",
             "Reports every container of a DeploymentLike whose image matches the block list "
             "\".*:(latest)$\", \"^[^:]*$\" or \"(.*/[^:]+)$\": tag latest, or no tag (a digest contains ':' "
             "and passes).",
             "coconut also checks PodTemplates."},
            {"unset-cpu-requirements",
             "pkg/builtinchecks/yamls/unset-cpu-requirements.yaml, pkg/templates/cpurequirements/template.go",
             "Reports every container of a DeploymentLike whose resources.requests.cpu is 0 millicores, unset "
             "included (requirementsType request, lowerBoundMillis 0, upperBoundMillis 0).",
             "coconut does not judge ephemeral containers (the API forbids their resources)."},
            {"unset-memory-requirements",
             "pkg/builtinchecks/yamls/unset-memory-requirements.yaml, pkg/templates/memoryrequirements/template.go",
             "Reports every container of a DeploymentLike whose resources.limits.memory is 0, unset included "
             "(requirementsType limit, lowerBoundMB 0, upperBoundMB 0) — a limit check despite the name.",
             "coconut does not judge ephemeral containers (the API forbids their resources)."},
            {"no-liveness-probe",
             "pkg/builtinchecks/yamls/no-liveness-probe.yaml, pkg/templates/livenessprobe/template.go",
             "Reports every regular (non-init) container of a DeploymentLike without a livenessProbe.",
             "coconut does not judge Jobs and CronJobs (their pods run to completion) nor bare Pods whose "
             "restartPolicy is not Always (a failed liveness probe cannot restart them)."},
            {"schema-validation",
             "pkg/builtinchecks/yamls/schema-validation.yaml, pkg/templates/kubeconform/template.go",
             "Validates every object with kubeconform against the Kubernetes JSON schemas (strict: unknown "
             "fields fail; ignoreMissingSchemas: true).",
             "coconut validates with --schemas DIR only, and reports an object whose schema is not in DIR at "
             "info severity where kube-linter skips it silently."},
            {"drop-net-raw-capability",
             "pkg/builtinchecks/yamls/drop-net-raw-capability.yaml, pkg/templates/containercapabilities/template.go",
             "For all containers of a DeploymentLike that set securityContext.capabilities: reports an add "
             "entry matching NET_RAW (or \"all\"), and a drop list with no entry matching NET_RAW or \"all\".",
             "coconut also reports containers that set no capabilities at all, which keep the runtime's default "
             "NET_RAW although the check's description (\"containers do not drop NET_RAW\") covers them; it does "
             "not judge Windows pods, which have no Linux capabilities."},
            {"sensitive-host-mounts", "pkg/builtinchecks/yamls/host-mounts.yaml, pkg/templates/hostmounts/template.go",
             "Reports every container mount of a hostPath volume whose path matches ^/$, ^/boot$, ^/dev$, "
             "^/etc$, ^/lib$, ^/proc$, ^/sys$ or ^/usr$, in all containers of a DeploymentLike.",
             "coconut also checks PodTemplates."},
            {"docker-sock", "pkg/builtinchecks/yamls/docker-sock.yaml, pkg/templates/hostmounts/template.go",
             "Reports every container mount of a hostPath volume whose path matches the regex docker.sock$, in "
             "all containers of a DeploymentLike.",
             "coconut compares the literal suffix \"docker.sock\" (the regex's '.' also matches another "
             "character) and also checks PodTemplates."},
            {"ssh-port", "pkg/builtinchecks/yamls/ssh-port.yaml, pkg/templates/ports/template.go",
             "Reports every containerPort 22 whose protocol (TCP when unset) matches TCP, in all containers of "
             "a DeploymentLike.",
             "coconut also checks PodTemplates."},
            {"privileged-ports",
             "pkg/builtinchecks/yamls/privilegedports.yaml, pkg/templates/privilegedports/template.go",
             "Reports every containerPort from 1 to 1023, in all containers of a DeploymentLike.",
             "coconut also checks PodTemplates."},
            {"default-service-account",
             "pkg/builtinchecks/yamls/default-service-account.yaml, pkg/templates/serviceaccount/template.go",
             "Reports a DeploymentLike whose pod spec does not set automountServiceAccountToken: false and "
             "whose serviceAccountName (else serviceAccount) matches ^(|default)$.",
             "coconut also checks PodTemplates."},
            {"deprecated-service-account-field",
             "pkg/builtinchecks/yamls/deprecated-service-account.yaml, "
             "pkg/templates/deprecatedserviceaccount/template.go",
             "Reports a DeploymentLike whose pod spec sets serviceAccount to a value other than "
             "serviceAccountName (or with serviceAccountName unset).",
             "coconut also checks PodTemplates."},
            {"non-existent-service-account",
             "pkg/builtinchecks/yamls/non-existent-service-account.yaml, "
             "pkg/templates/nonexistentserviceaccount/template.go",
             "Reports a DeploymentLike whose service account (serviceAccountName, else serviceAccount; not "
             "empty, not default) is not a ServiceAccount of the same namespace in the lint context.",
             "coconut judges only when the input holds at least one ServiceAccount (otherwise accounts are "
             "presumed elsewhere) and treats an unset namespace as matching any."},
            {"mismatching-selector",
             "pkg/builtinchecks/yamls/mismatching-selector.yaml, pkg/templates/mismatchingselector/template.go, "
             "pkg/extract/pod_spec.go",
             "Reports a DeploymentLike with a label selector (Deployment, StatefulSet, DaemonSet, ReplicaSet, "
             "DeploymentConfig's label map, Job and CronJob's job template) that is empty — except for Jobs and "
             "CronJobs — or does not match its pod template's labels.",
             ""},
            {"pdb-max-unavailable",
             "pkg/builtinchecks/yamls/pdbs-max-unavailable.yaml, pkg/templates/pdbmaxunavailable/template.go",
             "Reports a policy/v1 PodDisruptionBudget whose maxUnavailable scales to 0 (0 or 0%).",
             "coconut also checks policy/v1beta1 PodDisruptionBudgets, and a percentage only when it is 0%."},
            {"pdb-unhealthy-pod-eviction-policy",
             "pkg/builtinchecks/yamls/pdb-unhealthy-pod-eviction-policy.yaml, "
             "pkg/templates/pdbunhealthypodevictionpolicy/template.go",
             "Reports a policy/v1 PodDisruptionBudget that does not set spec.unhealthyPodEvictionPolicy.",
             "coconut also checks policy/v1beta1 PodDisruptionBudgets."},
            {"liveness-port",
             "pkg/builtinchecks/yamls/liveness-port.yaml, pkg/templates/livenessport/template.go, "
             "pkg/templates/util/check_probe_port.go",
             "Reports every regular container of a DeploymentLike whose livenessProbe httpGet, tcpSocket or "
             "grpc port is neither the number nor the name of one of its TCP (or protocol-less) ports.",
             "coconut also checks PodTemplates, and reports each probe action (kube-linter stops at the first)."},
            {"readiness-port",
             "pkg/builtinchecks/yamls/readiness-port.yaml, pkg/templates/readinessport/template.go, "
             "pkg/templates/util/check_probe_port.go",
             "Reports every regular container of a DeploymentLike whose readinessProbe httpGet, tcpSocket or "
             "grpc port is neither the number nor the name of one of its TCP (or protocol-less) ports.",
             "coconut also checks PodTemplates, and reports each probe action (kube-linter stops at the first)."},
            {"startup-port",
             "pkg/builtinchecks/yamls/startup-port.yaml, pkg/templates/startupport/template.go, "
             "pkg/templates/util/check_probe_port.go",
             "Reports every regular container of a DeploymentLike whose startupProbe httpGet, tcpSocket or "
             "grpc port is neither the number nor the name of one of its TCP (or protocol-less) ports.",
             "coconut also checks PodTemplates, and reports each probe action (kube-linter stops at the first)."},
            {"invalid-target-ports",
             "pkg/builtinchecks/yamls/invalid-target-ports.yaml, pkg/templates/targetport/template.go",
             "Reports container port names (all containers of a DeploymentLike) and Service targetPort names "
             "that are not IANA service names (Kubernetes IsValidPortName), and numeric Service targetPorts "
             "outside 1-65535 (0, unset, is skipped).",
             "coconut also checks PodTemplates."},
            {"job-ttl-seconds-after-finished",
             "pkg/builtinchecks/yamls/job-ttl-seconds-after-finished.yaml, "
             "pkg/templates/jobttlsecondsafterfinished/template.go",
             "Reports a Job without spec.ttlSecondsAfterFinished and a CronJob whose job template sets it.", ""},
            {"dangling-networkpolicy",
             "pkg/builtinchecks/yamls/dangling-networkpolicy.yaml, pkg/templates/danglingnetworkpolicy/template.go",
             "Reports a NetworkPolicy whose podSelector (matchLabels and matchExpressions) matches the pod "
             "template labels of no object of its namespace in the lint context.",
             "coconut judges only when the input holds at least one workload (otherwise pods are presumed "
             "elsewhere) and treats an unset namespace as matching any."},
            {"cluster-admin-role-binding",
             "pkg/builtinchecks/yamls/cluster-admin-role-binding.yaml, "
             "pkg/templates/clusteradminrolebinding/template.go",
             "Reports a ClusterRoleBinding whose roleRef is the ClusterRole cluster-admin.", ""},
            {"wildcard-in-rules",
             "pkg/builtinchecks/yamls/wildcard-use-in-rules.yaml, pkg/templates/wildcardinrules/template.go",
             "Reports every \"*\" in rules[*].resources and rules[*].verbs of a Role or ClusterRole.", ""},
            {"scc-deny-privileged-container",
             "pkg/builtinchecks/yamls/scc-deny-privileged-container.yaml, pkg/templates/sccdenypriv/template.go",
             "Reports an OpenShift SecurityContextConstraints whose allowPrivilegedContainer is true "
             "(parameter AllowPrivilegedContainer: true).",
             ""},
            {"read-secret-from-env-var",
             "pkg/builtinchecks/yamls/read-secret-from-env-var.yaml, pkg/templates/readsecret/template.go",
             "Reports every env entry with valueFrom.secretKeyRef, in all containers of a DeploymentLike.",
             "coconut also reports envFrom[*].secretRef, which reads a Secret into the environment too (the "
             "check's description, \"reads secret from environment variables\", covers it), and checks "
             "PodTemplates."},
        });
}

}  // namespace coconut::policy::rules::peers
