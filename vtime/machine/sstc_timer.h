// SstcTimer: the board side of a hart's Sstc comparator (stimecmp). The hart
// reports every stimecmp write (and STCE turning off as "no comparator");
// STIP follows stimecmp <= mtime as a level: raised at once when the time has
// come, otherwise lowered and a VIRTUAL timer armed for the first instant mtime
// reaches it (rounded up, through the CLINT's timebase). The callback re-checks,
// so a guest write to mtime meanwhile is honoured. Sstc spec v1.0.
#pragma once

#include <cstdint>

#include "vtime/state/state_stream.h"
#include "vtime/devices/clint.h"
#include "vtime/riscv/hart.h"
#include "vtime/timer/timer.h"

namespace vtime {

class SstcTimer {
 public:
  SstcTimer(TimerGroup& timers, const Clint& clint, riscv::Hart& hart)
      : clint_(clint), hart_(hart), timer_(timers, ClockId::kVirtual, [this](GuestTime) { evaluate(); }) {}

  void set(uint64_t stimecmp) {
    stimecmp_ = stimecmp;
    evaluate();
  }
  // Hart reset: no comparator, STIP low.
  void reset() { set(riscv::HartEnv::kNoStimecmp); }
  // Snapshot: the comparator and its armed deadline, restored verbatim.
  void save(StateWriter& out) const {
    out.u64(stimecmp_);
    out.guest_time(timer_.expire_time());
  }
  void load(StateReader& in) {
    const uint64_t stimecmp = in.u64();
    const GuestTime due = in.guest_time();
    if (!in.ok()) return;
    stimecmp_ = stimecmp;
    timer_.arm(due);
  }

 private:
  void evaluate() {
    if (stimecmp_ == riscv::HartEnv::kNoStimecmp) {
      timer_.cancel();
      hart_.set_pending(riscv::irq::kStip, false);
      return;
    }
    if (stimecmp_ <= clint_.mtime()) {
      timer_.cancel();
      hart_.set_pending(riscv::irq::kStip, true);
      return;
    }
    hart_.set_pending(riscv::irq::kStip, false);
    timer_.arm(clint_.instant_of(stimecmp_));
  }

  const Clint& clint_;
  riscv::Hart& hart_;
  uint64_t stimecmp_ = riscv::HartEnv::kNoStimecmp;
  GuestTimer timer_;
};

}  // namespace vtime
