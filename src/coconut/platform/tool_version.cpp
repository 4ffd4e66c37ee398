#include "coconut/platform/tool_version.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "coconut/platform/process_runner.hpp"

namespace coconut::platform {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_ident_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }

struct Scan {
    Version version;
    std::size_t end = 0;
};

// Reads a version starting exactly at `pos`; nullopt when there is none there.
std::optional<Scan> scan_version(std::string_view s, std::size_t pos) {
    std::size_t i = pos;
    if (i < s.size() && (s[i] == 'v' || s[i] == 'V')) ++i;
    int numbers[3] = {0, 0, 0};
    int count = 0;
    while (true) {
        if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
        long value = 0;
        std::size_t digits = 0;
        while (i < s.size() && is_digit(s[i])) {
            if (++digits > 9) return std::nullopt;  // not a version number; avoids overflow
            value = value * 10 + (s[i] - '0');
            ++i;
        }
        if (count < 3) numbers[count] = static_cast<int>(value);
        ++count;  // a 4th component (1.2.3.4) is read and ignored
        if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1]) && count < 4) {
            ++i;
            continue;
        }
        break;
    }
    Scan out;
    out.version.major = numbers[0];
    out.version.minor = numbers[1];
    out.version.patch = numbers[2];
    out.version.components = std::min(count, 3);
    auto read_ident = [&](std::string& into) {
        std::size_t start = i;
        while (i < s.size() && is_ident_char(s[i])) ++i;
        while (i > start && (s[i - 1] == '.' || s[i - 1] == '-')) --i;  // "1.2.3." ends a sentence
        into.assign(s.substr(start, i - start));
    };
    if (i + 1 < s.size() && s[i] == '-' && is_alnum(s[i + 1])) {
        ++i;
        read_ident(out.version.prerelease);
    }
    if (i + 1 < s.size() && s[i] == '+' && is_alnum(s[i + 1])) {
        ++i;
        read_ident(out.version.build);
    }
    out.end = i;
    return out;
}

// The first token in `s` from `from` on that looks like a version with at least major.minor,
// and that does not continue a word ("go1.23.8" is not a version of the tool).
std::optional<Version> first_version_token(std::string_view s, std::size_t from = 0) {
    for (std::size_t i = from; i < s.size(); ++i) {
        const char c = s[i];
        const bool starts = is_digit(c) || ((c == 'v' || c == 'V') && i + 1 < s.size() && is_digit(s[i + 1]));
        if (!starts) continue;
        if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '-' || s[i - 1] == '+')) continue;
        auto scan = scan_version(s, i);
        if (scan && scan->version.components >= 2) return scan->version;
        if (scan) i = scan->end;
    }
    return std::nullopt;
}

int compare_identifiers(std::string_view a, std::string_view b) {
    auto numeric = [](std::string_view x) {
        return !x.empty() && std::all_of(x.begin(), x.end(), is_digit);
    };
    const bool na = numeric(a), nb = numeric(b);
    if (na && nb) {
        std::string_view ta = a.substr(std::min(a.find_first_not_of('0'), a.size()));
        std::string_view tb = b.substr(std::min(b.find_first_not_of('0'), b.size()));
        if (ta.size() != tb.size()) return ta.size() < tb.size() ? -1 : 1;
        return ta.compare(tb) < 0 ? -1 : (ta == tb ? 0 : 1);
    }
    if (na != nb) return na ? -1 : 1;  // numeric identifiers sort before alphanumeric ones
    int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::vector<std::string_view> split_dots(std::string_view s) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = s.find('.', start);
        parts.push_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return parts;
}

struct Anchors {
    std::string_view tool;
    std::array<std::string_view, 3> anchors;
};

// Where each tool prints its own version; the first anchor found wins, then the first token.
constexpr std::array<Anchors, 11> k_anchors{{
    // kubectl version --client -o json | old "Client Version: version.Info{... GitVersion:"v1.25.0"}"
    // | new "Client Version: v1.32.4\nKustomize Version: v5.5.0"
    {"kubectl", {"\"gitVersion\":", "GitVersion:\"", "Client Version:"}},
    {"buildah", {"buildah version ", "version ", {}}},  // "... (image-spec 1.1.0-rc2, runtime-spec ...)"
    {"podman", {"podman version ", "version ", {}}},
    {"docker", {"Docker version ", "version ", {}}},
    {"skopeo", {"skopeo version ", "version ", {}}},
    {"promtool", {"version ", {}, {}}},
    {"ansible-playbook", {"[core ", {}, {}}},
    {"ansible", {"[core ", {}, {}}},
    {"aws", {"aws-cli/", {}, {}}},
    {"copilot", {"version: ", "version ", {}}},
    {"git", {"git version ", {}, {}}},
}};

std::string display_name_of(std::string_view name) {
    if (const ToolSpec* spec = find_tool_spec(name)) return std::string(spec->display_name);
    return std::string(name);
}

// detect_tool()'s answer, and whether a failure means the tool could not be run at all (not
// found, not executable) rather than that it ran and did not say its version.
struct Detection {
    util::Expected<ToolInfo> info;
    bool not_runnable = false;
};

Detection detect(CommandRunner& runner, std::string_view name, std::string binary) {
    const ToolSpec* spec = find_tool_spec(name);
    ToolInfo info;
    info.name = std::string(name);
    if (!binary.empty()) {
        info.path = binary;
    } else {
        auto found = runner.find_program(name);
        if (!found) {
            return {util::fail(util::ErrorCode::Failure, std::string(name) + ": command not found (searched PATH=" +
                                                             current_path_env() + ")", std::string(name)),
                    true};
        }
        info.path = *found;
    }
    Command cmd;
    cmd.argv.push_back(info.path);
    if (spec) cmd.argv.insert(cmd.argv.end(), spec->version_args.begin(), spec->version_args.end());
    else cmd.argv.emplace_back("--version");
    cmd.timeout = std::chrono::seconds(30);
    auto result = runner.run(cmd);
    if (!result) return {tl::unexpected(std::move(result).error()), true};
    if (!result->ok()) {
        util::Error e = command_failure(cmd, *result);
        e.message = "cannot get the version of " + info.name + ": " + e.message;
        return {tl::unexpected(std::move(e))};
    }
    info.output = result->out.empty() ? result->err : result->out;
    auto version = find_version(info.output, name);
    if (!version && !result->out.empty()) version = find_version(result->err, name);
    if (!version) {
        std::string first_line = info.output.substr(0, info.output.find('\n'));
        if (first_line.size() > 120) first_line = first_line.substr(0, 120) + "...";
        return {util::fail(util::ErrorCode::Failure,
                           "cannot tell the version of " + info.name + " (" + info.path + ") from `" +
                               format_argv(cmd.argv) + "`: " + (first_line.empty() ? "no output" : "'" + first_line + "'"),
                           info.path)};
    }
    info.version = *version;
    return {std::move(info)};
}

}  // namespace

std::string Version::to_string() const {
    std::string s = std::to_string(major);
    if (components >= 2) s += "." + std::to_string(minor);
    if (components >= 3) s += "." + std::to_string(patch);
    if (!prerelease.empty()) s += "-" + prerelease;
    return s;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
    if (auto c = a.major <=> b.major; c != 0) return c;
    if (auto c = a.minor <=> b.minor; c != 0) return c;
    if (auto c = a.patch <=> b.patch; c != 0) return c;
    if (a.prerelease.empty() || b.prerelease.empty()) {
        if (a.prerelease.empty() && b.prerelease.empty()) return std::strong_ordering::equal;
        return a.prerelease.empty() ? std::strong_ordering::greater : std::strong_ordering::less;
    }
    auto pa = split_dots(a.prerelease), pb = split_dots(b.prerelease);
    for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
        int c = compare_identifiers(pa[i], pb[i]);
        if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    return pa.size() <=> pb.size();
}

std::optional<Version> parse_version(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return std::nullopt;
    const auto last = text.find_last_not_of(" \t\r\n");
    text = text.substr(first, last - first + 1);
    auto scan = scan_version(text, 0);
    if (!scan || scan->end != text.size()) return std::nullopt;
    return scan->version;
}

bool meets_minimum(const Version& found, const Version& minimum) {
    return std::tie(found.major, found.minor, found.patch) >= std::tie(minimum.major, minimum.minor, minimum.patch);
}

std::optional<Version> find_version(std::string_view output, std::string_view tool) {
    for (const auto& entry : k_anchors) {
        if (entry.tool != tool) continue;
        for (std::string_view anchor : entry.anchors) {
            if (anchor.empty()) continue;
            std::size_t at = output.find(anchor);
            if (at == std::string_view::npos) continue;
            std::size_t i = at + anchor.size();
            while (i < output.size() && (output[i] == ' ' || output[i] == '\t' || output[i] == '"')) ++i;
            auto scan = scan_version(output, i);
            if (scan && scan->version.components >= 2) return scan->version;
        }
    }
    return first_version_token(output);
}

std::span<const ToolSpec> known_tools() {
    static const std::vector<ToolSpec> tools = {
        {"helm", "Helm", {"version", "--short"}},
        {"kubectl", "kubectl", {"version", "--client", "-o", "json"}},
        {"buildah", "Buildah", {"--version"}},
        {"podman", "Podman", {"--version"}},
        {"docker", "Docker", {"--version"}},
        {"skopeo", "skopeo", {"--version"}},
        {"ansible-playbook", "Ansible", {"--version"}},
        {"aws", "AWS CLI", {"--version"}},
        {"copilot", "AWS Copilot", {"--version"}},
        {"promtool", "promtool", {"--version"}},
        {"git", "git", {"--version"}},
    };
    return tools;
}

const ToolSpec* find_tool_spec(std::string_view name) {
    for (const ToolSpec& t : known_tools()) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

util::Expected<ToolInfo> detect_tool(CommandRunner& runner, std::string_view name, std::string binary) {
    return detect(runner, name, std::move(binary)).info;
}

util::Expected<void> check_minimum(const ToolInfo& tool, const Version& minimum, std::string_view purpose,
                                   std::string_view upgrade) {
    if (meets_minimum(tool.version, minimum)) return {};
    std::string message = tool.name + " " + tool.version.to_string() + " is too old: coconut needs " +
                          display_name_of(tool.name) + " >= " + minimum.to_string();
    if (!purpose.empty()) message += " " + std::string(purpose);
    if (tool.path.find('/') != std::string::npos) message += " (found at " + tool.path + ")";
    if (!upgrade.empty()) message += "; " + std::string(upgrade);
    return util::fail(util::ErrorCode::Failure, std::move(message), tool.path);
}

util::Expected<ToolInfo> require_tool(CommandRunner& runner, std::string_view name, std::string_view minimum,
                                      std::string_view purpose, std::string binary, const ToolAdvice& advice) {
    auto min = parse_version(minimum);
    if (!min) throw std::invalid_argument("require_tool: invalid minimum version '" + std::string(minimum) + "'");
    Detection found = detect(runner, name, std::move(binary));
    if (!found.info) {
        util::Error e = std::move(found.info).error();
        if (e.code == util::ErrorCode::Interrupted) return tl::unexpected(std::move(e));
        if (found.not_runnable && !advice.missing.empty()) {
            e.message = advice.missing;
            return tl::unexpected(std::move(e));
        }
        std::string need = "coconut needs " + display_name_of(name) + " >= " + min->to_string();
        if (!purpose.empty()) need += " " + std::string(purpose);
        e.message = need + ", but " + e.message;
        return tl::unexpected(std::move(e));
    }
    TRY_VOID(check_minimum(*found.info, *min, purpose, advice.too_old));
    return std::move(found.info);
}

}  // namespace coconut::platform
