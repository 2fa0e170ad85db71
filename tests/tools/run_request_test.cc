#include "tools/vtime/run_request.h"

#include <gtest/gtest.h>

#include <vector>

#include <fmt/format.h>

namespace vtime::cli {
namespace {

ParseOutcome parse(std::vector<std::string> args) { return parse_run_arguments(args); }

TEST(RunRequest, DefaultsAreA128MiBSingleHartBoardWithoutIcount) {
  const auto r = parse({}).request;
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->ram_bytes, 128ull << 20);
  EXPECT_EQ(r->harts, 1u);
  EXPECT_FALSE(r->bios);
  EXPECT_FALSE(r->kernel);
  EXPECT_FALSE(r->guest);
  EXPECT_TRUE(r->icount.empty());
  EXPECT_EQ(r->report, ReportFormat::kText);
}

TEST(RunRequest, AcceptsQemuSingleDashSpellings) {
  const auto r = parse({"-m", "256M", "-smp", "4", "-bios", "none", "-kernel", "k.elf", "-icount",
                        "shift=4,sleep=off"})
                     .request;
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->ram_bytes, 256ull << 20);
  EXPECT_EQ(r->harts, 4u);
  EXPECT_EQ(r->bios, "none");
  EXPECT_EQ(r->kernel, "k.elf");
  EXPECT_EQ(r->icount, "shift=4,sleep=off");
}

TEST(RunRequest, AcceptsDoubleDashAndEqualsForms) {
  const auto r = parse({"--icount=shift=auto", "--report", "json", "--smp=2", "prog.elf"}).request;
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->icount, "shift=auto");
  EXPECT_EQ(r->report, ReportFormat::kJson);
  EXPECT_EQ(r->harts, 2u);
  EXPECT_EQ(r->guest, "prog.elf");
}

TEST(RunRequest, TimerDevicesAreOptIn) {
  const auto none = parse({}).request;
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->hpet);
  EXPECT_FALSE(none->lapic_timer || none->pv_clockevent || none->pvclock);
  const auto all = parse({"--hpet", "driftfix=slew", "--lapic-timer", "--pv-clockevent", "--pvclock"}).request;
  ASSERT_TRUE(all.ok()) << all.error();
  EXPECT_EQ(all->hpet, HpetDriftfix::kSlew);
  EXPECT_TRUE(all->lapic_timer && all->pv_clockevent && all->pvclock);
  EXPECT_EQ(parse({"--hpet", "on"}).request->hpet, HpetDriftfix::kNone);
  const auto fast = parse({"--hpet", "driftfix=fast"});
  ASSERT_FALSE(fast.request.ok());
  EXPECT_EQ(fast.request.error(), "--hpet: unknown hpet driftfix 'fast' (expected none or slew)");
  EXPECT_FALSE(parse({"--hpet", "off"}).request.ok());
}

TEST(RunRequest, RtcTakesQemuSyntaxInEitherSpelling) {
  const auto none = parse({}).request;
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->rtc.base, RtcBase::kUtc);
  EXPECT_EQ(none->rtc.clock, ClockId::kHost);
  const auto single = parse({"-rtc", "base=2020-01-01T00:00:00,clock=vm"}).request;
  ASSERT_TRUE(single.ok()) << single.error();
  EXPECT_EQ(single->rtc.base, RtcBase::kDate);
  EXPECT_EQ(single->rtc.date, WallTime::from_epoch(std::chrono::seconds(1'577'836'800)));
  EXPECT_EQ(single->rtc.clock, ClockId::kVirtual);
  const auto dashes = parse({"--rtc=clock=rt"}).request;
  ASSERT_TRUE(dashes.ok()) << dashes.error();
  EXPECT_EQ(dashes->rtc.clock, ClockId::kVirtualRt);
  const auto bad = parse({"-rtc", "clock=wall"}).request;
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), "--rtc: clock 'wall' is not host, rt or vm");
}

TEST(RunRequest, AppendBecomesTheBootargsInEitherSpelling) {
  EXPECT_TRUE(parse({}).request->bootargs.empty());
  const auto qemu = parse({"-append", "iterations=10 path=a", "g.elf"}).request;
  ASSERT_TRUE(qemu.ok()) << qemu.error();
  EXPECT_EQ(qemu->bootargs, "iterations=10 path=a");
  EXPECT_EQ(qemu->guest, "g.elf");
  const auto dashes = parse({"--append=console=ttyS0"}).request;
  ASSERT_TRUE(dashes.ok()) << dashes.error();
  EXPECT_EQ(dashes->bootargs, "console=ttyS0");
  EXPECT_FALSE(parse({"-append"}).request.ok());
}

TEST(RunRequest, InitrdComesWithAKernelInEitherSpelling) {
  EXPECT_FALSE(parse({}).request->initrd);
  const auto qemu = parse({"-kernel", "Image", "-initrd", "probe.cpio"}).request;
  ASSERT_TRUE(qemu.ok()) << qemu.error();
  EXPECT_EQ(qemu->initrd, "probe.cpio");
  const auto dashes = parse({"--initrd=rd.img", "g.elf"}).request;
  ASSERT_TRUE(dashes.ok()) << dashes.error();
  EXPECT_EQ(dashes->initrd, "rd.img");
  const auto alone = parse({"-bios", "fw.bin", "-initrd", "rd.img"}).request;
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error(), "-initrd needs a kernel to boot with it: give -kernel FILE or GUEST");
}

TEST(RunRequest, TimeLimitTakesUnits) {
  const auto r = parse({"--time-limit", "1500ms"}).request;
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->guest_time_limit, Duration(1'500'000'000));
}

TEST(RunRequest, TimeLimitThatRoundsToNothingIsRefused) {
  for (const char* tiny : {"0.1ns", "1e-30", "0.999ns", "1e-10"}) {
    const auto r = parse({"--time-limit", tiny}).request;
    ASSERT_FALSE(r.ok()) << tiny;
    EXPECT_EQ(r.error(), fmt::format("--time-limit: '{}' is shorter than 1 ns, the clock's resolution", tiny));
  }
  for (const char* bad : {"0", "0s", "nan", "inf", "-0.5ns"}) {
    EXPECT_FALSE(parse({"--time-limit", bad}).request.ok()) << bad;
  }
  EXPECT_EQ(parse({"--time-limit", "1ns"}).request->guest_time_limit, Duration(1));
  EXPECT_EQ(parse({"--time-limit", "1.9ns"}).request->guest_time_limit, Duration(1));
  EXPECT_EQ(parse({"--time-limit", "1e-9"}).request->guest_time_limit, Duration(1));
}

TEST(RunRequest, CpuThrottleIsAPercentageFromOneToNinetyNine) {
  EXPECT_EQ(parse({}).request->cpu_throttle, 0);  // off
  EXPECT_EQ(parse({"--cpu-throttle", "50"}).request->cpu_throttle, 50);
  EXPECT_EQ(parse({"--cpu-throttle=1"}).request->cpu_throttle, 1);
  EXPECT_EQ(parse({"--cpu-throttle", "99"}).request->cpu_throttle, 99);
  for (const char* bad : {"0", "100", "50%", "half", "", "12.5", " 7"}) {
    const auto r = parse({"--cpu-throttle", bad}).request;
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error(), fmt::format("--cpu-throttle: '{}' is not a percentage from 1 to 99", bad));
  }
  EXPECT_FALSE(parse({"--cpu-throttle=-5"}).request.ok());
  EXPECT_FALSE(parse({"--cpu-throttle"}).request.ok());
}

TEST(RunRequest, BadOptionsGetOneSentence) {
  const std::vector<std::vector<std::string>> bad = {
      {"-smp", "9"},        {"-smp", "0"},          {"-smp", "two"},
      {"--report", "xml"},  {"--no-such-option"},   {"-m", "huge"},
      {"--time-limit", "-1s"}, {"a.elf", "b.elf"},  {"-kernel", "k", "g.elf"},
  };
  for (const auto& args : bad) {
    const auto outcome = parse(args);
    ASSERT_FALSE(outcome.request.ok()) << args[0];
    EXPECT_FALSE(outcome.help);
    const std::string& e = outcome.request.error();
    EXPECT_FALSE(e.empty());
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  }
}

TEST(RunRequest, HelpIsReportedAsHelp) {
  const auto outcome = parse({"--help"});
  EXPECT_TRUE(outcome.help);
  EXPECT_NE(outcome.request.error().find("--icount"), std::string::npos);
}

TEST(RunRequest, EchrTakesAKeyCodeInDecimalOrHexLikeQemu) {
  EXPECT_EQ(parse({}).request->escape_key, 0x01);
  EXPECT_EQ(parse({"-echr", "20"}).request->escape_key, 0x14);
  EXPECT_EQ(parse({"--echr", "0x14"}).request->escape_key, 0x14);
  for (const char* bad : {"0", "256", "0x", "tee", "-1", "20x"}) {
    const auto r = parse({"--echr", bad}).request;
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().find("--echr: '"), std::string::npos) << r.error();
  }
}

TEST(RunRequest, MonitorsTakeOneEndpointEachAndMayRepeat) {
  const auto r = parse({"-qmp", "unix:/tmp/a,server=on,wait=off", "--qmp", "tcp::0,server=on", "-monitor",
                        "unix:/tmp/h,server=on", "-S", "guest.elf"})
                     .request;
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->qmp_endpoints.size(), 2u);
  EXPECT_EQ(r->hmp_endpoints.size(), 1u);
  EXPECT_TRUE(r->start_paused);
  EXPECT_EQ(r->guest, "guest.elf");
  const auto bad = parse({"--qmp", "unix:/tmp/a"}).request;
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("server=on"), std::string::npos) << bad.error();
  const auto paused_alone = parse({"-S"}).request;
  ASSERT_FALSE(paused_alone.ok());
  EXPECT_NE(paused_alone.error().find("needs --monitor or --qmp"), std::string::npos);
}

TEST(RunRequest, OptionErrorsQuotingTheInputStayOneLine) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--time-limit", "\n"}, {"--time-limit", "1\nms"}, {"--cpu-throttle", "5\n"},
           {"-m", "1\nG"}, {"-m", "\n"}, {"--report", "x\ny"}, {"--smp", "\n"}}) {
    const auto r = parse_run_arguments(args).request;
    ASSERT_FALSE(r.ok()) << args[1];
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << r.error();
    EXPECT_NE(r.error().find("\\n"), std::string::npos) << r.error();
  }
}

// Found by fuzz_options: --echr quoted its value raw, so a line break made a
// two-line error.
TEST(RunRequest, AnEscapeKeyWithControlBytesIsQuotedOnOneLine) {
  const auto r = parse({"--echr", "\x01\n"}).request;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "--echr: '\\x01\\n' is not a key code from 1 to 255 (20 or 0x14 is Ctrl-T)");
}

}  // namespace
}  // namespace vtime::cli
