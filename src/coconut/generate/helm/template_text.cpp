// A template tree as Go-template text: the tree is emitted by the one YAML emitter (so a
// template reads like the kubernetes target's manifest), then every marker line becomes its
// Go-template form. Written by hand because no library turns YAML into Helm templates; the
// transformation is line-based and only ever sees the emitter's own block style.
#include <stdexcept>
#include <string>
#include <vector>

#include "coconut/generate/helm/chart_model.hpp"
#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::generate::helm {

namespace {

std::size_t indent_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    return i;
}

std::string spaces(std::size_t n) { return std::string(n, ' '); }

// Finds "<marker><n>__" in `line`; returns its position and sets `id` and `length`.
std::size_t find_marker(std::string_view line, std::string_view marker, std::size_t& id, std::size_t& length) {
    const auto pos = line.find(marker);
    if (pos == std::string_view::npos) return pos;
    const auto digits = pos + marker.size();
    const auto end = line.find("__", digits);
    if (end == std::string_view::npos) return std::string_view::npos;
    id = std::stoul(std::string(line.substr(digits, end - digits)));
    length = end + 2 - pos;
    return pos;
}

// The lines of a range over a list of secret references, each rendered with the kubernetes
// target's own entry shape (`entry`) with the item's fields put in by Go.
void range_lines(const std::string& list, const Json& entry, std::size_t col, std::vector<std::string>& out) {
    out.push_back(spaces(col) + "{{- range " + list + " }}");
    std::string text = yaml::emit(Json::array({entry}));
    for (auto& line : util::split(text, '\n')) {
        if (line.empty()) continue;
        std::string l = line;
        for (auto [from, to] : {std::pair{"__COCONUT_ITEM_NAME__", "{{ .name | quote }}"},
                                std::pair{"__COCONUT_ITEM_KEY__", "{{ .key | quote }}"}}) {
            for (std::size_t p; (p = l.find(from)) != std::string::npos;) l.replace(p, std::string_view(from).size(), to);
        }
        out.push_back(spaces(col) + l);
    }
    out.push_back(spaces(col) + "{{- end }}");
}

// Replaces the hole marker in `line` (a mapping member "<prefix>key: MARKER") by its Go form;
// block forms add lines after it.
void hole_lines(const ChartModel& m, std::string line, std::size_t pos, std::size_t length, const Hole& h,
                std::vector<std::string>& out) {
    const std::string prefix = line.substr(0, pos);
    if (prefix.size() < 2 || prefix.compare(prefix.size() - 2, 2, ": ") != 0)
        throw std::logic_error("helm: a hole must be a mapping member's value: " + line);
    const std::size_t ind = indent_of(prefix);
    const std::size_t col = ind + (prefix.compare(ind, 2, "- ") == 0 ? 2 : 0);   // the key's column
    const std::string v = go_value(h.key);
    std::string inline_text;
    switch (h.form) {
        case Form::Int: inline_text = "{{ " + v + " | int64 }}"; break;
        case Form::String: inline_text = "{{ " + v + " | quote }}"; break;
        case Form::Bool: inline_text = "{{ " + v + " }}"; break;
        case Form::Scalar: inline_text = "{{ " + v + " | toYaml }}"; break;
        case Form::Namespace: inline_text = "{{ $.Release.Namespace | quote }}"; break;
        case Form::Image: inline_text = "{{ include \"coconut.image\" " + v + " | quote }}"; break;
        case Form::Yaml:
            out.push_back(prefix.substr(0, prefix.size() - 1));
            out.push_back(spaces(col + 2) + "{{- toYaml " + v + " | nindent " + std::to_string(col + 2) + " }}");
            return;
        case Form::SecretEnv:
            out.push_back(prefix.substr(0, prefix.size() - 1));
            range_lines(v, kubernetes::secret_env_var(h.secret_name, "__COCONUT_ITEM_NAME__"), col + 2, out);
            return;
        case Form::SecretData:
            out.push_back(prefix.substr(0, prefix.size() - 1));
            range_lines(v, kubernetes::external_secret_data("__COCONUT_ITEM_NAME__", "__COCONUT_ITEM_KEY__"), col + 2, out);
            return;
    }
    (void)m;
    line.replace(pos, length, inline_text);
    out.push_back(std::move(line));
}

}  // namespace

std::string template_text(const ChartModel& model, const TemplateObject& object) {
    const std::string text = yaml::emit(object.tree);
    std::vector<std::string> out;
    struct Open {
        std::size_t threshold;   // a line indented this much or less ends the part
        std::string end;
    };
    std::vector<Open> open;
    bool pending_dash = false;   // an element guard: the next line starts the element
    std::size_t dash_indent = 0;
    for (auto& raw : util::split(text, '\n')) {
        if (raw.empty()) continue;
        std::string line = raw;
        const std::size_t ind = indent_of(line);
        while (!open.empty() && ind <= open.back().threshold) {
            out.push_back(open.back().end);
            open.pop_back();
        }
        std::size_t id = 0, length = 0;
        if (const auto pos = find_marker(line, k_part_marker, id, length); pos != std::string::npos) {
            const std::string cond = go_condition(model.guards.at(id));
            const std::string after = line.substr(pos + length);
            if (after == ": null" && line.compare(ind, 2, "- ") == 0) {
                // An element guard: "- MARKER: null", its members on the lines below.
                out.push_back(spaces(ind) + "{{- if " + cond + " }}");
                open.push_back({ind, spaces(ind) + "{{- end }}"});
                pending_dash = true;
                dash_indent = ind;
                continue;
            }
            if (pos == ind + 2 && line.compare(ind, 2, "- ") == 0) {
                // The first member of a sequence item: the dash stays outside the condition.
                out.push_back(spaces(ind) + "- {{- if " + cond + " }}");
                line = spaces(ind + 2) + after;
                open.push_back({ind + 2, spaces(ind + 2) + "{{- end }}"});
            } else if (pos == ind || (pos == ind + 1 && (line[ind] == '"' || line[ind] == '\''))) {
                // A member (its key possibly quoted: the marker sits inside the quotes).
                out.push_back(spaces(ind) + "{{- if " + cond + " }}");
                line = line.substr(0, pos) + after;
                open.push_back({ind, spaces(ind) + "{{- end }}"});
            } else {
                throw std::logic_error("helm: a part marker in an unexpected place: " + raw);
            }
        }
        if (pending_dash) {
            line = spaces(dash_indent) + "- " + line.substr(dash_indent + 2);
            pending_dash = false;
        }
        if (const auto pos = find_marker(line, k_hole_marker, id, length); pos != std::string::npos) {
            hole_lines(model, line, pos, length, model.holes.at(id), out);
            continue;
        }
        out.push_back(std::move(line));
    }
    while (!open.empty()) {
        out.push_back(open.back().end);
        open.pop_back();
    }
    std::string result;
    for (const auto& l : out) result += l + "\n";
    return result;
}

}  // namespace coconut::generate::helm
