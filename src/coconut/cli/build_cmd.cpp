#include <cstdlib>
#include <ctime>
#include <iostream>

#include "coconut/actions/build.hpp"
#include "coconut/cli/command.hpp"
#include "coconut/platform/builders/image_builder.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::cli {
namespace {

std::string env_or(const char* name, std::string fallback = {}) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::move(fallback);
}

// SOURCE_DATE_EPOCH (reproducible builds) as the image's created time, when set.
std::string created_from_source_date_epoch() {
    const std::string epoch = env_or("SOURCE_DATE_EPOCH");
    if (epoch.empty() || epoch.find_first_not_of("0123456789") != std::string::npos) return {};
    const std::time_t t = static_cast<std::time_t>(std::strtoll(epoch.c_str(), nullptr, 10));
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

class BuildCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("build", "Build (and push) the images of the services with a `build:` block");
        sub->add_option("services", m_options.services, "Services to build (default: every service with `build:`)");
        sub->add_option("-f,--file", m_options.file, "Spec file")->capture_default_str();
        sub->add_flag("--push", m_options.push, "Push the images and record their digests in coconut.lock");
        sub->add_option("--registry", m_options.registry, "Registry/repository prefix (default: the spec's `registry`)");
        sub->add_option("--tag", m_options.tag, "Tag instead of the default ones (the version and the git commit)");
        sub->add_option("--builder", m_options.builder,
                        "Image builder (default: the first found of " +
                            util::join(platform::builders::BuilderRegistry::instance().names(), ", ") + ")")
            ->check(CLI::IsMember(platform::builders::BuilderRegistry::instance().names()));
        sub->add_flag("--insecure-registry", m_options.insecure_registry,
                      "Push over plain HTTP / without verifying TLS (automatic for 127.0.0.1 and localhost)");
        sub->add_option("--registry-user", m_options.registry_username,
                        "Log in as this user before pushing; the password is read from COCONUT_REGISTRY_PASSWORD "
                        "(default user: COCONUT_REGISTRY_USER)");
        sub->add_option("--format", m_format, "Output format of the list of images")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        sub->add_flag("-q,--quiet", m_quiet, "Do not stream the builder's output");
        sub->footer(
            "Images are tagged <registry>/<app>-<service>:<version> and :<git commit> (\"-dirty\" when the work "
            "tree has changes). With --push the pushed digests are written to coconut.lock beside the spec; "
            "`coconut generate` then pins those images by digest.");
        return sub;
    }

    int run(Context& context) override {
        if (m_options.registry_username.empty()) m_options.registry_username = env_or("COCONUT_REGISTRY_USER");
        m_options.registry_password = env_or("COCONUT_REGISTRY_PASSWORD");
        m_options.created = created_from_source_date_epoch();

        actions::BuildEvents events;
        events.on_step = [](std::string_view service, std::string_view message) {
            std::cerr << "==> " << service << ": " << message << "\n";
        };
        if (!m_quiet)
            events.on_output = [](std::string_view service, std::string_view line, bool) {
                std::cerr << "[" << service << "] " << line << "\n";
            };
        auto r = actions::BuildAction(m_options, context.runner, std::move(events)).run();
        if (!r) return report(r.error());
        if (!r->problems.empty()) {
            print_problems(r->problems);
            return finish(k_exit_usage);
        }
        for (const auto& note : r->notes) std::cerr << "coconut: note: " << note << "\n";
        if (m_format == "json") {
            nlohmann::ordered_json images = nlohmann::ordered_json::array();
            for (const auto& i : r->images) {
                nlohmann::ordered_json j{{"service", i.service}, {"repository", i.repository}, {"tags", i.tags}};
                if (!i.digest.empty()) j["digest"] = i.digest;
                j["reference"] = i.reference();
                images.push_back(std::move(j));
            }
            nlohmann::ordered_json out{{"builder", r->builder}, {"commit", r->commit}, {"images", images}};
            if (!r->lock_file.empty()) out["lock_file"] = r->lock_file;
            std::cout << out.dump(2) << "\n";
        } else {
            for (const auto& i : r->images) std::cout << i.service << " " << i.reference() << "\n";
        }
        if (!r->lock_file.empty()) std::cerr << "recorded " << r->images.size() << " digest(s) in " << r->lock_file << "\n";
        return finish(k_exit_ok);
    }

private:
    actions::BuildOptions m_options;
    std::string m_format = "text";
    bool m_quiet = false;
};

COCONUT_REGISTER_COMMAND(BuildCommand, 25);

}  // namespace
}  // namespace coconut::cli
