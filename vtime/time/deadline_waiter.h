// DeadlineWaiter: waits on a HostClock for a deadline and returns as close
// after it as the host allows. A host wait (poll, nanosleep) ends some wake-up
// latency after the time asked for - tens to hundreds of microseconds, more on
// a loaded machine - and a guest timer that waits that way fires that late
// every time. The waiter asks the host to wake it `margin` early and spins the
// rest on the clock. It learns the margin from the latencies it measures, the
// way KVM tunes lapic_timer_advance_ns: the margin is the largest of the last
// 128 wake-up latencies, so it rises at once when the host gets slower (about
// one wake-up in 129 comes later than all of the previous 128) and falls
// within 128 waits when it gets faster. Spinning is paid in host CPU, so a
// wait never starts its spin earlier than the median of the last 16
// latencies plus 1/32 of the wait: on a quiet host (tight latencies) that
// covers every wake-up, on a loaded one (milliseconds now and then) the rare
// slow wake-up is late rather than every wait burning the CPU a stall would
// need. One stall is not a latency either: it raises the margin by at most
// max_raise. A spin never lasts longer than max_margin, and a wake() ends it
// like it ends a wait.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "vtime/time/host_clock.h"
#include "vtime/time/span_histogram.h"

namespace vtime {

class DeadlineWaiter {
 public:
  struct Options {
    bool early_wake = true;             // false: plain host waits (no margin, no spin)
    Duration initial_margin = 50us;     // before anything was measured
    Duration max_margin = 1ms;          // bounds the margin, so each spin
    Duration max_raise = 100us;         // one wake-up raises the margin at most this much
    // The wait before a deadline and its spin run at a real-time priority where
    // the host permits (HostClock::set_punctual): the kernel then wakes the
    // waiter at once, whatever else is runnable. Bounded: a spin lasts at most
    // max_margin, and the thread is back to normal before the deadline's work.
    bool punctual_priority = true;
  };
  struct Stats {
    uint64_t deadline_waits = 0;  // waits that reached their deadline
    uint64_t woken = 0;           // waits ended early by wake()
    uint64_t late_wakeups = 0;    // host wake-ups after the deadline itself (no spin could help)
    uint64_t punctual_waits = 0;  // deadline waits run at a real-time priority
    Duration spun{0};             // host time spent spinning
    Duration waited{0};           // host time in the waits, spins included
    SpanHistogram lateness;       // return - deadline, per deadline wait
    SpanHistogram wake_latency;   // host wake-up - time asked for, per host wait
  };

  explicit DeadlineWaiter(HostClock& host) : DeadlineWaiter(host, Options{}) {}
  DeadlineWaiter(HostClock& host, Options options);

  // HostClock::wait_until with little lateness: kDeadline at or after
  // `deadline`, kWoken if wake() came first. HostTime::never() waits for a
  // wake-up only; a deadline in the past returns at once.
  WakeReason wait_until(HostTime deadline);

  Duration margin() const { return margin_; }
  Duration median_latency() const { return median_; }
  const Stats& stats() const { return stats_; }
  const Options& options() const { return options_; }

 private:
  void learn(Duration latency);
  // The early wake-up and the spin of one deadline wait.
  WakeReason wait_then_spin(HostTime deadline, HostTime start);
  // The margin for a wait of `span`: the learned one within the spin budget.
  Duration margin_for(Duration span) const;
  WakeReason finish(HostTime deadline, HostTime start, WakeReason why);

  static constexpr size_t kWindow = 128;  // for the margin (the largest)
  static constexpr size_t kRecent = 16;   // the newest of them, for the median

  HostClock& host_;
  Options options_;
  std::array<Duration, kWindow> recent_;  // the last latencies learned, oldest overwritten
  size_t next_ = 0;
  Duration margin_;         // the largest recent latency (within max_margin)
  Duration median_{0};      // the median of the newest kRecent latencies
  Stats stats_;
};

}  // namespace vtime
