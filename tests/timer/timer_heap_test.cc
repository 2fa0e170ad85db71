#include "vtime/timer/timer_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace vtime {
namespace {

TEST(TimerHeap, PopsInDeadlineThenSequenceOrder) {
  TimerHeap heap;
  const int64_t dues[] = {30, 10, 20, 10, 30, 5};
  for (uint32_t i = 0; i < 6; ++i) heap.push({Duration(dues[i]), i, i});
  std::vector<uint64_t> order;
  while (!heap.empty()) order.push_back(heap.pop().seq);
  EXPECT_EQ(order, (std::vector<uint64_t>{5, 1, 3, 2, 0, 4}));
}

TEST(TimerHeap, PushAndReplaceReturnWhereTheEntryRests) {
  TimerHeap heap;
  std::mt19937_64 rng(3);
  for (uint32_t s = 0; s < 100; ++s) {
    const TimerEntry e{Duration(static_cast<int64_t>(rng() % 50)), s, s};
    const size_t at = heap.push(e);
    EXPECT_EQ(heap.at(at).slot, s);
  }
  for (int k = 0; k < 200; ++k) {
    const size_t index = rng() % heap.size();
    const TimerEntry moved{Duration(static_cast<int64_t>(rng() % 50)), 1'000u + k, heap.at(index).slot};
    const size_t at = heap.replace(index, moved);
    EXPECT_EQ(heap.at(at).seq, moved.seq);
  }
}

// Random pushes, re-arms in place and pops against a plain vector model.
TEST(TimerHeap, RandomPushReplacePopMatchesAModel) {
  TimerHeap heap;
  std::vector<TimerEntry> model;
  std::mt19937_64 rng(7);
  uint64_t seq = 0;
  for (int step = 0; step < 20'000; ++step) {
    const uint64_t choice = rng() % 3;
    if (choice == 0 || heap.empty()) {
      const TimerEntry e{Duration(static_cast<int64_t>(rng() % 1000)), seq++, static_cast<uint32_t>(step)};
      heap.push(e);
      model.push_back(e);
    } else if (choice == 1) {
      const size_t index = rng() % heap.size();
      const uint32_t slot = heap.at(index).slot;
      const TimerEntry e{Duration(static_cast<int64_t>(rng() % 1000)), seq++, slot};
      heap.replace(index, e);
      *std::find_if(model.begin(), model.end(), [&](const TimerEntry& m) { return m.slot == slot; }) = e;
    } else {
      const auto first = std::min_element(model.begin(), model.end(), fires_before);
      const TimerEntry popped = heap.pop();
      ASSERT_EQ(popped.seq, first->seq);
      model.erase(first);
    }
    ASSERT_EQ(heap.size(), model.size());
  }
}

}  // namespace
}  // namespace vtime
