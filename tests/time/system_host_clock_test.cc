// The real host clock. These tests never sleep for a wall-clock amount and
// check nothing against a tolerance: they check ordering and wake-ups only.
#include "vtime/time/system_host_clock.h"

#include <gtest/gtest.h>

#include <sys/prctl.h>

#include <thread>

namespace vtime {
namespace {

TEST(SystemHostClock, MonotonicReadsNeverGoBackwards) {
  SystemHostClock host;
  HostTime previous = host.now();
  for (int i = 0; i < 10'000; ++i) {
    const HostTime t = host.now();
    ASSERT_GE(t, previous);
    previous = t;
  }
}

TEST(SystemHostClock, WallClockIsAfter2020) {
  SystemHostClock host;
  EXPECT_GT(host.wall_now().since_epoch(), std::chrono::seconds(1'577'836'800));
}

TEST(SystemHostClock, SleepNeverReturnsEarly) {
  SystemHostClock host;
  const HostTime target = host.now() + 200us;
  host.sleep_until(target);
  EXPECT_GE(host.now(), target);
}

TEST(SystemHostClock, WaitReturnsAtOnceForAPastDeadline) {
  SystemHostClock host;
  EXPECT_EQ(host.wait_until(host.now() - 1s), WakeReason::kDeadline);
}

TEST(SystemHostClock, AWakeBeforeTheWaitIsNotLost) {
  SystemHostClock host;
  host.wake();
  EXPECT_EQ(host.wait_until(HostTime::never()), WakeReason::kWoken);
}

TEST(SystemHostClock, AnotherThreadCanEndAnEndlessWait) {
  SystemHostClock host;
  std::thread waker([&] { host.wake(); });
  EXPECT_EQ(host.wait_until(HostTime::never()), WakeReason::kWoken);
  waker.join();
}

TEST(SystemHostClock, TimedWaitEndsNoEarlierThanItsDeadline) {
  SystemHostClock host;
  const HostTime deadline = host.now() + 300us;
  EXPECT_EQ(host.wait_until(deadline), WakeReason::kDeadline);
  EXPECT_GE(host.now(), deadline);
}

TEST(SystemHostClock, SpinNeverReturnsEarly) {
  SystemHostClock host;
  const HostTime target = host.now() + 100us;
  EXPECT_EQ(host.spin_until(target), WakeReason::kDeadline);
  EXPECT_GE(host.now(), target);
}

TEST(SystemHostClock, APendingWakeEndsASpinAndIsConsumed) {
  SystemHostClock host;
  host.wake();
  EXPECT_EQ(host.spin_until(host.now() + 3600s), WakeReason::kWoken);
  // Consumed by the spin: the next wait runs to its deadline.
  EXPECT_EQ(host.wait_until(host.now() + 1us), WakeReason::kDeadline);
}

TEST(SystemHostClock, AWakeFromAnotherThreadEndsASpin) {
  SystemHostClock host;
  std::thread waker([&] { host.wake(); });
  EXPECT_EQ(host.spin_until(host.now() + 3600s), WakeReason::kWoken);
  waker.join();
}

TEST(SystemHostClock, AWaitingThreadHasTheSmallestTimerSlack) {
  // Linux's default slack (50 us) would be added to every timed wait.
  std::thread waiter([] {
    SystemHostClock host;
    host.wait_until(host.now() + 1us);
    EXPECT_EQ(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 1);
  });
  waiter.join();
}

}  // namespace
}  // namespace vtime
