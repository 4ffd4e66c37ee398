#include "coconut/actions/init.hpp"

#include "coconut/spec/load.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

namespace fs = std::filesystem;

namespace {

util::Expected<spec::ServiceType> parse_type(const std::string& type) {
    for (auto t : {spec::ServiceType::Web, spec::ServiceType::Backend, spec::ServiceType::Worker, spec::ServiceType::Job})
        if (type == spec::to_string(t)) return t;
    return util::fail(util::ErrorCode::Usage, "--type '" + type + "' is not a service type: use web, backend, worker or job");
}

}  // namespace

util::Expected<InitResult> InitAction::run() const {
    std::string name = m_options.name;
    if (name.empty()) {
        std::error_code ec;
        name = util::to_lower(fs::current_path(ec).filename().string());
    }
    if (!util::is_dns1123_label(name))
        return util::fail(util::ErrorCode::Usage,
                          "--name '" + name +
                              "' is not a valid app name: use lower-case letters, digits and '-' (a DNS-1123 label, at "
                              "most 63 characters)");
    if (!util::is_dns1123_label(m_options.service))
        return util::fail(util::ErrorCode::Usage,
                          "--service '" + m_options.service +
                              "' is not a valid service name: use lower-case letters, digits and '-' (a DNS-1123 label)");
    TRY(type, parse_type(m_options.type));
    if (m_options.port < 0 || m_options.port > 65535)
        return util::fail(util::ErrorCode::Usage, "--port must be 0..65535 (got " + std::to_string(m_options.port) + ")");

    InitResult result{spec::starter_spec(name, m_options.service, type, m_options.port), {}};
    if (m_options.to_stdout) return result;

    std::error_code ec;
    if (fs::exists(m_options.file, ec) && !m_options.force)
        return util::fail(util::ErrorCode::Usage, m_options.file +
                                                      " already exists; use --force to overwrite it, or --stdout to print "
                                                      "the starter spec");
    const fs::path path(m_options.file);
    const fs::path parent = path.parent_path();
    TRY_VOID(util::write_tree_atomic(parent.empty() ? fs::path(".") : parent, {{path.filename().string(), result.text}}, {}));
    result.written = m_options.file;
    return result;
}

}  // namespace coconut::actions
