#include "vtime/devices/lapic_timer.h"

#include <gtest/gtest.h>

#include "tests/devices/test_irq_line.h"
#include "tests/devices/virtual_sim.h"
#include "vtime/devices/reg_access.h"

namespace vtime {
namespace {

using namespace std::chrono_literals;
using namespace lapic_reg;

constexpr uint32_t kDivideBy1 = 0xB;
constexpr uint32_t kOneShot = 0u << kModeShift;
constexpr uint32_t kPeriodic = 1u << kModeShift;
constexpr uint32_t kTscDeadlineMode = 2u << kModeShift;

struct Fixture {
  explicit Fixture(Frequency bus = Frequency::mhz(100)) : lapic(log, sim.timers(), {.bus = bus}) {
    lapic.connect(irq);
  }
  uint64_t rd(uint64_t offset, unsigned size = 4) {
    return reg_access::dispatch_read(lapic, lapic.sizes(), offset, size);
  }
  void wr(uint64_t offset, uint64_t value, unsigned size = 4) {
    reg_access::dispatch_write(lapic, lapic.sizes(), offset, size, value);
  }
  // Unmasked, vector 0x40, divide by 1, then the initial count.
  void start(uint32_t mode, uint32_t count) {
    wr(kTdcr, kDivideBy1);
    wr(kLvtTimer, mode | 0x40);
    wr(kTmict, count);
  }

  testing::VirtualSim sim;
  GuestLog log;
  testing::TestIrqLine irq;
  LapicTimer lapic;
};

TEST(LapicTimer, ResetStateIsMaskedOneShotWithNothingArmed) {
  Fixture f;
  EXPECT_EQ(f.rd(kLvtTimer), kMasked);
  EXPECT_EQ(f.rd(kTmict), 0u);
  EXPECT_EQ(f.rd(kTmcct), 0u);
  EXPECT_EQ(f.rd(kTdcr), 0u);
  EXPECT_EQ(f.rd(kTscDeadline, 8), 0u);
  EXPECT_TRUE(f.lapic.deadline().is_never());
  EXPECT_FALSE(f.irq.level());
}

TEST(LapicTimer, BusAndTscFrequenciesAreReadableForCalibration) {
  Fixture f(Frequency::hz(123'456'789));
  EXPECT_EQ(f.rd(kBusFrequency, 8), 123'456'789u);
  EXPECT_EQ(f.rd(kTscFrequency, 8), f.sim.clocks().tsc_frequency().hz());
  f.sim.step(1234ns);
  EXPECT_EQ(f.rd(kTsc, 8), f.sim.clocks().tsc());
}

TEST(LapicTimer, DivideConfigurationUsesTheSdmEncoding) {
  // Bits 3,1,0 = 000 -> 2 ... 110 -> 128, 111 -> 1; bit 2 is not part of it.
  const struct {
    uint32_t tdcr;
    uint32_t divisor;
  } rows[] = {{0x0, 2},  {0x1, 4},  {0x2, 8},   {0x3, 16}, {0x8, 32},
              {0x9, 64}, {0xA, 128}, {0xB, 1}, {0x4, 2},  {0xF, 1}};
  for (const auto& row : rows) EXPECT_EQ(lapic_divisor(row.tdcr), row.divisor) << row.tdcr;
  Fixture f;
  f.wr(kTdcr, 0xFFFF'FFFF);
  EXPECT_EQ(f.rd(kTdcr), kTdcrWritable);  // only bits 0, 1 and 3 stick
}

TEST(LapicTimer, OneShotFiresExactlyWhenTheCountReachesZero) {
  Fixture f;  // 100 MHz: 10 ns per tick at divide 1
  const GuestTime t0 = f.sim.now();
  f.start(kOneShot, 1000);
  EXPECT_EQ(f.lapic.deadline(), t0 + 10us);
  f.sim.step(2500ns);
  EXPECT_EQ(f.rd(kTmcct), 750u);
  f.sim.step_until(t0 + 10us - 1ns);
  EXPECT_EQ(f.rd(kTmcct), 1u);
  EXPECT_FALSE(f.irq.level());
  f.sim.step(1ns);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kTmcct), 0u);
  EXPECT_EQ(f.rd(kTmict), 1000u);  // the initial count stays readable
  f.sim.step(1ms);
  EXPECT_EQ(f.irq.rises(), 1);
  EXPECT_EQ(f.lapic.interrupts(), 1u);
}

TEST(LapicTimer, DividerSlowsTheCount) {
  Fixture f;
  const GuestTime t0 = f.sim.now();
  f.wr(kLvtTimer, 0x40);
  f.wr(kTdcr, 0xA);  // divide by 128: 1.28 us per tick
  f.wr(kTmict, 10);
  EXPECT_EQ(f.lapic.deadline(), t0 + 12800ns);
  f.sim.step(1280ns);
  EXPECT_EQ(f.rd(kTmcct), 9u);
}

TEST(LapicTimer, CurrentCountRoundsElapsedTicksDown) {
  Fixture f(Frequency::mhz(3));  // one tick = 333.33 ns
  const GuestTime t0 = f.sim.now();
  f.start(kOneShot, 10);
  f.sim.step_until(t0 + 333ns);
  EXPECT_EQ(f.rd(kTmcct), 10u);
  f.sim.step_until(t0 + 334ns);
  EXPECT_EQ(f.rd(kTmcct), 9u);
  // The deadline rounds up: 3333.33 ns -> 3334 ns, never early.
  EXPECT_EQ(f.lapic.deadline(), t0 + 3334ns);
}

TEST(LapicTimer, PeriodicStepsFromTheIntendedDeadlineWithoutDrift) {
  Fixture f(Frequency::mhz(3));
  const GuestTime t0 = f.sim.now();
  f.start(kPeriodic, 1);  // 333.33 ns periods: rounding each would drift
  for (int n = 1; n <= 3000; ++n) {
    // The n-th expiry is n/3 us after the start, rounded up once, not n times.
    const GuestTime expected = t0 + Duration((n * 1000 + 2) / 3);
    ASSERT_EQ(f.lapic.deadline(), expected) << n;
    f.sim.skip(7us);  // a late host still re-arms from the intended time
    f.sim.run_due();
    f.wr(kEoi, 0);
  }
  EXPECT_EQ(f.lapic.interrupts(), 3000u);
}

TEST(LapicTimer, PeriodicUnderOneNanosecondFiresOncePerNanosecond) {
  // A 4 GHz bus with count 1: four periods per nanosecond used to re-arm at
  // the instant that had just fired, four passes for each step of time.
  Fixture f(Frequency::ghz(4));
  f.start(kPeriodic, 1);
  ASSERT_TRUE(f.sim.step_until_within(f.sim.start() + 10ns, 10));
  EXPECT_EQ(f.lapic.interrupts(), 10u);
  EXPECT_GT(f.lapic.deadline(), f.sim.now());
}

TEST(LapicTimer, PeriodicCurrentCountReloadsAtEachExpiry) {
  Fixture f;
  const GuestTime t0 = f.sim.now();
  f.start(kPeriodic, 100);  // 1 us periods
  f.sim.step_until(t0 + 1us);
  EXPECT_EQ(f.rd(kTmcct), 100u);
  f.sim.step_until(t0 + 2500ns);
  EXPECT_EQ(f.rd(kTmcct), 50u);
  EXPECT_EQ(f.lapic.interrupts(), 2u);
  EXPECT_EQ(f.irq.rises(), 1);  // level held: no EOI in between
}

TEST(LapicTimer, WritingInitialCountZeroStops) {
  Fixture f;
  f.start(kPeriodic, 100);
  f.sim.step(500ns);
  f.wr(kTmict, 0);
  EXPECT_TRUE(f.lapic.deadline().is_never());
  EXPECT_EQ(f.rd(kTmcct), 0u);
  f.sim.step(10us);
  EXPECT_EQ(f.lapic.interrupts(), 0u);
}

TEST(LapicTimer, RewritingInitialCountRestartsFromNow) {
  Fixture f;
  f.start(kOneShot, 100);
  f.sim.step(700ns);
  const GuestTime t1 = f.sim.now();
  f.wr(kTmict, 100);
  EXPECT_EQ(f.lapic.deadline(), t1 + 1us);
}

TEST(LapicTimer, MaskedTimerCountsButRaisesNothing) {
  Fixture f;
  f.wr(kTdcr, kDivideBy1);
  f.wr(kLvtTimer, kMasked | kPeriodic | 0x40);
  f.wr(kTmict, 100);
  f.sim.step(5500ns);
  EXPECT_EQ(f.rd(kTmcct), 50u);
  EXPECT_FALSE(f.irq.level());
  EXPECT_EQ(f.lapic.interrupts(), 0u);
  f.wr(kLvtTimer, kPeriodic | 0x40);  // unmasking keeps the schedule
  f.sim.step(500ns);
  EXPECT_TRUE(f.irq.level());
}

TEST(LapicTimer, EoiLowersTheLineAndTheNextExpiryRaisesItAgain) {
  Fixture f;
  f.start(kPeriodic, 100);
  f.sim.step(1us);
  EXPECT_TRUE(f.irq.level());
  f.wr(kEoi, 0);
  EXPECT_FALSE(f.irq.level());
  f.sim.step(1us);
  EXPECT_EQ(f.irq.rises(), 2);
  EXPECT_EQ(f.lapic.vector(), 0x40);
}

TEST(LapicTimer, DivideChangeKeepsTheCurrentCountAndChangesTheRate) {
  Fixture f;
  f.start(kOneShot, 100);
  f.sim.step(300ns);
  const GuestTime t1 = f.sim.now();
  f.wr(kTdcr, 0x0);  // divide by 2: 20 ns per tick
  EXPECT_EQ(f.rd(kTmcct), 70u);
  EXPECT_EQ(f.lapic.deadline(), t1 + 1400ns);
}

TEST(LapicTimer, SwitchingPeriodicToOneShotFinishesTheCurrentPeriod) {
  Fixture f;
  const GuestTime t0 = f.sim.now();
  f.start(kPeriodic, 100);
  f.sim.step_until(t0 + 1500ns);
  f.wr(kLvtTimer, kOneShot | 0x40);
  EXPECT_EQ(f.rd(kTmcct), 50u);
  f.sim.step_until(t0 + 10us);
  EXPECT_EQ(f.lapic.interrupts(), 2u);
  EXPECT_EQ(f.rd(kTmcct), 0u);
}

TEST(LapicTimer, TscDeadlineFiresWhenTheTscReachesIt) {
  Fixture f;  // TSC at the VmClocks default, 1 GHz
  f.wr(kLvtTimer, kTscDeadlineMode | 0x41);
  const uint64_t tsc0 = f.rd(kTsc, 8);
  f.wr(kTscDeadline, tsc0 + 5000, 8);
  EXPECT_EQ(f.rd(kTscDeadline, 8), tsc0 + 5000);
  f.sim.step(4999ns);
  EXPECT_FALSE(f.irq.level());
  f.sim.step(1ns);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kTsc, 8), tsc0 + 5000);
  EXPECT_EQ(f.rd(kTscDeadline, 8), 0u);  // SDM: cleared once it fires
  EXPECT_EQ(f.rd(kTmcct), 0u);
}

TEST(LapicTimer, TscDeadlineRoundsUpToTheFirstInstantTheTscReadsIt) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = Frequency::mhz(3)});
  TimerGroup timers(clocks);
  GuestLog log;
  LapicTimer lapic(log, timers, {});
  lapic.write_lvt_timer(kTscDeadlineMode);
  const uint64_t target = clocks.tsc() + 10;
  lapic.write_tsc_deadline(target);
  const GuestTime due = lapic.deadline();
  EXPECT_EQ(Frequency::mhz(3).ticks_in(due.since_epoch(), Round::kDown), target);
  EXPECT_EQ(Frequency::mhz(3).ticks_in((due - 1ns).since_epoch(), Round::kDown), target - 1);
}

TEST(LapicTimer, TscDeadlineInThePastFiresAtOnceAndZeroDisarms) {
  Fixture f;
  f.wr(kLvtTimer, kTscDeadlineMode);
  f.sim.step(1us);
  f.wr(kTscDeadline, f.rd(kTsc, 8), 8);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kTscDeadline, 8), 0u);
  f.wr(kEoi, 0);
  f.wr(kTscDeadline, f.rd(kTsc, 8) + 100, 8);
  f.wr(kTscDeadline, 0, 8);
  EXPECT_TRUE(f.lapic.deadline().is_never());
  f.sim.step(1ms);
  EXPECT_EQ(f.lapic.interrupts(), 1u);
}

TEST(LapicTimer, EachModeIgnoresTheOtherModesRegister) {
  Fixture f;
  f.wr(kLvtTimer, kOneShot);
  f.wr(kTscDeadline, f.rd(kTsc, 8) + 100, 8);  // ignored in one-shot mode
  EXPECT_EQ(f.rd(kTscDeadline, 8), 0u);
  EXPECT_TRUE(f.lapic.deadline().is_never());
  f.wr(kLvtTimer, kTscDeadlineMode);
  f.wr(kTmict, 100);  // ignored in TSC-deadline mode
  EXPECT_EQ(f.rd(kTmict), 0u);
  EXPECT_TRUE(f.lapic.deadline().is_never());
}

TEST(LapicTimer, SwitchingIntoOrOutOfTscDeadlineModeDisarms) {
  Fixture f;
  f.start(kPeriodic, 100);
  f.wr(kLvtTimer, kTscDeadlineMode);
  EXPECT_EQ(f.rd(kTmict), 0u);
  EXPECT_TRUE(f.lapic.deadline().is_never());
  f.wr(kTscDeadline, f.rd(kTsc, 8) + 1000, 8);
  EXPECT_FALSE(f.lapic.deadline().is_never());
  f.wr(kLvtTimer, kOneShot);
  EXPECT_EQ(f.rd(kTscDeadline, 8), 0u);
  EXPECT_TRUE(f.lapic.deadline().is_never());
  f.sim.step(1ms);
  EXPECT_EQ(f.lapic.interrupts(), 0u);
}

TEST(LapicTimer, SwitchingOneShotToPeriodicKeepsCounting) {
  Fixture f;
  const GuestTime t0 = f.sim.now();
  f.start(kOneShot, 100);
  f.sim.step(400ns);
  f.wr(kLvtTimer, kPeriodic | 0x40);
  EXPECT_EQ(f.lapic.deadline(), t0 + 1us);
  f.sim.step_until(t0 + 3us);
  EXPECT_EQ(f.lapic.interrupts(), 3u);
}

TEST(LapicTimer, WrongSizesAndReadOnlyRegistersAreGuestErrors) {
  Fixture f;
  EXPECT_EQ(f.rd(kLvtTimer, 8), 0u);
  f.wr(kTscDeadline, 5, 4);
  f.wr(kTmcct, 5);
  f.wr(kBusFrequency, 5, 8);
  EXPECT_EQ(f.rd(0x100), 0u);
  EXPECT_EQ(f.log.count(), 5u);
  EXPECT_EQ(f.rd(kLvtTimer), kMasked);
}

TEST(LapicTimer, TheCountFreezesWhileTheVmIsStopped) {
  Fixture f;
  f.start(kOneShot, 1000);
  f.sim.step(2us);
  f.sim.clocks().stop();
  f.sim.skip(1s);
  EXPECT_EQ(f.rd(kTmcct), 800u);
  f.sim.clocks().resume();
  f.sim.step(8us);
  EXPECT_EQ(f.lapic.interrupts(), 1u);
}

}  // namespace
}  // namespace vtime
