// libFuzzer harness: the YAML layer. Parses the input with both indentation settings, reads every
// document in each of the three dialects (yaml::to_json), and checks that what the emitter writes
// for that data parses again to the same data in the same dialect (the emitter quotes every
// string that any dialect would read as something else).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>

#include "coconut/yaml/dialect.hpp"
#include "coconut/yaml/emit.hpp"
#include "coconut/yaml/node.hpp"

namespace y = coconut::yaml;

namespace {

constexpr y::Dialect k_dialects[] = {y::Dialect::Core12, y::Dialect::Yaml11, y::Dialect::Kubernetes};

// NaN never equals itself; such data cannot be compared after a round trip.
bool has_nan(const nlohmann::ordered_json& j) {
    if (j.is_number_float()) return std::isnan(j.get<double>());
    if (j.is_structured())
        for (const auto& item : j)
            if (has_nan(item)) return true;
    return false;
}

void check_round_trip(const nlohmann::ordered_json& data, y::Dialect dialect) {
    if (has_nan(data)) return;
    const std::string text = y::emit(data);
    const y::Stream again = y::parse(text, "emitted.yaml");
    if (!again.ok() || again.documents.size() != 1 || again.documents[0].root() == nullptr) {
        std::fprintf(stderr, "emitted YAML does not parse (%s):\n%s\n",
                     again.errors.empty() ? "no document" : again.errors[0].message.c_str(), text.c_str());
        std::abort();
    }
    if (y::to_json(*again.documents[0].root(), dialect) != data) {
        std::fprintf(stderr, "round trip in dialect %s changed the data:\n%s\nemitted:\n%s\n", y::to_string(dialect),
                     data.dump().c_str(), text.c_str());
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const bool lenient : {true, false}) {
        y::ParseOptions options;
        options.lenient_indentation = lenient;
        const y::Stream stream = y::parse(text, "fuzz.yaml", options);
        for (const auto& error : stream.errors) (void)y::format_mark(stream.file, error.mark);
        if (!lenient) continue;  // the data views are the same; read them once
        for (const auto& doc : stream.documents) {
            if (doc.root() == nullptr) continue;
            for (const y::Dialect dialect : k_dialects) {
                const nlohmann::ordered_json json = y::to_json(*doc.root(), dialect);
                if (stream.ok()) check_round_trip(json, dialect);
            }
        }
    }
    return 0;
}
