#include "vtime/icount/late_warning.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

GuestTime at(Duration d) { return GuestTime::from_epoch(d); }

TEST(LateWarning, ReportsTheOneSecondBand) {
  LateWarning w;
  EXPECT_EQ(w.check(at(0s), 1500ms), "The guest is now late by 1.0 to 2.0 seconds");
}

TEST(LateWarning, AtMostOneMessageEveryTwoSeconds) {
  LateWarning w;
  ASSERT_TRUE(w.check(at(0s), 500ms));
  EXPECT_FALSE(w.check(at(1s), 3500ms));  // new band, but too soon
  EXPECT_EQ(w.check(at(2s), 3500ms), "The guest is now late by 3.0 to 4.0 seconds");
  EXPECT_EQ(w.printed(), 2u);
}

TEST(LateWarning, StaysQuietInsideTheBandAndItsHysteresis) {
  LateWarning w;
  ASSERT_TRUE(w.check(at(0s), 2500ms));  // band (2, 3]
  EXPECT_FALSE(w.check(at(10s), 2900ms));
  EXPECT_FALSE(w.check(at(20s), 1600ms));  // within 1.5 s below the band's top
  EXPECT_EQ(w.check(at(30s), 1400ms), "The guest is now late by 1.0 to 2.0 seconds");
}

TEST(LateWarning, SilentWhileAheadOrWithinQuietAndRearmsAfterCatchingUp) {
  LateWarning w(3ms);
  EXPECT_FALSE(w.check(at(0s), -1s));
  EXPECT_FALSE(w.check(at(5s), 2ms));
  EXPECT_TRUE(w.check(at(10s), 500ms));
  EXPECT_FALSE(w.check(at(20s), 0ms));  // caught up
  EXPECT_EQ(w.check(at(30s), 400ms), "The guest is now late by 0.0 to 1.0 seconds");
}

TEST(LateWarning, NotCappedAtAHundredMessages) {
  LateWarning w;
  for (int i = 0; i < 300; ++i) {
    // Alternate between far bands so every check is news.
    EXPECT_TRUE(w.check(at(Duration(int64_t{2} * i * 1'000'000'000)), (i % 2 ? 10s : 1s) + 1ms)) << i;
  }
  EXPECT_EQ(w.printed(), 300u);
}

}  // namespace
}  // namespace vtime
