// TimerHeap: an indexed 4-ary min-heap of timer entries ordered by (due, seq).
// Entries are stored by value so comparisons touch only the heap array; each
// timer keeps its entry's index (TimerBase::index_), which makes removing an
// arbitrary timer O(log n). A 4-ary heap is half as deep as a binary one and its
// four children share a cache line or two, which is what matters at 10^5+ timers.
// Leaves out locking: the owning TimerList holds its lock around every call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vtime/time/duration.h"

namespace vtime {

class TimerBase;

struct TimerEntry {
  Duration due;
  uint64_t seq;  // arm order: equal deadlines fire first-armed first
  TimerBase* timer;
};

// Strict (due, seq) order; seq values are unique within a list.
constexpr bool fires_before(const TimerEntry& a, const TimerEntry& b) {
  return a.due < b.due || (a.due == b.due && a.seq < b.seq);
}

class TimerHeap {
 public:
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const TimerEntry& top() const { return entries_.front(); }  // asserts non-empty via caller
  const TimerEntry& at(size_t index) const { return entries_[index]; }

  // Adds `entry` and records its index in entry.timer.
  void push(const TimerEntry& entry);
  // Removes and returns the earliest entry.
  TimerEntry pop();
  // Removes the entry at `index` (the timer's recorded index).
  void remove(size_t index);

 private:
  static constexpr size_t kArity = 4;
  void sift_up(size_t index, const TimerEntry& entry);
  void sift_down(size_t index, const TimerEntry& entry);
  void place(size_t index, const TimerEntry& entry);

  std::vector<TimerEntry> entries_;
};

}  // namespace vtime
