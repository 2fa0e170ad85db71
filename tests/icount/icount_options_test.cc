#include "vtime/icount/icount_options.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

IcountOptions parse_ok(std::string_view text) {
  auto r = parse_icount_options(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error());
  return r.ok() ? *r : IcountOptions{};
}

std::string parse_error(std::string_view text) {
  auto r = parse_icount_options(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error();
}

TEST(IcountOptions, FixedShiftTakesQemuDefaults) {
  const IcountOptions o = parse_ok("shift=7");
  EXPECT_EQ(o.mode, IcountMode::kFixed);
  EXPECT_EQ(o.shift, 7);
  EXPECT_TRUE(o.sleep);
  EXPECT_FALSE(o.align);
  EXPECT_EQ(o.align_threshold, 3ms);
}

TEST(IcountOptions, ABareFirstItemIsTheShift) {
  EXPECT_EQ(parse_ok("4").shift, 4);
  EXPECT_EQ(parse_ok("auto").mode, IcountMode::kAdaptive);
}

TEST(IcountOptions, AutoStartsAtShiftThreeWithQemuController) {
  const IcountOptions o = parse_ok("shift=auto");
  EXPECT_EQ(o.mode, IcountMode::kAdaptive);
  EXPECT_EQ(o.shift, 3);
  EXPECT_EQ(o.controller, RateControllerKind::kQemu);
  EXPECT_EQ(parse_ok("shift=auto,auto=pi").controller, RateControllerKind::kPi);
}

TEST(IcountOptions, ShiftRangeIsZeroToTen) {
  EXPECT_EQ(parse_ok("shift=0").shift, 0);
  EXPECT_EQ(parse_ok("shift=10").shift, 10);
  EXPECT_NE(parse_error("shift=11").find("out of range"), std::string::npos);
  EXPECT_NE(parse_error("shift=-1").find("out of range"), std::string::npos);
  EXPECT_NE(parse_error("shift=three").find("invalid"), std::string::npos);
}

TEST(IcountOptions, SwitchesAcceptOnOffYesNo) {
  EXPECT_FALSE(parse_ok("shift=1,sleep=off").sleep);
  EXPECT_FALSE(parse_ok("shift=1,sleep=no").sleep);
  EXPECT_TRUE(parse_ok("shift=1,align=yes").align);
  EXPECT_NE(parse_error("shift=1,sleep=maybe").find("on or off"), std::string::npos);
}

TEST(IcountOptions, AlignWithoutShiftIsRejected) {
  EXPECT_EQ(parse_error("align=on"),
            "icount options need a shift: add shift=N (0..10) or shift=auto.");
  EXPECT_FALSE(parse_icount_options("sleep=off").ok());
  EXPECT_FALSE(parse_icount_options("").ok());
}

TEST(IcountOptions, AlignWithSleepOffIsRejected) {
  EXPECT_NE(parse_error("shift=3,align=on,sleep=off").find("align=on cannot be combined with sleep=off"),
            std::string::npos);
}

TEST(IcountOptions, AutoWithSleepOffIsRejected) {
  EXPECT_NE(parse_error("shift=auto,sleep=off").find("shift=auto cannot be combined"),
            std::string::npos);
}

TEST(IcountOptions, AutoWithAlignIsAccepted) {
  const IcountOptions o = parse_ok("shift=auto,align=on");
  EXPECT_TRUE(o.align);
  EXPECT_EQ(o.mode, IcountMode::kAdaptive);
}

TEST(IcountOptions, ExtensionsNeedTheirMode) {
  EXPECT_NE(parse_error("shift=3,auto=pi").find("needs shift=auto"), std::string::npos);
  EXPECT_NE(parse_error("shift=3,align-threshold=1ms").find("needs align=on"), std::string::npos);
  EXPECT_EQ(parse_ok("shift=3,align=on,align-threshold=250us").align_threshold, 250us);
  EXPECT_EQ(parse_ok("shift=3,quantum=100us").quantum, 100us);
  EXPECT_FALSE(parse_icount_options("shift=3,align=on,align-threshold=5").ok());  // no unit
  EXPECT_FALSE(parse_icount_options("shift=3,align=on,align-threshold=0ms").ok());
}

TEST(IcountOptions, RecordReplayAndUnknownKeysAreRefusedWithASentence) {
  EXPECT_NE(parse_error("shift=3,rr=record").find("not supported yet"), std::string::npos);
  EXPECT_NE(parse_error("shift=3,bogus=1").find("no option 'bogus'"), std::string::npos);
  EXPECT_NE(parse_error("shift=3,align").find("needs a value"), std::string::npos);
  EXPECT_NE(parse_error("shift=3,,align=on").find("empty item"), std::string::npos);
}

TEST(IcountOptions, FormatReadsBackToTheSameOptions) {
  for (std::string_view text : {"shift=0,sleep=off", "shift=auto,auto=pi,align=on,align-threshold=250us",
                                "shift=10,align=on,quantum=200us"}) {
    const IcountOptions a = parse_ok(text);
    const IcountOptions b = parse_ok(format_icount_options(a));
    EXPECT_EQ(format_icount_options(a), format_icount_options(b)) << text;
    EXPECT_EQ(a.mode, b.mode);
    EXPECT_EQ(a.shift, b.shift);
    EXPECT_EQ(a.align_threshold, b.align_threshold);
    EXPECT_EQ(a.quantum, b.quantum);
  }
}

TEST(IcountOptions, ValidateUsesTheSameSentences) {
  EXPECT_TRUE(validate(IcountOptions{.mode = IcountMode::kFixed, .shift = 2}).ok());
  EXPECT_FALSE(validate(IcountOptions{.mode = IcountMode::kFixed, .shift = 12}).ok());
  EXPECT_FALSE(validate(IcountOptions{.mode = IcountMode::kFixed, .align = true, .sleep = false}).ok());
  EXPECT_FALSE(validate(IcountOptions{.mode = IcountMode::kOff, .align = true}).ok());
}

}  // namespace
}  // namespace vtime
