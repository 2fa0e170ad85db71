#include "vtime/devices/up_counter.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/devices/virtual_sim.h"
#include "vtime/devices/recording_irq_line.h"

namespace vtime {
namespace {

using testing::VirtualSim;

struct Bench {
  explicit Bench(UpCounter::Options options)
      : compare_line({.clocks = &sim.clocks()}),
        overflow_line({.clocks = &sim.clocks()}),
        counter(sim.timers(), compare_line, overflow_line, options) {}
  void at(Duration t) { sim.step_until(sim.start() + t); }
  static std::vector<Duration> rises(const RecordingIrqLine& line, GuestTime start) {
    std::vector<Duration> out;
    for (const auto& e : line.events()) {
      if (e.level) out.push_back(e.at - start);
    }
    return out;
  }

  VirtualSim sim;
  RecordingIrqLine compare_line;
  RecordingIrqLine overflow_line;
  UpCounter counter;
};

TEST(UpCounter, CountsTheInputDividedByThePrescaler) {
  Bench b({.input = Frequency::mhz(1), .prescaler = 4});
  b.counter.start();
  b.at(1ms);
  EXPECT_EQ(b.counter.value(), 250u);
  b.at(1ms + 3999ns);
  EXPECT_EQ(b.counter.value(), 250u);  // whole counts only
  b.at(1ms + 4us);
  EXPECT_EQ(b.counter.value(), 251u);
}

TEST(UpCounter, StopHoldsTheValueAndStartContinues) {
  Bench b({.input = Frequency::mhz(1)});
  b.counter.start();
  b.at(10us);
  b.counter.stop();
  b.at(1ms);
  EXPECT_EQ(b.counter.value(), 10u);
  b.counter.start();
  b.at(1ms + 5us);
  EXPECT_EQ(b.counter.value(), 15u);
}

TEST(UpCounter, CompareMatchLatchesAndRaisesWhileEnabled) {
  Bench b({.input = Frequency::mhz(1), .width = 8});
  b.counter.set_compare(100);
  b.counter.set_enables({.compare = true});
  b.counter.start();
  b.at(99us);
  EXPECT_FALSE(b.compare_line.level());
  b.at(100us);
  EXPECT_TRUE(b.counter.pending().compare);
  EXPECT_TRUE(b.compare_line.level());
  b.counter.clear({.compare = true});
  EXPECT_FALSE(b.compare_line.level());
  b.at(400us);  // once per 256 counts
  EXPECT_EQ(Bench::rises(b.compare_line, b.sim.start()), (std::vector<Duration>{100us, 356us}));
}

TEST(UpCounter, MaskedEventLatchesWithoutRaisingUntilEnabled) {
  Bench b({.input = Frequency::mhz(1), .width = 8});
  b.counter.start();
  b.at(300us);
  EXPECT_TRUE(b.counter.pending().overflow);
  EXPECT_FALSE(b.overflow_line.level());
  b.counter.set_enables({.overflow = true});
  EXPECT_TRUE(b.overflow_line.level());
}

TEST(UpCounter, OverflowRepeatsEveryWrapWithoutDrift) {
  Bench b({.input = Frequency::mhz(3), .width = 8});  // 333.33 ns per count
  b.counter.set_enables({.overflow = true});
  b.counter.start();
  std::vector<Duration> wraps;
  for (int i = 1; i <= 1000; ++i) {
    b.sim.step_until(b.sim.start() + Duration(256'000 * i / 3 + 1));
    b.counter.clear({.overflow = true});
  }
  const auto rises = Bench::rises(b.overflow_line, b.sim.start());
  ASSERT_EQ(rises.size(), 1000u);
  // Wrap k is at k * 256 counts of 1/3 us, rounded up to the nanosecond.
  EXPECT_EQ(rises.back(), Duration(256'000'000 / 3 + 1));
  EXPECT_EQ(rises[2], Duration(256'000));
}

TEST(UpCounter, WrapsShorterThanOneNanosecondFireOncePerNanosecond) {
  // A 1-bit counter at 1 THz wraps 500 times a nanosecond: each wrap used to
  // re-arm at the instant that had just fired.
  Bench b({.input = Frequency::ghz(1000), .width = 1});
  b.counter.set_enables({.compare = true, .overflow = true});
  b.counter.start();
  ASSERT_TRUE(b.sim.step_until_within(b.sim.start() + 10ns, 10));
  EXPECT_TRUE(b.counter.pending().compare);
  EXPECT_TRUE(b.counter.pending().overflow);
}

TEST(UpCounter, CompareWrittenEqualToTheCountWaitsForTheNextPass) {
  Bench b({.input = Frequency::mhz(1), .width = 8});
  b.counter.set_enables({.compare = true});
  b.counter.start();
  b.at(50us);
  b.counter.set_compare(50);
  b.at(100us);
  EXPECT_FALSE(b.counter.pending().compare);
  b.at(306us);
  EXPECT_TRUE(b.counter.pending().compare);
}

TEST(UpCounter, LoadingAValueMovesTheEvents) {
  Bench b({.input = Frequency::mhz(1), .width = 8});
  b.counter.set_enables({.overflow = true});
  b.counter.start();
  b.at(10us);
  b.counter.set_value(250);
  EXPECT_EQ(b.counter.value(), 250u);
  b.at(20us);
  EXPECT_EQ(Bench::rises(b.overflow_line, b.sim.start()), (std::vector<Duration>{16us}));
  EXPECT_EQ(b.counter.value(), 4u);
}

TEST(UpCounter, PrescalerChangeAppliesFromNow) {
  Bench b({.input = Frequency::mhz(1), .prescaler = 1});
  b.counter.start();
  b.at(100us);
  b.counter.set_prescaler(10);
  b.at(200us);
  EXPECT_EQ(b.counter.value(), 110u);
}

TEST(UpCounter, SixtyFourBitCounterDoesNotWrapSoon) {
  Bench b({.input = Frequency::ghz(1), .width = 64});
  b.counter.set_value(~uint64_t{0} - 5);
  b.counter.set_enables({.overflow = true});
  b.counter.start();
  b.at(10ns);
  EXPECT_EQ(b.counter.value(), 4u);
  EXPECT_TRUE(b.overflow_line.level());
}

}  // namespace
}  // namespace vtime
