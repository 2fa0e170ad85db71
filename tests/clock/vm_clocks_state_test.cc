#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "tests/clock/fake_source.h"
#include "tests/clock/test_printers.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

TEST(VmClocks, SaveCapturesGuestClocksTscRunStateAndEnableFlags) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = Frequency::mhz(10)});
  host.advance(2ms);
  clocks.disable(ClockId::kHost);
  const ClockState s = clocks.save();
  EXPECT_EQ(s.virtual_time, guest(2ms));
  EXPECT_EQ(s.virtual_rt, guest(2ms));
  EXPECT_EQ(s.tsc, 20'000U);
  EXPECT_EQ(s.tsc_frequency, Frequency::mhz(10));
  EXPECT_EQ(s.run_state, RunState::kRunning);
  EXPECT_EQ(s.enabled, (std::array<bool, kClockCount>{true, true, false, true}));
  EXPECT_EQ(check_consistent(s), "");
}

TEST(VmClocks, RestoreOnAHostThatReadsSomethingElseContinuesExactly) {
  ManualHostClock old_host;
  VmClocks saved(old_host);
  old_host.advance(123ms);
  FakeSource icount;  // VIRTUAL and VIRTUAL_RT differ in the saved VM
  icount.now = guest(500ms);
  saved.set_virtual_source(&icount);
  saved.stop();
  const std::vector<uint8_t> blob = encode(saved.save());

  ManualHostClock new_host({.start = HostTime::from_epoch(5s), .wall_start = WallTime::from_epoch(9s)});
  VmClocks restored(new_host);
  new_host.advance(77s);
  const Result<ClockState> state = decode_clock_state(blob);
  ASSERT_TRUE(state.ok()) << state.error();
  ASSERT_TRUE(restored.restore(*state).ok());
  EXPECT_EQ(restored.virtual_now(), guest(500ms));
  EXPECT_EQ(restored.virtual_rt_now(), guest(123ms));
  EXPECT_EQ(restored.tsc(), 500'000'000U);
  EXPECT_FALSE(restored.running());
  new_host.advance(1s);
  EXPECT_EQ(restored.virtual_now(), guest(500ms));
  restored.resume();
  new_host.advance(1ms);
  EXPECT_EQ(restored.virtual_now(), guest(501ms));
  EXPECT_EQ(restored.virtual_rt_now(), guest(124ms));
}

TEST(VmClocks, RestoringARunningStateLeavesTheClocksRunning) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(4ms);
  const ClockState s = clocks.save();
  ManualHostClock other({.start = HostTime::from_epoch(1ns)});
  VmClocks target(other, {.initial_state = RunState::kStopped});
  ASSERT_TRUE(target.restore(s).ok());
  EXPECT_TRUE(target.running());
  EXPECT_EQ(target.virtual_now(), guest(4ms));
  other.advance(1ms);
  EXPECT_EQ(target.virtual_now(), guest(5ms));
}

TEST(VmClocks, RestoringAnEarlierSnapshotMovesVirtualBackToIt) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(10ms);
  const ClockState early = clocks.save();
  host.advance(40ms);
  EXPECT_EQ(clocks.virtual_now(), guest(50ms));
  ASSERT_TRUE(clocks.restore(early).ok());
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
  host.set_monotonic(host.now() - 1s);  // and the clamp still holds afterwards
  EXPECT_EQ(clocks.virtual_now(), guest(10ms));
}

TEST(VmClocks, RestoreSetsEnableFlags) {
  ManualHostClock host;
  VmClocks clocks(host);
  ClockState s = clocks.save();
  s.enabled = {false, false, true, true};
  ASSERT_TRUE(clocks.restore(s).ok());
  EXPECT_FALSE(clocks.enabled(ClockId::kRealtime));
  EXPECT_FALSE(clocks.enabled(ClockId::kVirtual));
  EXPECT_TRUE(clocks.enabled(ClockId::kHost));
}

TEST(VmClocks, RestoreTellsEveryChangeListenerAndRunStateOnlyIfItChanged) {
  ManualHostClock host;
  VmClocks clocks(host);
  std::vector<ClockId> changed;
  std::vector<RunState> states;
  clocks.add_change_listener([&](ClockId id) { changed.push_back(id); });
  clocks.add_run_state_listener([&](RunState s) { states.push_back(s); });
  ClockState s = clocks.save();
  ASSERT_TRUE(clocks.restore(s).ok());
  EXPECT_EQ(changed, std::vector<ClockId>(kAllClocks.begin(), kAllClocks.end()));
  EXPECT_TRUE(states.empty());
  s.run_state = RunState::kStopped;
  ASSERT_TRUE(clocks.restore(s).ok());
  EXPECT_EQ(states, std::vector<RunState>{RunState::kStopped});
}

TEST(VmClocks, RestoreRejectsADifferentTscFrequencyAndChangesNothing) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = Frequency::mhz(10)});
  host.advance(3ms);
  ClockState s = clocks.save();
  s.tsc_frequency = Frequency::ghz(1);
  s.virtual_time = guest(9ms);
  s.tsc = 9'000'000;
  const Status status = clocks.restore(s);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(), "the saved guest TSC runs at 1000000000 Hz but this machine's runs at 10000000 Hz.");
  EXPECT_EQ(clocks.virtual_now(), guest(3ms));
}

TEST(VmClocks, RestoreRejectsInconsistentFields) {
  ManualHostClock host;
  VmClocks clocks(host);
  ClockState s = clocks.save();
  s.tsc += 5;
  EXPECT_FALSE(clocks.restore(s).ok());
  s = clocks.save();
  s.virtual_rt = guest(-1ns);
  EXPECT_FALSE(clocks.restore(s).ok());
}

}  // namespace
}  // namespace vtime
