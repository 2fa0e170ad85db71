// Icount::idle(): the warp under sleep=off, and under sleep=on the host wait
// with early wake-up and repaid lateness.
#include <gtest/gtest.h>

#include <random>

#include "tests/icount/icount_rig.h"
#include "tests/icount/synthetic_cpu.h"

namespace vtime {
namespace {

using testing::Rig;
using testing::run_round;
using testing::SyntheticCpu;

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

TEST(IcountIdle, SleepOnNeverOvershootsBecauseOfWakeUpLatencyAndOwesIt) {
  Rig rig("shift=3,sleep=on");
  rig.host.set_wake_latency(70us);  // 20 us more than the waiter's first margin
  GuestTimer timer(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  timer.arm(rig.start + 1ms);
  const HostTime h0 = rig.host.now();
  rig.icount.idle();
  EXPECT_EQ(rig.host.now() - h0, 1020us);  // woken 50 us early, 70 us late
  EXPECT_EQ(rig.now(), rig.start + 1ms);   // QEMU would be at +1.07 ms
  EXPECT_EQ(rig.icount.idle_owed(), 20us);
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

// A 1 ms periodic VIRTUAL timer (absolute deadlines, like a guest's
// mtimecmp += period) on an idle machine: each pass idles, then runs what is
// due. Checks on every idle that VIRTUAL never goes backwards and never passes
// a deadline without running its timer; returns host - guest time at the end.
struct IdleTicker {
  explicit IdleTicker(Rig& r) : rig(r), timer(r.timers, ClockId::kVirtual, [this](GuestTime at) {
    ++ticks;
    EXPECT_EQ(at, next) << "tick " << ticks << " ran late in guest time";
    next = next + 1ms;
    timer.arm(next);
  }) {
    next = rig.now() + 1ms;
    timer.arm(next);
  }
  // One idle; `latency` is the host's wake-up latency for it.
  void idle_once(Duration latency) {
    rig.host.set_wake_latency(latency);
    const GuestTime before = rig.now();
    rig.icount.idle();
    ASSERT_GE(rig.now(), before) << "VIRTUAL went backwards";
    ASSERT_LE(rig.now(), next) << "VIRTUAL passed a deadline while idle";
    const uint64_t ticks_before = ticks;
    const bool due = rig.now() == next;
    rig.timers.run_due(ClockId::kVirtual);
    ASSERT_EQ(ticks - ticks_before, due ? 1u : 0u);
  }
  Duration host_minus_guest() const { return (rig.host.now() - h0) - (rig.now() - g0); }

  Rig& rig;
  GuestTime next;
  uint64_t ticks = 0;
  HostTime h0 = rig.host.now();
  GuestTime g0 = rig.now();
  GuestTimer timer;
};

TEST(IcountIdle, SleepOnRepaysAFixedLatenessSoGuestTimeKeepsTheHostsPace) {
  // Plain host waits (no early wake-up): every wake-up is 100 us late, and
  // only the repayment keeps the guest from losing it.
  Icount::Options plain_waits;
  plain_waits.idle_wait.early_wake = false;
  Rig rig("shift=3,sleep=on", plain_waits);
  IdleTicker ticker(rig);
  for (int i = 0; i < 10'000; ++i) ticker.idle_once(100us);
  EXPECT_EQ(ticker.ticks, 10'000u);
  // 10 s of guest time in 10 s + one wake-up's lateness of host time.
  EXPECT_EQ(ticker.host_minus_guest(), 100us);
  EXPECT_EQ(rig.icount.idle_owed(), 100us);
  EXPECT_EQ(rig.icount.idle_lateness(), 10'000 * 100us);
  EXPECT_EQ(rig.icount.idle_repaid(), 9'999 * 100us);
}

TEST(IcountIdle, WithoutRepaymentEveryWakeUpsLatenessIsLostForGood) {
  // The baseline the repayment is measured against (and QEMU's behaviour).
  Icount::Options baseline;
  baseline.idle_wait.early_wake = false;
  baseline.repay_idle_lateness = false;
  Rig rig("shift=3,sleep=on", baseline);
  IdleTicker ticker(rig);
  for (int i = 0; i < 1'000; ++i) ticker.idle_once(100us);
  EXPECT_EQ(ticker.host_minus_guest(), 1'000 * 100us);
  EXPECT_EQ(rig.icount.idle_owed(), 0ns);
  EXPECT_EQ(rig.icount.idle_repaid(), 0ns);
}

TEST(IcountIdle, SleepOnStaysWithinALatencyOfTheHostThroughRandomLatenessAndAStall) {
  Rig rig("shift=3,sleep=on");
  IdleTicker ticker(rig);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> latency_us(0, 300);
  Duration worst{0};
  for (int i = 0; i < 10'000; ++i) {
    if (i == 5'000) rig.host.stall_next_sleep(50ms);
    ticker.idle_once(std::chrono::microseconds(latency_us(rng)));
    // The stall is repaid within 60 idles (at most 1 ms per idle).
    if (i < 5'000 || i >= 5'060) worst = std::max(worst, ticker.host_minus_guest());
  }
  EXPECT_GE(ticker.host_minus_guest(), 0ns);  // never ahead of the host
  EXPECT_LE(worst, 300us);                    // one wake-up's lateness at most
  EXPECT_GE(rig.icount.idle_repaid(), 50ms);  // the stall was repaid, not dropped
  EXPECT_GE(ticker.ticks, 9'950u);            // idles that only repaid ran no tick
}

TEST(IcountIdle, AnIdleThatOnlyRepaysDoesNotWaitOnTheHost) {
  Rig rig("shift=3,sleep=on");
  IdleTicker ticker(rig);
  rig.host.stall_next_sleep(5ms);
  ticker.idle_once(0ns);  // woken 50 us early, then 5 ms late
  EXPECT_EQ(rig.icount.idle_owed(), 5ms - 50us);
  const int sleeps = rig.host.sleep_calls();
  for (int i = 0; i < 5; ++i) ticker.idle_once(0ns);
  EXPECT_EQ(rig.host.sleep_calls(), sleeps);  // five ticks at once, no host wait
  EXPECT_EQ(ticker.ticks, 6u);
  EXPECT_EQ(rig.icount.idle_owed(), 0ns);
}

}  // namespace
}  // namespace vtime
