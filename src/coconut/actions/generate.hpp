#pragma once
// `coconut generate`: spec -> artifacts of the selected targets and environments -> disk.
#include <string>
#include <vector>

#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

// The outcome of loading a spec file: either problems (exit 2) or a loaded spec.
struct Loaded {
    std::vector<spec::Problem> problems;
    spec::LoadedSpec spec;
};
Loaded load_spec(const std::string& file);

struct GenerateOptions {
    std::string file = "coconut.yaml";
    std::vector<std::string> targets;       // empty: every registered target
    std::vector<std::string> environments;  // empty: every environment of the spec
    std::string output_dir = "deploy";
    bool dry_run = false;
};

struct GenerateResult {
    std::vector<spec::Problem> problems;    // spec problems (nothing generated)
    generate::ArtifactSet artifacts;
    std::vector<std::string> targets;       // targets that ran
    std::vector<std::string> environments;  // environments generated
    std::vector<std::string> warnings;      // e.g. coconut.lock entries that could not pin an image
    bool written = false;
};

class GenerateAction {
public:
    explicit GenerateAction(GenerateOptions options) : m_options(std::move(options)) {}
    // Fails (exit 2) on unknown targets/environments; spec problems come back in the result.
    util::Expected<GenerateResult> run() const;

private:
    GenerateOptions m_options;
};

}  // namespace coconut::actions
