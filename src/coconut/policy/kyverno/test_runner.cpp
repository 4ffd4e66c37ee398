// Kyverno CLI test files (`kyverno test DIR`): policies, resources and expected results per
// (policy, rule, resource), run through our engine and compared case by case.
#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/kyverno/kyverno.hpp"
#include "coconut/policy/kyverno/model.hpp"
#include "coconut/util/fs.hpp"

namespace coconut::policy::kyverno {

namespace fs = std::filesystem;

std::size_t TestReport::agreed() const {
    return static_cast<std::size_t>(
        std::count_if(cases.begin(), cases.end(), [](const TestCase& c) { return c.agree; }));
}

namespace {

util::Error input_error(const std::string& file, const yaml::Node* at, const std::string& field,
                        const std::string& msg) {
    return util::Error{util::ErrorCode::Input,
                       yaml::format_mark(file, at != nullptr ? at->start : yaml::Mark{}) + ": " + field + ": " + msg,
                       file};
}

// One entry of a test file's `results`: a policy rule's expected outcome on some resources.
struct ExpectedResult {
    std::string policy, rule, kind, ns, result;
    std::vector<std::string> resources;   // `resource` and `resources`, each "name" or "ns/name"
};

util::Expected<std::vector<std::string>> path_list(const std::string& file, const yaml::Node* root, const char* key) {
    std::vector<std::string> out;
    const yaml::Node* n = root->find(key);
    if (n == nullptr) return out;
    if (!n->is_sequence()) return tl::unexpected(input_error(file, n, key, "must be a list of paths"));
    for (const auto* i : n->items) {
        if (!i->is_scalar()) return tl::unexpected(input_error(file, i, key, "must be a list of paths"));
        out.push_back(i->text);
    }
    return out;
}

// Only policies, resources and results are supported; the other test file fields are errors.
util::Expected<void> check_fields(const std::string& file, const yaml::Node& root) {
    for (const auto& p : root.pairs) {
        const std::string& k = p.key->text;
        if (k == "apiVersion" || k == "kind" || k == "metadata" || k == "name" || k == "policies" || k == "resources" ||
            k == "results")
            continue;
        if (k == "variables" || k == "userinfo" || k == "exceptions" || k == "values" || k == "context" ||
            k == "checks" || k == "targetResources" || k == "jsonPayload" || k == "clusterResources")
            return tl::unexpected(input_error(file, p.key, k,
                                              "`" + k +
                                                  "` in Kyverno test files is not supported (policies, resources "
                                                  "and results only)"));
        return tl::unexpected(input_error(file, p.key, k, "unknown test file field `" + k + "`"));
    }
    return {};
}

// The policies the test names, relative to its directory `base` (local files only).
util::Expected<std::shared_ptr<const PolicySet>> load_policies(const std::string& file, const fs::path& base,
                                                                const yaml::Node& root,
                                                                const std::vector<std::string>& paths) {
    if (paths.empty()) return tl::unexpected(input_error(file, &root, "policies", "a test needs policies"));
    std::vector<std::string> full;
    for (const auto& p : paths) {
        if (p.starts_with("http://") || p.starts_with("https://"))
            return tl::unexpected(
                input_error(file, root.find("policies"), "policies", "remote policies are not supported"));
        full.push_back((base / p).string());
    }
    return load(full);
}

// The resources the test names, relative to `base`; one that cannot be read fails the test file.
util::Expected<void> load_resources(const fs::path& base, const std::vector<std::string>& paths, Inputs& inputs) {
    for (const auto& r : paths) {
        fs::path rp = base / r;
        TRY(text, util::read_file(rp));
        inputs.add_text(rp.string(), std::move(text), true);
    }
    if (!inputs.parse_findings().empty()) {
        const auto& f = inputs.parse_findings().front();
        return util::fail(util::ErrorCode::Input,
                          yaml::format_mark(f.file, f.mark) + ": resource could not be read: " + f.message, f.file);
    }
    return {};
}

util::Expected<ExpectedResult> parse_result(const std::string& file, const yaml::Node* e, const std::string& field) {
    if (!e->is_mapping()) return tl::unexpected(input_error(file, e, field, "must be a map"));
    ExpectedResult x;
    for (const auto& p : e->pairs) {
        const std::string& k = p.key->text;
        const std::string& v = p.value->text;
        if (k == "policy")
            x.policy = v;
        else if (k == "rule")
            x.rule = v;
        else if (k == "kind")
            x.kind = v;
        else if (k == "namespace")
            x.ns = v;
        else if (k == "result" || k == "status")
            x.result = v;
        else if (k == "resource")
            x.resources.push_back(v);
        else if (k == "resources") {
            if (!p.value->is_sequence())
                return tl::unexpected(input_error(file, p.value, field + ".resources", "must be a list"));
            for (const auto* n : p.value->items) x.resources.push_back(n->text);
        } else if (k == "apiVersion" || k == "isValidatingAdmissionPolicy" || k == "isValidatingPolicy") {
            if (k != "apiVersion" && v == "true")
                return tl::unexpected(input_error(file, p.key, field + "." + k,
                                                  "ValidatingAdmissionPolicy / "
                                                  "ValidatingPolicy results are not supported"));
        } else if (k == "patchedResource" || k == "patchedResources" || k == "generatedResource" ||
                   k == "cloneSourceResource") {
            return tl::unexpected(
                input_error(file, p.key, field + "." + k,
                            "mutate/generate expectations are not supported (only validate rules)"));
        } else {
            return tl::unexpected(input_error(file, p.key, field + "." + k, "unknown result field `" + k + "`"));
        }
    }
    if (x.policy.empty() || x.rule.empty() || x.result.empty() || x.resources.empty())
        return tl::unexpected(input_error(file, e, field, "a result needs policy, rule, resource(s) and result"));
    if (x.result != "pass" && x.result != "fail" && x.result != "skip" && x.result != "warn" && x.result != "error")
        return tl::unexpected(input_error(file, e->find("result"), field + ".result",
                                          "result must be pass, fail, skip, warn or error"));
    return x;
}

util::Expected<std::vector<ExpectedResult>> parse_results(const std::string& file, const yaml::Node& root) {
    const yaml::Node* expected = root.find("results");
    if (expected == nullptr || !expected->is_sequence())
        return tl::unexpected(input_error(file, &root, "results", "a test needs a list of results"));
    std::vector<ExpectedResult> out;
    for (std::size_t i = 0; i < expected->items.size(); ++i) {
        TRY(x, parse_result(file, expected->items[i], "results[" + std::to_string(i) + "]"));
        out.push_back(std::move(x));
    }
    return out;
}

// Splits "ns/name" (namespace empty when there is no slash).
std::pair<std::string, std::string> split_namespaced(const std::string& ref) {
    const auto slash = ref.find('/');
    if (slash == std::string::npos) return {std::string(), ref};
    return {ref.substr(0, slash), ref.substr(slash + 1)};
}

// The policy a result names ("name" or "ns/name"; the last of that name wins), or null.
const Policy* find_policy(const PolicySet& policies, const std::string& ref) {
    const auto [ns, name] = split_namespaced(ref);
    const Policy* found = nullptr;
    for (const auto& p : policies.policies)
        if (p.name == name && (ns.empty() || p.ns == ns)) found = &p;
    return found;
}

bool has_rule(const Policy& policy, const std::string& rule) {
    return std::any_of(policy.rules.begin(), policy.rules.end(), [&](const auto& r) { return r.name == rule; });
}

// The documents a result's resource ("name" or "ns/name", else the result's namespace) names, of
// its kind when given; namespace "default" also names documents without one.
std::vector<const Document*> resources_named(const std::vector<Document>& documents, const ExpectedResult& x,
                                             const std::string& resource) {
    std::string name = resource;
    std::string ns = x.ns;
    if (const auto slash = name.find('/'); slash != std::string::npos) {
        ns = name.substr(0, slash);
        name = name.substr(slash + 1);
    }
    std::vector<const Document*> out;
    for (const auto& d : documents) {
        if (d.name != name) continue;
        if (!x.kind.empty() && d.kind != x.kind) continue;
        if (!ns.empty() && d.ns != ns && !(ns == "default" && d.ns.empty())) continue;
        out.push_back(&d);
    }
    return out;
}

int status_rank(const std::string& s) {
    if (s == "error") return 4;
    if (s == "fail") return 3;
    if (s == "warn") return 2;
    if (s == "pass") return 1;
    return 0;
}

// Our outcome of `rule` of `policy` on `docs`: the worst status among the results on any of
// them (several documents may share a name, e.g. a Pod and a Deployment), or "excluded" when
// the rule selects none of them.
void set_outcome(TestCase& c, const Policy& policy, const std::string& rule, const std::vector<const Document*>& docs,
                 const std::vector<RuleResult>& results) {
    c.actual = "excluded";
    c.message = "the rule does not match this resource (match/exclude)";
    bool any_matched = false;
    for (const auto& r : results) {
        if (r.policy != policy.name || r.rule != rule) continue;
        if (std::find(docs.begin(), docs.end(), r.document) == docs.end()) continue;
        if (!any_matched || status_rank(r.status) > status_rank(c.actual)) {
            c.actual = r.status;
            c.message = r.message;
        }
        any_matched = true;
    }
}

// One expected result on one resource, compared with ours.
TestCase judge(const std::string& file, const ExpectedResult& x, const std::string& resource, const Policy* policy,
               const std::vector<Document>& documents, const std::vector<RuleResult>& results) {
    TestCase c;
    c.test_file = file;
    c.policy = x.policy;
    c.rule = x.rule;
    c.kind = x.kind;
    c.resource = resource;
    c.expected = x.result;
    const auto docs = resources_named(documents, x, resource);
    if (policy == nullptr) {
        c.actual = "not found";
        c.message = "no policy named " + x.policy;
    } else if (!has_rule(*policy, x.rule)) {
        c.actual = "not found";
        c.message = "policy " + x.policy + " has no rule " + x.rule;
    } else if (docs.empty()) {
        c.actual = "not found";
        c.message = "no resource named " + resource + (x.kind.empty() ? "" : " of kind " + x.kind);
    } else {
        set_outcome(c, *policy, x.rule, docs, results);
    }
    // Kyverno CLI (since 1.11.2) lists a resource the rule does not select as
    // "Pass (Excluded)": it agrees with an expected pass, skip or warn, not with fail/error.
    c.agree = c.actual == c.expected ||
              (c.actual == "excluded" && (c.expected == "pass" || c.expected == "skip" || c.expected == "warn"));
    return c;
}

// One test document: load its policies and resources, apply, compare every expected result.
util::Expected<void> run_one(const fs::path& test_path, const yaml::Node& root, TestReport& report) {
    const std::string file = test_path.string();
    const fs::path base = test_path.parent_path();
    TRY_VOID(check_fields(file, root));
    TRY(policy_paths, path_list(file, &root, "policies"));
    TRY(resource_paths, path_list(file, &root, "resources"));
    TRY(policies, load_policies(file, base, root, policy_paths));
    Inputs inputs;
    TRY_VOID(load_resources(base, resource_paths, inputs));
    const auto results = apply(*policies, inputs.documents());
    TRY(expected, parse_results(file, root));
    for (const auto& x : expected) {
        const Policy* policy = find_policy(*policies, x.policy);
        for (const auto& resource : x.resources)
            report.cases.push_back(judge(file, x, resource, policy, inputs.documents(), results));
    }
    report.test_files.push_back(file);
    return {};
}

}  // namespace

util::Expected<TestReport> run_tests(const std::string& dir) {
    TestReport report;
    std::error_code ec;
    std::vector<fs::path> candidates;
    if (fs::is_regular_file(dir, ec)) {
        candidates.emplace_back(dir);
    } else if (fs::is_directory(dir, ec)) {
        for (fs::recursive_directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
            if (it->is_directory() && it->path().filename() == ".git") {
                it.disable_recursion_pending();
                continue;
            }
            auto ext = it->path().extension().string();
            if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) candidates.push_back(it->path());
        }
        if (ec) return util::fail(util::ErrorCode::Input, dir + ": " + ec.message(), dir);
    } else {
        return util::fail(util::ErrorCode::Input, dir + ": no such file or directory", dir);
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto& path : candidates) {
        const std::string fname = path.filename().string();
        const bool named = fname == "kyverno-test.yaml" || fname == "kyverno-test.yml";
        TRY(text, util::read_file(path));
        if (!named && text.find("cli.kyverno.io/") == std::string::npos) continue;
        yaml::Stream stream = yaml::parse(text, path.string());
        if (!stream.ok())
            return util::fail(
                util::ErrorCode::Input,
                yaml::format_mark(path.string(), stream.errors.front().mark) + ": " + stream.errors.front().message,
                path.string());
        for (const auto& doc : stream.documents) {
            const yaml::Node* root = doc.root();
            if (root == nullptr || !root->is_mapping()) continue;
            const yaml::Node* api = root->find("apiVersion");
            const yaml::Node* kind = root->find("kind");
            bool is_test = named && api == nullptr;
            if (api != nullptr && api->text.starts_with("cli.kyverno.io/")) {
                if (kind == nullptr || kind->text != "Test") continue;
                is_test = true;
            }
            if (!is_test) continue;
            TRY_VOID(run_one(path, *root, report));
        }
    }
    if (report.test_files.empty())
        return util::fail(util::ErrorCode::Input, dir + ": no Kyverno test files (kyverno-test.yaml) found", dir);
    return report;
}

}  // namespace coconut::policy::kyverno
