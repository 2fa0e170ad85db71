#include "vtime/icount/cpu_throttle.h"

#include <algorithm>
#include <string>

namespace vtime {

CpuThrottle::CpuThrottle(TimerGroup& timers)
    : timers_(timers), timer_(timers, ClockId::kVirtualRt, [this](GuestTime due) { tick(due); }) {}

Duration CpuThrottle::sleep_for(int percent) {
  if (percent <= 0) return Duration(0);
  const int64_t slice = kTimeslice.count();
  return Duration((slice * percent + (100 - percent) - 1) / (100 - percent));
}

void CpuThrottle::set(int percent) {
  const bool was_active = active();
  percent_ = std::clamp(percent, kMinPercent, kMaxPercent);
  if (!was_active) tick(timers_.clocks().virtual_rt_now());
}

void CpuThrottle::stop() {
  percent_ = 0;
  owed_ = Duration(0);
  overslept_ = Duration(0);
  timer_.cancel();
}

void CpuThrottle::tick(GuestTime due) {
  if (percent_ == 0) return;
  // Not cumulative: an unpaid slice is not owed twice. What the last sleep
  // overran (host wake-up latency, a stall) is taken off, so the harts keep
  // their share of the host instead of losing the overrun every slice.
  const Duration due_sleep = sleep_for(percent_);
  owed_ = overslept_ < due_sleep ? due_sleep - overslept_ : Duration(0);
  overslept_ = Duration(0);
  // Next tick after the run slice plus the sleep, 10 ms / (1 - p), counted from
  // when this one was due, not from when it ran: a run loop looks at timers
  // between slices, and re-arming from "now" (as QEMU does) would add that
  // lateness to every period and throttle less than asked. A tick later than a
  // whole period starts afresh from now.
  const Duration period = kTimeslice + due_sleep;  // the overrun was in the last period
  const GuestTime now = timers_.clocks().virtual_rt_now();
  timer_.arm(due + period > now ? due + period : now + period);
}

Duration CpuThrottle::pay() {
  if (owed_ <= Duration(0)) return Duration(0);
  HostClock& host = timers_.clocks().host();
  const HostTime start = host.now();
  host.wait_until(start + owed_);
  const Duration slept = host.now() - start;
  overslept_ = slept > owed_ ? slept - owed_ : Duration(0);
  owed_ = Duration(0);
  total_slept_ += slept;
  return slept;
}


void CpuThrottle::save(StateWriter& out) const {
  out.u32(static_cast<uint32_t>(percent_));
  for (Duration d : {owed_, overslept_, total_slept_}) out.duration(d);
  out.guest_time(timer_.expire_time());
}

void CpuThrottle::load(StateReader& in) {
  const uint32_t percent = in.u32();
  if (percent != 0 && (percent < kMinPercent || percent > kMaxPercent)) {
    in.fail("a CPU throttle of " + std::to_string(percent) + " % is out of range");
  }
  Duration d[3];
  for (Duration& v : d) v = in.duration();
  // At most one slice's sleep is ever owed (ticks do not accumulate), and a
  // larger debt would make the next pay() sleep for as long as it says.
  const Duration most = sleep_for(kMaxPercent);
  if (d[0] < Duration(0) || d[0] > most || d[1] < Duration(0) || d[2] < Duration(0)) {
    in.fail("the CPU throttle's owed or slept time is out of range");
  }
  const GuestTime due = in.guest_time();
  if (!in.ok()) return;
  percent_ = static_cast<int>(percent);
  owed_ = d[0];
  overslept_ = d[1];
  total_slept_ = d[2];
  timer_.arm(due);
}

}  // namespace vtime
