#include "vtime/timer/timer_list.h"

#include <cassert>
#include <mutex>

#include "vtime/timer/timer.h"

namespace vtime {

using timer_detail::Where;

TimerList::TimerList(ClockId id, VmClocks* clocks) : id_(id), clocks_(clocks) {}

TimerList::~TimerList() { assert(attached_ == 0 && "destroy every timer before its list"); }

Duration TimerList::next_deadline(AttributeMask mask) const {
  if (mask == AttributeMask::all()) return Duration(earliest_.load(std::memory_order_acquire));
  int64_t best = Duration::max().count();
  const size_t count = queue_count_.load(std::memory_order_acquire);
  for (size_t i = 0; i < count; ++i) {
    const Queue& q = queues_[i];
    if (!mask.allows(q.attributes)) continue;
    const int64_t e = q.earliest.load(std::memory_order_acquire);
    if (e < best) best = e;
  }
  return Duration(best);
}

size_t TimerList::pending_count() const {
  std::lock_guard guard(lock_);
  return pending_;
}

size_t TimerList::stored_entries() const {
  std::lock_guard guard(lock_);
  size_t n = 0;
  for (const Queue& q : queues_) n += q.heap.size() + q.deferred.size();
  return n;
}

void TimerList::attach(TimerBase& timer) {
  std::lock_guard guard(lock_);
  ++attached_;
  if (free_slots_.empty()) {
    timer.slot_ = static_cast<uint32_t>(slot_timer_.size());
    slot_timer_.push_back(&timer);
    slot_seq_.push_back(kNoSeq);
    slot_position_.push_back(0);
  } else {
    // Stale entries of the slot's previous timer may remain in a heap; their
    // sequence numbers are never issued again, so none of them matches.
    timer.slot_ = free_slots_.back();
    free_slots_.pop_back();
    slot_timer_[timer.slot_] = &timer;
  }
  const size_t count = queue_count_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < count; ++i) {
    if (queues_[i].attributes == timer.options_.attributes) {
      timer.queue_ = static_cast<uint8_t>(i);
      return;
    }
  }
  assert(count < kMaxAttributeSets && "too many distinct timer attribute sets on one list");
  queues_[count].attributes = timer.options_.attributes;
  timer.queue_ = static_cast<uint8_t>(count);
  // Publish after the attributes are written: lock-free readers scan [0, count).
  queue_count_.store(count + 1, std::memory_order_release);
}

void TimerList::detach(TimerBase& timer) {
  std::lock_guard guard(lock_);
  assert(firing_ != &timer && "a timer must not be destroyed from its own callback");
  if (timer.where_ != Where::kIdle) drop_locked(timer);
  slot_timer_[timer.slot_] = nullptr;  // from now on every entry naming the slot is stale
  free_slots_.push_back(timer.slot_);
  --attached_;
  settle_locked(queues_[timer.queue_]);
}

void TimerList::arm(TimerBase& timer, Duration due) {
  if (due == Duration::max()) {  // arming for never() is a cancel
    cancel(timer);
    return;
  }
  bool earlier = false;
  {
    std::lock_guard guard(lock_);
    const int64_t before = earliest_.load(std::memory_order_relaxed);
    move_locked(timer, due);
    earlier = earliest_.load(std::memory_order_relaxed) < before;
  }
  if (earlier) notify();
}

bool TimerList::arm_earlier_only(TimerBase& timer, Duration due) {
  if (due == Duration::max()) return false;
  bool earlier = false;
  {
    std::lock_guard guard(lock_);
    if (timer.where_ != Where::kIdle && timer.due_.load(std::memory_order_relaxed) <= due.count()) {
      return false;
    }
    const int64_t before = earliest_.load(std::memory_order_relaxed);
    move_locked(timer, due);
    earlier = earliest_.load(std::memory_order_relaxed) < before;
  }
  if (earlier) notify();
  return true;
}

void TimerList::cancel(TimerBase& timer) {
  std::lock_guard guard(lock_);
  if (timer.where_ == Where::kIdle) return;
  Queue& q = queues_[timer.queue_];
  if (drop_locked(timer) || compaction_due(q)) settle_locked(q);
}

// Whether `entry` is still its timer's pending entry.
bool TimerList::live_locked(const TimerEntry& entry) const {
  return slot_seq_[entry.slot] == entry.seq;
}

// Gives an idle `timer` a fresh entry at `due`, with a new sequence number.
// Leaves the queue to settle_locked().
void TimerList::insert_locked(TimerBase& timer, Duration due) {
  Queue& q = queues_[timer.queue_];
  timer.seq_ = next_seq_++;
  slot_seq_[timer.slot_] = timer.seq_;
  const TimerEntry entry{due, timer.seq_, timer.slot_};
  if (running_ && due <= pass_now_) {
    // Due already, but armed during this pass: it waits for the next pass.
    slot_position_[timer.slot_] = static_cast<uint32_t>(q.deferred.size());
    q.deferred.push_back(entry);
    timer.where_ = Where::kDeferred;
  } else {
    timer.hint_ = static_cast<uint32_t>(q.heap.push(entry));
    timer.where_ = Where::kHeap;
  }
  timer.due_.store(due.count(), std::memory_order_relaxed);
  ++pending_;
}

// Makes a pending `timer` idle. Its heap entry is left where it is, stale (its
// sequence number is forgotten), unless it is still the heap's last entry (armed
// and cancelled with nothing pushed since): then it simply goes. Deferred entries
// are removed exactly (few, and their list must stay all live for the deadline
// scan). Returns whether the queue's cached deadline may have moved later (the
// entry was the heap's top, or deferred): then the caller must settle_locked().
bool TimerList::drop_locked(TimerBase& timer) {
  assert(timer.where_ != Where::kIdle);
  Queue& q = queues_[timer.queue_];
  bool was_first = true;
  if (timer.where_ == Where::kHeap) {
    was_first = q.heap.top().seq == timer.seq_;
    if (q.heap.back().seq == timer.seq_) {
      q.heap.pop_back();
    } else {
      ++q.stale;
    }
  } else {
    // Deferred entries are unordered (the heap orders them when merged).
    const size_t index = slot_position_[timer.slot_];
    q.deferred[index] = q.deferred.back();
    slot_position_[q.deferred[index].slot] = static_cast<uint32_t>(index);
    q.deferred.pop_back();
  }
  timer.seq_ = kNoSeq;
  slot_seq_[timer.slot_] = kNoSeq;
  timer.where_ = Where::kIdle;
  timer.due_.store(Duration::max().count(), std::memory_order_relaxed);
  --pending_;
  return was_first;
}

// (Re)arms `timer` at `due`: the old entry turns stale, a new one is pushed.
// The common case (the old entry was not the first to fire) needs no settling:
// the new live entry can only lower the cached deadlines.
void TimerList::move_locked(TimerBase& timer, Duration due) {
  if (replace_in_place_locked(timer, due)) return;
  const bool raised = timer.where_ != Where::kIdle && drop_locked(timer);
  insert_locked(timer, due);
  Queue& q = queues_[timer.queue_];
  if (raised || compaction_due(q)) {
    settle_locked(q);
    return;
  }
  lower_deadline_locked(q, due);
}

// Re-arms a timer whose heap entry still sits where it was placed, within the
// heap's recently written tail or anywhere in a small heap (so checking costs no
// cache miss): the entry is
// replaced and sifted, leaving nothing stale. Returns false, changing nothing,
// when that does not apply.
bool TimerList::replace_in_place_locked(TimerBase& timer, Duration due) {
  if (timer.where_ != Where::kHeap || (running_ && due <= pass_now_)) return false;
  Queue& q = queues_[timer.queue_];
  const size_t hint = timer.hint_;
  if (hint >= q.heap.size()) return false;
  if (hint + kHotTail < q.heap.size() && q.heap.size() > kSmallHeap) return false;
  if (q.heap.at(hint).seq != timer.seq_) return false;
  timer.seq_ = next_seq_++;
  slot_seq_[timer.slot_] = timer.seq_;
  timer.hint_ = static_cast<uint32_t>(q.heap.replace(hint, {due, timer.seq_, timer.slot_}));
  timer.due_.store(due.count(), std::memory_order_relaxed);
  if (hint == 0) {
    settle_locked(q);  // the first entry may have moved later, a stale one up
  } else {
    lower_deadline_locked(q, due);
  }
  return true;
}

void TimerList::lower_deadline_locked(Queue& q, Duration due) {
  if (due.count() < q.earliest.load(std::memory_order_relaxed)) {
    q.earliest.store(due.count(), std::memory_order_release);
    if (due.count() < earliest_.load(std::memory_order_relaxed)) {
      earliest_.store(due.count(), std::memory_order_release);
    }
  }
}

// Restores the queue's invariants after entries were pushed, dropped or popped:
// a live heap top (so the cached deadline is exact), stale entries at most half
// the heap, and fresh cached deadlines.
void TimerList::settle_locked(Queue& q) {
  while (!q.heap.empty() && !live_locked(q.heap.top())) {
    q.heap.pop();
    --q.stale;
  }
  if (compaction_due(q)) compact_locked(q);
  refresh_locked(q);
}

// Drops every stale entry and re-heapifies: O(n) for >= n/2 stale entries made
// by as many re-arms or cancels, so amortised O(1) each.
void TimerList::compact_locked(Queue& q) {
  const size_t dropped = q.heap.retain([this](const TimerEntry& e) { return live_locked(e); });
  assert(dropped == q.stale && "stale count out of step with the heap");
  (void)dropped;
  q.stale = 0;
}

// Recomputes the cached earliest deadline of `queue` and of the whole list.
void TimerList::refresh_locked(Queue& queue) {
  int64_t e = queue.heap.empty() ? Duration::max().count() : queue.heap.top().due.count();
  for (const TimerEntry& d : queue.deferred) {
    if (d.due.count() < e) e = d.due.count();
  }
  queue.earliest.store(e, std::memory_order_release);
  const size_t count = queue_count_.load(std::memory_order_relaxed);
  int64_t all = Duration::max().count();
  for (size_t i = 0; i < count; ++i) {
    const int64_t qe = queues_[i].earliest.load(std::memory_order_relaxed);
    if (qe < all) all = qe;
  }
  earliest_.store(all, std::memory_order_release);
}

// The queue whose heap top fires first among those due at `now`, or null.
TimerList::Queue* TimerList::earliest_due_locked(Duration now) {
  Queue* best = nullptr;
  const size_t count = queue_count_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < count; ++i) {
    Queue& q = queues_[i];
    if (q.heap.empty() || q.heap.top().due > now) continue;
    if (best == nullptr || fires_before(q.heap.top(), best->heap.top())) best = &q;
  }
  return best;
}

void TimerList::merge_deferred_locked() {
  const size_t count = queue_count_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < count; ++i) {
    Queue& q = queues_[i];
    if (q.deferred.empty()) continue;
    for (const TimerEntry& entry : q.deferred) {
      q.heap.push(entry);
      slot_timer_[entry.slot]->where_ = Where::kHeap;
    }
    q.deferred.clear();
    settle_locked(q);
  }
}

size_t TimerList::run_due(Duration now) {
  size_t fired = 0;
  std::unique_lock guard(lock_);
  assert(!running_ && "run_due() re-entered from one of the list's own callbacks");
  running_ = true;
  pass_now_ = now;
  while (Queue* q = earliest_due_locked(now)) {
    const TimerEntry entry = q->heap.pop();  // live: tops always are
    TimerBase& timer = *slot_timer_[entry.slot];
    timer.seq_ = kNoSeq;
    slot_seq_[entry.slot] = kNoSeq;
    timer.where_ = Where::kIdle;
    timer.due_.store(Duration::max().count(), std::memory_order_relaxed);
    --pending_;
    settle_locked(*q);
    firing_ = &timer;
    guard.unlock();
    // The callback may arm, cancel or destroy any other timer; the loop re-reads
    // the heaps afterwards, so nothing here survives the call but `now`.
    timer.callback_(entry.due);
    guard.lock();
    firing_ = nullptr;
    ++fired;
  }
  merge_deferred_locked();
  running_ = false;
  return fired;
}

}  // namespace vtime
