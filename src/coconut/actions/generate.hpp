#pragma once
// `coconut generate`: spec -> artifacts of the selected targets and environments -> disk.
#include <string>
#include <vector>

#include "coconut/actions/spec_file.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

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
    std::vector<std::string> removed;       // stale roots removed (dry run: that would be removed)
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

// The directories `generate` owns in an output directory are recorded there, so a later run can
// remove the ones it no longer produces (an environment or a service taken out of the spec).
inline constexpr const char* k_owned_roots_file = ".coconut-generated.json";

struct OwnedRoot {
    std::string path;          // relative to the output directory, e.g. "k8s/overlays/staging"
    std::string target;        // the generator that wrote it
    std::string environment;   // the environment it belongs to; empty: all
};

// Parses the owned-roots file; Input error when it is malformed or names a path that coconut
// could not have written (absolute, "..", the output directory itself).
util::Expected<std::vector<OwnedRoot>> parse_owned_roots(std::string_view text);
std::string owned_roots_json(const std::vector<OwnedRoot>& roots);

struct OwnedRootsPlan {
    std::vector<OwnedRoot> keep;       // recorded after this run
    std::vector<std::string> remove;   // stale roots to delete
};
// A previous root is stale when this run ran its target, did not produce it again, and it is
// not an environment this run skipped (-e) that the spec still has.
OwnedRootsPlan plan_owned_roots(const std::vector<OwnedRoot>& previous, const std::vector<OwnedRoot>& produced,
                                const std::vector<std::string>& targets_run,
                                const std::vector<std::string>& environments_generated,
                                const std::vector<std::string>& spec_environments);

// True for "a/b": relative, no empty, "." or ".." component.
bool is_safe_relative_path(std::string_view path);

}  // namespace coconut::actions
