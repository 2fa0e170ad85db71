// VmClocks: the four VM clocks of one machine (QEMU semantics),
// its run state, and the guest TSC.
//  - REALTIME = host monotonic. HOST = host wall clock (follows steps).
//  - VIRTUAL_RT = host running time: frozen while stopped, continues from where
//    it stopped on resume, never goes backwards even if the host monotonic
//    source does.
//  - VIRTUAL = VIRTUAL_RT by default, or an installed VirtualTimeSource (the
//    instruction counter); frozen while stopped; never goes backwards.
//  - The guest TSC ticks at a configured frequency derived from VIRTUAL.
// Reads are safe from any thread (seqlock, no system call beyond the host clock
// read itself), and monotonic across threads: a read never returns less than a
// read that happened before it. Everything else (stop/resume, enable/disable,
// source, restore) belongs to the owning thread: the one that constructed the
// clocks, or the last to call adopt_owner_thread(). The owner's own reads are
// the cheap ones (no seqlock, no atomic read-modify-write). Bookkeeping: see vm_clocks.cc
// and docs/time-model.md.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "vtime/clock/clock_id.h"
#include "vtime/clock/clock_state.h"
#include "vtime/clock/run_state.h"
#include "vtime/clock/seqlock.h"
#include "vtime/clock/virtual_source.h"
#include "vtime/time/frequency.h"
#include "vtime/time/host_clock.h"

namespace vtime {

class VmClocks {
 public:
  struct Options {
    RunState initial_state = RunState::kRunning;
    Frequency tsc = Frequency::ghz(1);  // guest TSC rate, derived from VIRTUAL
  };
  using ChangeListener = std::function<void(ClockId)>;
  using RunStateListener = std::function<void(RunState)>;

  explicit VmClocks(HostClock& host) : VmClocks(host, Options{}) {}
  VmClocks(HostClock& host, Options options);
  ~VmClocks();
  VmClocks(const VmClocks&) = delete;
  VmClocks& operator=(const VmClocks&) = delete;

  HostClock& host() const;

  // Makes the calling thread the owner (for a run loop that starts on another
  // thread than the one that built the machine). Call it while no other
  // thread uses the clocks' owner operations.
  void adopt_owner_thread();
  bool on_owner_thread() const;

  // --- Reads (any thread) --------------------------------------------------
  HostTime realtime_now();
  GuestTime virtual_now();
  WallTime host_now();
  GuestTime virtual_rt_now();
  // A clock's reading as a span since its epoch, for code that is generic over
  // clocks (timer lists, deadlines).
  Duration read(ClockId id);
  // Guest TSC: ticks of Options::tsc since VIRTUAL's epoch (rounded down),
  // frozen while stopped.
  uint64_t tsc();
  Frequency tsc_frequency() const;

  // --- Run state (owner thread) -------------------------------------------
  // Stop freezes VIRTUAL, VIRTUAL_RT and the TSC; resume continues them from the
  // frozen values. Both are idempotent. Listeners run after the change.
  void stop();
  void resume();
  RunState run_state() const;
  bool running() const { return run_state() == RunState::kRunning; }

  // --- Per-clock enable (owner thread) ------------------------------------
  // A disabled clock still reads, but its timers do not fire and it offers no
  // deadline. All clocks start enabled.
  void enable(ClockId id);
  void disable(ClockId id);
  bool enabled(ClockId id) const;

  // --- VIRTUAL's source (owner thread) ------------------------------------
  // nullptr restores host running time. VIRTUAL stays continuous across the
  // switch: the new source is expected to start at or after the current value
  // (icount sets its bias from virtual_now()); VmClocks clamps if it does not.
  void set_virtual_source(VirtualTimeSource* source);

  // Told when a clock may have new or earlier deadlines to honour: enabled,
  // resumed, source switched, restored. Used by timer groups to wake loops.
  void add_change_listener(ChangeListener listener);
  void add_run_state_listener(RunStateListener listener);

  // --- State capture (owner thread) ---------------------------------------
  // The clocks' guest-visible state now (VIRTUAL, VIRTUAL_RT, TSC read at one
  // instant, run state, enable flags).
  ClockState save();
  // Makes VIRTUAL, VIRTUAL_RT and the TSC read exactly the saved values, then
  // continues from them in the saved run state, whatever this host's clocks
  // read. Rejects (and changes nothing) a state whose fields disagree or whose
  // TSC frequency differs from Options::tsc. An installed source is not
  // touched: its owner re-bases it (icount restores its own state). Readers on
  // other threads see one jump to the restored values: restoring is the one
  // operation that may move VIRTUAL backwards. Tells every change listener,
  // and the run-state listeners if the run state changed.
  Status restore(const ClockState& state);

 private:
  // Guest clocks are computed on an internal time line that never goes back;
  // the reported value is internal - era (era moves only on restore).
  //   running, no source: internal = host monotonic + base
  //   running, source:    internal = source->virtual_now() + era (VIRTUAL only)
  //   stopped:            internal = base (frozen)
  // Running readers clamp with a shared high-water mark (see vm_clocks.cc).
  struct Line {
    int64_t base;
    int64_t era;
  };
  struct Timebase {
    VirtualTimeSource* source;
    uint64_t running;  // a whole word: no padding bytes in the seqlock copy
    Line virtual_line;
    Line rt_line;
  };
  enum class Guest : uint8_t { kVirtual, kVirtualRt };
  struct Reading {
    int64_t internal;  // clamped
    int64_t era;
  };

  template <Guest which>
  Reading read_guest();
  template <Guest which>
  Reading read_guest_as_owner();
  int64_t host_ns();
  // Owner-side helpers, called inside timebase_.update() (readers held off).
  // Inlined into the reads, where `which` is a constant (a hot path).
  [[gnu::always_inline]] inline int64_t running_internal(Guest which, const Timebase& tb);
  int64_t fold(Guest which);  // running: current internal value, clamped, pushed into the mark
  int64_t clamp_as_owner(Guest which, int64_t internal);
  void freeze();              // running -> stopped
  void thaw();                // stopped -> running
  void notify_change(ClockId id);
  void notify_run_state(RunState state);
  std::atomic<int64_t>& high_water(Guest which) {
    return which == Guest::kVirtual ? high_[0] : high_[1];
  }
  std::atomic<int64_t>& foreign_high_water(Guest which) {
    return which == Guest::kVirtual ? foreign_high_[0] : foreign_high_[1];
  }
  Line& line(Guest which) {
    return which == Guest::kVirtual ? owner_.virtual_line : owner_.rt_line;
  }

  HostClock& host_;
  const Frequency tsc_;
  Timebase owner_;  // the owner's copy; readers use timebase_
  Seqlock<Timebase> timebase_;
  std::array<std::atomic<bool>, kClockCount> enabled_;
  std::vector<ChangeListener> change_listeners_;
  std::vector<RunStateListener> run_state_listeners_;
  const void* owner_thread_;  // the owner's thread marker (see vm_clocks.cc)
  // The clamp's high-water marks, off the seqlock's cache line: high_ holds the
  // owner's largest reading (only the owner stores it, plainly), foreign_high_
  // the largest reading of any other thread (fetch-max).
  alignas(64) std::array<std::atomic<int64_t>, 2> high_{};
  alignas(64) std::array<std::atomic<int64_t>, 2> foreign_high_{};
};

}  // namespace vtime
