// Register access shape: the one place that checks an access's size
// and alignment against what a device declares, and that serves 4-byte accesses
// to 64-bit registers (bit 2 of the offset selects the high half). The bus calls
// dispatch_read/dispatch_write; devices never see an odd size. Reads used to
// merge a 32-bit write must be free of side effects (true for 64-bit counters
// and comparators, the only registers that ask for splitting).
#pragma once

#include <cstdint>

#include "vtime/devices/mmio_device.h"

namespace vtime::reg_access {

enum class Check : uint8_t { kOk, kBadSize, kMisaligned, kOutsideWindow };

constexpr bool is_power_of_two(unsigned size) { return size != 0 && (size & (size - 1)) == 0; }

// Whether `size` bytes at `offset` form an access the device takes, either
// natively or as a 32-bit half of a 64-bit register.
constexpr Check check(const AccessSizes& sizes, uint64_t window, uint64_t offset,
                      unsigned size) {
  const bool split_half = sizes.split_64_into_32 && size == 4 && sizes.accepts(8);
  if (!is_power_of_two(size) || (!sizes.accepts(size) && !split_half)) return Check::kBadSize;
  if (offset % size != 0) return Check::kMisaligned;
  if (offset >= window || window - offset < size) return Check::kOutsideWindow;
  return Check::kOk;
}

constexpr const char* describe(Check c) {
  switch (c) {
    case Check::kOk: return "ok";
    case Check::kBadSize: return "unsupported access size";
    case Check::kMisaligned: return "misaligned access";
    case Check::kOutsideWindow: return "access beyond the device window";
  }
  return "?";
}

// The 32-bit half of `reg` that a 4-byte access at `offset` addresses.
constexpr uint32_t read_half(uint64_t reg, uint64_t offset) {
  return static_cast<uint32_t>((offset & 4) != 0 ? reg >> 32 : reg);
}

// A 4-byte write at `offset` as bits of its 64-bit register: the value moved
// into place and the mask of the bits it writes. For devices whose registers
// react to which bits a write touched (write-1-to-clear status, a comparator
// that only takes its low half) rather than to a merged whole.
struct HalfWrite {
  uint64_t value;
  uint64_t mask;
};
constexpr HalfWrite half_write(uint64_t offset, uint32_t half) {
  const unsigned shift = (offset & 4) != 0 ? 32 : 0;
  return {uint64_t{half} << shift, uint64_t{0xffff'ffffu} << shift};
}

// `reg` with the half addressed by `offset` replaced by `half`.
constexpr uint64_t merge_half(uint64_t reg, uint64_t offset, uint32_t half) {
  const HalfWrite w = half_write(offset, half);
  return (reg & ~w.mask) | w.value;
}

// True when a device that declares split_64_into_32 gets this access as its
// whole 64-bit register: every 4-byte access to such a device is split.
constexpr bool is_split(const AccessSizes& sizes, unsigned size) {
  return size == 4 && sizes.split_64_into_32;
}

// Reads an access that check() accepted. A split 4-byte access reads the whole
// 64-bit register and returns the addressed half.
inline uint64_t dispatch_read(MmioDevice& dev, const AccessSizes& sizes, uint64_t offset,
                              unsigned size) {
  if (is_split(sizes, size)) {
    return read_half(dev.read(offset & ~uint64_t{7}, 8), offset);
  }
  return dev.read(offset, size);
}

// Writes an access that check() accepted; a split 4-byte write reads the
// register, merges the half and writes the whole register back.
inline void dispatch_write(MmioDevice& dev, const AccessSizes& sizes, uint64_t offset,
                           unsigned size, uint64_t value) {
  if (is_split(sizes, size)) {
    const uint64_t base = offset & ~uint64_t{7};
    const uint64_t merged = merge_half(dev.read(base, 8), offset, static_cast<uint32_t>(value));
    dev.write(base, 8, merged);
    return;
  }
  dev.write(offset, size, value);
}

}  // namespace vtime::reg_access
