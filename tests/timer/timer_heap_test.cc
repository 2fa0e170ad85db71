#include "vtime/timer/timer_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

#include "vtime/timer/timer.h"
#include "vtime/timer/timer_list.h"

namespace vtime {
namespace {

// The heap only needs timers as index holders; they stay idle on their list.
struct HeapFixture {
  explicit HeapFixture(size_t n) {
    for (size_t i = 0; i < n; ++i) timers.emplace_back(list, [](GuestTime) {});
  }
  TimerList list{ClockId::kVirtual};
  std::deque<GuestTimer> timers;
};

size_t index_of_timer(const TimerHeap& heap, const TimerBase* timer) {
  for (size_t i = 0; i < heap.size(); ++i) {
    if (heap.at(i).timer == timer) return i;
  }
  ADD_FAILURE() << "timer not in heap";
  return 0;
}

TEST(TimerHeap, PopsInDeadlineThenSequenceOrder) {
  HeapFixture f(6);
  TimerHeap heap;
  const int64_t dues[] = {30, 10, 20, 10, 30, 5};
  for (size_t i = 0; i < 6; ++i) heap.push({Duration(dues[i]), i, &f.timers[i]});
  std::vector<uint64_t> order;
  while (!heap.empty()) order.push_back(heap.pop().seq);
  EXPECT_EQ(order, (std::vector<uint64_t>{5, 1, 3, 2, 0, 4}));
}

TEST(TimerHeap, RandomPushRemovePopMatchesASortedVector) {
  constexpr size_t kTimers = 500;
  HeapFixture f(kTimers);
  TimerHeap heap;
  std::vector<TimerEntry> model;
  std::mt19937_64 rng(7);
  uint64_t seq = 0;
  std::vector<bool> in_heap(kTimers, false);
  for (int step = 0; step < 20'000; ++step) {
    const size_t t = rng() % kTimers;
    if (!in_heap[t]) {
      const TimerEntry e{Duration(static_cast<int64_t>(rng() % 1000)), seq++, &f.timers[t]};
      heap.push(e);
      model.push_back(e);
      in_heap[t] = true;
    } else if (rng() % 3 != 0) {
      heap.remove(index_of_timer(heap, &f.timers[t]));
      std::erase_if(model, [&](const TimerEntry& e) { return e.timer == &f.timers[t]; });
      in_heap[t] = false;
    } else {
      const auto first = std::min_element(model.begin(), model.end(), fires_before);
      const TimerEntry popped = heap.pop();
      ASSERT_EQ(popped.seq, first->seq);
      for (size_t i = 0; i < kTimers; ++i) {
        if (&f.timers[i] == popped.timer) in_heap[i] = false;
      }
      model.erase(first);
    }
    ASSERT_EQ(heap.size(), model.size());
  }
}

}  // namespace
}  // namespace vtime
