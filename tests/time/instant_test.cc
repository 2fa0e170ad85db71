#include "vtime/time/instant.h"

#include <gtest/gtest.h>

#include <concepts>

namespace vtime {
namespace {

// "Must not compile" checks: only meaningful arithmetic exists.
template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept Subtractable = requires(A a, B b) { a - b; };
template <class A, class B>
concept Comparable = requires(A a, B b) { a < b; };

static_assert(Addable<GuestTime, Duration>);
static_assert(Addable<Duration, GuestTime>);
static_assert(Subtractable<GuestTime, Duration>);
static_assert(Subtractable<GuestTime, GuestTime>);
static_assert(std::same_as<decltype(GuestTime() - GuestTime()), Duration>);
static_assert(std::same_as<decltype(GuestTime() + Duration()), GuestTime>);
static_assert(!Addable<GuestTime, GuestTime>);
static_assert(!Subtractable<GuestTime, HostTime>);
static_assert(!Subtractable<HostTime, WallTime>);
static_assert(!Subtractable<Duration, GuestTime>);
static_assert(!Addable<GuestTime, int64_t>);
static_assert(!Addable<GuestTime, HostTime>);
static_assert(!Comparable<GuestTime, HostTime>);
static_assert(!Comparable<GuestTime, int64_t>);
static_assert(!std::convertible_to<int64_t, GuestTime>);
static_assert(!std::convertible_to<GuestTime, HostTime>);
static_assert(!std::convertible_to<int64_t, Duration>);

TEST(Instant, ArithmeticWithinOneDomain) {
  const GuestTime t = GuestTime::from_epoch(1ms);
  EXPECT_EQ((t + 250us).since_epoch(), 1250us);
  EXPECT_EQ((t - 250us).since_epoch(), 750us);
  EXPECT_EQ((t + 250us) - t, 250us);
  EXPECT_EQ(t - (t + 250us), -250us);
  GuestTime u = t;
  u += 1ms;
  u -= 500us;
  EXPECT_EQ(u, GuestTime::from_epoch(1500us));
}

TEST(Instant, NeverIsTheLatestInstantAndAbsorbsArithmetic) {
  const GuestTime never = GuestTime::never();
  EXPECT_TRUE(never.is_never());
  EXPECT_GT(never, GuestTime::from_epoch(Duration::max() - 1ns));
  EXPECT_EQ(never + 1s, never);
  EXPECT_EQ(never - 1s, never);
  EXPECT_EQ(never + (-1s), never);
  EXPECT_EQ(never - GuestTime::epoch(), Duration::max());
}

TEST(Instant, AdditionSaturatesAtNeverInsteadOfWrapping) {
  const GuestTime late = GuestTime::from_epoch(Duration::max() - 10ns);
  EXPECT_TRUE((late + 1h).is_never());
  EXPECT_TRUE((late - Duration::min()).is_never());
  const GuestTime early = GuestTime::from_epoch(Duration::min() + 10ns);
  EXPECT_EQ((early - 1h).since_epoch(), Duration::min());
}

TEST(Instant, DifferenceSaturates) {
  const GuestTime a = GuestTime::from_epoch(Duration::min() + 1ns);
  const GuestTime b = GuestTime::from_epoch(Duration::max() - 1ns);
  EXPECT_EQ(b - a, Duration::max());
  EXPECT_EQ(a - b, Duration::min());
}

TEST(Instant, EarliestPicksTheSmaller) {
  EXPECT_EQ(earliest(GuestTime::from_epoch(2ns), GuestTime::never()), GuestTime::from_epoch(2ns));
  EXPECT_EQ(earliest(GuestTime::never(), GuestTime::never()), GuestTime::never());
}

TEST(Instant, DefaultIsTheEpoch) {
  EXPECT_EQ(HostTime(), HostTime::epoch());
  EXPECT_EQ(HostTime().since_epoch(), 0ns);
}

}  // namespace
}  // namespace vtime
