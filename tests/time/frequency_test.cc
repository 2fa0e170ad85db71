#include "vtime/time/frequency.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

TEST(Frequency, TenMegahertzTicksEveryHundredNanoseconds) {
  const Frequency f = Frequency::mhz(10);
  EXPECT_EQ(f.hz(), 10'000'000u);
  EXPECT_EQ(f.period(Round::kDown), 100ns);
  EXPECT_EQ(f.ticks_in(1s, Round::kDown), 10'000'000u);
  EXPECT_EQ(f.ticks_in(199ns, Round::kDown), 1u);
  EXPECT_EQ(f.ticks_in(199ns, Round::kUp), 2u);
  EXPECT_EQ(f.time_for(3, Round::kUp), 300ns);
}

TEST(Frequency, CountersRoundDownDeadlinesRoundUp) {
  const Frequency f = Frequency::hz(3);  // period 333.33... ms
  EXPECT_EQ(f.time_for(1, Round::kDown), 333'333'333ns);
  EXPECT_EQ(f.time_for(1, Round::kUp), 333'333'334ns);
  // The deadline for tick 1, read back as a counter, has reached tick 1.
  EXPECT_EQ(f.ticks_in(f.time_for(1, Round::kUp), Round::kDown), 1u);
  EXPECT_EQ(f.ticks_in(f.time_for(1, Round::kDown), Round::kDown), 0u);
}

TEST(Frequency, NoOverflowForSixtyFourBitTickCountsAtGigahertzRates) {
  const Frequency f = Frequency::ghz(3);
  const uint64_t ticks = 1ull << 62;
  const Duration d = f.time_for(ticks, Round::kDown);
  EXPECT_EQ(d.count(), static_cast<int64_t>((static_cast<Uint128>(ticks) * 1'000'000'000) / 3'000'000'000ull));
  EXPECT_EQ(f.ticks_in(Duration::max(), Round::kDown),
            mul_div(static_cast<uint64_t>(Duration::max().count()), 3'000'000'000ull,
                    1'000'000'000ull, Round::kDown));
}

TEST(Frequency, SaturatesWhenTheTimeDoesNotFit) {
  EXPECT_EQ(Frequency::hz(1).time_for(UINT64_MAX, Round::kUp), Duration::max());
  EXPECT_EQ(Frequency::ghz(4).ticks_in(Duration::max(), Round::kUp), UINT64_MAX);
}

TEST(Frequency, NegativeSpansHaveNoTicks) {
  EXPECT_EQ(Frequency::mhz(10).ticks_in(-5s, Round::kUp), 0u);
}

TEST(Frequency, Compares) {
  EXPECT_LT(Frequency::khz(999), Frequency::mhz(1));
  EXPECT_EQ(Frequency::khz(1000), Frequency::mhz(1));
}

}  // namespace
}  // namespace vtime
