#include "vtime/devices/countdown_timer.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "tests/devices/virtual_sim.h"

namespace vtime {
namespace {

using testing::VirtualSim;
constexpr Duration P = 2ms;  // one count

// A countdown timer on a fresh bench that records when it triggered (as time
// since the bench started).
struct Bench {
  explicit Bench(CountdownTimer::Options options = {})
      : timer(sim.timers(), [this] { triggers.push_back(sim.elapsed()); }, options) {}
  void program(uint64_t limit, uint64_t count, CountdownMode mode) {
    CountdownTimer::Transaction tx(timer);
    timer.set_period(P);
    timer.set_limit(limit, LimitReload::kKeepCount);
    timer.set_count(count);
    timer.run(mode);
  }
  void at(Duration t) { sim.step_until(sim.start() + t); }

  VirtualSim sim;
  GuestLog log;
  std::vector<Duration> triggers;
  CountdownTimer timer;
};

TEST(CountdownPolicy, ParsesNamesAndPrintsThemBack) {
  auto p = parse_countdown_policy("wrap_after_one_period,no_counter_round_down");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->wrap_after_one_period);
  EXPECT_TRUE(p->no_counter_round_down);
  EXPECT_FALSE(p->continuous_trigger);
  EXPECT_EQ(countdown_policy_names(*p), "wrap_after_one_period,no_counter_round_down");
  EXPECT_EQ(countdown_policy_names(CountdownPolicy{}), "legacy");
  EXPECT_EQ(*parse_countdown_policy("legacy"), CountdownPolicy{});
}

TEST(CountdownPolicy, RejectsUnknownNamesAndTheForbiddenPair) {
  EXPECT_FALSE(parse_countdown_policy("wrap").ok());
  auto p = parse_countdown_policy("no_immediate_trigger,trigger_only_on_decrement");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().find("cannot be combined"), std::string::npos);
}

TEST(CountdownTimer, LegacyPeriodicTriggersEveryLimitPeriods) {
  Bench b;
  b.program(5, 5, CountdownMode::kPeriodic);
  b.at(16 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{5 * P, 10 * P, 15 * P}));
}

TEST(CountdownTimer, LegacyRunningCounterReadsOneLess) {
  Bench b;
  b.program(5, 5, CountdownMode::kPeriodic);
  EXPECT_EQ(b.timer.count(), 5u);  // at the load instant
  b.at(1ns);
  EXPECT_EQ(b.timer.count(), 4u);
  b.at(P);
  EXPECT_EQ(b.timer.count(), 4u);
  b.at(P + 1ns);
  EXPECT_EQ(b.timer.count(), 3u);
}

TEST(CountdownTimer, NoCounterRoundDownReadsRoundedUp) {
  Bench b({.policy = {.no_counter_round_down = true}});
  b.program(5, 5, CountdownMode::kPeriodic);
  EXPECT_EQ(b.timer.count(), 5u);
  b.at(1ns);
  EXPECT_EQ(b.timer.count(), 5u);
  b.at(P + 1ns);
  EXPECT_EQ(b.timer.count(), 4u);
}

TEST(CountdownTimer, OneShotTriggersOnceAndStopsAtZero) {
  Bench b;
  b.program(9, 3, CountdownMode::kOneShot);
  b.at(20 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{3 * P}));
  EXPECT_EQ(b.timer.mode(), CountdownMode::kStopped);
  EXPECT_EQ(b.timer.count(), 0u);
}

TEST(CountdownTimer, StopFreezesTheCounterAndRunContinuesFromIt) {
  Bench b;
  b.program(10, 10, CountdownMode::kOneShot);
  b.at(3 * P + P / 2);
  { CountdownTimer::Transaction tx(b.timer); b.timer.stop(); }
  EXPECT_EQ(b.timer.count(), 6u);
  b.at(50 * P);
  EXPECT_EQ(b.timer.count(), 6u);
  EXPECT_TRUE(b.triggers.empty());
  { CountdownTimer::Transaction tx(b.timer); b.timer.run(CountdownMode::kOneShot); }
  b.at(60 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{56 * P}));
}

TEST(CountdownTimer, PeriodChangeRestartsFromNowWithTheCurrentCount) {
  Bench b;
  b.program(10, 10, CountdownMode::kOneShot);
  b.at(2 * P + P / 2);  // reads 7 (rounded down); the half period is lost
  { CountdownTimer::Transaction tx(b.timer); b.timer.set_period(2 * P); }
  b.at(100 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{2 * P + P / 2 + 7 * 2 * P}));
}

TEST(CountdownTimer, FrequencyGivesA32Dot32Period) {
  Bench b;
  CountdownTimer::Transaction tx(b.timer);
  b.timer.set_frequency(Frequency::ghz(2));
  EXPECT_EQ(b.timer.period(), 0ns);
  EXPECT_EQ(b.timer.period_frac(), 0x8000'0000u);
  b.timer.set_frequency(Frequency::mhz(3));  // 333.333... ns
  EXPECT_EQ(b.timer.period(), 333ns);
  EXPECT_EQ(b.timer.period_frac(), 0x5555'5555u);
}

TEST(CountdownTimer, FractionalPeriodsAddUpWithoutDrift) {
  Bench b({.min_periodic_countdown = Duration::zero()});
  {
    CountdownTimer::Transaction tx(b.timer);
    b.timer.set_frequency(Frequency::ghz(2));  // 0.5 ns per count
    b.timer.set_count(3'000'000);
    b.timer.run(CountdownMode::kOneShot);
  }
  b.at(2ms);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{1500us}));
}

TEST(CountdownTimer, CounterReadsExactlyWithAFractionalPeriod) {
  Bench b;
  {
    CountdownTimer::Transaction tx(b.timer);
    b.timer.set_frequency(Frequency::mhz(3));
    b.timer.set_count(3'000'000);  // one second
    b.timer.run(CountdownMode::kOneShot);
  }
  b.at(500ms);
  // Remaining time / 333.333.. ns, rounded down; the deadline itself was
  // rounded down by the fixed-point period (floor(3e6 * frac) lost < 1 ns).
  EXPECT_EQ(b.timer.count(), 1'499'999u);
}

// 2^40 counts of 1.5000000002 ns (about 27 minutes), read 1 ns in: the
// deadline is 1649267441920 ns away, 1649267441919 remain.
void start_long_fractional(CountdownTimer& timer) {
  CountdownTimer::Transaction tx(timer);
  timer.set_period(1ns, 0x8000'0001);
  timer.set_count(uint64_t{1} << 40);
  timer.run(CountdownMode::kOneShot);
}

TEST(CountdownTimer, LongFractionalCountdownReadsTheExactQuotientRoundedDown) {
  Bench b;
  start_long_fractional(b.timer);
  b.at(1ns);
  EXPECT_EQ(b.timer.count(), 1'099'511'627'775u);  // 1099511627775.33 rounded down
}

TEST(CountdownTimer, QemuDivisionReadsLowForLongFractionalCountdowns) {
  Bench b({.division = CountDivision::kQemu64});
  start_long_fractional(b.timer);
  b.at(1ns);
  // Normalising by 23 bits drops 9 fraction bits and rounds the divisor up.
  EXPECT_EQ(b.timer.count(), 1'099'511'540'564u);
}

TEST(CountdownTimer, ShortPeriodicCountdownIsStretchedToTenMicroseconds) {
  Bench b;
  {
    CountdownTimer::Transaction tx(b.timer);
    b.timer.set_period(1ns);
    b.timer.set_limit(100, LimitReload::kReloadCount);
    b.timer.run(CountdownMode::kPeriodic);
  }
  b.at(35us);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{10us, 20us, 30us}));
  EXPECT_EQ(b.timer.count(), 50u);  // 5 us of 10 us left, in stretched 100 ns counts
}

TEST(CountdownTimer, PeriodUnderOneNanosecondStillMovesEachDeadlineForward) {
  // 0.25 ns per count, limit 1, no clamp (icount): every deadline used to round
  // down to the one that had just fired, and time never moved again.
  Bench b({.min_periodic_countdown = Duration::zero()});
  {
    CountdownTimer::Transaction tx(b.timer);
    b.timer.set_frequency(Frequency::ghz(4));
    b.timer.set_limit(1, LimitReload::kReloadCount);
    b.timer.run(CountdownMode::kPeriodic);
  }
  ASSERT_TRUE(b.sim.step_until_within(b.sim.start() + 5ns, 100));
  EXPECT_EQ(b.triggers, (std::vector<Duration>{1ns, 2ns, 3ns, 4ns, 5ns}));
}

TEST(CountdownTimer, StretchedPeriodKeepsItsFractionOverMoreCountsThanNanoseconds) {
  // 20,000 counts of 0.5 ns under the 10 us clamp: 10,000 ns / 20,000 counts
  // is half a nanosecond, not zero.
  Bench b;
  {
    CountdownTimer::Transaction tx(b.timer);
    b.timer.set_frequency(Frequency::ghz(2));
    b.timer.set_limit(20'000, LimitReload::kReloadCount);
    b.timer.run(CountdownMode::kPeriodic);
  }
  ASSERT_TRUE(b.sim.step_until_within(b.sim.start() + 35us, 100));
  EXPECT_EQ(b.triggers, (std::vector<Duration>{10us, 20us, 30us}));
  b.at(35us);
  EXPECT_EQ(b.timer.count(), 10'000u);  // 5 us left, in 0.5 ns counts
}

TEST(CountdownTimer, PeriodSetToZeroWhileRunningStopsWithAGuestError) {
  GuestLog log;
  Bench b({.log = &log});
  b.program(5, 5, CountdownMode::kPeriodic);
  b.at(P);
  { CountdownTimer::Transaction tx(b.timer); b.timer.set_period(0ns); }
  EXPECT_EQ(b.timer.mode(), CountdownMode::kStopped);
  EXPECT_EQ(b.timer.deadline(), GuestTime::never());
  EXPECT_EQ(log.count(), 1u);
  ASSERT_TRUE(b.sim.step_until_within(b.sim.start() + 100 * P, 10));
  EXPECT_TRUE(b.triggers.empty());
}

TEST(CountdownTimer, OneShotAndZeroMinimumAreNotStretched) {
  Bench oneshot;
  {
    CountdownTimer::Transaction tx(oneshot.timer);
    oneshot.timer.set_period(1ns);
    oneshot.timer.set_count(100);
    oneshot.timer.run(CountdownMode::kOneShot);
  }
  oneshot.at(1ms);
  EXPECT_EQ(oneshot.triggers, (std::vector<Duration>{100ns}));

  Bench icount({.min_periodic_countdown = Duration::zero()});
  {
    CountdownTimer::Transaction tx(icount.timer);
    icount.timer.set_period(1ns);
    icount.timer.set_limit(100, LimitReload::kReloadCount);
    icount.timer.run(CountdownMode::kPeriodic);
  }
  icount.at(250ns);
  EXPECT_EQ(icount.triggers, (std::vector<Duration>{100ns, 200ns}));
}

TEST(CountdownTimer, StartingWithPeriodZeroIsAGuestErrorAndStaysStopped) {
  Bench b;
  CountdownTimer zero(b.sim.timers(), [] {}, {.log = &b.log});
  { CountdownTimer::Transaction tx(zero); zero.set_count(5); zero.run(CountdownMode::kPeriodic); }
  EXPECT_EQ(zero.mode(), CountdownMode::kStopped);
  EXPECT_EQ(b.log.count(), 1u);
}

TEST(CountdownTimer, LimitWithoutReloadAppliesAtTheNextWrap) {
  Bench b;
  b.program(5, 5, CountdownMode::kPeriodic);
  b.at(2 * P);
  { CountdownTimer::Transaction tx(b.timer); b.timer.set_limit(2, LimitReload::kKeepCount); }
  b.at(10 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{5 * P, 7 * P, 9 * P}));
}

TEST(CountdownTimer, LimitWithReloadRestartsTheCountdownNow) {
  Bench b;
  b.program(5, 5, CountdownMode::kPeriodic);
  b.at(2 * P);
  { CountdownTimer::Transaction tx(b.timer); b.timer.set_limit(2, LimitReload::kReloadCount); }
  b.at(7 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{4 * P, 6 * P}));
}

TEST(CountdownTimer, ATransactionComputesTheDeadlineOnceFromItsEnd) {
  Bench b;
  b.timer.begin();
  b.timer.set_period(P);
  b.timer.set_count(3);
  b.timer.run(CountdownMode::kOneShot);
  EXPECT_EQ(b.timer.deadline(), GuestTime::never());  // nothing armed mid-transaction
  b.timer.set_count(4);
  b.timer.commit();
  EXPECT_EQ(b.timer.deadline(), b.sim.start() + 4 * P);
}

TEST(CountdownTimer, TriggerMayReprogramAndIsReEvaluatedIteratively) {
  VirtualSim sim;
  int fired = 0;
  std::unique_ptr<CountdownTimer> t;
  t = std::make_unique<CountdownTimer>(sim.timers(), [&] {
    // Inside the expiry's transaction: no begin() here.
    if (++fired < 3) {
      t->set_count(2);
      t->run(CountdownMode::kOneShot);
    }
  }, CountdownTimer::Options{});
  {
    CountdownTimer::Transaction tx(*t);
    t->set_period(P);
    t->set_count(1);
    t->run(CountdownMode::kOneShot);
  }
  sim.step_until(sim.start() + 100 * P);
  EXPECT_EQ(fired, 3);
  EXPECT_EQ(sim.elapsed(), 100 * P);
}

TEST(CountdownTimer, SwitchingModeWhileRunningKeepsTheSchedule) {
  Bench b;
  b.program(4, 4, CountdownMode::kOneShot);
  b.at(P);
  { CountdownTimer::Transaction tx(b.timer); b.timer.run(CountdownMode::kPeriodic); }
  b.at(9 * P);
  EXPECT_EQ(b.triggers, (std::vector<Duration>{4 * P, 8 * P}));
}

}  // namespace
}  // namespace vtime
