// ManualHostClock: a host clock for tests and simulations that moves only when
// told. Sleeping and waiting jump the clock instead of blocking, so every test
// that involves host time is deterministic. It can also misbehave on purpose:
// step the wall clock either way, run the monotonic clock backwards, wake late
// (wake-up latency), stall during a sleep, and charge host time per read (a host
// busy executing guest code).
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "vtime/time/host_clock.h"

namespace vtime {

class ManualHostClock final : public HostClock {
 public:
  struct Options {
    HostTime start = HostTime::from_epoch(1'000'000'000s);  // arbitrary, not zero
    WallTime wall_start = WallTime::from_epoch(1'700'000'000s);
  };
  ManualHostClock() : ManualHostClock(Options{}) {}
  explicit ManualHostClock(Options options);

  HostTime now() override;
  WallTime wall_now() override;
  void sleep_until(HostTime t) override;
  WakeReason wait_until(HostTime deadline) override;
  void wake() override;
  // Jumps to `t` (no wake-up latency: the spinning thread never slept), or to
  // an event scheduled before it (kWoken); a pending wake() returns at once.
  WakeReason spin_until(HostTime t) override;
  // Grants (or, with permit_punctual(false), refuses) the real-time priority and
  // remembers it; the waits and spins made while it is on are counted.
  bool set_punctual(bool on) override;

  // Moves monotonic and wall time forward together. Negative spans are refused
  // (assert); use set_monotonic() to model a misbehaving source.
  void advance(Duration span);
  // Forces the monotonic reading, backwards included (a broken host source).
  void set_monotonic(HostTime t);
  // Steps the wall clock only, either way, and tells the wall-step listeners.
  void step_wall(Duration step);
  // Every later sleep or wait ends `latency` after its target (host wake-up
  // latency). Does not apply to waits ended by a wake-up.
  void set_wake_latency(Duration latency);
  // The next sleep or wait overruns by `extra` once (the host stalled).
  void stall_next_sleep(Duration extra);
  // Every now() call moves time forward by `span` after reading (work costs time).
  void set_advance_per_read(Duration span);
  // An external event (console input, another thread) arrives at `t`: a
  // wait_until() whose deadline is later returns kWoken at `t`.
  void schedule_event(HostTime t);

  Duration total_slept() const;  // sum of time jumped inside sleep/wait
  Duration total_spun() const;   // sum of time jumped inside spin_until
  int sleep_calls() const;       // sleeps and waits that were asked for
  void permit_punctual(bool permit);
  bool punctual() const;          // raised now
  int punctual_waits() const;     // waits and spins made while raised

 private:
  HostTime finish_sleep_locked(HostTime target);
  // A scheduled event at or before `limit`, taken off the list, if any.
  std::optional<HostTime> take_event_locked(HostTime limit);

  mutable std::mutex mutex_;
  HostTime mono_;
  WallTime wall_;
  Duration wake_latency_{0};
  Duration next_stall_{0};
  Duration advance_per_read_{0};
  bool wake_pending_ = false;
  bool permit_punctual_ = true;
  bool punctual_ = false;
  int punctual_waits_ = 0;
  std::vector<HostTime> events_;
  Duration total_slept_{0};
  Duration total_spun_{0};
  int sleep_calls_ = 0;
};

}  // namespace vtime
