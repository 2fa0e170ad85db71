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

namespace vtime {
namespace {

TEST(BudgetCursor, CountsInRegistersAndHandsTheCountBack) {
  InstructionClock clock(GuestTime::epoch(), InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(100);
  {
    BudgetCursor cursor(budget);
    EXPECT_TRUE(cursor.fits(100));
    EXPECT_FALSE(cursor.fits(101));
    cursor.charge(40);
    cursor.sync();  // a device access: VIRTUAL is exact
    EXPECT_EQ(clock.now(), GuestTime::from_epoch(40ns));
    cursor.charge(20);
  }
  EXPECT_EQ(budget.used(), 60u);
  EXPECT_EQ(budget.end_run(), 60u);
}

TEST(BudgetCursor, SeesASameThreadShrinkAfterReload) {
  InstructionClock clock(GuestTime::epoch(), InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(100);
  BudgetCursor cursor(budget);
  cursor.charge(10);
  budget.shrink_to(12);  // the device armed an earlier timer
  cursor.reload();
  EXPECT_TRUE(cursor.fits(2));
  EXPECT_FALSE(cursor.fits(3));
  EXPECT_EQ(cursor.left(), 2u);
}

TEST(BudgetCursor, PollsTheSharedLimitEveryWindow) {
  InstructionClock clock(GuestTime::epoch(), InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(UINT64_MAX);
  BudgetCursor cursor(budget);
  uint64_t blocks = 0;
  bool kicked = false;
  for (;;) {
    if (!cursor.fits(8) && cursor.left() < 8) break;
    cursor.charge(8);
    if (++blocks == 10 && !kicked) {
      budget.request_exit();  // as from another thread: seen at the next poll
      kicked = true;
    }
  }
  EXPECT_EQ(blocks * 8, BudgetCursor::kPollInsns);  // ran to the end of the window
}

TEST(BudgetCursor, RestartFollowsANewGrant) {
  InstructionClock clock(GuestTime::epoch(), InsnPeriod::from_shift(0));
  HartBudget budget(clock);
  budget.grant(16);
  BudgetCursor cursor(budget);
  cursor.charge(16);
  EXPECT_EQ(cursor.left(), 0u);
  cursor.flush();
  EXPECT_EQ(budget.end_run(), 16u);
  budget.grant(8);
  cursor.restart();
  EXPECT_TRUE(cursor.fits(8));
  cursor.charge(8);
  cursor.flush();
  EXPECT_EQ(budget.end_run(), 8u);
  EXPECT_EQ(clock.retired(), 24u);
}

}  // namespace
}  // namespace vtime
