#pragma once
// AWS Copilot's own rules that a coconut spec can break (used by the copilot target check in
// copilot.cpp and by the copilot generator). Facts from github.com/aws/copilot-cli and the AWS
// API references named at each function; the code is ours.
#include <optional>
#include <string>
#include <string_view>

namespace coconut::spec::copilot {

// Why Copilot rejects a name of an application, environment or workload, or nullopt. Copilot's
// basicNameValidation (internal/pkg/cli/validate.go): `^[a-z][a-z0-9-]+$`, no consecutive or
// trailing hyphen or period, at most 255 characters.
std::optional<std::string> name_problem(std::string_view name);

// Whether Copilot's manifest interpolation turns the string into a list: it decodes every
// string that is a JSON array of strings into a YAML sequence
// (internal/pkg/manifest/interpolate.go applyInterpolation).
bool reads_as_list(std::string_view value);

}  // namespace coconut::spec::copilot
