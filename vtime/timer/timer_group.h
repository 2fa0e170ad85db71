// TimerGroup: one timer list per VM clock, serviced by one event loop (QEMU's
// QEMUTimerListGroup). Answers "how long until the next deadline" across clocks
// and attribute masks in O(1), and runs what is due.
//
// run_due() semantics (documented re-entrancy):
//  - "now" is read once per pass and frozen; timers due at or before it fire in
//    deadline order, equal deadlines in arm order.
//  - A callback may arm or cancel any timer, itself included, and may destroy
//    other timers (their destructors cancel them; a destroyed timer never fires).
//  - A timer (re)armed during a pass for a deadline at or before the pass's "now"
//    fires in the NEXT pass, not this one: re-arming for "now" cannot livelock.
//    (QEMU runs it again in the same pass.)
// Subscribers hear when a list's earliest deadline moves earlier (arm from any
// thread, enable, resume): the icount engine shrinks a CPU's instruction budget,
// a run loop wakes up or stops the running CPU. Every subscriber runs, in
// subscription order, on the arming thread, outside list locks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "vtime/clock/vm_clocks.h"
#include "vtime/timer/timer_options.h"

namespace vtime {

class TimerList;

// "No deadline": the named value returned instead of QEMU's -1.
inline constexpr Duration kNoDeadline = Duration::max();

class TimerGroup {
 public:
  using NotifyHook = std::function<void(ClockId)>;

  // A subscriber's place in the group; unsubscribes when destroyed or reset.
  // Move-only. Must not outlive the group.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    ~Subscription() { reset(); }
    void reset();
    bool active() const { return group_ != nullptr; }

   private:
    friend class TimerGroup;
    Subscription(TimerGroup* group, uint64_t id) : group_(group), id_(id) {}
    TimerGroup* group_ = nullptr;
    uint64_t id_ = 0;
  };

  explicit TimerGroup(VmClocks& clocks);
  ~TimerGroup();  // all timers must have been destroyed first (asserted)
  TimerGroup(const TimerGroup&) = delete;
  TimerGroup& operator=(const TimerGroup&) = delete;

  VmClocks& clocks() const;
  TimerList& list(ClockId id);

  // Absolute earliest deadline on `id` among timers whose attributes lie within
  // `mask`, as a span since the clock's epoch; kNoDeadline if none. O(1).
  // Ignores whether the clock is enabled.
  Duration next_deadline(ClockId id, AttributeMask mask = AttributeMask::all()) const;
  // Typed convenience for VIRTUAL: GuestTime::never() if none.
  GuestTime next_virtual_deadline(AttributeMask mask = AttributeMask::all()) const;
  // Time from the clock's current reading to its earliest deadline: 0 when
  // overdue, kNoDeadline when none or when the clock is disabled.
  Duration deadline_in(ClockId id, AttributeMask mask = AttributeMask::all()) const;
  // The soonest of deadline_in() over several clocks.
  Duration deadline_in_any(std::initializer_list<ClockId> ids,
                           AttributeMask mask = AttributeMask::all()) const;

  // Runs the due timers of one clock (nothing if it is disabled); returns how
  // many fired.
  size_t run_due(ClockId id);
  // Runs every enabled clock's due timers, in clock-id order.
  size_t run_all_due();

  // Adds `hook` after the existing subscribers. Subscribe and unsubscribe only
  // while no other thread arms timers of the group (at set-up and tear-down):
  // notifications read the subscriber list without a lock.
  [[nodiscard]] Subscription subscribe(NotifyHook hook);

 private:
  struct Impl;
  struct Subscribers {
    std::vector<std::pair<uint64_t, NotifyHook>> hooks;
    void notify(ClockId id) const;
  };
  void unsubscribe(uint64_t id);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vtime
