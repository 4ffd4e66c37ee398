#pragma once
// A small POSIX-shell splitter for the scripts of RUN instructions: simple commands and their
// words, split at `&&`, `||`, `;`, `|`, `&`, newlines and parentheses, with quotes, escapes,
// line continuations, `$(…)`/backquotes, comments, redirections and here-documents handled.
// Hand-written: there is no Debian C++ library for parsing POSIX shell (the real parsers are
// bash itself and Go's mvdan.cc/sh), and the rules need commands and words, not a full grammar
// (no expansion, no control-flow structure beyond skipping `if`/`then`/`do`/… keywords).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace coconut::policy::rules::dockerfile {

struct Word {
    std::string text;          // quotes and escapes removed; `$(…)`, `${…}` kept as written
    std::size_t offset = 0;    // of its first character in the script
    bool quoted = false;       // some part was quoted or escaped
};

struct Command {
    std::vector<Word> words;   // as written, redirections removed
    std::size_t offset = 0;    // of the first word
    bool piped_in = false;     // `a | THIS`
    bool piped_out = false;    // `THIS | b`
    // The program run: the first word after reserved words (`if`, `then`, `!`, `{` …),
    // `NAME=value` assignments and wrappers (`sudo …`, `env …`, `exec`, `nohup`, `time`,
    // `command`, `nice`); its basename ("/usr/bin/apt-get" -> "apt-get"). Empty when none.
    std::string name;
    std::size_t name_index = 0;   // index of the program in `words` (== size() when none)
    int sudo_index = -1;          // index of a `sudo` wrapper, -1 when none

    [[nodiscard]] bool has_program() const { return name_index < words.size(); }
    // Words after the program.
    [[nodiscard]] std::size_t args_begin() const { return name_index + 1; }
};

std::vector<Command> split_commands(std::string_view script);

// True for sh, bash, ash, dash, zsh, ksh (POSIX-like shells).
bool is_posix_shell(std::string_view program);

}  // namespace coconut::policy::rules::dockerfile
