#include "coconut/actions/generate.hpp"

#include <algorithm>
#include <filesystem>

#include "coconut/spec/lock.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

Loaded load_spec(const std::string& file) {
    auto r = spec::load_file(file);
    return Loaded{std::move(r.problems), std::move(r.spec)};
}

namespace {

std::string unknown_name_message(std::string_view what, const std::string& name, const std::vector<std::string>& known) {
    std::string msg = "unknown " + std::string(what) + " '" + name + "'";
    if (auto s = util::closest_match(name, known)) msg += "; did you mean '" + *s + "'?";
    msg += " (" + std::string(what) + "s: " + (known.empty() ? std::string("none") : util::join(known, ", ")) + ")";
    return msg;
}

}  // namespace

util::Expected<GenerateResult> GenerateAction::run() const {
    GenerateResult result;
    // Targets first: a typo in a flag is reported before the spec is even read.
    const auto& registry = generate::Registry::instance();
    std::vector<const generate::Generator*> generators;
    if (m_options.targets.empty()) {
        generators = registry.all();
    } else {
        for (const auto& t : m_options.targets) {
            const auto* g = registry.find(t);
            if (!g) return util::fail(util::ErrorCode::Usage, unknown_name_message("target", t, registry.names()));
            if (std::find(generators.begin(), generators.end(), g) == generators.end()) generators.push_back(g);
        }
    }

    auto loaded = load_spec(m_options.file);
    if (!loaded.problems.empty()) {
        result.problems = std::move(loaded.problems);
        return result;
    }
    // Pin built images by the digests `coconut build --push` recorded (coconut.lock beside the spec).
    TRY(lock, spec::read_lock(spec::lock_path_for(m_options.file)));
    auto pin = [&](spec::Spec& s) {
        for (auto& note : spec::apply_lock(s, lock))
            if (std::find(result.warnings.begin(), result.warnings.end(), note) == result.warnings.end())
                result.warnings.push_back(std::move(note));
    };
    spec::Spec base = loaded.spec.base();
    pin(base);

    std::vector<std::string> envs = m_options.environments;
    if (envs.empty()) envs = base.environments;
    std::vector<spec::Spec> resolved;
    for (const auto& e : envs) {
        if (std::find(base.environments.begin(), base.environments.end(), e) == base.environments.end())
            return util::fail(util::ErrorCode::Usage, unknown_name_message("environment", e, base.environments));
        if (std::find(result.environments.begin(), result.environments.end(), e) != result.environments.end()) continue;
        TRY(spec, loaded.spec.resolve(e));
        pin(spec);
        resolved.push_back(std::move(spec));
        result.environments.push_back(e);
    }

    generate::GenerateInput input{base, resolved, std::filesystem::path(m_options.file).filename().string()};
    for (const auto* g : generators) {
        TRY_VOID(g->generate(input, result.artifacts));
        result.targets.emplace_back(g->name());
    }
    if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted");
    if (m_options.dry_run) return result;

    std::vector<std::pair<std::string, std::string>> files;
    files.reserve(result.artifacts.size());
    for (const auto* a : result.artifacts.all()) files.emplace_back(a->path, a->content);
    TRY_VOID(util::write_tree_atomic(m_options.output_dir, files, result.artifacts.roots()));
    result.written = true;
    return result;
}

}  // namespace coconut::actions
