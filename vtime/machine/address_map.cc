#include "vtime/machine/address_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>

#include <sys/mman.h>

#include "vtime/devices/reg_access.h"

namespace vtime {

namespace {

// Guest memory is little-endian, like the only hosts we build for.
static_assert(std::endian::native == std::endian::little);

// Fixed-size copies per case so each compiles to one move, not a memcpy call.
template <class T>
uint64_t load_as(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

uint64_t load_le(const uint8_t* p, unsigned size) {
  switch (size) {
    case 1: return *p;
    case 2: return load_as<uint16_t>(p);
    case 4: return load_as<uint32_t>(p);
    default: return load_as<uint64_t>(p);
  }
}

template <class T>
void store_as(uint8_t* p, uint64_t v) {
  const auto t = static_cast<T>(v);
  std::memcpy(p, &t, sizeof(T));
}

void store_le(uint8_t* p, unsigned size, uint64_t v) {
  switch (size) {
    case 1: *p = static_cast<uint8_t>(v); return;
    case 2: store_as<uint16_t>(p, v); return;
    case 4: store_as<uint32_t>(p, v); return;
    default: store_as<uint64_t>(p, v); return;
  }
}

bool valid_size(unsigned size) { return size == 1 || size == 2 || size == 4 || size == 8; }

}  // namespace

constexpr uint64_t kHostPage = 4096;

AddressMap::HostBuffer::~HostBuffer() {
  if (data_ != nullptr) munmap(data_, length_);
}

AddressMap::HostBuffer AddressMap::allocate_zeroed(uint64_t size) {
  if (size > SIZE_MAX - kHostPage) return {};
  const size_t length = static_cast<size_t>(size == 0 ? 1 : size);
  // MAP_NORESERVE: guest RAM is mostly never touched; do not charge it all up front.
  void* p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return {};
  return HostBuffer(static_cast<uint8_t*>(p), length);
}

bool AddressMap::zero_ram(uint64_t addr, uint64_t size) {
  const Region* r = find(addr);
  if (r == nullptr || r->kind != RegionKind::kRam || size > r->size || addr - r->base > r->size - size) {
    return false;
  }
  uint8_t* const begin = r->host + (addr - r->base);
  uint8_t* const end = begin + size;
  // Partial pages at either end are written; whole pages go back to the kernel
  // (the next touch maps a fresh zero page).
  const auto round_up = [](uintptr_t v) { return (v + kHostPage - 1) & ~(kHostPage - 1); };
  uint8_t* const first_page = reinterpret_cast<uint8_t*>(round_up(reinterpret_cast<uintptr_t>(begin)));
  uint8_t* const last_page = reinterpret_cast<uint8_t*>(reinterpret_cast<uintptr_t>(end) & ~(kHostPage - 1));
  if (first_page >= last_page || madvise(first_page, static_cast<size_t>(last_page - first_page), MADV_DONTNEED) != 0) {
    std::memset(begin, 0, size);
    return true;
  }
  std::memset(begin, 0, static_cast<size_t>(first_page - begin));
  std::memset(last_page, 0, static_cast<size_t>(end - last_page));
  return true;
}

Status AddressMap::add_ram(std::string name, uint64_t base, uint64_t size) {
  HostBuffer buffer = allocate_zeroed(size);
  if (size != 0 && !buffer) {
    return Error{fmt::format("cannot allocate {} MiB of host memory for {}", size >> 20, name)};
  }
  Region r{.base = base, .size = size, .kind = RegionKind::kRam, .name = std::move(name),
           .host = buffer.get()};
  Status s = insert(std::move(r));
  if (s.ok()) buffers_.push_back(std::move(buffer));
  return s;
}

Status AddressMap::add_rom(std::string name, uint64_t base, uint64_t size,
                           std::span<const uint8_t> contents) {
  if (contents.size() > size) {
    return Error{fmt::format("{} contents ({} bytes) do not fit its {} bytes", name,
                             contents.size(), size)};
  }
  HostBuffer buffer = allocate_zeroed(size);
  if (size != 0 && !buffer) return Error{fmt::format("cannot allocate host memory for {}", name)};
  if (!contents.empty()) std::memcpy(buffer.get(), contents.data(), contents.size());
  Region r{.base = base, .size = size, .kind = RegionKind::kRom, .name = std::move(name),
           .host = buffer.get()};
  Status s = insert(std::move(r));
  if (s.ok()) buffers_.push_back(std::move(buffer));
  return s;
}

Status AddressMap::add_device(uint64_t base, MmioDevice& device) {
  Region r{.base = base, .size = device.size(), .kind = RegionKind::kMmio,
           .name = std::string(device.name()), .device = &device, .sizes = device.sizes()};
  return insert(std::move(r));
}

Status AddressMap::insert(Region region) {
  if (region.size == 0) return Error{fmt::format("{} has size zero", region.name)};
  if (region.base + (region.size - 1) < region.base) {
    return Error{fmt::format("{} at {:#x} extends past the end of the address space",
                             region.name, region.base)};
  }
  for (const Region& other : regions_) {
    if (region.base <= other.last() && other.base <= region.last()) {
      return Error{fmt::format("{} [{:#x}, {:#x}] overlaps {} [{:#x}, {:#x}]", region.name,
                               region.base, region.last(), other.name, other.base, other.last())};
    }
  }
  const auto at = std::upper_bound(regions_.begin(), regions_.end(), region.base,
                                   [](uint64_t b, const Region& r) { return b < r.base; });
  regions_.insert(at, std::move(region));
  last_hit_ = nullptr;  // the vector moved
  return ok_status();
}

const Region* AddressMap::lookup(uint64_t addr) {
  if (last_hit_ != nullptr && last_hit_->contains(addr)) return last_hit_;
  auto it = std::upper_bound(regions_.begin(), regions_.end(), addr,
                             [](uint64_t a, const Region& r) { return a < r.base; });
  if (it == regions_.begin()) return nullptr;
  --it;
  if (!it->contains(addr)) return nullptr;
  last_hit_ = &*it;
  return last_hit_;
}

const Region* AddressMap::find(uint64_t addr) { return lookup(addr); }

uint8_t* AddressMap::ram_pointer(uint64_t addr, uint64_t size) {
  const Region* r = lookup(addr);
  if (r == nullptr || r->kind != RegionKind::kRam || r->last() - addr < size - 1) return nullptr;
  return r->host + (addr - r->base);
}

const uint8_t* AddressMap::rom_or_ram_pointer(uint64_t addr, uint64_t size) {
  const Region* r = lookup(addr);
  if (r == nullptr || r->kind == RegionKind::kMmio || r->last() - addr < size - 1) return nullptr;
  return r->host + (addr - r->base);
}

std::span<uint8_t> AddressMap::host_span(uint64_t addr, uint64_t size) {
  if (size == 0) return {};
  const Region* r = lookup(addr);
  if (r == nullptr || r->kind == RegionKind::kMmio || r->last() - addr < size - 1) return {};
  return {r->host + (addr - r->base), size};
}

BusRead AddressMap::read(uint64_t addr, unsigned size) {
  const Region* r = lookup(addr);
  if (r == nullptr || !valid_size(size)) {
    log_.guest_error("bus: {}-byte read from unmapped address {:#x}", size, addr);
    return {BusStatus::kAccessFault, 0};
  }
  if (r->kind == RegionKind::kMmio) return read_mmio(*r, addr, size);
  if (r->last() - addr < size - 1) {
    log_.guest_error("bus: {}-byte read at {:#x} runs off the end of {}", size, addr, r->name);
    return {BusStatus::kAccessFault, 0};
  }
  return {BusStatus::kOk, load_le(r->host + (addr - r->base), size)};
}

BusStatus AddressMap::write(uint64_t addr, unsigned size, uint64_t value) {
  const Region* r = lookup(addr);
  if (r == nullptr || !valid_size(size)) {
    log_.guest_error("bus: {}-byte write of {:#x} to unmapped address {:#x}", size, value, addr);
    return BusStatus::kAccessFault;
  }
  switch (r->kind) {
    case RegionKind::kMmio:
      return write_mmio(*r, addr, size, value);
    case RegionKind::kRom:
      log_.guest_error("bus: write of {:#x} to read-only {} at {:#x}", value, r->name, addr);
      return BusStatus::kAccessFault;
    case RegionKind::kRam:
      break;
  }
  if (r->last() - addr < size - 1) {
    log_.guest_error("bus: {}-byte write at {:#x} runs off the end of {}", size, addr, r->name);
    return BusStatus::kAccessFault;
  }
  store_le(r->host + (addr - r->base), size, value);
  return BusStatus::kOk;
}

BusRead AddressMap::read_mmio(const Region& r, uint64_t addr, unsigned size) {
  const uint64_t offset = addr - r.base;
  const auto check = reg_access::check(r.sizes, r.size, offset, size);
  if (check != reg_access::Check::kOk) {
    log_.guest_error("{}: {}-byte read at offset {:#x}: {}", r.name, size, offset,
                     reg_access::describe(check));
    return {BusStatus::kAccessFault, 0};
  }
  const uint64_t v = reg_access::dispatch_read(*r.device, r.sizes, offset, size);
  const uint64_t mask = size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  return {BusStatus::kOk, v & mask};
}

BusStatus AddressMap::write_mmio(const Region& r, uint64_t addr, unsigned size, uint64_t value) {
  const uint64_t offset = addr - r.base;
  const auto check = reg_access::check(r.sizes, r.size, offset, size);
  if (check != reg_access::Check::kOk) {
    log_.guest_error("{}: {}-byte write of {:#x} at offset {:#x}: {}", r.name, size, value, offset,
                     reg_access::describe(check));
    return BusStatus::kAccessFault;
  }
  const uint64_t mask = size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  reg_access::dispatch_write(*r.device, r.sizes, offset, size, value & mask);
  return BusStatus::kOk;
}

}  // namespace vtime
