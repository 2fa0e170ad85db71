// Timer: one deadline on one VM clock, owned by its device (a member, never
// shared); the destructor cancels it. The callback receives the deadline it was
// armed for, so periodic devices step from the intended time and never drift.
// BasicTimer<Domain> is typed by the clock's domain: GuestTimer for VIRTUAL and
// VIRTUAL_RT, HostTimer for REALTIME, WallTimer for HOST (asserted at creation).
// Arming, cancelling and querying are safe from any thread; a change that moves
// the list's earliest deadline earlier calls the group's notify hook.
// CONTRACT: relied upon by icount, devices and machine; extend, do not change.
#pragma once

#include <cstdint>
#include <functional>

#include "vtime/clock/clock_id.h"
#include "vtime/time/instant.h"
#include "vtime/timer/timer_options.h"

namespace vtime {

class TimerGroup;
class TimerList;

// The untyped core shared by all BasicTimer<Domain>: deadlines as spans since
// the clock's epoch. Not used directly by devices.
class TimerBase {
 public:
  using RawCallback = std::function<void(Duration due_since_epoch)>;

  TimerBase(TimerGroup& group, ClockId clock, RawCallback callback, TimerOptions options);
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
  TimerList* list_;
  RawCallback callback_;
  TimerOptions options_;
  // Heap bookkeeping owned by TimerList (under its lock).
  Duration due_ = Duration::max();
  uint64_t seq_ = 0;
  int64_t heap_index_ = -1;
  uint8_t state_ = 0;
};

template <class Domain>
class BasicTimer : public TimerBase {
 public:
  using Time = Instant<Domain>;
  using Callback = std::function<void(Time due)>;

  BasicTimer(TimerGroup& group, ClockId clock, Callback callback, TimerOptions options = {})
      : TimerBase(group, clock,
                  [cb = std::move(callback)](Duration due) { cb(Time::from_epoch(due)); },
                  options) {}

  // (Re)arms at `due`, replacing any earlier deadline. A `due` at or before the
  // clock's current time fires at the next run of the list. never() cancels.
  void arm(Time due) { arm_raw(due.since_epoch()); }
  // Arms `span` after the clock's current reading.
  void arm_in(Duration span) { arm(Time::from_epoch(clock_now_raw()) + span); }
  // QEMU's timer_mod: an absolute deadline in units of the timer's scale.
  void arm_scaled(int64_t units) {
    arm(Time::from_epoch(saturating_mul(units, scale_duration(options().scale))));
  }
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
  static Duration saturating_mul(int64_t units, Duration scale) {
    int64_t r = 0;
    if (__builtin_mul_overflow(units, scale.count(), &r)) {
      return units > 0 ? Duration::max() : Duration::min();
    }
    return Duration(r);
  }
};

using GuestTimer = BasicTimer<GuestDomain>;
using HostTimer = BasicTimer<HostDomain>;
using WallTimer = BasicTimer<WallDomain>;

}  // namespace vtime
