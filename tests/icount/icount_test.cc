#include "vtime/icount/icount.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/icount/icount_rig.h"
#include "tests/icount/synthetic_cpu.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using testing::opts;
using testing::Rig;
using testing::run_round;
using testing::SyntheticCpu;

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

// --- shift=auto ----------------------------------------------------------------

struct Tracking {
  Duration final_lead;     // VIRTUAL - VIRTUAL_RT at the end
  Duration worst_late_lead;  // max |lead| over the last 5 s
  double period_ns;
};

// A host that needs `host_ns_per_insn` per instruction, for `seconds` of host time.
Tracking track(std::string_view options, Duration host_per_insn, int seconds) {
  Rig rig(options);
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.block = 10'000, .host_per_insn = host_per_insn});
  const GuestTime rt0 = rig.clocks.virtual_rt_now();
  Tracking t{};
  GuestTime last = rig.now();
  while (rig.clocks.virtual_rt_now() - rt0 < Duration(int64_t{seconds} * 1'000'000'000)) {
    run_round(rig.icount, rig.timers, {&cpu});
    EXPECT_GE(rig.now(), last);  // shift changes keep VIRTUAL monotonic
    last = rig.now();
    const Duration lead = rig.now() - rig.clocks.virtual_rt_now();
    if (rig.clocks.virtual_rt_now() - rt0 > Duration(int64_t{seconds - 5} * 1'000'000'000)) {
      t.worst_late_lead = std::max(t.worst_late_lead, lead < 0ns ? -lead : lead);
    }
    t.final_lead = lead;
  }
  t.period_ns = rig.icount.period().ns();
  return t;
}

TEST(IcountAuto, QemuControllerTracksAFasterHostWithinItsWobble) {
  // Host: 3 ns per instruction; shifts can only give 2 or 4 ns, so it bounces.
  const Tracking t = track("shift=auto", 3ns, 30);
  EXPECT_LT(t.worst_late_lead, 400ms);
  EXPECT_TRUE(t.period_ns == 2.0 || t.period_ns == 4.0) << t.period_ns;
}

TEST(IcountAuto, QemuControllerTracksASlowerHost) {
  const Tracking t = track("shift=auto", 20ns, 30);
  EXPECT_LT(t.worst_late_lead, 400ms);
  EXPECT_TRUE(t.period_ns == 16.0 || t.period_ns == 32.0) << t.period_ns;
}

TEST(IcountAuto, PiControllerSettlesOnTheHostSpeed) {
  for (Duration host : {3ns, 20ns}) {
    const Tracking t = track("shift=auto,auto=pi", host, 30);
    EXPECT_LT(t.worst_late_lead, 1ms) << host.count();
    EXPECT_NEAR(t.period_ns, static_cast<double>(host.count()), 0.01 * static_cast<double>(host.count()));
  }
}

TEST(IcountAuto, WithAlignThePiControllerTakesOverAndSleepsStop) {
  Rig rig("shift=auto,auto=pi,align=on");
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.block = 10'000, .host_per_insn = 3ns});
  const GuestTime rt0 = rig.clocks.virtual_rt_now();
  uint64_t sleeps_at_5s = 0;
  while (rig.clocks.virtual_rt_now() - rt0 < 10s) {
    run_round(rig.icount, rig.timers, {&cpu});
    if (sleeps_at_5s == 0 && rig.clocks.virtual_rt_now() - rt0 >= 5s) {
      sleeps_at_5s = rig.icount.align_summary().sleeps;
    }
  }
  EXPECT_GT(sleeps_at_5s, 0u);                                 // align capped the start
  EXPECT_EQ(rig.icount.align_summary().sleeps, sleeps_at_5s);  // then the rate was right
  EXPECT_NEAR(rig.icount.period().ns(), 3.0, 0.03);
  EXPECT_LE(rig.icount.align_summary().max_advance, 3ms + 750us);
}

// --- align -----------------------------------------------------------------------

TEST(IcountAlign, FastGuestStaysUnderTheThresholdWithRightStatistics) {
  Rig rig("shift=3,align=on,align-threshold=1ms");
  // The host needs 4 ns for an 8 ns instruction: the guest would run 2x fast.
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.block = 1000, .host_per_insn = 4ns});
  const HostTime h0 = rig.host.now();
  while (rig.now() - rig.start < 1s) run_round(rig.icount, rig.timers, {&cpu});
  const AlignSummary s = rig.icount.align_summary();
  EXPECT_LE(s.max_advance, 1ms + 250us);  // threshold + one quarter-threshold slice
  EXPECT_LE(s.max_delay, 0ns);
  EXPECT_GT(s.sleeps, 100u);
  EXPECT_EQ(s.samples, 4000u);  // one per 250 us slice
  EXPECT_NEAR(static_cast<double>((rig.host.now() - h0).count()), 1e9, 1.3e6);  // host ~ guest
  EXPECT_NEAR(static_cast<double>(s.slept.count()), 0.5e9, 1.3e6);
  rig.icount.reset_align_stats();
  EXPECT_EQ(rig.icount.align_summary().samples, 0u);
  EXPECT_NE(rig.icount.info_text().find("Max guest advance"), std::string::npos);
}

TEST(IcountAlign, SlowGuestGetsRateLimitedLateWarnings) {
  Rig rig("shift=3,align=on");
  // 16 ns of host per 8 ns instruction: half speed, lateness grows 1 s per 2 s.
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host, {.block = 1000, .host_per_insn = 16ns});
  const HostTime h0 = rig.host.now();
  while (rig.host.now() - h0 < 20s) run_round(rig.icount, rig.timers, {&cpu});
  ASSERT_FALSE(rig.warnings.empty());
  EXPECT_EQ(rig.warnings.front(), "The guest is now late by 0.0 to 1.0 seconds");
  EXPECT_EQ(rig.warnings.back(), "The guest is now late by 9.0 to 10.0 seconds");
  EXPECT_LE(rig.warnings.size(), 11u);  // at most one per 2 s
  EXPECT_EQ(rig.host.sleep_calls(), 0);
  EXPECT_NEAR(static_cast<double>(rig.icount.align_summary().max_delay.count()), 10e9, 1e7);
}

// --- several harts ------------------------------------------------------------------

TEST(IcountHarts, EveryRunnableHartAdvancesAtTheNominalRate) {
  Rig rig("shift=3,sleep=off,quantum=10us");  // 1250 instructions per slice
  SyntheticCpu a(rig.icount.add_hart(), rig.host, {.block = 8});
  SyntheticCpu b(rig.icount.add_hart(), rig.host, {.block = 8});
  for (int i = 0; i < 100; ++i) run_round(rig.icount, rig.timers, {&a, &b});
  EXPECT_EQ(a.executed(), 125'000u);
  EXPECT_EQ(b.executed(), 125'000u);
  // 125 000 instructions of 8 ns each: 1 ms, for each hart (QEMU: 2 ms).
  EXPECT_EQ(rig.now() - rig.start, 1ms);
}

TEST(IcountHarts, AWaitingHartsSliceStillPasses) {
  Rig rig("shift=3,sleep=off,quantum=10us");
  SyntheticCpu a(rig.icount.add_hart(), rig.host, {.block = 8});
  SyntheticCpu b(rig.icount.add_hart(), rig.host, {.block = 8, .run_insns = 500});
  run_round(rig.icount, rig.timers, {&a, &b});  // b waits after 500 of its 1250
  EXPECT_EQ(a.executed(), 1250u);
  EXPECT_EQ(rig.now() - rig.start, 10us);       // the round is a full quantum
  // Alone, a is charged the whole period and runs up to the next deadline.
  GuestTimer stop(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  stop.arm(rig.start + 110us);
  while (rig.now() < rig.start + 110us) run_round(rig.icount, rig.timers, {&a, &b});
  EXPECT_EQ(a.executed(), 1250u + 12'500u);
  EXPECT_EQ(rig.now() - rig.start, 110us);
}

TEST(IcountHarts, ADeadlineInsideARoundIsStillExact) {
  Rig rig("shift=3,sleep=off,quantum=10us");
  SyntheticCpu a(rig.icount.add_hart(), rig.host, {.block = 8});
  SyntheticCpu b(rig.icount.add_hart(), rig.host, {.block = 8});
  GuestTime fired = GuestTime::never();
  GuestTimer timer(rig.timers, ClockId::kVirtual, [&](GuestTime) { fired = rig.now(); });
  timer.arm(rig.start + 7001ns);  // 4 ns per instruction with two harts
  while (fired.is_never()) run_round(rig.icount, rig.timers, {&a, &b});
  EXPECT_EQ(fired, rig.start + 7004ns);
}

// --- determinism -------------------------------------------------------------------

std::vector<std::string> traced_run(Duration host_per_insn, Duration wake_latency) {
  Rig rig("shift=4,sleep=off");
  rig.host.set_wake_latency(wake_latency);
  std::vector<std::string> trace;
  SyntheticCpu* cpu_ptr = nullptr;
  SyntheticCpu cpu(rig.icount.add_hart(), rig.host,
                   {.block = 7, .device_at = 3,
                    .device = [&] { trace.push_back("mmio@" + std::to_string(rig.now().since_epoch().count())); },
                    .host_per_insn = host_per_insn, .run_insns = 100});
  cpu_ptr = &cpu;
  int fired = 0;
  GuestTimer periodic(rig.timers, ClockId::kVirtual, [&](GuestTime due) {
    trace.push_back("tick@" + std::to_string(rig.now().since_epoch().count()) + " insns " +
                    std::to_string(cpu_ptr->executed()));
    cpu_ptr->wake(50 + 13 * static_cast<uint64_t>(fired++ % 5));
    periodic.arm(due + 3333ns);
  });
  periodic.arm(rig.start + 1000ns);
  while (fired < 60) run_round(rig.icount, rig.timers, {&cpu});
  return trace;
}

TEST(IcountDeterminism, SleepOffTracesDoNotDependOnHostSpeed) {
  const auto fast = traced_run(1ns, 0ns);
  const auto slow = traced_run(97ns, 80us);
  EXPECT_GT(fast.size(), 100u);
  EXPECT_EQ(fast, slow);
}

}  // namespace
}  // namespace vtime
