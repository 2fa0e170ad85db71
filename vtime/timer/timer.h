// Timer: one deadline on one VM clock, owned by its device (a member, never
// shared); the destructor cancels it. The callback receives the deadline it was
// armed for, so periodic devices step from the intended time and never drift.
// BasicTimer<Domain> is typed by the clock's domain: GuestTimer for VIRTUAL and
// VIRTUAL_RT, HostTimer for REALTIME, WallTimer for HOST (asserted at creation).
// Arming, cancelling and querying are safe from any thread; a change that moves
// the list's earliest deadline earlier notifies the group's subscribers.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <functional>
#include <type_traits>

#include "vtime/clock/clock_id.h"
#include "vtime/time/instant.h"
#include "vtime/timer/timer_options.h"

namespace vtime {

class TimerGroup;
class TimerList;

namespace timer_detail {
// Where a timer's entry lives inside its TimerList.
enum class Where : uint8_t { kIdle, kHeap, kDeferred };
}  // namespace timer_detail

// The untyped core shared by all BasicTimer<Domain>: deadlines as spans since
// the clock's epoch. Not used directly by devices.
class TimerBase {
 public:
  using RawCallback = std::function<void(Duration due_since_epoch)>;

  TimerBase(TimerGroup& group, ClockId clock, RawCallback callback, TimerOptions options);
  // On a stand-alone list (tests, benchmarks, loops without VmClocks).
  TimerBase(TimerList& list, RawCallback callback, TimerOptions options);
  // Cancels. Destroy on the thread that runs the list's timers (or while none
  // runs), and never from the timer's own callback; see timer_list.h.
  ~TimerBase();
  TimerBase(const TimerBase&) = delete;
  TimerBase& operator=(const TimerBase&) = delete;

  ClockId clock() const;
  const TimerOptions& options() const;
  void cancel();
  bool pending() const;

 protected:
  void arm_raw(Duration due);
  bool arm_earlier_only_raw(Duration due);
  Duration expire_raw() const;  // Duration::max() when not pending
  Duration clock_now_raw() const;

 private:
  friend class TimerList;
  // What arming touches comes first, so an arm reads one cache line of the
  // timer; the callback is only read when it fires.
  TimerList* const list_;
  // Written by TimerList under its lock; due_ is also read lock-free by
  // pending()/expire_raw() on any thread. Duration::max() means idle.
  std::atomic<int64_t> due_{Duration::max().count()};
  uint32_t slot_ = 0;   // the list's handle for this timer (see TimerHeap)
  // Where its heap entry was placed: still right if nothing moved it since. A
  // re-arm whose entry is still there and near the heap's hot tail replaces it
  // in place instead of leaving a stale entry (the busy timers' common case).
  uint32_t hint_ = 0;
  // The sequence number of this timer's pending entry (UINT64_MAX when idle): a
  // copy of the list's dense per-slot array, so an arm writes that array but
  // never waits to read it. Entries with any other number are stale.
  uint64_t seq_ = UINT64_MAX;
  uint8_t queue_ = 0;   // which of the list's per-attribute heaps
  timer_detail::Where where_ = timer_detail::Where::kIdle;
  const TimerOptions options_;
  const RawCallback callback_;
};

template <class Domain>
class BasicTimer : public TimerBase {
 public:
  using Time = Instant<Domain>;
  using Callback = std::function<void(Time due)>;

  BasicTimer(TimerGroup& group, ClockId clock, Callback callback, TimerOptions options = {})
      : TimerBase(group, clock, wrap(std::move(callback)), options) {
    assert(domain_matches(clock) && "timer domain does not match its clock's domain");
  }
  BasicTimer(TimerList& list, Callback callback, TimerOptions options = {})
      : TimerBase(list, wrap(std::move(callback)), options) {
    assert(domain_matches(this->clock()) && "timer domain does not match its clock's domain");
  }

  // (Re)arms at `due`, replacing any earlier deadline. A `due` at or before the
  // clock's current time fires at the next run of the list. never() cancels.
  void arm(Time due) { arm_raw(due.since_epoch()); }
  // Arms `span` after the clock's current reading.
  void arm_in(Duration span) { arm(Time::from_epoch(clock_now_raw()) + span); }
  // QEMU's timer_mod_anticipate: arms only if not pending or if `due` is earlier
  // than the current deadline; never moves a deadline later. Returns whether the
  // deadline changed.
  bool arm_earlier_only(Time due) { return arm_earlier_only_raw(due.since_epoch()); }
  // True when pending and due at or before `now` (unlike QEMU, an idle timer is
  // never "expired").
  bool expired(Time now) const { return pending() && expire_raw() <= now.since_epoch(); }
  // The armed deadline, or never() when not pending.
  Time expire_time() const { return Time::from_epoch(expire_raw()); }

 private:
  static RawCallback wrap(Callback callback) {
    return [cb = std::move(callback)](Duration due) { cb(Time::from_epoch(due)); };
  }
  static constexpr bool domain_matches(ClockId id) {
    switch (domain_of(id)) {
      case ClockDomain::kGuest: return std::is_same_v<Domain, GuestDomain>;
      case ClockDomain::kHost: return std::is_same_v<Domain, HostDomain>;
      case ClockDomain::kWall: return std::is_same_v<Domain, WallDomain>;
    }
    return false;
  }
};

using GuestTimer = BasicTimer<GuestDomain>;
using HostTimer = BasicTimer<HostDomain>;
using WallTimer = BasicTimer<WallDomain>;

}  // namespace vtime
