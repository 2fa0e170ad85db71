// TimerList's lazy deletion: re-arms and cancels leave stale entries behind,
// which must never fire, never show in next_deadline(), never outlive their
// timer's slot, and must be compacted away so memory stays bounded.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "vtime/timer/timer.h"
#include "vtime/timer/timer_heap.h"
#include "vtime/timer/timer_list.h"

namespace vtime {
namespace {

using std::chrono::nanoseconds;

GuestTime at(int64_t ns) { return GuestTime::from_epoch(Duration(ns)); }

TEST(TimerListLazy, ReArmedManyTimesFiresOnceAtTheLastDeadline) {
  TimerList list{ClockId::kVirtual};
  std::vector<GuestTime> fired;
  GuestTimer t(list, [&](GuestTime due) { fired.push_back(due); });
  for (int64_t i = 0; i < 10'000; ++i) t.arm(at(1'000 + (i * 7919) % 5'000));
  const GuestTime last = t.expire_time();
  list.run_due(Duration(1'000'000));
  EXPECT_EQ(fired, std::vector<GuestTime>{last});
  EXPECT_EQ(list.next_deadline(), Duration::max());
}

TEST(TimerListLazy, CancellingTheFirstTimerExposesTheNextLiveDeadline) {
  TimerList list{ClockId::kVirtual};
  GuestTimer a(list, [](GuestTime) {}), b(list, [](GuestTime) {}), c(list, [](GuestTime) {});
  a.arm(at(10));
  b.arm(at(20));
  c.arm(at(30));
  b.arm(at(40));  // b's entry at 20 is now stale, lying right under the top
  a.cancel();     // the top goes stale: the next live one is c at 30, not b's old 20
  EXPECT_EQ(list.next_deadline(), Duration(30));
  c.cancel();
  EXPECT_EQ(list.next_deadline(), Duration(40));
}

TEST(TimerListLazy, ArmThenCancelLeavesNoEntryBehind) {
  TimerList list{ClockId::kVirtual};
  GuestTimer keep(list, [](GuestTime) {}), extra(list, [](GuestTime) {});
  keep.arm(at(5));
  for (int i = 0; i < 1'000; ++i) {
    extra.arm(at(100 + i));
    extra.cancel();
  }
  EXPECT_EQ(list.stored_entries(), 1u);
}

TEST(TimerListLazy, StaleEntriesAreCompactedSoMemoryStaysBounded) {
  TimerList list{ClockId::kVirtual};
  constexpr size_t kTimers = 1'000;
  std::deque<GuestTimer> timers;
  for (size_t i = 0; i < kTimers; ++i) timers.emplace_back(list, [](GuestTime) {});
  std::mt19937_64 rng(11);
  for (int round = 0; round < 100; ++round) {
    for (GuestTimer& t : timers) t.arm(at(static_cast<int64_t>(rng() % 1'000'000)));
    ASSERT_LE(list.stored_entries(), 2 * kTimers + TimerList::kCompactMinStale + 1);
  }
  EXPECT_EQ(list.pending_count(), kTimers);
}

TEST(TimerListLazy, CompactionKeepsDeadlineThenArmOrder) {
  TimerList list{ClockId::kVirtual};
  std::vector<int> order;
  std::deque<GuestTimer> timers;
  constexpr int kTimers = 3'000;
  for (int i = 0; i < kTimers; ++i) {
    timers.emplace_back(list, [&order, i](GuestTime) { order.push_back(i); });
  }
  // Three rounds of re-arms make ~6,000 stale entries: at least one compaction.
  // The last round arms everyone for one of three deadlines, in reverse index
  // order, so ties must come out in that arm order.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kTimers; ++i) timers[static_cast<size_t>(i)].arm(at(50 + i));
  }
  for (int i = kTimers - 1; i >= 0; --i) timers[static_cast<size_t>(i)].arm(at(10 * (1 + i % 3)));
  ASSERT_LT(list.stored_entries(), 3u * kTimers);  // compacted at least once
  EXPECT_EQ(list.run_due(Duration(100)), static_cast<size_t>(kTimers));
  std::vector<int> expected;
  for (int r = 0; r < 3; ++r) {
    for (int i = kTimers - 1; i >= 0; --i) {
      if (i % 3 == r) expected.push_back(i);
    }
  }
  EXPECT_EQ(order, expected);
}

TEST(TimerListLazy, ANewTimerInAFreedSlotNeverMatchesItsPredecessorsStaleEntries) {
  TimerList list{ClockId::kVirtual};
  std::vector<int> fired;
  GuestTimer other(list, [&](GuestTime) { fired.push_back(0); });
  other.arm(at(1));
  auto old = std::make_unique<GuestTimer>(list, [&](GuestTime) { fired.push_back(1); });
  for (int i = 0; i < 50; ++i) old->arm(at(10 + i));  // stale entries at 10..58
  old.reset();
  GuestTimer fresh(list, [&](GuestTime) { fired.push_back(2); });  // takes the freed slot
  fresh.arm(at(100));
  EXPECT_EQ(list.run_due(Duration(99)), 1u);  // only `other`; nothing of the old timer
  EXPECT_EQ(list.next_deadline(), Duration(100));
  EXPECT_EQ(list.run_due(Duration(100)), 1u);
  EXPECT_EQ(fired, (std::vector<int>{0, 2}));
}

TEST(TimerListLazy, RandomReArmsAndCancelsMatchAnExactModel) {
  TimerList list{ClockId::kVirtual};
  constexpr size_t kTimers = 300;
  std::vector<int64_t> model(kTimers, -1);  // armed deadline, -1 when idle
  std::vector<int64_t> fired_at(kTimers, -1);
  std::deque<GuestTimer> timers;
  for (size_t i = 0; i < kTimers; ++i) {
    timers.emplace_back(list, [&fired_at, i](GuestTime due) {
      fired_at[i] = due.since_epoch().count();
    });
  }
  std::mt19937_64 rng(5);
  int64_t now = 0;
  for (int step = 0; step < 100'000; ++step) {
    const size_t i = rng() % kTimers;
    if (rng() % 8 == 0) {
      timers[i].cancel();
      model[i] = -1;
    } else if (rng() % 64 == 0) {
      now += 500;
      list.run_due(Duration(now));
      for (size_t k = 0; k < kTimers; ++k) {
        if (model[k] >= 0 && model[k] <= now) {
          ASSERT_EQ(fired_at[k], model[k]) << "timer " << k;
          model[k] = -1;
        } else {
          ASSERT_EQ(fired_at[k], -1) << "timer " << k << " fired though not due";
        }
        fired_at[k] = -1;
      }
    } else {
      model[i] = now + static_cast<int64_t>(rng() % 100'000);
      timers[i].arm(at(model[i]));
    }
    int64_t first = INT64_MAX;
    for (int64_t m : model) {
      if (m >= 0 && m < first) first = m;
    }
    ASSERT_EQ(list.next_deadline(), Duration(first)) << "step " << step;
  }
}

// The compaction primitive on its own.
TEST(TimerListLazy, HeapRetainDropsEntriesAndKeepsOrder) {
  TimerHeap heap;
  std::mt19937_64 rng(9);
  for (uint32_t s = 0; s < 1'000; ++s) heap.push({Duration(static_cast<int64_t>(rng() % 300)), s, s});
  EXPECT_EQ(heap.retain([](const TimerEntry& e) { return e.slot % 3 != 0; }), 334u);
  TimerEntry last{Duration::min(), 0, 0};
  while (!heap.empty()) {
    const TimerEntry e = heap.pop();
    EXPECT_NE(e.slot % 3, 0u);
    EXPECT_TRUE(fires_before(last, e));
    last = e;
  }
}

}  // namespace
}  // namespace vtime
