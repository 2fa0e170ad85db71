#include "vtime/devices/hpet.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "tests/devices/virtual_sim.h"
#include "vtime/devices/recording_irq_line.h"

namespace vtime {
namespace {

using namespace hpet_reg;
using testing::VirtualSim;

constexpr uint64_t timer_reg(unsigned n, uint64_t reg) { return kTimer0 + n * kTimerStride + reg; }

class HpetTest : public ::testing::Test {
 protected:
  explicit HpetTest(Hpet::Options options = {}) {
    Hpet::Routes routes{};
    for (unsigned r = 0; r < kRoutes; ++r) {
      lines_.push_back(std::make_unique<RecordingIrqLine>(
          RecordingIrqLine::Options{.clocks = &sim_.clocks(), .ack = RecordingIrqLine::Ack::kImmediately}));
      routes[r] = lines_.back().get();
    }
    hpet_ = std::make_unique<Hpet>(log_, sim_.timers(), routes, options);
  }
  uint64_t r64(uint64_t off) { return hpet_->read(off, 8); }
  uint64_t r32(uint64_t off) { return hpet_->read(off, 4); }
  void w64(uint64_t off, uint64_t v) { hpet_->write(off, 8, v); }
  void w32(uint64_t off, uint64_t v) { hpet_->write(off, 4, v); }
  void at(Duration t) { sim_.step_until(sim_.start() + t); }
  RecordingIrqLine& line(unsigned route) { return *lines_[route]; }
  std::vector<Duration> edges(unsigned route) {
    std::vector<Duration> out;
    for (const auto& e : line(route).events()) {
      if (e.level) out.push_back(e.at - sim_.start());
    }
    return out;
  }
  static uint64_t route(unsigned r) { return uint64_t{r} << kTnIntRouteShift; }

  VirtualSim sim_;
  GuestLog log_;
  std::vector<std::unique_ptr<RecordingIrqLine>> lines_;
  std::unique_ptr<Hpet> hpet_;
};

TEST_F(HpetTest, CapabilitiesNameTheVendorTimersAndTenNanosecondTick) {
  EXPECT_EQ(r64(kGcapId), 0x0098'9680'8086'A201ull);
  EXPECT_EQ(r32(kGcapId + 4), 10'000'000u);  // femtoseconds per tick
  EXPECT_EQ(hpet_->size(), 0x400u);
  w64(kGcapId, 0);
  EXPECT_EQ(r64(kGcapId), 0x0098'9680'8086'A201ull);  // read-only
  EXPECT_EQ(log_.count(), 1u);
}

TEST_F(HpetTest, TimerConfigResetsToCapabilitiesAndAllOnesComparator) {
  EXPECT_EQ(r64(timer_reg(1, kTnConfCap)), kTnPerIntCap | kTnSizeCap | (0xffff'ffffull << 32));
  EXPECT_EQ(r64(timer_reg(2, kTnComparator)), ~uint64_t{0});
}

TEST_F(HpetTest, MainCounterRunsAtOneHundredMegahertzOnlyWhileEnabled) {
  at(1ms);
  EXPECT_EQ(r64(kMainCnt), 0u);
  w64(kGenConf, kEnableCnf);
  at(1ms + 12'345ns);
  EXPECT_EQ(r64(kMainCnt), 1234u);  // whole 10 ns ticks, rounded down
  w64(kGenConf, 0);
  at(5ms);
  EXPECT_EQ(r64(kMainCnt), 1234u);
  w64(kGenConf, kEnableCnf);
  at(5ms + 100ns);
  EXPECT_EQ(r64(kMainCnt), 1244u);
}

TEST_F(HpetTest, MainCounterIsWrittenByHalvesWhileHalted) {
  w32(kMainCnt + 4, 0x1);
  w32(kMainCnt, 0x10);
  EXPECT_EQ(r64(kMainCnt), 0x1'0000'0010ull);
  w64(kGenConf, kEnableCnf);
  at(1us);
  EXPECT_EQ(r32(kMainCnt), 0x10u + 100);
  EXPECT_EQ(r32(kMainCnt + 4), 0x1u);
  w64(kMainCnt, 0);  // while running: dropped, logged
  EXPECT_EQ(r64(kMainCnt), 0x1'0000'0010ull + 100);
  EXPECT_EQ(log_.count(), 1u);
}

TEST_F(HpetTest, OneShotEdgeComparatorPulsesItsRouteOnce) {
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | route(5));
  w64(timer_reg(0, kTnComparator), 1000);  // 10 us
  w64(kGenConf, kEnableCnf);
  at(100us);
  EXPECT_EQ(edges(5), (std::vector<Duration>{10us}));
  EXPECT_EQ(r64(kGintrSta), 0u);  // edge mode latches no status
}

TEST_F(HpetTest, LevelInterruptHoldsTheLineUntilStatusIsCleared) {
  w64(timer_reg(1, kTnConfCap), kTnIntEnbCnf | kTnIntTypeCnf | route(3));
  w64(timer_reg(1, kTnComparator), 500);
  w64(kGenConf, kEnableCnf);
  at(6us);
  EXPECT_TRUE(line(3).level());
  EXPECT_EQ(r64(kGintrSta), 0b10u);
  w64(kGintrSta, 0b01);  // another timer's bit: no effect
  EXPECT_TRUE(line(3).level());
  w32(kGintrSta, 0b10);
  EXPECT_FALSE(line(3).level());
  EXPECT_EQ(r64(kGintrSta), 0u);
}

TEST_F(HpetTest, MaskedLevelTimerLatchesStatusAndUnmaskingRaises) {
  w64(timer_reg(0, kTnConfCap), kTnIntTypeCnf | route(2));
  w64(timer_reg(0, kTnComparator), 100);
  w64(kGenConf, kEnableCnf);
  at(2us);
  EXPECT_EQ(r64(kGintrSta), 1u);
  EXPECT_FALSE(line(2).level());
  w64(timer_reg(0, kTnConfCap), kTnIntTypeCnf | kTnIntEnbCnf | route(2));
  EXPECT_TRUE(line(2).level());
}

TEST_F(HpetTest, SwitchingLevelToEdgeDeasserts) {
  w64(timer_reg(0, kTnConfCap), kTnIntTypeCnf | kTnIntEnbCnf | route(2));
  w64(timer_reg(0, kTnComparator), 100);
  w64(kGenConf, kEnableCnf);
  at(2us);
  ASSERT_TRUE(line(2).level());
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | route(2));
  EXPECT_FALSE(line(2).level());
  EXPECT_EQ(r64(kGintrSta), 0u);
}

TEST_F(HpetTest, PeriodicWithValSetSetsComparatorThenPeriod) {
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 1000);  // accumulator and period
  EXPECT_EQ(r64(timer_reg(0, kTnConfCap)) & kTnValSetCnf, 0u);  // cleared by the write
  w64(timer_reg(0, kTnComparator), 500);   // period only
  at(26us);
  EXPECT_EQ(edges(4), (std::vector<Duration>{10us, 15us, 20us, 25us}));
  EXPECT_EQ(r64(timer_reg(0, kTnComparator)), 3000u);  // the next slot, in ticks
}

TEST_F(HpetTest, PeriodicWithoutValSetOnlyChangesThePeriod) {
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 1000);
  at(10us);
  // A new period applies after the slot already scheduled (20 us), as in QEMU.
  w64(timer_reg(0, kTnComparator), 200);
  at(25us);
  EXPECT_EQ(edges(4), (std::vector<Duration>{10us, 20us, 22us, 24us}));
}

TEST_F(HpetTest, PeriodicTimerResumesFromItsComparatorAfterAHalt) {
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 1000);
  at(15us);
  w64(kGenConf, 0);  // counter halts at 1500, next slot 2000
  EXPECT_EQ(r64(timer_reg(0, kTnComparator)), 2000u);
  at(1ms);
  w64(kGenConf, kEnableCnf);
  at(1ms + 16us);
  EXPECT_EQ(edges(4), (std::vector<Duration>{10us, 1ms + 5us, 1ms + 15us}));
}

TEST_F(HpetTest, ThirtyTwoBitModeTruncatesAndIgnoresHighHalfWrites) {
  w64(timer_reg(0, kTnComparator), 0x1'2345'6789ull);
  w64(timer_reg(0, kTnConfCap), kTn32ModeCnf);
  EXPECT_EQ(r64(timer_reg(0, kTnComparator)), 0x2345'6789u);
  w32(timer_reg(0, kTnComparator) + 4, 0x7);
  EXPECT_EQ(r64(timer_reg(0, kTnComparator)), 0x2345'6789u);
  w64(timer_reg(0, kTnComparator), 0xAAAA'0000'0000'0010ull);
  EXPECT_EQ(r64(timer_reg(0, kTnComparator)), 0x10u);
}

TEST_F(HpetTest, ThirtyTwoBitOneShotBelowTheCounterInterruptsAtTheWrapFirst) {
  w64(kMainCnt, 0xFFFF'FF00ull);  // 256 ticks before the 32-bit wrap
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTn32ModeCnf | route(6));
  w64(timer_reg(0, kTnComparator), 0x80);  // matches after the wrap
  w64(kGenConf, kEnableCnf);
  at(10us);
  EXPECT_EQ(edges(6), (std::vector<Duration>{2560ns, 2560ns + 1280ns}));
}

TEST_F(HpetTest, LegacyReplacementRoutesTimersZeroAndOneToZeroAndEight) {
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | route(20));
  w64(timer_reg(1, kTnConfCap), kTnIntEnbCnf | route(21));
  w64(timer_reg(0, kTnComparator), 100);
  w64(timer_reg(1, kTnComparator), 200);
  w64(kGenConf, kEnableCnf | kLegRtCnf);
  at(3us);
  EXPECT_EQ(edges(0), (std::vector<Duration>{1us}));
  EXPECT_EQ(edges(8), (std::vector<Duration>{2us}));
  EXPECT_TRUE(edges(20).empty());
  EXPECT_TRUE(edges(21).empty());
}

TEST_F(HpetTest, LegacyToggleMovesAPendingLevelInterrupt) {
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnIntTypeCnf | route(20));
  w64(timer_reg(0, kTnComparator), 100);
  w64(kGenConf, kEnableCnf);
  at(2us);
  ASSERT_TRUE(line(20).level());
  w64(kGenConf, kEnableCnf | kLegRtCnf);
  EXPECT_FALSE(line(20).level());
  EXPECT_TRUE(line(0).level());
}

TEST_F(HpetTest, DisablingStopsComparatorsAndDropsLevelLines) {
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnIntTypeCnf | route(2));
  w64(timer_reg(1, kTnConfCap), kTnIntEnbCnf | route(3));
  w64(timer_reg(0, kTnComparator), 100);
  w64(timer_reg(1, kTnComparator), 5000);
  w64(kGenConf, kEnableCnf);
  at(2us);
  w64(kGenConf, 0);
  EXPECT_FALSE(line(2).level());
  EXPECT_EQ(r64(kGintrSta), 1u);  // status stays
  at(1ms);
  EXPECT_TRUE(edges(3).empty());
  w64(kGenConf, kEnableCnf);  // counter resumes at 200: timer 1 is 48 us away
  EXPECT_TRUE(line(2).level());
  at(1ms + 48us);
  EXPECT_EQ(edges(3), (std::vector<Duration>{1ms + 48us}));
}

TEST_F(HpetTest, ReservedAndAbsentTimerOffsetsReadZeroAndAreLogged) {
  EXPECT_EQ(r64(0x008), 0u);
  EXPECT_EQ(r64(timer_reg(3, kTnConfCap)), 0u);  // only 3 timers
  w64(timer_reg(5, kTnComparator), 1);
  w64(timer_reg(0, 0x18), 1);
  EXPECT_EQ(log_.count(), 4u);
}

TEST_F(HpetTest, LateCallbacksMergeMissedPeriodsByDefault) {
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 100'000);  // 1 ms
  at(1ms);
  sim_.skip(3ms + 500us);  // the host is busy: periods at 2, 3 and 4 ms pass
  sim_.run_due();
  at(6ms);
  EXPECT_EQ(edges(4), (std::vector<Duration>{1ms, 4ms + 500us, 5ms, 6ms}));
  EXPECT_EQ(hpet_->periodic_engine(0).counters().dropped, 2u);
}

class HpetSlewTest : public HpetTest {
 protected:
  HpetSlewTest() : HpetTest({.driftfix = HpetDriftfix::kSlew}) {}
};

TEST_F(HpetSlewTest, LateCallbacksAreReinjectedAtTwiceTheRate) {
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 100'000);  // 1 ms
  at(1ms);
  sim_.skip(2ms);  // the 2 ms slot is missed; served with the 3 ms one
  sim_.run_due();
  at(6ms);
  EXPECT_EQ(edges(4), (std::vector<Duration>{1ms, 3ms, 3500us, 4ms, 5ms, 6ms}));
  EXPECT_EQ(hpet_->periodic_engine(0).counters().reinjected, 1u);
  EXPECT_EQ(hpet_->periodic_engine(0).counters().delivered, 6u);
}

TEST_F(HpetSlewTest, UnclearedLevelStatusCoalescesAndIsMadeUpLater) {
  lines_[4] = std::make_unique<RecordingIrqLine>(RecordingIrqLine::Options{.clocks = &sim_.clocks()});
  Hpet::Routes routes{};
  routes[4] = lines_[4].get();
  hpet_ = std::make_unique<Hpet>(log_, sim_.timers(), routes, Hpet::Options{.driftfix = HpetDriftfix::kSlew});
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap),
      kTnIntEnbCnf | kTnIntTypeCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 100'000);
  at(2ms);  // the guest sat on the 1 ms tick: the 2 ms one merges into it
  EXPECT_EQ(hpet_->periodic_engine(0).counters().coalesced, 1u);
  EXPECT_EQ(hpet_->periodic_engine(0).counters().backlog, 1u);
  w64(kGintrSta, 1);  // handler: clear status, then complete at the controller
  line(4).acknowledge();
  at(2500us);
  EXPECT_EQ(hpet_->periodic_engine(0).counters().reinjected, 1u);
  EXPECT_TRUE(line(4).level());
}

TEST(Hpet, RoutingToAnUnconnectedInputIsAGuestError) {
  VirtualSim sim;
  GuestLog log;
  RecordingIrqLine line;
  Hpet::Routes routes{};
  routes[2] = &line;
  Hpet hpet(log, sim.timers(), routes, {});
  EXPECT_EQ(hpet.read(kTimer0 + kTnConfCap + 4, 4), 0b100u);  // Tn_INT_ROUTE_CAP
  hpet.write(kTimer0 + kTnConfCap, 8, kTnIntEnbCnf | (uint64_t{5} << kTnIntRouteShift));
  EXPECT_EQ(log.count(), 1u);
  hpet.write(kTimer0 + kTnConfCap, 8, kTnIntEnbCnf | (uint64_t{2} << kTnIntRouteShift));
  EXPECT_EQ(log.count(), 1u);
}

TEST(Hpet, ThirtyTwoTimersWidenTheWindow) {
  VirtualSim sim;
  GuestLog log;
  Hpet hpet(log, sim.timers(), Hpet::Routes{}, {.timers = 32});
  EXPECT_EQ(hpet.size(), 0x500u);
  EXPECT_EQ((hpet.read(kGcapId, 4) >> kNumTimCapShift) & 0x1F, 31u);
  EXPECT_EQ(hpet.read(timer_reg(31, kTnConfCap), 8) >> 32, 0u);  // no routes connected
}

TEST(Hpet, DriftfixParsesNoneAndSlew) {
  EXPECT_EQ(*parse_hpet_driftfix("slew"), HpetDriftfix::kSlew);
  EXPECT_EQ(*parse_hpet_driftfix("none"), HpetDriftfix::kNone);
  EXPECT_FALSE(parse_hpet_driftfix("fast").ok());
}

TEST_F(HpetTest, ASnapshotRestoresRegistersCounterAndBothKindsOfComparatorExactly) {
  w64(kGenConf, kEnableCnf);
  w64(timer_reg(0, kTnConfCap), kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | route(4));
  w64(timer_reg(0, kTnComparator), 1000);
  w64(timer_reg(0, kTnComparator), 500);  // periodic: 10 us, then every 5 us
  w64(timer_reg(1, kTnConfCap), kTnIntEnbCnf | route(5));
  w64(timer_reg(1, kTnComparator), 3100);  // one-shot at 31 us
  at(12us);
  StateWriter out;
  hpet_->save(out);

  // Another HPET, on another bench at the same guest time.
  VirtualSim sim;
  sim.step_until(sim.start() + 12us);
  std::vector<std::unique_ptr<RecordingIrqLine>> lines;
  Hpet::Routes routes{};
  for (unsigned r = 0; r < kRoutes; ++r) {
    lines.push_back(std::make_unique<RecordingIrqLine>(
        RecordingIrqLine::Options{.clocks = &sim.clocks(), .ack = RecordingIrqLine::Ack::kImmediately}));
    routes[r] = lines.back().get();
  }
  GuestLog log;
  Hpet restored(log, sim.timers(), routes, {});
  StateReader in(out.bytes(), "the HPET");
  restored.load(in);
  ASSERT_TRUE(in.finish().ok()) << in.finish().error();
  StateWriter again;
  restored.save(again);
  EXPECT_EQ(again.bytes(), out.bytes());
  for (uint64_t reg : {kGenConf, timer_reg(0, kTnConfCap), timer_reg(0, kTnComparator), timer_reg(1, kTnComparator)}) {
    EXPECT_EQ(restored.read(reg, 8), hpet_->read(reg, 8)) << reg;
  }
  at(40us);
  sim.step_until(sim.start() + 40us);
  for (unsigned r : {4u, 5u}) {
    std::vector<Duration> after;
    for (const auto& e : lines[r]->events()) {
      if (e.level) after.push_back(e.at - sim.start());
    }
    std::vector<Duration> expected;
    for (Duration t : edges(r)) {
      if (t > 12us) expected.push_back(t);
    }
    EXPECT_EQ(after, expected) << "route " << r;
  }
}

}  // namespace
}  // namespace vtime
