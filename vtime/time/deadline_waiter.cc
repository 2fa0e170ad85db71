#include "vtime/time/deadline_waiter.h"

#include <algorithm>

namespace vtime {

DeadlineWaiter::DeadlineWaiter(HostClock& host, Options options)
    : host_(host),
      options_(options),
      margin_(options.early_wake ? std::clamp(options.initial_margin, Duration(0), options.max_margin)
                                 : Duration(0)) {
  recent_.fill(margin_);
  median_ = margin_;
}

WakeReason DeadlineWaiter::wait_until(HostTime deadline) {
  const HostTime start = host_.now();
  if (deadline.is_never()) return finish(deadline, start, host_.wait_until(deadline));
  if (deadline <= start) return WakeReason::kDeadline;
  const bool raised = options_.punctual_priority && options_.early_wake && host_.set_punctual(true);
  const WakeReason why = wait_then_spin(deadline, start);
  if (raised) {
    host_.set_punctual(false);
    ++stats_.punctual_waits;
  }
  return why;
}

WakeReason DeadlineWaiter::wait_then_spin(HostTime deadline, HostTime start) {
  const HostTime asked = deadline - margin_for(deadline - start);
  if (asked > start) {
    if (host_.wait_until(asked) == WakeReason::kWoken) return finish(deadline, start, WakeReason::kWoken);
    const HostTime woke = host_.now();
    learn(woke - asked);
    if (woke >= deadline) {
      if (woke > deadline) ++stats_.late_wakeups;
      return finish(deadline, start, WakeReason::kDeadline);
    }
  }
  const HostTime spin_start = host_.now();
  const WakeReason why = host_.spin_until(deadline);
  stats_.spun += host_.now() - spin_start;
  return finish(deadline, start, why);
}

WakeReason DeadlineWaiter::finish(HostTime deadline, HostTime start, WakeReason why) {
  const HostTime end = host_.now();
  stats_.waited += end - start;
  if (why == WakeReason::kWoken) {
    ++stats_.woken;
  } else {
    ++stats_.deadline_waits;
    stats_.lateness.add(end - deadline);
  }
  return why;
}

Duration DeadlineWaiter::margin_for(Duration span) const {
  return std::min(margin_, median_ + span / 32);
}

void DeadlineWaiter::learn(Duration latency) {
  stats_.wake_latency.add(latency);
  if (!options_.early_wake) return;
  recent_[next_] = std::clamp(latency, Duration(0), margin_ + options_.max_raise);
  next_ = (next_ + 1) % kWindow;
  margin_ = std::min(*std::max_element(recent_.begin(), recent_.end()), options_.max_margin);
  std::array<Duration, kRecent> newest;
  for (size_t i = 0; i < kRecent; ++i) newest[i] = recent_[(next_ + kWindow - 1 - i) % kWindow];
  std::nth_element(newest.begin(), newest.begin() + kRecent / 2, newest.end());
  median_ = newest[kRecent / 2];
}

}  // namespace vtime
