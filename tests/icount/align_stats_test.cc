#include "vtime/icount/align_stats.h"

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

TEST(AlignStats, TracksCurrentDelayAndAdvanceLikeQemu) {
  AlignStats s;
  s.record_lead(2ms);    // guest ahead
  s.record_lead(-40ms);  // guest behind
  s.record_lead(-5ms);
  const AlignSummary a = s.summary(true);
  EXPECT_EQ(a.host_minus_guest, 5ms);
  EXPECT_EQ(a.max_delay, 40ms);
  EXPECT_EQ(a.max_advance, 2ms);
  EXPECT_EQ(a.max_abs, 40ms);
  EXPECT_EQ(a.samples, 3u);
  s.reset();
  const AlignSummary b = s.summary(true);
  EXPECT_EQ(b.host_minus_guest, 5ms);  // the current difference survives a reset
  EXPECT_EQ(b.max_delay, 0ms);
  EXPECT_EQ(b.samples, 0u);
}

TEST(AlignStats, SummaryPrintsQemuInfoJitLines) {
  AlignStats s;
  s.record_lead(-12ms);
  s.record_sleep(3ms);
  const std::string on = format_align_summary(s.summary(true));
  EXPECT_NE(on.find("Host - Guest clock  12 ms\n"), std::string::npos) << on;
  EXPECT_NE(on.find("Max guest delay     12 ms\n"), std::string::npos) << on;
  EXPECT_NE(on.find("Max guest advance   0 ms\n"), std::string::npos) << on;
  EXPECT_NE(on.find("Align sleeps        1 (3.0 ms)"), std::string::npos) << on;
  const std::string off = format_align_summary(s.summary(false));
  EXPECT_NE(off.find("Max guest delay     NA\nMax guest advance   NA\n"), std::string::npos) << off;
}

}  // namespace
}  // namespace vtime
