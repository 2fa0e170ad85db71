#include "vtime/icount/icount.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/icount/synthetic_cpu.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using testing::run_round;
using testing::SyntheticCpu;

IcountOptions opts(std::string_view text) {
  auto r = parse_icount_options(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return *r;
}

// One machine's time plumbing: the real VmClocks and TimerGroup, driven by a
// manual host clock. Icount is declared last so it goes first.
struct Rig {
  explicit Rig(std::string_view options)
      : icount(clocks, timers,
               {.icount = opts(options), .warn = [this](std::string_view m) { warnings.emplace_back(m); }}) {}
  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  std::vector<std::string> warnings;
  Icount icount;
  GuestTime start = clocks.virtual_now();
  GuestTime now() { return clocks.virtual_now(); }
};

TEST(Icount, VirtualIsInstructionsTimesTwoToTheShift) {
  for (int shift : {0, 3, 7, 10}) {
    Rig rig("shift=" + std::to_string(shift) + ",sleep=off");
    SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.run_insns = 1000});
    run_round(rig.icount, rig.timers, {&cpu});
    EXPECT_EQ(cpu.executed(), 1000u);
    EXPECT_EQ(rig.now() - rig.start, Duration(int64_t{1000} << shift)) << shift;
  }
}

TEST(Icount, VirtualStartsWhereItWasAndHostTimeDoesNotMoveIt) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  host.advance(5ms);
  const GuestTime before = clocks.virtual_now();
  Icount icount(clocks, timers, {.icount = opts("shift=3")});
  host.advance(1s);
  EXPECT_EQ(clocks.virtual_now(), before);
}

TEST(Icount, MidBlockDeviceAccessSeesTheAccessingInstructionsTime) {
  Rig rig("shift=3,sleep=off");
  std::vector<Duration> seen;
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host,
                   {.block = 8, .device_at = 5, .device = [&] { seen.push_back(rig.now() - rig.start); },
                    .run_insns = 24});
  run_round(rig.icount, rig.timers, {&cpu});
  // Instructions 5, 13 and 21 access the device: 5 * 8 ns, 13 * 8 ns, 21 * 8 ns.
  EXPECT_EQ(seen, (std::vector<Duration>{40ns, 104ns, 168ns}));
}

TEST(Icount, TimerFiresAtTheFirstInstructionWhereVirtualReachesItsDeadline) {
  for (Duration offset : {Duration(100), Duration(96), Duration(1), Duration(12345)}) {
    Rig rig("shift=3,sleep=off");
    SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.block = 8});
    Duration fired_at = Duration::min();
    uint64_t fired_insn = 0;
    GuestTimer timer(rig.timers, ClockId::kVirtual, [&](GuestTime) {
      fired_at = rig.now() - rig.start;
      fired_insn = cpu.executed();
    });
    timer.arm(rig.start + offset);
    while (fired_at == Duration::min()) run_round(rig.icount, rig.timers, {&cpu});
    const uint64_t expected_insn = static_cast<uint64_t>((offset.count() + 7) / 8);
    EXPECT_EQ(fired_insn, expected_insn) << offset.count();
    EXPECT_EQ(fired_at, Duration(static_cast<int64_t>(expected_insn) * 8)) << offset.count();
    EXPECT_GE(fired_at, offset);
    EXPECT_LT(fired_at - 8ns, offset);  // one instruction earlier had not reached it
  }
}

TEST(Icount, BudgetHasNoCapWithoutDeadlines) {
  Rig rig("shift=0,sleep=off");
  HartBudget& hart = rig.icount.add_hart();
  EXPECT_EQ(rig.icount.grant(hart), UINT64_MAX);
  rig.icount.finish(hart, HartStop::kBudget);
}

TEST(Icount, BudgetToAFarDeadlineIsNotCappedAtTwoSeconds) {
  Rig rig("shift=0,sleep=off");
  HartBudget& hart = rig.icount.add_hart();
  GuestTimer timer(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  timer.arm(rig.start + 10s);
  EXPECT_EQ(rig.icount.grant(hart), 10'000'000'000u);
  rig.icount.finish(hart, HartStop::kBudget);
}

TEST(Icount, ADeviceArmingAnEarlierTimerMidBlockShrinksTheRun) {
  Rig rig("shift=3,sleep=off");
  GuestTime fired = GuestTime::never();
  GuestTimer timer(rig.timers, ClockId::kVirtual, [&](GuestTime) { fired = rig.now(); });
  bool armed = false;
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host,
                   {.block = 8, .device_at = 3, .device = [&] {
                      if (!armed) timer.arm(rig.now() + 20ns);  // at 24 ns: due 44 ns
                      armed = true;
                    }});
  rig.icount.grant(cpu.budget());
  EXPECT_EQ(cpu.budget().limit(), UINT64_MAX);
  EXPECT_EQ(cpu.run(), HartStop::kBudget);
  EXPECT_EQ(cpu.executed(), 6u);  // the 6th instruction reaches 48 ns >= 44 ns
  rig.icount.finish(cpu.budget(), HartStop::kBudget);
  rig.timers.run_due(ClockId::kVirtual);
  EXPECT_EQ(fired, rig.start + 48ns);
}

TEST(Icount, KickEndsTheRunAtTheNextBlock) {
  Rig rig("shift=3,sleep=off");
  uint64_t blocks = 0;
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.block = 8, .device_at = 8, .device = [&] {
                                                       if (++blocks == 3) rig.icount.kick();
                                                     }});
  rig.icount.grant(cpu.budget());
  EXPECT_EQ(cpu.run(), HartStop::kBudget);
  EXPECT_EQ(rig.icount.finish(cpu.budget(), HartStop::kBudget), 24u);
}


// --- Idle: warp ---------------------------------------------------------------

TEST(IcountIdle, SleepOffJumpsToTheNextDeadlineAtOnce) {
  Rig rig("shift=3,sleep=off");
  GuestTimer timer(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  timer.arm(rig.start + 1ms);
  const HostTime h0 = rig.host.now();
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kWarped);
  EXPECT_EQ(rig.now(), rig.start + 1ms);
  EXPECT_EQ(rig.host.now(), h0);  // no host waiting at all
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kTimerDue);
}

TEST(IcountIdle, SleepOffWarpIgnoresExternalTimers) {
  Rig rig("shift=3,sleep=off");
  GuestTimer external(rig.timers, ClockId::kVirtual, [](GuestTime) {},
                      {.attributes = TimerAttribute::kExternal});
  GuestTimer guest(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  external.arm(rig.start + 500us);
  guest.arm(rig.start + 2ms);
  rig.icount.idle();
  EXPECT_EQ(rig.now(), rig.start + 2ms);
}

TEST(IcountIdle, SleepOffWithNoTimerWarnsOnceAndWaitsForAnEvent) {
  Rig rig("shift=3,sleep=off");
  rig.host.schedule_event(rig.host.now() + 1ms);
  rig.host.schedule_event(rig.host.now() + 2ms);
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kWoken);
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kWoken);
  EXPECT_EQ(rig.warnings.size(), 1u);
  EXPECT_EQ(rig.now(), rig.start);  // guest time stood still
}

TEST(IcountIdle, SleepOnFollowsHostTimeUpToTheDeadline) {
  Rig rig("shift=3,sleep=on");
  GuestTimer timer(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  timer.arm(rig.start + 1ms);
  const HostTime h0 = rig.host.now();
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kWarped);
  EXPECT_EQ(rig.host.now() - h0, 1ms);
  EXPECT_EQ(rig.now(), rig.start + 1ms);
  EXPECT_EQ(rig.icount.idle_time(), 1ms);
}

TEST(IcountIdle, SleepOnNeverOvershootsBecauseOfWakeUpLatency) {
  Rig rig("shift=3,sleep=on");
  rig.host.set_wake_latency(70us);
  GuestTimer timer(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  timer.arm(rig.start + 1ms);
  const HostTime h0 = rig.host.now();
  rig.icount.idle();
  EXPECT_EQ(rig.host.now() - h0, 1070us);
  EXPECT_EQ(rig.now(), rig.start + 1ms);  // QEMU would be at +1.07 ms
}

TEST(IcountIdle, SleepOnEndsEarlyOnAnExternalEvent) {
  Rig rig("shift=3,sleep=on");
  GuestTimer timer(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  timer.arm(rig.start + 1ms);
  rig.host.schedule_event(rig.host.now() + 300us);
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kWoken);
  EXPECT_EQ(rig.now(), rig.start + 300us);
}

TEST(IcountIdle, SleepOnWarpCountsOnlyTheIdleTimeEvenTheFirstTime) {
  // QEMU's fixed-shift quirk measured the first warp from VIRTUAL_RT = 0.
  Rig rig("shift=3,sleep=on");
  rig.host.advance(5s);  // host running time passes while harts execute
  rig.host.schedule_event(rig.host.now() + 300us);
  rig.icount.idle();
  EXPECT_EQ(rig.now(), rig.start + 300us);
}

TEST(IcountIdle, SleepOnWakesForHostClockTimers) {
  Rig rig("shift=3,sleep=on");
  int ticks = 0;
  GuestTimer rt_timer(rig.timers, ClockId::kVirtualRt, [&](GuestTime) { ++ticks; });
  rt_timer.arm_in(200us);
  EXPECT_EQ(rig.icount.idle(), IdleOutcome::kWoken);
  EXPECT_EQ(rig.now(), rig.start + 200us);  // no VIRTUAL timer: follows host time
  rig.timers.run_all_due();
  EXPECT_EQ(ticks, 1);
}

TEST(IcountIdle, AWaitingHartIsWokenByItsTimerAndContinues) {
  Rig rig("shift=3,sleep=off");
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.run_insns = 10});
  GuestTimer timer(rig.timers, ClockId::kVirtual, [&](GuestTime) { cpu.wake(5); });
  timer.arm(rig.start + 1ms);
  run_round(rig.icount, rig.timers, {&cpu});  // 10 insns, then waits
  EXPECT_TRUE(cpu.waiting());
  run_round(rig.icount, rig.timers, {&cpu});  // idle: jump to 1 ms, timer wakes it
  EXPECT_FALSE(cpu.waiting());
  run_round(rig.icount, rig.timers, {&cpu});
  EXPECT_EQ(rig.now(), rig.start + 1ms + 40ns);
}

}  // namespace
}  // namespace vtime
