// TimerList: the pending timers of one VM clock (QEMU's QEMUTimerList), as one
// indexed min-heap per distinct attribute set (normally two: no attributes, and
// kExternal). Arm, cancel and re-arm are O(log n); the earliest deadline, over
// all timers or over an attribute mask, is read lock-free from cached atomics.
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

  // Fires, in (due, arm order), every timer due at or before `now` that was
  // armed before this pass began; returns how many fired. Timers armed during
  // the pass for a deadline <= now wait for the next pass (no livelock).
  // Must not be called from inside one of this list's callbacks (asserted).
  size_t run_due(Duration now);

 private:
  friend class TimerBase;

  struct Queue {
    AttributeMask attributes;
    TimerHeap heap;
    std::vector<TimerEntry> deferred;  // armed this pass for <= pass now
    std::atomic<int64_t> earliest{Duration::max().count()};
  };

  // TimerBase's doors (lock taken inside).
  void attach(TimerBase& timer);
  void detach(TimerBase& timer);
  void arm(TimerBase& timer, Duration due);
  bool arm_earlier_only(TimerBase& timer, Duration due);
  void cancel(TimerBase& timer);

  // Helpers called with lock_ held.
  void insert_locked(TimerBase& timer, Duration due);
  void remove_locked(TimerBase& timer);
  void move_locked(TimerBase& timer, Duration due);
  void refresh_locked(Queue& queue);
  Queue* earliest_due_locked(Duration now);
  void merge_deferred_locked();

  const ClockId id_;
  VmClocks* const clocks_;
  NotifyHook hook_;

  mutable SpinLock lock_;
  // Per slot: the timer, and its entry's position in its heap or deferred list.
  std::vector<TimerBase*> slot_timer_;
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
