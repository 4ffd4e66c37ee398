#include "coconut/policy/rules/dockerfile/common.hpp"

#include <algorithm>
#include <utility>

#include "coconut/policy/inputs/dockerfile.hpp"

namespace coconut::policy::rules::dockerfile {

RuleInfo dockerfile_rule(std::string id, std::string title, Severity severity, std::string description,
                         std::string remediation, std::vector<std::string> aliases,
                         std::vector<ComplianceRef> compliance) {
    return documented(rule_info(std::move(id), std::move(title), severity, inputs::k_dockerfile, {"Dockerfile"}),
                      std::move(description), std::move(remediation), std::move(aliases), std::move(compliance));
}

yaml::Mark Script::mark_at(std::size_t offset) const {
    if (exec || instruction == nullptr) return instruction != nullptr ? instruction->args_mark : yaml::Mark{};
    if (heredoc != nullptr) return heredoc->mark_at(offset);
    return instruction->mark_at(offset);
}

yaml::Mark Script::mark_of(const Command& c) const {
    if (c.words.empty()) return mark_at(c.offset);
    const Word& w = c.has_program() ? c.words[c.name_index] : c.words.front();
    return mark_at(w.offset);
}

namespace {

// A heredoc body is a script when the RUN is only heredoc markers, or feeds it to a shell.
bool heredoc_is_script(const std::vector<Command>& line_commands, const df::Heredoc& h) {
    bool only_markers = std::none_of(line_commands.begin(), line_commands.end(),
                                     [](const Command& c) { return c.has_program(); });
    if (only_markers) {
        std::string_view body = h.body;
        if (body.starts_with("#!")) {
            std::string_view first = body.substr(0, body.find('\n'));
            std::vector<Command> shebang = split_commands(first.substr(2));
            if (shebang.empty() || !shebang.front().has_program()) return true;
            return is_posix_shell(shebang.front().name);
        }
        return true;
    }
    for (const Command& c : line_commands) {
        if (!c.has_program() || !is_posix_shell(c.name)) continue;
        bool operand = false;
        for (std::size_t i = c.args_begin(); i < c.words.size(); ++i) {
            if (!c.words[i].text.starts_with("-")) operand = true;
        }
        if (!operand) return true;
    }
    return false;
}

}  // namespace

std::vector<Script> run_scripts(const df::Dockerfile& d, std::size_t begin, std::size_t end) {
    std::vector<Script> out;
    end = std::min(end, d.instructions.size());
    for (std::size_t i = begin; i < end; ++i) {
        const df::Instruction& ins = d.instructions[i];
        if (ins.keyword != "RUN") continue;
        if (ins.json_form) {
            Script s;
            s.instruction = &ins;
            s.exec = true;
            const auto& a = ins.json_args;
            std::size_t c_index = a.size();
            if (!a.empty()) {
                std::string program = a[0].substr(a[0].rfind('/') == std::string::npos ? 0 : a[0].rfind('/') + 1);
                if (is_posix_shell(program)) {
                    for (std::size_t k = 1; k < a.size(); ++k) {
                        if (a[k] == "-c" || (a[k].size() > 1 && a[k][0] == '-' && a[k].back() == 'c' &&
                                             a[k].find_first_not_of("-abefhkmnptuvxBCHPc") == std::string::npos)) {
                            c_index = k;
                            break;
                        }
                    }
                }
            }
            if (c_index + 1 < a.size()) {
                s.commands = split_commands(a[c_index + 1]);
            } else if (!a.empty()) {
                // One command: split a single-quoted rendering so wrappers (sudo, env) resolve.
                std::string joined;
                for (const auto& w : a) {
                    joined += '\'';
                    for (char ch : w) joined += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
                    joined += "' ";
                }
                std::vector<Command> one = split_commands(joined);
                if (!one.empty()) s.commands.push_back(std::move(one.front()));
            }
            out.push_back(std::move(s));
            continue;
        }
        Script line;
        line.instruction = &ins;
        line.commands = split_commands(ins.arguments);
        std::vector<Script> bodies;
        for (const df::Heredoc& h : ins.heredocs) {
            if (!heredoc_is_script(line.commands, h)) continue;
            Script body;
            body.instruction = &ins;
            body.heredoc = &h;
            body.commands = split_commands(h.body);
            bodies.push_back(std::move(body));
        }
        out.push_back(std::move(line));
        for (auto& b : bodies) out.push_back(std::move(b));
    }
    return out;
}

std::vector<Script> run_scripts(const df::Dockerfile& d) { return run_scripts(d, 0, d.instructions.size()); }

std::vector<const df::Stage*> stage_chain(const df::Dockerfile& d, const df::Stage& stage) {
    std::vector<const df::Stage*> chain;
    const df::Stage* s = &stage;
    while (s != nullptr && chain.size() <= d.stages.size()) {
        chain.push_back(s);
        if (s->parent < 0 || s->parent >= s->index) break;
        s = &d.stages[static_cast<std::size_t>(s->parent)];
    }
    return chain;
}

std::vector<const df::Instruction*> chain_instructions(const df::Dockerfile& d, const df::Stage& stage) {
    std::vector<const df::Instruction*> out;
    auto chain = stage_chain(d, stage);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        for (std::size_t i = (*it)->from_instruction; i < (*it)->end_instruction && i < d.instructions.size(); ++i) {
            out.push_back(&d.instructions[i]);
        }
    }
    return out;
}

std::string quoted(std::string_view text) { return "\"" + df::printable(text, 60) + "\""; }

std::string describe_stage(const df::Stage& stage) {
    std::string out = stage.name.empty() ? "stage " + std::to_string(stage.index) : "stage " + quoted(stage.name);
    if (!stage.image.empty()) out += " (FROM " + df::printable(stage.image, 60) + ")";
    return out;
}

bool has_arg(const Command& c, std::string_view arg) {
    for (std::size_t i = c.args_begin(); i < c.words.size(); ++i) {
        if (c.words[i].text == arg) return true;
    }
    return false;
}

std::size_t subcommand_index(const Command& c, const std::vector<std::string_view>& with_value) {
    std::size_t i = c.args_begin();
    while (i < c.words.size()) {
        const std::string& w = c.words[i].text;
        if (!w.starts_with("-")) return i;
        bool takes = std::find(with_value.begin(), with_value.end(), w) != with_value.end();
        i += takes ? 2 : 1;
    }
    return c.words.size();
}

bool has_cache_mount(const df::Instruction& run, std::string_view path_part) {
    for (const df::Flag& f : run.flags) {
        if (f.name != "mount") continue;
        bool cache = f.value.find("type=cache") != std::string::npos || f.value.find("type=tmpfs") != std::string::npos;
        if (!cache) continue;
        for (std::string_view key : {"target=", "dst=", "destination="}) {
            std::size_t p = f.value.find(key);
            if (p == std::string::npos) continue;
            std::string_view rest = std::string_view(f.value).substr(p + key.size());
            rest = rest.substr(0, rest.find(','));
            if (rest.find(path_part) != std::string_view::npos) return true;
        }
    }
    return false;
}

bool is_variable(std::string_view word) { return word.find('$') != std::string_view::npos; }

}  // namespace coconut::policy::rules::dockerfile
