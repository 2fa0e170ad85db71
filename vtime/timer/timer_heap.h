// TimerHeap: a 4-ary min-heap of timer entries ordered by (due, seq). Entries
// are stored by value and name their timer by slot number, so a
// sift never touches a timer object (at 10^5+ timers those are scattered cache
// misses). A 4-ary heap is half as deep as a binary one and a node's four
// children are adjacent.
// Entries are never removed from the middle: TimerList's lazy deletion leaves
// a cancelled or re-armed timer's old entry in place (it is told apart by its
// sequence number) and drops such entries in bulk with retain(). A re-arm of
// the entry a timer knows the index of is replace(), one sift.
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
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const TimerEntry& top() const { return entries_.front(); }  // caller checks empty()
  const TimerEntry& at(size_t index) const { return entries_[index]; }
  const TimerEntry& back() const { return entries_.back(); }  // the last pushed, if not sifted

  // Returns the index where the entry came to rest (until the next change).
  size_t push(const TimerEntry& entry);
  // Removes and returns the earliest entry.
  TimerEntry pop();
  // Replaces the entry at `index` with `entry` (a re-arm): one sift in the
  // direction the key moved, touching neither the last entry nor the parent
  // chain when a deadline moves later.
  size_t replace(size_t index, const TimerEntry& entry);  // as push()
  // Removes the last entry in O(1) (it has no children).
  void pop_back() { entries_.pop_back(); }
  // Keeps only the entries for which `keep(entry)` is true and restores heap
  // order in O(n) (bottom-up heapify); returns how many were dropped.
  template <class Keep>
  size_t retain(Keep keep);

 private:
  static constexpr size_t kArity = 4;
  size_t sift_up(size_t index, const TimerEntry& entry);
  size_t sift_down(size_t index, const TimerEntry& entry);
  void place(size_t index, const TimerEntry& entry) { entries_[index] = entry; }

  std::vector<TimerEntry> entries_;
};

template <class Keep>
size_t TimerHeap::retain(Keep keep) {
  size_t kept = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const TimerEntry e = entries_[i];
    if (keep(e)) place(kept++, e);
  }
  const size_t dropped = entries_.size() - kept;
  entries_.resize(kept);
  // Floyd: sift down every inner node, the deepest first.
  for (size_t i = kept / kArity + 1; i-- > 0;) {
    if (i >= kept) continue;
    const TimerEntry e = entries_[i];  // a copy: the sift overwrites entries_[i]
    sift_down(i, e);
  }
  return dropped;
}

}  // namespace vtime
