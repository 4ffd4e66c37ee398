// Loading `coconut check` inputs: walk paths (honouring .gitignore) and hand each file to the
// input reader that claims it (policy/inputs/reader.hpp): a text reader by name and content, or,
// for YAML, each document to the first YAML reader that claims it.
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <new>
#include <optional>
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/inputs/reader.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy {

namespace fs = std::filesystem;

struct Inputs::Storage {
    std::deque<SourceFile> files;
    std::deque<yaml::Stream> streams;
    inputs::Sink::Storage readers;   // what the readers made of the files
};

Inputs::Inputs() : m_storage(std::make_unique<Storage>()) {}
Inputs::~Inputs() = default;

std::size_t Inputs::file_count() const { return m_storage->files.size(); }

namespace {

bool looks_binary(std::string_view text) {
    return text.substr(0, 8192).find('\0') != std::string_view::npos;
}

// The first text reader (a syntax of its own, e.g. Dockerfile) that claims the file, or null.
const inputs::TextReader* text_reader_for(std::string_view path, std::string_view text) {
    for (const inputs::TextReader* reader : inputs::Registry::instance().text_readers())
        if (reader->claims(path, text)) return reader;
    return nullptr;
}

}  // namespace

void Inputs::add_finding(const char* rule, Severity severity, std::string file, yaml::Mark mark, std::string message) {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.file = std::move(file);
    f.mark = mark;
    f.message = std::move(message);
    m_parse_findings.push_back(std::move(f));
}

void Inputs::add_unreadable(const std::string& path, const std::string& reason) {
    add_finding(k_unreadable_rule, Severity::High, path, {1, 1}, "cannot be read: " + reason + "; nothing in it was checked");
}

void Inputs::add_text(std::string path, std::string text, bool explicit_file) {
    if (m_error) return;
    const std::string shown = path;
    const std::size_t size = text.size();
    try {
        add_text_unguarded(std::move(path), std::move(text), explicit_file);
    } catch (const std::bad_alloc&) {
        // Never an abort: the run stops with an error naming the file (exit 2).
        m_error = util::Error{util::ErrorCode::Internal,
                              shown + ": out of memory while reading it (" + std::to_string(size) +
                                  " bytes); nothing was reported",
                              shown};
    }
}

void Inputs::add_text_unguarded(std::string path, std::string text, bool explicit_file) {
    m_bytes += text.size();
    if (looks_binary(text)) {
        if (explicit_file)
            add_finding(k_parse_rule, Severity::High, path, {1, 1},
                        "binary file (NUL bytes): not a " + inputs::Registry::instance().nouns());
        return;
    }
    if (explicit_file && inputs::in_helm_chart_templates(path)) {
        add_finding(k_helm_template_rule, Severity::Info, path, {1, 1},
                    "a Helm chart template: not checked as it is; render the chart and check the output "
                    "(helm template RELEASE " + inputs::helm_chart_dir(path) + " | coconut check -)");
        return;
    }
    const inputs::TextReader* reader = text_reader_for(path, text);
    // Met while walking a directory and claimed by no reader: only YAML can still be ours.
    if (reader == nullptr && !inputs::named_like_yaml(path) && !explicit_file) return;

    const SourceFile& file = m_storage->files.emplace_back(SourceFile{std::move(path), std::move(text)});
    const std::size_t first_finding = m_parse_findings.size();
    m_unlisted_parse_errors = 0;
    if (reader != nullptr) {
        inputs::Sink sink(file, reader->info().type, m_documents, m_parse_findings, m_storage->readers);
        reader->read(sink);
    } else {
        add_yaml(file, explicit_file);
    }
    // The first k_max_parse_findings parse errors of the file, then one with the count.
    std::size_t parse_errors = m_unlisted_parse_errors;
    for (std::size_t i = first_finding; i < m_parse_findings.size(); ++i)
        if (m_parse_findings[i].rule == k_parse_rule) ++parse_errors;
    if (parse_errors > k_max_parse_findings) {
        std::vector<Finding> kept(m_parse_findings.begin(), m_parse_findings.begin() + static_cast<std::ptrdiff_t>(first_finding));
        std::size_t seen = 0;
        for (std::size_t i = first_finding; i < m_parse_findings.size(); ++i) {
            Finding& f = m_parse_findings[i];
            if (f.rule != k_parse_rule || ++seen <= k_max_parse_findings) {
                kept.push_back(std::move(f));
            } else if (seen == k_max_parse_findings + 1) {
                f.message = std::to_string(parse_errors - k_max_parse_findings) +
                            " more parse errors in this file are not listed (the first " +
                            std::to_string(k_max_parse_findings) + " are)";
                kept.push_back(std::move(f));
            }
        }
        m_parse_findings = std::move(kept);
    }
}

// Every YAML document of the file goes to the first YAML reader that claims it.
void Inputs::add_yaml(const SourceFile& file, bool explicit_file) {
    yaml::Stream& stream = m_storage->streams.emplace_back(yaml::parse(file.text, file.path));
    if (!stream.ok()) {
        if (!explicit_file && file.text.find("{{") != std::string::npos) {
            // Templated YAML met while walking (Jinja, envsubst-style templates outside a chart):
            // its syntax errors are the template's, not the user's — one info finding says what
            // was not read, and every document that does parse is still checked.
            const auto& e = stream.errors.front();
            add_finding(k_parse_rule, Severity::Info, file.path, e.mark.line == 0 ? yaml::Mark{1, 1} : e.mark,
                        "looks like a template ({{ ... }}) and does not parse here (" + e.message +
                            "); the documents that parse were checked");
        } else {
        // One more than the cap is enough for add_text to write the summary; it is told the rest.
        const std::size_t shown = std::min(stream.errors.size(), k_max_parse_findings + 1);
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& e = stream.errors[i];
            add_finding(k_parse_rule, Severity::High, file.path, e.mark.line == 0 ? yaml::Mark{1, 1} : e.mark, e.message);
        }
        m_unlisted_parse_errors = stream.errors.size() - shown;
        }
    }
    bool recognised = false;
    int index = 0;
    for (const auto& ydoc : stream.documents) {
        if (util::interrupted()) return;
        const yaml::Node* root = ydoc.root();
        const int doc_index = index++;
        if (root == nullptr || (root->is_scalar() && root->is_null())) continue;
        for (const inputs::YamlReader* reader : inputs::Registry::instance().yaml_readers()) {
            if (!reader->claims(*root, file.path)) continue;
            inputs::Sink sink(file, reader->info().type, m_documents, m_parse_findings, m_storage->readers);
            reader->read(*root, doc_index, sink);
            recognised = true;
            break;
        }
    }
    if (!recognised && stream.ok() && explicit_file)
        add_finding(k_unknown_rule, Severity::Info, file.path, {1, 1},
                    "not recognised as a " + inputs::Registry::instance().nouns() + "; nothing was checked");
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
                                         : glob_match(rule.pattern, std::string(inputs::base_name(subject)), false);
        if (match) result = !rule.negate;
    }
    return result;
}

// Whether a file met while walking is read at all: YAML, or a name some text reader may claim.
bool worth_reading(std::string_view name) {
    if (inputs::named_like_yaml(name)) return true;
    const auto& readers = inputs::Registry::instance().text_readers();
    return std::any_of(readers.begin(), readers.end(),
                       [name](const inputs::TextReader* r) { return r->may_claim(name); });
}

std::string display_path(const fs::path& p) {
    std::string s = p.lexically_normal().generic_string();
    while (util::starts_with(s, "./")) s.erase(0, 2);
    return s;
}

}  // namespace

namespace {

// A file or directory as the walk identifies it: the same (device, inode) reached twice through
// links is read once, and a directory reached again is a loop.
struct FileId {
    dev_t dev;
    ino_t ino;
    bool operator<(const FileId& o) const { return dev != o.dev ? dev < o.dev : ino < o.ino; }
};

std::optional<FileId> file_id(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return std::nullopt;
    return FileId{st.st_dev, st.st_ino};
}

std::string os_reason(const std::error_code& ec) { return ec ? ec.message() : std::string("unknown error"); }

}  // namespace

util::Expected<void> Inputs::add_path(const std::string& path, bool follow_symlinks) {
    if (path == "-") {
        std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted while reading stdin");
        add_text("<stdin>", std::move(text), true);
        if (m_error) return tl::unexpected(*m_error);
        return {};
    }
    std::error_code ec;
    const fs::path root(path);
    const auto status = fs::status(root, ec);   // a path named explicitly is followed (as rg does)
    if (!fs::exists(status)) {
        // A link to nothing is there but cannot be read: reported, and the run goes on.
        if (fs::is_symlink(fs::symlink_status(root, ec))) {
            add_unreadable(display_path(root), "a symbolic link to a path that does not exist");
            return {};
        }
        return util::fail(util::ErrorCode::Input, path + ": no such file or directory");
    }
    if (!fs::is_directory(status)) {
        auto text = util::read_file(root);
        if (!text) {
            add_unreadable(display_path(root), text.error().message.substr(text.error().message.find(": ") + 2));
            return {};
        }
        add_text(display_path(root), std::move(*text), true);
        if (m_error) return tl::unexpected(*m_error);
        return {};
    }
    // Depth-first walk in sorted order (deterministic reports), .gitignore files applied to
    // their directory and below. Symbolic links are not followed unless asked (ripgrep's and
    // kube-linter's behaviour); when they are, (device, inode) pairs stop loops and double reads.
    std::set<FileId> seen_dirs, seen_files;
    if (auto id = file_id(root)) seen_dirs.insert(*id);
    std::vector<IgnoreRule> rules;
    struct Frame {
        fs::path dir;
        std::string rel;
    };
    std::vector<Frame> stack{{root, ""}};
    while (!stack.empty()) {
        if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted; nothing was reported");
        Frame frame = std::move(stack.back());
        stack.pop_back();
        if (fs::is_directory(frame.dir / "templates", ec) && inputs::is_helm_chart_dir(frame.dir.string())) {
            // A chart: its templates are Go templates, not manifests (one finding for all of them).
            const std::string templates = display_path(frame.dir / "templates");
            add_finding(k_helm_template_rule, Severity::Info, templates, {1, 1},
                        "Helm chart templates: not checked as they are; render the chart and check the output "
                        "(helm template RELEASE " + display_path(frame.dir) + " | coconut check -)");
        }
        if (fs::exists(frame.dir / ".gitignore", ec)) {
            auto more = read_gitignore(frame.dir / ".gitignore", frame.rel);
            rules.insert(rules.end(), more.begin(), more.end());
        }
        std::vector<fs::directory_entry> entries;
        ec.clear();
        for (fs::directory_iterator it(frame.dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
        if (ec) {
            add_unreadable(display_path(frame.dir) + "/", os_reason(ec));
            ec.clear();
            continue;
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
        std::vector<Frame> subdirs;
        for (const auto& entry : entries) {
            if (util::interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted; nothing was reported");
            const std::string name = entry.path().filename().string();
            if (name == ".git") continue;
            const std::string rel = frame.rel.empty() ? name : frame.rel + "/" + name;
            const bool is_link = entry.is_symlink(ec);
            if (is_link && !follow_symlinks) continue;
            const bool is_dir = entry.is_directory(ec);   // follows a link (only reached with follow_symlinks)
            if (ignored(rules, rel, is_dir)) continue;
            if (is_dir) {
                if (name == "templates" && inputs::is_helm_chart_dir(frame.dir.string())) continue;   // reported above
                auto id = file_id(entry.path());
                if (id && !seen_dirs.insert(*id).second) continue;   // a loop, or a directory reached twice
                subdirs.push_back({entry.path(), rel});
                continue;
            }
            if (!entry.is_regular_file(ec)) continue;   // sockets, FIFOs, broken links
            if (!worth_reading(name)) continue;
            if (auto id = file_id(entry.path()); id && !seen_files.insert(*id).second) continue;
            auto text = util::read_file(entry.path());
            if (!text) {
                add_unreadable(display_path(entry.path()), text.error().message.substr(text.error().message.find(": ") + 2));
                continue;
            }
            add_text(display_path(entry.path()), std::move(*text), false);
            if (m_error) return tl::unexpected(*m_error);
        }
        for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) stack.push_back(std::move(*it));
    }
    return {};
}

}  // namespace coconut::policy
