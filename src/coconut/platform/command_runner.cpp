#include "coconut/platform/command_runner.hpp"

#include <algorithm>
#include <cstddef>

namespace coconut::platform {

namespace {

bool needs_quoting(std::string_view word) {
    if (word.empty()) return true;
    return std::any_of(word.begin(), word.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) return false;
        switch (c) {
            case '-': case '_': case '.': case '/': case ':': case '=': case ',': case '+': case '@': case '%':
                return false;
            default:
                return true;
        }
    });
}

}  // namespace

std::string format_argv(std::span<const std::string> argv) {
    std::string line;
    for (const auto& word : argv) {
        if (!line.empty()) line += ' ';
        if (!needs_quoting(word)) {
            line += word;
            continue;
        }
        line += '\'';
        for (char c : word) {
            if (c == '\'') line += "'\\''";
            else line += c;
        }
        line += '\'';
    }
    return line;
}

std::string tail_lines(std::string_view text, std::size_t max_lines) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
        start = end + 1;
    }
    const std::size_t first = lines.size() > max_lines ? lines.size() - max_lines : 0;
    std::string out;
    for (std::size_t i = first; i < lines.size(); ++i) {
        if (!out.empty()) out += '\n';
        out += lines[i];
    }
    return out;
}

util::Error command_failure(const Command& cmd, const CommandResult& result) {
    const std::string name = cmd.argv.empty() ? std::string("(empty command)") : cmd.argv.front();
    std::string message;
    if (result.timed_out) {
        message = name + " timed out after " + std::to_string(cmd.timeout.count()) + " ms and was terminated";
    } else if (result.term_signal != 0) {
        message = name + " was killed by signal " + std::to_string(result.term_signal);
    } else {
        message = name + " failed with exit code " + std::to_string(result.exit_code);
    }
    message += ": " + format_argv(cmd.argv);
    std::string tail = tail_lines(result.err);
    if (tail.empty()) tail = tail_lines(result.out);
    if (!tail.empty()) message += "\n" + tail;
    return util::Error{util::ErrorCode::Failure, std::move(message), {}};
}

util::Expected<CommandResult> run_checked(CommandRunner& runner, const Command& cmd) {
    TRY(result, runner.run(cmd));
    if (!result.ok()) return tl::unexpected(command_failure(cmd, result));
    return result;
}

}  // namespace coconut::platform
