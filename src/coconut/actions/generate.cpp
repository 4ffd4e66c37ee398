#include "coconut/actions/generate.hpp"

#include <algorithm>
#include <filesystem>

#include "coconut/spec/lock.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"

#include <nlohmann/json.hpp>

namespace coconut::actions {

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

    // Targets the spec does not enable: skipped when none was named, an error when one was.
    if (m_options.targets.empty()) {
        std::erase_if(generators, [&](const generate::Generator* g) { return !g->enabled(base); });
    } else {
        for (const auto* g : generators)
            if (!g->enabled(base))
                return util::fail(util::ErrorCode::Usage, "target " + std::string(g->name()) +
                                                              " is not enabled by " + m_options.file + ": " +
                                                              std::string(g->enable_hint()));
    }

    const std::string source_name = std::filesystem::path(m_options.file).filename().string();
    generate::GenerateInput input{base, resolved, source_name};
    // A target whose files each hold every environment (a Copilot service manifest's
    // `environments:`) gets them all even under --env: a subset would drop the others' settings.
    std::vector<spec::Spec> every;
    if (resolved.size() < base.environments.size() &&
        std::any_of(generators.begin(), generators.end(),
                    [](const generate::Generator* g) { return g->needs_every_environment(); })) {
        for (const auto& e : base.environments) {
            TRY(spec, loaded.spec.resolve(e));
            pin(spec);
            every.push_back(std::move(spec));
        }
    }
    generate::GenerateInput every_input{base, every, source_name};
    std::vector<OwnedRoot> produced;
    for (const auto* g : generators) {
        const std::size_t first_root = result.artifacts.roots().size();
        TRY_VOID(g->generate(g->needs_every_environment() && !every.empty() ? every_input : input, result.artifacts));
        result.targets.emplace_back(g->name());
        for (std::size_t i = first_root; i < result.artifacts.roots().size(); ++i) {
            const std::string& dir = result.artifacts.roots()[i];
            produced.push_back({dir, std::string(g->name()), result.artifacts.root_environment(dir)});
        }
    }
    if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted");

    // Roots a previous run wrote (recorded in the output directory) that this run no longer
    // produces: a removed environment's overlay, a removed service's docker/<svc>.
    const std::filesystem::path manifest_path = std::filesystem::path(m_options.output_dir) / k_owned_roots_file;
    std::vector<OwnedRoot> previous;
    if (auto text = util::read_file(manifest_path)) {
        auto parsed = parse_owned_roots(*text);
        if (parsed) previous = std::move(*parsed);
        else result.warnings.push_back(manifest_path.string() + ": " + parsed.error().message + "; no stale directory was removed");
    }
    OwnedRootsPlan plan = plan_owned_roots(previous, produced, result.targets, result.environments, base.environments);
    result.removed = plan.remove;
    if (m_options.dry_run) return result;

    std::vector<std::pair<std::string, std::string>> files;
    files.reserve(result.artifacts.size() + 1);
    for (const auto* a : result.artifacts.all()) files.emplace_back(a->path, a->content);
    files.emplace_back(k_owned_roots_file, owned_roots_json(plan.keep));
    TRY_VOID(util::write_tree_atomic(m_options.output_dir, files, result.artifacts.roots(), plan.remove));
    result.written = true;
    return result;
}

bool is_safe_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.back() == '/') return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, slash - start);
        if (part.empty() || part == "." || part == ".." || part.find('\\') != std::string_view::npos) return false;
        start = slash + 1;
    }
    return true;
}

util::Expected<std::vector<OwnedRoot>> parse_owned_roots(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("roots") || !j["roots"].is_array())
        return util::fail(util::ErrorCode::Input, "not a coconut owned-roots file (expected {\"roots\": [...]})");
    std::vector<OwnedRoot> roots;
    for (const auto& r : j["roots"]) {
        if (!r.is_object() || !r.contains("path") || !r["path"].is_string() || !r.contains("target") ||
            !r["target"].is_string())
            return util::fail(util::ErrorCode::Input, "a root without a path and a target");
        OwnedRoot root{r["path"].get<std::string>(), r["target"].get<std::string>(),
                       r.contains("environment") && r["environment"].is_string() ? r["environment"].get<std::string>() : ""};
        // Only ever remove what coconut itself could have written: a relative path inside the
        // output directory, never the directory itself, never "..".
        if (!is_safe_relative_path(root.path) || util::starts_with(root.path, ".coconut"))
            return util::fail(util::ErrorCode::Input, "unsafe root path '" + root.path + "'");
        roots.push_back(std::move(root));
    }
    return roots;
}

std::string owned_roots_json(const std::vector<OwnedRoot>& roots) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : roots) {
        nlohmann::ordered_json j{{"path", r.path}, {"target", r.target}};
        if (!r.environment.empty()) j["environment"] = r.environment;
        list.push_back(std::move(j));
    }
    nlohmann::ordered_json doc{{"comment", "directories coconut generate owns here: replaced whole on every run, removed "
                                           "when no longer generated; do not edit"},
                               {"roots", std::move(list)}};
    return doc.dump(2) + "\n";
}

OwnedRootsPlan plan_owned_roots(const std::vector<OwnedRoot>& previous, const std::vector<OwnedRoot>& produced,
                                const std::vector<std::string>& targets_run,
                                const std::vector<std::string>& environments_generated,
                                const std::vector<std::string>& spec_environments) {
    auto contains = [](const std::vector<std::string>& v, const std::string& x) {
        return std::find(v.begin(), v.end(), x) != v.end();
    };
    OwnedRootsPlan plan;
    plan.keep = produced;
    for (const auto& old : previous) {
        const bool still_produced = std::any_of(produced.begin(), produced.end(), [&](const OwnedRoot& r) { return r.path == old.path; });
        if (still_produced) continue;
        // Another target's root, or an environment this run did not generate but the spec still
        // has: not this run's business, so it stays recorded.
        const bool target_ran = contains(targets_run, old.target);
        const bool environment_covered = old.environment.empty() || contains(environments_generated, old.environment) ||
                                         !contains(spec_environments, old.environment);
        if (target_ran && environment_covered) {
            if (!contains(plan.remove, old.path)) plan.remove.push_back(old.path);
        } else {
            plan.keep.push_back(old);
        }
    }
    std::sort(plan.keep.begin(), plan.keep.end(), [](const OwnedRoot& a, const OwnedRoot& b) { return a.path < b.path; });
    std::sort(plan.remove.begin(), plan.remove.end());
    return plan;
}

}  // namespace coconut::actions
