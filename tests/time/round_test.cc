#include "vtime/time/round.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

TEST(MulDiv, RoundsAsAsked) {
  EXPECT_EQ(mul_div(10, 3, 4, Round::kDown), 7u);
  EXPECT_EQ(mul_div(10, 3, 4, Round::kUp), 8u);
  EXPECT_EQ(mul_div(12, 3, 4, Round::kUp), 9u);  // exact: no rounding up
}

TEST(MulDiv, UsesA128BitIntermediate) {
  // 2^63 * 10^9 / 10^9 would overflow 64 bits in the product.
  EXPECT_EQ(mul_div(1ull << 63, 1'000'000'000, 1'000'000'000, Round::kDown), 1ull << 63);
  EXPECT_EQ(mul_div(UINT64_MAX, UINT64_MAX, UINT64_MAX, Round::kUp), UINT64_MAX);
}

TEST(MulDiv, SaturatesWhenTheQuotientDoesNotFit) {
  EXPECT_EQ(mul_div(UINT64_MAX, 2, 1, Round::kDown), UINT64_MAX);
}

}  // namespace
}  // namespace vtime
