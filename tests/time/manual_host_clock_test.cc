#include "vtime/time/manual_host_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace vtime {
namespace {

TEST(ManualHostClock, MovesOnlyWhenTold) {
  ManualHostClock host;
  const HostTime t0 = host.now();
  EXPECT_EQ(host.now(), t0);
  host.advance(5ms);
  EXPECT_EQ(host.now() - t0, 5ms);
}

TEST(ManualHostClock, SleepJumpsToTheTargetAndNotBefore) {
  ManualHostClock host;
  const HostTime t0 = host.now();
  host.sleep_until(t0 + 3ms);
  EXPECT_EQ(host.now(), t0 + 3ms);
  host.sleep_until(t0);  // in the past: returns at once
  EXPECT_EQ(host.now(), t0 + 3ms);
  EXPECT_EQ(host.total_slept(), 3ms);
  EXPECT_EQ(host.sleep_calls(), 2);
}

TEST(ManualHostClock, WakeLatencyAndStallsMakeSleepsOverrun) {
  ManualHostClock host;
  const HostTime t0 = host.now();
  host.set_wake_latency(50us);
  host.sleep_until(t0 + 1ms);
  EXPECT_EQ(host.now(), t0 + 1050us);
  host.stall_next_sleep(2ms);
  host.sleep_until(t0 + 2ms);
  EXPECT_EQ(host.now(), t0 + 4050us);
  host.sleep_until(t0 + 5ms);  // the stall was one-shot
  EXPECT_EQ(host.now(), t0 + 5050us);
}

TEST(ManualHostClock, WaitEndsAtTheDeadlineOrAtAScheduledEvent) {
  ManualHostClock host;
  const HostTime t0 = host.now();
  EXPECT_EQ(host.wait_until(t0 + 1ms), WakeReason::kDeadline);
  EXPECT_EQ(host.now(), t0 + 1ms);
  host.schedule_event(t0 + 1500us);
  EXPECT_EQ(host.wait_until(t0 + 10ms), WakeReason::kWoken);
  EXPECT_EQ(host.now(), t0 + 1500us);
  EXPECT_EQ(host.wait_until(t0 + 1h), WakeReason::kDeadline);
  EXPECT_EQ(host.now(), t0 + 1h);
}

TEST(ManualHostClock, AWakeBeforeTheWaitIsNotLost) {
  ManualHostClock host;
  const HostTime t0 = host.now();
  std::thread other([&] { host.wake(); });
  other.join();
  EXPECT_EQ(host.wait_until(t0 + 1s), WakeReason::kWoken);
  EXPECT_EQ(host.now(), t0);  // woken at once, no time passed
  EXPECT_EQ(host.wait_until(t0 + 1s), WakeReason::kDeadline);  // consumed
}

TEST(ManualHostClock, WallClockStepsEitherWayAndTellsListeners) {
  ManualHostClock host;
  std::vector<Duration> steps;
  const auto id = host.add_wall_step_listener([&](Duration d) { steps.push_back(d); });
  const WallTime w0 = host.wall_now();
  const HostTime m0 = host.now();
  host.step_wall(-1h);
  host.step_wall(30s);
  EXPECT_EQ(host.wall_now() - w0, -1h + 30s);
  EXPECT_EQ(host.now(), m0);  // monotonic unaffected
  EXPECT_EQ(steps, (std::vector<Duration>{-1h, 30s}));
  host.remove_wall_step_listener(id);
  host.step_wall(1s);
  EXPECT_EQ(steps.size(), 2u);
}

TEST(ManualHostClock, MonotonicSourceCanMisbehave) {
  ManualHostClock host;
  const HostTime t0 = host.now();
  host.set_monotonic(t0 - 1s);
  EXPECT_EQ(host.now(), t0 - 1s);
}

TEST(ManualHostClock, ReadsCanCostHostTime) {
  ManualHostClock host;
  host.set_advance_per_read(10us);
  const HostTime a = host.now();
  const HostTime b = host.now();
  EXPECT_EQ(b - a, 10us);
}

}  // namespace
}  // namespace vtime
