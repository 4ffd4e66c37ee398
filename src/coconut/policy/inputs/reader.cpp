// The input reader registry and the Sink readers write into.
#include "coconut/policy/inputs/reader.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "coconut/policy/engine.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::inputs {

Document Sink::document(int index) const {
    Document doc;
    doc.file = m_file;
    doc.input = m_type;
    doc.index = index;
    return doc;
}

Document& Sink::add_wrapped(std::string kind, std::string name, int index, const yaml::Node* root) {
    yaml::Document& arena = m_storage->synthetic.emplace_back();
    auto scalar = [&arena, root](const std::string& value) {
        yaml::Node* n = arena.make_node();
        n->text = value;
        n->start = root->start;
        n->end = root->start;
        return n;
    };
    yaml::Node* metadata = arena.make_node();
    metadata->kind = yaml::Kind::Mapping;
    metadata->start = root->start;
    metadata->pairs.push_back({scalar("name"), scalar(name)});
    yaml::Node* object = arena.make_node();
    object->kind = yaml::Kind::Mapping;
    object->start = root->start;
    object->end = root->end;
    object->pairs.push_back({scalar("apiVersion"), scalar("coconut.dev/v1")});
    object->pairs.push_back({scalar("kind"), scalar(kind)});
    object->pairs.push_back({scalar("metadata"), metadata});
    object->pairs.push_back({scalar("spec"), root});
    arena.set_root(object);

    Document doc = document(index);
    doc.api_version = "coconut.dev/v1";
    doc.kind = std::move(kind);
    doc.name = std::move(name);
    doc.root = root;
    doc.object = object;
    return m_documents->emplace_back(std::move(doc));
}

void Sink::parse_error(yaml::Mark mark, std::string message) {
    Finding f;
    f.rule = k_parse_rule;
    f.severity = Severity::High;
    f.file = m_file->path;
    f.mark = mark;
    f.message = std::move(message);
    m_findings->push_back(std::move(f));
}

Registry& Registry::instance() {
    static Registry registry;
    return registry;
}

void Registry::check_unique(const Reader& reader) const {
    const ReaderInfo& info = reader.info();
    for (const auto& existing : m_owned) {
        if (existing->info().type == info.type)
            throw std::logic_error(std::string("duplicate input type: ") + info.type.name());
        if (existing->info().order == info.order)
            throw std::logic_error(std::string("input readers ") + info.type.name() + " and " +
                                   existing->info().type.name() + " have the same order");
    }
}

namespace {

template <class R>
void insert_ordered(std::vector<const R*>& list, const R* reader) {
    const auto at = std::find_if(list.begin(), list.end(),
                                 [&](const R* r) { return r->info().order > reader->info().order; });
    list.insert(at, reader);
}

}  // namespace

void Registry::add(std::unique_ptr<TextReader> reader) {
    check_unique(*reader);
    insert_ordered(m_text, static_cast<const TextReader*>(reader.get()));
    m_owned.push_back(std::move(reader));
}

void Registry::add(std::unique_ptr<YamlReader> reader) {
    check_unique(*reader);
    insert_ordered(m_yaml, static_cast<const YamlReader*>(reader.get()));
    m_owned.push_back(std::move(reader));
}

std::vector<const Reader*> Registry::all() const {
    std::vector<const Reader*> out(m_text.begin(), m_text.end());
    out.insert(out.end(), m_yaml.begin(), m_yaml.end());
    std::sort(out.begin(), out.end(), [](const Reader* a, const Reader* b) { return a->info().order < b->info().order; });
    return out;
}

const Reader* Registry::find(InputType type) const {
    for (const auto& r : m_owned)
        if (r->info().type == type) return r.get();
    return nullptr;
}

std::string Registry::nouns() const {
    std::vector<std::string> nouns;
    for (const Reader* r : all()) nouns.push_back(r->info().noun);
    if (nouns.size() < 2) return nouns.empty() ? std::string() : nouns.front();
    const std::string last = nouns.back();
    nouns.pop_back();
    return util::join(nouns, ", ") + " or " + last;
}

std::string_view base_name(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool named_like_yaml(std::string_view path) {
    const std::string lower = util::to_lower(std::string(base_name(path)));
    return util::ends_with(lower, ".yaml") || util::ends_with(lower, ".yml");
}

bool is_helm_chart_dir(const std::string& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(std::filesystem::path(dir.empty() ? "." : dir) / "Chart.yaml", ec);
}

std::string helm_chart_dir(std::string_view path) {
    // The nearest ancestor named "templates" whose parent is a chart.
    std::filesystem::path p = std::filesystem::path(path).parent_path();
    for (; !p.empty(); p = p.parent_path()) {
        if (p.filename() == "templates" && is_helm_chart_dir(p.parent_path().string()))
            return p.parent_path().empty() ? std::string(".") : p.parent_path().generic_string();
        if (p == p.parent_path()) break;
    }
    return {};
}

bool in_helm_chart_templates(std::string_view path) { return !helm_chart_dir(path).empty(); }

std::string_view written_text(const yaml::Node* node) {
    return node != nullptr && node->is_scalar() ? std::string_view(node->text) : std::string_view();
}

}  // namespace coconut::policy::inputs
