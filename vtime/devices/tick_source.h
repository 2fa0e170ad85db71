// TickSource: the generic lost-tick engine. It delivers a periodic interrupt
// (through an IrqLine, or a device's own delivery function) on a grid of slots
// first + n * period computed from the intended deadlines, never from "now",
// and notices ticks the guest did not get: slots that passed while the timer
// callback ran late (the host was busy), and deliveries the receiver reported
// as coalesced (the guest had not acknowledged the previous tick). What happens
// to those is the LostTickPolicy (lost_tick_policy.h, docs/devices/lost-ticks.md).
// Counters balance: slots = delivered + backlog + dropped + given_up, and
// lost = reinjected + backlog + dropped + given_up.
// Leaves out: what the interrupt means to the device (status bits, comparator
// registers) - the delivery function does that.
#pragma once

#include <cstdint>
#include <functional>

#include "vtime/state/state_stream.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/lost_tick_policy.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

class TickSource {
 public:
  // Delivers one tick now; reports whether the guest will see it as new.
  using Deliver = std::function<Delivery()>;
  struct Options {
    LostTickPolicy policy = LostTickPolicy::kDiscard;
    SlewParams slew = {};
    CatchUpParams catch_up = {};
    // Never fire two ticks closer than this (the HPET keeps 1 µs).
    Duration min_spacing = Duration::zero();
  };
  struct Counters {
    uint64_t slots = 0;       // grid slots that came due
    uint64_t delivered = 0;   // ticks the receiver accepted (on time or re-injected)
    uint64_t lost = 0;        // ticks missed: late callback or coalesced delivery
    uint64_t reinjected = 0;  // lost ticks delivered later (slew, catch-up)
    uint64_t backlog = 0;     // lost ticks still owed (delay keeps them for good)
    uint64_t dropped = 0;     // lost ticks the policy dropped (discard, merge)
    uint64_t given_up = 0;    // owed ticks abandoned: backlog cap, give-up bound, stop
    uint64_t coalesced = 0;   // delivery attempts the receiver reported as coalesced
  };

  TickSource(TimerGroup& group, Deliver deliver, Options options);
  // Pulses `line` for each tick.
  TickSource(TimerGroup& group, IrqLine& line, Options options);
  TickSource(const TickSource&) = delete;
  TickSource& operator=(const TickSource&) = delete;

  // Starts (or restarts) the grid: slots at first_slot + n * period. A first
  // slot in the past fires once at once, and the slots before it are skipped,
  // not counted as lost. A backlog is kept across a restart. `period` must be
  // positive (asserted).
  void start(GuestTime first_slot, Duration period);
  void start_in(Duration period);  // first slot one period from now
  // Stops ticking; any backlog is given up.
  void stop();
  // Later slots are `period` apart; the next slot stays where it is.
  void set_period(Duration period);
  void set_policy(LostTickPolicy policy) { options_.policy = policy; }

  bool running() const { return running_; }
  Duration period() const { return period_; }
  // The next grid slot not yet accounted (never() when stopped).
  GuestTime next_slot() const { return running_ ? next_slot_ : GuestTime::never(); }
  // When the engine fires next (a slot, or a re-injection between slots).
  GuestTime next_fire() const { return timer_.expire_time(); }
  // Current delivery rate in percent of the base rate (100 = one per period).
  uint64_t rate_percent() const { return rate_percent_; }
  const Counters& counters() const { return counters_; }
  const Options& options() const { return options_; }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  void on_fire(GuestTime due);
  // Accounts slots up to `now`; returns whether the latest one is to be
  // delivered now, and adds the ticks lost to `newly_lost`.
  bool account_slots(GuestTime now, uint64_t& newly_lost);
  void owe_or_drop(uint64_t ticks);
  bool injects() const;
  void apply_caps_and_rate(uint64_t newly_lost);
  void arm_next(GuestTime due, GuestTime now);

  TimerGroup& group_;
  Deliver deliver_;
  Options options_;
  bool running_ = false;
  Duration period_{0};
  GuestTime next_slot_ = GuestTime::never();
  uint64_t rate_percent_ = 100;
  uint32_t slew_extra_ = 0;
  Counters counters_;
  GuestTimer timer_;
};

}  // namespace vtime
