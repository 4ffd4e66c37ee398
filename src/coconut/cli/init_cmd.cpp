#include <filesystem>
#include <iostream>

#include "coconut/cli/command.hpp"
#include "coconut/policy/report/rules_doc.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::cli {
namespace {

class InitCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("init", "Write a commented starter coconut.yaml");
        sub->add_option("--name", m_name, "App name, a DNS-1123 label (default: the current directory's name)");
        sub->add_option("--service", m_service, "First service's name")->capture_default_str();
        sub->add_option("--type", m_type, "First service's type")
            ->check(CLI::IsMember({"web", "backend", "worker", "job"}))
            ->capture_default_str();
        sub->add_option("--port", m_port, "First service's port (0: none)")->check(CLI::Range(0, 65535))->capture_default_str();
        sub->add_option("-f,--file", m_file, "File to write")->capture_default_str();
        sub->add_flag("--force", m_force, "Overwrite an existing file");
        sub->add_flag("--stdout", m_stdout, "Print the starter spec instead of writing it");
        return sub;
    }

    int run() override {
        if (m_name.empty()) m_name = util::to_lower(std::filesystem::current_path().filename().string());
        if (!util::is_dns1123_label(m_name)) {
            print_error("--name '" + m_name +
                        "' is not a valid app name: use lower-case letters, digits and '-' (a DNS-1123 label, at most 63 characters)");
            return k_exit_usage;
        }
        if (!util::is_dns1123_label(m_service)) {
            print_error("--service '" + m_service +
                        "' is not a valid service name: use lower-case letters, digits and '-' (a DNS-1123 label)");
            return k_exit_usage;
        }
        spec::ServiceType type = m_type == "web"       ? spec::ServiceType::Web
                                 : m_type == "backend" ? spec::ServiceType::Backend
                                 : m_type == "worker"  ? spec::ServiceType::Worker
                                                       : spec::ServiceType::Job;
        std::string text = spec::starter_spec(m_name, m_service, type, m_port);
        if (m_stdout) {
            std::cout << text;
            return k_exit_ok;
        }
        std::error_code ec;
        if (std::filesystem::exists(m_file, ec) && !m_force) {
            print_error(m_file + " already exists; use --force to overwrite it, or --stdout to print the starter spec");
            return k_exit_usage;
        }
        auto path = std::filesystem::path(m_file);
        auto parent = path.parent_path();
        auto w = util::write_tree_atomic(parent.empty() ? std::filesystem::path(".") : parent,
                                         {{path.filename().string(), text}}, {});
        if (!w) return report(w.error());
        std::cerr << "wrote " << m_file << "; next: coconut validate -f " << m_file << "\n";
        return k_exit_ok;
    }

private:
    std::string m_name, m_service = "web", m_type = "web", m_file = "coconut.yaml";
    int m_port = 8080;
    bool m_force = false, m_stdout = false;
};

class DocsCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("docs", "Print reference documentation generated from the code");
        sub->require_subcommand(1);
        m_spec = sub->add_subcommand("spec", "The spec reference (docs/spec.md)");
        m_targets = sub->add_subcommand("targets", "The generator targets");
        m_rules = sub->add_subcommand("rules", "The policy rule reference (docs/rules.md)");
        return sub;
    }
    int run() override {
        if (m_spec->parsed()) std::cout << spec::reference_markdown();
        if (m_rules->parsed()) std::cout << policy::report::rules_markdown();
        if (m_targets->parsed())
            for (const auto* g : generate::Registry::instance().all()) std::cout << g->name() << "\t" << g->description() << "\n";
        return k_exit_ok;
    }

private:
    CLI::App* m_spec = nullptr;
    CLI::App* m_targets = nullptr;
    CLI::App* m_rules = nullptr;
};

COCONUT_REGISTER_COMMAND(InitCommand, 50);
COCONUT_REGISTER_COMMAND(DocsCommand, 60);

}  // namespace
}  // namespace coconut::cli
