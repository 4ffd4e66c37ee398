#pragma once
// Which version of an external tool is installed, and is it new enough?
//
//   auto helm = TRY(require_tool(runner, "helm", "3.8", "for OCI push"));
//   // -> "helm 3.7.0 is too old: coconut needs Helm >= 3.8 for OCI push (found at /usr/bin/helm)"
//
// Versions are read from the tools' own version commands (`helm version --short`,
// `buildah --version`, `kubectl version --client -o json`, ...), whose formats differ; see
// find_version().
#include <compare>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/platform/command_runner.hpp"

namespace coconut::platform {

struct Version {
    int major = 0;
    int minor = 0;
    int patch = 0;
    int components = 3;      // how many numbers were written: "3.8" has 2 (printed back as "3.8")
    std::string prerelease;  // "rc.1" in 3.8.0-rc.1, "dispatcher" in v1.32.4-dispatcher
    std::string build;       // "ge4da497" in v3.17.3+ge4da497, "dfsg1" in 20.10.24+dfsg1

    // "3.17.3", "3.8", "1.32.4-dispatcher" (no 'v', no build metadata).
    [[nodiscard]] std::string to_string() const;

    // Semantic-version precedence: numbers, then a pre-release sorts before its release
    // (identifiers compared numerically or lexically); build metadata and the number of written
    // components are ignored ("3.8" == "3.8.0").
    friend std::strong_ordering operator<=>(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) { return (a <=> b) == 0; }
};

// Parses a whole string as a version: optional 'v', 1 to 3 dot-separated numbers, optional
// -prerelease and +build. Surrounding whitespace is allowed; anything else is not.
std::optional<Version> parse_version(std::string_view text);

// True when `found` satisfies the minimum. Only the numbers are compared: distributions and
// vendors decorate versions ("v1.32.4-eks-8ccc7ba", "1.28.2-dev", "20.10.24+dfsg1"), and
// treating those suffixes as semver pre-releases would reject the very build a minimum names.
bool meets_minimum(const Version& found, const Version& minimum);

// Finds the tool's own version in the output of its version command. `tool` picks the anchors
// that matter for it (kubectl's "Client Version:" / "gitVersion", buildah's "version ..." rather
// than its "(image-spec 1.1.0, ...)"); otherwise the first version-looking token (at least
// major.minor) is taken.
std::optional<Version> find_version(std::string_view output, std::string_view tool = {});

struct ToolSpec {
    std::string_view name;          // the binary: "helm"
    std::string_view display_name;  // for messages: "Helm"
    std::vector<std::string> version_args;  // after the binary: {"version", "--short"}
};

// Known tools and how to ask them their version. nullptr for an unknown tool.
const ToolSpec* find_tool_spec(std::string_view name);
std::span<const ToolSpec> known_tools();

struct ToolInfo {
    std::string name;     // "helm"
    std::string path;     // the binary run (absolute when it was found on PATH), for messages
    Version version;
    std::string output;   // what the version command printed (stdout, or stderr when stdout was empty)
};

// Runs the tool's version command through the runner and parses it. `binary` overrides where the
// tool is (default: runner.find_program(name), i.e. PATH for the real runner); ToolInfo::path is
// what was run, so later commands can use the very same binary. Errors: the tool cannot be found
// or run, its version command fails, or its output holds no version.
util::Expected<ToolInfo> detect_tool(CommandRunner& runner, std::string_view name, std::string binary = {});

// What to tell a user whose tool is missing or too old, when the caller knows more than the
// default wording (how to install the tool, the option that names its binary). Empty: default.
struct ToolAdvice {
    // The whole message when the tool cannot be found or started, instead of "coconut needs
    // Helm >= 3.8 for OCI push, but helm: command not found (searched PATH=...)".
    std::string missing;
    // Ends the too-old message: "helm 3.7.2 is too old: coconut needs Helm >= 3.8; upgrade Helm".
    std::string too_old;
};

// The error (or nothing) for a detected tool against a minimum version; `purpose` completes the
// sentence "coconut needs Helm >= 3.8 ..." (e.g. "for OCI push"; may be empty); `upgrade`, when
// given, ends it ("...; upgrade Helm").
util::Expected<void> check_minimum(const ToolInfo& tool, const Version& minimum, std::string_view purpose = {},
                                   std::string_view upgrade = {});

// detect_tool + check_minimum: the one way to check that a tool is there and new enough.
// `minimum` is a version string such as "3.8". A tool that cannot be run or asked its version is
// reported as "coconut needs Helm >= 3.8 for OCI push, but ..." (or advice.missing when it cannot
// be run at all); Ctrl-C as it came.
util::Expected<ToolInfo> require_tool(CommandRunner& runner, std::string_view name, std::string_view minimum,
                                      std::string_view purpose = {}, std::string binary = {},
                                      const ToolAdvice& advice = {});

}  // namespace coconut::platform
