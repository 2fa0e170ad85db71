// Alignment statistics: how far guest time (VIRTUAL) is from host running time
// (VIRTUAL_RT), sampled at slice boundaries. Keeps QEMU's figures (current
// host-guest difference, max delay, max advance; `info jit`) plus a resettable
// log-linear histogram of |difference| for p50/p99/max, and the summary lines
// the command prints. Sign convention as QEMU: host - guest > 0 = guest late.
#pragma once

#include <cstdint>
#include <string>

#include "vtime/state/state_stream.h"
#include "vtime/time/duration.h"
#include "vtime/time/span_histogram.h"

namespace vtime {

struct AlignSummary {
  bool align = false;              // align=on: max delay/advance are tracked
  Duration host_minus_guest{0};    // latest sample; > 0 = guest behind
  Duration max_delay{0};           // largest host - guest seen (>= 0)
  Duration max_advance{0};         // largest guest - host seen (>= 0)
  Duration p50{0}, p99{0}, max_abs{0};
  uint64_t samples = 0;
  uint64_t sleeps = 0;
  Duration slept{0};
  uint64_t warnings = 0;
};

class AlignStats {
 public:
  // One measurement: guest - host (> 0 = guest ahead).
  void record_lead(Duration lead);
  void record_sleep(Duration slept);
  void record_warning() { ++warnings_; }
  // Everything except the current difference restarts from zero.
  void reset();
  AlignSummary summary(bool align) const;

  // Snapshot (docs/snapshot.md). load() changes nothing unless all of it
  // read cleanly.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  Duration current_lead_{0};
  Duration max_delay_{0};
  Duration max_advance_{0};
  SpanHistogram histogram_;
  uint64_t sleeps_ = 0;
  Duration slept_{0};
  uint64_t warnings_ = 0;
};

// QEMU's `info jit` icount lines, then vtime's distribution lines:
//   Host - Guest clock  12 ms
//   Max guest delay     40 ms        (NA without align)
//   Max guest advance   3 ms         (NA without align)
//   |Host - Guest|      p50 1.2 ms  p99 2.9 ms  max 3.0 ms  (812 samples)
//   Align sleeps        20 (58.0 ms)
std::string format_align_summary(const AlignSummary& summary);

}  // namespace vtime
