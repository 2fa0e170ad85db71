#include "vtime/timer/timer_list.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vtime/timer/timer.h"

namespace vtime {
namespace {

using std::chrono::nanoseconds;

GuestTime at(Duration d) { return GuestTime::from_epoch(d); }

// A stand-alone list (no VmClocks): "now" is passed to run_due() by hand.
struct ListFixture {
  struct Fire {
    std::string name;
    GuestTime due;
    bool operator==(const Fire&) const = default;
  };
  GuestTimer::Callback record(std::string name) {
    return [this, name](GuestTime due) { fired.push_back({name, due}); };
  }
  TimerList list{ClockId::kVirtual};
  std::vector<Fire> fired;
};

TEST(TimerList, FiresInDeadlineOrderWithTheArmedDeadline) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b")), c(f.list, f.record("c"));
  a.arm(at(30ns));
  b.arm(at(10ns));
  c.arm(at(20ns));
  EXPECT_EQ(f.list.run_due(100ns), 3u);
  EXPECT_EQ(f.fired, (std::vector<ListFixture::Fire>{
                         {"b", at(10ns)}, {"c", at(20ns)}, {"a", at(30ns)}}));
}

TEST(TimerList, EqualDeadlinesFireInArmOrder) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b")), c(f.list, f.record("c"));
  b.arm(at(5ns));
  c.arm(at(5ns));
  a.arm(at(5ns));
  f.list.run_due(5ns);
  ASSERT_EQ(f.fired.size(), 3u);
  EXPECT_EQ(f.fired[0].name, "b");
  EXPECT_EQ(f.fired[1].name, "c");
  EXPECT_EQ(f.fired[2].name, "a");
}

TEST(TimerList, ReArmingToAnEqualDeadlineGoesBehindTheOthers) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"));
  a.arm(at(5ns));
  b.arm(at(5ns));
  a.arm(at(5ns));  // a new arm takes a new place in line
  f.list.run_due(5ns);
  ASSERT_EQ(f.fired.size(), 2u);
  EXPECT_EQ(f.fired[0].name, "b");
  EXPECT_EQ(f.fired[1].name, "a");
}

TEST(TimerList, OnlyTimersDueAtOrBeforeNowFire) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"));
  a.arm(at(10ns));
  b.arm(at(11ns));
  EXPECT_EQ(f.list.run_due(9ns), 0u);
  EXPECT_EQ(f.list.run_due(10ns), 1u);
  EXPECT_FALSE(a.pending());
  EXPECT_TRUE(b.pending());
  EXPECT_EQ(f.list.next_deadline(), 11ns);
}

TEST(TimerList, DeadlinesInThePastFireAtTheNextRun) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a"));
  a.arm(at(-5ns));
  EXPECT_EQ(f.list.run_due(0ns), 1u);
  EXPECT_EQ(f.fired[0].due, at(-5ns));
}

TEST(TimerList, ReArmReplacesTheDeadline) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a"));
  a.arm(at(10ns));
  a.arm(at(50ns));
  EXPECT_EQ(f.list.run_due(10ns), 0u);
  EXPECT_EQ(f.list.next_deadline(), 50ns);
  EXPECT_EQ(f.list.pending_count(), 1u);
}

TEST(TimerList, CancelledTimerDoesNotFireAndCancelIsIdempotent) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a"));
  a.cancel();  // idle: nothing happens
  a.arm(at(10ns));
  a.cancel();
  a.cancel();
  EXPECT_FALSE(a.pending());
  EXPECT_EQ(f.list.run_due(100ns), 0u);
  EXPECT_EQ(f.list.next_deadline(), Duration::max());
}

TEST(TimerList, ArmingForNeverCancels) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a"));
  a.arm(at(10ns));
  a.arm(GuestTime::never());
  EXPECT_FALSE(a.pending());
  EXPECT_EQ(f.list.pending_count(), 0u);
}

TEST(TimerList, NextDeadlineIsTheEarliestPendingOrMaxWhenEmpty) {
  ListFixture f;
  EXPECT_EQ(f.list.next_deadline(), Duration::max());
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"));
  a.arm(at(40ns));
  b.arm(at(30ns));
  EXPECT_EQ(f.list.next_deadline(), 30ns);
  b.cancel();
  EXPECT_EQ(f.list.next_deadline(), 40ns);
}

TEST(TimerList, NextDeadlineHonoursTheAttributeMask) {
  ListFixture f;
  const TimerOptions external{.attributes = TimerAttribute::kExternal};
  GuestTimer plain(f.list, f.record("plain"));
  GuestTimer ext(f.list, f.record("ext"), external);
  ext.arm(at(10ns));
  plain.arm(at(20ns));
  EXPECT_EQ(f.list.next_deadline(), 10ns);
  EXPECT_EQ(f.list.next_deadline(AttributeMask::all_except(TimerAttribute::kExternal)), 20ns);
  EXPECT_EQ(f.list.next_deadline(AttributeMask::none()), 20ns);
  EXPECT_EQ(f.list.next_deadline(TimerAttribute::kExternal), 10ns);
  plain.cancel();
  EXPECT_EQ(f.list.next_deadline(AttributeMask::none()), Duration::max());
}

TEST(TimerList, TimersOfDifferentAttributesFireInOneDeadlineOrder) {
  ListFixture f;
  const TimerOptions external{.attributes = TimerAttribute::kExternal};
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"), external);
  GuestTimer c(f.list, f.record("c"));
  b.arm(at(5ns));
  a.arm(at(5ns));
  c.arm(at(1ns));
  f.list.run_due(5ns);
  ASSERT_EQ(f.fired.size(), 3u);
  EXPECT_EQ(f.fired[0].name, "c");
  EXPECT_EQ(f.fired[1].name, "b");
  EXPECT_EQ(f.fired[2].name, "a");
}

TEST(TimerList, DestroyingAPendingTimerCancelsIt) {
  ListFixture f;
  {
    GuestTimer a(f.list, f.record("a"));
    a.arm(at(10ns));
    EXPECT_EQ(f.list.pending_count(), 1u);
  }
  EXPECT_EQ(f.list.pending_count(), 0u);
  EXPECT_EQ(f.list.next_deadline(), Duration::max());
  EXPECT_EQ(f.list.run_due(100ns), 0u);
}

// --- Re-entrancy: what a callback may do during run_due() -------------------

TEST(TimerList, PeriodicTimerReArmedFromItsCallbackCatchesUpOnePeriodPerPass) {
  ListFixture f;
  int fires = 0;
  std::optional<GuestTimer> tick;
  tick.emplace(f.list, [&](GuestTime due) {
    ++fires;
    tick->arm(due + 10ns);  // step from the intended time, not from "now"
  });
  tick->arm(at(10ns));
  // 20 and 30 are already due when armed, so each waits for the next pass.
  EXPECT_EQ(f.list.run_due(35ns), 1u);
  EXPECT_EQ(f.list.run_due(35ns), 1u);
  EXPECT_EQ(f.list.run_due(35ns), 1u);
  EXPECT_EQ(f.list.run_due(35ns), 0u);
  EXPECT_EQ(fires, 3);
  EXPECT_EQ(tick->expire_time(), at(40ns));
}

TEST(TimerList, ReArmingForNowFiresInTheNextPassNotThisOne) {
  ListFixture f;
  int fires = 0;
  std::optional<GuestTimer> spin;
  spin.emplace(f.list, [&](GuestTime) {
    ++fires;
    spin->arm(at(7ns));  // "now" on a frozen clock: QEMU would livelock here
  });
  spin->arm(at(7ns));
  EXPECT_EQ(f.list.run_due(7ns), 1u);
  EXPECT_TRUE(spin->pending());
  EXPECT_EQ(f.list.next_deadline(), 7ns);
  EXPECT_EQ(f.list.run_due(7ns), 1u);
  EXPECT_EQ(fires, 2);
}

TEST(TimerList, TimerArmedDuringAPassForAnEarlierDueWaitsForTheNextPass) {
  ListFixture f;
  GuestTimer late(f.list, f.record("late"));
  GuestTimer early(f.list, f.record("early"));
  GuestTimer first(f.list, [&](GuestTime) {
    f.fired.push_back({"first", at(1ns)});
    early.arm(at(2ns));  // earlier than "late" but armed mid-pass
  });
  first.arm(at(1ns));
  late.arm(at(5ns));
  EXPECT_EQ(f.list.run_due(10ns), 2u);
  ASSERT_EQ(f.fired.size(), 2u);
  EXPECT_EQ(f.fired[1].name, "late");
  EXPECT_EQ(f.list.next_deadline(), 2ns);
  EXPECT_EQ(f.list.run_due(10ns), 1u);
  EXPECT_EQ(f.fired[2].name, "early");
}

TEST(TimerList, TimerArmedDuringAPassCountsInNextDeadlineAtOnce) {
  ListFixture f;
  GuestTimer other(f.list, f.record("other"));
  Duration seen{0};
  GuestTimer a(f.list, [&](GuestTime) {
    other.arm(at(3ns));
    seen = f.list.next_deadline();
  });
  a.arm(at(5ns));
  f.list.run_due(5ns);
  EXPECT_EQ(seen, 3ns);
}

TEST(TimerList, CallbackCanCancelATimerThatWasAlsoDue) {
  ListFixture f;
  GuestTimer victim(f.list, f.record("victim"));
  GuestTimer killer(f.list, [&](GuestTime) { victim.cancel(); });
  killer.arm(at(1ns));
  victim.arm(at(2ns));
  EXPECT_EQ(f.list.run_due(10ns), 1u);
  EXPECT_TRUE(f.fired.empty());
}

TEST(TimerList, CallbackCanDestroyAnotherDueTimer) {
  ListFixture f;
  auto victim = std::make_unique<GuestTimer>(f.list, f.record("victim"));
  GuestTimer killer(f.list, [&](GuestTime) { victim.reset(); });
  GuestTimer after(f.list, f.record("after"));
  killer.arm(at(1ns));
  victim->arm(at(2ns));
  after.arm(at(3ns));
  EXPECT_EQ(f.list.run_due(10ns), 2u);
  ASSERT_EQ(f.fired.size(), 1u);
  EXPECT_EQ(f.fired[0].name, "after");
}

TEST(TimerList, CallbackCanArmATimerForLaterWhichDoesNotFireThisPass) {
  ListFixture f;
  GuestTimer later(f.list, f.record("later"));
  GuestTimer a(f.list, [&](GuestTime) { later.arm(at(20ns)); });
  a.arm(at(1ns));
  EXPECT_EQ(f.list.run_due(10ns), 1u);
  EXPECT_TRUE(f.fired.empty());
  EXPECT_EQ(f.list.run_due(20ns), 1u);
}

TEST(TimerList, TimerArmedThenCancelledDuringAPassDoesNotFire) {
  ListFixture f;
  GuestTimer other(f.list, f.record("other"));
  GuestTimer a(f.list, [&](GuestTime) {
    other.arm(at(1ns));
    other.cancel();
  });
  a.arm(at(1ns));
  f.list.run_due(10ns);
  EXPECT_EQ(f.list.run_due(10ns), 0u);
  EXPECT_TRUE(f.fired.empty());
}

// --- Notify hook -------------------------------------------------------------

TEST(TimerList, NotifyHookFiresOnlyWhenTheEarliestDeadlineMovesEarlier) {
  ListFixture f;
  int notified = 0;
  f.list.set_notify_hook([&](ClockId id) {
    EXPECT_EQ(id, ClockId::kVirtual);
    ++notified;
  });
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"));
  a.arm(at(50ns));  // empty -> 50: earlier
  EXPECT_EQ(notified, 1);
  b.arm(at(60ns));  // behind the head
  EXPECT_EQ(notified, 1);
  b.arm(at(50ns));  // equal to the head: the loop already wakes then
  EXPECT_EQ(notified, 1);
  b.arm(at(40ns));
  EXPECT_EQ(notified, 2);
  b.cancel();  // moves later: no wake-up needed
  a.arm(at(70ns));
  EXPECT_EQ(notified, 2);
}

TEST(TimerList, NotifyHookRunsOutsideTheListLock) {
  ListFixture f;
  Duration seen{0};
  f.list.set_notify_hook([&](ClockId) { seen = f.list.next_deadline(); });
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"));
  // The hook re-enters the list (arm takes the lock): would deadlock inside it.
  f.list.set_notify_hook([&](ClockId) {
    seen = f.list.next_deadline();
    b.cancel();
  });
  a.arm(at(5ns));
  EXPECT_EQ(seen, 5ns);
}

// --- Arming variants -----------------------------------------------------

TEST(TimerList, ArmEarlierOnlyArmsAnIdleTimerAndNeverMovesADeadlineLater) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a"));
  EXPECT_TRUE(a.arm_earlier_only(at(50ns)));
  EXPECT_EQ(a.expire_time(), at(50ns));
  EXPECT_FALSE(a.arm_earlier_only(at(60ns)));
  EXPECT_FALSE(a.arm_earlier_only(at(50ns)));
  EXPECT_EQ(a.expire_time(), at(50ns));
  EXPECT_TRUE(a.arm_earlier_only(at(20ns)));
  EXPECT_EQ(a.expire_time(), at(20ns));
  EXPECT_FALSE(a.arm_earlier_only(GuestTime::never()));
  EXPECT_TRUE(a.pending());
}

TEST(TimerList, ArmEarlierOnlyKeepsThePlaceInLineWhenNothingChanges) {
  ListFixture f;
  GuestTimer a(f.list, f.record("a")), b(f.list, f.record("b"));
  a.arm(at(5ns));
  b.arm(at(5ns));
  EXPECT_FALSE(a.arm_earlier_only(at(5ns)));
  f.list.run_due(5ns);
  EXPECT_EQ(f.fired[0].name, "a");
}

}  // namespace
}  // namespace vtime
