#include "coconut/generate/helm/templates.hpp"

#include <algorithm>

#include "coconut/generate/kubernetes/objects.hpp"

namespace coconut::generate::helm {

namespace {

namespace k8s = coconut::generate::kubernetes;

// Written by hand for coconut (DESIGN §3: Go-template text is the one place where generators
// write text). Placeholders @NAME@ are replaced with the kubernetes target's constants, so the
// two renderings share them.

constexpr const char* k_helpers = R"TPL(
{{/*
coconut.name: the app's name (also the chart's name).
*/}}
{{- define "coconut.name" -}}
{{- .Values.app.name | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
coconut.fullname: the name of a service's objects. Call with (dict "root" $ "name" $name "svc" $svc).
It is the service's name, as in the kubernetes target: both renderings address the same objects,
and services find each other under the names written in coconut.yaml.
*/}}
{{- define "coconut.fullname" -}}
{{- .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
coconut.version: app.version as a label value (invalid characters become "_", at most 63).
*/}}
{{- define "coconut.version" -}}
{{- regexReplaceAll "[^A-Za-z0-9._-]" (toString .Values.app.version) "_" | trunc 63 | trimAll "._-" -}}
{{- end -}}

{{/*
coconut.selectorLabels: the stable labels that select a service's pods (never the version).
The instance is <app>-<service>; names too long for a label value get services.<name>.instanceLabel
(the kubernetes target's shortened, hashed form).
*/}}
{{- define "coconut.selectorLabels" -}}
app.kubernetes.io/name: {{ .name | quote }}
app.kubernetes.io/instance: {{ .svc.instanceLabel | default (printf "%s-%s" .root.Values.app.name .name | trunc 63 | trimAll "-") | quote }}
{{- end -}}

{{/*
coconut.appLabels: the labels of every object of the app. Call with the root context.
*/}}
{{- define "coconut.appLabels" -}}
app.kubernetes.io/part-of: {{ .Values.app.name | quote }}
{{- with include "coconut.version" . }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ "@MANAGED_BY@" | quote }}
{{- end -}}

{{/*
coconut.labels: the labels of a service's objects and pods.
*/}}
{{- define "coconut.labels" -}}
{{ include "coconut.selectorLabels" . }}
app.kubernetes.io/component: {{ .svc.type | quote }}
{{ include "coconut.appLabels" .root }}
{{- end -}}

{{/*
coconut.image: repository[:tag][@digest]. With a digest the runtime pulls by digest whatever the
tag says ("digest wins"); the tag stays for readers.
*/}}
{{- define "coconut.image" -}}
{{- .repository -}}
{{- with .tag }}:{{ . }}{{ end -}}
{{- with .digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/*
coconut.metadata: name, namespace and labels of a service's object. Call with
(dict "root" $ "name" $name "svc" $svc "objectName" NAME).
*/}}
{{- define "coconut.metadata" -}}
name: {{ .objectName | quote }}
namespace: {{ .root.Release.Namespace | quote }}
labels:
  {{- include "coconut.labels" . | nindent 2 }}
{{- end -}}

{{/*
coconut.servicePort: the one port of a service's Service objects.
*/}}
{{- define "coconut.servicePort" -}}
- name: {{ .svc.portName | quote }}
  port: {{ .svc.port | int64 }}
  targetPort: {{ .svc.portName | quote }}
  protocol: TCP
  {{- with .svc.service.appProtocol }}
  appProtocol: {{ . | quote }}
  {{- end }}
{{- end -}}

{{/*
coconut.podTemplate: the pod template of a service's workload.
*/}}
{{- define "coconut.podTemplate" -}}
{{- $svc := .svc -}}
{{- $fullname := include "coconut.fullname" . -}}
metadata:
  labels:
    {{- include "coconut.labels" . | nindent 4 }}
  {{- with $svc.configHash }}
  annotations:
    @CONFIG_HASH@: {{ . | quote }}
  {{- end }}
spec:
  serviceAccountName: {{ $fullname | quote }}
  automountServiceAccountToken: {{ $svc.automountServiceAccountToken }}
  enableServiceLinks: {{ $svc.enableServiceLinks }}
  {{- with $svc.restartPolicy }}
  restartPolicy: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml $svc.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds | int64 }}
  {{- if hasKey $svc "topologySpreadConstraints" }}
  topologySpreadConstraints:
    {{- toYaml $svc.topologySpreadConstraints | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .name | quote }}
      image: {{ include "coconut.image" $svc.image | quote }}
      imagePullPolicy: {{ $svc.image.pullPolicy }}
      {{- with $svc.command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $svc.port }}
      ports:
        - name: {{ $svc.portName | quote }}
          containerPort: {{ $svc.port | int64 }}
          protocol: TCP
      {{- end }}
      {{- if $svc.env }}
      envFrom:
        - configMapRef:
            name: {{ printf "%s-env" $fullname | quote }}
      {{- end }}
      {{- with $svc.secrets }}
      env:
        {{- range . }}
        - name: {{ .name | quote }}
          valueFrom:
            secretKeyRef:
              name: {{ printf "%s-secrets" $fullname | quote }}
              key: {{ .name | quote }}
        {{- end }}
      {{- end }}
      resources:
        {{- toYaml $svc.resources | nindent 8 }}
      {{- with $svc.readinessProbe }}
      readinessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.livenessProbe }}
      livenessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.lifecycle }}
      lifecycle:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $svc.securityContext | nindent 8 }}
      {{- if hasKey $svc "volumeMounts" }}
      volumeMounts:
        {{- toYaml $svc.volumeMounts | nindent 8 }}
      {{- end }}
  {{- if hasKey $svc "volumes" }}
  volumes:
    {{- toYaml $svc.volumes | nindent 4 }}
  {{- end }}
{{- end -}}
)TPL";

constexpr const char* k_serviceaccount = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
automountServiceAccountToken: {{ $svc.automountServiceAccountToken }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_configmap = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled $svc.env }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (printf "%s-env" (include "coconut.fullname" $ctx))) | nindent 2 }}
data:
  {{- toYaml $svc.env | nindent 2 }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_externalsecret = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled $svc.secrets }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- $secretName := printf "%s-secrets" (include "coconut.fullname" $ctx) }}
{{- $es := $.Values.externalSecrets }}
---
apiVersion: {{ $es.apiVersion }}
kind: ExternalSecret
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" $secretName) | nindent 2 }}
spec:
  refreshInterval: {{ $es.refreshInterval | quote }}
  secretStoreRef:
    {{- toYaml $es.secretStoreRef | nindent 4 }}
  target:
    name: {{ $secretName | quote }}
    creationPolicy: {{ $es.creationPolicy }}
  data:
    {{- range $svc.secrets }}
    - secretKey: {{ .name | quote }}
      remoteRef:
        key: {{ .key | quote }}
    {{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_pvc = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- range $svc.persistentVolumeClaims }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (printf "%s-%s" (include "coconut.fullname" $ctx) .name)) | nindent 2 }}
spec:
  {{- toYaml .spec | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_service = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- $fullname := include "coconut.fullname" $ctx }}
{{- if $svc.port }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" $fullname) | nindent 2 }}
spec:
  type: {{ $svc.service.type }}
  selector:
    {{- include "coconut.selectorLabels" $ctx | nindent 4 }}
  ports:
    {{- include "coconut.servicePort" $ctx | nindent 4 }}
{{- end }}
{{- if eq $svc.kind "StatefulSet" }}
---
# The governing Service of the StatefulSet: per-pod DNS names (<pod>.<service>-headless).
apiVersion: v1
kind: Service
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (printf "%s-headless" $fullname)) | nindent 2 }}
spec:
  type: ClusterIP
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "coconut.selectorLabels" $ctx | nindent 4 }}
  {{- if $svc.port }}
  ports:
    {{- include "coconut.servicePort" $ctx | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_deployment = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (eq $svc.kind "Deployment") }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicas | int64 }}
  {{- end }}
  revisionHistoryLimit: {{ $svc.revisionHistoryLimit | int64 }}
  progressDeadlineSeconds: {{ $svc.progressDeadlineSeconds | int64 }}
  selector:
    matchLabels:
      {{- include "coconut.selectorLabels" $ctx | nindent 6 }}
  strategy:
    {{- toYaml $svc.updateStrategy | nindent 4 }}
  template:
    {{- include "coconut.podTemplate" $ctx | nindent 4 }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_statefulset = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (eq $svc.kind "StatefulSet") }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
spec:
  {{- if not $svc.autoscaling.enabled }}
  replicas: {{ $svc.replicas | int64 }}
  {{- end }}
  revisionHistoryLimit: {{ $svc.revisionHistoryLimit | int64 }}
  serviceName: {{ printf "%s-headless" (include "coconut.fullname" $ctx) | quote }}
  selector:
    matchLabels:
      {{- include "coconut.selectorLabels" $ctx | nindent 6 }}
  updateStrategy:
    {{- toYaml $svc.updateStrategy | nindent 4 }}
  template:
    {{- include "coconut.podTemplate" $ctx | nindent 4 }}
  {{- if hasKey $svc "volumeClaimTemplates" }}
  volumeClaimTemplates:
    {{- toYaml $svc.volumeClaimTemplates | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_cronjob = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (eq $svc.kind "CronJob") }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- $cron := $svc.cronJob }}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
spec:
  schedule: {{ $svc.schedule | quote }}
  {{- with $cron.timeZone }}
  timeZone: {{ . | quote }}
  {{- end }}
  {{- with $cron.concurrencyPolicy }}
  concurrencyPolicy: {{ . }}
  {{- end }}
  {{- if hasKey $cron "startingDeadlineSeconds" }}
  startingDeadlineSeconds: {{ $cron.startingDeadlineSeconds | int64 }}
  {{- end }}
  {{- if $cron.suspend }}
  suspend: true
  {{- end }}
  {{- if hasKey $cron "successfulJobsHistoryLimit" }}
  successfulJobsHistoryLimit: {{ $cron.successfulJobsHistoryLimit | int64 }}
  {{- end }}
  {{- if hasKey $cron "failedJobsHistoryLimit" }}
  failedJobsHistoryLimit: {{ $cron.failedJobsHistoryLimit | int64 }}
  {{- end }}
  jobTemplate:
    metadata:
      labels:
        {{- include "coconut.labels" $ctx | nindent 8 }}
    spec:
      backoffLimit: {{ $svc.backoffLimit | int64 }}
      template:
        {{- include "coconut.podTemplate" $ctx | nindent 8 }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_job = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (eq $svc.kind "Job") }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: batch/v1
kind: Job
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
spec:
  backoffLimit: {{ $svc.backoffLimit | int64 }}
  template:
    {{- include "coconut.podTemplate" $ctx | nindent 4 }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_hpa = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (or (eq $svc.kind "Deployment") (eq $svc.kind "StatefulSet")) }}
{{- if $svc.autoscaling.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- $fullname := include "coconut.fullname" $ctx }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" $fullname) | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ $svc.kind }}
    name: {{ $fullname | quote }}
  minReplicas: {{ $svc.autoscaling.minReplicas | int64 }}
  maxReplicas: {{ $svc.autoscaling.maxReplicas | int64 }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $svc.autoscaling.targetCPUUtilizationPercentage | int64 }}
    {{- with $svc.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . | int64 }}
    {{- end }}
{{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_pdb = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (or (eq $svc.kind "Deployment") (eq $svc.kind "StatefulSet")) }}
{{- if $svc.podDisruptionBudget.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
spec:
  maxUnavailable: {{ $svc.podDisruptionBudget.maxUnavailable | toYaml }}
  selector:
    matchLabels:
      {{- include "coconut.selectorLabels" $ctx | nindent 6 }}
  {{- with $svc.podDisruptionBudget.unhealthyPodEvictionPolicy }}
  unhealthyPodEvictionPolicy: {{ . }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_ingress = R"TPL(
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled $svc.port }}
{{- if $svc.ingress.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- $fullname := include "coconut.fullname" $ctx }}
{{- $in := $svc.ingress }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" $fullname) | nindent 2 }}
  {{- with $in.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $in.className }}
  ingressClassName: {{ . | quote }}
  {{- end }}
  {{- with $in.tls }}
  {{- if .enabled }}
  tls:
    - secretName: {{ .secretName | default (printf "%s-tls" $fullname) | quote }}
      {{- with $in.host }}
      hosts:
        - {{ . | quote }}
      {{- end }}
  {{- end }}
  {{- end }}
  rules:
    - http:
        paths:
          - path: {{ $in.path | default "/" | quote }}
            pathType: {{ $in.pathType | default "Prefix" }}
            backend:
              service:
                name: {{ $fullname | quote }}
                port:
                  name: {{ $svc.portName | quote }}
      {{- with $in.host }}
      host: {{ . | quote }}
      {{- end }}
{{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_networkpolicy = R"TPL(
{{- if .Values.networkPolicy.defaultDeny }}
---
# Deny all traffic in the namespace; each service's policy below allows what it needs.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: @DEFAULT_DENY@
  namespace: {{ .Release.Namespace | quote }}
  labels:
    {{- include "coconut.appLabels" . | nindent 4 }}
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
{{- end }}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled $svc.networkPolicy.enabled }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "coconut.metadata" (dict "root" $ "name" $name "svc" $svc "objectName" (include "coconut.fullname" $ctx)) | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "coconut.selectorLabels" $ctx | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  {{- if hasKey $svc.networkPolicy "ingress" }}
  ingress:
    {{- toYaml $svc.networkPolicy.ingress | nindent 4 }}
  {{- end }}
  {{- if hasKey $svc.networkPolicy "egress" }}
  egress:
    {{- toYaml $svc.networkPolicy.egress | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_namespace = R"TPL(
{{- /*
Off by default: Helm needs the namespace before it installs (it stores the release there), so
create it with `helm install --create-namespace` or let `coconut deploy` apply it with its Pod
Security labels. Turn on for `helm template | kubectl apply` workflows.
*/ -}}
{{- if .Values.namespace.create }}
---
apiVersion: v1
kind: Namespace
metadata:
  name: {{ .Release.Namespace | quote }}
  labels:
    {{- include "coconut.appLabels" . | nindent 4 }}
    {{- range $mode, $level := .Values.namespace.podSecurity }}
    pod-security.kubernetes.io/{{ $mode }}: {{ $level | quote }}
    {{- end }}
{{- end }}
)TPL";

constexpr const char* k_test_connection = R"TPL(
{{- /*
`helm test`: one pod per web service fetches its health path (or /) through the Service. The
namespace denies all traffic by default, so two NetworkPolicies (hooks too, created first) let
the test pods reach the web services. Helm does not delete hook resources on uninstall; the
policies only admit pods labelled app.kubernetes.io/component=helm-test of this app.
*/ -}}
{{- if .Values.tests.enabled }}
{{- $webs := list }}
{{- range $name, $svc := .Values.services }}
{{- if and $svc.enabled (eq $svc.type "web") $svc.port }}
{{- $webs = append $webs $name }}
{{- end }}
{{- end }}
{{- if $webs }}
{{- $testLabels := dict "app.kubernetes.io/component" "helm-test" "app.kubernetes.io/part-of" .Values.app.name }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ printf "%s-helm-test" (include "coconut.name" .) | quote }}
  namespace: {{ .Release.Namespace | quote }}
  labels:
    {{- include "coconut.appLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  podSelector:
    matchLabels:
      {{- toYaml $testLabels | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
    {{- range $name := $webs }}
    {{- $svc := index $.Values.services $name }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "coconut.selectorLabels" (dict "root" $ "name" $name "svc" $svc) | nindent 14 }}
      ports:
        - protocol: TCP
          port: {{ $svc.port | int64 }}
    {{- end }}
{{- range $name := $webs }}
{{- $svc := index $.Values.services $name }}
{{- $ctx := dict "root" $ "name" $name "svc" $svc }}
{{- $fullname := include "coconut.fullname" $ctx }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ printf "%s-allow-helm-test" $fullname | quote }}
  namespace: {{ $.Release.Namespace | quote }}
  labels:
    {{- include "coconut.labels" $ctx | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  podSelector:
    matchLabels:
      {{- include "coconut.selectorLabels" $ctx | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              {{- toYaml $testLabels | nindent 14 }}
      ports:
        - protocol: TCP
          port: {{ $svc.port | int64 }}
{{- $path := "/" }}
{{- with $svc.readinessProbe }}
{{- with .httpGet }}
{{- if or (eq (toString .port) (toString $svc.portName)) (eq (toString .port) (toString ($svc.port | int64))) }}
{{- $path = .path | default "/" }}
{{- end }}
{{- end }}
{{- end }}
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ printf "%s-test-connection" $fullname | quote }}
  namespace: {{ $.Release.Namespace | quote }}
  labels:
    {{- include "coconut.appLabels" $ | nindent 4 }}
    app.kubernetes.io/name: {{ printf "%s-test-connection" $fullname | quote }}
    app.kubernetes.io/component: helm-test
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    runAsGroup: 65534
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: wget
      image: {{ include "coconut.image" $.Values.tests.image | quote }}
      imagePullPolicy: {{ $.Values.tests.image.pullPolicy }}
      command:
        - wget
        - "-q"
        - "-O"
        - /dev/null
        - "-T"
        - {{ $.Values.tests.timeoutSeconds | int64 | toString | quote }}
        - {{ printf "http://%s:%d%s" $fullname ($svc.port | int64) $path | quote }}
      resources:
        {{- toYaml $.Values.tests.resources | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        runAsNonRoot: true
        capabilities:
          drop:
            - ALL
{{- end }}
{{- end }}
{{- end }}
)TPL";

constexpr const char* k_notes = R"TPL(
{{ include "coconut.name" . }} {{ .Values.app.version }} is installed in namespace {{ .Release.Namespace }} (release {{ .Release.Name }}).
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}
  - {{ $name }}: {{ $svc.type }} ({{ $svc.kind }}, image {{ include "coconut.image" $svc.image }})
{{- if $svc.port }}
      in the cluster: http://{{ $name }}.{{ $.Release.Namespace }}.svc:{{ $svc.port | int64 }}
{{- if $svc.ingress.enabled }}
{{- $tls := false }}
{{- with $svc.ingress.tls }}{{ $tls = .enabled }}{{ end }}
      outside: {{ if $tls }}https{{ else }}http{{ end }}://{{ $svc.ingress.host | default "<ingress address>" }}{{ $svc.ingress.path | default "/" }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

Watch the rollout:
  kubectl -n {{ .Release.Namespace }} get deployments,statefulsets,cronjobs,pods -l app.kubernetes.io/part-of={{ .Values.app.name }}
{{- if .Values.tests.enabled }}
Check that the web services answer:
  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
{{- end }}
)TPL";

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
}

std::string finish(std::string_view header, const char* body) {
    std::string s = "{{- /* ";
    s += header;
    s += " */ -}}";
    s += body;   // starts with a newline
    replace_all(s, "@MANAGED_BY@", k8s::k_managed_by);
    replace_all(s, "@CONFIG_HASH@", k8s::k_config_hash_annotation);
    replace_all(s, "@DEFAULT_DENY@", k8s::k_default_deny_name);
    return s;
}

}  // namespace

std::vector<TemplateFile> chart_templates(std::string_view generated_by) {
    std::vector<TemplateFile> out = {
        {"templates/NOTES.txt", finish(generated_by, k_notes)},
        {"templates/_helpers.tpl", finish(generated_by, k_helpers)},
        {"templates/configmap.yaml", finish(generated_by, k_configmap)},
        {"templates/cronjob.yaml", finish(generated_by, k_cronjob)},
        {"templates/deployment.yaml", finish(generated_by, k_deployment)},
        {"templates/externalsecret.yaml", finish(generated_by, k_externalsecret)},
        {"templates/hpa.yaml", finish(generated_by, k_hpa)},
        {"templates/ingress.yaml", finish(generated_by, k_ingress)},
        {"templates/job.yaml", finish(generated_by, k_job)},
        {"templates/namespace.yaml", finish(generated_by, k_namespace)},
        {"templates/networkpolicy.yaml", finish(generated_by, k_networkpolicy)},
        {"templates/pdb.yaml", finish(generated_by, k_pdb)},
        {"templates/pvc.yaml", finish(generated_by, k_pvc)},
        {"templates/service.yaml", finish(generated_by, k_service)},
        {"templates/serviceaccount.yaml", finish(generated_by, k_serviceaccount)},
        {"templates/statefulset.yaml", finish(generated_by, k_statefulset)},
        {"templates/tests/test-connection.yaml", finish(generated_by, k_test_connection)},
    };
    std::sort(out.begin(), out.end(), [](const TemplateFile& a, const TemplateFile& b) { return a.path < b.path; });
    return out;
}

}  // namespace coconut::generate::helm
