// HPET register map and bit fields (IA-PC HPET specification 1.0a, §2.3),
// names as in the specification. Offsets are from the block's base; timer N's
// registers sit at kTimer0 + N * kTimerStride.
#pragma once

#include <cstdint>

namespace vtime::hpet_reg {

inline constexpr uint64_t kGcapId = 0x000;      // General Capabilities and ID (ro)
inline constexpr uint64_t kGenConf = 0x010;     // General Configuration
inline constexpr uint64_t kGintrSta = 0x020;    // General Interrupt Status (write 1 to clear)
inline constexpr uint64_t kMainCnt = 0x0F0;     // Main Counter Value
inline constexpr uint64_t kTimer0 = 0x100;      // Timer 0 Configuration and Capability
inline constexpr uint64_t kTimerStride = 0x20;
inline constexpr uint64_t kTnConfCap = 0x00;    // within a timer's block
inline constexpr uint64_t kTnComparator = 0x08;
inline constexpr uint64_t kTnFsbRoute = 0x10;
inline constexpr uint64_t kSize = 0x400;        // the specification's 1 KiB window

inline constexpr unsigned kMinTimers = 3;
inline constexpr unsigned kMaxTimers = 32;
// The 1 KiB window holds 24 timers; more (up to 32) widen the window.
constexpr uint64_t window_for(unsigned timers) {
  const uint64_t end = kTimer0 + uint64_t{timers} * kTimerStride;
  return end > kSize ? end : kSize;
}
static_assert(window_for(24) == kSize);

// GCAP_ID fields.
inline constexpr uint64_t kRevId = 0x01;              // [7:0]
inline constexpr unsigned kNumTimCapShift = 8;        // [12:8] timers - 1
inline constexpr uint64_t kCountSizeCap = 1u << 13;   // 64-bit main counter
inline constexpr uint64_t kLegRtCap = 1u << 15;       // legacy replacement routing
inline constexpr uint64_t kVendorId = 0x8086ull << 16;
inline constexpr unsigned kClkPeriodShift = 32;       // [63:32] femtoseconds per tick
inline constexpr uint64_t kClkPeriodFs = 10'000'000;  // 10 ns: a 100 MHz counter

// GEN_CONF bits.
inline constexpr uint64_t kEnableCnf = 1u << 0;
inline constexpr uint64_t kLegRtCnf = 1u << 1;
inline constexpr uint64_t kGenConfWritable = kEnableCnf | kLegRtCnf;

// Tn_CONF_CAP bits.
inline constexpr uint64_t kTnIntTypeCnf = 1u << 1;   // 1 = level, 0 = edge
inline constexpr uint64_t kTnIntEnbCnf = 1u << 2;
inline constexpr uint64_t kTnTypeCnf = 1u << 3;      // 1 = periodic
inline constexpr uint64_t kTnPerIntCap = 1u << 4;    // ro: periodic capable
inline constexpr uint64_t kTnSizeCap = 1u << 5;      // ro: 64-bit comparator
inline constexpr uint64_t kTnValSetCnf = 1u << 6;    // next comparator write sets the accumulator
inline constexpr uint64_t kTn32ModeCnf = 1u << 8;
inline constexpr unsigned kTnIntRouteShift = 9;      // [13:9]
inline constexpr uint64_t kTnIntRouteMask = 0x1Full << kTnIntRouteShift;
inline constexpr uint64_t kTnFsbEnCnf = 1u << 14;    // not implemented: no FSB capability
inline constexpr unsigned kTnIntRouteCapShift = 32;  // [63:32] routes the timer may use
inline constexpr uint64_t kTnConfWritable =
    kTnIntTypeCnf | kTnIntEnbCnf | kTnTypeCnf | kTnValSetCnf | kTn32ModeCnf | kTnIntRouteMask;

inline constexpr unsigned kRoutes = 32;
// Legacy replacement: timer 0 drives the PIT's input, timer 1 the RTC's.
inline constexpr unsigned kLegacyRouteTimer0 = 0;
inline constexpr unsigned kLegacyRouteTimer1 = 8;

}  // namespace vtime::hpet_reg
