// Names of the model's enums, exactly as written in coconut.yaml.
#include "coconut/spec/model.hpp"

namespace coconut::spec {

const char* to_string(ServiceType t) {
    switch (t) {
        case ServiceType::Web: return "web";
        case ServiceType::Backend: return "backend";
        case ServiceType::Worker: return "worker";
        case ServiceType::Job: return "job";
    }
    return "backend";
}

const char* to_string(Runtime r) {
    switch (r) {
        case Runtime::Node: return "node";
        case Runtime::Python: return "python";
        case Runtime::Go: return "go";
        case Runtime::Java: return "java";
        case Runtime::Static: return "static";
        case Runtime::Dockerfile: return "dockerfile";
    }
    return "static";
}

const char* to_string(Strategy s) {
    switch (s) {
        case Strategy::Rolling: return "rolling";
        case Strategy::BlueGreen: return "blue-green";
        case Strategy::Canary: return "canary";
        case Strategy::Immutable: return "immutable";
    }
    return "rolling";
}

const char* to_string(Profile p) {
    switch (p) {
        case Profile::Baseline: return "baseline";
        case Profile::Restricted: return "restricted";
    }
    return "restricted";
}

const char* to_string(ServiceManager m) {
    switch (m) {
        case ServiceManager::Systemd: return "systemd";
        case ServiceManager::StartStopDaemon: return "start-stop-daemon";
    }
    return "systemd";
}

const char* to_string(CpuArchitecture a) {
    switch (a) {
        case CpuArchitecture::X86_64: return "x86_64";
        case CpuArchitecture::Arm64: return "arm64";
    }
    return "x86_64";
}

std::string Service::tmp_volume_name() const {
    bool name_taken = false;
    for (const auto& v : volumes) {
        if (v.path == "/tmp") return {};
        if (v.name == "tmp") name_taken = true;
    }
    return name_taken ? "coconut-tmp" : "tmp";
}

bool Spec::has_exception(std::string_view rule, std::string_view service) const {
    for (const auto& e : policies.exceptions) {
        if (e.rule != rule) continue;
        if (!e.service.empty() && e.service != service) continue;
        if (!e.environment.empty() && e.environment != environment) continue;
        return true;
    }
    return false;
}

}  // namespace coconut::spec
