#include "vtime/time/manual_host_clock.h"

#include <algorithm>
#include <cassert>

namespace vtime {

ManualHostClock::ManualHostClock(Options options)
    : mono_(options.start), wall_(options.wall_start) {}

HostTime ManualHostClock::now() {
  std::lock_guard lock(mutex_);
  const HostTime t = mono_;
  mono_ += advance_per_read_;
  wall_ += advance_per_read_;
  return t;
}

WallTime ManualHostClock::wall_now() {
  std::lock_guard lock(mutex_);
  return wall_;
}

HostTime ManualHostClock::finish_sleep_locked(HostTime target) {
  ++sleep_calls_;
  HostTime end = target + wake_latency_ + next_stall_;
  next_stall_ = Duration(0);
  if (end < mono_) end = mono_;  // a past target returns at once (plus latency)
  total_slept_ += end - mono_;
  wall_ += end - mono_;
  mono_ = end;
  return end;
}

void ManualHostClock::sleep_until(HostTime t) {
  std::lock_guard lock(mutex_);
  if (t <= mono_) {
    ++sleep_calls_;
    return;
  }
  finish_sleep_locked(t);
}

WakeReason ManualHostClock::wait_until(HostTime deadline) {
  std::lock_guard lock(mutex_);
  if (punctual_) ++punctual_waits_;
  if (wake_pending_) {
    wake_pending_ = false;
    ++sleep_calls_;
    return WakeReason::kWoken;
  }
  if (const std::optional<HostTime> event = take_event_locked(deadline)) {
    const HostTime at = std::max(*event, mono_);
    ++sleep_calls_;
    total_slept_ += at - mono_;
    wall_ += at - mono_;
    mono_ = at;
    return WakeReason::kWoken;
  }
  // Waiting forever with nothing scheduled would hang a real host; here it is a
  // test bug, so fail loudly instead.
  assert(!deadline.is_never() && "ManualHostClock: wait_until(never) with no event scheduled");
  if (deadline.is_never()) return WakeReason::kWoken;
  if (deadline > mono_) finish_sleep_locked(deadline);
  else ++sleep_calls_;
  return WakeReason::kDeadline;
}

std::optional<HostTime> ManualHostClock::take_event_locked(HostTime limit) {
  std::sort(events_.begin(), events_.end());
  if (events_.empty() || events_.front() > limit) return std::nullopt;
  const HostTime at = events_.front();
  events_.erase(events_.begin());
  return at;
}

WakeReason ManualHostClock::spin_until(HostTime t) {
  std::lock_guard lock(mutex_);
  if (punctual_) ++punctual_waits_;
  if (wake_pending_) {
    wake_pending_ = false;
    return WakeReason::kWoken;
  }
  const std::optional<HostTime> event = take_event_locked(t);
  const HostTime end = std::max(event.value_or(t), mono_);
  total_spun_ += end - mono_;
  wall_ += end - mono_;
  mono_ = end;
  return event ? WakeReason::kWoken : WakeReason::kDeadline;
}

void ManualHostClock::wake() {
  std::lock_guard lock(mutex_);
  wake_pending_ = true;
}

void ManualHostClock::advance(Duration span) {
  assert(span >= Duration(0));
  std::lock_guard lock(mutex_);
  mono_ += span;
  wall_ += span;
}

void ManualHostClock::set_monotonic(HostTime t) {
  std::lock_guard lock(mutex_);
  mono_ = t;
}

void ManualHostClock::step_wall(Duration step) {
  {
    std::lock_guard lock(mutex_);
    wall_ += step;
  }
  report_wall_step(step);
}

void ManualHostClock::set_wake_latency(Duration latency) {
  std::lock_guard lock(mutex_);
  wake_latency_ = latency;
}

void ManualHostClock::stall_next_sleep(Duration extra) {
  std::lock_guard lock(mutex_);
  next_stall_ = extra;
}

void ManualHostClock::set_advance_per_read(Duration span) {
  std::lock_guard lock(mutex_);
  advance_per_read_ = span;
}

void ManualHostClock::schedule_event(HostTime t) {
  std::lock_guard lock(mutex_);
  events_.push_back(t);
}

Duration ManualHostClock::total_slept() const {
  std::lock_guard lock(mutex_);
  return total_slept_;
}

Duration ManualHostClock::total_spun() const {
  std::lock_guard lock(mutex_);
  return total_spun_;
}

int ManualHostClock::sleep_calls() const {
  std::lock_guard lock(mutex_);
  return sleep_calls_;
}

bool ManualHostClock::set_punctual(bool on) {
  std::lock_guard lock(mutex_);
  punctual_ = on && permit_punctual_;
  return punctual_;
}

void ManualHostClock::permit_punctual(bool permit) {
  std::lock_guard lock(mutex_);
  permit_punctual_ = permit;
}

bool ManualHostClock::punctual() const {
  std::lock_guard lock(mutex_);
  return punctual_;
}

int ManualHostClock::punctual_waits() const {
  std::lock_guard lock(mutex_);
  return punctual_waits_;
}

}  // namespace vtime
