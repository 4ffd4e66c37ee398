#include "coconut/actions/docs.hpp"

#include "coconut/generate/generator.hpp"
#include "coconut/policy/report/rules_doc.hpp"
#include "coconut/spec/load.hpp"

namespace coconut::actions {

std::string DocsAction::run() const {
    switch (m_topic) {
        case DocsTopic::Spec: return spec::reference_markdown();
        case DocsTopic::Rules: return policy::report::rules_markdown();
        case DocsTopic::Targets: {
            std::string out;
            for (const auto* g : generate::Registry::instance().all())
                out += std::string(g->name()) + "\t" + std::string(g->description()) + "\n";
            return out;
        }
    }
    return {};
}

}  // namespace coconut::actions
