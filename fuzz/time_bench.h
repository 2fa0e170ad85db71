// TimeBench: VIRTUAL time for the device targets, driven by a manual host
// clock, with the run loop's invariants checked on every pass of due timers:
//  - VIRTUAL never goes backwards;
//  - timers re-armed at or before the instant that just ran (time not
//    advancing) fire at most kMaxPassesAtOneInstant passes in a row after the
//    last guest operation, plus one per timer and missed nanosecond after a
//    skip (a late host's catch-up);
//  - an input gets at most kPassBudget passes: beyond that it stops early, so a
//    bounded input always finishes in a bounded number of passes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_check.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer_group.h"

namespace vtime::fuzz {

class TimeBench {
 public:
  static constexpr size_t kMaxPassesAtOneInstant = 64;
  static constexpr size_t kPassBudget = 20'000;
  static constexpr uint64_t kTimersPerDevice = 64;  // catch-up allowance per missed ns

  TimeBench() : clocks_(host_), timers_(clocks_) { instant_ = last_seen_ = clocks_.virtual_now(); }
  TimeBench(const TimeBench&) = delete;
  TimeBench& operator=(const TimeBench&) = delete;

  VmClocks& clocks() { return clocks_; }
  TimerGroup& timers() { return timers_; }
  GuestTime now() { return checked_now(); }
  // False once the pass budget is spent: the caller stops feeding operations.
  bool has_budget() const { return passes_left_ > 0; }

  // Moves VIRTUAL `span` ahead, running each deadline on the way at its own
  // instant (as icount sleep=off services them).
  void advance(Duration span) {
    const GuestTime target = checked_now() + span;
    while (has_budget()) {
      const GuestTime due = timers_.next_virtual_deadline();
      if (due > target) break;
      if (due > checked_now()) host_.advance(due - checked_now());
      run_pass();
    }
    if (target > checked_now()) host_.advance(target - checked_now());
  }

  // Moves VIRTUAL `span` ahead without running timers (a host late to service
  // them), then runs what became due until nothing is.
  void skip(Duration span) {
    host_.advance(span);
    begin_instant(checked_now(),
                  kMaxPassesAtOneInstant + static_cast<uint64_t>(span.count()) * kTimersPerDevice);
    while (has_budget() && timers_.next_virtual_deadline() <= checked_now()) run_pass();
  }

  // Runs what is due now after a guest operation (a register write may arm a
  // timer in the past, which fires at once): the operation starts a fresh
  // count of passes at this instant, since the guest, not the device, re-armed.
  void settle() {
    begin_instant(checked_now(), kMaxPassesAtOneInstant);
    while (has_budget() && timers_.next_virtual_deadline() <= checked_now()) run_pass();
  }

 private:
  GuestTime checked_now() {
    const GuestTime t = clocks_.virtual_now();
    if (t < last_seen_) {
      fail("VIRTUAL went backwards from {} to {} ns", last_seen_.since_epoch().count(),
           t.since_epoch().count());
    }
    last_seen_ = t;
    return t;
  }

  void run_pass() {
    const GuestTime t = checked_now();
    timers_.run_due(ClockId::kVirtual);
    --passes_left_;
    if (t != instant_) begin_instant(t, kMaxPassesAtOneInstant);
    if (++passes_at_instant_ > allowed_at_instant_) {
      fail("timers re-armed at or before {} ns for {} passes without time advancing",
           t.since_epoch().count(), passes_at_instant_);
    }
  }

  void begin_instant(GuestTime t, uint64_t allowed) {
    instant_ = t;
    passes_at_instant_ = 0;
    allowed_at_instant_ = allowed;
  }

  ManualHostClock host_;
  VmClocks clocks_;
  TimerGroup timers_;
  GuestTime last_seen_;
  GuestTime instant_;
  uint64_t passes_at_instant_ = 0;
  uint64_t allowed_at_instant_ = kMaxPassesAtOneInstant;
  size_t passes_left_ = kPassBudget;
};

}  // namespace vtime::fuzz
