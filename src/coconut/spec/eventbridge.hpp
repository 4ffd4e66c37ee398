#pragma once
// Cron schedules in Amazon EventBridge's form. A coconut job schedule is a Kubernetes CronJob
// schedule (5 fields or a macro, UTC); EventBridge (Scheduler and rules) wants
// `cron(minutes hours day-of-month month day-of-week year)` where exactly one of day-of-month
// and day-of-week is `?`, days of the week count 1-7 from Sunday (cron: 0-7, 0 and 7 Sunday),
// and increments start from a value (`0/15`, not `*/15`). Used by the ecs generator (job
// schedules) and the ecs target check (a schedule EventBridge cannot express is an error).
#include <string>
#include <string_view>

namespace coconut::spec::eventbridge {

struct Cron {
    std::string expression;  // "cron(0 3 * * ? *)" when `problem` is empty
    std::string problem;     // why EventBridge cannot run the schedule, as a sentence fragment
};

// `schedule` must already be valid (spec::cron_problem); an invalid one yields a problem.
Cron cron_expression(std::string_view schedule);

}  // namespace coconut::spec::eventbridge
