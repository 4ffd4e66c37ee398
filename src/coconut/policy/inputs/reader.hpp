#pragma once
// Input readers: every input type of `coconut check` is one self-registering unit
// (policy/inputs/<type>.cpp, COCONUT_REGISTER_INPUT), like the rules. A reader says how to
// recognise its files and how to turn them into Documents; Inputs::add_text (inputs.cpp) asks the
// registry and knows no input type by name. Adding an input type is one reader unit (a .cpp, and
// a .hpp declaring its InputType for its rules) plus its fixtures in tests/policy/inputs/<type>/;
// policy_inputs_test fails for a registered reader without them.
//
// Two kinds of reader, by the syntax of their files:
//   - TextReader: files in a syntax of their own (a Dockerfile). It claims a whole file by name
//     and/or content and parses it itself. Text readers are asked first, in `order`.
//   - YamlReader: a type written in YAML. Inputs parses the YAML stream of every other file and
//     offers each document to the YAML readers in `order`; the first that claims it reads it.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/document.hpp"
#include "coconut/policy/finding.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::policy::inputs {

// What a `# coconut:ignore` comment on a line of its own covers: the next statement, which is
// an indented block (YAML) or a line and its backslash continuations (Dockerfile).
enum class Statement : std::uint8_t { IndentedBlock, ContinuedLines };

struct ReaderInfo {
    InputType type;
    // What messages call one such file: "Kubernetes manifest", "Dockerfile", ...
    std::string noun;
    // Detection order: readers of one kind are asked in increasing order and the first that
    // claims a file (a document) wins. Unique across all readers; also the order in which
    // messages list the nouns.
    int order = 0;
    Statement statement = Statement::IndentedBlock;
};

// Where a reader puts what it made of one file: Documents, PARSE-ERROR findings, and the parsed
// data the documents point into (kept as long as the Inputs).
class Sink {
public:
    struct Storage {
        std::deque<yaml::Document> synthetic;            // wrapper objects of non-Kubernetes documents
        std::deque<std::shared_ptr<const void>> kept;   // parsed files (Dockerfile, ansible::File, ...)
    };
    Sink(const SourceFile& file, InputType type, std::vector<Document>& documents, std::vector<Finding>& findings,
         Storage& storage)
        : m_file(&file), m_type(type), m_documents(&documents), m_findings(&findings), m_storage(&storage) {}

    [[nodiscard]] const SourceFile& file() const { return *m_file; }
    // A Document of this file and input type, the `index`th YAML document of the file.
    [[nodiscard]] Document document(int index) const;
    void add(Document doc) { m_documents->push_back(std::move(doc)); }
    // Adds a document of an input that is not a Kubernetes object: apiVersion coconut.dev/v1,
    // `kind`, `name`, and as `object` the synthetic {apiVersion, kind, metadata: {name}, spec:
    // root} that Kyverno patterns match. Returns it, to set the typed views.
    Document& add_wrapped(std::string kind, std::string name, int index, const yaml::Node* root);
    // A PARSE-ERROR finding (high) at `mark` of this file.
    void parse_error(yaml::Mark mark, std::string message);
    // Keeps parsed data alive for as long as the documents that point into it.
    template <class T>
    const T* keep(std::unique_ptr<T> data) {
        std::shared_ptr<const T> shared(std::move(data));
        m_storage->kept.push_back(shared);
        return shared.get();
    }

private:
    const SourceFile* m_file;
    InputType m_type;
    std::vector<Document>* m_documents;
    std::vector<Finding>* m_findings;
    Storage* m_storage;
};

class Reader {
public:
    virtual ~Reader() = default;
    [[nodiscard]] virtual const ReaderInfo& info() const = 0;
};

class TextReader : public Reader {
public:
    // Whether a file met while walking a directory is worth reading, by its name alone (its
    // content is then offered to claims()). Files named *.yaml / *.yml are always read.
    [[nodiscard]] virtual bool may_claim(std::string_view file_name) const = 0;
    // Whether the file (`path` as reported, whole content `text`) is of this type.
    [[nodiscard]] virtual bool claims(std::string_view path, std::string_view text) const = 0;
    virtual void read(Sink& sink) const = 0;
};

class YamlReader : public Reader {
public:
    // Whether one YAML document (never null, never a null scalar) of the file at `path` is of
    // this type.
    [[nodiscard]] virtual bool claims(const yaml::Node& root, std::string_view path) const = 0;
    // Reads a document claims() accepted; `index` is its 0-based number in the file.
    virtual void read(const yaml::Node& root, int index, Sink& sink) const = 0;
};

class Registry {
public:
    static Registry& instance();   // a function-local static: readers register during static init
    // A duplicate type or order is a programming error (throws).
    void add(std::unique_ptr<TextReader> reader);
    void add(std::unique_ptr<YamlReader> reader);
    // In detection order.
    [[nodiscard]] const std::vector<const TextReader*>& text_readers() const { return m_text; }
    [[nodiscard]] const std::vector<const YamlReader*>& yaml_readers() const { return m_yaml; }
    // Every reader, in order.
    [[nodiscard]] std::vector<const Reader*> all() const;
    [[nodiscard]] const Reader* find(InputType type) const;
    // "a Kubernetes manifest, Dockerfile, ... or Copilot manifest": the nouns of every reader.
    [[nodiscard]] std::string nouns() const;

private:
    void check_unique(const Reader& reader) const;
    std::vector<std::unique_ptr<Reader>> m_owned;
    std::vector<const TextReader*> m_text;
    std::vector<const YamlReader*> m_yaml;
};

template <class R>
struct ReaderRegistration {
    ReaderRegistration() { Registry::instance().add(std::make_unique<R>()); }
};

// In a reader's .cpp: COCONUT_REGISTER_INPUT(KubernetesReader);
#define COCONUT_REGISTER_INPUT(Class) \
    static const ::coconut::policy::inputs::ReaderRegistration<Class> coconut_input_##Class{}

// Helpers shared by the readers and the loader.
std::string_view base_name(std::string_view path);
bool named_like_yaml(std::string_view path);   // *.yaml / *.yml, any case
// True when `path` is below a `templates/` directory whose parent holds a Chart.yaml (a Helm
// chart's Go templates); helm_chart_dir() is that parent ("." when it is the current directory).
bool in_helm_chart_templates(std::string_view path);
std::string helm_chart_dir(std::string_view path);
// True when `dir` (a directory) holds a Chart.yaml.
bool is_helm_chart_dir(const std::string& dir);
// The text of a scalar as written, "~" and "null" included; "" when absent or not a scalar.
// (Unlike policy::scalar_text, a null value is text here: `kind: ~` still names a kind.)
std::string_view written_text(const yaml::Node* node);

}  // namespace coconut::policy::inputs
