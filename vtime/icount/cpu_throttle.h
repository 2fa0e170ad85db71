// CpuThrottle: QEMU's CPU throttle (auto-converge). At p percent
// (1..99) the harts run one 10 ms VIRTUAL_RT timeslice, then sleep on the host
// for p/(1-p) of it, so they get about (1-p) of the host. A VIRTUAL_RT tick
// owes the sleep; the run loop pays it between slices (pay()), on the host
// clock with ns precision (QEMU: ms-granular condvar waits). Ticks are counted
// from when they were due and a sleep's overrun comes off the next one, so the
// share is (1-p) however late the loop looks or the host wakes. Under icount
// the guest does not see the lost time (VIRTUAL counts instructions); without
// it, it does, as in QEMU.
#pragma once

#include <cstdint>

#include "vtime/state/state_stream.h"
#include "vtime/time/host_clock.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

class CpuThrottle {
 public:
  static constexpr int kMinPercent = 1;
  static constexpr int kMaxPercent = 99;
  static constexpr Duration kTimeslice = 10ms;

  explicit CpuThrottle(TimerGroup& timers);
  CpuThrottle(const CpuThrottle&) = delete;
  CpuThrottle& operator=(const CpuThrottle&) = delete;

  // Clamps to 1..99. Starting from inactive, the first tick runs at once (the
  // first slice's sleep is owed immediately, as in QEMU).
  void set(int percent);
  int percentage() const { return percent_; }  // 0 when stopped
  bool active() const { return percent_ != 0; }
  // Stops throttling; a sleep already owed is forgiven.
  void stop();

  // Sleep owed per timeslice at `percent`: 10 ms * p / (100 - p), rounded up.
  static Duration sleep_for(int percent);

  // The run loop, between slices: sleeps what the last tick owes (on the host,
  // ending early if the host clock is woken). Returns the time slept; an
  // overrun is taken off the next tick's sleep.
  Duration pay();
  Duration owed() const { return owed_; }
  Duration total_slept() const { return total_slept_; }

  // Snapshot (docs/snapshot.md). load() changes nothing unless all of it
  // read cleanly.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  void tick(GuestTime due);

  TimerGroup& timers_;
  GuestTimer timer_;
  int percent_ = 0;
  Duration owed_{0};
  Duration overslept_{0};  // by the last pay(), taken off the next slice's sleep
  Duration total_slept_{0};
};

}  // namespace vtime
