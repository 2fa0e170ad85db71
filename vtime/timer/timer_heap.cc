#include "vtime/timer/timer_heap.h"

#include <cassert>

namespace vtime {

size_t TimerHeap::push(const TimerEntry& entry) {
  entries_.push_back(entry);
  return sift_up(entries_.size() - 1, entry);
}

TimerEntry TimerHeap::pop() {
  assert(!entries_.empty());
  const TimerEntry first = entries_.front();
  const TimerEntry last = entries_.back();
  entries_.pop_back();
  if (!entries_.empty()) sift_down(0, last);  // the former last entry fills the hole
  return first;
}

size_t TimerHeap::replace(size_t index, const TimerEntry& entry) {
  assert(index < entries_.size());
  if (fires_before(entry, entries_[index])) return sift_up(index, entry);
  return sift_down(index, entry);
}

// Moves the hole at `index` up until `entry` fits, then places it.
size_t TimerHeap::sift_up(size_t index, const TimerEntry& entry) {
  while (index > 0) {
    const size_t parent = (index - 1) / kArity;
    if (!fires_before(entry, entries_[parent])) break;
    place(index, entries_[parent]);
    index = parent;
  }
  place(index, entry);
  return index;
}

// Moves the hole at `index` down until `entry` fits, then places it.
size_t TimerHeap::sift_down(size_t index, const TimerEntry& entry) {
  const size_t size = entries_.size();
  for (;;) {
    const size_t first_child = index * kArity + 1;
    if (first_child >= size) break;
    const size_t end = first_child + kArity < size ? first_child + kArity : size;
    size_t best = first_child;
    for (size_t c = first_child + 1; c < end; ++c) {
      if (fires_before(entries_[c], entries_[best])) best = c;
    }
    if (!fires_before(entries_[best], entry)) break;
    place(index, entries_[best]);
    index = best;
  }
  place(index, entry);
  return index;
}

}  // namespace vtime
