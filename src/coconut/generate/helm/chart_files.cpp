#include "coconut/generate/helm/chart_files.hpp"

#include <algorithm>

#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::generate::helm {

namespace k8s = coconut::generate::kubernetes;

namespace {

// Go-template text written by hand: only what a chart has and the kubernetes target does not.

constexpr const char* k_helpers = R"TPL(
{{/*
coconut.image: repository[:tag][@digest]. With a digest the runtime pulls by digest whatever the
tag says ("digest wins"); the tag stays for readers.
*/}}
{{- define "coconut.image" -}}
{{- .repository -}}
{{- with .tag }}:{{ . }}{{ end -}}
{{- with .digest }}@{{ . }}{{ end -}}
{{- end -}}
)TPL";

std::string comment(std::string_view generated_by) { return "{{- /* " + std::string(generated_by) + " */ -}}\n"; }

// `text` (YAML emitted at column 0) indented by `n` spaces.
std::string indented(const std::string& text, std::size_t n) {
    std::string out;
    for (const auto& line : util::split(text, '\n'))
        if (!line.empty()) out += std::string(n, ' ') + line + "\n";
    return out;
}

std::string object_block(const ChartModel& model, const TemplateObject& o) {
    const std::string cond = go_condition(model.guards.at(o.guard));
    std::string out;
    if (!cond.empty()) out += "{{- if " + cond + " }}\n";
    out += "---\n" + template_text(model, o);
    if (!cond.empty()) out += "{{- end }}\n";
    return out;
}

// A Go template string literal (names here are DNS labels: nothing to escape).
std::string go_quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string svc_binding(const std::string& name) { return "{{- $svc := index .Values.services \"" + name + "\" }}\n"; }

std::string service_file(const ChartModel& model, const std::string& service, std::string_view generated_by) {
    std::string out = comment(generated_by) + svc_binding(service) + "{{- if $svc.enabled }}\n";
    for (const auto& o : model.objects)
        if (o.service == service) out += object_block(model, o);
    out += "{{- end }}\n";
    return out;
}

std::string namespace_file(const ChartModel& model, std::string_view generated_by) {
    std::string out = comment(generated_by) +
                      "{{- /*\n"
                      "The Namespace is off by default: Helm needs the namespace before it installs (it stores the release\n"
                      "there), so create it with `helm install --create-namespace` or let `coconut deploy` apply it with its\n"
                      "Pod Security labels. Turn it on for `helm template | kubectl apply` workflows.\n"
                      "*/ -}}\n";
    for (const auto& o : model.objects)
        if (o.service.empty()) out += object_block(model, o);
    return out;
}

bool is_web(const spec::Service& s) { return s.type == spec::ServiceType::Web && s.port != 0; }

// `helm test`: one pod per web service fetches its health path (or /) through the Service. The
// namespace denies all traffic by default, so NetworkPolicies (hooks too, created first) let the
// test pods reach the web services.
std::string tests_file(const spec::Spec& base, std::string_view generated_by) {
    std::vector<const spec::Service*> webs;
    for (const auto& s : base.services)
        if (is_web(s)) webs.push_back(&s);
    std::string out = comment(generated_by) +
                      "{{- /*\n"
                      "`helm test`: one pod per web service fetches its health path (or /) through the Service. The\n"
                      "namespace denies all traffic by default, so NetworkPolicies (hooks too, created first) let the\n"
                      "test pods reach the web services. Helm does not delete hook resources on uninstall; the\n"
                      "policies only admit pods labelled app.kubernetes.io/component=helm-test of this app.\n"
                      "*/ -}}\n";
    if (webs.empty()) return out;
    const Json test_labels = Json::object({{k8s::k_label_component, "helm-test"}, {k8s::k_label_part_of, base.name}});
    const std::string hook = "  annotations:\n"
                             "    helm.sh/hook: test\n"
                             "    helm.sh/hook-weight: \"-5\"\n"
                             "    helm.sh/hook-delete-policy: before-hook-creation\n";
    out += "{{- if .Values.tests.enabled }}\n";
    // Egress of the test pods: DNS and each web service that is enabled.
    out += "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " +
           yaml::emit_scalar(base.name + "-helm-test") + "\n  namespace: {{ .Release.Namespace | quote }}\n  labels:\n" +
           indented(yaml::emit(k8s::app_labels(base)), 4) + hook +
           "spec:\n  podSelector:\n    matchLabels:\n" + indented(yaml::emit(test_labels), 6) +
           "  policyTypes:\n    - Ingress\n    - Egress\n  egress:\n"
           "    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n"
           "          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n"
           "      ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n";
    for (const auto* s : webs) {
        out += "    {{- with index .Values.services " + go_quote(s->name) + " }}\n    {{- if .enabled }}\n";
        out += "    - to:\n        - podSelector:\n            matchLabels:\n" +
               indented(yaml::emit(k8s::selector_labels(base, *s)), 14) +
               "      ports:\n        - protocol: TCP\n          port: {{ .port | int64 }}\n";
        out += "    {{- end }}\n    {{- end }}\n";
    }
    for (const auto* s : webs) {
        const std::string name = s->name;
        out += "{{- with index .Values.services " + go_quote(name) + " }}\n{{- if .enabled }}\n";
        // The web service admits the test pods.
        out += "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: " +
               yaml::emit_scalar(name + "-allow-helm-test") + "\n  namespace: {{ $.Release.Namespace | quote }}\n  labels:\n" +
               indented(yaml::emit(k8s::service_labels(base, *s)), 4) + hook +
               "spec:\n  podSelector:\n    matchLabels:\n" + indented(yaml::emit(k8s::selector_labels(base, *s)), 6) +
               "  policyTypes:\n    - Ingress\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n" +
               indented(yaml::emit(test_labels), 14) + "      ports:\n        - protocol: TCP\n          port: {{ .port | int64 }}\n";
        // The health path when the readiness probe is an HTTP check of the service's port.
        out += "{{- $port := .port | int64 }}\n{{- $path := \"/\" }}\n"
               "{{- with .readinessProbe }}{{- with .httpGet }}\n"
               "{{- if or (eq (toString .port) " + go_quote(k8s::port_name(*s)) +
               ") (eq (toString .port) (toString $port)) }}\n"
               "{{- $path = .path | default \"/\" }}\n{{- end }}\n{{- end }}{{- end }}\n";
        out += "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + yaml::emit_scalar(name + "-test-connection") +
               "\n  namespace: {{ $.Release.Namespace | quote }}\n  labels:\n" + indented(yaml::emit(k8s::app_labels(base)), 4) +
               "    " + k8s::k_label_name + ": " + yaml::emit_scalar(name + "-test-connection") + "\n    " +
               k8s::k_label_component + ": helm-test\n" +
               "  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n"
               "spec:\n  restartPolicy: Never\n  automountServiceAccountToken: false\n  enableServiceLinks: false\n"
               "  securityContext:\n    runAsNonRoot: true\n    runAsUser: 65534\n    runAsGroup: 65534\n"
               "    seccompProfile:\n      type: RuntimeDefault\n"
               "  containers:\n    - name: wget\n"
               "      image: {{ include \"coconut.image\" $.Values.tests.image | quote }}\n"
               "      imagePullPolicy: {{ $.Values.tests.image.pullPolicy }}\n"
               "      command:\n        - wget\n        - \"-q\"\n        - \"-O\"\n        - /dev/null\n        - \"-T\"\n"
               "        - {{ $.Values.tests.timeoutSeconds | int64 | toString | quote }}\n"
               "        - {{ printf \"http://%s:%d%s\" " +
               go_quote(name) + " $port $path | quote }}\n" +
               "      resources:\n        {{- toYaml $.Values.tests.resources | nindent 8 }}\n"
               "      securityContext:\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n"
               "        runAsNonRoot: true\n        capabilities:\n          drop:\n            - ALL\n";
        out += "{{- end }}\n{{- end }}\n";
    }
    out += "{{- end }}\n";
    return out;
}

std::string notes_file(const ChartModel& model, const spec::Spec& base, std::string_view generated_by) {
    std::string out = comment(generated_by);
    out += base.name + " " + base.version +
           " is installed in namespace {{ .Release.Namespace }} (release {{ .Release.Name }}).\n";
    for (const auto& name : model.services) {
        const spec::Service* s = base.find_service(name);
        out += "{{- with index .Values.services " + go_quote(name) + " }}\n{{- if .enabled }}\n";
        out += "  - " + name + ": " + (s ? spec::to_string(s->type) : "service") +
               " ({{ .kind }}, image {{ include \"coconut.image\" .image }})\n";
        out += "{{- if .port }}\n      in the cluster: http://" + name + ".{{ $.Release.Namespace }}.svc:{{ .port | int64 }}\n";
        out += "{{- if (dig \"ingress\" \"enabled\" false .) }}\n"
               "      outside: {{ if (dig \"ingress\" \"tls\" (list) .) }}https{{ else }}http{{ end }}://"
               "{{ dig \"ingress\" \"host\" \"<ingress address>\" . }}{{ dig \"ingress\" \"path\" \"/\" . }}\n"
               "{{- end }}\n{{- end }}\n";
        out += "{{- end }}\n{{- end }}\n";
    }
    out += "\nWatch the rollout:\n  kubectl -n {{ .Release.Namespace }} get deployments,statefulsets,cronjobs,pods -l " +
           std::string(k8s::k_label_part_of) + "=" + base.name + "\n";
    out += "{{- if .Values.tests.enabled }}\nCheck that the web services answer:\n"
           "  helm test {{ .Release.Name }} -n {{ .Release.Namespace }}\n{{- end }}\n";
    return out;
}

}  // namespace

std::vector<TemplateFile> chart_templates(const ChartModel& model, const spec::Spec& base, std::string_view generated_by) {
    std::vector<TemplateFile> out;
    out.push_back({"templates/_helpers.tpl", comment(generated_by) + std::string(k_helpers).substr(1)});
    out.push_back({"templates/NOTES.txt", notes_file(model, base, generated_by)});
    out.push_back({"templates/namespace.yaml", namespace_file(model, generated_by)});
    for (const auto& s : model.services)
        out.push_back({"templates/services/" + s + ".yaml", service_file(model, s, generated_by)});
    out.push_back({"templates/tests/test-connection.yaml", tests_file(base, generated_by)});
    std::sort(out.begin(), out.end(), [](const TemplateFile& a, const TemplateFile& b) { return a.path < b.path; });
    return out;
}

}  // namespace coconut::generate::helm
