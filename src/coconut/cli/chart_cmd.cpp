#include <iostream>

#include "coconut/actions/chart.hpp"
#include "coconut/cli/command.hpp"

namespace coconut::cli {
namespace {

class ChartCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("chart", "Package the Helm chart and push it to an OCI registry (with helm)");
        sub->require_subcommand(1);

        m_package = sub->add_subcommand("package", "Generate, lint and package the Helm chart into a .tgz");
        add_common(m_package);
        m_package->add_option("-o,--output-dir", m_options.output_dir, "Directory for the .tgz")->capture_default_str();

        m_push = sub->add_subcommand("push", "Generate, lint and package the Helm chart, then push it (helm push)");
        add_common(m_push);
        m_push->add_option("destination", m_options.destination, "oci://REGISTRY/REPOSITORY")->required();
        m_push->add_flag("--plain-http", m_options.plain_http, "Use plain HTTP (a registry without TLS)");
        m_push->add_flag("--insecure-skip-tls-verify", m_options.insecure_skip_tls_verify,
                         "Do not verify the registry's TLS certificate");
        m_push->footer(
            "Needs Helm >= 3.8. Log in first with `helm registry login REGISTRY` when the registry requires it; "
            "coconut never handles the credentials. Pull the chart back with "
            "`helm install RELEASE oci://REGISTRY/REPOSITORY/<app> --version <version>`.");
        return sub;
    }

    int run(Context& context) override {
        actions::ChartEvents events;
        if (!m_quiet) events.on_step = [](std::string_view message) { std::cerr << "==> " << message << "\n"; };
        actions::ChartAction action(m_options, context.runner, std::move(events));
        const bool push = m_push->parsed();
        auto r = push ? action.push() : action.package();
        if (!r) return report(r.error());
        if (!r->problems.empty()) {
            print_problems(r->problems);
            return finish(k_exit_usage);
        }
        if (m_format == "json") {
            nlohmann::ordered_json out{{"chart", r->chart}, {"version", r->version}, {"helm", r->helm_version}};
            if (!r->package.empty()) out["package"] = r->package;
            if (!r->reference.empty()) out["reference"] = r->reference;
            if (!r->digest.empty()) out["digest"] = r->digest;
            std::cout << out.dump(2) << "\n";
        } else if (push) {
            std::cout << r->reference << (r->digest.empty() ? "" : "@" + r->digest) << "\n";
        } else {
            std::cout << r->package << "\n";
        }
        return finish(k_exit_ok);
    }

private:
    void add_common(CLI::App* sub) {
        sub->add_option("-f,--file", m_options.file, "Spec file")->capture_default_str();
        sub->add_option("--helm", m_options.helm, "The helm binary (a name in PATH, or a path)")->capture_default_str();
        sub->add_flag("--no-lint", [this](std::int64_t) { m_options.lint = false; },
                      "Skip `helm lint --strict` of the generated chart");
        sub->add_option("--format", m_format, "Output format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
        sub->add_flag("-q,--quiet", m_quiet, "Do not print the steps");
    }

    actions::ChartOptions m_options;
    CLI::App* m_package = nullptr;
    CLI::App* m_push = nullptr;
    std::string m_format = "text";
    bool m_quiet = false;
};

COCONUT_REGISTER_COMMAND(ChartCommand, 27);

}  // namespace
}  // namespace coconut::cli
