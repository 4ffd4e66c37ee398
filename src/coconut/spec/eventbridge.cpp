#include "coconut/spec/eventbridge.hpp"

#include <array>
#include <optional>
#include <cctype>
#include <set>
#include <vector>

#include "coconut/spec/quantity.hpp"

namespace coconut::spec::eventbridge {

namespace {

constexpr std::array<std::string_view, 7> k_days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(sep, start);
        out.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

std::vector<std::string_view> fields_of(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
}

std::optional<int> number(std::string_view s) {
    if (s.empty() || s.size() > 3) return std::nullopt;
    int n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

// A day of the week, 0 (Sunday) .. 6; cron's 7 is Sunday too.
std::optional<int> day(std::string_view s) {
    if (auto n = number(s)) return *n == 7 ? 0 : *n;
    if (s.size() != 3) return std::nullopt;
    std::string l;
    for (char c : s) l += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (int i = 0; i < 7; ++i)
        if (k_days[static_cast<std::size_t>(i)] == l) return i;
    return std::nullopt;
}

// Minutes, hours, day-of-month, month: EventBridge reads lists, ranges and names as cron does;
// only increments differ. `*/n` becomes `<first>/n`; a stepped range `a-b/n` becomes its list.
std::optional<std::string> plain_field(std::string_view field, int first) {
    std::string out;
    for (auto item : split(field, ',')) {
        if (!out.empty()) out += ',';
        const auto slash = item.find('/');
        if (slash == std::string_view::npos) {
            out += item;
            continue;
        }
        const auto base = item.substr(0, slash);
        const auto step = number(item.substr(slash + 1));
        if (!step || *step < 1) return std::nullopt;
        if (base == "*") {
            out += std::to_string(first) + "/" + std::to_string(*step);
            continue;
        }
        const auto dash = base.find('-');
        if (dash == std::string_view::npos) {
            out += item;   // a/n: the same in both
            continue;
        }
        const auto a = number(base.substr(0, dash));
        const auto b = number(base.substr(dash + 1));
        if (!a || !b) return std::nullopt;   // month names with a step: not worth supporting
        std::string list;
        for (int v = *a; v <= *b; v += *step) list += (list.empty() ? "" : ",") + std::to_string(v);
        out += list;
    }
    return out;
}

// The days a cron day-of-week field selects (0 = Sunday), or nullopt when unreadable.
std::optional<std::set<int>> days_of(std::string_view field) {
    std::set<int> days;
    if (field == "?") field = "*";   // robfig/cron (Kubernetes): '?' is '*' in the day fields
    for (auto item : split(field, ',')) {
        int step = 1;
        auto base = item;
        if (const auto slash = item.find('/'); slash != std::string_view::npos) {
            const auto s = number(item.substr(slash + 1));
            if (!s || *s < 1) return std::nullopt;
            step = *s;
            base = item.substr(0, slash);
        }
        int from = 0, to = 6;
        if (base != "*") {
            const auto dash = base.find('-');
            // cron ranges count 0-7 with 7 = Sunday: keep 7 as 7 inside a range ("5-7" = Fri..Sun)
            auto raw = [](std::string_view s) -> std::optional<int> {
                if (auto n = number(s)) return *n;
                return day(s);
            };
            const auto a = raw(dash == std::string_view::npos ? base : base.substr(0, dash));
            if (!a) return std::nullopt;
            from = *a;
            to = from;
            if (dash != std::string_view::npos) {
                const auto b = raw(base.substr(dash + 1));
                if (!b) return std::nullopt;
                to = *b;
            } else if (step > 1) {
                to = 6;   // "a/n": from a to the end of the week
            }
        }
        if (from > to || from < 0 || to > 7) return std::nullopt;
        for (int d = from; d <= to; d += step) days.insert(d % 7);
    }
    return days;
}

// EventBridge's day-of-week list (1 = Sunday .. 7 = Saturday), consecutive days as ranges.
std::string eventbridge_days(const std::set<int>& days) {
    std::vector<int> v;
    for (int d : days) v.push_back(d + 1);
    std::string out;
    for (std::size_t i = 0; i < v.size();) {
        std::size_t j = i;
        while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(v[i]);
        if (j > i) out += (j == i + 1 ? "," : "-") + std::to_string(v[j]);
        i = j + 1;
    }
    return out;
}

Cron fixed(std::string_view fields) { return Cron{"cron(" + std::string(fields) + ")", {}}; }

}  // namespace

Cron cron_expression(std::string_view schedule) {
    if (auto problem = cron_problem(schedule)) return Cron{{}, *problem};
    if (schedule == "@hourly") return fixed("0 * * * ? *");
    if (schedule == "@daily" || schedule == "@midnight") return fixed("0 0 * * ? *");
    if (schedule == "@weekly") return fixed("0 0 ? * 1 *");
    if (schedule == "@monthly") return fixed("0 0 1 * ? *");
    if (schedule == "@yearly" || schedule == "@annually") return fixed("0 0 1 1 ? *");

    const auto f = fields_of(schedule);
    if (f.size() != 5) return Cron{{}, "expected 5 fields"};
    const auto minute = plain_field(f[0], 0);
    const auto hour = plain_field(f[1], 0);
    auto month = plain_field(f[3], 1);
    // Month names as EventBridge documents them (JAN-DEC); cron reads them in any case.
    if (month)
        for (char& c : *month) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto days = days_of(f[4]);
    std::optional<std::string> dom = plain_field(f[2] == "?" ? std::string_view("*") : f[2], 1);
    if (!minute || !hour || !month || !dom || !days)
        return Cron{{}, "EventBridge cannot express '" + std::string(schedule) + "'"};

    const bool dom_any = f[2] == "*" || f[2] == "?";
    const bool dow_any = f[4] == "*" || f[4] == "?" || days->size() == 7;
    std::string dow;
    if (dow_any) {
        dow = "?";
    } else if (dom_any) {
        dom = "?";
        dow = eventbridge_days(*days);
    } else {
        return Cron{{},
                    "EventBridge cannot run a schedule that restricts both the day of the month (" + std::string(f[2]) +
                        ") and the day of the week (" + std::string(f[4]) +
                        "): cron runs on either, EventBridge needs one of them to be '?'; split the job or "
                        "use one of the two"};
    }
    return fixed(*minute + " " + *hour + " " + *dom + " " + *month + " " + dow + " *");
}

}  // namespace coconut::spec::eventbridge
