#include "vtime/time/span_histogram.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

TEST(SpanHistogram, QuantilesAreWithinAnEighthAbove) {
  SpanHistogram h;
  for (int i = 1; i <= 1000; ++i) h.add(Duration(i * 1000));  // 1..1000 us
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_EQ(h.max(), 1ms);
  const Duration p50 = h.quantile(0.5), p99 = h.quantile(0.99);
  EXPECT_GE(p50, 500us);
  EXPECT_LE(p50, 500us * 9 / 8);
  EXPECT_GE(p99, 990us);
  EXPECT_LE(p99, 1ms);  // never above the exact max
  EXPECT_EQ(h.quantile(1.0), 1ms);
}

TEST(SpanHistogram, NegativeSpansCountAsMagnitudesAndResetEmpties) {
  SpanHistogram h;
  h.add(-7ns);
  h.add(3ns);
  EXPECT_EQ(h.max(), 7ns);
  EXPECT_EQ(h.quantile(0.5), 3ns);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.99), 0ns);
}

}  // namespace
}  // namespace vtime
