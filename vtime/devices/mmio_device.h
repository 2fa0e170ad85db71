// MmioDevice: a memory-mapped device as the bus sees it. Each device declares
// the access sizes it accepts; the bus rejects the rest (a guest error, never a
// crash) and splits/merges 32-bit halves of 64-bit registers with the shared
// helper in reg_access.h, so device code never handles odd sizes.
// Offsets are relative to the device's base. Guest misbehaviour (reserved
// offsets, read-only registers) follows the architected result and is logged;
// it is never a C++ error.
#pragma once

#include <cstdint>
#include <string_view>

namespace vtime {

struct AccessSizes {
  unsigned min = 4;  // bytes, power of two
  unsigned max = 4;
  // When true the bus serves 4-byte accesses to 8-byte-aligned registers by
  // reading/writing the 64-bit register and merging the half (high half at +4).
  bool split_64_into_32 = false;
  constexpr bool accepts(unsigned size) const { return size >= min && size <= max; }
};

class MmioDevice {
 public:
  virtual ~MmioDevice() = default;
  virtual std::string_view name() const = 0;
  virtual uint64_t size() const = 0;  // window size in bytes
  virtual AccessSizes sizes() const = 0;
  // `size` is one the device accepts (sizes().accepts(size)): a 4-byte half of
  // a split 64-bit register reaches the device as its whole register, through
  // reg_access::dispatch_read/dispatch_write. `offset` is aligned to `size`.
  virtual uint64_t read(uint64_t offset, unsigned size) = 0;
  virtual void write(uint64_t offset, unsigned size, uint64_t value) = 0;
};

}  // namespace vtime
