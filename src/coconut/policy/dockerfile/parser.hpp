#pragma once
// Dockerfile parser for `coconut check`: instructions with positions, line continuations (with
// the `# escape=` directive), heredocs (`<<EOF`, `<<-EOF`, quoted delimiters), parser directives,
// comments, JSON (exec) vs shell form, stages (`FROM … AS name`) and `--from`/`--mount` flags.
// Hand-written: no Debian library parses Dockerfiles (BuildKit's parser is Go).
//
// Columns are 1-based and count characters (UTF-8 code points), like the YAML layer's marks.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/yaml/node.hpp"

namespace coconut::policy::dockerfile {

struct Diagnostic {
    yaml::Mark mark;
    std::string message;
};

struct Flag {
    std::string name;    // without dashes: "from", "mount", "chown", "platform"
    std::string value;   // "" for a flag without '='; quotes removed
    yaml::Mark mark;     // of the leading "--"
};

// Where a run of characters of a joined string starts in the source: `offset` into the string,
// then the physical `line`/`column` of that character. Consecutive characters of one segment are
// consecutive in the source.
struct Segment {
    std::size_t offset = 0;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

struct Heredoc {
    std::string delimiter;   // without quotes
    std::string body;        // content lines joined with '\n' (leading tabs stripped for <<-)
    yaml::Mark mark;         // of "<<"
    bool strip_tabs = false; // <<-
    bool quoted = false;     // <<"EOF" / <<'EOF' (no expansion in the body)
    bool terminated = true;  // false: the file ended before the delimiter line
    std::uint32_t body_line = 0;              // physical line of the body's first line
    std::vector<std::uint32_t> stripped;      // <<- only: tabs removed from each body line

    // Source position of body[offset].
    [[nodiscard]] yaml::Mark mark_at(std::size_t offset) const;
};

struct Instruction {
    std::string keyword;         // upper-case: "FROM", "RUN", "USER", ...
    yaml::Mark mark;             // of the keyword
    yaml::Mark args_mark;        // first character of the arguments (after the flags)
    std::uint32_t end_line = 0;  // last physical line (continuations and heredocs included)
    std::vector<Flag> flags;
    // After the flags, with continuations joined exactly as BuildKit joins them: the escape
    // character and the line break are removed and the next line follows as written (so its
    // indentation separates the words); comment and blank lines inside are dropped. Trimmed.
    std::string arguments;
    std::vector<Segment> segments;        // positions of `arguments`
    bool json_form = false;      // a valid JSON array of strings (HEALTHCHECK: after "CMD")
    std::vector<std::string> json_args;   // the array when json_form
    std::vector<Heredoc> heredocs;        // RUN, COPY and ADD only
    int stage = -1;              // index into Dockerfile::stages; -1 before the first FROM

    // Source position of arguments[offset] (offset == size(): just after the last character).
    [[nodiscard]] yaml::Mark mark_at(std::size_t offset) const;
    // The value of flag `name` (first occurrence), nullptr when absent.
    [[nodiscard]] const Flag* flag(std::string_view name) const;
};

struct Stage {
    int index = 0;
    std::string name;            // `AS name` (lower-cased), empty when none
    std::string image;           // the FROM image reference as written ("node:20-slim@sha256:…")
    std::string repository;      // "node"  (registry and path kept: "ghcr.io/org/app")
    std::string tag;             // "20-slim", empty when none
    std::string digest;          // "sha256:…", empty when none
    std::string platform;        // --platform value
    std::size_t from_instruction = 0;          // index of its FROM in Dockerfile::instructions
    std::size_t end_instruction = 0;           // one past its last instruction
    bool from_stage = false;     // FROM names an earlier stage
    int parent = -1;             // that earlier stage's index when from_stage
    bool scratch = false;        // FROM scratch
    yaml::Mark mark;             // of the FROM keyword
    yaml::Mark image_mark;       // of the image reference
};

struct Directive {
    std::string name;    // lower-case: "syntax", "escape", "check"
    std::string value;
    yaml::Mark mark;
};

struct Comment {
    std::uint32_t line = 0;
    std::string text;    // after '#', trimmed
};

struct Dockerfile {
    std::vector<Directive> directives;
    std::vector<Instruction> instructions;
    std::vector<Stage> stages;
    std::vector<Comment> comments;
    std::vector<Diagnostic> errors;   // e.g. unterminated heredoc, unknown instruction, no FROM
    char escape = '\\';
    // The normalised tree (docs/policy-documents.md, section "Dockerfile") that custom policies
    // match against:
    //   {directives: {syntax: …}, args: [instruction…],   # ARGs before the first FROM
    //    stages: [{index, name, image, repository, tag, digest, platform,
    //      instructions: [{instruction, line, column, flags: {from: …}, arguments,
    //        form: shell|exec, args: [..], heredocs: [{delimiter, body, line}]}]}]}
    // Nodes carry the positions of the source.
    yaml::Document tree;

    // The stage the image is built from (the last one); nullptr when there is no FROM.
    [[nodiscard]] const Stage* final_stage() const { return stages.empty() ? nullptr : &stages.back(); }
};

// Limits against hostile input (a real Dockerfile has a few hundred instructions at most).
inline constexpr std::size_t k_max_instructions = 20000;
inline constexpr std::size_t k_max_errors = 100;

// Never throws, never prints: problems are Diagnostics.
std::unique_ptr<Dockerfile> parse(std::string_view text);

// Content sniffing for files not named like a Dockerfile: the first instruction (after
// directives, comments and blank lines) is FROM or ARG followed later by FROM.
bool looks_like_dockerfile(std::string_view text);

// `text` made safe to quote in a message: valid UTF-8 (invalid bytes and control characters
// become \xNN), at most `max_chars` characters (then "…").
std::string printable(std::string_view text, std::size_t max_chars = 60);

// `[registry/]repository[:tag][@digest]` split as Docker does (the tag is after the last ':'
// that follows the last '/').
struct ImageParts {
    std::string repository;
    std::string tag;
    std::string digest;
};
ImageParts split_image(std::string_view image);

}  // namespace coconut::policy::dockerfile
