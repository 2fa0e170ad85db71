// The reference board's physical memory map and wiring: QEMU `virt` compatible
// (see docs/board.md), so the same firmware and
// kernels run on both. One place for every base, size and interrupt number.
#pragma once

#include <cstdint>

#include "vtime/time/frequency.h"

namespace vtime::virt_map {

inline constexpr uint64_t kMromBase = 0x0000'1000;   // boot ROM (reset vector)
inline constexpr uint64_t kMromSize = 0xf000;
inline constexpr uint64_t kTestBase = 0x0010'0000;   // SiFive test finisher
inline constexpr uint64_t kTestSize = 0x1000;
inline constexpr uint64_t kRtcBase = 0x0010'1000;   // goldfish RTC
inline constexpr uint64_t kRtcSize = 0x1000;
inline constexpr uint64_t kClintBase = 0x0200'0000;  // CLINT: MSWI at +0, MTIMER at +0x4000
inline constexpr uint64_t kClintSize = 0x10000;
inline constexpr uint64_t kPlicBase = 0x0c00'0000;
inline constexpr uint64_t kPlicSize = 0x60'0000;
inline constexpr uint64_t kUartBase = 0x1000'0000;
inline constexpr uint64_t kUartSize = 0x100;
inline constexpr uint64_t kDramBase = 0x8000'0000;

inline constexpr unsigned kUartIrq = 10;             // PLIC source
inline constexpr unsigned kRtcIrq = 11;              // PLIC source
// riscv,ndev as QEMU 7.2's virt announces it: 96, one more than the sources it
// implements (1..95); source 96's registers read zero and ignore writes.
inline constexpr unsigned kPlicNdev = 96;
inline constexpr unsigned kMaxHarts = 8;
inline constexpr Frequency kTimebase = Frequency::mhz(10);     // mtime, timebase-frequency
inline constexpr Frequency kUartClock = Frequency::hz(3'686'400);

// Interrupt numbers of a hart's local interrupt controller (mip bits).
inline constexpr uint32_t kIrqSSoft = 1, kIrqMSoft = 3, kIrqSTimer = 5, kIrqMTimer = 7,
                          kIrqSExt = 9, kIrqMExt = 11;

}  // namespace vtime::virt_map
