#include "vtime/time/deadline_waiter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

// `n` waits of `span` each on `host`; returns how many returned after their deadline.
int wait_n(DeadlineWaiter& waiter, ManualHostClock& host, int n, Duration span) {
  int late = 0;
  for (int i = 0; i < n; ++i) {
    const HostTime deadline = host.now() + span;
    EXPECT_EQ(waiter.wait_until(deadline), WakeReason::kDeadline);
    EXPECT_GE(host.now(), deadline) << "wait " << i << " returned early";
    if (host.now() > deadline) ++late;
  }
  return late;
}

TEST(DeadlineWaiter, LearnsAFixedWakeLatencyAndThenReturnsExactlyAtTheDeadline) {
  ManualHostClock host;
  host.set_wake_latency(150us);
  DeadlineWaiter waiter(host);
  EXPECT_EQ(waiter.margin(), 50us);
  // Late until the newest latencies' median has moved up (8 of 16 at 150 us).
  EXPECT_EQ(wait_n(waiter, host, 40, 1ms), 8);
  EXPECT_GE(waiter.margin(), 150us);
  // From here on: no lateness, and the margin is the latency, so nothing spins.
  const Duration spun_before = host.total_spun();
  EXPECT_EQ(wait_n(waiter, host, 1000, 1ms), 0);
  EXPECT_EQ(waiter.margin(), 150us);
  EXPECT_EQ(host.total_spun() - spun_before, 0ns);
}

TEST(DeadlineWaiter, MarginComesDownWhenTheHostGetsFasterAndGoesUpWhenItGetsSlower) {
  ManualHostClock host;
  host.set_wake_latency(300us);
  DeadlineWaiter waiter(host);
  wait_n(waiter, host, 100, 1ms);
  EXPECT_GE(waiter.margin(), 300us);
  host.set_wake_latency(10us);
  EXPECT_EQ(wait_n(waiter, host, 128, 1ms), 0);  // a faster host is never late
  EXPECT_EQ(waiter.margin(), 10us);              // and 128 waits later spins no more
  host.set_wake_latency(80us);
  EXPECT_EQ(wait_n(waiter, host, 50, 1ms), 8);   // late until the median follows
  EXPECT_EQ(waiter.margin(), 80us);
}

TEST(DeadlineWaiter, OneStallRaisesTheMarginByAtMostMaxRaiseAndItsLatenessIsCounted) {
  ManualHostClock host;
  host.set_wake_latency(20us);
  DeadlineWaiter waiter(host);
  wait_n(waiter, host, 200, 1ms);
  const Duration settled = waiter.margin();
  host.stall_next_sleep(50ms);
  const HostTime deadline = host.now() + 1ms;
  EXPECT_EQ(waiter.wait_until(deadline), WakeReason::kDeadline);
  EXPECT_GE(host.now() - deadline, 50ms - settled);
  EXPECT_LE(waiter.margin(), settled + waiter.options().max_raise);
  EXPECT_GE(waiter.stats().lateness.max(), 50ms - settled);
  EXPECT_GE(waiter.stats().late_wakeups, 1u);
}

TEST(DeadlineWaiter, OnAQuietHostEvenTheRareSlowerWakeUpsAreCovered) {
  // 10 us wake-ups, one in 50 at 40 us: within the spin budget of 1 ms waits.
  ManualHostClock host;
  DeadlineWaiter waiter(host);
  int late = 0;
  for (int i = 0; i < 5'000; ++i) {
    host.set_wake_latency(i % 50 == 7 ? 40us : 10us);
    const HostTime deadline = host.now() + 1ms;
    ASSERT_EQ(waiter.wait_until(deadline), WakeReason::kDeadline);
    ASSERT_GE(host.now(), deadline);
    if (i >= 100 && host.now() > deadline) ++late;
  }
  EXPECT_EQ(late, 0);
  EXPECT_EQ(waiter.margin(), 40us);
  EXPECT_EQ(waiter.median_latency(), 10us);
  EXPECT_LT(waiter.stats().spun, waiter.stats().waited / 20);  // 3 % here
}

TEST(DeadlineWaiter, OnAJitteryHostTheSpinStaysWithinItsBudgetAndIsBounded) {
  // Latencies spread over 20..2000 us: covering them all would mean spinning
  // most of every wait; the budget (median + 1/32 of the wait) caps it.
  ManualHostClock host;
  DeadlineWaiter waiter(host);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> latency_us(20, 2000);
  Duration longest_spin{0};
  for (int i = 0; i < 10'000; ++i) {
    host.set_wake_latency(std::chrono::microseconds(latency_us(rng)));
    const HostTime deadline = host.now() + 10ms;
    const Duration spun_before = host.total_spun();
    ASSERT_EQ(waiter.wait_until(deadline), WakeReason::kDeadline);
    ASSERT_GE(host.now(), deadline);
    longest_spin = std::max(longest_spin, host.total_spun() - spun_before);
  }
  EXPECT_LE(longest_spin, waiter.options().max_margin);
  EXPECT_LT(waiter.stats().spun, waiter.stats().waited / 10);
  EXPECT_EQ(waiter.stats().deadline_waits, 10'000u);
  // Still far better than plain waits (late by 1 ms at the median): 4 in 10
  // wake-ups are on time, and the median one is late by little.
  EXPECT_EQ(waiter.stats().lateness.quantile(0.4), 0ns);
  EXPECT_LT(waiter.stats().lateness.quantile(0.5), 100us);
}

TEST(DeadlineWaiter, WithoutEarlyWakeEveryWaitIsLateByTheLatencyAndNothingSpins) {
  ManualHostClock host;
  host.set_wake_latency(150us);
  DeadlineWaiter waiter(host, {.early_wake = false});
  EXPECT_EQ(wait_n(waiter, host, 10, 1ms), 10);
  EXPECT_EQ(waiter.margin(), 0ns);
  EXPECT_EQ(host.total_spun(), 0ns);
  EXPECT_EQ(waiter.stats().lateness.quantile(0.5), 150us);
  EXPECT_EQ(waiter.stats().wake_latency.max(), 150us);
}

TEST(DeadlineWaiter, AWakeUpEndsTheWaitOrTheSpinAndIsNotALatencySample) {
  ManualHostClock host;
  DeadlineWaiter waiter(host);
  host.wake();
  EXPECT_EQ(waiter.wait_until(host.now() + 1ms), WakeReason::kWoken);
  // An event inside the spin (the last 50 us before the deadline) ends it.
  const HostTime deadline = host.now() + 1ms;
  host.schedule_event(deadline - 10us);
  EXPECT_EQ(waiter.wait_until(deadline), WakeReason::kWoken);
  EXPECT_EQ(host.now(), deadline - 10us);
  EXPECT_EQ(waiter.stats().woken, 2u);
  EXPECT_EQ(waiter.stats().deadline_waits, 0u);
  EXPECT_EQ(waiter.stats().lateness.count(), 0u);
  // Waiting for a wake-up only.
  host.schedule_event(host.now() + 5s);
  EXPECT_EQ(waiter.wait_until(HostTime::never()), WakeReason::kWoken);
  // Only the host wait that reached its (early) target was a latency sample.
  EXPECT_EQ(waiter.stats().wake_latency.count(), 1u);
}

TEST(DeadlineWaiter, ADeadlineInThePastOrInsideTheMarginNeverSleeps) {
  ManualHostClock host;
  host.set_wake_latency(1ms);  // a sleep would show
  DeadlineWaiter waiter(host);
  const HostTime t0 = host.now();
  EXPECT_EQ(waiter.wait_until(t0 - 1us), WakeReason::kDeadline);
  EXPECT_EQ(host.now(), t0);
  EXPECT_EQ(waiter.wait_until(t0 + 20us), WakeReason::kDeadline);  // inside the 50 us margin
  EXPECT_EQ(host.now(), t0 + 20us);
  EXPECT_EQ(host.total_slept(), 0ns);
  EXPECT_EQ(host.total_spun(), 20us);
}

TEST(DeadlineWaiter, AWaitForADeadlineAndItsSpinRunAtTheRealTimePriorityAndNothingElse) {
  ManualHostClock host;
  host.set_wake_latency(30us);
  DeadlineWaiter waiter(host);
  EXPECT_EQ(waiter.wait_until(host.now() + 1ms), WakeReason::kDeadline);
  EXPECT_FALSE(host.punctual()) << "back to normal for the deadline's work";
  EXPECT_EQ(host.punctual_waits(), 2) << "the early wake-up and the spin";
  EXPECT_EQ(waiter.stats().punctual_waits, 1u);
  host.wait_until(host.now() + 1ms);  // anybody else's wait stays normal
  EXPECT_EQ(host.punctual_waits(), 2);
}

TEST(DeadlineWaiter, WhereTheHostRefusesTheRealTimePriorityTheWaitIsPlainlyOnTime) {
  ManualHostClock host;
  host.permit_punctual(false);
  DeadlineWaiter waiter(host);
  const HostTime deadline = host.now() + 1ms;
  EXPECT_EQ(waiter.wait_until(deadline), WakeReason::kDeadline);
  EXPECT_EQ(host.now(), deadline);
  EXPECT_EQ(host.punctual_waits(), 0);
  EXPECT_EQ(waiter.stats().punctual_waits, 0u);
}

TEST(DeadlineWaiter, ThePlainBaselineAndAnOptOutNeverAskForTheRealTimePriority) {
  for (const DeadlineWaiter::Options& options :
       {DeadlineWaiter::Options{.early_wake = false}, DeadlineWaiter::Options{.punctual_priority = false}}) {
    ManualHostClock host;
    DeadlineWaiter waiter(host, options);
    waiter.wait_until(host.now() + 1ms);
    EXPECT_EQ(host.punctual_waits(), 0);
  }
}

}  // namespace
}  // namespace vtime
