// VmClocks: the four VM clocks of one machine (QEMU semantics, notes §1.3-1.5),
// its run state, and the guest TSC.
//  - REALTIME = host monotonic. HOST = host wall clock (follows steps).
//  - VIRTUAL_RT = host running time: frozen while stopped, continues from where
//    it stopped on resume, never goes backwards even if the host monotonic
//    source does.
//  - VIRTUAL = VIRTUAL_RT by default, or an installed VirtualTimeSource (the
//    instruction counter); frozen while stopped; never goes backwards.
//  - The guest TSC ticks at a configured frequency derived from VIRTUAL.
// Reads are safe from any thread (seqlock, no system call beyond the host clock
// read itself). Everything else (stop/resume, enable/disable, source, restore)
// belongs to the owning thread.
// CONTRACT: signatures here are relied upon by vtime/timer, vtime/icount,
// vtime/devices and vtime/machine; extend, do not change.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "vtime/clock/clock_id.h"
#include "vtime/clock/virtual_source.h"
#include "vtime/time/frequency.h"
#include "vtime/time/host_clock.h"

namespace vtime {

enum class RunState : uint8_t { kStopped, kRunning };

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vtime
