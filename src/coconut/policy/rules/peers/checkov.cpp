// Checkov's Kubernetes checks (checkov/kubernetes/checks/resource/k8s/<Check>.py; container checks
// derive from base_container_check.py, which examines `containers` and `initContainers` of Pod,
// PodTemplate, CronJob, Deployment, DeploymentConfig, DaemonSet, Job, ReplicaSet,
// ReplicationController and StatefulSet) and Dockerfile checks (checkov/dockerfile/checks/<Check>.py).
// Checkov reports a resource once, at its first failing container; coconut reports each one.
//
// Checked and not aliased, because the conditions differ: CKV_K8S_9 (also containers without
// ports), CKV_K8S_15 (Always also for version tags), CKV_K8S_21 (also objects without a namespace),
// CKV_K8S_23 (accepts runAsUser >= 1 without runAsNonRoot), CKV_K8S_25 (any added capability),
// CKV_K8S_31 (RuntimeDefault only; Localhost fails), CKV_K8S_37 (drop list only; accepts "all"),
// CKV_DOCKER_4 (any ADD; DF-ADD-LOCAL passes archives and URLs), CKV2_GHA_1 (also workflows
// without top-level permissions, read as write-all).
// No coconut rule: the PodSecurityPolicy checks (CKV_K8S_1-7, 24, 32, 36; the kind was removed in
// Kubernetes 1.25), CKV_K8S_39 (SYS_ADMIN added: inside K8S-CAPABILITIES-BASELINE's condition, a rule
// would report the same value twice), CKV_K8S_45, 49, 152, 154, 159, the control-plane flag checks
// (CKV_K8S_68-151), CKV_DOCKER_5.
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> checkov() {
    const Peer p{"checkov", "bridgecrewio/checkov@03d5fda"};
    return table(
        p, {
               // ---- Kubernetes ----
               {"CKV_K8S_8", "checkov/kubernetes/checks/resource/k8s/LivenessProbe.py",
                "Fails a workload (container-check kinds except Job and CronJob) with a regular container whose "
                "livenessProbe is unset or empty.",
                "coconut does not judge bare Pods whose restartPolicy is not Always (a failed liveness probe cannot "
                "restart them) nor PodTemplates."},
               {"CKV_K8S_10", "checkov/kubernetes/checks/resource/k8s/CPURequests.py",
                "Fails a workload with a container or init container whose resources.requests.cpu is unset or "
                "falsy (0); a container whose resources has no requests mapping is UNKNOWN, not failed.",
                "coconut also reports a container with resources but no requests, which the check's name (\"CPU "
                "requests should be set\") covers, and reads a quoted or suffixed zero (\"0\", \"0m\") as none, "
                "where Checkov's truthiness test passes it."},
               {"CKV_K8S_11", "checkov/kubernetes/checks/resource/k8s/CPULimits.py",
                "Fails a workload with a container or init container whose resources.limits.cpu is unset or falsy "
                "(0).",
                "coconut also reads a quoted or suffixed zero (\"0\", \"0m\") as none, where Checkov's truthiness "
                "test passes it."},
               {"CKV_K8S_12", "checkov/kubernetes/checks/resource/k8s/MemoryRequests.py",
                "Fails a workload with a container or init container whose resources.requests.memory is unset or "
                "falsy (0); a container whose resources has no requests mapping is UNKNOWN, not failed.",
                "coconut also reports a container with resources but no requests, which the check's name (\"Memory "
                "requests should be set\") covers, and reads a quoted or suffixed zero (\"0\", \"0Mi\") as none, "
                "where Checkov's truthiness test passes it."},
               {"CKV_K8S_13", "checkov/kubernetes/checks/resource/k8s/MemoryLimits.py",
                "Fails a workload with a container or init container whose resources.limits.memory is unset or "
                "falsy (0).",
                "coconut also reads a quoted or suffixed zero (\"0\", \"0Mi\") as none, where Checkov's truthiness "
                "test passes it."},
               {"CKV_K8S_14",
                "checkov/kubernetes/checks/resource/k8s/ImageTagFixed.py, checkov/common/models/consts.py "
                "(DOCKER_IMAGE_REGEX)",
                "Fails a container or init container whose image has no '@' (digest) and whose tag is empty or "
                "latest; a container without an image fails too.",
                "coconut skips a container without an image (the API server rejects it) and also checks "
                "ephemeral containers."},
               {"CKV_K8S_16", "checkov/kubernetes/checks/resource/k8s/PrivilegedContainers.py",
                "Fails a workload with a container or init container whose securityContext.privileged is true.",
                "coconut also checks ephemeral containers."},
               {"CKV_K8S_17", "checkov/kubernetes/checks/resource/k8s/ShareHostPID.py",
                "Fails a Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or CronJob "
                "whose pod spec sets hostPID to a true value.",
                "coconut also checks PodTemplates and DeploymentConfigs."},
               {"CKV_K8S_18", "checkov/kubernetes/checks/resource/k8s/ShareHostIPC.py",
                "Fails a Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or CronJob "
                "whose pod spec sets hostIPC to a true value.",
                "coconut also checks PodTemplates and DeploymentConfigs."},
               {"CKV_K8S_19", "checkov/kubernetes/checks/resource/k8s/SharedHostNetworkNamespace.py",
                "Fails a Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or CronJob "
                "whose pod spec sets hostNetwork to a true value.",
                "coconut also checks PodTemplates and DeploymentConfigs."},
               {"CKV_K8S_20", "checkov/kubernetes/checks/resource/k8s/AllowPrivilegeEscalation.py",
                "Fails a workload with a container or init container whose securityContext.allowPrivilegeEscalation "
                "is not false (unset included).",
                "coconut also checks ephemeral containers, and does not judge Windows pods (spec.os.name: windows), "
                "where the field has no effect."},
               {"CKV_K8S_22", "checkov/kubernetes/checks/resource/k8s/ReadOnlyFilesystem.py",
                "Fails a workload with a container or init container whose securityContext.readOnlyRootFilesystem "
                "is not true (unset included).",
                ""},
               {"CKV_K8S_26", "checkov/kubernetes/checks/resource/k8s/HostPort.py",
                "Fails a workload with a container or init container that has a ports entry with a hostPort key.",
                "coconut does not report hostPort: 0, which the API server treats as unset; it also checks "
                "ephemeral containers."},
               {"CKV_K8S_27", "checkov/kubernetes/checks/resource/k8s/DockerSocketVolume.py",
                "Fails a Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or CronJob "
                "with a hostPath volume whose path is /var/run/docker.sock.",
                "coconut reports a socket volume only where a container mounts it (a volume nobody mounts exposes "
                "nothing), and every path ending in docker.sock (/run/docker.sock too), which the check's name "
                "(\"do not expose the docker daemon socket to containers\") covers."},
               {"CKV_K8S_28", "checkov/kubernetes/checks/resource/k8s/DropCapabilities.py",
                "Fails a workload with a container or init container whose securityContext.capabilities.drop has "
                "no entry containing ALL, all or NET_RAW (no capabilities at all included).",
                "coconut also reports a container that adds NET_RAW (or ALL) back after dropping it — the check's "
                "name (\"minimize the admission of containers with the NET_RAW capability\") covers it — and does "
                "not judge Windows pods, which have no Linux capabilities."},
               {"CKV_K8S_29", "checkov/kubernetes/checks/resource/k8s/PodSecurityContext.py",
                "Fails a Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or CronJob "
                "whose pod spec has no securityContext or an empty one.",
                "coconut also checks PodTemplates and DeploymentConfigs."},
               {"CKV_K8S_30", "checkov/kubernetes/checks/resource/k8s/ContainerSecurityContext.py",
                "Fails a workload with a container or init container whose securityContext is unset or empty.", ""},
               {"CKV_K8S_33", "checkov/kubernetes/checks/resource/k8s/KubernetesDashboard.py",
                "Fails a workload with a container or init container whose image contains kubernetes-dashboard or "
                "kubernetesui, or whose pod labels say app: kubernetes-dashboard (or, without an app label, "
                "k8s-app: kubernetes-dashboard).",
                ""},
               {"CKV_K8S_34", "checkov/kubernetes/checks/resource/k8s/Tiller.py",
                "Fails a workload with a container or init container whose image contains tiller, or whose pod "
                "labels say app: helm or name: tiller.",
                ""},
               {"CKV_K8S_35", "checkov/kubernetes/checks/resource/k8s/Secrets.py",
                "Fails a workload with a container or init container that has an env entry with "
                "valueFrom.secretKeyRef or an envFrom entry with secretRef.",
                "coconut also checks ephemeral containers."},
               {"CKV_K8S_38", "checkov/kubernetes/checks/resource/k8s/ServiceAccountTokens.py",
                "Fails a Pod, Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or CronJob "
                "whose pod spec does not set automountServiceAccountToken: false.",
                "coconut passes a pod that leaves the field unset when its ServiceAccount, in the input, sets "
                "automountServiceAccountToken: false — the token is then not mounted, whatever Checkov reports; it "
                "also checks PodTemplates and DeploymentConfigs."},
               {"CKV_K8S_40",
                "checkov/kubernetes/checks/resource/k8s/RootContainersHighUID.py, "
                "checkov/kubernetes/checks/resource/base_root_container_check.py",
                "Fails a workload (not in a user namespace: hostUsers: false passes) unless every regular container "
                "runs as an integer UID of 10000 or more — its own securityContext.runAsUser, else the pod's.",
                "coconut also checks PodTemplates and DeploymentConfigs."},
               {"CKV_K8S_41", "checkov/kubernetes/checks/resource/k8s/DefaultServiceAccount.py",
                "Fails a ServiceAccount named default that does not set automountServiceAccountToken: false.", ""},
               {"CKV_K8S_42", "checkov/kubernetes/checks/resource/k8s/DefaultServiceAccountBinding.py",
                "Fails a RoleBinding or ClusterRoleBinding with a subject of kind ServiceAccount named default.", ""},
               {"CKV_K8S_43", "checkov/kubernetes/checks/resource/k8s/ImageDigest.py",
                "Fails a workload with a container or init container whose image has no '@' (digest).",
                "coconut skips a container without an image (the API server rejects it) and also checks ephemeral "
                "containers."},
               {"CKV_K8S_44", "checkov/kubernetes/checks/resource/k8s/TillerService.py",
                "Fails a Service whose name, one of whose label values or one of whose selector values contains "
                "tiller (case-insensitive).",
                ""},
               {"CKV_K8S_153", "checkov/kubernetes/checks/resource/k8s/NginxIngressCVE202125742AllSnippets.py",
                "Fails an Ingress with an annotation whose key contains \"snippet\".", ""},
               {"CKV_K8S_155",
                "checkov/kubernetes/checks/resource/k8s/RbacControlWebhooks.py, "
                "checkov/kubernetes/checks/resource/base_rbac_check.py",
                "Fails a ClusterRole with a rule granting (apiGroups, verbs, resources, each also by \"*\") "
                "admissionregistration.k8s.io create, update or patch on mutatingwebhookconfigurations or "
                "validatingwebhookconfigurations.",
                ""},
               {"CKV_K8S_156",
                "checkov/kubernetes/checks/resource/k8s/RbacApproveCertificateSigningRequests.py, "
                "checkov/kubernetes/checks/resource/base_rbac_check.py",
                "Fails a ClusterRole whose rules grant both certificates.k8s.io update or patch on "
                "certificatesigningrequests/approval and approve on signers (each also by \"*\" or \"*/approval\").",
                ""},
               {"CKV_K8S_157",
                "checkov/kubernetes/checks/resource/k8s/RbacBindRoleBindings.py, "
                "checkov/kubernetes/checks/resource/base_rbac_check.py",
                "Fails a Role or ClusterRole with a rule granting rbac.authorization.k8s.io bind on rolebindings or "
                "clusterrolebindings (each also by \"*\").",
                ""},
               {"CKV_K8S_158",
                "checkov/kubernetes/checks/resource/k8s/RbacEscalateRoles.py, "
                "checkov/kubernetes/checks/resource/base_rbac_check.py",
                "Fails a Role or ClusterRole with a rule granting rbac.authorization.k8s.io escalate on roles or "
                "clusterroles (each also by \"*\").",
                ""},
               // ---- Dockerfile ----
               {"CKV_DOCKER_1", "checkov/dockerfile/checks/ExposePort22.py",
                "Fails a Dockerfile with an EXPOSE whose space-separated words include 22 or 22/tcp.",
                "coconut also reports a port range containing 22 and 22/udp or 22/sctp, which the check's name "
                "(\"ensure port 22 is not exposed\") covers."},
               {"CKV_DOCKER_2", "checkov/dockerfile/checks/HealthcheckExists.py",
                "Fails a Dockerfile without any HEALTHCHECK instruction (HEALTHCHECK NONE counts as one).",
                "coconut looks only at the final stage and the stages it is built FROM: a HEALTHCHECK in a build "
                "stage does not reach the image, although Checkov counts it."},
               {"CKV_DOCKER_3", "checkov/dockerfile/checks/UserExists.py",
                "Fails a Dockerfile without any USER instruction.",
                "coconut looks only at the final stage and the stages it is built FROM (a USER in a build stage "
                "does not reach the image, although Checkov counts it), and passes a final image built FROM a "
                "base tagged nonroot, whose user is not root."},
               {"CKV_DOCKER_6", "checkov/dockerfile/checks/MaintainerExists.py",
                "Fails a Dockerfile with a MAINTAINER instruction.", ""},
               {"CKV_DOCKER_7", "checkov/dockerfile/checks/ReferenceLatestTag.py",
                "Fails a Dockerfile at its first FROM whose image (the part before AS) has no ':' and is neither "
                "an earlier stage nor scratch, or ends with :latest.",
                "The alias is carried by DF-IMAGE-NO-TAG and DF-IMAGE-LATEST, whose union is the check; coconut "
                "does not judge $VARIABLES (unknown before the build) and reports a registry port without a tag "
                "(registry:5000/app), which Checkov's ':' test misses although the check (\"non latest version "
                "tag\") covers it."},
               {"CKV_DOCKER_8", "checkov/dockerfile/checks/RootUser.py",
                "Fails a Dockerfile whose last USER instruction (in file order) is exactly root.",
                "coconut takes the last USER of the final stage and the stages it is built FROM (a USER of an "
                "unrelated build stage does not run the container), and also reports UID 0 and root with a group "
                "(root:root, 0:0), which are root too."},
               {"CKV_DOCKER_9", "checkov/dockerfile/checks/RunUsingAPT.py",
                "Fails a Dockerfile with a RUN whose &&-separated command text contains \" apt \" and no \"rm\".",
                "coconut parses the script and reports the apt program wherever it runs (after ;, |, in a "
                "heredoc, and in commands that happen to contain \"rm\", such as `apt install firmware`), which "
                "the check's name (\"ensure that APT isn't used\") covers, and not the word apt outside a "
                "command (`echo apt`)."},
               {"CKV_DOCKER_10", "checkov/dockerfile/checks/WorkdirIsAbsolute.py",
                "Fails a Dockerfile with a WORKDIR not matching ^\"?(/…|X:\\…|$…): an absolute path, a Windows path "
                "with a backslash, or a variable.",
                "coconut also accepts Windows paths written with a forward slash (C:/app), which are absolute too."},
               {"CKV_DOCKER_11", "checkov/dockerfile/checks/AliasIsUnique.py",
                "Fails a Dockerfile in which two FROM instructions written with a lower-case \" as \" end with the "
                "same alias.",
                "coconut also reads FROM … AS (upper case) and compares stage names case-insensitively, as "
                "BuildKit does."},
               // ---- GitHub workflows ----
               {"CKV_GHA_1", "checkov/github_actions/checks/job/AllowUnsecureCommandsOnJob.py",
                "Fails a job or step whose env sets ACTIONS_ALLOW_UNSECURE_COMMANDS to a truthy Python value (any "
                "non-empty string, \"false\" included).",
                "coconut also checks the workflow-level env, and does not report the values false and 0, which do "
                "not enable the commands."},
               {"CKV_GHA_2",
                "checkov/github_actions/checks/job/ShellInjection.py, "
                "checkov/github_actions/common/shell_injection_list.py",
                "Fails a job or step whose run script contains ${{ X }} for one of 17 contexts (issue, pull "
                "request, comment, review and review comment bodies and titles, page names, head commit and commit "
                "messages and authors, pull_request.head.ref/label/repo.default_branch, github.head_ref).",
                "coconut covers the same contexts and more that outsiders control (discussions, committers, "
                "workflow_run's head branch and commit), objects that contain them (toJSON(...)), any expression "
                "syntax around them, and actions/github-script scripts — all within the check's name (\"run "
                "commands are not vulnerable to shell injection\")."},
           });
}

}  // namespace coconut::policy::rules::peers
