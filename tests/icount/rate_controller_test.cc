#include "vtime/icount/rate_controller.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vtime {
namespace {

RateSample sample(Duration v, Duration rt) {
  return RateSample{.virtual_now = GuestTime::from_epoch(v), .virtual_rt_now = GuestTime::from_epoch(rt)};
}

TEST(QemuShiftController, StartsAtShiftThree) {
  QemuShiftController c;
  EXPECT_EQ(c.initial(), InsnPeriod::from_shift(3));
  EXPECT_EQ(c.rt_interval(), 1s);
  EXPECT_EQ(c.virtual_interval(), 100ms);
}

TEST(QemuShiftController, GuestAheadByMoreThanTheWobbleLowersTheShift) {
  QemuShiftController c;
  // delta = 60 ms: last(0) + 100 ms < 120 ms -> shift 2.
  EXPECT_EQ(c.adjust(sample(1060ms, 1000ms), c.initial()), InsnPeriod::from_shift(2));
  // delta 60 ms again: 60 + 100 < 120 is false -> unchanged.
  EXPECT_EQ(c.adjust(sample(2060ms, 2000ms), c.initial()), InsnPeriod::from_shift(2));
}

TEST(QemuShiftController, SmallLeadsInsideTheWobbleChangeNothing) {
  QemuShiftController ahead;
  EXPECT_EQ(ahead.adjust(sample(1040ms, 1000ms), ahead.initial()), InsnPeriod::from_shift(3));
  QemuShiftController behind;
  EXPECT_EQ(behind.adjust(sample(1960ms, 2000ms), behind.initial()), InsnPeriod::from_shift(3));
  // The rule compares with the previous delta: from +40 ms to -40 ms is a swing
  // of 80 ms and QEMU steps: last_delta - wobble = -60 ms > 2 * delta = -80 ms.
  EXPECT_EQ(ahead.adjust(sample(1960ms, 2000ms), ahead.initial()), InsnPeriod::from_shift(4));
}

TEST(QemuShiftController, GuestBehindRaisesTheShiftUpToTen) {
  QemuShiftController c(9);
  EXPECT_EQ(c.adjust(sample(0ms, 100ms), c.initial()), InsnPeriod::from_shift(10));
  EXPECT_EQ(c.adjust(sample(0ms, 400ms), c.initial()), InsnPeriod::from_shift(10));
  EXPECT_EQ(c.shift(), 10);
}

// A host that takes `host_ns` per instruction, sampled every 100 ms of host
// time; returns the final |lead| after `seconds`.
template <class Controller>
double simulate(Controller& c, double host_ns, int seconds, double* final_period_ns) {
  InsnPeriod period = c.initial();
  double v_ns = 0, rt_ns = 0;
  uint64_t retired = 0;
  for (int step = 0; step < seconds * 10; ++step) {
    const double insns = 100e6 / host_ns;
    retired += static_cast<uint64_t>(insns);
    v_ns += insns * period.ns();
    rt_ns += 100e6;
    period = c.adjust(RateSample{.virtual_now = GuestTime::from_epoch(Duration(static_cast<int64_t>(v_ns))),
                                 .virtual_rt_now = GuestTime::from_epoch(Duration(static_cast<int64_t>(rt_ns))),
                                 .retired = retired},
                      period);
  }
  *final_period_ns = period.ns();
  return std::abs(v_ns - rt_ns) * 1e-9;
}

TEST(PiRateController, SettlesOnTheHostSpeedWithoutOscillating) {
  for (double host_ns : {3.0, 8.0, 20.0, 333.0}) {
    PiRateController c;
    double period_ns = 0;
    const double lead_s = simulate(c, host_ns, 10, &period_ns);
    EXPECT_LT(lead_s, 0.001) << host_ns;
    EXPECT_NEAR(period_ns, host_ns, host_ns * 0.01) << host_ns;
  }
}

TEST(PiRateController, IdleTimeDoesNotSkewTheSpeedEstimate) {
  PiRateController c;
  InsnPeriod p = c.initial();
  (void)c.adjust(RateSample{.virtual_now = GuestTime::epoch(), .virtual_rt_now = GuestTime::epoch()}, p);
  // 100 ms of host time, of which 50 ms idle; 10M instructions in the other 50 ms.
  p = c.adjust(RateSample{.virtual_now = GuestTime::from_epoch(100ms),
                          .virtual_rt_now = GuestTime::from_epoch(100ms),
                          .retired = 10'000'000,
                          .idle = 50ms},
               p);
  EXPECT_DOUBLE_EQ(c.host_ns_per_insn(), 5.0);
  EXPECT_NEAR(p.ns(), 5.0, 1e-6);
}

}  // namespace
}  // namespace vtime
