// AddressMap: the board's physical address space. RAM and ROM are host buffers
// the harts may reach directly through host pointers (the fast path); MMIO
// windows dispatch to MmioDevices after the access shape check of reg_access.h.
// Guest mistakes (unmapped address, a size or alignment the device does not
// take, a store to ROM) are logged as guest errors and answered with
// BusStatus::kAccessFault; the hart turns that into the architected fault.
// Regions never overlap (checked when added). Lookups: a sorted vector searched
// by binary search behind a one-entry last-hit cache.
// Not thread-safe: one board, one run-loop thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vtime/devices/guest_log.h"
#include "vtime/devices/mmio_device.h"
#include "vtime/time/result.h"

namespace vtime {

enum class BusStatus : uint8_t { kOk, kAccessFault };

struct BusRead {
  BusStatus status;
  uint64_t value;  // zero-extended; 0 on a fault
};

enum class RegionKind : uint8_t { kRam, kRom, kMmio };

struct Region {
  uint64_t base = 0;
  uint64_t size = 0;
  RegionKind kind = RegionKind::kRam;
  std::string name;
  uint8_t* host = nullptr;        // kRam / kRom: the backing bytes
  MmioDevice* device = nullptr;   // kMmio
  AccessSizes sizes{};            // kMmio: cached device->sizes()
  uint64_t last() const { return base + (size - 1); }
  bool contains(uint64_t addr) const { return addr >= base && addr - base < size; }
};

class AddressMap {
 public:
  explicit AddressMap(GuestLog& log) : log_(log) {}
  AddressMap(const AddressMap&) = delete;
  AddressMap& operator=(const AddressMap&) = delete;

  // Adds zero-filled RAM owned by the map. Fails (one sentence) when the region
  // is empty, wraps past 2^64 or overlaps another region, or the host cannot
  // allocate it.
  Status add_ram(std::string name, uint64_t base, uint64_t size);
  // Adds read-only memory holding a copy of `contents`, padded with zeros to
  // `size`. The board (and loader) may still fill it through host_span().
  Status add_rom(std::string name, uint64_t base, uint64_t size,
                 std::span<const uint8_t> contents = {});
  // Maps `device` at `base` for device.size() bytes; the map does not own it.
  Status add_device(uint64_t base, MmioDevice& device);

  // Fast path: a host pointer to `size` bytes at `addr` if they lie inside one
  // RAM region, else nullptr; stable for the map's lifetime. The second form
  // also serves ROM, for instruction fetch.
  uint8_t* ram_pointer(uint64_t addr, uint64_t size);
  const uint8_t* rom_or_ram_pointer(uint64_t addr, uint64_t size);

  // A guest access of 1, 2, 4 or 8 bytes. RAM and ROM take any size at any
  // alignment inside the region (misalignment is the hart's decision); MMIO
  // takes what the device declares. Little-endian.
  BusRead read(uint64_t addr, unsigned size);
  BusStatus write(uint64_t addr, unsigned size, uint64_t value);

  // For the board and the loader: the backing bytes of [addr, addr + size) if
  // they lie inside one RAM or ROM region, else an empty span.
  std::span<uint8_t> host_span(uint64_t addr, uint64_t size);

  // Zeroes [addr, addr + size) of one RAM region (reset). Whole host pages are
  // handed back to the kernel instead of written, so clearing a large, mostly
  // untouched RAM costs almost nothing; returns false when the range is not RAM.
  bool zero_ram(uint64_t addr, uint64_t size);

  // The region holding `addr`, or nullptr.
  const Region* find(uint64_t addr);
  const std::vector<Region>& regions() const { return regions_; }

 private:
  Status insert(Region region);
  const Region* lookup(uint64_t addr);
  BusRead read_mmio(const Region& r, uint64_t addr, unsigned size);
  BusStatus write_mmio(const Region& r, uint64_t addr, unsigned size, uint64_t value);

  GuestLog& log_;
  std::vector<Region> regions_;  // sorted by base
  // Host buffers are anonymous mappings: page-aligned (4 KiB), so any naturally
  // aligned guest structure in RAM is also aligned on the host (pvclock records
  // use std::atomic_ref on them), and zero pages the kernel provides on first
  // touch, so a 1 GiB guest that uses 10 MiB costs 10 MiB.
  class HostBuffer {
   public:
    HostBuffer() = default;
    HostBuffer(uint8_t* data, size_t length) : data_(data), length_(length) {}
    HostBuffer(HostBuffer&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), length_(std::exchange(other.length_, 0)) {}
    HostBuffer& operator=(HostBuffer&&) = delete;
    ~HostBuffer();
    uint8_t* get() const { return data_; }
    explicit operator bool() const { return data_ != nullptr; }

   private:
    uint8_t* data_ = nullptr;
    size_t length_ = 0;
  };
  static HostBuffer allocate_zeroed(uint64_t size);
  std::vector<HostBuffer> buffers_;
  const Region* last_hit_ = nullptr;
};

}  // namespace vtime
