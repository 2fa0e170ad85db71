#include "tools/vtime/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vtime::cli {
namespace {

TimekeepingReport sample() {
  TimekeepingReport r;
  r.exit_reason = "poweroff";
  r.board.icount_text = "shift=4,align=off,sleep=off";
  r.board.guest_time = 3s;
  r.board.host_time = 500ms;
  r.board.instructions = 100'000'000;
  r.board.timers_fired = 12;
  r.board.alignment = AlignSummary{.host_minus_guest = -2500us};
  return r;
}

TEST(TimekeepingReport, MipsIsInstructionsPerHostMicrosecond) {
  EXPECT_DOUBLE_EQ(sample().mips(), 200.0);
  TimekeepingReport empty;
  EXPECT_EQ(empty.mips(), 0.0);
}

TEST(TimekeepingReport, MipsCountsOnlyTheTimeTheHartsRan) {
  TimekeepingReport r = sample();  // 100 M instructions in 500 ms of host time
  r.board.host_idle = 200ms;             // of which the harts idled 200 ms,
  r.board.time_slept_align = 50ms;       // align slept 50 ms
  r.board.time_slept_throttle = 50ms;    // and the throttle 50 ms
  EXPECT_EQ(r.running_time(), 200ms);
  EXPECT_DOUBLE_EQ(r.mips(), 500.0);
  EXPECT_EQ(nlohmann::json::parse(format_json(r))["running_time_ns"], 200'000'000);
}

TEST(TimekeepingReport, TextHasQemuInfoJitLinesWithNaWhenUnknown) {
  const std::string text = format_text(sample());
  EXPECT_NE(text.find("Host - Guest clock    -2.500 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("Max guest delay       NA"), std::string::npos) << text;
  EXPECT_NE(text.find("guest time            3.000000 s"), std::string::npos) << text;
  EXPECT_NE(text.find("MIPS while running    200.0 (over 0.500000 s)"), std::string::npos) << text;
}

TEST(TimekeepingReport, AlignmentFiguresNeedIcountAndMaxDelayAndAdvanceNeedAlign) {
  TimekeepingReport r = sample();
  r.board.alignment->align = true;
  r.board.alignment->max_delay = 3ms;
  r.board.alignment->max_advance = 1500us;
  r.board.alignment->p99 = 250us;
  std::string text = format_text(r);
  EXPECT_NE(text.find("Max guest delay       3.000 ms\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Max guest advance     1.500 ms\n"), std::string::npos) << text;
  EXPECT_NE(text.find("|host - guest| p99    0.250 ms\n"), std::string::npos) << text;
  r.board.alignment.reset();  // icount off
  text = format_text(r);
  EXPECT_NE(text.find("Host - Guest clock    NA\n"), std::string::npos) << text;
  EXPECT_NE(text.find("|host - guest| p99    NA\n"), std::string::npos) << text;
  EXPECT_TRUE(nlohmann::json::parse(format_json(r))["abs_difference_p99_ns"].is_null());
}

TEST(TimekeepingReport, JsonCarriesNanosecondsAndNulls) {
  const auto j = nlohmann::json::parse(format_json(sample()));
  EXPECT_EQ(j["guest_time_ns"], 3'000'000'000);
  EXPECT_EQ(j["host_minus_guest_ns"], -2'500'000);
  EXPECT_TRUE(j["max_delay_ns"].is_null());
  EXPECT_EQ(j["instructions"], 100'000'000);
}

TEST(TimekeepingReport, ShowsTheCpuThrottleAndTheHostTimeSleptForIt) {
  TimekeepingReport r = sample();
  std::string text = format_text(r);
  EXPECT_NE(text.find("cpu throttle          off\n"), std::string::npos) << text;
  EXPECT_NE(text.find("time slept, throttle  0.000000 s\n"), std::string::npos) << text;
  r.board.cpu_throttle = 50;
  r.board.time_slept_throttle = 250ms;
  text = format_text(r);
  EXPECT_NE(text.find("cpu throttle          50 %\n"), std::string::npos) << text;
  EXPECT_NE(text.find("time slept, throttle  0.250000 s\n"), std::string::npos) << text;
  const auto j = nlohmann::json::parse(format_json(r));
  EXPECT_EQ(j["cpu_throttle_percent"], 50);
  EXPECT_EQ(j["time_slept_throttle_ns"], 250'000'000);
  const auto off = nlohmann::json::parse(format_json(sample()));
  EXPECT_EQ(off["cpu_throttle_percent"], 0);
  EXPECT_EQ(off["time_slept_throttle_ns"], 0);
}

TEST(TimekeepingReport, ShowsTheIdleWaitsMarginSpinLatenessAndRepayment) {
  TimekeepingReport r = sample();
  r.board.idle = {.waits = 2000,
            .margin = 42us,
            .spun = 20ms,
            .waited = 2s,
            .late_p50 = 300ns,
            .late_p99 = 4100ns,
            .late_max = 37us,
            .late_wakeups = 3,
            .punctual = 1990,
            .lateness = 300ms,
            .repaid = 299800us,
            .owed = 200us};
  const std::string text = format_text(r);
  EXPECT_NE(text.find("idle waits            2000 (margin 42.0 us, spun 1.0 % of 2.000000 s, 1990 at real-time priority)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("idle wait lateness    p50 0.3 us  p99 4.1 us  max 37.0 us  (3 late wake-ups)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("idle lateness repaid  299.800 ms of 300.000 ms (owed 0.200 ms)\n"),
            std::string::npos) << text;
  const auto j = nlohmann::json::parse(format_json(r));
  EXPECT_EQ(j["idle_waits"], 2000);
  EXPECT_EQ(j["idle_margin_ns"], 42'000);
  EXPECT_EQ(j["idle_spun_ns"], 20'000'000);
  EXPECT_EQ(j["idle_lateness_p99_ns"], 4'100);
  EXPECT_EQ(j["idle_lateness_max_ns"], 37'000);
  EXPECT_EQ(j["idle_late_wakeups"], 3);
  EXPECT_EQ(j["idle_punctual_waits"], 1990);
  EXPECT_EQ(j["idle_repaid_ns"], 299'800'000);
  EXPECT_EQ(j["idle_owed_ns"], 200'000);
  // Nothing to repay (no icount, or none late): no repayment line.
  EXPECT_EQ(format_text(sample()).find("idle lateness repaid"), std::string::npos);
}

}  // namespace
}  // namespace vtime::cli
