// InstructionClock: VIRTUAL driven by retired instructions,
//   VIRTUAL = bias + (instructions since the last rebias) * period,
// where period is an InsnPeriod (2^shift ns, or a fraction). Changing the period
// first folds the elapsed time into the bias, so VIRTUAL is continuous; the
// warp only ever adds to the bias, so VIRTUAL never goes backwards.
// One owner thread writes (the run loop / the running hart); any thread reads
// the last published value through a seqlock (vtime/clock), lock-free. Leaves out: parallel
// harts (one hart runs at a time; see docs/icount.md).
#pragma once

#include <cstdint>

#include "vtime/clock/seqlock.h"
#include "vtime/clock/virtual_source.h"
#include "vtime/icount/insn_period.h"
#include "vtime/time/instant.h"

namespace vtime {

// What the seqlock publishes (outside the class: a nested type with default
// member initialisers is not default-constructible until its class is complete).
struct InstructionClockState {
  int64_t bias_ns = 0;
  uint64_t since_rebias = 0;  // instructions since the bias was last folded
  uint64_t period_fixed = 1;
  uint64_t retired = 0;
};

class InstructionClock final : public VirtualTimeSource {
 public:
  InstructionClock(GuestTime start, InsnPeriod period);
  InstructionClock(const InstructionClock&) = delete;
  InstructionClock& operator=(const InstructionClock&) = delete;

  // --- Reads (any thread) ---------------------------------------------------
  // VIRTUAL as of the last retire()/skip(): instructions a hart executed but has
  // not published yet are not included (see HartBudget::sync()).
  GuestTime virtual_now() override;
  GuestTime now() { return virtual_now(); }
  uint64_t retired();  // instructions retired since construction, all harts
  InsnPeriod period();

  // --- Writes (owner thread) -----------------------------------------------
  // Adds `insns` retired instructions and publishes the new VIRTUAL.
  void retire(uint64_t insns);
  // New period from now on; VIRTUAL keeps its current value (rounded down to
  // the nanosecond at the switch).
  void set_period(InsnPeriod period);
  // Moves VIRTUAL forward by `span` without instructions (warp, idle share).
  // Negative spans are ignored: VIRTUAL never goes backwards.
  void skip(Duration span);
  // Moves VIRTUAL forward to `t` if it is later; no-op otherwise.
  void skip_to(GuestTime t);

  // --- Snapshot (owner thread) ---------------------------------------------
  InstructionClockState state() { return read_state(); }
  // Publishes a saved state (VIRTUAL moves to its value, even backwards).
  void restore(const InstructionClockState& s) { write_state(s); }

  // --- Budget arithmetic (owner thread) ------------------------------------
  // Further instructions until VIRTUAL >= `due`: the smallest n such that the
  // n-th instruction reaches it (rounded up). 0 when already due, UINT64_MAX for
  // never(). With `charged` instructions not yet retired, they count as done.
  uint64_t insns_until(GuestTime due, uint64_t charged = 0);
  // insns_until(due) and retired() from one consistent snapshot, for threads
  // other than the owner (the exact early-exit shrink).
  struct Until {
    uint64_t insns;
    uint64_t retired;
  };
  Until insns_until_snapshot(GuestTime due);
  // VIRTUAL after `more` further instructions (rounded down, as reads are).
  GuestTime time_after(uint64_t more);

 private:
  using State = InstructionClockState;
  State read_state();
  void write_state(const State& s);
  static GuestTime value_of(const State& s);
  static uint64_t until_in(const State& s, GuestTime due, uint64_t charged);

  Seqlock<State> state_;  // one writer (the owner), lock-free readers
};

}  // namespace vtime
