#include "vtime/icount/aligner.h"

#include <gtest/gtest.h>

#include <vector>

#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

// VIRTUAL_RT for these unit tests: host time since the start (the VM never
// stops here; the engine tests use the real VmClocks).
struct Fixture {
  ManualHostClock host;
  HostTime start = host.now();
  std::vector<std::string> warnings;
  Aligner make(Aligner::Options o) {
    o.warn = [this](std::string_view m) { warnings.emplace_back(m); };
    return Aligner(host, [this] { return GuestTime::from_epoch(host.now() - start); }, o);
  }
};

TEST(Aligner, SleepsOffALeadAboveTheThreshold) {
  Fixture f;
  Aligner a = f.make({.threshold = 3ms});
  EXPECT_EQ(a.pace(GuestTime::from_epoch(2ms)), 0ns);  // under the threshold
  EXPECT_EQ(a.pace(GuestTime::from_epoch(25ms)), 25ms);
  EXPECT_EQ(f.host.now() - f.start, 25ms);
  const AlignSummary s = a.summary();
  EXPECT_EQ(s.sleeps, 1u);
  EXPECT_EQ(s.max_advance, 25ms);
  EXPECT_EQ(s.samples, 2u);
}

TEST(Aligner, CountsHostTimeSpentExecutingBeforeSleeping) {
  Fixture f;
  Aligner a = f.make({.threshold = 3ms});
  f.host.advance(8ms);  // the host spent 8 ms executing 10 ms of guest time
  EXPECT_EQ(a.pace(GuestTime::from_epoch(10ms)), 0ns);  // lead 2 ms: no sleep (QEMU would sleep 10 ms)
  f.host.advance(8ms);
  EXPECT_EQ(a.pace(GuestTime::from_epoch(20ms)), 4ms);
}

TEST(Aligner, LearnsTheWakeUpLatencyAndAsksForLess) {
  Fixture f;
  f.host.set_wake_latency(200us);
  Aligner a = f.make({.threshold = 1ms});
  Duration guest = 0ns;
  for (int i = 0; i < 40; ++i) {
    guest += 5ms;
    a.pace(GuestTime::from_epoch(guest));
  }
  EXPECT_GT(a.wake_latency(), 150us);
  // After learning, the host lands within a few microseconds of the guest.
  guest += 5ms;
  a.pace(GuestTime::from_epoch(guest));
  const Duration behind = (f.host.now() - f.start) - guest;
  EXPECT_LT(behind < 0ns ? -behind : behind, 60us);
}

TEST(Aligner, AlignOffMeasuresButNeverSleeps) {
  Fixture f;
  Aligner a = f.make({.align = false, .threshold = 3ms});
  EXPECT_EQ(a.pace(GuestTime::from_epoch(1s)), 0ns);
  EXPECT_EQ(f.host.sleep_calls(), 0);
  EXPECT_EQ(a.summary().host_minus_guest, -1s);
}

TEST(Aligner, SlowGuestGetsRateLimitedWarnings) {
  Fixture f;
  Aligner a = f.make({.threshold = 3ms});
  // The host needs 2 s for every 1 s of guest time: lateness grows 1 s per pace.
  for (int i = 1; i <= 10; ++i) {
    f.host.advance(2s);
    a.pace(GuestTime::from_epoch(Duration(int64_t{i} * 1'000'000'000)));
  }
  ASSERT_FALSE(f.warnings.empty());
  EXPECT_EQ(f.warnings.front(), "The guest is now late by 1.0 to 2.0 seconds");
  EXPECT_EQ(a.summary().warnings, f.warnings.size());
  EXPECT_EQ(a.summary().max_delay, 10s);
  EXPECT_EQ(f.host.sleep_calls(), 0);
}

TEST(Aligner, ResetStartsTheStatisticsAgain) {
  Fixture f;
  Aligner a = f.make({.threshold = 3ms});
  a.pace(GuestTime::from_epoch(50ms));
  a.reset_stats();
  EXPECT_EQ(a.summary().samples, 0u);
  EXPECT_EQ(a.summary().max_advance, 0ns);
}

}  // namespace
}  // namespace vtime
