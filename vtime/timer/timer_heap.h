// TimerHeap: an indexed 4-ary min-heap of timer entries ordered by (due, seq).
// Entries are stored by value and name their timer by slot number; the heap
// keeps each slot's current position in a dense array owned by the list
// (`positions`), so removing an arbitrary timer is O(log n) and a sift touches
// only the heap array and that small array, never the timer objects themselves
// (at 10^5+ timers those are scattered cache misses). A 4-ary heap is half as
// deep as a binary one and a node's four children are adjacent.
// Leaves out locking: the owning TimerList holds its lock around every call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vtime/time/duration.h"

namespace vtime {

struct TimerEntry {
  Duration due;
  uint64_t seq;   // arm order: equal deadlines fire first-armed first
  uint32_t slot;  // the timer's slot in its list
};

// Strict (due, seq) order; seq values are unique within a list.
constexpr bool fires_before(const TimerEntry& a, const TimerEntry& b) {
  return a.due < b.due || (a.due == b.due && a.seq < b.seq);
}

class TimerHeap {
 public:
  // `positions[slot]` receives the index of every entry the heap places.
  explicit TimerHeap(std::vector<uint32_t>* positions = nullptr) : positions_(positions) {}
  void set_positions(std::vector<uint32_t>* positions) { positions_ = positions; }

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const TimerEntry& top() const { return entries_.front(); }  // caller checks empty()
  const TimerEntry& at(size_t index) const { return entries_[index]; }

  void push(const TimerEntry& entry);
  // Removes and returns the earliest entry.
  TimerEntry pop();
  // Removes the entry at `index` (its slot's recorded position).
  void remove(size_t index);
  // Replaces the entry at `index` with `entry` (a re-arm): one sift in the
  // direction the key moved, touching neither the last entry nor the parent
  // chain when a deadline moves later.
  void replace(size_t index, const TimerEntry& entry);

 private:
  static constexpr size_t kArity = 4;
  void sift_up(size_t index, const TimerEntry& entry);
  void sift_down(size_t index, const TimerEntry& entry);
  void place(size_t index, const TimerEntry& entry) {
    entries_[index] = entry;
    (*positions_)[entry.slot] = static_cast<uint32_t>(index);
  }

  std::vector<TimerEntry> entries_;
  std::vector<uint32_t>* positions_;
};

}  // namespace vtime
