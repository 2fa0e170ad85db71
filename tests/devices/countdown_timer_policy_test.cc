// Every valid combination of the six countdown policies (2^6 minus the 16 with
// both no_immediate_trigger and trigger_only_on_decrement), each run through
// the same scenarios. The expected outcomes are written from the policies'
// meaning, flag by flag, not from the implementation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/devices/virtual_sim.h"
#include "vtime/devices/countdown_timer.h"

namespace vtime {
namespace {

using testing::VirtualSim;
constexpr Duration P = 2ms;

CountdownPolicy policy_from_bits(int bits) {
  return {.wrap_after_one_period = (bits & 1) != 0,
          .continuous_trigger = (bits & 2) != 0,
          .no_immediate_trigger = (bits & 4) != 0,
          .no_immediate_reload = (bits & 8) != 0,
          .no_counter_round_down = (bits & 16) != 0,
          .trigger_only_on_decrement = (bits & 32) != 0};
}

std::vector<CountdownPolicy> all_valid_policies() {
  std::vector<CountdownPolicy> out;
  for (int bits = 0; bits < 64; ++bits) {
    if (policy_from_bits(bits).valid()) out.push_back(policy_from_bits(bits));
  }
  return out;
}

class EveryPolicy : public ::testing::TestWithParam<CountdownPolicy> {
 protected:
  EveryPolicy()
      : timer_(sim_.timers(), [this] { triggers_.push_back(sim_.elapsed()); },
               {.policy = GetParam()}) {}

  void start(uint64_t limit, uint64_t count, CountdownMode mode) {
    CountdownTimer::Transaction tx(timer_);
    timer_.set_period(P);
    timer_.set_limit(limit, LimitReload::kKeepCount);
    timer_.set_count(count);
    timer_.run(mode);
  }
  void at(Duration t) { sim_.step_until(sim_.start() + t); }
  uint64_t count_at(Duration t) {
    at(t);
    return timer_.count();
  }

  // The flags, spelled as in the notes.
  bool W() const { return GetParam().wrap_after_one_period; }
  bool C() const { return GetParam().continuous_trigger; }
  bool T() const { return GetParam().no_immediate_trigger; }
  bool R() const { return GetParam().no_immediate_reload; }
  bool D() const { return GetParam().no_counter_round_down; }
  bool O() const { return GetParam().trigger_only_on_decrement; }
  uint64_t d() const { return D() ? 1 : 0; }
  // A count that becomes 0 by a write or a start triggers at once unless
  // either "no immediate" flag says otherwise.
  bool zero_write_triggers() const { return !T() && !O(); }

  VirtualSim sim_;
  std::vector<Duration> triggers_;
  CountdownTimer timer_;
};

TEST_P(EveryPolicy, SteadyPeriodicTriggersEveryLimitPeriodsPlusTheWrapPeriod) {
  start(5, 5, CountdownMode::kPeriodic);
  at(18 * P);
  const int64_t w = W() ? 1 : 0;
  EXPECT_EQ(triggers_, (std::vector<Duration>{5 * P, (10 + w) * P, (15 + 2 * w) * P}));
}

TEST_P(EveryPolicy, CounterReadsAcrossAWrap) {
  start(5, 5, CountdownMode::kPeriodic);
  EXPECT_EQ(count_at(0ns), 5u);                   // the load instant reads the load
  EXPECT_EQ(count_at(1ns), 4 + d());               // then one less, unless rounded up
  EXPECT_EQ(count_at(2 * P + P / 2), 2 + d());
  EXPECT_EQ(count_at(5 * P - 1ns), 0 + d());
  sim_.skip(1ns);  // due, but the expiry has not run yet: the counter is spent
  EXPECT_EQ(timer_.count(), 0 + d());
  sim_.run_due();
  // After the wrap: W sits at zero for one period, otherwise the limit is back.
  EXPECT_EQ(timer_.count(), W() ? 0u : 5u);
  EXPECT_EQ(count_at(5 * P + 1ns), W() ? 0u : 4 + d());
  EXPECT_EQ(count_at(6 * P + 1ns), W() ? 4 + d() : 3 + d());
}

TEST_P(EveryPolicy, PeriodicStartedAtZeroFollowsTheImmediateFlags) {
  start(10, 0, CountdownMode::kPeriodic);
  // R keeps the zero for one period; otherwise the limit is loaded at once.
  EXPECT_EQ(timer_.count(), R() ? 0u : 10u);
  at(12 * P);
  std::vector<Duration> expected;
  if (zero_write_triggers()) expected.push_back(0ns);
  if (R()) {
    if (T()) expected.push_back(P);  // the deferred zero triggers when it reloads
    expected.push_back(11 * P);
  } else {
    expected.push_back(10 * P);
  }
  EXPECT_EQ(triggers_, expected);
}

TEST_P(EveryPolicy, WritingZeroToARunningPeriodicTimer) {
  start(10, 10, CountdownMode::kPeriodic);
  const Duration w = 3 * P + P / 2;
  at(w);
  { CountdownTimer::Transaction tx(timer_); timer_.set_count(0); }
  EXPECT_EQ(timer_.count(), R() ? 0u : 10u);
  at(w + 12 * P);
  std::vector<Duration> expected;
  if (zero_write_triggers()) expected.push_back(w);
  if (R()) {
    if (T()) expected.push_back(w + P);
    expected.push_back(w + 11 * P);
  } else {
    expected.push_back(w + 10 * P);
  }
  EXPECT_EQ(triggers_, expected);
}

TEST_P(EveryPolicy, OneShotStartedAtZero) {
  start(5, 0, CountdownMode::kOneShot);
  at(12 * P);
  std::vector<Duration> expected;
  if (zero_write_triggers()) expected.push_back(0ns);
  if (!R()) {
    expected.push_back(5 * P);  // counts the limit down once
  } else if (T()) {
    expected.push_back(P);  // the deferred zero, then stopped at 0
  }
  EXPECT_EQ(triggers_, expected);
  EXPECT_EQ(timer_.mode(), CountdownMode::kStopped);
  EXPECT_EQ(timer_.count(), 0u);
}

TEST_P(EveryPolicy, PeriodicWithLimitZeroAndCountZero) {
  start(0, 0, CountdownMode::kPeriodic);
  at(3 * P + P / 2);
  std::vector<Duration> expected;
  if (zero_write_triggers()) expected.push_back(0ns);
  if (C()) {
    expected.insert(expected.end(), {P, 2 * P, 3 * P});  // forever, once per period
  } else if (T()) {
    expected.push_back(P);  // once, then stopped
  }
  EXPECT_EQ(triggers_, expected);
  EXPECT_EQ(timer_.mode(), C() ? CountdownMode::kPeriodic : CountdownMode::kStopped);
}

TEST_P(EveryPolicy, StopKeepsTheValueTheCounterShowed) {
  start(10, 10, CountdownMode::kOneShot);
  at(3 * P + P / 2);
  const uint64_t shown = timer_.count();
  EXPECT_EQ(shown, 6 + d());
  { CountdownTimer::Transaction tx(timer_); timer_.stop(); }
  EXPECT_EQ(timer_.count(), shown);
  at(30 * P);
  EXPECT_TRUE(triggers_.empty());
}

std::string policy_test_name(const ::testing::TestParamInfo<CountdownPolicy>& info) {
  std::string name = countdown_policy_names(info.param);
  for (char& c : name) {
    if (c == ',') c = 'X';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(CountdownTimer, EveryPolicy, ::testing::ValuesIn(all_valid_policies()),
                         policy_test_name);

TEST(CountdownPolicies, FortyEightCombinationsAreValid) {
  EXPECT_EQ(all_valid_policies().size(), 48u);
}

}  // namespace
}  // namespace vtime
