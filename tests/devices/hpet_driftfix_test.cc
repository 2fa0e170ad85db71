// The HPET driftfix scenario: a guest that keeps time by counting periodic
// HPET ticks, a host that runs the timer callbacks late in bursts so that about
// a quarter of the ticks are lost over a simulated hour. Without driftfix the
// tick-counted clock falls behind by the lost ticks; with driftfix=slew it ends
// within one period of true time and the tick rate never exceeds the cap. Each
// policy's counters are checked against what the guest itself counted.
#include <gtest/gtest.h>

#include "tests/devices/driftfix_sim.h"

namespace vtime {
namespace {

using testing::DriftfixResult;
using testing::DriftfixRun;

void expect_counters_match_the_guest(const DriftfixResult& r) {
  const TickSource::Counters& c = r.counters;
  EXPECT_EQ(c.delivered, r.guest_ticks);  // every accepted tick was taken, once
  EXPECT_EQ(c.coalesced, r.coalesced_edges);
  EXPECT_EQ(c.delivered + c.coalesced, r.rising_edges);
  EXPECT_EQ(c.slots, r.expected_slots);
  EXPECT_EQ(c.slots, c.delivered + c.backlog + c.dropped + c.given_up);
  EXPECT_EQ(c.lost, c.reinjected + c.backlog + c.dropped + c.given_up);
}

TEST(HpetDriftfix, WithoutDriftfixTheTickClockFallsBehindByTheLostTicks) {
  const DriftfixRun run;
  const DriftfixResult r = testing::simulate_hpet(HpetDriftfix::kNone, run);
  const TickSource::Counters& c = r.counters;
  // About a quarter of the hour's ticks lost.
  const double lost = static_cast<double>(c.lost) / static_cast<double>(c.slots);
  EXPECT_GT(lost, 0.20);
  EXPECT_LT(lost, 0.30);
  EXPECT_EQ(c.reinjected, 0u);
  // Behind by exactly the dropped ticks, give or take the period in progress.
  const Duration behind = -r.final_error;
  EXPECT_GE(behind, run.period * static_cast<int64_t>(c.dropped));
  EXPECT_LT(behind, run.period * static_cast<int64_t>(c.dropped + 1));
  expect_counters_match_the_guest(r);
}

TEST(HpetDriftfix, SlewEndsTheHourWithinOnePeriodWithoutExceedingTheRateCap) {
  const DriftfixRun run;
  const SlewParams slew{.max_extra_per_period = 3};
  const DriftfixResult r = testing::simulate_hpet(HpetDriftfix::kSlew, run, slew);
  const TickSource::Counters& c = r.counters;
  EXPECT_GT(static_cast<double>(c.lost) / static_cast<double>(c.slots), 0.20);
  EXPECT_LE(r.final_error < Duration::zero() ? -r.final_error : r.final_error, run.period);
  // Never more than 1 + 3 ticks per period, even right after a burst.
  EXPECT_GE(r.min_spacing, run.period / 4);
  EXPECT_EQ(c.reinjected + c.given_up, c.lost);
  EXPECT_EQ(c.backlog, 0u);
  EXPECT_EQ(c.given_up, 0u);
  expect_counters_match_the_guest(r);
}

TEST(HpetDriftfix, SlewAlsoRecoversTicksCoalescedWhileTheGuestWasNotRunning) {
  DriftfixRun run;
  run.length = std::chrono::minutes(10);
  run.host.guest_resume_max = 40ms;  // the vCPU resumes later than the timer thread
  const DriftfixResult r = testing::simulate_hpet(HpetDriftfix::kSlew, run);
  EXPECT_GT(r.counters.coalesced, 0u);
  EXPECT_LE(r.final_error < Duration::zero() ? -r.final_error : r.final_error, run.period);
  expect_counters_match_the_guest(r);
}

class EveryLostTickPolicy : public ::testing::TestWithParam<LostTickPolicy> {};

TEST_P(EveryLostTickPolicy, CountersMatchWhatTheGuestCounted) {
  DriftfixRun run;
  run.length = std::chrono::minutes(10);
  run.host.guest_resume_max = 40ms;
  const DriftfixResult r = testing::simulate_engine({.policy = GetParam()}, run);
  expect_counters_match_the_guest(r);
  const TickSource::Counters& c = r.counters;
  EXPECT_GT(c.lost, 0u);
  const Duration behind = -r.final_error;
  switch (GetParam()) {
    case LostTickPolicy::kDiscard:
    case LostTickPolicy::kMerge:
      EXPECT_EQ(c.backlog + c.reinjected + c.given_up, 0u);
      EXPECT_EQ(c.dropped, c.lost);
      EXPECT_GE(behind, run.period * static_cast<int64_t>(c.dropped));
      break;
    case LostTickPolicy::kDelay:
      EXPECT_EQ(c.reinjected + c.dropped + c.given_up, 0u);
      EXPECT_EQ(c.backlog, c.lost);  // owed for good: the guest stays behind by them
      EXPECT_GE(behind, run.period * static_cast<int64_t>(c.backlog));
      break;
    case LostTickPolicy::kSlew:
    case LostTickPolicy::kCatchUp:
      EXPECT_EQ(c.dropped, 0u);
      EXPECT_EQ(c.reinjected, c.lost);
      EXPECT_LE(behind, run.period);
      break;
  }
}

TEST(LostTickPolicies, DiscardLosesMoreThanMergeUnderTheSameHost) {
  DriftfixRun run;
  run.length = std::chrono::minutes(10);
  const DriftfixResult discard = testing::simulate_engine({.policy = LostTickPolicy::kDiscard}, run);
  const DriftfixResult merge = testing::simulate_engine({.policy = LostTickPolicy::kMerge}, run);
  EXPECT_EQ(discard.counters.slots, merge.counters.slots);
  EXPECT_GT(discard.counters.lost, merge.counters.lost);
}

INSTANTIATE_TEST_SUITE_P(TickSource, EveryLostTickPolicy,
                         ::testing::Values(LostTickPolicy::kDiscard, LostTickPolicy::kDelay,
                                           LostTickPolicy::kMerge, LostTickPolicy::kSlew,
                                           LostTickPolicy::kCatchUp),
                         [](const auto& param_info) { return std::string(policy_name(param_info.param)); });

}  // namespace
}  // namespace vtime
