// Kubernetes manifests: a YAML document with a non-empty apiVersion and kind is a Kubernetes
// object (asked first among the YAML readers: those two keys decide). `root` and `object` are
// the object itself; a v1 List gives one Document per item.
#include "coconut/policy/inputs/kubernetes.hpp"

#include <vector>

#include "coconut/policy/inputs/reader.hpp"

namespace coconut::policy::inputs {
namespace {

class KubernetesReader final : public YamlReader {
public:
    [[nodiscard]] const ReaderInfo& info() const override { return m_info; }

    [[nodiscard]] bool claims(const yaml::Node& root, std::string_view) const override {
        return root.is_mapping() && !written_text(root.find("apiVersion")).empty() &&
               !written_text(root.find("kind")).empty();
    }

    void read(const yaml::Node& root, int index, Sink& sink) const override {
        std::vector<const yaml::Node*> objects;
        const yaml::Node* items = root.find("items");
        if (written_text(root.find("kind")) == "List" && items != nullptr && items->is_sequence())
            objects.assign(items->items.begin(), items->items.end());
        else
            objects.push_back(&root);
        for (const yaml::Node* obj : objects) {
            if (!obj->is_mapping()) continue;
            Document doc = sink.document(index);
            doc.api_version = written_text(obj->find("apiVersion"));
            doc.kind = written_text(obj->find("kind"));
            if (const yaml::Node* md = obj->find("metadata"); md != nullptr && md->is_mapping()) {
                doc.name = written_text(md->find("name"));
                if (doc.name.empty()) doc.name = written_text(md->find("generateName"));
                doc.ns = written_text(md->find("namespace"));
            }
            doc.root = obj;
            doc.object = obj;
            sink.add(std::move(doc));
        }
    }

private:
    ReaderInfo m_info{.type = k_kubernetes, .noun = "Kubernetes manifest", .order = 10,
                      .statement = Statement::IndentedBlock};
};
COCONUT_REGISTER_INPUT(KubernetesReader);

}  // namespace
}  // namespace coconut::policy::inputs
