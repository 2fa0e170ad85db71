#include "vtime/timer/timer.h"

#include <gtest/gtest.h>

#include <optional>

#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer_group.h"
#include "vtime/timer/timer_list.h"

namespace vtime {
namespace {

GuestTime guest(Duration d) { return GuestTime::from_epoch(d); }

TEST(Timer, IdleTimerHasNoExpireTimeAndIsNeverExpired) {
  TimerList list(ClockId::kVirtual);
  GuestTimer t(list, [](GuestTime) {});
  EXPECT_FALSE(t.pending());
  EXPECT_EQ(t.expire_time(), GuestTime::never());
  EXPECT_FALSE(t.expired(guest(1'000'000s)));  // QEMU says "expired" here
}

TEST(Timer, ExpiredMeansPendingAndDueAtOrBeforeNow) {
  TimerList list(ClockId::kVirtual);
  GuestTimer t(list, [](GuestTime) {});
  t.arm(guest(10ns));
  EXPECT_FALSE(t.expired(guest(9ns)));
  EXPECT_TRUE(t.expired(guest(10ns)));
  EXPECT_TRUE(t.expired(guest(11ns)));
}

TEST(Timer, ExpireTimeIsTheArmedDeadlineAndNeverAfterFiring) {
  TimerList list(ClockId::kVirtual);
  GuestTimer t(list, [](GuestTime) {});
  t.arm(guest(42ns));
  EXPECT_EQ(t.expire_time(), guest(42ns));
  list.run_due(42ns);
  EXPECT_EQ(t.expire_time(), GuestTime::never());
}

TEST(Timer, CallbackReceivesTheDeadlineItWasArmedForNotTheRunTime) {
  TimerList list(ClockId::kVirtual);
  std::optional<GuestTime> got;
  GuestTimer t(list, [&](GuestTime due) { got = due; });
  t.arm(guest(10ns));
  list.run_due(25ns);
  EXPECT_EQ(got, guest(10ns));
}

TEST(Timer, KnowsItsClockAndOptions) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup group(clocks);
  WallTimer w(group, ClockId::kHost, [](WallTime) {}, {.attributes = TimerAttribute::kExternal});
  EXPECT_EQ(w.clock(), ClockId::kHost);
  EXPECT_TRUE(w.options().attributes.has(TimerAttribute::kExternal));
  w.arm_in(1s);
  EXPECT_EQ(w.expire_time(), host.wall_now() + 1s);
}

TEST(Timer, PeriodicTimerSteppingFromItsDeadlineNeverDrifts) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup group(clocks);
  int ticks = 0;
  std::optional<GuestTimer> period;
  period.emplace(group, ClockId::kVirtual, [&](GuestTime due) {
    ++ticks;
    period->arm(due + 1ms);
  });
  period->arm(guest(1ms));
  for (int i = 0; i < 100; ++i) {
    host.advance(1ms + 13us);  // the loop runs late every time
    group.run_due(ClockId::kVirtual);
  }
  // 101.3 ms elapsed: 100 ticks ran (one per pass), the next is still at 101 ms.
  EXPECT_EQ(ticks, 100);
  EXPECT_EQ(period->expire_time(), guest(101ms));
}

}  // namespace
}  // namespace vtime
