#include "vtime/timer/timer_list.h"

#include <cassert>
#include <mutex>

#include "vtime/timer/timer.h"

namespace vtime {

using timer_detail::Where;

TimerList::TimerList(ClockId id, VmClocks* clocks) : id_(id), clocks_(clocks) {
  for (Queue& q : queues_) q.heap.set_positions(&slot_position_);
}

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

void TimerList::attach(TimerBase& timer) {
  std::lock_guard guard(lock_);
  ++attached_;
  if (free_slots_.empty()) {
    timer.slot_ = static_cast<uint32_t>(slot_timer_.size());
    slot_timer_.push_back(&timer);
    slot_position_.push_back(0);
  } else {
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
  remove_locked(timer);
  slot_timer_[timer.slot_] = nullptr;
  free_slots_.push_back(timer.slot_);
  --attached_;
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
  remove_locked(timer);
}

void TimerList::insert_locked(TimerBase& timer, Duration due) {
  Queue& q = queues_[timer.queue_];
  const TimerEntry entry{due, next_seq_++, timer.slot_};
  if (running_ && due <= pass_now_) {
    // Due already, but armed during this pass: it waits for the next pass.
    slot_position_[timer.slot_] = static_cast<uint32_t>(q.deferred.size());
    q.deferred.push_back(entry);
    timer.where_ = Where::kDeferred;
  } else {
    q.heap.push(entry);
    timer.where_ = Where::kHeap;
  }
  timer.due_.store(due.count(), std::memory_order_relaxed);
  ++pending_;
  refresh_locked(q);
}

// (Re)arms `timer` at `due` with a new sequence number. A timer already in its
// heap whose new entry also belongs there is replaced where it stands.
void TimerList::move_locked(TimerBase& timer, Duration due) {
  if (timer.where_ != Where::kHeap || (running_ && due <= pass_now_)) {
    remove_locked(timer);
    insert_locked(timer, due);
    return;
  }
  Queue& q = queues_[timer.queue_];
  q.heap.replace(slot_position_[timer.slot_], {due, next_seq_++, timer.slot_});
  timer.due_.store(due.count(), std::memory_order_relaxed);
  refresh_locked(q);
}

void TimerList::remove_locked(TimerBase& timer) {
  if (timer.where_ == Where::kIdle) return;
  Queue& q = queues_[timer.queue_];
  if (timer.where_ == Where::kHeap) {
    q.heap.remove(slot_position_[timer.slot_]);
  } else {
    // Deferred entries are unordered (the heap orders them when merged).
    const size_t index = slot_position_[timer.slot_];
    q.deferred[index] = q.deferred.back();
    slot_position_[q.deferred[index].slot] = static_cast<uint32_t>(index);
    q.deferred.pop_back();
  }
  timer.where_ = Where::kIdle;
  timer.due_.store(Duration::max().count(), std::memory_order_relaxed);
  --pending_;
  refresh_locked(q);
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
    refresh_locked(q);
  }
}

size_t TimerList::run_due(Duration now) {
  size_t fired = 0;
  std::unique_lock guard(lock_);
  assert(!running_ && "run_due() re-entered from one of the list's own callbacks");
  running_ = true;
  pass_now_ = now;
  while (Queue* q = earliest_due_locked(now)) {
    const TimerEntry entry = q->heap.pop();
    TimerBase& timer = *slot_timer_[entry.slot];
    timer.where_ = Where::kIdle;
    timer.due_.store(Duration::max().count(), std::memory_order_relaxed);
    --pending_;
    refresh_locked(*q);
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
