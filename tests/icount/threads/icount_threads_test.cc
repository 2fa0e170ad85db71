// Icount across threads (also run under ThreadSanitizer): timers armed and
// VIRTUAL read on other threads while a hart runs.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "vtime/icount/icount.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

TEST(IcountThreads, ATimerArmedOnAnotherThreadStopsTheRunningHart) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  Icount icount(clocks, timers, {.icount = *parse_icount_options("shift=3,sleep=off")});
  HartBudget& hart = icount.add_hart();
  GuestTimer timer(timers, ClockId::kVirtual, [](GuestTime) {});
  EXPECT_EQ(icount.grant(hart), UINT64_MAX);
  std::atomic<bool> started{false};
  std::atomic<bool> armed{false};
  std::thread io([&] {
    while (!started.load()) std::this_thread::yield();
    timer.arm(clocks.virtual_now() + 1ms);  // 125 000 instructions after what is published
    armed.store(true);
  });
  // The hart runs on while the other thread arms, but never more than 80,000
  // instructions past the start before the arm has landed: however late the
  // host schedules that thread, the hart cannot pass the deadline first.
  uint64_t blocks = 0;
  uint64_t blocks_before_arm = 0;
  while (hart.fits(8)) {
    hart.charge(8);
    if (++blocks % 64 == 0) hart.sync();  // publish now and then, as device accesses do
    started.store(true);
    if (!armed.load() && ++blocks_before_arm >= 10'000) {
      while (!armed.load()) std::this_thread::yield();
    }
  }
  io.join();
  const uint64_t executed = icount.finish(hart, HartStop::kBudget);
  // The shrink is computed from one snapshot of what was published: the run
  // ends exactly on the deadline instruction (the hart cannot be past it: it
  // publishes every 512 instructions, ran at most 80,000 before the arm, and
  // the timer is 125,000 away).
  EXPECT_EQ(clocks.virtual_now(), timer.expire_time());
  EXPECT_GT(executed, 0u);
  timers.run_due(ClockId::kVirtual);
  EXPECT_FALSE(timer.pending());
}

TEST(IcountThreads, OtherThreadsReadMonotonicVirtualWhileTheHartSyncs) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  Icount icount(clocks, timers, {.icount = *parse_icount_options("shift=2,sleep=off")});
  HartBudget& hart = icount.add_hart();
  std::atomic<bool> done{false};
  std::thread reader([&] {
    GuestTime last = clocks.virtual_now();
    while (!done.load()) {
      const GuestTime t = clocks.virtual_now();
      EXPECT_GE(t, last);
      last = t;
    }
  });
  for (int run = 0; run < 200; ++run) {
    icount.grant(hart);
    for (int i = 0; i < 100; ++i) {
      hart.charge(8);
      hart.sync();
    }
    icount.finish(hart, HartStop::kBudget);
  }
  done.store(true);
  reader.join();
  EXPECT_EQ(icount.clock().retired(), 200u * 100u * 8u);
}

TEST(IcountThreads, KickFromAnotherThreadEndsTheRun) {
  ManualHostClock host;
  VmClocks clocks(host);
  TimerGroup timers(clocks);
  Icount icount(clocks, timers, {.icount = *parse_icount_options("shift=3,sleep=off")});
  HartBudget& hart = icount.add_hart();
  icount.grant(hart);
  std::atomic<bool> started{false};
  std::thread io([&] {
    while (!started.load()) std::this_thread::yield();
    icount.kick();
  });
  while (hart.left() > 0) {
    hart.charge(8);
    started.store(true);
  }
  io.join();
  EXPECT_GT(icount.finish(hart, HartStop::kBudget), 0u);
}

}  // namespace
}  // namespace vtime
