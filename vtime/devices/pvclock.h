// PvClock: the host side of the pvclock (kvmclock) ABI: one
// 32-byte record per hart in guest memory from which the guest computes its
// monotonic ns with a counter read and a multiply-shift, never trapping. The
// record layout, the version seqlock and the flags are KVM's; the counter is
// whatever the guest reads cheaply (the `time` CSR on the RISC-V board, or the
// guest TSC), described by its frequency and offset. The guest's ns are the
// PvTimeline: VIRTUAL minus a fixed zero, shared with PvClockEvent.
// Because the counter and VIRTUAL freeze together, a record never goes stale;
// updates (enable, resume, restore, update()) refresh it and set flags.
// Leaves out: the wall-clock record (no wall time is given to guests).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "vtime/state/state_stream.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/time/frequency.h"
#include "vtime/time/instant.h"

namespace vtime {

// The guest's monotonic ns: VIRTUAL since `zero`. The board picks `zero` (its
// VIRTUAL at reset) and gives the same timeline to PvClock and PvClockEvent.
struct PvTimeline {
  GuestTime zero;
  // ns on the timeline at `t`; 0 before zero.
  uint64_t ns_at(GuestTime t) const {
    const Duration d = t - zero;
    return d.count() <= 0 ? 0 : static_cast<uint64_t>(d.count());
  }
  // The VIRTUAL instant of `ns`; never() when it does not fit.
  GuestTime instant_of(uint64_t ns) const {
    if (ns > static_cast<uint64_t>(Duration::max().count())) return GuestTime::never();
    return zero + Duration(static_cast<int64_t>(ns));
  }
};

// Record layout, little-endian.
namespace pvclock_abi {
inline constexpr size_t kVersion = 0;          // u32, odd while the host writes
inline constexpr size_t kTscTimestamp = 8;     // u64, counter value at system_time
inline constexpr size_t kSystemTime = 16;      // u64, guest ns at tsc_timestamp
inline constexpr size_t kTscToSystemMul = 24;  // u32
inline constexpr size_t kTscShift = 28;        // s8
inline constexpr size_t kFlags = 29;           // u8
inline constexpr size_t kRecordSize = 32;
inline constexpr size_t kRecordAlign = 32;     // so a record never crosses a page
inline constexpr uint8_t kTscStableBit = 1u << 0;
inline constexpr uint8_t kGuestStopped = 1u << 1;
}  // namespace pvclock_abi

// ns = ((delta << shift, or >> -shift) * mul) >> 32 converts counter ticks.
struct PvClockScale {
  uint32_t mul = 0;
  int8_t shift = 0;
  friend bool operator==(const PvClockScale&, const PvClockScale&) = default;
};

// The scale for a counter at `f`: mul uses the full 32 bits (bit 31 set) and is
// rounded down, so a converted span is never longer than the exact one; exact
// when 1e9 * 2^(32-shift) / f is an integer (1 GHz, 100 MHz, 10 MHz...).
PvClockScale pvclock_scale_for(Frequency f);
// The guest's conversion (64x32 -> 96-bit product, top 64 bits kept).
uint64_t pvclock_scale_delta(uint64_t delta, PvClockScale scale);

class PvClock {
 public:
  struct Options {
    // The counter the guest reads: ticks of `frequency` in VIRTUAL since its
    // epoch, rounded down, plus `offset` (VmClocks::tsc() is {tsc rate, 0};
    // the CLINT's mtime is {timebase, its mtime offset}).
    Frequency counter_frequency = Frequency::ghz(1);
    uint64_t counter_offset = 0;
    PvTimeline timeline = {};
  };

  // Listens to `clocks`' run state (stop/resume) and changes (restore); both
  // outlive-safe: a destroyed PvClock ignores later notifications.
  PvClock(VmClocks& clocks, Options options);
  ~PvClock();
  PvClock(const PvClock&) = delete;
  PvClock& operator=(const PvClock&) = delete;

  // Starts maintaining hart `hart`'s record at `record` (32 bytes of guest RAM,
  // 32-byte aligned, host-resident for as long as it is enabled) and writes it.
  void enable(unsigned hart, std::span<uint8_t> record);
  void disable(unsigned hart);
  bool enabled(unsigned hart) const;
  // Rewrites every enabled record from the clocks now. The board calls it
  // after restoring a snapshot (RAM and clocks); VmClocks' restore also
  // triggers it through the change listener.
  void update();
  // The guest moved its counter (wrote mtime): rewrites every record.
  void set_counter_offset(uint64_t offset);

  PvClockScale scale() const { return scale_; }
  const PvTimeline& timeline() const { return options_.timeline; }
  // The counter the guest reads at VIRTUAL instant `t` (for tests and for the
  // board's own reads).
  uint64_t counter_at(GuestTime t) const;
  uint64_t updates() const { return updates_; }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  struct Guard;
  void write_record(std::span<uint8_t> record, bool guest_stopped);
  void on_run_state(RunState state);

  VmClocks& clocks_;
  Options options_;
  PvClockScale scale_;
  std::vector<std::span<uint8_t>> records_;  // by hart; empty span = disabled
  bool was_stopped_ = false;
  uint64_t updates_ = 0;
  std::shared_ptr<Guard> guard_;
};

}  // namespace vtime
