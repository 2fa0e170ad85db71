// Rate controllers for shift=auto: choose the InsnPeriod so that VIRTUAL keeps
// pace with VIRTUAL_RT (host running time). Pure logic: each adjust() gets one
// sample and returns the period to use next; Icount calls it from timers.
//  - QemuShiftController: QEMU's icount_adjust exactly: integer
//    shift, +/-1 per call when the lead grew past a 100 ms wobble, 0..10.
//  - PiRateController: fractional ns per instruction. Feed-forward on the
//    measured host ns per instruction, plus a proportional-integral term on the
//    lead, so it settles on the host's real speed instead of bouncing between
//    powers of two.
#pragma once

#include <cstdint>
#include <memory>

#include "vtime/state/state_stream.h"
#include "vtime/icount/icount_options.h"
#include "vtime/icount/insn_period.h"
#include "vtime/time/instant.h"

namespace vtime {

struct RateSample {
  GuestTime virtual_now;     // VIRTUAL
  GuestTime virtual_rt_now;  // VIRTUAL_RT
  uint64_t retired = 0;      // instructions retired so far (monotonic counter)
  Duration idle{0};          // VIRTUAL_RT not spent executing (idle, align sleeps) so far
};

class RateController {
 public:
  virtual ~RateController() = default;
  virtual InsnPeriod initial() const = 0;
  // Period to use from now on, given the current one and a new sample.
  virtual InsnPeriod adjust(const RateSample& sample, InsnPeriod current) = 0;
  // How often Icount samples: on VIRTUAL_RT, and on VIRTUAL (never() = not at all).
  virtual Duration rt_interval() const = 0;
  virtual Duration virtual_interval() const = 0;
  // Snapshot of what the controller learned (docs/snapshot.md).
  virtual void save(StateWriter& out) const = 0;
  virtual void load(StateReader& in) = 0;
};

class QemuShiftController final : public RateController {
 public:
  static constexpr Duration kWobble = 100ms;
  static constexpr Duration kRtInterval = 1000ms;
  static constexpr Duration kVirtualInterval = 100ms;

  explicit QemuShiftController(int initial_shift = IcountOptions::kAdaptiveInitialShift)
      : shift_(initial_shift) {}
  InsnPeriod initial() const override { return InsnPeriod::from_shift(shift_); }
  InsnPeriod adjust(const RateSample& sample, InsnPeriod current) override;
  Duration rt_interval() const override { return kRtInterval; }
  Duration virtual_interval() const override { return kVirtualInterval; }
  void save(StateWriter& out) const override;
  void load(StateReader& in) override;
  int shift() const { return shift_; }

 private:
  int shift_;
  Duration last_delta_{0};
};

class PiRateController final : public RateController {
 public:
  struct Gains {
    Duration interval = 100ms;   // VIRTUAL_RT sampling period
    double horizon_s = 0.3;      // P: remove a lead over this many seconds of host time
    double integral_per_s = 1.0; // I: gain on the accumulated lead (1/s^2)
    double max_step = 2.0;       // the period changes by at most this factor per sample
  };
  explicit PiRateController(int initial_shift = IcountOptions::kAdaptiveInitialShift)
      : PiRateController(initial_shift, Gains{}) {}
  PiRateController(int initial_shift, Gains gains);
  InsnPeriod initial() const override { return initial_; }
  InsnPeriod adjust(const RateSample& sample, InsnPeriod current) override;
  Duration rt_interval() const override { return gains_.interval; }
  Duration virtual_interval() const override { return Duration::max(); }
  void save(StateWriter& out) const override;
  void load(StateReader& in) override;
  double host_ns_per_insn() const { return host_ns_per_insn_; }

 private:
  Gains gains_;
  InsnPeriod initial_;
  bool have_last_ = false;
  RateSample last_{};
  double host_ns_per_insn_ = 0;  // filtered estimate, 0 = none yet
  double integral_s2_ = 0;       // integral of the lead over host time (s^2)
};

std::unique_ptr<RateController> make_rate_controller(RateControllerKind kind, int initial_shift);

}  // namespace vtime
