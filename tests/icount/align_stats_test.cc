#include "vtime/icount/align_stats.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

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
