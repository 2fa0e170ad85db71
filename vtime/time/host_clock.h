// HostClock: the one door to the host's notion of time. Everything in vtime that
// needs host time takes a HostClock&, so tests drive time by hand
// (ManualHostClock) and only SystemHostClock touches the operating system.
// Also carries the wall-clock-step listeners: QEMU dropped its reset notifiers in
// 4.2; vtime keeps an explicit "the host wall clock stepped by X" event.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "vtime/time/instant.h"

namespace vtime {

enum class WakeReason { kDeadline, kWoken };

class HostClock {
 public:
  using WallStepListener = std::function<void(Duration step)>;
  using ListenerId = uint64_t;

  HostClock() = default;
  HostClock(const HostClock&) = delete;
  HostClock& operator=(const HostClock&) = delete;
  virtual ~HostClock() = default;

  // Host monotonic time. Expected never to go backwards, but callers that must
  // stay monotonic (the VM clocks) clamp instead of trusting it.
  virtual HostTime now() = 0;
  // Host wall-clock time (CLOCK_REALTIME): follows NTP and `date`, may step.
  virtual WallTime wall_now() = 0;
  // Returns at or after `t`, never before; a `t` in the past returns at once.
  virtual void sleep_until(HostTime t) = 0;
  // Blocks until `deadline` or until wake() is called, whichever is first. A
  // wake() that arrived before this call makes it return kWoken at once: wake-ups
  // are never lost. HostTime::never() waits for a wake-up only.
  virtual WakeReason wait_until(HostTime deadline) = 0;
  // Ends the current or next wait_until() early. Safe from any thread.
  virtual void wake() = 0;
  // Busy-waits until `t` without giving up the CPU (a wait's last microseconds,
  // which a host sleep cannot hit): kDeadline at or after `t`, kWoken early if
  // a wake() arrives. Never blocks; a `t` in the past returns at once.
  virtual WakeReason spin_until(HostTime t) = 0;
  // While on, the calling thread's waits and spins must end on time (a guest
  // timer's deadline is near): the system clock raises the thread to a
  // real-time scheduling class for them, when the host permits it, so that the
  // kernel wakes it at once instead of after whatever else runs on its core;
  // off returns it to normal scheduling. Returns whether the thread is raised.
  // The default does nothing (false).
  virtual bool set_punctual(bool on) {
    (void)on;
    return false;
  }
  // Checks whether the wall clock stepped since the last check and reports it to
  // the listeners. SystemHostClock also checks inside wait_until().
  virtual void poll_wall_step() {}

  // Listeners run on the thread that detected the step, in registration order.
  ListenerId add_wall_step_listener(WallStepListener listener);
  void remove_wall_step_listener(ListenerId id);

 protected:
  void report_wall_step(Duration step);

 private:
  std::mutex listeners_mutex_;
  std::vector<std::pair<ListenerId, WallStepListener>> listeners_;
  ListenerId next_listener_id_ = 1;
};

}  // namespace vtime
