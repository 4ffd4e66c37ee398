#pragma once
// `coconut check --schemas DIR`: Kubernetes objects validated against standalone JSON schemas laid
// out like kubeconform's (`<kind>-<group>-<version>.json`, core: `<kind>-<version>.json`, all
// lower-case, group = first label of the API group). Unknown fields are findings.
//
// Hand-written, compact draft-07 subset (type, enum, const, properties, additionalProperties,
// required, items, oneOf/anyOf/allOf/not, min/max, minLength/maxLength, minItems/maxItems, format
// int32/int64): Debian's libvalijson-dev drags Qt/Poco into the build (DESIGN §12), and the
// standalone Kubernetes schemas need no $ref. Each schema file is compiled once into a tree and
// validated directly against our YAML nodes, so every finding keeps the node's line:column.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coconut/policy/document.hpp"
#include "coconut/policy/finding.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::policy::schema {

inline constexpr const char* k_schema_rule = "K8S-SCHEMA";

struct Compiled;

class SchemaSet {
public:
    // Fails (exit 2) when `dir` is not a readable directory.
    static util::Expected<std::shared_ptr<SchemaSet>> open(const std::filesystem::path& dir);
    ~SchemaSet();

    // Appends findings for every Kubernetes document: schema violations (high), unknown fields
    // (high) and objects whose schema is not in the directory (info).
    void validate(const std::vector<Document>& documents, std::vector<Finding>& out);

    // The file name a kind/apiVersion maps to: ("Deployment", "apps/v1") -> "deployment-apps-v1.json".
    static std::string file_name(const std::string& kind, const std::string& api_version);

private:
    explicit SchemaSet(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    const Compiled* schema_for(const std::string& kind, const std::string& api_version, std::string& error);

    std::filesystem::path m_dir;
    std::map<std::string, std::shared_ptr<const Compiled>> m_cache;   // file name -> compiled (null: missing)
    std::map<std::string, std::string> m_errors;                // file name -> load error
};

}  // namespace coconut::policy::schema
