#pragma once
// The chart's Go templates (templates/*.yaml, _helpers.tpl, NOTES.txt, tests/). They are the same
// for every app: everything app-specific lives in values.yaml, derived from the Kubernetes objects
// (values.hpp), and values.cpp checks that these templates render those objects back exactly.
// Keep the two in step: a field added here must be taken out of the objects there.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coconut::generate::helm {

struct TemplateFile {
    std::string path;   // relative to the chart, e.g. "templates/deployment.yaml"
    std::string content;
};

// Every template file, in path order. `generated_by` is the one-line provenance note (without
// comment markers), written as a Go template comment at the top of each file.
std::vector<TemplateFile> chart_templates(std::string_view generated_by);

}  // namespace coconut::generate::helm
