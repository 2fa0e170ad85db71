#include "vtime/devices/lost_tick_policy.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

TEST(LostTickPolicy, NamesRoundTrip) {
  for (LostTickPolicy p : {LostTickPolicy::kDiscard, LostTickPolicy::kDelay, LostTickPolicy::kMerge,
                           LostTickPolicy::kSlew, LostTickPolicy::kCatchUp}) {
    auto parsed = parse_lost_tick_policy(policy_name(p));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, p);
  }
}

TEST(LostTickPolicy, UnknownNameIsOneSentence) {
  auto parsed = parse_lost_tick_policy("fast");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().find("'fast'"), std::string::npos);
}

TEST(Slew, StartsAtOneExtraTickPerPeriod) {
  SlewParams params;
  EXPECT_EQ(slew_extra_after(0, 5, 5, params), 1u);
}

TEST(Slew, GrowsWhileLossesContinueUpToTheCap) {
  SlewParams params{.max_extra_per_period = 3};
  uint32_t extra = slew_extra_after(0, 2, 2, params);
  extra = slew_extra_after(extra, 1, 3, params);
  EXPECT_EQ(extra, 2u);
  extra = slew_extra_after(extra, 1, 4, params);
  EXPECT_EQ(extra, 3u);
  extra = slew_extra_after(extra, 1, 5, params);
  EXPECT_EQ(extra, 3u);  // capped
}

TEST(Slew, KeepsItsRateWithoutNewLossesAndResetsWhenPaidBack) {
  SlewParams params;
  EXPECT_EQ(slew_extra_after(2, 0, 7, params), 2u);
  EXPECT_EQ(slew_extra_after(2, 0, 0, params), 0u);
}

TEST(Slew, ACapOfZeroNeverInjects) {
  SlewParams params{.max_extra_per_period = 0};
  EXPECT_EQ(slew_extra_after(0, 3, 3, params), 0u);
}

TEST(CatchUp, StartsAtFivePercentAtThreeQuartersOfAMillisecond) {
  CatchUpParams params;
  EXPECT_EQ(catch_up_extra_percent(749us, false, params), 0u);
  EXPECT_EQ(catch_up_extra_percent(750us, false, params), 5u);
}

TEST(CatchUp, ReachesSixTimesAtTensOfSeconds) {
  CatchUpParams params;
  EXPECT_EQ(catch_up_extra_percent(20s, true, params), 500u);
  EXPECT_EQ(catch_up_extra_percent(400ms, true, params), 200u);
  EXPECT_EQ(catch_up_extra_percent(30ms, false, params), 50u);
}

TEST(CatchUp, KeepsGoingUntilUnderHalfAMillisecond) {
  CatchUpParams params;
  EXPECT_EQ(catch_up_extra_percent(600us, true, params), 5u);
  EXPECT_EQ(catch_up_extra_percent(600us, false, params), 0u);
  EXPECT_EQ(catch_up_extra_percent(499us, true, params), 0u);
}

TEST(SpacingAtRate, RoundsUpSoTheRateIsNeverExceeded) {
  EXPECT_EQ(spacing_at_rate(10ms, 100), 10ms);
  EXPECT_EQ(spacing_at_rate(10ms, 200), 5ms);
  EXPECT_EQ(spacing_at_rate(10ms, 300), Duration(3'333'334));
  EXPECT_EQ(spacing_at_rate(10ms, 105), Duration(9'523'810));
}

}  // namespace
}  // namespace vtime
