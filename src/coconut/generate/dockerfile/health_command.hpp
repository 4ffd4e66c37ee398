#pragma once
// The health-check command of a built service's image preset: the HEALTHCHECK of the generated
// Dockerfile, and the container health check of targets that run the image without Docker's
// HEALTHCHECK (ECS ignores it: the copilot target restates it as `image.healthcheck`).
#include <string>
#include <vector>

#include "coconut/spec/model.hpp"

namespace coconut::generate::dockerfile {

// The check command, with a tool the final image of the runtime preset has; empty argv with a
// reason when the image has none (scratch, distroless) or the runtime is the user's Dockerfile.
struct HealthCommand {
    std::vector<std::string> argv;
    std::string why_none;
};

// `build` is the service's build block and `svc.health` must be set; `port` is the port checked
// (TCP when the health check has no path, HTTP GET of the path otherwise). A path with characters
// that cannot sit inside the preset's quoted program text (quotes, backslashes, spaces, ...)
// gives no command, with the reason.
HealthCommand default_health_command(const spec::Service& svc, const spec::Build& build, int port);

// The exec-form command the image's HEALTHCHECK runs: build.healthcheck, else health.command,
// else the preset's check of `health` with a tool the image has. Empty, with the reason in
// `why_none`, when the image has no check (no `health`, scratch/distroless, an image coconut does
// not build). Targets that run the check inside the container themselves (ECS task definitions,
// Copilot's `image.healthcheck`) use the same command.
HealthCommand image_health_check(const spec::Service& service);

}  // namespace coconut::generate::dockerfile
