#pragma once
// A FakeRunner wired to GoogleTest: a call that matches no expectation fails the current test
// with the argv and the list of expectations; with strict(), expectations with a fixed number of
// uses that were not all used fail the test when the runner goes out of scope.
#include <gtest/gtest.h>

#include "coconut/testing/fake_runner.hpp"

namespace coconut::testing {

class GTestFakeRunner {
public:
    GTestFakeRunner() {
        m_runner.set_on_unmatched([](const std::string& message) { ADD_FAILURE() << message; });
    }
    GTestFakeRunner(const GTestFakeRunner&) = delete;
    GTestFakeRunner& operator=(const GTestFakeRunner&) = delete;
    ~GTestFakeRunner() {
        if (!m_strict) return;
        for (const auto& e : m_runner.unused_expectations()) ADD_FAILURE() << "FakeRunner: expected call not made: " << e;
    }
    GTestFakeRunner& strict() {
        m_strict = true;
        return *this;
    }
    FakeRunner& operator*() { return m_runner; }
    FakeRunner* operator->() { return &m_runner; }
    operator platform::CommandRunner&() { return m_runner; }  // NOLINT: pass it where a runner is needed

private:
    FakeRunner m_runner;
    bool m_strict = false;
};

}  // namespace coconut::testing
