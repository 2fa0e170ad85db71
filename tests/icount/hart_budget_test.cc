#include "vtime/icount/hart_budget.h"

#include <gtest/gtest.h>

#include <thread>

namespace vtime {
namespace {

const GuestTime kStart = GuestTime::epoch();

TEST(HartBudget, ChargesAreInvisibleUntilSynced) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(3));
  HartBudget budget(clock);
  budget.grant(100);
  budget.charge(8);
  EXPECT_EQ(clock.now(), kStart);
  budget.sync();
  EXPECT_EQ(clock.now(), kStart + 64ns);
  EXPECT_EQ(budget.published(), 8u);
  EXPECT_EQ(budget.left(), 92u);
}

TEST(HartBudget, EndRunPublishesTheRestAndClearsTheLimit) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(50);
  budget.charge(20);
  budget.sync();
  budget.charge(30);
  EXPECT_EQ(budget.left(), 0u);
  EXPECT_EQ(budget.end_run(), 50u);
  EXPECT_EQ(clock.now(), kStart + 50ns);
  EXPECT_EQ(budget.left(), 0u);
}

TEST(HartBudget, TheLimitOnlyShrinks) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(1000);
  budget.shrink_to(2000);
  EXPECT_EQ(budget.limit(), 1000u);
  budget.shrink_to(300);
  EXPECT_EQ(budget.limit(), 300u);
  budget.charge(400);  // a late shrink below what already ran: stop now
  EXPECT_EQ(budget.left(), 0u);
}

TEST(HartBudget, NoSixteenBitDecrementerOrCap) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(uint64_t{1} << 40);
  budget.charge(uint64_t{1} << 39);
  EXPECT_EQ(budget.left(), uint64_t{1} << 39);
}

TEST(HartBudget, ExitRequestFromAnotherThreadStopsTheHart) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(UINT64_MAX);
  std::thread other([&] { budget.request_exit(); });
  uint64_t blocks = 0;
  while (budget.left() > 0) {
    budget.charge(8);
    ++blocks;
  }
  other.join();
  EXPECT_EQ(budget.end_run(), blocks * 8);
}

}  // namespace
}  // namespace vtime
