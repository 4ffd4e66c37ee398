#include "coconut/platform/builders/image_builder.hpp"

#include <algorithm>

#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::platform::builders {

util::Expected<ToolInfo> ImageBuilder::probe(CommandRunner& runner) const { return detect_tool(runner, name()); }

BuilderRegistry& BuilderRegistry::instance() {
    static BuilderRegistry r;
    return r;
}

void BuilderRegistry::add(std::unique_ptr<ImageBuilder> builder, int order) {
    m_builders.emplace_back(order, std::move(builder));
    std::stable_sort(m_builders.begin(), m_builders.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

const ImageBuilder* BuilderRegistry::find(std::string_view name) const {
    for (const auto& [_, b] : m_builders)
        if (b->name() == name) return b.get();
    return nullptr;
}

std::vector<const ImageBuilder*> BuilderRegistry::all() const {
    std::vector<const ImageBuilder*> out;
    for (const auto& [_, b] : m_builders) out.push_back(b.get());
    return out;
}

std::vector<std::string> BuilderRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [_, b] : m_builders) out.emplace_back(b->name());
    return out;
}

util::Expected<SelectedBuilder> select_builder(CommandRunner& runner, std::string_view requested) {
    const auto& registry = BuilderRegistry::instance();
    if (!requested.empty()) {
        const ImageBuilder* b = registry.find(requested);
        if (!b) {
            std::string msg = "unknown builder '" + std::string(requested) + "'";
            const auto names = registry.names();
            if (auto s = util::closest_match(requested, names)) msg += "; did you mean '" + *s + "'?";
            msg += " (builders: " + util::join(names, ", ") + ")";
            return util::fail(util::ErrorCode::Usage, msg);
        }
        TRY(tool, b->probe(runner));
        return SelectedBuilder{b, std::move(tool)};
    }
    std::vector<std::string> reasons;
    for (const ImageBuilder* b : registry.all()) {
        auto tool = b->probe(runner);
        if (tool) return SelectedBuilder{b, std::move(*tool)};
        if (tool.error().code == util::ErrorCode::Interrupted) return tl::unexpected(std::move(tool).error());
        reasons.push_back(std::string(b->name()) + ": " + tool.error().message);
    }
    return util::fail(util::ErrorCode::Failure,
                      "no image builder found (tried " + util::join(registry.names(), ", ") +
                          "; install buildah, podman or docker):\n  " + util::join(reasons, "\n  "));
}

bool is_sha256_digest(std::string_view text) {
    if (text.size() != 7 + 64 || text.substr(0, 7) != "sha256:") return false;
    return std::all_of(text.begin() + 7, text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

util::Expected<std::string> read_digest_file(const std::filesystem::path& path) {
    auto text = util::read_file(path);
    if (!text)
        return util::fail(util::ErrorCode::Failure, "the push reported no digest: " + text.error().message, path.string());
    std::string digest = util::trim(*text);
    if (!is_sha256_digest(digest))
        return util::fail(util::ErrorCode::Failure,
                          path.string() + ": expected a sha256 digest from the push, got '" + digest.substr(0, 80) + "'");
    return digest;
}

}  // namespace coconut::platform::builders
