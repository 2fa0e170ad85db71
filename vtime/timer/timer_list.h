// TimerList: the pending timers of one VM clock (QEMU's QEMUTimerList), as one
// min-heap per distinct attribute set (normally two: no attributes, and
// kExternal). The earliest deadline, over all timers or over an attribute mask,
// is read lock-free from cached atomics.
// Lazy deletion: a re-arm or cancel does not search for the timer's old entry;
// it forgets the entry's sequence number, which turns it stale where it lies,
// and a re-arm pushes a fresh entry (a sift up from the heap's hot tail, expected
// O(1) levels for a random deadline). So a re-arm touches the timer and hot
// memory only. Stale entries are dropped when they reach a heap's top (the top
// is kept live, so the next deadline stays exact) or by a compaction once they
// outnumber the live ones and kCompactMinStale (O(n), amortised O(1) per stale
// entry). docs/timers.md has the measured figures.
// The list knows nothing of clock readings: run_due() takes "now" explicitly, so
// it can be tested and benchmarked on its own; TimerGroup feeds it VmClocks.
//
// Threads: arm/cancel/next_deadline from any thread (a per-list SpinLock).
// run_due() belongs to one thread at a time (the owner), and callbacks run on
// it with the lock released. A timer may be destroyed on the owner thread at any
// time except from inside its own callback, or on another thread only while no
// pass of this list can be running (nothing synchronises with a callback).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "vtime/clock/clock_id.h"
#include "vtime/time/duration.h"
#include "vtime/timer/spin_lock.h"
#include "vtime/timer/timer_heap.h"
#include "vtime/timer/timer_options.h"

namespace vtime {

class TimerBase;
class VmClocks;

class TimerList {
 public:
  using NotifyHook = std::function<void(ClockId)>;
  // Distinct attribute sets a list can hold; each gets its own heap.
  static constexpr size_t kMaxAttributeSets = 8;

  // `clocks` may be null for a stand-alone list; then timers cannot arm_in().
  explicit TimerList(ClockId id, VmClocks* clocks = nullptr);
  ~TimerList();  // every timer must have been destroyed first (asserted)
  TimerList(const TimerList&) = delete;
  TimerList& operator=(const TimerList&) = delete;

  ClockId clock() const { return id_; }
  VmClocks* clocks() const { return clocks_; }

  // Called on the arming thread, outside the lock, whenever an arm moves the
  // list's earliest deadline earlier. Set it before other threads arm.
  void set_notify_hook(NotifyHook hook) { hook_ = std::move(hook); }
  void notify() const {
    if (hook_) hook_(id_);
  }

  // Earliest deadline (span since the clock's epoch) among pending timers whose
  // attributes lie within `mask`; kNoDeadline-equivalent Duration::max() if none.
  // Lock-free; a value racing with another thread's arm may be stale.
  Duration next_deadline(AttributeMask mask = AttributeMask::all()) const;
  size_t pending_count() const;
  // Entries held in the heaps, live and stale (lazy deletion): for tests and
  // diagnostics. At most 2 x pending + kCompactMinStale per attribute set.
  size_t stored_entries() const;
  // Compaction waits for this many stale entries even in a small heap, so its
  // fixed cost spreads over many re-arms.
  static constexpr size_t kCompactMinStale = 4096;

  // Fires, in (due, arm order), every timer due at or before `now` that was
  // armed before this pass began; returns how many fired. Timers armed during
  // the pass for a deadline <= now wait for the next pass (no livelock).
  // Must not be called from inside one of this list's callbacks (asserted).
  size_t run_due(Duration now);

 private:
  friend class TimerBase;

  struct Queue {
    AttributeMask attributes;
    TimerHeap heap;      // live and stale entries; the top is live
    size_t stale = 0;    // entries in `heap` whose timer moved on
    std::vector<TimerEntry> deferred;  // armed this pass for <= pass now; all live
    std::atomic<int64_t> earliest{Duration::max().count()};
  };

  // TimerBase's doors (lock taken inside).
  void attach(TimerBase& timer);
  void detach(TimerBase& timer);
  void arm(TimerBase& timer, Duration due);
  bool arm_earlier_only(TimerBase& timer, Duration due);
  void cancel(TimerBase& timer);

  // Helpers called with lock_ held.
  bool live_locked(const TimerEntry& entry) const;
  void insert_locked(TimerBase& timer, Duration due);
  bool drop_locked(TimerBase& timer);
  void move_locked(TimerBase& timer, Duration due);
  bool replace_in_place_locked(TimerBase& timer, Duration due);
  void lower_deadline_locked(Queue& queue, Duration due);
  void settle_locked(Queue& queue);
  void compact_locked(Queue& queue);
  // Entries this close to the heap's end were written recently: still cached.
  static constexpr size_t kHotTail = 256;
  // A heap this small is cached whole: any still-valid hint is worth checking.
  static constexpr size_t kSmallHeap = 8192;
  static bool compaction_due(const Queue& q) {
    return q.stale > kCompactMinStale && 2 * q.stale > q.heap.size();
  }
  void refresh_locked(Queue& queue);
  Queue* earliest_due_locked(Duration now);
  void merge_deferred_locked();

  const ClockId id_;
  VmClocks* const clocks_;
  NotifyHook hook_;

  mutable SpinLock lock_;
  // Per slot: the timer (null when free); the sequence number of its pending
  // entry, kNoSeq when idle (an entry is live only while its number is there:
  // a dense array, so compaction checks entries without reaching for timers);
  // and its entry's index in its queue's deferred list (only while deferred).
  static constexpr uint64_t kNoSeq = UINT64_MAX;  // never issued
  std::vector<TimerBase*> slot_timer_;
  std::vector<uint64_t> slot_seq_;
  std::vector<uint32_t> slot_position_;
  std::vector<uint32_t> free_slots_;
  std::array<Queue, kMaxAttributeSets> queues_;
  std::atomic<size_t> queue_count_{0};
  std::atomic<int64_t> earliest_{Duration::max().count()};  // over all queues
  uint64_t next_seq_ = 0;
  size_t attached_ = 0;
  size_t pending_ = 0;
  bool running_ = false;
  Duration pass_now_{0};
  const TimerBase* firing_ = nullptr;
};

}  // namespace vtime
