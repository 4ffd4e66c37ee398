// libFuzzer harness: the spec loader + validator. The input is the text of a coconut.yaml:
// spec::load parses it, validates it and resolves + validates every environment; then each
// environment's merged data is built as `coconut config` would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coconut/spec/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const coconut::spec::LoadResult result = coconut::spec::load(text, "coconut.yaml");
    for (const auto& problem : result.problems) (void)problem.format();
    if (!result.ok()) return 0;
    (void)result.spec.resolved_data("");
    for (const auto& [name, overlay] : result.spec.m_env_overlays) {
        (void)result.spec.resolve(name);
        (void)result.spec.resolved_data(name);
    }
    (void)result.spec.resolve("no-such-environment");
    return 0;
}
