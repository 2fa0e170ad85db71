#include "vtime/machine/console_flusher.h"

namespace vtime {

ConsoleFlusher::ConsoleFlusher(ConsoleBackend& backend, TimerGroup& timers)
    : backend_(backend), timer_(timers, ClockId::kRealtime, [this](HostTime) { flush(); }) {}

void ConsoleFlusher::write(uint8_t byte) {
  backend_.write(byte);
  if (pending_) return;
  pending_ = true;
  timer_.arm_in(kMaxDelay);
}

void ConsoleFlusher::flush() {
  if (pending_) timer_.cancel();
  pending_ = false;
  backend_.flush();
}

}  // namespace vtime
