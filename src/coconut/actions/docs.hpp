#pragma once
// `coconut docs`: reference documentation generated from the registries (docs/spec.md,
// docs/rules.md, the generator targets). CI fails when the committed files are stale.
#include <string>

namespace coconut::actions {

enum class DocsTopic { Spec, Rules, Targets };

class DocsAction {
public:
    explicit DocsAction(DocsTopic topic) : m_topic(topic) {}
    [[nodiscard]] std::string run() const;

private:
    DocsTopic m_topic;
};

}  // namespace coconut::actions
