// Aligner: align=on pacing (QEMU's sleeping algorithm, improved). At each
// slice boundary it compares guest time (VIRTUAL) with host running time
// (VIRTUAL_RT, re-read now, so host time spent executing is never ignored) and
// sleeps on the host when the guest leads by more than the threshold. It can
// only slow a fast guest down; a slow guest gets rate-limited "late" warnings.
// Improvements over QEMU: measured at every boundary instead of once per
// cpu_exec (no over-sleeping), threshold is an option, the sleep is shortened
// by the host's measured wake-up latency, and statistics are resettable.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "vtime/state/state_stream.h"
#include "vtime/icount/align_stats.h"
#include "vtime/icount/late_warning.h"
#include "vtime/time/host_clock.h"

namespace vtime {

class Aligner {
 public:
  using Reference = std::function<GuestTime()>;  // VIRTUAL_RT
  using WarningSink = std::function<void(std::string_view)>;
  struct Options {
    bool align = true;              // false: measure and warn only, never sleep
    Duration threshold = 3ms;       // sleep only when the lead exceeds this
    WarningSink warn = nullptr;     // where "late" warnings go (may be empty)
  };

  Aligner(HostClock& host, Reference virtual_rt, Options options);

  // One slice boundary: records host-guest, maybe warns, and (align on) sleeps
  // off a lead above the threshold. `virtual_now` must be instruction-exact
  // (the harts synced). Returns the host time slept.
  Duration pace(GuestTime virtual_now);

  AlignSummary summary() const { return stats_.summary(options_.align); }
  void reset_stats() { stats_.reset(); }
  // Current estimate of how late the host wakes up from a sleep.
  Duration wake_latency() const { return latency_; }
  // Host time slept since construction (not reset with the statistics).
  Duration total_slept() const { return total_slept_; }

  // Snapshot (docs/snapshot.md). load() changes nothing unless all of it
  // read cleanly.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  HostClock& host_;
  Reference virtual_rt_;
  Options options_;
  AlignStats stats_;
  LateWarning late_;
  Duration latency_{0};
  Duration total_slept_{0};
};

}  // namespace vtime
