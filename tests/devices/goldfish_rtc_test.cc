#include "vtime/devices/goldfish_rtc.h"

#include <gtest/gtest.h>

#include "tests/clock/fake_source.h"
#include "tests/devices/test_irq_line.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/devices/reg_access.h"
#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer_group.h"

namespace vtime {
namespace {

namespace reg = goldfish_rtc_reg;
using testing::TestIrqLine;

constexpr uint64_t kStart = 1'577'836'800'000'000'000;  // 2020-01-01T00:00:00Z in ns

// The RTC on clocks driven by hand. VIRTUAL comes from a fake source, so it
// moves apart from VIRTUAL_RT and HOST (which follow the manual host clock).
struct Bench {
  explicit Bench(ClockId clock, uint64_t start = kStart) {
    clocks.set_virtual_source(&source);
    rtc.emplace(log, timers, GoldfishRtc::Options{.clock = clock, .start_ns = start});
    rtc->connect(irq);
  }
  ~Bench() { rtc.reset(); }
  // Moves VIRTUAL by `v` and the host clock by `h`, then runs what is due.
  void move(Duration v, Duration h) {
    source.now += v;
    host.advance(h);
    timers.run_all_due();
  }
  uint32_t rd(uint64_t offset) { return static_cast<uint32_t>(rtc->read(offset, 4)); }
  void wr(uint64_t offset, uint64_t value) { rtc->write(offset, 4, value); }
  uint64_t read_time() {
    const uint64_t lo = rd(reg::kTimeLow);
    return lo | uint64_t{rd(reg::kTimeHigh)} << 32;
  }
  void set_alarm(uint64_t at) {
    wr(reg::kAlarmHigh, at >> 32);
    wr(reg::kAlarmLow, at & 0xffff'ffff);
  }

  ManualHostClock host;
  FakeSource source;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  GuestLog log;
  TestIrqLine irq;
  std::optional<GoldfishRtc> rtc;
};

TEST(GoldfishRtc, VirtualCounterFollowsVirtualTimeOnly) {
  Bench b(ClockId::kVirtual);
  EXPECT_EQ(b.read_time(), kStart);
  b.move(1500ns, 1s);
  EXPECT_EQ(b.read_time(), kStart + 1500);
}

TEST(GoldfishRtc, VirtualRtCounterFollowsHostRunningTime) {
  Bench b(ClockId::kVirtualRt);
  b.move(1s, 250us);
  EXPECT_EQ(b.read_time(), kStart + 250'000);
  b.clocks.stop();
  b.move(0ns, 1s);
  EXPECT_EQ(b.read_time(), kStart + 250'000);  // frozen while the VM is stopped
}

TEST(GoldfishRtc, HostCounterFollowsTheWallClockAndItsSteps) {
  Bench b(ClockId::kHost);
  b.move(1s, 3ms);
  EXPECT_EQ(b.read_time(), kStart + 3'000'000);
  b.clocks.stop();
  b.move(0ns, 1ms);  // the wall clock runs while the VM is stopped
  EXPECT_EQ(b.read_time(), kStart + 4'000'000);
  b.host.step_wall(-2ms);
  EXPECT_EQ(b.read_time(), kStart + 2'000'000);
}

TEST(GoldfishRtc, ReadingTimeLowLatchesTheHighHalf) {
  Bench b(ClockId::kVirtual, 0xffff'fff0);
  EXPECT_EQ(b.rd(reg::kTimeHigh), 0u);  // nothing latched yet
  EXPECT_EQ(b.rd(reg::kTimeLow), 0xffff'fff0u);
  b.move(0x20ns, 0ns);                  // the counter carries into the high half
  EXPECT_EQ(b.rd(reg::kTimeHigh), 0u);  // still the half latched with the low read
  EXPECT_EQ(b.rd(reg::kTimeLow), 0x10u);
  EXPECT_EQ(b.rd(reg::kTimeHigh), 1u);
}

TEST(GoldfishRtc, WritingTheHalvesSetsTheCounterWhichThenRunsOn) {
  Bench b(ClockId::kVirtual);
  b.wr(reg::kTimeHigh, 0x1234);
  b.wr(reg::kTimeLow, 0x5678'9abc);
  EXPECT_EQ(b.read_time(), 0x1234'5678'9abcu);
  b.move(10ns, 0ns);
  EXPECT_EQ(b.read_time(), 0x1234'5678'9abcu + 10);
}

TEST(GoldfishRtc, AlarmFiresExactlyAtItsDeadline) {
  Bench b(ClockId::kVirtual);
  b.wr(reg::kIrqEnabled, 1);
  b.set_alarm(kStart + 1000);
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 1u);
  EXPECT_EQ(b.rd(reg::kAlarmLow), static_cast<uint32_t>(kStart + 1000));
  EXPECT_EQ(b.rd(reg::kAlarmHigh), static_cast<uint32_t>((kStart + 1000) >> 32));
  b.move(999ns, 0ns);
  EXPECT_FALSE(b.irq.level());
  b.move(1ns, 0ns);
  EXPECT_TRUE(b.irq.level());
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 0u);
}

TEST(GoldfishRtc, HostClockAlarmFiresOnTheWallClock) {
  Bench b(ClockId::kHost);
  b.wr(reg::kIrqEnabled, 1);
  b.set_alarm(kStart + 5'000'000);
  b.move(1s, 4'999'999ns);
  EXPECT_FALSE(b.irq.level());
  b.move(0ns, 1ns);
  EXPECT_TRUE(b.irq.level());
}

TEST(GoldfishRtc, AlarmInThePastFiresAtOnce) {
  Bench b(ClockId::kVirtual);
  b.move(100ns, 0ns);
  b.wr(reg::kIrqEnabled, 1);
  b.set_alarm(kStart + 100);
  EXPECT_TRUE(b.irq.level());
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 0u);
}

TEST(GoldfishRtc, AlarmHighAloneArmsNothing) {
  Bench b(ClockId::kVirtual);
  b.wr(reg::kAlarmHigh, 0);
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 0u);
  EXPECT_FALSE(b.rtc->irq_pending());
}

TEST(GoldfishRtc, InterruptRaisesOnlyWhileEnabledAndStaysUntilCleared) {
  Bench b(ClockId::kVirtual);
  b.set_alarm(kStart + 10);
  b.move(10ns, 0ns);
  EXPECT_TRUE(b.rtc->irq_pending());
  EXPECT_FALSE(b.irq.level());  // disabled: pending but not raised
  b.wr(reg::kIrqEnabled, 1);
  EXPECT_EQ(b.rd(reg::kIrqEnabled), 1u);
  EXPECT_TRUE(b.irq.level());
  b.wr(reg::kIrqEnabled, 0);
  EXPECT_FALSE(b.irq.level());
  b.wr(reg::kIrqEnabled, 1);
  b.wr(reg::kClearInterrupt, 1);
  EXPECT_FALSE(b.irq.level());
  EXPECT_FALSE(b.rtc->irq_pending());
}

TEST(GoldfishRtc, ClearAlarmDisarmsIt) {
  Bench b(ClockId::kVirtual);
  b.wr(reg::kIrqEnabled, 1);
  b.set_alarm(kStart + 10);
  b.wr(reg::kClearAlarm, 1);
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 0u);
  b.move(1ms, 0ns);
  EXPECT_FALSE(b.irq.level());
}

TEST(GoldfishRtc, SettingTheTimeMovesAnArmedAlarm) {
  Bench b(ClockId::kVirtual);
  b.wr(reg::kIrqEnabled, 1);
  b.set_alarm(kStart + 1000);
  b.rtc->set_time_ns(kStart + 900);  // 100 ns left instead of 1000
  b.move(99ns, 0ns);
  EXPECT_FALSE(b.irq.level());
  b.move(1ns, 0ns);
  EXPECT_TRUE(b.irq.level());
}

TEST(GoldfishRtc, ResetKeepsTheTimeAndClearsTheRest) {
  Bench b(ClockId::kVirtual);
  b.wr(reg::kIrqEnabled, 1);
  b.set_alarm(kStart + 1);
  b.move(1ns, 0ns);
  ASSERT_TRUE(b.irq.level());
  b.set_alarm(kStart + 1000);
  b.rtc->reset();
  EXPECT_FALSE(b.irq.level());
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 0u);
  EXPECT_EQ(b.rd(reg::kIrqEnabled), 0u);
  EXPECT_EQ(b.rd(reg::kAlarmLow), 0u);
  EXPECT_EQ(b.read_time(), kStart + 1);
}

TEST(GoldfishRtc, ReservedAndWrongDirectionAccessesAreGuestErrors) {
  Bench b(ClockId::kVirtual);
  EXPECT_EQ(b.rd(0x20), 0u);
  b.wr(0xffc, 1);
  EXPECT_EQ(b.rd(reg::kClearAlarm), 0u);
  EXPECT_EQ(b.rd(reg::kClearInterrupt), 0u);
  b.wr(reg::kAlarmStatus, 1);
  EXPECT_EQ(b.log.count(), 5u);
  EXPECT_EQ(b.rd(reg::kAlarmStatus), 0u);
  EXPECT_EQ(b.read_time(), kStart);
}

TEST(GoldfishRtc, OnlyWordAccessesReachTheDevice) {
  Bench b(ClockId::kVirtual);
  using reg_access::Check;
  const AccessSizes s = b.rtc->sizes();
  EXPECT_EQ(reg_access::check(s, reg::kSize, reg::kTimeLow, 4), Check::kOk);
  EXPECT_EQ(reg_access::check(s, reg::kSize, reg::kTimeLow, 8), Check::kBadSize);
  EXPECT_EQ(reg_access::check(s, reg::kSize, reg::kTimeLow, 1), Check::kBadSize);
  EXPECT_EQ(reg_access::check(s, reg::kSize, reg::kTimeHigh + 2, 4), Check::kMisaligned);
}

}  // namespace
}  // namespace vtime
