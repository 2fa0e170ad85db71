#include "vtime/icount/instruction_clock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace vtime {
namespace {

const GuestTime kStart = GuestTime::from_epoch(1ms);

TEST(InstructionClock, VirtualIsBiasPlusInstructionsTimesTwoToTheShift) {
  for (int shift : {0, 3, 7, 10}) {
    InstructionClock clock(kStart, InsnPeriod::from_shift(shift));
    clock.retire(1);
    EXPECT_EQ(clock.now(), kStart + Duration(int64_t{1} << shift)) << shift;
    clock.retire(999);
    EXPECT_EQ(clock.now(), kStart + Duration(int64_t{1000} << shift)) << shift;
    EXPECT_EQ(clock.retired(), 1000u);
  }
}

TEST(InstructionClock, ChangingThePeriodKeepsVirtualContinuous) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(3));
  clock.retire(10);  // +80 ns
  clock.set_period(InsnPeriod::from_shift(5));
  EXPECT_EQ(clock.now(), kStart + 80ns);
  clock.retire(2);  // +64 ns
  EXPECT_EQ(clock.now(), kStart + 144ns);
  clock.set_period(InsnPeriod::from_ns(2.5));
  clock.retire(3);  // +7.5 ns, read rounds down
  EXPECT_EQ(clock.now(), kStart + 151ns);
}

TEST(InstructionClock, SkipOnlyMovesForward) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(3));
  clock.skip(1us);
  EXPECT_EQ(clock.now(), kStart + 1us);
  clock.skip(-1us);
  clock.skip_to(kStart);
  EXPECT_EQ(clock.now(), kStart + 1us);
  clock.skip_to(kStart + 5us);
  EXPECT_EQ(clock.now(), kStart + 5us);
  clock.skip_to(GuestTime::never());
  EXPECT_EQ(clock.now(), kStart + 5us);
}

TEST(InstructionClock, InstructionsUntilADeadlineRoundUpToTheReachingInstruction) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(3));
  EXPECT_EQ(clock.insns_until(kStart + 80ns), 10u);
  EXPECT_EQ(clock.insns_until(kStart + 81ns), 11u);
  EXPECT_EQ(clock.insns_until(kStart), 0u);
  EXPECT_EQ(clock.insns_until(kStart - 1ms), 0u);
  EXPECT_EQ(clock.insns_until(GuestTime::never()), UINT64_MAX);
  EXPECT_EQ(clock.insns_until(kStart + 81ns, /*charged=*/4), 7u);
  // The n-th instruction reaches the deadline, the (n-1)-th does not.
  const GuestTime due = kStart + 12345ns;
  const uint64_t n = clock.insns_until(due);
  EXPECT_LT(clock.time_after(n - 1), due);
  EXPECT_GE(clock.time_after(n), due);
}

TEST(InstructionClock, FractionalPeriodDeadlinesAreExact) {
  InstructionClock clock(kStart, InsnPeriod::from_ns(3.3));
  clock.retire(7);
  for (Duration d : {Duration(1), Duration(10), Duration(333), Duration(1'000'000)}) {
    const uint64_t n = clock.insns_until(clock.now() + d);
    EXPECT_LT(clock.time_after(n - 1), clock.now() + d);
    EXPECT_GE(clock.time_after(n), clock.now() + d);
  }
}

TEST(InstructionClock, ReadersOnOtherThreadsSeeMonotonicTime) {
  InstructionClock clock(kStart, InsnPeriod::from_shift(1));
  std::atomic<bool> done{false};
  std::thread reader([&] {
    GuestTime last = kStart;
    while (!done.load()) {
      const GuestTime t = clock.now();
      EXPECT_GE(t, last);
      last = t;
    }
  });
  for (int i = 0; i < 20000; ++i) {
    clock.retire(3);
    if (i % 1000 == 0) clock.set_period(InsnPeriod::from_shift(i % 3000 == 0 ? 2 : 1));
  }
  done.store(true);
  reader.join();
}

}  // namespace
}  // namespace vtime
