#include "vtime/devices/tick_source.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/devices/virtual_sim.h"
#include "vtime/devices/recording_irq_line.h"

namespace vtime {
namespace {

using testing::VirtualSim;
constexpr Duration P = 1ms;

struct Bench {
  explicit Bench(TickSource::Options options,
                 RecordingIrqLine::Ack ack = RecordingIrqLine::Ack::kImmediately)
      : line({.clocks = &sim.clocks(), .ack = ack}), ticks(sim.timers(), line, options) {}
  // Rising-edge times as spans since the bench started.
  std::vector<Duration> edges() {
    std::vector<Duration> out;
    for (const auto& e : line.events()) {
      if (e.level) out.push_back(e.at - sim.start());
    }
    return out;
  }
  // The host is late: nothing runs for `span`, then what is due runs once.
  void late_by(Duration span) {
    sim.skip(span);
    sim.run_due();
  }
  void at(Duration t) { sim.step_until(sim.start() + t); }
  void check_balance() {
    const auto& c = ticks.counters();
    EXPECT_EQ(c.slots, c.delivered + c.backlog + c.dropped + c.given_up);
    EXPECT_EQ(c.lost, c.reinjected + c.backlog + c.dropped + c.given_up);
    EXPECT_EQ(c.delivered, line.accepted());
    EXPECT_EQ(c.coalesced, line.coalesced());
  }

  VirtualSim sim;
  RecordingIrqLine line;
  TickSource ticks;
};

TEST(TickSource, OnTimeTicksStayOnTheGridWhateverTheCallbackJitter) {
  Bench b({});
  b.ticks.start_in(P);
  for (int i = 0; i < 1000; ++i) {
    b.sim.skip(b.ticks.next_fire() - b.sim.now() + 37us);  // always a little late
    b.sim.run_due();
  }
  EXPECT_EQ(b.ticks.next_slot(), b.sim.start() + 1001 * P);
  EXPECT_EQ(b.ticks.counters().delivered, 1000u);
  EXPECT_EQ(b.ticks.counters().lost, 0u);
  b.check_balance();
}

TEST(TickSource, DiscardDropsEveryTickThatCouldNotBeOnTime) {
  Bench b({.policy = LostTickPolicy::kDiscard});
  b.ticks.start_in(P);
  b.at(2 * P);
  b.late_by(3 * P + P / 2);  // slots 3, 4, 5 pass unserved; runs at 5.5 P
  EXPECT_EQ(b.edges(), (std::vector<Duration>{P, 2 * P}));
  b.at(7 * P);
  EXPECT_EQ(b.edges(), (std::vector<Duration>{P, 2 * P, 6 * P, 7 * P}));
  EXPECT_EQ(b.ticks.counters().lost, 3u);
  EXPECT_EQ(b.ticks.counters().dropped, 3u);
  b.check_balance();
}

TEST(TickSource, MergeDeliversOneTickForAllTheMissedOnes) {
  Bench b({.policy = LostTickPolicy::kMerge});
  b.ticks.start_in(P);
  b.at(2 * P);
  b.late_by(3 * P + P / 2);
  b.at(7 * P);
  const Duration late = 5 * P + P / 2;
  EXPECT_EQ(b.edges(), (std::vector<Duration>{P, 2 * P, late, 6 * P, 7 * P}));
  EXPECT_EQ(b.ticks.counters().lost, 2u);
  EXPECT_EQ(b.ticks.counters().dropped, 2u);
  b.check_balance();
}

TEST(TickSource, DelayKeepsTheNormalRateAndOwesTheMissedTicksForGood) {
  Bench b({.policy = LostTickPolicy::kDelay});
  b.ticks.start_in(P);
  b.at(2 * P);
  b.late_by(3 * P + P / 2);
  b.at(100 * P);
  EXPECT_EQ(b.ticks.counters().backlog, 2u);
  EXPECT_EQ(b.ticks.counters().reinjected, 0u);
  EXPECT_EQ(b.ticks.counters().delivered, 98u);
  EXPECT_EQ(b.ticks.rate_percent(), 100u);
  b.check_balance();
}

TEST(TickSource, ACoalescedTickIsLostAndMergePolicyDropsIt) {
  Bench b({.policy = LostTickPolicy::kMerge}, RecordingIrqLine::Ack::kByTest);
  b.ticks.start_in(P);
  b.at(P);
  b.at(2 * P);  // the guest has not taken the first one
  EXPECT_EQ(b.ticks.counters().coalesced, 1u);
  EXPECT_EQ(b.ticks.counters().lost, 1u);
  b.line.acknowledge();
  b.at(3 * P);
  EXPECT_EQ(b.ticks.counters().delivered, 2u);
  b.check_balance();
}

TEST(TickSource, SlewReinjectsAtOneExtraTickPerPeriodThenReturnsToTheGrid) {
  Bench b({.policy = LostTickPolicy::kSlew});
  b.ticks.start_in(P);
  b.at(2 * P);
  b.late_by(3 * P);  // runs at 5 P: slots 3 and 4 missed
  EXPECT_EQ(b.ticks.counters().backlog, 2u);
  EXPECT_EQ(b.ticks.rate_percent(), 200u);
  b.at(20 * P);
  // Twice the rate from 5 P until both owed ticks are paid, then the grid.
  EXPECT_EQ(b.edges(), (std::vector<Duration>{P, 2 * P, 5 * P, 5 * P + P / 2, 6 * P,
                                              6 * P + P / 2, 7 * P, 8 * P, 9 * P, 10 * P, 11 * P,
                                              12 * P, 13 * P, 14 * P, 15 * P, 16 * P, 17 * P,
                                              18 * P, 19 * P, 20 * P}));
  EXPECT_EQ(b.ticks.counters().reinjected, 2u);
  EXPECT_EQ(b.ticks.counters().backlog, 0u);
  EXPECT_EQ(b.ticks.counters().delivered, 20u);  // every slot, none lost for good
  EXPECT_EQ(b.ticks.rate_percent(), 100u);
  b.check_balance();
}

TEST(TickSource, SlewRateGrowsWhileLossesContinueAndIsCapped) {
  Bench b({.policy = LostTickPolicy::kSlew, .slew = {.max_extra_per_period = 2}});
  b.ticks.start_in(P);
  b.at(P);
  b.late_by(5 * P);
  EXPECT_EQ(b.ticks.rate_percent(), 200u);
  b.late_by(5 * P);
  EXPECT_EQ(b.ticks.rate_percent(), 300u);
  b.late_by(5 * P);
  EXPECT_EQ(b.ticks.rate_percent(), 300u);  // capped at 1 + 2 per period
  b.at(200 * P);
  EXPECT_EQ(b.ticks.counters().backlog, 0u);
  EXPECT_EQ(b.ticks.counters().delivered, 200u);
  b.check_balance();
}

TEST(TickSource, SlewNeverDeliversFasterThanTheCapEvenAfterALateCallback) {
  Bench b({.policy = LostTickPolicy::kSlew, .slew = {.max_extra_per_period = 3}});
  b.ticks.start_in(P);
  for (int burst = 0; burst < 20; ++burst) {
    b.at(b.sim.elapsed() + 7 * P);
    b.late_by(4 * P + P / 3);
  }
  b.at(b.sim.elapsed() + 100 * P);
  const auto edges = b.edges();
  for (size_t i = 1; i < edges.size(); ++i) {
    EXPECT_GE(edges[i] - edges[i - 1], P / 4) << "tick " << i;
  }
  EXPECT_EQ(b.ticks.counters().backlog, 0u);
  b.check_balance();
}

TEST(TickSource, SlewBacklogBeyondTheCapIsGivenUp) {
  Bench b({.policy = LostTickPolicy::kSlew, .slew = {.max_backlog = 10 * P}});
  b.ticks.start_in(P);
  b.at(P);
  b.late_by(30 * P);
  EXPECT_EQ(b.ticks.counters().backlog, 10u);
  EXPECT_EQ(b.ticks.counters().given_up, 19u);
  b.check_balance();
}

TEST(TickSource, CoalescedTicksAreReinjectedUnderSlew) {
  Bench b({.policy = LostTickPolicy::kSlew}, RecordingIrqLine::Ack::kByTest);
  b.ticks.start_in(P);
  b.at(P);
  b.at(2 * P);  // coalesced: the guest sat on the first tick
  EXPECT_EQ(b.ticks.counters().backlog, 1u);
  b.line.acknowledge();
  b.at(2 * P + P / 2);  // the re-injection, half a period later
  EXPECT_EQ(b.ticks.counters().reinjected, 1u);
  EXPECT_EQ(b.ticks.counters().backlog, 0u);
  b.check_balance();
}

TEST(TickSource, CatchUpRateFollowsHowFarBehindTheGuestIs) {
  Bench b({.policy = LostTickPolicy::kCatchUp});
  b.ticks.start_in(P);
  b.at(P);
  b.late_by(400 * P);  // 399 ticks = 399 ms behind: 3x
  EXPECT_EQ(b.ticks.rate_percent(), 300u);
  // 3x pays two ticks a period until under 350 ms (~25 P), then 2x pays one:
  // 49 + ~75 paid after 100 P.
  b.at(b.sim.elapsed() + 100 * P);
  EXPECT_EQ(b.ticks.counters().backlog, 274u);
  EXPECT_EQ(b.ticks.rate_percent(), 200u);
  b.at(b.sim.elapsed() + 1000 * P);
  EXPECT_EQ(b.ticks.counters().backlog, 0u);  // under 0.5 ms: stopped catching up
  EXPECT_EQ(b.ticks.rate_percent(), 100u);
  b.check_balance();
}

TEST(TickSource, CatchUpGivesUpBeyondItsBound) {
  Bench b({.policy = LostTickPolicy::kCatchUp, .catch_up = {.give_up_beyond = 50 * P}});
  b.ticks.start_in(P);
  b.at(P);
  b.late_by(60 * P);
  EXPECT_EQ(b.ticks.counters().backlog, 0u);
  EXPECT_EQ(b.ticks.counters().given_up, 59u);
  EXPECT_EQ(b.ticks.rate_percent(), 100u);
  b.check_balance();
}

TEST(TickSource, StopGivesUpTheBacklogAndNothingFiresAfterwards) {
  Bench b({.policy = LostTickPolicy::kDelay});
  b.ticks.start_in(P);
  b.at(P);
  b.late_by(5 * P);
  b.ticks.stop();
  EXPECT_EQ(b.ticks.counters().given_up, 4u);
  EXPECT_EQ(b.ticks.next_slot(), GuestTime::never());
  const uint64_t delivered = b.ticks.counters().delivered;
  b.at(100 * P);
  EXPECT_EQ(b.ticks.counters().delivered, delivered);
  b.check_balance();
}

TEST(TickSource, MinimumSpacingHoldsBackATickThatWouldCrowdTheLastOne) {
  Bench b({.policy = LostTickPolicy::kMerge, .min_spacing = 300us});
  b.ticks.start_in(P);
  b.at(P);
  b.late_by(1900us);  // slot 2 served at 2.9 P; slot 3 is only 0.1 P away
  b.at(4 * P);
  EXPECT_EQ(b.edges(), (std::vector<Duration>{P, 3 * P - 100us, 3 * P + 200us, 4 * P}));
  b.check_balance();
}

TEST(TickSource, PeriodChangeAppliesFromTheNextSlot) {
  Bench b({});
  b.ticks.start_in(P);
  b.at(P);
  b.ticks.set_period(2 * P);
  b.at(6 * P);
  EXPECT_EQ(b.edges(), (std::vector<Duration>{P, 2 * P, 4 * P, 6 * P}));
}

TEST(TickSource, ASnapshotRestoresTheGridTheCountersAndTheNextFiring) {
  Bench a({.policy = LostTickPolicy::kSlew});
  a.ticks.start_in(P);
  a.at(3 * P + P / 2);
  a.late_by(5 * P);  // some ticks lost, a backlog being re-injected
  StateWriter out;
  a.ticks.save(out);
  Bench b({.policy = LostTickPolicy::kDiscard});
  b.sim.skip(a.sim.now() - b.sim.now());
  StateReader in(out.bytes(), "the tick source");
  b.ticks.load(in);
  ASSERT_TRUE(in.finish().ok());
  EXPECT_EQ(b.ticks.next_fire(), a.ticks.next_fire());
  EXPECT_EQ(b.ticks.next_slot(), a.ticks.next_slot());
  EXPECT_EQ(b.ticks.counters().backlog, a.ticks.counters().backlog);
  EXPECT_EQ(b.ticks.options().policy, LostTickPolicy::kSlew);
  StateWriter again;
  b.ticks.save(again);
  EXPECT_EQ(again.bytes(), out.bytes());
}

// Found by fuzz_snapshot: a stopped source with no period but an armed timer
// divided by its zero period when the timer fired.
TEST(TickSource, ASnapshotWithAnArmedTimerButNoRunningGridIsRefused) {
  Bench a({.policy = LostTickPolicy::kSlew});
  a.ticks.start_in(P);
  StateWriter out;
  a.ticks.save(out);
  std::vector<uint8_t> bytes = out.take();
  bytes[1] = 0;  // u8 policy, then the running flag: stopped, the timer still armed
  Bench b({});
  StateReader in(bytes, "the tick source");
  b.ticks.load(in);
  EXPECT_EQ(in.finish().error(), "the tick source: a tick source's timer is armed without a running grid.");
  EXPECT_FALSE(b.ticks.running());
  EXPECT_TRUE(b.ticks.next_fire().is_never()) << "nothing was applied";
}

}  // namespace
}  // namespace vtime
