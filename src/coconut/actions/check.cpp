#include "coconut/actions/check.hpp"

#include <algorithm>
#include <filesystem>
#include <new>

#include "coconut/actions/generate.hpp"
#include "coconut/actions/spec_file.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/policy/kyverno/kyverno.hpp"
#include "coconut/policy/schema/validator.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

namespace fs = std::filesystem;

namespace {

policy::PssLevel to_level(spec::Profile p) {
    return p == spec::Profile::Baseline ? policy::PssLevel::Baseline : policy::PssLevel::Restricted;
}

// The spec's policy settings: profile, custom policy paths (relative to the spec), exceptions.
util::Expected<void> use_spec(const spec::Spec& base, const std::string& spec_file, const std::string& environment,
              policy::CheckOptions& engine, std::vector<std::string>& policy_paths) {
    engine.profile = to_level(base.policies.profile);
    // An exception naming no rule would silently suppress nothing: say so (did you mean…).
    std::vector<std::string> ids;
    for (const policy::Rule* r : policy::RuleRegistry::instance().all()) ids.push_back(r->info().id);
    for (std::size_t i = 0; i < base.policies.exceptions.size(); ++i) {
        const std::string& rule = base.policies.exceptions[i].rule;
        if (policy::RuleRegistry::instance().find(rule) != nullptr) continue;
        std::string message = spec_file + ": policies.exceptions[" + std::to_string(i) + "].rule: unknown rule '" +
                              rule + "'";
        if (auto near = util::closest_match(rule, ids)) message += " (did you mean '" + *near + "'?)";
        return util::fail(util::ErrorCode::Input, message + "; see 'coconut rules list'");
    }
    const fs::path spec_dir = fs::path(spec_file).parent_path();
    for (const auto& custom : base.policies.custom) policy_paths.push_back((spec_dir / custom).string());
    for (const auto& e : base.policies.exceptions) {
        // An exception scoped to one environment applies when that environment is checked
        // (--env, e.g. for `kubectl kustomize overlays/dev | coconut check - -e dev`).
        if (!e.environment.empty() && e.environment != environment) continue;
        if (e.service.empty()) {
            engine.exceptions.push_back({e.rule, "", e.reason, "spec"});
        } else {
            // Generated objects are named after their service; Dockerfiles live in docker/<svc>/,
            // Copilot manifests in copilot/<svc>/, Ansible roles in ansible/roles/<svc>/.
            engine.exceptions.push_back({e.rule, "*/*/" + e.service, e.reason, "spec"});
            engine.exceptions.push_back({e.rule, "*docker/" + e.service + "/*", e.reason, "spec"});
            engine.exceptions.push_back({e.rule, "*copilot/" + e.service + "/*", e.reason, "spec"});
            engine.exceptions.push_back({e.rule, "*ansible/roles/" + e.service + "/*", e.reason, "spec"});
        }
    }
    return {};
}

// The repository root: the nearest directory at or above `cwd` holding .git (a directory, or a
// file in worktrees and submodules); `cwd` itself outside git.
std::string repository_root(const fs::path& cwd) {
    std::error_code ec;
    for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
        if (fs::exists(dir / ".git", ec)) return dir.string();
        if (dir == dir.parent_path()) break;
    }
    return cwd.string();
}

}  // namespace

util::Expected<CheckResult> CheckAction::run() const {
    const CheckOptions& options = m_options;
    std::error_code ec;
    if (options.paths.empty() && !fs::exists(options.spec_file, ec))
        return util::fail(util::ErrorCode::Usage,
                          "nothing to check: no PATH given and no spec at " + options.spec_file +
                              " (pass files or directories, '-' for stdin, or -f SPEC to check what it generates)");
    const auto& frameworks = policy::report::frameworks();
    if (!options.compliance.empty() &&
        std::none_of(frameworks.begin(), frameworks.end(), [&](const auto& f) { return f.first == options.compliance; }))
        return util::fail(util::ErrorCode::Usage, "--compliance: unknown framework '" + options.compliance + "'");
    CheckResult result;
    policy::Inputs inputs;
    policy::CheckOptions engine;
    std::vector<std::string> policy_paths = options.policy_paths;
    engine.profile = policy::PssLevel::Restricted;

    if (options.paths.empty()) {
        // The artifacts coconut would generate from the spec, checked in memory.
        GenerateOptions gen;
        gen.file = options.spec_file;
        gen.dry_run = true;
        gen.targets = {"kubernetes", "dockerfile"};
        // The Copilot manifests and the Ansible tree too when the spec enables those targets (a
        // spec with problems adds nothing here: the generate action reports them). The Helm
        // chart is Go-template text (check `helm template` output), the ECS files are JSON inputs
        // of the AWS CLI that no rule reads (tests/integration/ecs.sh validates them).
        const Loaded loaded = load_spec(options.spec_file);
        for (const char* name : {"copilot", "ansible"})
            if (const auto* g = generate::Registry::instance().find(name);
                loaded.problems.empty() && g != nullptr && g->enabled(loaded.spec.base()))
                gen.targets.emplace_back(name);
        TRY(generated, GenerateAction(gen).run());
        if (!generated.problems.empty()) {
            result.problems = std::move(generated.problems);
            return result;
        }
        for (const generate::Artifact* a : generated.artifacts.all())
            if (a->kind == "kubernetes-manifest" || a->kind == "dockerfile" || a->kind == "copilot-manifest" ||
                a->kind == "ansible-playbook" || a->kind == "ansible-tasks")
                inputs.add_text(gen.output_dir + "/" + a->path, a->content, true);
        TRY_VOID(use_spec(loaded.spec.base(), options.spec_file, options.environment, engine, policy_paths));
    } else {
        for (const auto& path : options.paths) TRY_VOID(inputs.add_path(path, options.follow_symlinks));
        if (options.use_spec_in_path_mode) {
            Loaded loaded = load_spec(options.spec_file);
            if (!loaded.problems.empty()) {
                result.problems = std::move(loaded.problems);
                return result;
            }
            TRY_VOID(use_spec(loaded.spec.base(), options.spec_file, options.environment, engine, policy_paths));
        }
    }

    if (options.profile == "baseline") engine.profile = policy::PssLevel::Baseline;
    else if (options.profile == "restricted") engine.profile = policy::PssLevel::Restricted;
    else if (!options.profile.empty())
        return util::fail(util::ErrorCode::Usage, "--profile must be baseline or restricted, not '" + options.profile + "'");

    for (const auto& text : options.ignore) {
        policy::Suppression s = policy::parse_suppression(text);
        if (s.rules.empty()) return util::fail(util::ErrorCode::Usage, "--ignore needs a rule id: '" + text + "'");
        for (const auto& rule : s.rules) {
            if (rule != "*" && policy::RuleRegistry::instance().find(rule) == nullptr && rule.find('/') == std::string::npos)
                return util::fail(util::ErrorCode::Usage, "--ignore: unknown rule '" + rule +
                                                              "' (see 'coconut rules list'; aliases like "
                                                              "kube-linter:privileged-container work too)");
            engine.exceptions.push_back({rule, "", s.reason, "flag"});
        }
    }
    if (!options.schemas_dir.empty()) {
        TRY(schemas, policy::schema::SchemaSet::open(options.schemas_dir));
        engine.extra.emplace_back([schemas](const std::vector<policy::Document>& docs, std::vector<policy::Finding>& out) {
            schemas->validate(docs, out);
        });
    }
    if (!policy_paths.empty()) {
        TRY(policies, policy::kyverno::load(policy_paths));
        engine.extra.emplace_back([policies](const std::vector<policy::Document>& docs, std::vector<policy::Finding>& out) {
            policy::kyverno::evaluate(*policies, docs, out);
        });
    }

    if (inputs.error()) return tl::unexpected(*inputs.error());
    if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted; nothing was reported");
    try {
        result.findings = policy::run_checks(inputs, engine);
    } catch (const policy::CheckAborted& e) {
        return util::fail(util::ErrorCode::Internal, e.what());
    } catch (const std::bad_alloc&) {
        return util::fail(util::ErrorCode::Internal, "out of memory while checking; nothing was reported");
    }
    if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted; nothing was reported");
    result.summary = policy::report::summarize(result.findings, options.fail_on);
    result.summary.files = inputs.file_count();
    result.summary.documents = inputs.documents().size();
    result.summary.bytes = inputs.bytes();
    std::size_t rules = 0;
    for (const policy::Rule* r : policy::RuleRegistry::instance().all()) {
        const auto pss = r->info().pss;
        if (pss == policy::PssLevel::Restricted && engine.profile == policy::PssLevel::Baseline) continue;
        ++rules;
    }
    result.summary.rules = rules;
    if (!options.compliance.empty()) result.compliance = policy::report::compliance(options.compliance, result.findings);
    ec.clear();
    const fs::path cwd = fs::current_path(ec);
    if (!ec) {
        result.working_dir = cwd.string();
        result.root_dir = repository_root(cwd);
    }
    return result;
}

}  // namespace coconut::actions
