// The four VM clocks, with QEMU's ids (they index arrays and appear in snapshots):
// REALTIME (host monotonic, always runs), VIRTUAL (guest time, stops with the VM),
// HOST (host wall clock, always runs, follows steps), VIRTUAL_RT (host running
// time while the VM runs, even under icount). Each clock reads as an Instant of
// one domain; domain_of() says which.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vtime {

enum class ClockId : uint8_t { kRealtime = 0, kVirtual = 1, kHost = 2, kVirtualRt = 3 };
inline constexpr size_t kClockCount = 4;
inline constexpr std::array<ClockId, kClockCount> kAllClocks = {
    ClockId::kRealtime, ClockId::kVirtual, ClockId::kHost, ClockId::kVirtualRt};

enum class ClockDomain : uint8_t { kGuest, kHost, kWall };

constexpr ClockDomain domain_of(ClockId id) {
  switch (id) {
    case ClockId::kRealtime: return ClockDomain::kHost;
    case ClockId::kHost: return ClockDomain::kWall;
    case ClockId::kVirtual:
    case ClockId::kVirtualRt: return ClockDomain::kGuest;
  }
  return ClockDomain::kGuest;
}

constexpr size_t index_of(ClockId id) { return static_cast<size_t>(id); }

constexpr std::string_view clock_name(ClockId id) {
  switch (id) {
    case ClockId::kRealtime: return "realtime";
    case ClockId::kVirtual: return "virtual";
    case ClockId::kHost: return "host";
    case ClockId::kVirtualRt: return "virtual_rt";
  }
  return "?";
}

}  // namespace vtime
