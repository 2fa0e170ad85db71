#include "vtime/icount/rate_controller.h"

#include <algorithm>
#include <cmath>

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

}  // namespace vtime
