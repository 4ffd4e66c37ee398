#include <filesystem>
#include <iostream>

#include "coconut/actions/generate.hpp"
#include "coconut/cli/command.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::cli {
namespace {

class GenerateCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("generate", "Generate the artifacts of every target from coconut.yaml");
        sub->add_option("-f,--file", m_options.file, "Spec file")->capture_default_str();
        sub->add_option("-t,--target", m_options.targets,
                        "Target to generate, repeatable (default: all of: " +
                            util::join(generate::Registry::instance().names(), ", ") + ")");
        sub->add_option("-e,--env", m_options.environments, "Environment to generate, repeatable (default: all)");
        sub->add_option("-o,--output-dir", m_options.output_dir, "Output directory")->capture_default_str();
        sub->add_flag("--dry-run", m_options.dry_run, "List the files that would be written; write nothing");
        sub->add_option("--format", m_format, "Output format of --dry-run's list")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        return sub;
    }

    int run(Context&) override {
        auto r = actions::GenerateAction(m_options).run();
        if (!r) return report(r.error());
        if (!r->problems.empty()) {
            print_problems(r->problems);
            return finish(k_exit_usage);
        }
        for (const auto& w : r->warnings) std::cerr << "coconut: warning: " << w << "\n";
        if (m_options.dry_run) {
            if (m_format == "json") {
                nlohmann::ordered_json files = nlohmann::ordered_json::array();
                for (const auto* a : r->artifacts.all())
                    files.push_back({{"path", a->path}, {"kind", a->kind}, {"bytes", a->content.size()}});
                std::cout << nlohmann::ordered_json{{"output_dir", m_options.output_dir}, {"files", files}}.dump(2) << "\n";
            } else {
                for (const auto* a : r->artifacts.all())
                    std::cout << (std::filesystem::path(m_options.output_dir) / a->path).string() << "\n";
            }
            for (const auto& dir : r->removed)
                std::cerr << "dry run: would remove " << (std::filesystem::path(m_options.output_dir) / dir).string()
                          << " (no longer generated)\n";
            std::cerr << "dry run: " << r->artifacts.size() << " files would be written; nothing was written\n";
        } else {
            std::cerr << "wrote " << r->artifacts.size() << " files to " << m_options.output_dir << " (targets: "
                      << util::join(r->targets, ", ") << "; environments: "
                      << (r->environments.empty() ? std::string("none") : util::join(r->environments, ", ")) << ")\n";
            for (const auto& dir : r->removed)
                std::cerr << "removed " << (std::filesystem::path(m_options.output_dir) / dir).string()
                          << " (no longer generated)\n";
        }
        return finish(k_exit_ok);
    }

private:
    actions::GenerateOptions m_options;
    std::string m_format = "text";
};

COCONUT_REGISTER_COMMAND(GenerateCommand, 20);

}  // namespace
}  // namespace coconut::cli
