// CLINT: the SiFive core-local interruptor as on QEMU's `virt` board, i.e. an
// ACLINT MSWI device (msip per hart) followed by an MTIMER device (mtimecmp per
// hart, one mtime), RISC-V ACLINT spec v1.0 §2-§3.
// mtime is derived, never ticked: ticks of VIRTUAL at the timebase,
// rounded down, plus an offset that a guest write to mtime sets. Each hart's
// mtimecmp has one GuestTimer armed for the first instant at which mtime >=
// mtimecmp (rounded up, so the interrupt never precedes the comparison); the
// callback checks the comparator again. mtimecmp = UINT64_MAX never fires.
// MTIP is a level: high while mtime >= mtimecmp, re-evaluated whenever mtime or
// mtimecmp is written. The bus serves 4-byte halves of the 64-bit registers.
// Leaves out: SSWI, and the per-socket layout of multi-socket boards.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "vtime/state/state_stream.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"
#include "vtime/time/frequency.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

// CLINT map, offsets from the CLINT base (ACLINT spec: MSWI and MTIMER devices).
namespace clint_reg {
inline constexpr uint64_t kMsip = 0x0000;      // + 4 * hart, 32-bit, bit 0
inline constexpr uint64_t kMtimer = 0x4000;    // the MTIMER device's base
inline constexpr uint64_t kMtimecmp = 0x4000;  // + 8 * hart, 64-bit
inline constexpr uint64_t kMtime = 0xBFF8;     // 64-bit
inline constexpr uint64_t kSize = 0xC000;
inline constexpr uint64_t kMswiSize = kMtimer - kMsip;
inline constexpr uint64_t kMtimerSize = kSize - kMtimer;
inline constexpr unsigned kMaxHarts = 4095;
}  // namespace clint_reg
static_assert(clint_reg::kMtime + 8 == clint_reg::kSize);
static_assert(clint_reg::kMtimecmp + 8 * clint_reg::kMaxHarts <= clint_reg::kMtime);
static_assert(clint_reg::kMsip + 4 * clint_reg::kMaxHarts <= clint_reg::kMtimer);

class Clint {
 public:
  struct Options {
    unsigned harts = 1;
    Frequency timebase = Frequency::mhz(10);
  };

  // Timers go on `timers`' VIRTUAL list; mtime reads its clocks' VIRTUAL.
  Clint(GuestLog& log, TimerGroup& timers, Options options);
  ~Clint();
  Clint(const Clint&) = delete;
  Clint& operator=(const Clint&) = delete;

  // Hart `hart`'s MSIP and MTIP inputs. Connecting drives the current levels.
  void connect(unsigned hart, IrqLine& msip, IrqLine& mtip);

  // The two MMIO devices, to be mapped at base + kMsip and base + kMtimer.
  MmioDevice& mswi();
  MmioDevice& mtimer();

  // mtime now (the harts' `time` CSR reads this). Wraps at 2^64 like the register.
  uint64_t mtime() const;
  // The first guest instant at which mtime reaches `value` (rounded up, so a
  // comparator interrupt never precedes mtime >= value); the past when it
  // already has; never() for UINT64_MAX or a value past 2^64 elapsed ticks.
  // For other comparators on this timebase (Sstc's stimecmp).
  GuestTime instant_of(uint64_t value) const;
  void write_mtime(uint64_t value);
  // mtime - (VIRTUAL ticks since the epoch), modulo 2^64: what a guest write to
  // mtime moved. Told after every change (a guest write, reset), so devices that
  // publish this counter to guests (pvclock) can follow it.
  uint64_t mtime_offset() const { return mtime_offset_; }
  using MtimeWrittenHook = std::function<void(uint64_t offset)>;
  void set_mtime_written_hook(MtimeWrittenHook hook) { mtime_written_ = std::move(hook); }
  uint64_t mtimecmp(unsigned hart) const { return harts_[hart].mtimecmp; }
  void write_mtimecmp(unsigned hart, uint64_t value);
  bool msip(unsigned hart) const { return harts_[hart].msip; }
  void write_msip(unsigned hart, bool pending);
  Frequency timebase() const { return timebase_; }
  unsigned harts() const { return static_cast<unsigned>(harts_.size()); }

  // Device reset: mtime = 0 and msip = 0; mtimecmp keeps its value (the spec
  // leaves it unknown), so MTIP is re-evaluated against the new mtime.
  void reset();

  // The guest time at which hart `hart`'s timer fires, never() when it is
  // not armed (for tests and the run loop's diagnostics).
  GuestTime deadline(unsigned hart) const { return harts_[hart].timer->expire_time(); }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  class Mswi;
  class Mtimer;
  struct Hart {
    uint64_t mtimecmp = 0;  // reset value: MTIP pending until firmware writes it
    bool msip = false;
    bool mtip_level = false;
    IrqLine* msip_line = nullptr;
    IrqLine* mtip_line = nullptr;
    std::unique_ptr<GuestTimer> timer;
  };

  uint64_t elapsed_ticks() const;
  void evaluate(unsigned hart);  // set MTIP and (re)arm the hart's timer
  void evaluate_all();
  void on_timer(unsigned hart);
  void set_mtip(Hart& h, bool level);

  GuestLog& log_;
  TimerGroup& timers_;
  const Frequency timebase_;
  uint64_t mtime_offset_ = 0;  // mtime - elapsed_ticks(), modulo 2^64
  MtimeWrittenHook mtime_written_;
  std::vector<Hart> harts_;
  std::unique_ptr<Mswi> mswi_;
  std::unique_ptr<Mtimer> mtimer_;
};

}  // namespace vtime
