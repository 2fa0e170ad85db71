// The board's optional timer devices, each enabled by an option: the HPET
// (with driftfix), one LAPIC-style timer and one paravirtual
// clock-event device per hart, and the pvclock records page. They
// sit in a part of the physical map QEMU's `virt` leaves free, interrupt
// through PLIC sources, and appear in the device tree only when enabled.
//   0x0600_0000  HPET (0x400)                       PLIC 32 + route
//   0x0601_0000  LAPIC timer, + 0x1000 per hart     PLIC 12 + hart
//   0x0602_0000  PV clock-event, + 0x1000 per hart  PLIC 20 + hart
//   0x0603_0000  pvclock records: 32 bytes per hart (a 4 KiB RAM page)
// The pvclock counter is the CLINT's mtime (what `rdtime` reads); the board
// rewrites the records when a guest writes mtime (see docs/board.md).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "vtime/devices/hpet.h"
#include "vtime/devices/lapic_timer.h"
#include "vtime/devices/plic.h"
#include "vtime/devices/pv_clockevent.h"
#include "vtime/devices/pvclock.h"
#include "vtime/machine/address_map.h"
#include "vtime/machine/device_tree.h"

namespace vtime {

struct TimerDeviceOptions {
  bool lapic_timer = false;
  bool pv_clockevent = false;
  bool pvclock = false;
  std::optional<HpetDriftfix> hpet{};  // present when set
};

namespace timer_devices_map {
inline constexpr uint64_t kHpetBase = 0x0600'0000;
inline constexpr uint64_t kLapicBase = 0x0601'0000;
inline constexpr uint64_t kPvClockEventBase = 0x0602'0000;
inline constexpr uint64_t kPvClockBase = 0x0603'0000;
inline constexpr uint64_t kStride = 0x1000;  // per hart
inline constexpr uint64_t kPvClockRecord = 32;
inline constexpr unsigned kLapicIrq = 12;
inline constexpr unsigned kPvClockEventIrq = 20;
inline constexpr unsigned kHpetIrq = 32;
}  // namespace timer_devices_map

class TimerDevices {
 public:
  TimerDevices(GuestLog& log, TimerGroup& timers, const TimerDeviceOptions& options,
               unsigned harts, Frequency timebase);
  ~TimerDevices();
  TimerDevices(const TimerDevices&) = delete;
  TimerDevices& operator=(const TimerDevices&) = delete;

  // The device-tree nodes of what `options` enables (before anything exists).
  static std::vector<ExtraDeviceNode> device_tree_nodes(const TimerDeviceOptions& options,
                                                        unsigned harts);

  // Maps the enabled devices, connects their interrupts to `plic`, and starts
  // the pvclock records. One sentence on failure (an overlapping window).
  Status attach(AddressMap& map, Plic& plic);

  LapicTimer* lapic_timer(unsigned hart) { return hart < lapic_.size() ? lapic_[hart].get() : nullptr; }
  PvClockEvent* pv_clockevent(unsigned hart) {
    return hart < pvce_.size() ? pvce_[hart].get() : nullptr;
  }
  PvClock* pvclock() { return pvclock_ ? &*pvclock_ : nullptr; }
  Hpet* hpet() { return hpet_.get(); }

 private:
  GuestLog& log_;
  TimerGroup& timers_;
  TimerDeviceOptions options_;
  unsigned harts_;
  Frequency timebase_;
  std::vector<std::unique_ptr<LapicTimer>> lapic_;
  std::vector<std::unique_ptr<PvClockEvent>> pvce_;
  std::optional<PvClock> pvclock_;
  std::unique_ptr<Hpet> hpet_;
};

}  // namespace vtime
