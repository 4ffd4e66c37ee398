#pragma once
// AWS Fargate task sizes. Fargate runs a task only at certain CPU/memory pairs (AWS ECS
// Developer Guide, "Task CPU and memory"): CPU in units of 1/1024 vCPU, memory in MiB.
//   256 (.25 vCPU)  512, 1024, 2048
//   512 (.5 vCPU)   1024 .. 4096 in steps of 1024
//   1024 (1 vCPU)   2048 .. 8192 in steps of 1024
//   2048 (2 vCPU)   4096 .. 16384 in steps of 1024
//   4096 (4 vCPU)   8192 .. 30720 in steps of 1024
//   8192 (8 vCPU)   16384 .. 61440 in steps of 4096
//   16384 (16 vCPU) 32768 .. 122880 in steps of 8192
// Used by the ecs and copilot generators (task size) and by spec validation (an invalid pair is
// an error at `resources`, with the nearest valid pair suggested).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coconut/spec/model.hpp"

namespace coconut::spec::fargate {

struct Size {
    int cpu = 0;     // CPU units (1024 = 1 vCPU)
    int memory = 0;  // MiB
    bool operator==(const Size&) const = default;
};

// Every valid pair, by CPU then memory.
const std::vector<Size>& valid_sizes();
bool is_valid(Size s);

// How a service's resources map onto a Fargate task size. The task must hold the container's
// limits (the limit, or the request when no limit is set): CPU rounds up to the next Fargate
// CPU size, memory up to the next valid value of that CPU's range (its minimum included: 100m
// with 64Mi runs as 0.25 vCPU / 512 MiB, the smallest task). The pair is invalid when the
// memory exceeds that CPU's range (0.25 vCPU with 4 GiB: coconut will not raise the CPU behind
// the user's back) or the request exceeds Fargate's largest task (16 vCPU, 120 GiB).
struct Mapping {
    Size size;                       // the task size (valid when `problem` is empty)
    std::string problem;             // why no valid task size fits, as a sentence fragment
    std::optional<Size> suggestion;  // the nearest valid pair when `problem` is set
};
// cpu_millis / memory_bytes as parsed by spec::parse_cpu_millis / parse_memory_bytes.
Mapping map(std::int64_t cpu_millis, double memory_bytes);
// From a service's resources (limits when set, else requests). Unparseable quantities (already
// reported by validation) map to the smallest task.
Mapping map(const Resources& r);

// "0.25 vCPU", "1 vCPU"; "512 MiB", "2 GiB", "2.5 GiB", "2049 MiB" (for messages)
std::string cpu_text(int units);
std::string memory_text(int mib);
// The spec quantities that produce `s` exactly: cpu "250m"/"1", memory "512Mi"/"2Gi".
std::string cpu_quantity(int units);
std::string memory_quantity(int mib);

}  // namespace coconut::spec::fargate
