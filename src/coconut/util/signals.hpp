#pragma once
// Ctrl-C handling: the handler only records the interrupt; long-running work checks
// interrupted() at safe points and unwinds cleanly (exit code 130).
namespace coconut::util {

void install_interrupt_handler();
bool interrupted();

}  // namespace coconut::util
