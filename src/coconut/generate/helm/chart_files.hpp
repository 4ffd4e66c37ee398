#pragma once
// The chart's template files: templates/namespace.yaml and templates/services/<name>.yaml (the
// kubernetes target's objects as template trees, chart_model.hpp), plus what only a chart has:
// _helpers.tpl, NOTES.txt and the `helm test` hooks.
#include <string>
#include <string_view>
#include <vector>

#include "coconut/generate/helm/chart_model.hpp"
#include "coconut/spec/model.hpp"

namespace coconut::generate::helm {

struct TemplateFile {
    std::string path;   // relative to the chart, e.g. "templates/services/web.yaml"
    std::string content;
};

// Every template file, in path order. `generated_by` is the one-line provenance note (without
// comment markers), written as a Go template comment at the top of each file.
std::vector<TemplateFile> chart_templates(const ChartModel& model, const spec::Spec& base, std::string_view generated_by);

}  // namespace coconut::generate::helm
