#include "vtime/devices/clint.h"

#include <gtest/gtest.h>

#include "tests/devices/test_irq_line.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/devices/reg_access.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using namespace std::chrono_literals;
using namespace clint_reg;

struct Fixture {
  explicit Fixture(unsigned harts = 2, Frequency timebase = Frequency::mhz(10))
      : clint(log, timers, {.harts = harts, .timebase = timebase}), msip(harts), mtip(harts) {
    for (unsigned h = 0; h < harts; ++h) clint.connect(h, msip[h], mtip[h]);
  }
  GuestTime now() { return clocks.virtual_now(); }
  // Moves guest time forward and fires what is due, like the run loop.
  void step(Duration span) {
    host.advance(span);
    timers.run_due(ClockId::kVirtual);
  }
  // Moves guest time exactly to `t` and fires what is due.
  void step_until(GuestTime t) { step(t - now()); }
  uint64_t rd_mtimer(uint64_t offset, unsigned size) {
    MmioDevice& d = clint.mtimer();
    return reg_access::dispatch_read(d, d.sizes(), offset, size);
  }
  void wr_mtimer(uint64_t offset, unsigned size, uint64_t value) {
    MmioDevice& d = clint.mtimer();
    reg_access::dispatch_write(d, d.sizes(), offset, size, value);
  }

  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  GuestLog log;
  Clint clint;
  std::vector<testing::TestIrqLine> msip;
  std::vector<testing::TestIrqLine> mtip;
};

constexpr uint64_t kMtimeOff = kMtime - kMtimer;

TEST(Clint, MtimeCountsVirtualTimeInTimebaseTicksRoundedDown) {
  Fixture f;
  for (Duration step : {250ns, 49ns, 1ns, 99ns, 100ns, 3ns}) {
    f.host.advance(step);
    // 10 MHz: one tick per whole 100 ns of VIRTUAL since its epoch.
    EXPECT_EQ(f.clint.mtime(), static_cast<uint64_t>(f.now().since_epoch().count() / 100));
  }
}

TEST(Clint, MtimeIsDerivedFromGuestTimeWithoutTicking) {
  Fixture f;
  f.clint.write_mtime(0);
  f.host.advance(1ms);  // nothing runs in between
  EXPECT_EQ(f.clint.mtime(), 10'000u);
  EXPECT_EQ(f.rd_mtimer(kMtimeOff, 8), 10'000u);
}

TEST(Clint, WritingMtimeSetsTheOffsetAndTimeKeepsRunning) {
  Fixture f;
  f.wr_mtimer(kMtimeOff, 8, 1'000'000);
  EXPECT_EQ(f.clint.mtime(), 1'000'000u);
  f.step(1us);
  EXPECT_EQ(f.clint.mtime(), 1'000'010u);
}

TEST(Clint, MtimeHalvesReadAndWriteSeparately) {
  Fixture f;
  f.clint.write_mtime(0x0000'0001'ffff'fff0ull);
  EXPECT_EQ(f.rd_mtimer(kMtimeOff + 4, 4), 1u);
  EXPECT_EQ(f.rd_mtimer(kMtimeOff, 4), 0xffff'fff0u);
  f.wr_mtimer(kMtimeOff + 4, 4, 7);  // replaces the high half of the current value
  EXPECT_EQ(f.clint.mtime(), 0x0000'0007'ffff'fff0ull);
}

TEST(Clint, MtimecmpStartsAtZeroSoMtipIsPendingUntilFirmwareWritesIt) {
  Fixture f;
  EXPECT_TRUE(f.mtip[0].level());
  EXPECT_TRUE(f.mtip[1].level());
  f.clint.write_mtimecmp(0, UINT64_MAX);
  EXPECT_FALSE(f.mtip[0].level());
  EXPECT_TRUE(f.mtip[1].level());
}

TEST(Clint, MtimecmpInThePastRaisesInterruptImmediately) {
  Fixture f;
  f.clint.write_mtime(500);
  f.wr_mtimer(0, 8, 499);
  EXPECT_TRUE(f.mtip[0].level());
  EXPECT_TRUE(f.clint.deadline(0).is_never());
}

TEST(Clint, InterruptFiresExactlyWhenMtimeReachesMtimecmp) {
  Fixture f;
  f.clint.write_mtime(0);
  f.clint.write_mtimecmp(0, 5);
  EXPECT_FALSE(f.mtip[0].level());
  const GuestTime due = f.clint.deadline(0);
  EXPECT_EQ(due - f.now(), 500ns);
  f.step_until(due - 1ns);
  EXPECT_FALSE(f.mtip[0].level());
  EXPECT_EQ(f.clint.mtime(), 4u);
  f.step_until(due);
  EXPECT_TRUE(f.mtip[0].level());
  EXPECT_EQ(f.clint.mtime(), 5u);
}

TEST(Clint, InterruptNeverPrecedesTheComparisonWhenTicksDoNotDivideASecond) {
  Fixture f(1, Frequency::hz(3'000'000));  // 333.3 ns per tick
  f.clint.write_mtime(0);
  for (uint64_t cmp = 1; cmp < 40; ++cmp) {
    f.clint.write_mtimecmp(0, f.clint.mtime() + 1 + cmp % 7);
    const uint64_t want = f.clint.mtimecmp(0);
    const GuestTime due = f.clint.deadline(0);
    f.step_until(due - 1ns);
    EXPECT_FALSE(f.mtip[0].level()) << "cmp " << want;
    EXPECT_LT(f.clint.mtime(), want);
    f.step_until(due);
    EXPECT_TRUE(f.mtip[0].level()) << "cmp " << want;
    EXPECT_EQ(f.clint.mtime(), want);
  }
}

TEST(Clint, MtimecmpHalvesMergeWithTheStoredValue) {
  Fixture f;
  f.clint.write_mtime(0);
  f.wr_mtimer(4, 4, 0xffff'ffff);  // the usual sequence: high half first...
  f.wr_mtimer(0, 4, 0x1000);       // ...then the low half
  EXPECT_EQ(f.clint.mtimecmp(0), 0xffff'ffff'0000'1000ull);
  EXPECT_EQ(f.rd_mtimer(4, 4), 0xffff'ffffu);
  EXPECT_FALSE(f.mtip[0].level());
}

TEST(Clint, MtimecmpAllOnesNeverFires) {
  Fixture f;
  f.clint.write_mtimecmp(0, UINT64_MAX);
  EXPECT_TRUE(f.clint.deadline(0).is_never());
  f.step(1'000'000s);
  EXPECT_FALSE(f.mtip[0].level());
}

TEST(Clint, RaisingMtimecmpLowersMtipAndRearms) {
  Fixture f;
  f.clint.write_mtime(100);
  f.clint.write_mtimecmp(0, 50);
  EXPECT_TRUE(f.mtip[0].level());
  f.clint.write_mtimecmp(0, 110);
  EXPECT_FALSE(f.mtip[0].level());
  f.step(1us);
  EXPECT_TRUE(f.mtip[0].level());
}

TEST(Clint, WritingMtimeReevaluatesEveryHart) {
  Fixture f;
  f.clint.write_mtime(0);
  f.clint.write_mtimecmp(0, 100);
  f.clint.write_mtimecmp(1, 200);
  f.clint.write_mtime(150);
  EXPECT_TRUE(f.mtip[0].level());
  EXPECT_FALSE(f.mtip[1].level());
  EXPECT_EQ(f.clint.deadline(1) - f.now(), 5us);
  f.clint.write_mtime(0);  // time went back: both comparisons are in the future again
  EXPECT_FALSE(f.mtip[0].level());
  EXPECT_EQ(f.clint.deadline(0) - f.now(), 10us);
  EXPECT_EQ(f.clint.deadline(1) - f.now(), 20us);
}

TEST(Clint, TimerCallbackRechecksTheComparator) {
  Fixture f;
  f.clint.write_mtime(0);
  f.clint.write_mtimecmp(0, 10);
  const GuestTime first = f.clint.deadline(0);
  // Move guest time past the deadline while also moving mtime back, as a
  // firmware that rewrites mtime would; the fired timer must not raise MTIP.
  f.host.advance(2us);
  f.clint.write_mtime(0);
  f.timers.run_due(ClockId::kVirtual);
  EXPECT_FALSE(f.mtip[0].level());
  EXPECT_GT(f.clint.deadline(0), first);
}

TEST(Clint, EachHartHasItsOwnTimer) {
  Fixture f;
  f.clint.write_mtime(0);
  f.clint.write_mtimecmp(0, 30);
  f.clint.write_mtimecmp(1, 20);
  f.step(2us);
  EXPECT_FALSE(f.mtip[0].level());
  EXPECT_TRUE(f.mtip[1].level());
  f.step(1us);
  EXPECT_TRUE(f.mtip[0].level());
}

TEST(Clint, MsipBitZeroDrivesTheSoftwareInterrupt) {
  Fixture f;
  MmioDevice& mswi = f.clint.mswi();
  mswi.write(4, 4, 1);
  EXPECT_TRUE(f.msip[1].level());
  EXPECT_FALSE(f.msip[0].level());
  EXPECT_EQ(mswi.read(4, 4), 1u);
  mswi.write(4, 4, 0xfffe);
  EXPECT_FALSE(f.msip[1].level());
  EXPECT_EQ(mswi.read(4, 4), 0u);
}

TEST(Clint, RegistersOfMissingHartsAreGuestErrors) {
  Fixture f(1);
  EXPECT_EQ(f.clint.mswi().read(4, 4), 0u);
  f.clint.mswi().write(8, 4, 1);
  EXPECT_EQ(f.rd_mtimer(8, 8), 0u);
  f.wr_mtimer(16, 8, 1);
  EXPECT_EQ(f.log.count(), 4u);
}

TEST(Clint, ResetClearsMtimeAndMsipButKeepsMtimecmp) {
  Fixture f;
  f.step(1ms);
  f.clint.write_msip(0, true);
  f.clint.write_mtimecmp(0, 5);
  f.clint.reset();
  EXPECT_EQ(f.clint.mtime(), 0u);
  EXPECT_FALSE(f.msip[0].level());
  EXPECT_EQ(f.clint.mtimecmp(0), 5u);
  EXPECT_FALSE(f.mtip[0].level());
}

TEST(Clint, MtimeStopsWithTheVm) {
  Fixture f;
  f.clint.write_mtime(0);
  f.clocks.stop();
  f.host.advance(1ms);
  EXPECT_EQ(f.clint.mtime(), 0u);
  f.clocks.resume();
  f.host.advance(1us);
  EXPECT_EQ(f.clint.mtime(), 10u);
}

TEST(Clint, MapMatchesTheVirtBoard) {
  Fixture f;
  EXPECT_EQ(f.clint.mswi().size() + f.clint.mtimer().size(), kSize);
  EXPECT_EQ(kMtimer, 0x4000u);
  EXPECT_EQ(kMtime, 0xbff8u);
}

TEST(Clint, ASnapshotRestoresTheOffsetComparatorsAndTheArmedDeadlines) {
  Fixture f;
  f.clint.write_mtime(1000);         // an offset
  f.clint.write_mtimecmp(0, 1500);   // hart 0: armed, 50 us ahead at 10 MHz
  f.clint.write_msip(1, true);       // hart 1: a software interrupt
  f.step(10us);
  StateWriter out;
  f.clint.save(out);

  Fixture g;
  g.step(10us);
  StateReader in(out.bytes(), "the CLINT");
  g.clint.load(in);
  ASSERT_TRUE(in.finish().ok());
  StateWriter again;
  g.clint.save(again);
  EXPECT_EQ(again.bytes(), out.bytes());
  EXPECT_EQ(g.clint.mtime(), f.clint.mtime());
  EXPECT_TRUE(g.clint.msip(1));
  // A load does not re-drive the lines: the board restores the harts' lines
  // itself, as here. Then the armed deadline fires at the same instant on both.
  for (unsigned h = 0; h < 2; ++h) {
    g.msip[h].set_level(f.msip[h].level());
    g.mtip[h].set_level(f.mtip[h].level());
  }
  f.step(39900ns);
  g.step(39900ns);
  EXPECT_FALSE(g.mtip[0].level());
  f.step(100ns);
  g.step(100ns);
  EXPECT_TRUE(f.mtip[0].level());
  EXPECT_TRUE(g.mtip[0].level());
}

}  // namespace
}  // namespace vtime
