#include "coconut/util/signals.hpp"

#include <csignal>

namespace coconut::util {

namespace {
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_interrupt(int sig) {
    if (g_signal == 0) g_signal = sig;
}
}  // namespace

void install_interrupt_handler() {
    // sigaction without SA_RESTART: a blocking read (stdin) returns EINTR instead of waiting on.
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_signal != 0; }

int interrupt_signal() { return static_cast<int>(g_signal); }

}  // namespace coconut::util
