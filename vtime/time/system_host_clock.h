// SystemHostClock: the real host. The only code in vtime that reads the
// operating system's clocks: CLOCK_MONOTONIC for now(), CLOCK_REALTIME for
// wall_now(), clock_nanosleep for sleep_until(), and ppoll on an eventfd for
// wait_until()/wake() (with the thread's timer slack at its minimum, so a wait
// is not stretched by tens of microseconds to batch wake-ups). Wall-clock steps are detected with a timerfd armed with
// TFD_TIMER_CANCEL_ON_SET (the kernel tells us when CLOCK_REALTIME is set),
// measured as the change of the wall-minus-monotonic offset.
#pragma once

#include <atomic>
#include <mutex>

#include "vtime/time/host_clock.h"

namespace vtime {

class SystemHostClock final : public HostClock {
 public:
  SystemHostClock();
  ~SystemHostClock() override;

  HostTime now() override;
  WallTime wall_now() override;
  void sleep_until(HostTime t) override;
  WakeReason wait_until(HostTime deadline) override;
  void wake() override;
  WakeReason spin_until(HostTime t) override;
  // SCHED_FIFO at the lowest real-time priority while on (needs CAP_SYS_NICE or
  // an RLIMIT_RTPRIO; without them this stays off and returns false, once
  // asked, for good on that thread).
  bool set_punctual(bool on) override;
  void poll_wall_step() override;

 private:
  void arm_step_detector();
  void handle_step_detector();
  bool take_wake();  // consumes a pending wake(), if any
  Duration wall_minus_monotonic();

  int wake_fd_ = -1;   // eventfd: wake() writes, wait_until() polls and drains
  int step_fd_ = -1;   // timerfd on CLOCK_REALTIME with TFD_TIMER_CANCEL_ON_SET
  std::mutex step_mutex_;
  Duration last_offset_{0};
};

}  // namespace vtime
