// Dockerfiles: recognised by name (Dockerfile, Containerfile, *.dockerfile, Dockerfile.*, any
// case) or, for a file not named *.yaml / *.yml, by content (dockerfile::looks_like_dockerfile).
// The one text reader: asked before a file is read as YAML.
#include "coconut/policy/inputs/dockerfile.hpp"

#include "coconut/policy/dockerfile/parser.hpp"
#include "coconut/policy/inputs/reader.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::inputs {
namespace {

bool named_like_dockerfile(std::string_view path) {
    const std::string lower = util::to_lower(base_name(path));
    return lower == "dockerfile" || lower == "containerfile" || util::ends_with(lower, ".dockerfile") ||
           util::ends_with(lower, ".containerfile") || util::starts_with(lower, "dockerfile.") ||
           util::starts_with(lower, "containerfile.");
}

class DockerfileReader final : public TextReader {
public:
    [[nodiscard]] const ReaderInfo& info() const override { return m_info; }

    // A name without an extension may be a Dockerfile by content (build-script, ...).
    [[nodiscard]] bool may_claim(std::string_view file_name) const override {
        return named_like_dockerfile(file_name) || file_name.find('.') == std::string_view::npos;
    }

    [[nodiscard]] bool claims(std::string_view path, std::string_view text) const override {
        return named_like_dockerfile(path) || (!named_like_yaml(path) && dockerfile::looks_like_dockerfile(text));
    }

    void read(Sink& sink) const override {
        const dockerfile::Dockerfile* parsed = sink.keep(dockerfile::parse(sink.file().text));
        for (const auto& e : parsed->errors) sink.parse_error(e.mark, e.message);
        if (parsed->tree.root() == nullptr) return;
        Document& doc = sink.add_wrapped("Dockerfile", sink.file().path, 0, parsed->tree.root());
        doc.dockerfile = parsed;
    }

private:
    ReaderInfo m_info{.type = k_dockerfile, .noun = "Dockerfile", .order = 20,
                      .statement = Statement::ContinuedLines};
};
COCONUT_REGISTER_INPUT(DockerfileReader);

}  // namespace
}  // namespace coconut::policy::inputs
