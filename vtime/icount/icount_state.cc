// Icount snapshot: everything that decides what the next instruction is worth
// and when the next run stops, so that a restored engine grants, charges and
// warps exactly as the saved one would have (docs/snapshot.md).
#include <string>

#include "vtime/icount/icount.h"

namespace vtime {

void Icount::save(StateWriter& out) {
  out.u8(static_cast<uint8_t>(options_.icount.mode));
  out.u64(harts_.size());
  const InstructionClockState s = clock_.state();
  out.i64(s.bias_ns);
  out.u64(s.since_rebias);
  out.u64(s.period_fixed);
  out.u64(s.retired);
  out.u64(nominal_.fixed());
  out.u32(runnable_);
  out.u64(quantum_insns_);
  out.u64(turn_left_);
  out.boolean(warned_no_timer_);
  for (Duration d : {idle_rt_, idle_owed_, idle_late_}) out.duration(d);
  out.boolean(controller_ != nullptr);
  if (controller_) {
    controller_->save(out);
    out.guest_time(rt_adjust_timer_->expire_time());
    out.guest_time(virtual_adjust_timer_ ? virtual_adjust_timer_->expire_time() : GuestTime::never());
  }
  aligner_.save(out);
}

void Icount::load(StateReader& in) {
  in.expect_equal(in.u8(), static_cast<uint8_t>(options_.icount.mode), "the icount mode number");
  in.expect_equal(in.u64(), harts_.size(), "the number of counted harts");
  InstructionClockState s;
  s.bias_ns = in.i64();
  s.since_rebias = in.u64();
  s.period_fixed = in.u64();
  s.retired = in.u64();
  const uint64_t nominal = in.u64();
  const uint32_t runnable = in.u32();
  const uint64_t quantum = in.u64();
  const uint64_t turn_left = in.u64();
  const bool warned = in.boolean();
  Duration idle[3];
  for (Duration& d : idle) d = in.duration();
  if (runnable == 0 || runnable > harts_.size()) in.fail(std::to_string(runnable) + " runnable harts is impossible");
  // The periods follow from the options (fixed shift) or stay in the
  // controllers' range (shift=auto), and the charge is the nominal period
  // shared by the runnable harts: anything else would let one instruction be
  // worth almost no time, and a bounded run last practically forever.
  if (nominal == 0) in.fail("the instruction period is zero");
  const InsnPeriod period = InsnPeriod::from_fixed(nominal == 0 ? 1 : nominal);
  const bool nominal_ok = controller_ ? nominal != 0 && period.ns() >= 1.0 / 1024 && period.ns() <= 1024.0 * 1024
                                      : nominal == InsnPeriod::from_shift(options_.icount.shift).fixed();
  if (!nominal_ok) in.fail("the instruction period " + std::to_string(period.ns()) + " ns is not one these options give");
  if (in.ok() && s.period_fixed != period.shared_by(runnable).fixed()) {
    in.fail("the instruction clock's period is not the nominal one shared by the runnable harts");
  }
  if (in.ok() && quantum != period.insns_for(options_.icount.quantum, Round::kUp)) {
    in.fail("the turn quantum does not match the instruction period");
  }
  if (s.bias_ns < 0) in.fail("the instruction clock starts before guest time zero");
  const bool adaptive = in.boolean();
  if (in.ok() && adaptive != (controller_ != nullptr)) in.fail("it was saved with another icount mode");
  GuestTime rt_due = GuestTime::never(), virtual_due = GuestTime::never();
  // The controller and the aligner keep their own state only when what
  // comes before them is sound; a later problem leaves this engine's board
  // to be discarded (the board first loads into a scratch copy).
  if (in.ok() && controller_) {
    controller_->load(in);
    rt_due = in.guest_time();
    virtual_due = in.guest_time();
  }
  if (in.ok()) aligner_.load(in);
  if (!in.ok()) return;
  clock_.restore(s);
  nominal_ = InsnPeriod::from_fixed(nominal);
  runnable_ = runnable;
  quantum_insns_ = quantum;
  turn_left_ = turn_left;
  warned_no_timer_ = warned;
  idle_rt_ = idle[0];
  idle_owed_ = idle[1];
  idle_late_ = idle[2];
  if (controller_) {
    rt_adjust_timer_->arm(rt_due);
    if (virtual_adjust_timer_) virtual_adjust_timer_->arm(virtual_due);
  }
}

}  // namespace vtime
