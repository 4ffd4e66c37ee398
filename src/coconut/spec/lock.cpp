#include "coconut/spec/lock.hpp"

#include <algorithm>
#include <system_error>

#include <nlohmann/json.hpp>

#include "coconut/util/fs.hpp"
#include "coconut/yaml/emit.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::spec {

namespace {

bool is_sha256_digest(std::string_view d) {
    if (d.size() != 7 + 64 || d.substr(0, 7) != "sha256:") return false;
    return std::all_of(d.begin() + 7, d.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

struct LockParser {
    const std::string& file;

    tl::unexpected<util::Error> error(const yaml::Node* at, const std::string& path, const std::string& message) const {
        std::string where = at ? yaml::format_mark(file, at->start) : file;
        return util::fail(util::ErrorCode::Input, where + ": error: " + (path.empty() ? "" : path + ": ") + message, file);
    }

    util::Expected<std::string> scalar(const yaml::Node& map, std::string_view key, const std::string& path,
                                       bool required) const {
        const yaml::Node* v = map.find(key);
        if (!v) {
            if (required) return error(&map, path, "missing '" + std::string(key) + "'");
            return std::string{};
        }
        if (!v->is_scalar()) return error(v, path + "." + std::string(key), "must be a string");
        return v->text;
    }

    util::Expected<LockEntry> entry(const yaml::Node& key, const yaml::Node& value) const {
        const std::string path = "images." + key.text;
        if (!value.is_mapping()) return error(&value, path, "must be a mapping");
        static const std::vector<std::string_view> k_known{"image", "version", "tags", "digest", "revision", "builder"};
        for (const auto& p : value.pairs)
            if (std::find(k_known.begin(), k_known.end(), p.key->text) == k_known.end())
                return error(p.key, path, "unknown field '" + p.key->text + "'");
        LockEntry e;
        e.service = key.text;
        TRY(image, scalar(value, "image", path, true));
        TRY(version, scalar(value, "version", path, true));
        TRY(digest, scalar(value, "digest", path, true));
        TRY(revision, scalar(value, "revision", path, false));
        TRY(builder, scalar(value, "builder", path, false));
        e.image = std::move(image);
        e.version = std::move(version);
        e.digest = std::move(digest);
        e.revision = std::move(revision);
        e.builder = std::move(builder);
        if (!is_sha256_digest(e.digest))
            return error(value.find("digest"), path + ".digest", "must be sha256:<64 lowercase hex> (got '" + e.digest + "')");
        if (const yaml::Node* tags = value.find("tags")) {
            if (!tags->is_sequence()) return error(tags, path + ".tags", "must be a list of strings");
            for (const yaml::Node* t : tags->items) {
                if (!t->is_scalar()) return error(t, path + ".tags", "must be a list of strings");
                e.tags.push_back(t->text);
            }
        }
        return e;
    }
};

}  // namespace

std::string LockEntry::reference() const {
    std::string ref = image;
    if (!tags.empty()) ref += ":" + tags.front();
    return ref + "@" + digest;
}

const LockEntry* Lock::find(std::string_view service) const {
    for (const auto& e : entries)
        if (e.service == service) return &e;
    return nullptr;
}

void Lock::put(LockEntry entry) {
    auto it = std::lower_bound(entries.begin(), entries.end(), entry.service,
                               [](const LockEntry& e, const std::string& s) { return e.service < s; });
    if (it != entries.end() && it->service == entry.service) *it = std::move(entry);
    else entries.insert(it, std::move(entry));
}

std::filesystem::path lock_path_for(const std::filesystem::path& spec_file) {
    return spec_file.parent_path() / std::string(k_lock_file_name);
}

util::Expected<Lock> parse_lock(std::string_view text, const std::string& file) {
    yaml::Stream stream = yaml::parse(text, file);
    LockParser p{file};
    if (!stream.ok()) {
        const auto& d = stream.errors.front();
        return util::fail(util::ErrorCode::Input, yaml::format_mark(file, d.mark) + ": error: " + d.message, file);
    }
    Lock lock;
    if (stream.documents.empty() || !stream.documents.front().root() || stream.documents.front().root()->is_null())
        return lock;
    if (stream.documents.size() > 1) return p.error(nullptr, "", "expected one YAML document");
    const yaml::Node& root = *stream.documents.front().root();
    if (!root.is_mapping()) return p.error(&root, "", "must be a mapping (apiVersion, kind, images)");
    for (const auto& pair : root.pairs)
        if (pair.key->text != "apiVersion" && pair.key->text != "kind" && pair.key->text != "images")
            return p.error(pair.key, "", "unknown field '" + pair.key->text + "'");
    if (const yaml::Node* kind = root.find("kind"); kind && (!kind->is_scalar() || kind->text != "Lock"))
        return p.error(kind, "kind", "must be 'Lock'");
    if (const yaml::Node* api = root.find("apiVersion"); api && (!api->is_scalar() || api->text != "coconut.dev/v1"))
        return p.error(api, "apiVersion", "must be 'coconut.dev/v1' (this coconut reads no other lock format)");
    const yaml::Node* images = root.find("images");
    if (!images || images->is_null()) return lock;
    if (!images->is_mapping()) return p.error(images, "images", "must be a mapping of service name to image");
    for (const auto& pair : images->pairs) {
        TRY(e, p.entry(*pair.key, *pair.value));
        lock.put(std::move(e));
    }
    return lock;
}

util::Expected<Lock> read_lock(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Lock{};
    TRY(text, util::read_file(path));
    return parse_lock(text, path.string());
}

std::string render_lock(const Lock& lock) {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    doc["apiVersion"] = "coconut.dev/v1";
    doc["kind"] = "Lock";
    nlohmann::ordered_json images = nlohmann::ordered_json::object();
    for (const auto& e : lock.entries) {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        j["image"] = e.image;
        j["version"] = e.version;
        if (!e.tags.empty()) j["tags"] = e.tags;
        j["digest"] = e.digest;
        if (!e.revision.empty()) j["revision"] = e.revision;
        if (!e.builder.empty()) j["builder"] = e.builder;
        images[e.service] = std::move(j);
    }
    doc["images"] = std::move(images);
    return "# generated by coconut build --push \xE2\x80\x94 do not edit; commit it with coconut.yaml\n" + yaml::emit(doc);
}

util::Expected<void> write_lock(const std::filesystem::path& path, const Lock& lock) {
    std::filesystem::path dir = path.parent_path();
    if (dir.empty()) dir = ".";
    return util::write_tree_atomic(dir, {{path.filename().string(), render_lock(lock)}}, {});
}

std::vector<std::string> apply_lock(Spec& spec, const Lock& lock) {
    std::vector<std::string> notes;
    const std::string where = spec.environment.empty() ? std::string() : " (environment " + spec.environment + ")";
    for (const auto& e : lock.entries) {
        Service* svc = nullptr;
        for (auto& s : spec.services)
            if (s.name == e.service) svc = &s;
        if (!svc || !svc->build || !svc->image.empty()) {
            notes.push_back(std::string(k_lock_file_name) + ": '" + e.service +
                            "' is not a service the spec builds; its entry is ignored");
            continue;
        }
        const std::string repo = spec.image_repository(*svc);
        if (e.image != repo) {
            notes.push_back(std::string(k_lock_file_name) + ": " + e.service + " was pushed to " + e.image +
                            " but the spec's image is " + repo + where + ": not pinned by digest");
            continue;
        }
        if (e.version != spec.version) {
            notes.push_back(std::string(k_lock_file_name) + ": " + e.service + " was built for version " + e.version +
                            " but the spec is at " + spec.version + where +
                            ": not pinned by digest (run coconut build --push)");
            continue;
        }
        svc->image_digest = e.digest;
    }
    return notes;
}

}  // namespace coconut::spec
