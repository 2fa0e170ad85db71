#include "vtime/timer/timer_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace vtime {
namespace {

TEST(TimerHeap, PopsInDeadlineThenSequenceOrder) {
  std::vector<uint32_t> positions(6);
  TimerHeap heap(&positions);
  const int64_t dues[] = {30, 10, 20, 10, 30, 5};
  for (uint32_t i = 0; i < 6; ++i) heap.push({Duration(dues[i]), i, i});
  std::vector<uint64_t> order;
  while (!heap.empty()) order.push_back(heap.pop().seq);
  EXPECT_EQ(order, (std::vector<uint64_t>{5, 1, 3, 2, 0, 4}));
}

TEST(TimerHeap, RecordsEverySlotsPosition) {
  std::vector<uint32_t> positions(100);
  TimerHeap heap(&positions);
  std::mt19937_64 rng(3);
  for (uint32_t s = 0; s < 100; ++s) heap.push({Duration(static_cast<int64_t>(rng() % 50)), s, s});
  heap.remove(positions[42]);
  heap.remove(positions[7]);
  for (size_t i = 0; i < heap.size(); ++i) EXPECT_EQ(positions[heap.at(i).slot], i);
}

TEST(TimerHeap, RandomPushRemovePopMatchesASortedVector) {
  constexpr uint32_t kSlots = 500;
  std::vector<uint32_t> positions(kSlots);
  TimerHeap heap(&positions);
  std::vector<TimerEntry> model;
  std::vector<bool> in_heap(kSlots, false);
  std::mt19937_64 rng(7);
  uint64_t seq = 0;
  for (int step = 0; step < 20'000; ++step) {
    const uint32_t slot = static_cast<uint32_t>(rng() % kSlots);
    if (!in_heap[slot]) {
      const TimerEntry e{Duration(static_cast<int64_t>(rng() % 1000)), seq++, slot};
      heap.push(e);
      model.push_back(e);
      in_heap[slot] = true;
    } else if (rng() % 3 != 0) {
      ASSERT_EQ(heap.at(positions[slot]).slot, slot);
      heap.remove(positions[slot]);
      std::erase_if(model, [&](const TimerEntry& e) { return e.slot == slot; });
      in_heap[slot] = false;
    } else {
      const auto first = std::min_element(model.begin(), model.end(), fires_before);
      const TimerEntry popped = heap.pop();
      ASSERT_EQ(popped.seq, first->seq);
      in_heap[popped.slot] = false;
      model.erase(first);
    }
    ASSERT_EQ(heap.size(), model.size());
  }
}

}  // namespace
}  // namespace vtime
