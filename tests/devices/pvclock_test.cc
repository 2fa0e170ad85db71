#include "vtime/devices/pvclock.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstring>
#include <optional>

#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using namespace std::chrono_literals;
using namespace pvclock_abi;

// 32 bytes of "guest RAM", aligned as the ABI asks.
struct alignas(kRecordAlign) GuestRecord {
  std::array<uint8_t, kRecordSize> bytes{};
  std::span<uint8_t> span() { return bytes; }
};

template <class T>
T load(const GuestRecord& r, size_t at) {
  T v;
  std::memcpy(&v, r.bytes.data() + at, sizeof v);
  return v;
}

// The guest algorithm of guests/runtime/pvclock.c, in C++: seqlock read of the
// record around the counter read, then system_time + scale(counter - stamp).
// nullopt when the record was being written (odd or changed version).
std::optional<uint64_t> try_guest_read(GuestRecord& r, uint64_t counter) {
  std::atomic_ref<uint32_t> version(*reinterpret_cast<uint32_t*>(r.bytes.data() + kVersion));
  const uint32_t v = version.load(std::memory_order_acquire);
  if ((v & 1) != 0) return std::nullopt;
  const auto stamp = load<uint64_t>(r, kTscTimestamp);
  const auto system_time = load<uint64_t>(r, kSystemTime);
  const PvClockScale scale{.mul = load<uint32_t>(r, kTscToSystemMul),
                           .shift = load<int8_t>(r, kTscShift)};
  std::atomic_thread_fence(std::memory_order_acquire);
  if (version.load(std::memory_order_relaxed) != v) return std::nullopt;
  return system_time + pvclock_scale_delta(counter - stamp, scale);
}

struct Bench {
  explicit Bench(Frequency counter = Frequency::ghz(1))
      : pv(clocks, {.counter_frequency = counter}) {
    pv.enable(0, record.span());
  }
  uint64_t guest_ns() {
    const std::optional<uint64_t> ns = try_guest_read(record, pv.counter_at(clocks.virtual_now()));
    EXPECT_TRUE(ns.has_value());
    return ns.value_or(0);
  }
  uint64_t virtual_ns() { return static_cast<uint64_t>(clocks.virtual_now().since_epoch().count()); }
  uint8_t flags() { return record.bytes[kFlags]; }

  ManualHostClock host;
  VmClocks clocks{host};
  GuestRecord record;
  PvClock pv;
};

TEST(PvClockScale, MulUsesTheFull32BitsForEveryRate) {
  for (uint64_t hz : {1ull, 32'768ull, 10'000'000ull, 24'000'000ull, 100'000'000ull,
                      999'999'937ull, 1'000'000'000ull, 2'000'000'000ull, 3'000'000'000ull,
                      10'000'000'000ull}) {
    const PvClockScale s = pvclock_scale_for(Frequency::hz(hz));
    EXPECT_GE(s.mul, 1u << 31) << hz;
    // One second of ticks converts to one second, less at most 1 ns of rounding.
    const uint64_t ns = pvclock_scale_delta(hz, s);
    EXPECT_LE(ns, 1'000'000'000u) << hz;
    EXPECT_GE(ns, 999'999'999u) << hz;
  }
}

TEST(PvClockScale, DecimalRatesAreExact) {
  EXPECT_EQ(pvclock_scale_for(Frequency::ghz(1)), (PvClockScale{.mul = 1u << 31, .shift = 1}));
  EXPECT_EQ(pvclock_scale_for(Frequency::mhz(10)), (PvClockScale{.mul = 3'355'443'200u, .shift = 7}));
  EXPECT_EQ(pvclock_scale_delta(12'345'678'901, pvclock_scale_for(Frequency::mhz(10))),
            1'234'567'890'100u);
}

TEST(PvClockScale, NinetySixBitProductKeepsHighTicks) {
  // 2^40 ticks at 1 GHz would overflow a 64-bit product with a 32-bit mul.
  const uint64_t ticks = 1ull << 40;
  EXPECT_EQ(pvclock_scale_delta(ticks, pvclock_scale_for(Frequency::ghz(1))), ticks);
}

TEST(PvClock, EnableWritesAStableRecordWithAnEvenVersion) {
  Bench b;
  const auto version = load<uint32_t>(b.record, kVersion);
  EXPECT_EQ(version % 2, 0u);
  EXPECT_NE(version, 0u);
  EXPECT_EQ(b.flags(), kTscStableBit);
  EXPECT_EQ(load<uint32_t>(b.record, kTscToSystemMul), 1u << 31);
  EXPECT_EQ(load<int8_t>(b.record, kTscShift), 1);
  EXPECT_EQ(load<uint64_t>(b.record, kTscTimestamp), b.clocks.tsc());
  b.pv.update();
  EXPECT_EQ(load<uint32_t>(b.record, kVersion), version + 2);
}

TEST(PvClock, AnOddVersionMakesTheReaderRetry) {
  Bench b;
  b.record.bytes[kVersion] |= 1;
  EXPECT_FALSE(try_guest_read(b.record, 0).has_value());
  b.pv.update();  // the host's next write leaves an even version again
  EXPECT_EQ(load<uint32_t>(b.record, kVersion) % 2, 0u);
  EXPECT_TRUE(try_guest_read(b.record, 0).has_value());
}

TEST(PvClock, GuestTimeEqualsVirtualExactlyWithAGigahertzCounter) {
  Bench b;
  for (Duration step : std::initializer_list<Duration>{1ns, 7ns, 999ns, 1ms, 3s, 17ns, 1h}) {
    b.host.advance(step);
    EXPECT_EQ(b.guest_ns(), b.virtual_ns());
  }
}

TEST(PvClock, GuestTimeIsVirtualRoundedDownToTheCounterTick) {
  Bench b(Frequency::mhz(10));  // the RISC-V board's `time` CSR
  for (Duration step : std::initializer_list<Duration>{1ns, 99ns, 1ns, 250ns, 1ms, 3s, 33ns}) {
    b.host.advance(step);
    EXPECT_EQ(b.guest_ns(), b.virtual_ns() / 100 * 100);
  }
}

TEST(PvClock, InexactRatesStayWithinTheStatedBound) {
  // 3 GHz: mul is rounded down. Bound: 0 <= VIRTUAL - guest <= one counter
  // period (rounded up) + 1 ns + ticks since the record * 2^shift / 2^32.
  Bench b(Frequency::ghz(3));
  uint64_t last = 0;
  for (int i = 0; i < 2000; ++i) {
    b.host.advance(Duration(1 + (i * 7919) % 100'000));
    const uint64_t g = b.guest_ns();
    const uint64_t v = b.virtual_ns();
    ASSERT_LE(g, v);
    ASSERT_LE(v - g, 2u + (v / 3) / (1ull << 33) + 1);
    ASSERT_GE(g, last);
    last = g;
    if (i % 97 == 0) b.pv.update();  // re-anchoring never moves time back
  }
}

TEST(PvClock, StopAndResumeNeitherJumpNorGoBackAndFlagTheGuest) {
  Bench b(Frequency::mhz(10));
  b.host.advance(5ms);
  const uint64_t before = b.guest_ns();
  b.clocks.stop();
  b.host.advance(1h);  // the stopped time must stay invisible
  EXPECT_EQ(b.guest_ns(), before);
  b.clocks.resume();
  EXPECT_EQ(b.flags(), kTscStableBit | kGuestStopped);
  EXPECT_EQ(b.guest_ns(), before);
  b.host.advance(2ms);
  EXPECT_EQ(b.guest_ns(), before + 2'000'000);
  // The guest clears the flag; later host updates keep it clear.
  b.record.bytes[kFlags] &= static_cast<uint8_t>(~kGuestStopped);
  b.pv.update();
  EXPECT_EQ(b.flags(), kTscStableBit);
}

TEST(PvClock, GuestStoppedStaysSetUntilTheGuestClearsIt) {
  Bench b;
  b.clocks.stop();
  b.clocks.resume();
  b.pv.update();
  EXPECT_NE(b.flags() & kGuestStopped, 0);
}

TEST(PvClock, ResumeWithoutAStopDoesNotFlag) {
  Bench b;
  b.clocks.resume();
  EXPECT_EQ(b.flags(), kTscStableBit);
}

TEST(PvClock, RestoredSnapshotContinuesFromTheSavedTimeOnAnotherMachine) {
  Bench a(Frequency::mhz(10));
  a.host.advance(123'456'789ns);
  a.clocks.stop();
  const ClockState saved = a.clocks.save();
  const GuestRecord saved_ram = a.record;  // the record travels with the RAM
  const uint64_t last_seen = a.guest_ns();

  Bench b(Frequency::mhz(10));
  b.host.advance(10h);  // a host whose clocks read something else entirely
  b.record = saved_ram;
  ASSERT_TRUE(b.clocks.restore(saved).ok());
  b.pv.update();
  EXPECT_EQ(b.guest_ns(), last_seen);
  b.clocks.resume();
  b.host.advance(1us);
  EXPECT_EQ(b.guest_ns(), last_seen + 1000);
}

TEST(PvClock, RestoringClocksRewritesTheRecordThroughTheChangeListener) {
  Bench b;
  b.host.advance(1s);
  const ClockState saved = b.clocks.save();
  b.host.advance(1s);
  const uint32_t version = load<uint32_t>(b.record, kVersion);
  ASSERT_TRUE(b.clocks.restore(saved).ok());
  EXPECT_GT(load<uint32_t>(b.record, kVersion), version);
  EXPECT_EQ(b.guest_ns(), static_cast<uint64_t>(saved.virtual_time.since_epoch().count()));
}

TEST(PvClock, GuestNeverSeesTimeGoBackOrJumpByStoppedTime) {
  // Many VIRTUAL instants across stops, resumes, snapshot round trips and
  // updates: the guest reads VIRTUAL's 100 ns tick start every time.
  Bench b(Frequency::mhz(10));
  uint64_t last = b.guest_ns();
  uint64_t lcg = 12345;
  for (int i = 0; i < 5000; ++i) {
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    const auto step = Duration(static_cast<int64_t>((lcg >> 33) % 50'000));
    switch ((lcg >> 20) % 8) {
      case 0: b.clocks.stop(); break;
      case 1: b.clocks.resume(); break;
      case 2: b.pv.update(); break;
      case 3: ASSERT_TRUE(b.clocks.restore(b.clocks.save()).ok()); break;
      case 4: b.record.bytes[kFlags] &= static_cast<uint8_t>(~kGuestStopped); break;
      default: break;
    }
    const uint64_t running_before = b.virtual_ns();
    b.host.advance(step);
    const uint64_t g = b.guest_ns();
    ASSERT_EQ(g, b.virtual_ns() / 100 * 100) << i;
    ASSERT_GE(g, last) << i;
    // Only running time is ever added.
    ASSERT_LE(g - last, b.virtual_ns() - running_before + 100) << i;
    last = g;
  }
}

TEST(PvClock, CounterOffsetIsFollowed) {
  Bench b(Frequency::mhz(10));
  b.host.advance(1ms);
  b.pv.set_counter_offset(1'000'000'000);  // the guest wrote mtime
  EXPECT_EQ(load<uint64_t>(b.record, kTscTimestamp), b.pv.counter_at(b.clocks.virtual_now()));
  b.host.advance(1ms);
  EXPECT_EQ(b.guest_ns(), b.virtual_ns() / 100 * 100);
}

TEST(PvClock, TimelineZeroShiftsTheGuestNs) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(5s);
  const GuestTime zero = clocks.virtual_now();
  GuestRecord record;
  PvClock pv(clocks, {.timeline = {.zero = zero}});
  pv.enable(0, record.span());
  host.advance(3ms);
  EXPECT_EQ(try_guest_read(record, pv.counter_at(clocks.virtual_now())), 3'000'000u);
}

TEST(PvClock, ListenersOutliveTheDevice) {
  ManualHostClock host;
  VmClocks clocks(host);
  {
    GuestRecord record;
    PvClock pv(clocks, {});
    pv.enable(0, record.span());
  }
  clocks.stop();
  clocks.resume();  // would write a destroyed record if the listener still ran
  SUCCEED();
}

TEST(PvClock, DisabledRecordsAreLeftAlone) {
  Bench b;
  b.pv.disable(0);
  EXPECT_FALSE(b.pv.enabled(0));
  const GuestRecord before = b.record;
  b.pv.update();
  EXPECT_EQ(before.bytes, b.record.bytes);
}

}  // namespace
}  // namespace vtime
