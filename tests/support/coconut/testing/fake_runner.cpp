#include "coconut/testing/fake_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "coconut/util/fs.hpp"

namespace coconut::testing {

using platform::Command;
using platform::CommandResult;
using platform::format_argv;

namespace {

using Json = nlohmann::ordered_json;

std::string basename_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string describe(const FakeExpectation& e) {
    std::string line = (e.prefix ? "prefix: " : "exact:  ") + format_argv(e.argv);
    if (e.times > 0) line += "  (used " + std::to_string(e.used) + "/" + std::to_string(e.times) + ")";
    else line += "  (used " + std::to_string(e.used) + ", unlimited)";
    if (!e.origin.empty()) line += "  [" + e.origin + "]";
    return line;
}

void feed_lines(const Command& cmd, std::string_view text, bool is_stderr) {
    if (!cmd.on_line) return;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        cmd.on_line(line, is_stderr);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
}

util::Expected<std::string> text_or_file(const Json& j, const char* inline_key, const char* file_key,
                                         const std::filesystem::path& dir, const std::string& origin) {
    if (j.contains(inline_key) && j.contains(file_key))
        return util::fail(util::ErrorCode::Input, std::string("fake: both '") + inline_key + "' and '" + file_key + "' given",
                          origin);
    if (j.contains(inline_key)) {
        if (!j[inline_key].is_string())
            return util::fail(util::ErrorCode::Input, std::string("fake: '") + inline_key + "' must be a string", origin);
        return j[inline_key].get<std::string>();
    }
    if (j.contains(file_key)) {
        if (!j[file_key].is_string())
            return util::fail(util::ErrorCode::Input, std::string("fake: '") + file_key + "' must be a string", origin);
        return util::read_file(dir / j[file_key].get<std::string>());
    }
    return std::string();
}

std::string slug(std::string_view word) {
    std::string s;
    std::string base = basename_of(std::string(word));
    base.erase(0, base.find_first_not_of('-'));  // "--version" -> "version"
    for (char c : base) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        s += keep ? c : '_';
        if (s.size() >= 24) break;
    }
    return s;
}

}  // namespace

bool fake_argv_matches(const std::vector<std::string>& expected, bool prefix, const std::vector<std::string>& call) {
    if (expected.empty()) return prefix;  // an empty prefix matches everything
    if (call.size() < expected.size() || (!prefix && call.size() != expected.size())) return false;
    const std::string& want0 = expected.front();
    const bool argv0_ok = call.front() == want0 ||
                          (want0.find('/') == std::string::npos && basename_of(call.front()) == want0);
    if (!argv0_ok) return false;
    return std::equal(expected.begin() + 1, expected.end(), call.begin() + 1);
}

CommandResult fake_result(std::string out, std::string err, int exit_code) {
    CommandResult r;
    r.exit_code = exit_code;
    r.out = std::move(out);
    r.err = std::move(err);
    return r;
}

FakeExpectation& FakeRunner::expect(std::vector<std::string> argv, CommandResult result) {
    FakeExpectation e;
    e.argv = std::move(argv);
    e.result = std::move(result);
    return add(std::move(e));
}

FakeExpectation& FakeRunner::expect_prefix(std::vector<std::string> argv_prefix, CommandResult result) {
    FakeExpectation& e = expect(std::move(argv_prefix), std::move(result));
    e.prefix = true;
    return e;
}

FakeExpectation& FakeRunner::add(FakeExpectation expectation) {
    m_expectations.push_back(std::move(expectation));
    return m_expectations.back();
}

util::Expected<FakeExpectation> parse_fake(std::string_view json_text, const std::filesystem::path& dir,
                                           std::string origin) {
    using util::ErrorCode;
    Json j = Json::parse(json_text.begin(), json_text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return util::fail(ErrorCode::Input, "fake: not a JSON object", origin);
    static const char* const known[] = {"argv", "match", "times", "exit", "stdout", "stdout_file", "stderr",
                                        "stderr_file", "timed_out", "signal", "duration_ms", "error", "comment"};
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            return util::fail(ErrorCode::Input, "fake: unknown key '" + key + "'", origin);
    }
    FakeExpectation e;
    e.origin = origin;
    if (!j.contains("argv") || !j["argv"].is_array() || j["argv"].empty())
        return util::fail(ErrorCode::Input, "fake: 'argv' must be a non-empty array of strings", origin);
    for (const auto& a : j["argv"]) {
        if (!a.is_string()) return util::fail(ErrorCode::Input, "fake: 'argv' must be a non-empty array of strings", origin);
        e.argv.push_back(a.get<std::string>());
    }
    const std::string match = j.value("match", std::string("exact"));
    if (match != "exact" && match != "prefix")
        return util::fail(ErrorCode::Input, "fake: 'match' must be \"exact\" or \"prefix\"", origin);
    e.prefix = match == "prefix";
    auto int_field = [&](const char* key, int fallback) -> std::optional<int> {
        if (!j.contains(key)) return fallback;
        if (!j[key].is_number_integer()) return std::nullopt;
        return j[key].get<int>();
    };
    auto times = int_field("times", 1), exit = int_field("exit", 0), sig = int_field("signal", 0),
         ms = int_field("duration_ms", 0);
    if (!times || *times < 0 || !exit || !sig || !ms)
        return util::fail(ErrorCode::Input, "fake: 'times', 'exit', 'signal', 'duration_ms' must be integers", origin);
    e.times = *times;
    e.result.exit_code = *exit;
    e.result.term_signal = *sig;
    e.result.duration = std::chrono::milliseconds(*ms);
    if (j.contains("timed_out")) {
        if (!j["timed_out"].is_boolean()) return util::fail(ErrorCode::Input, "fake: 'timed_out' must be a boolean", origin);
        e.result.timed_out = j["timed_out"].get<bool>();
    }
    TRY(out, text_or_file(j, "stdout", "stdout_file", dir, origin));
    TRY(err, text_or_file(j, "stderr", "stderr_file", dir, origin));
    e.result.out = std::move(out);
    e.result.err = std::move(err);
    if (j.contains("error")) {
        if (!j["error"].is_string()) return util::fail(ErrorCode::Input, "fake: 'error' must be a string", origin);
        e.error = util::Error{ErrorCode::Failure, j["error"].get<std::string>(), {}};
    }
    return e;
}

util::Expected<void> FakeRunner::load_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".json") files.push_back(it->path());
    }
    if (ec) return util::fail(util::ErrorCode::Input, "cannot read fake directory: " + ec.message(), dir.string());
    if (files.empty()) return util::fail(util::ErrorCode::Input, "no *.json fakes in directory", dir.string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        TRY(text, util::read_file(f));
        TRY(e, parse_fake(text, dir, f.string()));
        add(std::move(e));
    }
    return {};
}

util::Expected<CommandResult> FakeRunner::run(const Command& cmd) {
    RecordedCall call{cmd.argv, cmd.env, cmd.stdin_data, cmd.cwd, cmd.timeout, false};
    for (auto& e : m_expectations) {
        if (e.times > 0 && e.used >= e.times) continue;
        if (!fake_argv_matches(e.argv, e.prefix, cmd.argv)) continue;
        ++e.used;
        call.matched = true;
        m_calls.push_back(std::move(call));
        if (e.handler) return e.handler(cmd);
        if (e.error) return tl::unexpected(*e.error);
        feed_lines(cmd, e.result.out, false);
        feed_lines(cmd, e.result.err, true);
        return e.result;
    }
    m_calls.push_back(std::move(call));
    std::string message = "FakeRunner: unexpected command: " + format_argv(cmd.argv);
    if (m_expectations.empty()) {
        message += "\n  (no expectations)";
    } else {
        message += "\n  expectations:";
        for (const auto& e : m_expectations) message += "\n    " + describe(e);
    }
    if (m_on_unmatched) m_on_unmatched(message);
    return util::fail(util::ErrorCode::Failure, message);
}

std::optional<std::string> FakeRunner::find_program(std::string_view name) {
    auto it = m_programs.find(name);
    if (it == m_programs.end()) return std::string(name);
    if (it->second.empty()) return std::nullopt;
    return it->second;
}

std::vector<std::string> FakeRunner::unused_expectations() const {
    std::vector<std::string> out;
    for (const auto& e : m_expectations) {
        if (e.times > 0 && e.used < e.times) out.push_back(describe(e));
    }
    return out;
}

bool FakeRunner::argv_contains(std::string_view needle) const {
    return std::any_of(m_calls.begin(), m_calls.end(), [&](const RecordedCall& c) {
        return std::any_of(c.argv.begin(), c.argv.end(),
                           [&](const std::string& a) { return a.find(needle) != std::string::npos; });
    });
}

std::vector<RecordedCall> FakeRunner::calls_matching(const std::vector<std::string>& argv_prefix) const {
    std::vector<RecordedCall> out;
    for (const auto& c : m_calls) {
        if (fake_argv_matches(argv_prefix, true, c.argv)) out.push_back(c);
    }
    return out;
}

util::Expected<CommandResult> RecordingRunner::run(const Command& cmd) {
    auto result = m_inner.run(cmd);
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec) return util::fail(util::ErrorCode::Failure, "cannot create fake directory: " + ec.message(), m_dir.string());
    ++m_count;
    char num[16];
    std::snprintf(num, sizeof num, "%03d", m_count * 10);
    std::string stem = num;
    for (std::size_t i = 0; i < std::min<std::size_t>(cmd.argv.size(), 2); ++i) stem += "-" + slug(cmd.argv[i]);

    Json j;
    j["argv"] = cmd.argv;
    if (!cmd.argv.empty()) j["argv"][0] = basename_of(cmd.argv[0]);  // portable across machines
    auto write_raw = [&](const std::string& file, const std::string& bytes) -> bool {
        std::ofstream f(m_dir / file, std::ios::binary | std::ios::trunc);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return static_cast<bool>(f);
    };
    bool ok = true;
    if (!result) {
        j["error"] = result.error().message;
    } else {
        const CommandResult& r = *result;
        j["exit"] = r.exit_code;
        auto put = [&](const char* key, const char* file_key, const char* ext, const std::string& text) {
            if (text.empty()) return;
            if (text.size() > 200 || text.find('\0') != std::string::npos) {
                std::string file = stem + ext;
                j[file_key] = file;
                ok = write_raw(file, text) && ok;
            } else {
                j[key] = text;
            }
        };
        put("stdout", "stdout_file", ".out", r.out);
        put("stderr", "stderr_file", ".err", r.err);
        if (r.timed_out) j["timed_out"] = true;
        if (r.term_signal != 0) j["signal"] = r.term_signal;
        j["duration_ms"] = static_cast<int>(r.duration.count());
    }
    ok = write_raw(stem + ".json", j.dump(2) + "\n") && ok;
    if (!ok) return util::fail(util::ErrorCode::Failure, "cannot write fake files", m_dir.string());
    return result;
}

}  // namespace coconut::testing
