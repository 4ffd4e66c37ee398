#include "coconut/policy/rules/dockerfile/shell.hpp"

#include <array>
#include <algorithm>
#include <cctype>
#include <utility>

namespace coconut::policy::rules::dockerfile {

namespace {

constexpr std::array<std::string_view, 12> k_reserved = {"if",   "then", "else", "elif", "do", "while",
                                                         "until", "!",   "{",    "}",    "time", "in"};

bool is_assignment(const Word& w) {
    const std::string& t = w.text;
    std::size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    if (!(std::isalpha(static_cast<unsigned char>(t[0])) || t[0] == '_')) return false;
    for (std::size_t i = 1; i < eq; ++i) {
        if (!(std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_')) return false;
    }
    return true;
}

std::string basename(std::string_view s) {
    std::size_t slash = s.rfind('/');
    return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

// Finds the program word of `cmd` (see Command::name).
void resolve_program(Command& cmd) {
    auto& w = cmd.words;
    std::size_t i = 0;
    const std::size_t n = w.size();
    while (i < n) {
        const std::string& t = w[i].text;
        if (!w[i].quoted && std::find(k_reserved.begin(), k_reserved.end(), t) != k_reserved.end()) {
            ++i;
            continue;
        }
        if (is_assignment(w[i])) {
            ++i;
            continue;
        }
        std::string b = basename(t);
        if (b == "sudo") {
            cmd.sudo_index = static_cast<int>(i);
            ++i;
            // Options; these take an argument.
            while (i < n && w[i].text.starts_with("-")) {
                const std::string& o = w[i].text;
                ++i;
                if (o == "--") break;
                if ((o == "-u" || o == "-g" || o == "-C" || o == "-D" || o == "-h" || o == "-p" || o == "-r" ||
                     o == "-t" || o == "-U" || o == "-T" || o == "-R") &&
                    i < n) {
                    ++i;
                }
            }
            continue;
        }
        if (b == "env") {
            ++i;
            while (i < n && (w[i].text.starts_with("-") || is_assignment(w[i]))) {
                const std::string& o = w[i].text;
                ++i;
                if ((o == "-u" || o == "-C" || o == "-S") && i < n) ++i;
            }
            continue;
        }
        if (b == "nice") {
            ++i;
            if (i < n && w[i].text == "-n") i += 2;
            else if (i < n && w[i].text.starts_with("-")) ++i;
            continue;
        }
        if (b == "exec" || b == "nohup" || b == "command" || b == "time") {
            ++i;
            while (i < n && w[i].text.starts_with("-")) ++i;
            continue;
        }
        break;
    }
    cmd.name_index = std::min(i, n);
    if (i < n) cmd.name = basename(w[i].text);
}

class Splitter {
public:
    explicit Splitter(std::string_view s) : m_s(s) {}

    std::vector<Command> run() {
        const std::size_t n = m_s.size();
        std::size_t i = 0;
        while (i < n) {
            char c = m_s[i];
            switch (c) {
            case '\\':
                if (i + 1 < n && m_s[i + 1] == '\n') {
                    i += 2;
                    break;
                }
                if (i + 1 < n && m_s[i + 1] == '\r' && i + 2 < n && m_s[i + 2] == '\n') {
                    i += 3;
                    break;
                }
                start_word(i);
                m_word.quoted = true;
                if (i + 1 < n) m_word.text.push_back(m_s[i + 1]);
                i += 2;
                break;
            case '\'': {
                start_word(i);
                m_word.quoted = true;
                std::size_t close = m_s.find('\'', i + 1);
                if (close == std::string_view::npos) close = n;
                m_word.text.append(m_s.substr(i + 1, close - i - 1));
                i = close + 1;
                break;
            }
            case '"':
                start_word(i);
                m_word.quoted = true;
                i = double_quoted(i + 1);
                break;
            case '`':
                start_word(i);
                i = backquoted(i);
                break;
            case '$':
                start_word(i);
                if (i + 1 < n && (m_s[i + 1] == '(' || m_s[i + 1] == '{')) {
                    i = balanced(i);
                } else {
                    m_word.text.push_back(c);
                    ++i;
                }
                break;
            case '#':
                if (!m_in_word) {
                    while (i < n && m_s[i] != '\n') ++i;
                } else {
                    m_word.text.push_back(c);
                    ++i;
                }
                break;
            case '\n':
                end_command(false);
                ++i;
                i = skip_heredoc_bodies(i);
                break;
            case ' ':
            case '\t':
            case '\r':
                end_word();
                ++i;
                break;
            case ';':
            case '(':
            case ')':
                end_command(false);
                ++i;
                break;
            case '&':
            case '|':
                if (i + 1 < n && m_s[i + 1] == m_s[i]) {  // && and ||: the next command of a list
                    end_command(false);
                    i += 2;
                } else if (m_s[i] == '|') {  // a pipe (|& pipes stderr too)
                    end_command(true);
                    i += (i + 1 < n && m_s[i + 1] == '&') ? 2U : 1U;
                } else if (i + 1 < n && m_s[i + 1] == '>') {  // &> redirects both outputs
                    end_word();
                    i = redirection(i + 1);
                } else {  // & runs the command in the background
                    end_command(false);
                    ++i;
                }
                break;
            case '<':
            case '>':
                // A file-descriptor number right before the operator belongs to it.
                if (m_in_word && !m_word.quoted && !m_word.text.empty() &&
                    std::all_of(m_word.text.begin(), m_word.text.end(),
                                [](char d) { return std::isdigit(static_cast<unsigned char>(d)) != 0; })) {
                    m_in_word = false;
                    m_word = {};
                } else {
                    end_word();
                }
                i = redirection(i);
                break;
            default:
                start_word(i);
                m_word.text.push_back(c);
                ++i;
                break;
            }
        }
        end_command(false);
        return std::move(m_out);
    }

private:
    void start_word(std::size_t at) {
        if (m_in_word) return;
        m_in_word = true;
        m_word = {};
        m_word.offset = at;
    }

    void end_word() {
        if (!m_in_word) return;
        m_in_word = false;
        if (m_drop_next) {
            m_drop_next = false;
            return;
        }
        if (m_cmd.words.empty()) m_cmd.offset = m_word.offset;
        m_cmd.words.push_back(std::move(m_word));
        m_word = {};
    }

    void end_command(bool pipe) {
        end_word();
        m_drop_next = false;
        if (!m_cmd.words.empty()) {
            m_cmd.piped_out = pipe;
            resolve_program(m_cmd);
            m_out.push_back(std::move(m_cmd));
        }
        m_cmd = {};
        m_cmd.piped_in = pipe;
    }

    std::size_t double_quoted(std::size_t i) {
        const std::size_t n = m_s.size();
        while (i < n && m_s[i] != '"') {
            char c = m_s[i];
            if (c == '\\' && i + 1 < n) {
                char d = m_s[i + 1];
                if (d == '\n') {
                    i += 2;
                    continue;
                }
                if (d == '"' || d == '\\' || d == '$' || d == '`') {
                    m_word.text.push_back(d);
                    i += 2;
                    continue;
                }
            }
            // `$(…)`, `${…}` and `…` may hold quotes of their own (`"${A:-"x y"}"`): taken whole.
            if (c == '$' && i + 1 < n && (m_s[i + 1] == '(' || m_s[i + 1] == '{')) {
                i = balanced(i);
                continue;
            }
            if (c == '`') {
                i = backquoted(i);
                continue;
            }
            m_word.text.push_back(c);
            ++i;
        }
        return i + 1;
    }

    // A `…` command substitution starting at `i`, appended as written; returns the index after it.
    std::size_t backquoted(std::size_t i) {
        const std::size_t n = m_s.size();
        std::size_t close = i + 1;
        while (close < n && m_s[close] != '`') close += (m_s[close] == '\\') ? 2U : 1U;
        close = std::min(close, n);
        m_word.text.append(m_s.substr(i, std::min(close + 1, n) - i));
        return close + 1;
    }

    // `$(…)` or `${…}` starting at `i` (the '$'), appended as written; returns the index after it.
    std::size_t balanced(std::size_t i) {
        const std::size_t n = m_s.size();
        char open = m_s[i + 1];
        char close = open == '(' ? ')' : '}';
        std::size_t depth = 0;
        std::size_t j = i + 1;
        char quote = 0;
        for (; j < n; ++j) {
            char c = m_s[j];
            if (quote) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"') ++j;
                continue;
            }
            if (c == '\\') {
                ++j;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == open) {
                ++depth;
            } else if (c == close) {
                if (--depth == 0) break;
            }
        }
        std::size_t end = std::min(j + 1, n);
        m_word.text.append(m_s.substr(i, end - i));
        return end;
    }

    // A redirection operator at `i`; the following word (the target) is dropped, a here-document
    // delimiter is remembered. Returns the index after the operator.
    std::size_t redirection(std::size_t i) {
        const std::size_t n = m_s.size();
        if (m_s[i] == '<' && i + 1 < n && m_s[i + 1] == '<') {
            if (i + 2 < n && m_s[i + 2] == '<') {   // here-string
                m_drop_next = true;
                return i + 3;
            }
            std::size_t j = i + 2;
            bool strip = false;
            if (j < n && m_s[j] == '-') {
                strip = true;
                ++j;
            }
            while (j < n && (m_s[j] == ' ' || m_s[j] == '\t')) ++j;
            std::string delim;
            while (j < n && m_s[j] != ' ' && m_s[j] != '\t' && m_s[j] != '\n' && m_s[j] != ';' && m_s[j] != '&' &&
                   m_s[j] != '|' && m_s[j] != '<' && m_s[j] != '>' && m_s[j] != ')') {
                char c = m_s[j];
                if (c == '\'' || c == '"') {
                    std::size_t close = m_s.find(c, j + 1);
                    if (close == std::string_view::npos) close = n;
                    delim.append(m_s.substr(j + 1, close - j - 1));
                    j = close + 1;
                } else if (c == '\\' && j + 1 < n) {
                    delim.push_back(m_s[j + 1]);
                    j += 2;
                } else {
                    delim.push_back(c);
                    ++j;
                }
            }
            if (!delim.empty()) m_heredocs.emplace_back(std::move(delim), strip);
            return std::min(j, n);
        }
        std::size_t j = i + 1;
        if (j < n && (m_s[j] == '>' || m_s[j] == '&' || m_s[j] == '|' || (m_s[i] == '<' && m_s[j] == '>'))) ++j;
        m_drop_next = true;
        return j;
    }

    // After a newline: skips the bodies of pending here-documents.
    std::size_t skip_heredoc_bodies(std::size_t i) {
        const std::size_t n = m_s.size();
        for (const auto& [delim, strip] : m_heredocs) {
            while (i < n) {
                std::size_t nl = m_s.find('\n', i);
                std::size_t e = nl == std::string_view::npos ? n : nl;
                std::string_view line = m_s.substr(i, e - i);
                if (strip) {
                    std::size_t t = 0;
                    while (t < line.size() && line[t] == '\t') ++t;
                    line = line.substr(t);
                }
                i = nl == std::string_view::npos ? n : nl + 1;
                if (line == delim) break;
            }
        }
        m_heredocs.clear();
        return i;
    }

    std::string_view m_s;
    std::vector<Command> m_out;
    Command m_cmd;
    Word m_word;
    bool m_in_word = false;
    bool m_drop_next = false;
    std::vector<std::pair<std::string, bool>> m_heredocs;
};

}  // namespace

std::vector<Command> split_commands(std::string_view script) { return Splitter(script).run(); }

bool is_posix_shell(std::string_view program) {
    return program == "sh" || program == "bash" || program == "ash" || program == "dash" || program == "zsh" ||
           program == "ksh";
}

}  // namespace coconut::policy::rules::dockerfile
