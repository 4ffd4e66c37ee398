// Hand-written parsers for Kubernetes quantities, durations and cron schedules: each grammar is
// a few lines, and a hand-written scanner can say precisely what is wrong (std::regex can't,
// and no Debian library parses Kubernetes quantities).
#include "coconut/spec/quantity.hpp"

#include <array>
#include <cmath>
#include <vector>

namespace coconut::spec {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = lower(c);
    return out;
}

// A decimal number at the start of `s`: digits, optional '.', digits (at least one digit).
struct Decimal {
    std::string_view int_part;
    std::string_view frac_part;
    bool has_dot = false;
    std::size_t length = 0;  // characters consumed
};

std::optional<Decimal> scan_decimal(std::string_view s) {
    Decimal d;
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    d.int_part = s.substr(0, i);
    if (i < s.size() && s[i] == '.') {
        d.has_dot = true;
        std::size_t start = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        d.frac_part = s.substr(start, i - start);
    }
    if (d.int_part.empty() && d.frac_part.empty()) return std::nullopt;
    d.length = i;
    return d;
}

double decimal_value(const Decimal& d) {
    double v = 0;
    for (char c : d.int_part) v = v * 10 + (c - '0');
    double scale = 0.1;
    for (char c : d.frac_part) {
        v += (c - '0') * scale;
        scale /= 10;
    }
    return v;
}

std::string_view strip_leading_zeros(std::string_view s) {
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    return s;
}

// ---- CPU ----

struct CpuResult {
    std::optional<std::int64_t> millis;
    std::string error;  // set when millis is empty
};

CpuResult scan_cpu(std::string_view text) {
    const std::string quoted = "invalid CPU quantity '" + std::string(text) + "': ";
    const std::string usage = quoted + "use millicores like 250m or cores like 0.5 or 2";
    auto d = scan_decimal(text);
    if (!d) return {std::nullopt, usage};
    std::string_view rest = text.substr(d->length);
    const bool milli = rest == "m";
    if (!rest.empty() && !milli) return {std::nullopt, usage};
    if (milli && d->has_dot) return {std::nullopt, quoted + "millicores are whole numbers (e.g. 250m)"};
    if (!milli && d->frac_part.size() > 3)
        return {std::nullopt, quoted + "the smallest unit is 1m (0.001 cores)"};
    std::string_view digits = strip_leading_zeros(d->int_part);
    if (digits.size() > (milli ? 9 : 6)) return {std::nullopt, quoted + "too large"};
    std::int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    if (!milli) {
        v *= 1000;
        std::int64_t scale = 100;
        for (char c : d->frac_part) {
            v += (c - '0') * scale;
            scale /= 10;
        }
    }
    if (v <= 0) return {std::nullopt, quoted + "must be greater than 0"};
    return {v, {}};
}

// ---- memory ----

struct MemResult {
    std::optional<double> bytes;
    std::string error;
};

MemResult scan_memory(std::string_view text) {
    const std::string quoted = "invalid memory quantity '" + std::string(text) + "': ";
    const std::string usage =
        quoted + "use bytes with a suffix Ki, Mi, Gi, Ti (binary) or k, M, G, T (decimal), e.g. 256Mi or 1Gi";
    auto d = scan_decimal(text);
    if (!d) return {std::nullopt, usage};
    std::string_view suffix = text.substr(d->length);
    std::string_view number = text.substr(0, d->length);
    double mult = 0;
    static const std::array<std::pair<std::string_view, double>, 13> k_suffixes{{
        {"", 1.0},
        {"Ki", 1024.0},
        {"Mi", 1024.0 * 1024},
        {"Gi", 1024.0 * 1024 * 1024},
        {"Ti", 1024.0 * 1024 * 1024 * 1024},
        {"Pi", 1024.0 * 1024 * 1024 * 1024 * 1024},
        {"Ei", 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024},
        {"k", 1e3},
        {"M", 1e6},
        {"G", 1e9},
        {"T", 1e12},
        {"P", 1e15},
        {"E", 1e18},
    }};
    for (const auto& [s, m] : k_suffixes)
        if (suffix == s) mult = m;
    if (mult == 0 && suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
        // decimal exponent: 129e6
        std::string_view exp = suffix.substr(1);
        bool ok = !exp.empty() && exp.size() <= 2;
        for (char c : exp) ok = ok && is_digit(c);
        if (ok) mult = std::pow(10.0, static_cast<double>((exp.size() == 2 ? (exp[0] - '0') * 10 : 0) +
                                                          (exp.back() - '0')));
    }
    if (mult == 0) {
        const std::string l = lower(suffix);
        if (suffix == "m")
            return {std::nullopt, quoted + "'m' means thousandths of a byte; did you mean '" + std::string(number) +
                                      "Mi'?"};
        static const std::array<std::string_view, 6> k_letters{"k", "m", "g", "t", "p", "e"};
        for (auto letter : k_letters) {
            if (l == letter || l == std::string(letter) + "b" || l == std::string(letter) + "ib" ||
                l == std::string(letter) + "i") {
                std::string fixed(1, letter == "k" ? 'K' : static_cast<char>(letter[0] - 'a' + 'A'));
                return {std::nullopt, usage + "; did you mean '" + std::string(number) + fixed + "i'?"};
            }
        }
        return {std::nullopt, usage};
    }
    if (strip_leading_zeros(d->int_part).size() > 19) return {std::nullopt, quoted + "too large"};
    const double bytes = decimal_value(*d) * mult;
    if (bytes <= 0) return {std::nullopt, quoted + "must be greater than 0"};
    if (bytes > 9.2e18) return {std::nullopt, quoted + "too large"};
    return {bytes, {}};
}

// ---- duration ----

std::optional<std::int64_t> scan_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    constexpr std::int64_t k_max_ms = 1'000'000'000'000'000;  // ~31,700 years
    std::int64_t total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        std::string_view digits = strip_leading_zeros(text.substr(start, i - start));
        if (digits.empty() || digits.size() > 12) return std::nullopt;
        std::int64_t n = 0;
        for (char c : digits) n = n * 10 + (c - '0');
        std::int64_t unit = 0;
        if (text.substr(i, 2) == "ms") {
            unit = 1;
            i += 2;
        } else if (i < text.size() && text[i] == 'h') {
            unit = 3'600'000;
            ++i;
        } else if (i < text.size() && text[i] == 'm') {
            unit = 60'000;
            ++i;
        } else if (i < text.size() && text[i] == 's') {
            unit = 1000;
            ++i;
        } else {
            return std::nullopt;
        }
        if (n > k_max_ms / unit) return std::nullopt;
        total += n * unit;
        if (total > k_max_ms) return std::nullopt;
    }
    return total;
}

// ---- cron ----

struct CronField {
    const char* name;
    int min;
    int max;
    const char* const* names;  // 3-letter names, index 0 == `min`; nullptr when none
    bool question_mark;        // `?` allowed (day-of-month, day-of-week)
};

const char* const k_months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
const char* const k_days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const std::array<CronField, 5> k_cron_fields{{
    {"minute", 0, 59, nullptr, false},
    {"hour", 0, 23, nullptr, false},
    {"day-of-month", 1, 31, nullptr, true},
    {"month", 1, 12, k_months, false},
    {"day-of-week", 0, 7, k_days, true},
}};

// A single value of a field: a number or a name. Returns the error text or the value.
std::optional<std::string> cron_value(const CronField& f, std::string_view s, int& out) {
    bool digits = !s.empty();
    for (char c : s) digits = digits && is_digit(c);
    if (digits) {
        std::string_view v = strip_leading_zeros(s);
        if (v.size() > 3) return std::string(f.name) + ": " + std::string(s) + " is out of range " +
                                 std::to_string(f.min) + "-" + std::to_string(f.max);
        int n = 0;
        for (char c : v) n = n * 10 + (c - '0');
        if (n < f.min || n > f.max)
            return std::string(f.name) + ": " + std::string(s) + " is out of range " + std::to_string(f.min) + "-" +
                   std::to_string(f.max);
        out = n;
        return std::nullopt;
    }
    if (f.names && s.size() == 3) {
        const std::string l = lower(s);
        const int count = f.max - f.min + 1 - (f.names == k_days ? 1 : 0);
        for (int i = 0; i < count; ++i) {
            if (l == f.names[i]) {
                out = f.min + i;
                return std::nullopt;
            }
        }
    }
    if (f.names == k_months) return std::string(f.name) + ": '" + std::string(s) + "' is not a number or a month name (JAN-DEC)";
    if (f.names == k_days) return std::string(f.name) + ": '" + std::string(s) + "' is not a number or a day name (SUN-SAT)";
    return std::string(f.name) + ": '" + std::string(s) + "' is not a number";
}

std::optional<std::string> cron_item(const CronField& f, std::string_view item) {
    if (item.empty()) return std::string(f.name) + ": empty element in a list";
    std::string_view base = item;
    auto slash = item.find('/');
    if (slash != std::string_view::npos) {
        base = item.substr(0, slash);
        std::string_view step = item.substr(slash + 1);
        bool digits = !step.empty() && step.size() <= 3;
        for (char c : step) digits = digits && is_digit(c);
        if (!digits) return std::string(f.name) + ": invalid step '" + std::string(step) + "'";
        int n = 0;
        for (char c : step) n = n * 10 + (c - '0');
        if (n < 1) return std::string(f.name) + ": step must be at least 1 (got " + std::string(step) + ")";
    }
    if (base == "*") return std::nullopt;
    if (base == "?") {
        if (f.question_mark && slash == std::string_view::npos) return std::nullopt;
        return std::string(f.name) + ": '?' is only allowed alone in day-of-month and day-of-week";
    }
    auto dash = base.find('-');
    if (dash == std::string_view::npos) {
        int v = 0;
        return cron_value(f, base, v);
    }
    int a = 0, b = 0;
    if (auto e = cron_value(f, base.substr(0, dash), a)) return e;
    if (auto e = cron_value(f, base.substr(dash + 1), b)) return e;
    if (a > b) return std::string(f.name) + ": range " + std::string(base) + " goes backwards";
    return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> parse_cpu_millis(std::string_view text) { return scan_cpu(text).millis; }
std::string cpu_error(std::string_view text) { return scan_cpu(text).error; }
std::optional<double> parse_memory_bytes(std::string_view text) { return scan_memory(text).bytes; }
std::string memory_error(std::string_view text) { return scan_memory(text).error; }

std::optional<std::int64_t> parse_duration_ms(std::string_view text) { return scan_duration(text); }

std::int64_t duration_seconds(std::int64_t ms) { return ms <= 0 ? 0 : (ms + 999) / 1000; }

std::string duration_error(std::string_view text) {
    const std::string quoted = "invalid duration '" + std::string(text) + "': ";
    bool digits = !text.empty() && text.size() <= 12;
    for (char c : text) digits = digits && is_digit(c);
    if (digits) return quoted + "missing unit; did you mean '" + std::string(text) + "s'?";
    return quoted + "use a whole number with a unit (h, m, s or ms), e.g. 10s, 1m30s or 500ms";
}

std::optional<std::string> cron_problem(std::string_view text) {
    if (!text.empty() && text[0] == '@') {
        static const std::array<std::string_view, 7> k_macros{"@yearly",  "@annually", "@monthly", "@weekly",
                                                              "@daily",   "@midnight", "@hourly"};
        for (auto m : k_macros)
            if (text == m) return std::nullopt;
        return "unknown macro '" + std::string(text) +
               "' (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)";
    }
    if (text.starts_with("TZ=") || text.starts_with("CRON_TZ="))
        return std::string("time zone prefixes (TZ=...) are not supported");
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        if (i > start) fields.push_back(text.substr(start, i - start));
    }
    if (fields.size() != 5)
        return "expected 5 fields (minute hour day-of-month month day-of-week), got " + std::to_string(fields.size());
    for (std::size_t f = 0; f < 5; ++f) {
        std::string_view field = fields[f];
        std::size_t start = 0;
        while (true) {
            auto comma = field.find(',', start);
            auto item = field.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            if (auto e = cron_item(k_cron_fields[f], item)) return e;
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<std::string>> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
            ++i;
            continue;
        }
        in_word = true;
        if (c == '\'') {
            auto end = text.find('\'', i + 1);
            if (end == std::string_view::npos) return std::nullopt;
            word.append(text.substr(i + 1, end - i - 1));
            i = end + 1;
        } else if (c == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                if (text[i] == '\\' && i + 1 < text.size() &&
                    (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == '$' || text[i + 1] == '`')) {
                    word += text[i + 1];
                    i += 2;
                    continue;
                }
                word += text[i++];
            }
            if (!closed) return std::nullopt;
        } else if (c == '\\') {
            if (i + 1 < text.size()) word += text[i + 1];
            i += 2;
        } else {
            word += c;
            ++i;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

}  // namespace coconut::spec
