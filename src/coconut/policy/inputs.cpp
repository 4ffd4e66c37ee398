// Loading `coconut check` inputs: walk paths (honouring .gitignore), detect each file's type by
// name and content, parse it, and normalise it into Documents (document.hpp).
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>

#include "coconut/policy/ansible/reader.hpp"
#include "coconut/policy/dockerfile/parser.hpp"
#include "coconut/policy/engine.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy {

namespace fs = std::filesystem;

struct Inputs::Storage {
    std::deque<SourceFile> files;
    std::deque<yaml::Stream> streams;
    std::deque<yaml::Document> synthetic;   // wrapper objects of non-Kubernetes documents
    std::deque<std::unique_ptr<dockerfile::Dockerfile>> dockerfiles;
    std::deque<std::unique_ptr<ansible::File>> ansible_files;
};

Inputs::Inputs() : m_storage(std::make_unique<Storage>()) {}
Inputs::~Inputs() = default;

std::size_t Inputs::file_count() const { return m_storage->files.size(); }

namespace {

// Copilot manifest types (https://aws.github.io/copilot-cli/docs/manifest/overview/).
const std::set<std::string, std::less<>> k_copilot_types = {
    "Load Balanced Web Service", "Backend Service", "Worker Service", "Request-Driven Web Service",
    "Scheduled Job", "Static Site", "Environment", "Pipeline"};

std::string base_name(std::string_view path) {
    const auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool named_like_dockerfile(std::string_view path) {
    const std::string name = base_name(path);
    const std::string lower = util::to_lower(name);
    return lower == "dockerfile" || lower == "containerfile" || util::ends_with(lower, ".dockerfile") ||
           util::ends_with(lower, ".containerfile") || util::starts_with(lower, "dockerfile.") ||
           util::starts_with(lower, "containerfile.");
}

bool named_like_yaml(std::string_view path) {
    const std::string lower = util::to_lower(base_name(path));
    return util::ends_with(lower, ".yaml") || util::ends_with(lower, ".yml");
}

bool looks_binary(std::string_view text) {
    return text.substr(0, 8192).find('\0') != std::string_view::npos;
}

std::string scalar_text(const yaml::Node* node) {
    return node != nullptr && node->is_scalar() ? node->text : std::string();
}

Finding engine_finding(const char* rule, Severity severity, std::string file, yaml::Mark mark,
                       std::string message) {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.file = std::move(file);
    f.mark = mark;
    f.message = std::move(message);
    return f;
}

}  // namespace

void Inputs::add_text(std::string path, std::string text, bool explicit_file) {
    m_bytes += text.size();
    if (looks_binary(text)) {
        if (explicit_file)
            m_parse_findings.push_back(engine_finding(k_parse_rule, Severity::High, path, {1, 1},
                                                      "binary file (NUL bytes): not a Kubernetes manifest, "
                                                      "Dockerfile, Ansible file, Copilot manifest or workflow"));
        return;
    }
    const bool yaml_name = named_like_yaml(path);
    const bool docker_name = named_like_dockerfile(path);
    if (!yaml_name && !docker_name && !dockerfile::looks_like_dockerfile(text)) {
        // Not named like anything we read: only YAML content can still be ours.
        if (!explicit_file) return;
    }

    SourceFile& file = m_storage->files.emplace_back(SourceFile{std::move(path), std::move(text)});

    // Wraps a non-Kubernetes document into {apiVersion, kind, metadata: {name}, spec: root}.
    auto wrap = [this](const std::string& kind, const std::string& name, const yaml::Node* root) {
        yaml::Document& arena = m_storage->synthetic.emplace_back();
        auto scalar = [&arena, root](const std::string& value) {
            yaml::Node* n = arena.make_node();
            n->text = value;
            n->start = root->start;
            n->end = root->start;
            return n;
        };
        yaml::Node* metadata = arena.make_node();
        metadata->kind = yaml::Kind::Mapping;
        metadata->start = root->start;
        metadata->pairs.push_back({scalar("name"), scalar(name)});
        yaml::Node* object = arena.make_node();
        object->kind = yaml::Kind::Mapping;
        object->start = root->start;
        object->end = root->end;
        object->pairs.push_back({scalar("apiVersion"), scalar("coconut.dev/v1")});
        object->pairs.push_back({scalar("kind"), scalar(kind)});
        object->pairs.push_back({scalar("metadata"), metadata});
        object->pairs.push_back({scalar("spec"), root});
        arena.set_root(object);
        return static_cast<const yaml::Node*>(object);
    };

    if (docker_name || (!yaml_name && dockerfile::looks_like_dockerfile(file.text))) {
        auto parsed = dockerfile::parse(file.text);
        for (const auto& e : parsed->errors)
            m_parse_findings.push_back(engine_finding(k_parse_rule, Severity::High, file.path, e.mark, e.message));
        Document doc;
        doc.file = &file;
        doc.input = InputType::Dockerfile;
        doc.api_version = "coconut.dev/v1";
        doc.kind = "Dockerfile";
        doc.name = file.path;
        doc.root = parsed->tree.root();
        doc.dockerfile = parsed.get();
        if (doc.root != nullptr) {
            doc.object = wrap(doc.kind, doc.name, doc.root);
            m_documents.push_back(std::move(doc));
        }
        m_storage->dockerfiles.push_back(std::move(parsed));
        return;
    }

    yaml::Stream& stream = m_storage->streams.emplace_back(yaml::parse(file.text, file.path));
    if (!stream.ok()) {
        // A Helm template or other templated YAML met while walking a directory is not ours.
        if (!explicit_file && file.text.find("{{") != std::string::npos) return;
        for (const auto& e : stream.errors)
            m_parse_findings.push_back(engine_finding(k_parse_rule, Severity::High, file.path,
                                                      e.mark.line == 0 ? yaml::Mark{1, 1} : e.mark, e.message));
    }

    bool recognised = false;
    int index = 0;
    for (const auto& ydoc : stream.documents) {
        const yaml::Node* root = ydoc.root();
        const int doc_index = index++;
        if (root == nullptr || (root->is_scalar() && root->is_null())) continue;
        if (root->is_mapping()) {
            const std::string api_version = scalar_text(root->find("apiVersion"));
            const std::string kind = scalar_text(root->find("kind"));
            if (!api_version.empty() && !kind.empty()) {
                // A v1 List: each item is an object of its own.
                std::vector<const yaml::Node*> objects;
                const yaml::Node* items = root->find("items");
                if (kind == "List" && items != nullptr && items->is_sequence())
                    objects.assign(items->items.begin(), items->items.end());
                else
                    objects.push_back(root);
                for (const yaml::Node* obj : objects) {
                    if (!obj->is_mapping()) continue;
                    Document doc;
                    doc.file = &file;
                    doc.input = InputType::Kubernetes;
                    doc.api_version = scalar_text(obj->find("apiVersion"));
                    doc.kind = scalar_text(obj->find("kind"));
                    if (const yaml::Node* md = obj->find("metadata"); md != nullptr && md->is_mapping()) {
                        doc.name = scalar_text(md->find("name"));
                        if (doc.name.empty()) doc.name = scalar_text(md->find("generateName"));
                        doc.ns = scalar_text(md->find("namespace"));
                    }
                    doc.index = doc_index;
                    doc.root = obj;
                    doc.object = obj;
                    m_documents.push_back(std::move(doc));
                }
                recognised = true;
                continue;
            }
            if (root->find("jobs") != nullptr && (root->find("on") != nullptr || root->find("true") != nullptr)) {
                Document doc;
                doc.file = &file;
                doc.input = InputType::GitHubWorkflow;
                doc.api_version = "coconut.dev/v1";
                doc.kind = "GitHubWorkflow";
                doc.name = scalar_text(root->find("name"));
                if (doc.name.empty()) doc.name = base_name(file.path);
                doc.index = doc_index;
                doc.root = root;
                doc.object = wrap(doc.kind, doc.name, root);
                m_documents.push_back(std::move(doc));
                recognised = true;
                continue;
            }
            if (k_copilot_types.count(scalar_text(root->find("type"))) != 0 && root->find("name") != nullptr) {
                Document doc;
                doc.file = &file;
                doc.input = InputType::Copilot;
                doc.api_version = "coconut.dev/v1";
                doc.kind = "CopilotManifest";
                doc.name = scalar_text(root->find("name"));
                doc.index = doc_index;
                doc.root = root;
                doc.object = wrap(doc.kind, doc.name, root);
                m_documents.push_back(std::move(doc));
                recognised = true;
                continue;
            }
        }
        if (root->is_sequence()) {
            if (auto kind = ansible::detect(*root, file.path)) {
                auto parsed = ansible::read(*root, *kind, file.path);
                for (const auto& e : parsed->errors)
                    m_parse_findings.push_back(engine_finding(k_parse_rule, Severity::High, file.path, e.mark, e.message));
                const ansible::File* af = parsed.get();
                for (const auto& play : af->plays) {
                    Document doc;
                    doc.file = &file;
                    doc.input = InputType::Ansible;
                    doc.api_version = "coconut.dev/v1";
                    doc.kind = "AnsiblePlay";
                    doc.name = play.name;
                    doc.index = doc_index;
                    doc.root = play.node;
                    doc.object = wrap(doc.kind, doc.name, play.node);
                    doc.ansible_file = af;
                    doc.play = &play;
                    m_documents.push_back(std::move(doc));
                }
                for (const auto& task : af->tasks) {
                    Document doc;
                    doc.file = &file;
                    doc.input = InputType::Ansible;
                    doc.api_version = "coconut.dev/v1";
                    doc.kind = "AnsibleTask";
                    doc.name = task.name;
                    doc.index = doc_index;
                    doc.root = task.node;
                    doc.object = wrap(doc.kind, doc.name, task.node);
                    doc.ansible_file = af;
                    doc.play = task.play >= 0 ? &af->plays[static_cast<std::size_t>(task.play)] : nullptr;
                    doc.task = &task;
                    m_documents.push_back(std::move(doc));
                }
                m_storage->ansible_files.push_back(std::move(parsed));
                recognised = true;
                continue;
            }
        }
    }
    if (!recognised && stream.ok() && explicit_file)
        m_parse_findings.push_back(engine_finding(
            k_parse_rule, Severity::Info, file.path, {1, 1},
            "not recognised as a Kubernetes manifest, Dockerfile, Ansible playbook or task file, Copilot "
            "manifest or GitHub workflow; nothing was checked"));
}

namespace {

// .gitignore matching. Hand-written on fnmatch(3): libgit2 (libgit2-dev) implements this but only
// for paths inside a repository with an index; `coconut check DIR` must work on any directory.
struct IgnoreRule {
    std::string base;      // directory of the .gitignore, relative to the walk root ("" = root)
    std::string pattern;
    bool negate = false;
    bool dir_only = false;
    bool anchored = false; // contains a '/' other than a trailing one: matched against the path from base
};

std::vector<IgnoreRule> read_gitignore(const fs::path& file, const std::string& base) {
    std::vector<IgnoreRule> rules;
    auto text = util::read_file(file);
    if (!text) return rules;
    for (std::string line : util::split(*text, '\n')) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        while (!line.empty() && line.back() == ' ' && (line.size() < 2 || line[line.size() - 2] != '\\'))
            line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        IgnoreRule rule;
        rule.base = base;
        if (line[0] == '!') {
            rule.negate = true;
            line.erase(0, 1);
        } else if (line[0] == '\\') {
            line.erase(0, 1);
        }
        if (!line.empty() && line.back() == '/') {
            rule.dir_only = true;
            line.pop_back();
        }
        if (util::starts_with(line, "**/")) line.erase(0, 3);
        else if (line.find('/') != std::string::npos) rule.anchored = true;
        if (!line.empty() && line[0] == '/') line.erase(0, 1);
        if (line.empty()) continue;
        rule.pattern = line;
        rules.push_back(std::move(rule));
    }
    return rules;
}

bool glob_match(const std::string& pattern, const std::string& text, bool pathname) {
    // fnmatch has no "**": "a/**" matches everything below a; "a/**/b" matches b at any depth.
    const auto dstar = pattern.find("**");
    if (dstar == std::string::npos) return fnmatch(pattern.c_str(), text.c_str(), pathname ? FNM_PATHNAME : 0) == 0;
    const std::string prefix = pattern.substr(0, dstar);
    std::string rest = pattern.substr(dstar + 2);
    if (!rest.empty() && rest[0] == '/') rest.erase(0, 1);
    if (text.size() < prefix.size()) return false;
    if (!prefix.empty() && fnmatch(prefix.c_str(), text.substr(0, prefix.size()).c_str(), FNM_PATHNAME) != 0)
        return false;
    if (rest.empty()) return true;
    const std::string tail = text.substr(prefix.size());
    std::size_t pos = 0;
    while (true) {
        if (glob_match(rest, tail.substr(pos), pathname)) return true;
        const auto slash = tail.find('/', pos);
        if (slash == std::string::npos) return false;
        pos = slash + 1;
    }
}

bool ignored(const std::vector<IgnoreRule>& rules, const std::string& rel, bool is_dir) {
    bool result = false;
    for (const auto& rule : rules) {
        if (rule.dir_only && !is_dir) continue;
        std::string subject = rel;
        if (!rule.base.empty()) {
            if (!util::starts_with(rel, rule.base + "/")) continue;
            subject = rel.substr(rule.base.size() + 1);
        }
        const bool match = rule.anchored ? glob_match(rule.pattern, subject, true)
                                         : glob_match(rule.pattern, base_name(subject), false);
        if (match) result = !rule.negate;
    }
    return result;
}

std::string display_path(const fs::path& p) {
    std::string s = p.lexically_normal().generic_string();
    while (util::starts_with(s, "./")) s.erase(0, 2);
    return s;
}

}  // namespace

util::Expected<void> Inputs::add_path(const std::string& path) {
    if (path == "-") {
        std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        add_text("<stdin>", std::move(text), true);
        return {};
    }
    std::error_code ec;
    const fs::path root(path);
    const auto status = fs::status(root, ec);
    if (ec || !fs::exists(status))
        return util::fail(util::ErrorCode::Input, path + ": no such file or directory");
    if (!fs::is_directory(status)) {
        TRY(text, util::read_file(root));
        add_text(display_path(root), std::move(text), true);
        return {};
    }
    // Depth-first walk in sorted order (deterministic reports), .gitignore files applied to
    // their directory and below.
    std::vector<IgnoreRule> rules;
    struct Frame {
        fs::path dir;
        std::string rel;
    };
    std::vector<Frame> stack{{root, ""}};
    while (!stack.empty()) {
        Frame frame = std::move(stack.back());
        stack.pop_back();
        if (fs::exists(frame.dir / ".gitignore", ec)) {
            auto more = read_gitignore(frame.dir / ".gitignore", frame.rel);
            rules.insert(rules.end(), more.begin(), more.end());
        }
        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(frame.dir, ec), end; !ec && it != end; it.increment(ec))
            entries.push_back(*it);
        if (ec) return util::fail(util::ErrorCode::Input, display_path(frame.dir) + ": " + ec.message());
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
        std::vector<Frame> subdirs;
        for (const auto& entry : entries) {
            const std::string name = entry.path().filename().string();
            if (name == ".git") continue;
            const std::string rel = frame.rel.empty() ? name : frame.rel + "/" + name;
            const bool is_dir = entry.is_directory(ec);
            if (ignored(rules, rel, is_dir)) continue;
            if (is_dir) {
                subdirs.push_back({entry.path(), rel});
                continue;
            }
            if (!entry.is_regular_file(ec)) continue;
            const bool candidate = named_like_yaml(name) || named_like_dockerfile(name) ||
                                   name.find('.') == std::string::npos;
            if (!candidate) continue;
            auto text = util::read_file(entry.path());
            if (!text) return tl::unexpected(text.error());
            add_text(display_path(entry.path()), std::move(*text), false);
        }
        for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) stack.push_back(std::move(*it));
    }
    return {};
}

}  // namespace coconut::policy
