#pragma once
// Internal to the builder adapters: the flags buildah and podman share (podman's build and push
// are buildah's code), and the parts of a build's argv every adapter writes the same way.
#include <string>
#include <vector>

#include "coconut/platform/builders/image_builder.hpp"

namespace coconut::platform::builders::detail {

// --build-arg / --label / -t flags, in request order.
inline void append_build_flags(std::vector<std::string>& argv, const ImageBuildRequest& r) {
    for (const auto& [k, v] : r.build_args) {
        argv.emplace_back("--build-arg");
        argv.push_back(k + "=" + v);
    }
    for (const auto& [k, v] : r.labels) {
        argv.emplace_back("--label");
        argv.push_back(k + "=" + v);
    }
    for (const auto& t : r.tags) {
        argv.emplace_back("-t");
        argv.push_back(t);
    }
}

// `<binary> <subcommand> --format docker -f F [--ignorefile I] ... CONTEXT`. Docker format
// (not OCI): OCI image configs have no HEALTHCHECK, so buildah/podman would drop it.
inline Command containers_build(const std::string& binary, const char* subcommand, const ImageBuildRequest& r) {
    Command c;
    c.argv = {binary, subcommand, "--format", "docker", "-f", r.dockerfile};
    if (!r.ignorefile.empty()) {
        c.argv.emplace_back("--ignorefile");
        c.argv.push_back(r.ignorefile);
    }
    append_build_flags(c.argv, r);
    c.argv.push_back(r.context);
    return c;
}

// `<binary> push [--tls-verify=false] --digestfile F IMAGE docker://IMAGE`.
inline Command containers_push(const std::string& binary, const ImagePushRequest& r) {
    Command c;
    c.argv = {binary, "push"};
    if (!r.tls_verify) c.argv.emplace_back("--tls-verify=false");
    c.argv.emplace_back("--digestfile");
    c.argv.push_back(r.digest_file.string());
    c.argv.push_back(r.image);
    c.argv.push_back("docker://" + r.image);
    return c;
}

// `<binary> login [--tls-verify=false] --username U --password-stdin REGISTRY`, password on stdin.
inline Command containers_login(const std::string& binary, const RegistryLoginRequest& r) {
    Command c;
    c.argv = {binary, "login"};
    if (!r.tls_verify) c.argv.emplace_back("--tls-verify=false");
    c.argv.emplace_back("--username");
    c.argv.push_back(r.username);
    c.argv.emplace_back("--password-stdin");
    c.argv.push_back(r.registry);
    c.stdin_data = r.password + "\n";
    return c;
}

}  // namespace coconut::platform::builders::detail
