#include "vtime/icount/rate_controller.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace vtime {
namespace {

double seconds(Duration d) { return static_cast<double>(d.count()) * 1e-9; }

}  // namespace

InsnPeriod QemuShiftController::adjust(const RateSample& sample, InsnPeriod current) {
  (void)current;
  const Duration delta = sample.virtual_now - sample.virtual_rt_now;  // > 0: guest ahead
  // Only step when the lead grew by more than the wobble since the last call.
  if (delta > Duration(0) && last_delta_ + kWobble < 2 * delta && shift_ > 0) {
    --shift_;
  }
  if (delta < Duration(0) && last_delta_ - kWobble > 2 * delta &&
      shift_ < InsnPeriod::kMaxShift) {
    ++shift_;
  }
  last_delta_ = delta;
  return InsnPeriod::from_shift(shift_);
}

PiRateController::PiRateController(int initial_shift, Gains gains)
    : gains_(gains), initial_(InsnPeriod::from_shift(initial_shift)) {}

InsnPeriod PiRateController::adjust(const RateSample& sample, InsnPeriod current) {
  if (!have_last_) {
    have_last_ = true;
    last_ = sample;
    return current;
  }
  const Duration elapsed = sample.virtual_rt_now - last_.virtual_rt_now;
  const Duration busy = elapsed - (sample.idle - last_.idle);
  const uint64_t insns = sample.retired - last_.retired;
  last_ = sample;
  if (elapsed <= Duration(0)) return current;
  // Feed-forward: what one instruction costs the host, over busy time only
  // (idle time advanced VIRTUAL without instructions).
  if (insns > 0 && busy > Duration(0)) {
    const double measured = static_cast<double>(busy.count()) / static_cast<double>(insns);
    host_ns_per_insn_ = host_ns_per_insn_ == 0 ? measured : 0.5 * host_ns_per_insn_ + 0.5 * measured;
  }
  if (host_ns_per_insn_ == 0) return current;

  const double lead_s = seconds(sample.virtual_now - sample.virtual_rt_now);  // > 0: guest ahead
  // Conditional integration (anti-windup): only near the set point, so the
  // initial transient does not wind the integral up into an overshoot.
  if (std::abs(lead_s) < 0.02) integral_s2_ += lead_s * seconds(elapsed);
  const double factor = 1.0 - lead_s / gains_.horizon_s - gains_.integral_per_s * integral_s2_;
  double ns = host_ns_per_insn_ * std::clamp(factor, 1.0 / gains_.max_step, gains_.max_step);
  ns = std::clamp(ns, current.ns() / gains_.max_step, current.ns() * gains_.max_step);
  ns = std::clamp(ns, 1.0 / 1024.0, 1024.0 * 1024.0);
  return InsnPeriod::from_ns(ns);
}

std::unique_ptr<RateController> make_rate_controller(RateControllerKind kind, int initial_shift) {
  if (kind == RateControllerKind::kPi) return std::make_unique<PiRateController>(initial_shift);
  return std::make_unique<QemuShiftController>(initial_shift);
}


void QemuShiftController::save(StateWriter& out) const {
  out.i64(shift_);
  out.duration(last_delta_);
}

void QemuShiftController::load(StateReader& in) {
  const int64_t shift = in.i64();
  if (shift < 0 || shift > InsnPeriod::kMaxShift) in.fail("the adaptive shift " + std::to_string(shift) + " is out of range");
  const Duration last = in.duration();
  if (!in.ok()) return;
  shift_ = static_cast<int>(shift);
  last_delta_ = last;
}

void PiRateController::save(StateWriter& out) const {
  out.u64(initial_.fixed());
  out.boolean(have_last_);
  out.guest_time(last_.virtual_now);
  out.guest_time(last_.virtual_rt_now);
  out.u64(last_.retired);
  out.duration(last_.idle);
  out.u64(std::bit_cast<uint64_t>(host_ns_per_insn_));
  out.u64(std::bit_cast<uint64_t>(integral_s2_));
}

void PiRateController::load(StateReader& in) {
  const uint64_t initial = in.u64();
  const bool have_last = in.boolean();
  RateSample last;
  last.virtual_now = in.guest_time();
  last.virtual_rt_now = in.guest_time();
  last.retired = in.u64();
  last.idle = in.duration();
  const double estimate = std::bit_cast<double>(in.u64());
  const double integral = std::bit_cast<double>(in.u64());
  if (initial == 0) in.fail("the controller's initial period is zero");
  if (!std::isfinite(estimate) || !std::isfinite(integral) || estimate < 0) {
    in.fail("the controller's estimates are not finite");
  }
  if (!in.ok()) return;
  initial_ = InsnPeriod::from_fixed(initial);
  have_last_ = have_last;
  last_ = last;
  host_ns_per_insn_ = estimate;
  integral_s2_ = integral;
}

}  // namespace vtime
