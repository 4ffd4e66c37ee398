// libFuzzer harness: the Dockerfile parser of `coconut check` (policy/dockerfile/parser.hpp):
// parse, content sniffing, and the position / image helpers the rules use on what it returns.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coconut/policy/dockerfile/parser.hpp"

namespace df = coconut::policy::dockerfile;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)df::looks_like_dockerfile(text);
    (void)df::printable(text);
    const auto parsed = df::parse(text);
    for (const auto& ins : parsed->instructions) {
        // Every offset of the joined arguments, and one past the end, has a source position.
        for (std::size_t i = 0; i <= ins.arguments.size(); ++i) (void)ins.mark_at(i);
        for (const auto& heredoc : ins.heredocs)
            for (std::size_t i = 0; i <= heredoc.body.size(); ++i) (void)heredoc.mark_at(i);
        (void)ins.flag("from");
    }
    for (const auto& stage : parsed->stages) (void)df::split_image(stage.image);
    return 0;
}
