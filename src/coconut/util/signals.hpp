#pragma once
// SIGINT/SIGTERM handling: the handler only records which signal arrived; long-running work
// checks interrupted() at safe points (between files, documents, rules) and unwinds cleanly,
// printing nothing half-written. The CLI exits 128 + the signal (130 for SIGINT, 143 for
// SIGTERM), as shells and `timeout` expect.
namespace coconut::util {

void install_interrupt_handler();
bool interrupted();
// The signal that interrupted the run (SIGINT, SIGTERM), 0 when none did.
int interrupt_signal();

}  // namespace coconut::util
