#include "vtime/clock/vm_clocks.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/clock/fake_source.h"
#include "tests/clock/test_printers.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

TEST(VmClocks, GuestClocksStartAtTheirEpochAndFollowHostRunningTime) {
  ManualHostClock host;
  VmClocks clocks(host);
  EXPECT_EQ(clocks.virtual_now(), guest(0ns));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(0ns));
  host.advance(5ms);
  EXPECT_EQ(clocks.virtual_now(), guest(5ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(5ms));
}

TEST(VmClocks, RealtimeIsHostMonotonicAndHostIsWallClock) {
  ManualHostClock host;
  VmClocks clocks(host);
  EXPECT_EQ(clocks.realtime_now(), host.now());
  EXPECT_EQ(clocks.host_now(), host.wall_now());
  host.step_wall(-3s);
  EXPECT_EQ(clocks.host_now(), host.wall_now());
  EXPECT_EQ(clocks.read(ClockId::kHost), host.wall_now().since_epoch());
  EXPECT_EQ(clocks.read(ClockId::kRealtime), host.now().since_epoch());
}

TEST(VmClocks, WallClockStepsDoNotMoveGuestClocks) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(1ms);
  host.step_wall(-1h);
  host.step_wall(2h);
  EXPECT_EQ(clocks.virtual_now(), guest(1ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(1ms));
}

TEST(VmClocks, ReadByIdMatchesTypedReads) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(7us);
  EXPECT_EQ(clocks.read(ClockId::kVirtual), 7us);
  EXPECT_EQ(clocks.read(ClockId::kVirtualRt), 7us);
}

TEST(VmClocks, StopFreezesGuestClocksButNotHostClocks) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(10ms);
  clocks.stop();
  EXPECT_FALSE(clocks.running());
  host.advance(1s);
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(10ms));
  EXPECT_EQ(clocks.realtime_now(), host.now());
  EXPECT_EQ(clocks.host_now(), host.wall_now());
}

TEST(VmClocks, ResumeContinuesFromWhereItStopped) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(10ms);
  clocks.stop();
  host.advance(1s);
  clocks.resume();
  EXPECT_TRUE(clocks.running());
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  host.advance(2ms);
  EXPECT_EQ(clocks.virtual_now(), guest(12ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(12ms));
}

TEST(VmClocks, StopAndResumeAreIdempotent) {
  ManualHostClock host;
  VmClocks clocks(host);
  int told = 0;
  clocks.add_run_state_listener([&](RunState) { ++told; });
  clocks.resume();
  EXPECT_EQ(told, 0);
  host.advance(1ms);
  clocks.stop();
  host.advance(1ms);
  clocks.stop();
  EXPECT_EQ(told, 1);
  clocks.resume();
  clocks.resume();
  EXPECT_EQ(told, 2);
  EXPECT_EQ(clocks.virtual_now(), guest(1ms));
}

TEST(VmClocks, CanStartStopped) {
  ManualHostClock host;
  VmClocks clocks(host, {.initial_state = RunState::kStopped});
  EXPECT_EQ(clocks.run_state(), RunState::kStopped);
  host.advance(1s);
  EXPECT_EQ(clocks.virtual_now(), guest(0ns));
  clocks.resume();
  host.advance(3ns);
  EXPECT_EQ(clocks.virtual_now(), guest(3ns));
}

TEST(VmClocks, VirtualNeverGoesBackwardsWhenHostMonotonicDoes) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(10ms);
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(10ms));
  host.set_monotonic(host.now() - 4ms);
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(10ms));
  host.advance(3ms);  // still behind the high-water mark: VIRTUAL holds
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  host.advance(2ms);  // past it again: VIRTUAL moves on, no jump
  EXPECT_EQ(clocks.virtual_now(), guest(11ms));
}

TEST(VmClocks, StopResumeAfterHostWentBackwardsLosesNoTime) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(10ms);
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  host.set_monotonic(host.now() - 1s);
  clocks.stop();
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  clocks.resume();
  host.advance(1ms);
  EXPECT_EQ(clocks.virtual_now(), guest(11ms));
}

TEST(VmClocks, TscTicksAtItsFrequencyRoundedDown) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = Frequency::mhz(3)});
  EXPECT_EQ(clocks.tsc_frequency(), Frequency::mhz(3));
  host.advance(1us);
  EXPECT_EQ(clocks.tsc(), 3U);
  host.advance(333ns);  // 1333 ns * 3 MHz = 3.999 ticks
  EXPECT_EQ(clocks.tsc(), 3U);
  host.advance(1ns);
  EXPECT_EQ(clocks.tsc(), 4U);
}

TEST(VmClocks, TscIsFrozenWhileStopped) {
  ManualHostClock host;
  VmClocks clocks(host);  // 1 GHz: one tick per ns
  host.advance(100ns);
  clocks.stop();
  host.advance(1s);
  EXPECT_EQ(clocks.tsc(), 100U);
  clocks.resume();
  host.advance(1ns);
  EXPECT_EQ(clocks.tsc(), 101U);
}

TEST(VmClocks, TscFollowsAnInstalledSource) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = Frequency::mhz(10)});
  FakeSource source;
  clocks.set_virtual_source(&source);
  source.now = guest(1ms);
  EXPECT_EQ(clocks.tsc(), 10'000U);
}

TEST(VmClocks, AllClocksStartEnabledAndCanBeDisabled) {
  ManualHostClock host;
  VmClocks clocks(host);
  for (ClockId id : kAllClocks) EXPECT_TRUE(clocks.enabled(id));
  clocks.disable(ClockId::kVirtual);
  EXPECT_FALSE(clocks.enabled(ClockId::kVirtual));
  EXPECT_TRUE(clocks.enabled(ClockId::kRealtime));
  clocks.enable(ClockId::kVirtual);
  EXPECT_TRUE(clocks.enabled(ClockId::kVirtual));
}

TEST(VmClocks, DisabledClockStillReads) {
  ManualHostClock host;
  VmClocks clocks(host);
  clocks.disable(ClockId::kVirtual);
  host.advance(1ms);
  EXPECT_EQ(clocks.virtual_now(), guest(1ms));
}

TEST(VmClocks, EnablingADisabledClockTellsChangeListenersOnce) {
  ManualHostClock host;
  VmClocks clocks(host);
  std::vector<ClockId> told;
  clocks.add_change_listener([&](ClockId id) { told.push_back(id); });
  clocks.enable(ClockId::kHost);  // already enabled: nothing new
  clocks.disable(ClockId::kHost);
  EXPECT_TRUE(told.empty());
  clocks.enable(ClockId::kHost);
  EXPECT_EQ(told, std::vector<ClockId>{ClockId::kHost});
}

TEST(VmClocks, ResumeTellsRunStateThenChangeListenersForGuestClocks) {
  ManualHostClock host;
  VmClocks clocks(host, {.initial_state = RunState::kStopped});
  std::vector<std::string> told;
  clocks.add_run_state_listener([&](RunState s) {
    told.push_back(s == RunState::kRunning ? "running" : "stopped");
    EXPECT_EQ(clocks.run_state(), s);  // listeners run after the change
  });
  clocks.add_change_listener([&](ClockId id) { told.emplace_back(clock_name(id)); });
  clocks.resume();
  clocks.stop();
  EXPECT_EQ(told, (std::vector<std::string>{"running", "virtual", "virtual_rt", "stopped"}));
}

TEST(VmClocks, AListenerMayRegisterAnotherWhileBeingTold) {
  ManualHostClock host;
  VmClocks clocks(host);
  int second = 0;
  clocks.add_change_listener([&](ClockId) {
    clocks.add_change_listener([&](ClockId) { ++second; });
  });
  clocks.disable(ClockId::kVirtual);
  clocks.enable(ClockId::kVirtual);
  EXPECT_EQ(second, 0);  // registered during the notification: told next time
  clocks.disable(ClockId::kVirtual);
  clocks.enable(ClockId::kVirtual);
  EXPECT_EQ(second, 1);
}

TEST(VmClocks, InstalledSourceDrivesVirtualButNotVirtualRt) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(5ms);
  FakeSource source;
  source.now = guest(5ms);
  clocks.set_virtual_source(&source);
  source.now = guest(9ms);
  host.advance(1ms);
  EXPECT_EQ(clocks.virtual_now(), guest(9ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(6ms));
}

TEST(VmClocks, SwitchingSourcesTellsChangeListeners) {
  ManualHostClock host;
  VmClocks clocks(host);
  std::vector<ClockId> told;
  clocks.add_change_listener([&](ClockId id) { told.push_back(id); });
  FakeSource source;
  clocks.set_virtual_source(&source);
  clocks.set_virtual_source(&source);  // same source: no change
  clocks.set_virtual_source(nullptr);
  EXPECT_EQ(told, (std::vector<ClockId>{ClockId::kVirtual, ClockId::kVirtual}));
}

TEST(VmClocks, SourceThatStartsBehindIsClamped) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(5ms);
  EXPECT_EQ(clocks.virtual_now(), guest(5ms));
  FakeSource source;
  source.now = guest(2ms);
  clocks.set_virtual_source(&source);
  EXPECT_EQ(clocks.virtual_now(), guest(5ms));
  source.now = guest(6ms);
  EXPECT_EQ(clocks.virtual_now(), guest(6ms));
  source.now = guest(4ms);  // a source that goes back is clamped too
  EXPECT_EQ(clocks.virtual_now(), guest(6ms));
}

TEST(VmClocks, RemovingTheSourceContinuesFromItsLastValue) {
  ManualHostClock host;
  VmClocks clocks(host);
  FakeSource source;
  clocks.set_virtual_source(&source);
  source.now = guest(40ms);
  host.advance(1ms);
  clocks.set_virtual_source(nullptr);
  EXPECT_EQ(clocks.virtual_now(), guest(40ms));
  host.advance(1ms);
  EXPECT_EQ(clocks.virtual_now(), guest(41ms));
  EXPECT_EQ(clocks.virtual_rt_now(), guest(2ms));
}

TEST(VmClocks, SourceIsIgnoredWhileStopped) {
  ManualHostClock host;
  VmClocks clocks(host);
  FakeSource source;
  source.now = guest(3ms);
  clocks.set_virtual_source(&source);
  EXPECT_EQ(clocks.virtual_now(), guest(3ms));
  clocks.stop();
  source.now = guest(8ms);
  EXPECT_EQ(clocks.virtual_now(), guest(3ms));
  clocks.resume();
  EXPECT_EQ(clocks.virtual_now(), guest(8ms));
}

TEST(VmClocks, RemovingTheSourceWhileStoppedKeepsTheFrozenValue) {
  ManualHostClock host;
  VmClocks clocks(host);
  FakeSource source;
  clocks.set_virtual_source(&source);
  source.now = guest(3ms);
  clocks.stop();
  clocks.set_virtual_source(nullptr);
  host.advance(1s);
  EXPECT_EQ(clocks.virtual_now(), guest(3ms));
  clocks.resume();
  host.advance(1ms);
  EXPECT_EQ(clocks.virtual_now(), guest(4ms));
}

TEST(VmClocks, HostReturnsTheInjectedClock) {
  ManualHostClock host;
  VmClocks clocks(host);
  EXPECT_EQ(&clocks.host(), &host);
}

TEST(VmClocks, TwoMachinesDoNotInterfere) {
  ManualHostClock host;
  VmClocks a(host);
  host.advance(1ms);
  VmClocks b(host);
  a.stop();
  host.advance(1ms);
  EXPECT_EQ(a.virtual_now(), guest(1ms));
  EXPECT_EQ(b.virtual_now(), guest(1ms));
}


// --- Randomised: stop/resume and host misbehaviour never break VIRTUAL --------

uint64_t test_seed() {
  const char* env = std::getenv("VTIME_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 0) : 20261122;
}

TEST(VmClocks, RandomStopResumeAndHostStepsNeverMoveGuestClocksBackOrTooFar) {
  const uint64_t seed = test_seed();
  SCOPED_TRACE("VTIME_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  auto below = [&](uint64_t n) { return rng() % n; };

  auto host = std::make_unique<ManualHostClock>();
  auto clocks = std::make_unique<VmClocks>(*host);
  GuestTime last_v = clocks->virtual_now();
  GuestTime last_rt = clocks->virtual_rt_now();
  Duration running_since_check{0};  // host time that passed while running
  int restores = 0;
  for (int step = 0; step < 10'000; ++step) {
    switch (below(8)) {
      case 0: clocks->stop(); break;
      case 1: clocks->resume(); break;
      case 2:
      case 3: {
        const Duration d(static_cast<int64_t>(below(2'000'000)));
        host->advance(d);
        if (clocks->running()) running_since_check += d;
        break;
      }
      case 4: host->set_monotonic(host->now() - Duration(static_cast<int64_t>(below(3'000'000)))); break;
      case 5: host->step_wall(Duration(static_cast<int64_t>(below(2'000'000'000))) - 1s); break;
      case 6: break;  // read only
      case 7:
        if (below(50) == 0) {  // save, move to a fresh host that reads something else, restore
          const std::vector<uint8_t> blob = encode(clocks->save());
          auto new_host = std::make_unique<ManualHostClock>(ManualHostClock::Options{
              .start = HostTime::from_epoch(Duration(static_cast<int64_t>(below(1'000'000'000'000))))});
          auto restored = std::make_unique<VmClocks>(*new_host, VmClocks::Options{.initial_state = RunState::kStopped});
          const Result<ClockState> state = decode_clock_state(blob);
          ASSERT_TRUE(state.ok()) << state.error();
          ASSERT_TRUE(restored->restore(*state).ok());
          clocks = std::move(restored);
          host = std::move(new_host);
          ++restores;
        }
        break;
    }
    const GuestTime v = clocks->virtual_now();
    const GuestTime rt = clocks->virtual_rt_now();
    ASSERT_GE(v, last_v) << "step " << step;
    ASSERT_GE(rt, last_rt) << "step " << step;
    ASSERT_LE(v - last_v, running_since_check) << "step " << step;
    ASSERT_LE(rt - last_rt, running_since_check) << "step " << step;
    EXPECT_EQ(clocks->tsc(), clocks->tsc_frequency().ticks_in(v.since_epoch(), Round::kDown));
    last_v = v;
    last_rt = rt;
    running_since_check = Duration(0);
  }
  EXPECT_GT(last_v, guest(0ns));
  EXPECT_GT(restores, 0);
}

}  // namespace
}  // namespace vtime
