#pragma once
// Expected<T> and the project-wide Error type (DESIGN §11): expected failures are values,
// exceptions are reserved for programming errors.
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace coconut::util {

// What went wrong, not how the process ends: the CLI maps categories to exit codes in one
// place (cli::exit_code_for), the server maps them to HTTP statuses. Categories are distinct
// values so a test that asserts one cannot pass for another.
enum class ErrorCode {
    Usage,        // bad flags or arguments: unknown target, --push without a registry, ...
    Input,        // bad input: an invalid spec, an unreadable or malformed file
    Failure,      // a step failed: a tool exited non-zero, a push was refused, a gate said no
    Interrupted,  // the user interrupted (SIGINT/SIGTERM)
    Internal,     // a bug or resource exhaustion caught at the top (exceptions, bad_alloc)
};

// "usage", "input", "failure", "interrupted", "internal": for JSON output and logs.
const char* to_string(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Input;
    std::string message;
    std::string context;  // e.g. the file or field path it concerns
};

template <class T>
using Expected = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string context = {}) {
    return tl::unexpected<Error>(Error{code, std::move(message), std::move(context)});
}

}  // namespace coconut::util

// TRY(var, expr): evaluate an Expected, return its error from the enclosing function on
// failure, otherwise bind the value to `var`. (No GNU statement expressions: -Wpedantic.)
#define COCONUT_CONCAT_INNER(a, b) a##b
#define COCONUT_CONCAT(a, b) COCONUT_CONCAT_INNER(a, b)
#define TRY(var, expr)                                                    \
    auto COCONUT_CONCAT(try_result_, __LINE__) = (expr);                  \
    if (!COCONUT_CONCAT(try_result_, __LINE__))                           \
        return tl::unexpected(std::move(COCONUT_CONCAT(try_result_, __LINE__)).error()); \
    auto var = std::move(*COCONUT_CONCAT(try_result_, __LINE__))
// TRY_VOID(expr): the same for Expected<void>.
#define TRY_VOID(expr)                                                    \
    do {                                                                  \
        auto try_void_result_ = (expr);                                   \
        if (!try_void_result_) return tl::unexpected(std::move(try_void_result_).error()); \
    } while (0)
