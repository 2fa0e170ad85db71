#include "vtime/icount/cpu_throttle.h"

#include <gtest/gtest.h>

#include "tests/icount/synthetic_cpu.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using testing::run_round;
using testing::SyntheticCpu;

TEST(CpuThrottle, SleepIsPctOverOneMinusPctOfTheTimeslice) {
  EXPECT_EQ(CpuThrottle::sleep_for(50), 10ms);
  EXPECT_EQ(CpuThrottle::sleep_for(20), 2500us);
  EXPECT_EQ(CpuThrottle::sleep_for(99), 990ms);
  EXPECT_EQ(CpuThrottle::sleep_for(1), Duration(101'011));  // 10 ms / 99, rounded up
}

TEST(CpuThrottle, SetClampsGetReportsStopForgives) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  CpuThrottle throttle(timers);
  EXPECT_FALSE(throttle.active());
  throttle.set(150);
  EXPECT_EQ(throttle.percentage(), 99);
  EXPECT_EQ(throttle.owed(), 990ms);  // starting runs the first tick at once
  throttle.set(0);
  EXPECT_EQ(throttle.percentage(), 1);
  EXPECT_EQ(throttle.owed(), 990ms);  // already active: the next tick uses the new rate
  throttle.stop();
  EXPECT_FALSE(throttle.active());
  EXPECT_EQ(throttle.owed(), 0ns);
  EXPECT_EQ(throttle.pay(), 0ns);
  throttle.set(50);
  EXPECT_EQ(throttle.owed(), 10ms);
  EXPECT_EQ(throttle.pay(), 10ms);
}

TEST(CpuThrottle, ALateTickDoesNotStretchThePeriod) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  CpuThrottle throttle(timers);
  throttle.set(50);  // the first tick at once: owes 10 ms, the next due 20 ms on
  EXPECT_EQ(throttle.pay(), 10ms);
  host.advance(15ms);  // the loop looks at its timers 5 ms after the tick was due
  EXPECT_EQ(timers.run_due(ClockId::kVirtualRt), 1u);
  EXPECT_EQ(throttle.owed(), 10ms);
  EXPECT_EQ(timers.deadline_in(ClockId::kVirtualRt), 15ms);  // due at 40 ms, not 45 ms
  host.advance(70ms);  // later than a whole period: start afresh from now
  timers.run_due(ClockId::kVirtualRt);
  EXPECT_EQ(timers.deadline_in(ClockId::kVirtualRt), 20ms);
}

TEST(CpuThrottle, ASleepThatOverranIsTakenOffTheNextOne) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  CpuThrottle throttle(timers);
  host.set_wake_latency(1500us);  // every sleep ends 1.5 ms late
  throttle.set(50);
  EXPECT_EQ(throttle.pay(), 11500us);
  host.advance(8500us);  // the run slice: the next tick is due 20 ms after the first
  timers.run_due(ClockId::kVirtualRt);
  EXPECT_EQ(throttle.owed(), 8500us);  // 10 ms less the overrun
  EXPECT_EQ(timers.deadline_in(ClockId::kVirtualRt), 20ms);  // the period stays 20 ms
  EXPECT_EQ(throttle.pay(), 10ms);     // 8.5 ms asked, 1.5 ms late again
  throttle.stop();                     // forgets the overrun with the debt
  throttle.set(50);
  EXPECT_EQ(throttle.owed(), 10ms);
}

// Host time needed to execute `insns` instructions at 8 ns each (the host as
// fast as nominal), with the throttle at `percent` (0 = off).
Duration host_time_for_work(int percent, uint64_t insns) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  CpuThrottle throttle(timers);
  Icount icount(clocks, timers, {.icount = *parse_icount_options("shift=3")});
  SyntheticCpu cpu(icount.add_hart(), host, {.block = 1000, .host_per_insn = 8ns, .run_insns = insns});
  if (percent > 0) throttle.set(percent);
  const HostTime h0 = host.now();
  while (!cpu.waiting()) run_round(icount, timers, {&cpu}, [&] { throttle.pay(); });
  return host.now() - h0;
}

TEST(CpuThrottle, AtFiftyPercentWorkTakesTwiceAsLong) {
  const Duration free = host_time_for_work(0, 100'000'000);  // 800 ms
  const Duration throttled = host_time_for_work(50, 100'000'000);
  EXPECT_EQ(free, 800ms);
  const double ratio = static_cast<double>(throttled.count()) / static_cast<double>(free.count());
  EXPECT_NEAR(ratio, 2.0, 0.03);
}

TEST(CpuThrottle, AtEightyPercentWorkTakesFiveTimesAsLong) {
  const Duration free = host_time_for_work(0, 50'000'000);
  const Duration throttled = host_time_for_work(80, 50'000'000);
  EXPECT_NEAR(static_cast<double>(throttled.count()) / static_cast<double>(free.count()), 5.0, 0.15);
}

}  // namespace
}  // namespace vtime
