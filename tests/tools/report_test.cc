#include "tools/vtime/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vtime::cli {
namespace {

TimekeepingReport sample() {
  TimekeepingReport r;
  r.exit_reason = "poweroff";
  r.icount = "shift=4,align=off,sleep=off";
  r.guest_time = 3s;
  r.host_time = 500ms;
  r.instructions = 100'000'000;
  r.timers_fired = 12;
  r.host_minus_guest = -2500us;
  return r;
}

TEST(TimekeepingReport, MipsIsInstructionsPerHostMicrosecond) {
  EXPECT_DOUBLE_EQ(sample().mips(), 200.0);
  TimekeepingReport empty;
  EXPECT_EQ(empty.mips(), 0.0);
}

TEST(TimekeepingReport, TextHasQemuInfoJitLinesWithNaWhenUnknown) {
  const std::string text = format_text(sample());
  EXPECT_NE(text.find("Host - Guest clock    -2.500 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("Max guest delay       NA"), std::string::npos) << text;
  EXPECT_NE(text.find("guest time            3.000000 s"), std::string::npos) << text;
  EXPECT_NE(text.find("MIPS                  200.0"), std::string::npos) << text;
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
  r.cpu_throttle = 50;
  r.time_slept_throttle = 250ms;
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

}  // namespace
}  // namespace vtime::cli
