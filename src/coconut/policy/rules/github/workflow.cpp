#include "coconut/policy/rules/github/workflow.hpp"

#include <algorithm>
#include <cctype>

#include "coconut/policy/inputs/github_workflow.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::github {

std::optional<bool> as_bool(const yaml::Node* node) {
    if (node == nullptr || !node->is_scalar()) return std::nullopt;
    return yaml::as_bool(*node, yaml::Dialect::Core12);
}

RuleInfo workflow_rule(std::string id, std::string title, Severity severity) {
    return rule_info(std::move(id), std::move(title), severity, inputs::k_github_workflow, {"GitHubWorkflow"});
}

std::string Step::label() const {
    if (!name.empty()) return "step \"" + name + "\"";
    return "step " + std::to_string(index);
}

std::string Step::action() const {
    std::string_view u = scalar_text(uses);
    if (u.empty() || util::starts_with(u, "./") || util::starts_with(u, "docker://")) return {};
    const auto at = u.find('@');
    if (at != std::string_view::npos) u = u.substr(0, at);
    return util::to_lower(util::trim(u));
}

std::string Job::label() const {
    return "job \"" + id + "\"";
}

std::vector<Job> jobs(const Document& doc) {
    std::vector<Job> out;
    const yaml::Node* js = get(doc.root, "jobs");
    if (js == nullptr || !js->is_mapping()) return out;
    for (const auto& p : js->pairs) {
        if (p.key == nullptr || !p.key->is_scalar() || p.value == nullptr || !p.value->is_mapping()) continue;
        Job job;
        job.id = p.key->text;
        job.key = p.key;
        job.node = p.value;
        const yaml::Node* steps = get(p.value, "steps");
        if (steps != nullptr && steps->is_sequence()) {
            std::size_t i = 0;
            for (const yaml::Node* s : steps->items) {
                ++i;
                if (s == nullptr || !s->is_mapping()) continue;
                Step step;
                step.node = s;
                step.index = i;
                step.name = std::string(scalar_text(get(s, "name")));
                step.uses = get(s, "uses");
                step.run = get(s, "run");
                step.with = get(s, "with");
                step.env = get(s, "env");
                job.steps.push_back(std::move(step));
            }
        }
        out.push_back(std::move(job));
    }
    return out;
}

std::vector<Trigger> triggers(const Document& doc) {
    std::vector<Trigger> out;
    const yaml::Node* on = get(doc.root, "on");
    if (on == nullptr) on = get(doc.root, "true");  // a YAML 1.1 reader's view of `on:`
    if (on == nullptr) return out;
    if (on->is_scalar()) {
        if (!on->text.empty()) out.push_back(Trigger{on->text, on});
    } else if (on->is_sequence()) {
        for (const yaml::Node* n : on->items)
            if (n != nullptr && n->is_scalar()) out.push_back(Trigger{n->text, n});
    } else {
        for (const auto& p : on->pairs)
            if (p.key != nullptr && p.key->is_scalar()) out.push_back(Trigger{p.key->text, p.key});
    }
    return out;
}

void for_each_line(const std::string& text,
                   const std::function<void(const std::string& line, std::size_t offset)>& fn) {
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        fn(text.substr(pos, nl - pos), pos);
        pos = nl + 1;
    }
}

std::string first_trigger(const Document& doc, std::initializer_list<std::string_view> events) {
    for (const auto& t : triggers(doc))
        if (std::find(events.begin(), events.end(), t.event) != events.end()) return t.event;
    return {};
}

bool has_trigger(const Document& doc, std::string_view event) {
    return !first_trigger(doc, {event}).empty();
}

bool is_public_trigger(std::string_view event) {
    for (const char* e : {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment",
                          "issue_comment", "issues", "discussion", "discussion_comment", "fork", "watch"})
        if (event == e) return true;
    return false;
}

std::vector<Expression> expressions(std::string_view text) {
    std::vector<Expression> out;
    std::size_t pos = 0;
    while ((pos = text.find("${{", pos)) != std::string_view::npos) {
        // The closing braces, skipping string literals ('…' with '' as an escaped quote).
        std::size_t i = pos + 3;
        bool closed = false;
        while (i < text.size()) {
            if (text[i] == '\'') {
                ++i;
                while (i < text.size()) {
                    if (text[i] == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                        i += 2;
                    } else if (text[i] == '\'') {
                        break;
                    } else {
                        ++i;
                    }
                }
                ++i;
                continue;
            }
            if (text.compare(i, 2, "}}") == 0) {
                closed = true;
                break;
            }
            ++i;
        }
        if (!closed) break;
        out.push_back(Expression{pos, i + 2 - pos, util::trim(text.substr(pos + 3, i - pos - 3))});
        pos = i + 2;
    }
    return out;
}

namespace {

bool ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    for (auto& s : util::split(path, '.')) out.push_back(s);
    return out;
}

// Untrusted inputs, after GitHub's "script injections" guide and the Security Lab's list.
const std::vector<std::vector<std::string>>& untrusted_patterns() {
    static const std::vector<std::vector<std::string>> patterns = [] {
        std::vector<std::vector<std::string>> out;
        for (const char* p : {
                 "github.head_ref",
                 "github.event.issue.title",
                 "github.event.issue.body",
                 "github.event.pull_request.title",
                 "github.event.pull_request.body",
                 "github.event.pull_request.head.ref",
                 "github.event.pull_request.head.label",
                 "github.event.pull_request.head.repo.default_branch",
                 "github.event.comment.body",
                 "github.event.review.body",
                 "github.event.review_comment.body",
                 "github.event.discussion.title",
                 "github.event.discussion.body",
                 "github.event.pages.*.page_name",
                 "github.event.commits.*.message",
                 "github.event.commits.*.author.email",
                 "github.event.commits.*.author.name",
                 "github.event.commits.*.committer.email",
                 "github.event.commits.*.committer.name",
                 "github.event.head_commit.message",
                 "github.event.head_commit.author.email",
                 "github.event.head_commit.author.name",
                 "github.event.head_commit.committer.email",
                 "github.event.head_commit.committer.name",
                 "github.event.workflow_run.head_branch",
                 "github.event.workflow_run.display_title",
                 "github.event.workflow_run.head_commit.message",
                 "github.event.workflow_run.head_commit.author.email",
                 "github.event.workflow_run.head_commit.author.name",
                 "github.event.workflow_run.pull_requests.*.head.ref",
             })
            out.push_back(segments(p));
        return out;
    }();
    return patterns;
}

}  // namespace

namespace {

// GitHub expression functions whose result is a boolean: what they read never reaches the
// expression's value.
bool is_predicate_function(std::string_view name) {
    const std::string n = util::to_lower(name);
    return n == "contains" || n == "startswith" || n == "endswith" || n == "success" || n == "failure" ||
           n == "always" || n == "cancelled";
}

// A comparison operator (==, !=, <, <=, >, >=) or a negation right before `pos` (spaces skipped).
bool compared_or_negated_before(std::string_view body, std::size_t pos) {
    while (pos > 0 && body[pos - 1] == ' ') --pos;
    if (pos == 0) return false;
    const char c = body[pos - 1];
    return c == '<' || c == '>' || c == '!' || (c == '=' && pos >= 2 && std::string_view("=!<>").find(body[pos - 2]) != std::string_view::npos);
}

// A comparison operator right at or after `pos` (spaces skipped).
bool compared_after(std::string_view body, std::size_t pos) {
    while (pos < body.size() && body[pos] == ' ') ++pos;
    if (pos >= body.size()) return false;
    const char c = body[pos];
    if (c == '<' || c == '>') return true;
    return (c == '=' || c == '!') && pos + 1 < body.size() && body[pos + 1] == '=';
}

}  // namespace

std::vector<std::string> context_paths(std::string_view body) {
    std::vector<std::string> out;
    for (auto& ref : context_refs(body)) out.push_back(std::move(ref.path));
    return out;
}

std::vector<std::string> value_context_paths(std::string_view body) {
    std::vector<std::string> out;
    for (auto& ref : context_refs(body))
        if (ref.reaches_value) out.push_back(std::move(ref.path));
    return out;
}

std::vector<ContextRef> context_refs(std::string_view body) {
    std::vector<ContextRef> out;
    // One entry per open parenthesis: whether it is the argument list of a predicate function
    // (or lies inside one).
    std::vector<bool> in_predicate;
    std::string function;  // the function name right before the next `(`
    std::size_t i = 0;
    while (i < body.size()) {
        const char c = body[i];
        if (c == '(') {
            in_predicate.push_back((!in_predicate.empty() && in_predicate.back()) || is_predicate_function(function));
            function.clear();
            ++i;
            continue;
        }
        if (c == ')') {
            if (!in_predicate.empty()) in_predicate.pop_back();
            ++i;
            continue;
        }
        if (c == '\'') {  // string literal
            ++i;
            while (i < body.size()) {
                if (body[i] == '\'' && i + 1 < body.size() && body[i + 1] == '\'') {
                    i += 2;
                } else if (body[i] == '\'') {
                    ++i;
                    break;
                } else {
                    ++i;
                }
            }
            continue;
        }
        if (!ident_start(c)) {
            ++i;
            continue;
        }
        const std::size_t begin = i;
        std::string path;
        while (i < body.size() && ident_char(body[i])) path += body[i++];
        for (;;) {
            std::size_t j = i;
            while (j < body.size() && body[j] == ' ') ++j;
            if (j < body.size() && body[j] == '.') {
                ++j;
                while (j < body.size() && body[j] == ' ') ++j;
                if (j < body.size() && body[j] == '*') {
                    path += ".*";
                    i = j + 1;
                    continue;
                }
                if (j < body.size() && ident_start(body[j])) {
                    path += '.';
                    while (j < body.size() && ident_char(body[j])) path += body[j++];
                    i = j;
                    continue;
                }
                break;
            }
            if (j < body.size() && body[j] == '[') {
                const auto close = body.find(']', j);
                if (close == std::string_view::npos) break;
                std::string inner = util::trim(body.substr(j + 1, close - j - 1));
                if (inner.size() >= 2 && inner.front() == '\'' && inner.back() == '\'')
                    path += "." + inner.substr(1, inner.size() - 2);
                else
                    path += ".*";
                i = close + 1;
                continue;
            }
            break;
        }
        // A function call (`toJSON(`, `contains(`) is not a context.
        std::size_t j = i;
        while (j < body.size() && body[j] == ' ') ++j;
        if (j < body.size() && body[j] == '(') {
            function = path;
            continue;
        }
        const std::string lower = util::to_lower(path);
        if (lower == "null" || lower == "true" || lower == "false") continue;  // literals
        const bool boolean_use = (!in_predicate.empty() && in_predicate.back()) ||
                                 compared_or_negated_before(body, begin) || compared_after(body, i);
        out.push_back({lower, !boolean_use});
    }
    return out;
}

bool is_untrusted_context(std::string_view path) {
    const auto segs = segments(util::to_lower(path));
    if (segs.empty() || segs.front() != "github") return false;
    for (const auto& pattern : untrusted_patterns()) {
        if (segs.size() > pattern.size()) continue;
        bool match = true;
        for (std::size_t i = 0; i < segs.size() && match; ++i)
            match = pattern[i] == "*" || segs[i] == "*" || pattern[i] == segs[i];
        if (match) return true;  // the field itself, or an object that contains it
    }
    return false;
}

namespace {

std::size_t offset_of(std::string_view text, yaml::Mark mark) {
    if (mark.line == 0) return std::string_view::npos;
    std::size_t pos = 0;
    for (std::uint32_t line = 1; line < mark.line; ++line) {
        pos = text.find('\n', pos);
        if (pos == std::string_view::npos) return std::string_view::npos;
        ++pos;
    }
    pos += mark.column > 0 ? mark.column - 1 : 0;
    return pos <= text.size() ? pos : std::string_view::npos;
}

yaml::Mark mark_of(std::string_view text, std::size_t offset) {
    yaml::Mark m{1, 1};
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
        if (text[i] == '\n') {
            ++m.line;
            line_start = i + 1;
        }
    m.column = static_cast<std::uint32_t>(offset - line_start + 1);
    return m;
}

}  // namespace

yaml::Mark mark_at(const Document& doc, const yaml::Node* scalar, std::size_t offset, std::size_t length) {
    if (scalar == nullptr) return doc.root != nullptr ? doc.root->start : yaml::Mark{};
    if (doc.file == nullptr || !scalar->is_scalar() || offset >= scalar->text.size()) return scalar->start;
    const std::string& text = scalar->text;
    std::string_view snippet = std::string_view(text).substr(offset, length);
    if (const auto nl = snippet.find('\n'); nl != std::string_view::npos) snippet = snippet.substr(0, nl);
    if (snippet.empty()) return scalar->start;
    // Which occurrence of the snippet in the scalar's text this is.
    std::size_t nth = 0;
    for (std::size_t p = text.find(snippet); p != std::string::npos && p < offset; p = text.find(snippet, p + 1)) ++nth;
    const std::string_view source = doc.file->text;
    const std::size_t begin = offset_of(source, scalar->start);
    if (begin == std::string_view::npos) return scalar->start;
    std::size_t end = offset_of(source, scalar->end);
    if (end == std::string_view::npos || end <= begin) end = source.size();
    const std::string_view span = source.substr(begin, end - begin);
    std::size_t p = span.find(snippet);
    for (std::size_t k = 0; k < nth && p != std::string_view::npos; ++k) p = span.find(snippet, p + 1);
    if (p == std::string_view::npos) return scalar->start;
    return mark_of(source, begin + p);
}

}  // namespace coconut::policy::rules::github
