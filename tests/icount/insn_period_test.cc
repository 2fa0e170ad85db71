#include "vtime/icount/insn_period.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

TEST(InsnPeriod, ShiftIsExactPowerOfTwoNanoseconds) {
  for (int s = 0; s <= 10; ++s) {
    const InsnPeriod p = InsnPeriod::from_shift(s);
    EXPECT_EQ(p.time_for(1000, Round::kDown), Duration(1000 << s)) << s;
    EXPECT_EQ(p.exact_shift(), s);
  }
}

TEST(InsnPeriod, InstructionsToASpanRoundUp) {
  const InsnPeriod p = InsnPeriod::from_shift(3);  // 8 ns
  EXPECT_EQ(p.insns_for(16ns, Round::kUp), 2u);
  EXPECT_EQ(p.insns_for(17ns, Round::kUp), 3u);
  EXPECT_EQ(p.insns_for(17ns, Round::kDown), 2u);
  EXPECT_EQ(p.insns_for(0ns, Round::kUp), 0u);
  EXPECT_EQ(p.insns_for(-5ns, Round::kUp), 0u);
}

TEST(InsnPeriod, FractionsRoundTimeDown) {
  const InsnPeriod p = InsnPeriod::from_ns(2.5);
  EXPECT_EQ(p.exact_shift(), -1);
  EXPECT_EQ(p.time_for(3, Round::kDown), 7ns);
  EXPECT_EQ(p.time_for(3, Round::kUp), 8ns);
  EXPECT_EQ(p.insns_for(7ns, Round::kUp), 3u);
}

TEST(InsnPeriod, SharedByHartsDividesTheCharge) {
  const InsnPeriod p = InsnPeriod::from_shift(3).shared_by(2);
  EXPECT_EQ(p.time_for(10, Round::kDown), 40ns);
  EXPECT_EQ(InsnPeriod::from_shift(0).shared_by(3).time_for(3, Round::kUp), 1ns);
}

TEST(InsnPeriod, HugeCountsSaturate) {
  EXPECT_EQ(InsnPeriod::from_shift(10).time_for(UINT64_MAX, Round::kDown), Duration::max());
  EXPECT_EQ(InsnPeriod::from_shift(0).insns_for(Duration::max(), Round::kUp),
            static_cast<uint64_t>(Duration::max().count()));
}

}  // namespace
}  // namespace vtime
