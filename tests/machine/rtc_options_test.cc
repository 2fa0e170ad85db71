#include "vtime/machine/rtc_options.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace vtime {
namespace {

WallTime at_seconds(int64_t s) { return WallTime::from_epoch(std::chrono::seconds(s)); }

std::string error_of(std::string_view spec) {
  const Result<RtcOptions> r = parse_rtc_options(spec);
  return r.ok() ? std::string("(accepted)") : r.error();
}

TEST(RtcOptions, DefaultsAreUtcOnTheHostClock) {
  const Result<RtcOptions> r = parse_rtc_options("base=utc");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->base, RtcBase::kUtc);
  EXPECT_EQ(r->clock, ClockId::kHost);
  EXPECT_EQ(RtcOptions{}.clock, ClockId::kHost);
  EXPECT_EQ(RtcOptions{}.base, RtcBase::kUtc);
}

TEST(RtcOptions, ClockNamesMapToTheVmClocks) {
  EXPECT_EQ(parse_rtc_options("clock=vm")->clock, ClockId::kVirtual);
  EXPECT_EQ(parse_rtc_options("clock=rt")->clock, ClockId::kVirtualRt);
  EXPECT_EQ(parse_rtc_options("clock=host")->clock, ClockId::kHost);
}

TEST(RtcOptions, DateWithTimeIsUtc) {
  const Result<RtcOptions> r = parse_rtc_options("base=2006-06-17T16:01:21,clock=vm");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->base, RtcBase::kDate);
  EXPECT_EQ(r->date, at_seconds(1'150'560'081));
  EXPECT_EQ(r->clock, ClockId::kVirtual);
}

TEST(RtcOptions, DateAloneIsMidnightAndFieldsComeInAnyOrder) {
  const Result<RtcOptions> r = parse_rtc_options("clock=rt,base=2020-01-01");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->date, at_seconds(1'577'836'800));
  EXPECT_EQ(parse_rtc_options("base=2000-02-29")->date, at_seconds(951'782'400));  // a leap day
  EXPECT_EQ(parse_rtc_options("base=localtime")->base, RtcBase::kLocaltime);
}

TEST(RtcOptions, EveryBadFieldIsOneSentence) {
  EXPECT_EQ(error_of(""), "give base=utc|localtime|DATE and/or clock=host|rt|vm");
  EXPECT_EQ(error_of("clock=wall"), "clock 'wall' is not host, rt or vm");
  EXPECT_EQ(error_of("base=yesterday"),
            "base 'yesterday' is not utc, localtime or a date from 1970 to 2500 like "
            "2006-06-17T16:01:21 or 2006-06-17");
  EXPECT_EQ(error_of("speed=2"), "unknown field 'speed' (use base= and clock=)");
  EXPECT_EQ(error_of("vm"), "'vm' is not FIELD=VALUE (base=... or clock=...)");
  EXPECT_EQ(error_of("clock=vm,"), "'' is not FIELD=VALUE (base=... or clock=...)");
  EXPECT_EQ(error_of("clock=vm,clock=rt"), "clock is given twice");
  EXPECT_EQ(error_of("base=utc,base=utc"), "base is given twice");
  EXPECT_EQ(error_of("driftfix=slew"),
            "driftfix is for an x86 RTC's periodic ticks; the goldfish RTC has none");
  EXPECT_EQ(error_of("clock=\x1b"), "clock '\\x1b' is not host, rt or vm");
}

TEST(RtcOptions, ImpossibleDatesAreRefused) {
  for (const char* spec : {"base=2021-02-29", "base=2020-13-01", "base=2020-04-31", "base=1969-12-31",
                           "base=2501-01-01", "base=2020-01-01T24:00:00", "base=2020-01-01T00:60:00",
                           "base=2020-01-01T00:00:60", "base=2020-1-01", "base=2020-01-01 00:00:00",
                           "base=2020-01-01T00:00", "base=+020-01-01"}) {
    EXPECT_FALSE(parse_rtc_options(spec).ok()) << spec;
  }
}

TEST(RtcOptions, StartIsTheHostClockTheOffsetOrTheDate) {
  const WallTime now = at_seconds(1'700'000'000);
  const Duration east = std::chrono::hours(2);
  EXPECT_EQ(rtc_start_ns({.base = RtcBase::kUtc}, now, east), 1'700'000'000'000'000'000u);
  EXPECT_EQ(rtc_start_ns({.base = RtcBase::kLocaltime}, now, east), 1'700'007'200'000'000'000u);
  EXPECT_EQ(rtc_start_ns({.base = RtcBase::kDate, .date = at_seconds(86400)}, now, east),
            86'400'000'000'000u);
  EXPECT_EQ(rtc_start_ns({.base = RtcBase::kLocaltime}, at_seconds(0), -east), 0u);  // before 1970
}

TEST(RtcOptions, HostOffsetFollowsTheTimeZone) {
  const char* saved = std::getenv("TZ");
  const std::string old = saved != nullptr ? saved : "";
  setenv("TZ", "EET-2", 1);  // POSIX form: two hours east of UTC, no daylight saving
  tzset();
  EXPECT_EQ(host_utc_offset(at_seconds(1'700'000'000)), std::chrono::hours(2));
  setenv("TZ", "XST5", 1);  // five hours west
  tzset();
  EXPECT_EQ(host_utc_offset(at_seconds(1'700'000'000)), -std::chrono::hours(5));
  if (saved != nullptr) setenv("TZ", old.c_str(), 1);
  else unsetenv("TZ");
  tzset();
}

}  // namespace
}  // namespace vtime
