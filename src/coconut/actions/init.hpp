#pragma once
// `coconut init`: a commented starter coconut.yaml, printed or written atomically.
#include <filesystem>
#include <string>

#include "coconut/util/expected.hpp"

namespace coconut::actions {

struct InitOptions {
    std::string name;               // app name; empty: the current directory's name, lower-cased
    std::string service = "web";
    std::string type = "web";       // web | backend | worker | job
    int port = 8080;                // 0: none
    std::string file = "coconut.yaml";
    bool force = false;             // overwrite an existing file
    bool to_stdout = false;         // return the text, write nothing
};

struct InitResult {
    std::string text;               // the starter spec
    std::string written;            // the file written; empty with to_stdout
};

class InitAction {
public:
    explicit InitAction(InitOptions options) : m_options(std::move(options)) {}
    // Usage errors: an invalid name, service or type, a port out of range, an existing file
    // without force.
    [[nodiscard]] util::Expected<InitResult> run() const;

private:
    InitOptions m_options;
};

}  // namespace coconut::actions
