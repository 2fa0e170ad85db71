// VirtualSim: the test bench for timer devices. A manual host clock drives the
// VM clocks (VIRTUAL = host running time), and step_until() moves time from one
// VIRTUAL deadline to the next, running what is due at each, in order - like
// QEMU's ptimer-test, without ever sleeping.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer_group.h"

namespace vtime::testing {

class VirtualSim {
 public:
  VirtualSim() : clocks_(host_), timers_(clocks_) { epoch_ = clocks_.virtual_now(); }

  VmClocks& clocks() { return clocks_; }
  TimerGroup& timers() { return timers_; }
  GuestTime now() { return clocks_.virtual_now(); }
  // The VIRTUAL reading when the bench was built: tests count from here.
  GuestTime start() const { return epoch_; }
  Duration elapsed() { return now() - epoch_; }

  // Runs every deadline up to and including `t` in order, then stops at `t`.
  void step_until(GuestTime t) { step_until_within(t, SIZE_MAX); }
  // The same, for a device that might re-arm without letting time move: gives
  // up after `max_passes` passes of run_due() and returns false (the test
  // fails instead of hanging).
  bool step_until_within(GuestTime t, size_t max_passes) {
    for (size_t pass = 0;; ++pass) {
      const GuestTime due = timers_.next_virtual_deadline();
      if (due > t) break;
      if (pass == max_passes) return false;
      if (due > now()) host_.advance(due - now());
      timers_.run_due(ClockId::kVirtual);
    }
    if (t > now()) host_.advance(t - now());
    return true;
  }
  void step(Duration span) { step_until(now() + span); }
  // Moves time without running timers (a host that is late to service them).
  void skip(Duration span) { host_.advance(span); }
  void run_due() { timers_.run_due(ClockId::kVirtual); }

 private:
  ManualHostClock host_;
  VmClocks clocks_;
  TimerGroup timers_;
  GuestTime epoch_;
};

}  // namespace vtime::testing
