#include "vtime/timer/timer_group.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_list.h"

namespace vtime {
namespace {

GuestTime guest(Duration d) { return GuestTime::from_epoch(d); }

// VIRTUAL starts at 0 and follows ManualHostClock while the VM runs.
struct GroupFixture {
  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup group{clocks};
  std::vector<std::string> fired;
  GuestTimer::Callback record(std::string name) {
    return [this, name](GuestTime) { fired.push_back(name); };
  }
};

TEST(TimerGroup, RunDueFiresWhatTheClockHasReached) {
  GroupFixture f;
  GuestTimer a(f.group, ClockId::kVirtual, f.record("a"));
  GuestTimer b(f.group, ClockId::kVirtual, f.record("b"));
  a.arm(guest(10us));
  b.arm(guest(20us));
  EXPECT_EQ(f.group.run_due(ClockId::kVirtual), 0u);
  f.host.advance(15us);
  EXPECT_EQ(f.group.run_due(ClockId::kVirtual), 1u);
  f.host.advance(5us);
  EXPECT_EQ(f.group.run_all_due(), 1u);
  EXPECT_EQ(f.fired, (std::vector<std::string>{"a", "b"}));
}

TEST(TimerGroup, ArmInIsRelativeToTheTimersOwnClock) {
  GroupFixture f;
  f.host.advance(3ms);
  GuestTimer v(f.group, ClockId::kVirtual, f.record("v"));
  HostTimer r(f.group, ClockId::kRealtime, [](HostTime) {});
  v.arm_in(1ms);
  r.arm_in(1ms);
  EXPECT_EQ(v.expire_time(), guest(4ms));
  EXPECT_EQ(r.expire_time(), f.host.now() + 1ms);
}

TEST(TimerGroup, NextDeadlineIsAbsoluteAndDeadlineInIsRelative) {
  GroupFixture f;
  EXPECT_EQ(f.group.next_deadline(ClockId::kVirtual), kNoDeadline);
  EXPECT_EQ(f.group.next_virtual_deadline(), GuestTime::never());
  EXPECT_EQ(f.group.deadline_in(ClockId::kVirtual), kNoDeadline);
  GuestTimer a(f.group, ClockId::kVirtual, f.record("a"));
  a.arm(guest(10us));
  f.host.advance(4us);
  EXPECT_EQ(f.group.next_deadline(ClockId::kVirtual), 10us);
  EXPECT_EQ(f.group.next_virtual_deadline(), guest(10us));
  EXPECT_EQ(f.group.deadline_in(ClockId::kVirtual), 6us);
  f.host.advance(10us);
  EXPECT_EQ(f.group.deadline_in(ClockId::kVirtual), 0ns);  // overdue clamps to zero
}

TEST(TimerGroup, DeadlineInAnyIsTheSoonestAcrossClocks) {
  GroupFixture f;
  GuestTimer v(f.group, ClockId::kVirtual, f.record("v"));
  HostTimer r(f.group, ClockId::kRealtime, [](HostTime) {});
  v.arm_in(8us);
  r.arm_in(3us);
  EXPECT_EQ(f.group.deadline_in_any({ClockId::kVirtual, ClockId::kRealtime}), 3us);
  EXPECT_EQ(f.group.deadline_in_any({ClockId::kVirtual, ClockId::kHost}), 8us);
  EXPECT_EQ(f.group.deadline_in_any({ClockId::kHost}), kNoDeadline);
}

TEST(TimerGroup, DeadlinesHonourTheAttributeMask) {
  GroupFixture f;
  GuestTimer ext(f.group, ClockId::kVirtual, f.record("ext"),
                 {.attributes = TimerAttribute::kExternal});
  GuestTimer core(f.group, ClockId::kVirtual, f.record("core"));
  ext.arm(guest(5us));
  core.arm(guest(9us));
  const auto not_external = AttributeMask::all_except(TimerAttribute::kExternal);
  EXPECT_EQ(f.group.next_virtual_deadline(), guest(5us));
  EXPECT_EQ(f.group.next_virtual_deadline(not_external), guest(9us));
  EXPECT_EQ(f.group.deadline_in(ClockId::kVirtual, not_external), 9us);
}

TEST(TimerGroup, DisabledClockFiresNothingAndOffersNoDeadline) {
  GroupFixture f;
  GuestTimer a(f.group, ClockId::kVirtual, f.record("a"));
  a.arm(guest(1us));
  f.host.advance(5us);
  f.clocks.disable(ClockId::kVirtual);
  EXPECT_EQ(f.group.deadline_in(ClockId::kVirtual), kNoDeadline);
  EXPECT_EQ(f.group.next_deadline(ClockId::kVirtual), 1us);  // ignores enablement
  EXPECT_EQ(f.group.run_due(ClockId::kVirtual), 0u);
  EXPECT_EQ(f.group.run_all_due(), 0u);
  EXPECT_TRUE(a.pending());
  f.clocks.enable(ClockId::kVirtual);
  EXPECT_EQ(f.group.run_due(ClockId::kVirtual), 1u);
}

TEST(TimerGroup, StoppedVmHoldsVirtualTimersButNotRealtimeOnes) {
  GroupFixture f;
  GuestTimer v(f.group, ClockId::kVirtual, f.record("v"));
  HostTimer r(f.group, ClockId::kRealtime, [&](HostTime) { f.fired.push_back("r"); });
  v.arm_in(1ms);
  r.arm_in(1ms);
  f.clocks.stop();
  f.host.advance(5ms);
  EXPECT_EQ(f.group.run_all_due(), 1u);
  EXPECT_EQ(f.fired, (std::vector<std::string>{"r"}));
  f.clocks.resume();
  f.host.advance(1ms);
  EXPECT_EQ(f.group.run_all_due(), 1u);
}

TEST(TimerGroup, SubscribersHearEarlierDeadlinesAndClockChanges) {
  GroupFixture f;
  std::vector<ClockId> heard;
  const auto subscription = f.group.subscribe([&](ClockId id) { heard.push_back(id); });
  GuestTimer v(f.group, ClockId::kVirtual, f.record("v"));
  v.arm(guest(5us));
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0], ClockId::kVirtual);
  f.clocks.disable(ClockId::kVirtual);
  heard.clear();
  f.clocks.enable(ClockId::kVirtual);  // its deadlines count again
  EXPECT_EQ(heard, std::vector<ClockId>{ClockId::kVirtual});
}

TEST(TimerGroup, SubscribersHearAResume) {
  GroupFixture f;
  std::vector<ClockId> heard;
  f.clocks.stop();
  const auto subscription = f.group.subscribe([&](ClockId id) { heard.push_back(id); });
  f.clocks.resume();  // VIRTUAL moves again: its deadlines need a fresh look
  EXPECT_NE(std::find(heard.begin(), heard.end(), ClockId::kVirtual), heard.end());
}

TEST(TimerGroup, EverySubscriberHearsInSubscriptionOrderUntilItsSubscriptionEnds) {
  GroupFixture f;
  std::vector<std::string> heard;
  auto first = f.group.subscribe([&](ClockId) { heard.push_back("first"); });
  TimerGroup::Subscription second = f.group.subscribe([&](ClockId) { heard.push_back("second"); });
  GuestTimer v(f.group, ClockId::kVirtual, f.record("v"));
  v.arm(guest(5us));
  EXPECT_EQ(heard, (std::vector<std::string>{"first", "second"}));
  heard.clear();
  TimerGroup::Subscription moved = std::move(first);  // the place in line moves with it
  EXPECT_FALSE(first.active());
  v.arm(guest(4us));
  EXPECT_EQ(heard, (std::vector<std::string>{"first", "second"}));
  heard.clear();
  moved.reset();
  v.arm(guest(3us));
  EXPECT_EQ(heard, std::vector<std::string>{"second"});
  heard.clear();
  second = TimerGroup::Subscription();  // assigning ends the old one too
  v.arm(guest(2us));
  EXPECT_TRUE(heard.empty());
}

TEST(TimerGroup, ClockChangesAfterTheGroupIsGoneReachNoSubscriber) {
  ManualHostClock host;
  VmClocks clocks(host);
  int heard = 0;
  {
    TimerGroup group(clocks);
    const auto subscription = group.subscribe([&](ClockId) { ++heard; });
  }
  clocks.disable(ClockId::kVirtual);
  clocks.enable(ClockId::kVirtual);
  EXPECT_EQ(heard, 0);
}

TEST(TimerGroup, ListsAreOnePerClock) {
  GroupFixture f;
  for (ClockId id : kAllClocks) EXPECT_EQ(f.group.list(id).clock(), id);
  EXPECT_EQ(&f.group.clocks(), &f.clocks);
}

}  // namespace
}  // namespace vtime
