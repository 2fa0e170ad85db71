// TestEnv: a HartEnv over a plain RAM buffer plus one recording "device" page,
// standing in for the board's bus in hart tests. Time reads return a value
// derived from the instructions reported through sync(), so a test can see
// that the hart synced exactly before reading.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <vector>

#include "vtime/riscv/hart.h"
#include "vtime/riscv/hart_env.h"

namespace vtime::riscv::test {

inline constexpr uint64_t kRamBase = 0x80000000;
inline constexpr uint64_t kRamSize = 64 * 1024;
inline constexpr uint64_t kData = kRamBase + 0x1000;   // data page used by the tests
inline constexpr uint64_t kDevice = 0x10000000;        // one page of recording device
inline constexpr uint64_t kRom = 0x1000;               // read/fetch-only page

struct DeviceAccess {
  bool store;
  uint64_t addr;
  unsigned size;
  uint64_t value;
  uint64_t retired_before;  // sum of sync() values when the access happened
};

class TestEnv : public HartEnv {
 public:
  TestEnv() : ram_(kRamSize, 0), rom_(kPageSize, 0) {}

  uint8_t* host_page(uint64_t page_paddr, PageAccess access) override {
    if (page_paddr >= kRamBase && page_paddr < kRamBase + kRamSize) return &ram_[page_paddr - kRamBase];
    if (page_paddr == kRom && access != PageAccess::kWrite) return rom_.data();
    return nullptr;
  }
  BusResult load(uint64_t paddr, unsigned size, uint64_t& value) override {
    if (!is_device(paddr)) return BusResult::kAccessFault;
    value = device_value;
    accesses.push_back({false, paddr, size, 0, retired});
    if (on_device) on_device();
    return BusResult::kOk;
  }
  BusResult store(uint64_t paddr, unsigned size, uint64_t value) override {
    if (!is_device(paddr)) return BusResult::kAccessFault;
    accesses.push_back({true, paddr, size, value, retired});
    if (on_device) on_device();
    return BusResult::kOk;
  }
  uint64_t read_time() override {
    ++time_reads;
    return retired * 10 + time_offset;
  }
  void sync(uint64_t n) override {
    retired += n;
    syncs.push_back(n);
  }

  // Writes `words` as consecutive 32-bit instructions from `addr`.
  void put_words(uint64_t addr, std::initializer_list<uint32_t> words) {
    for (uint32_t w : words) {
      put(addr, 4, w);
      addr += 4;
    }
  }
  void put(uint64_t addr, unsigned size, uint64_t value) {
    std::memcpy(bytes(addr), &value, size);
  }
  uint64_t get(uint64_t addr, unsigned size) {
    uint64_t v = 0;
    std::memcpy(&v, bytes(addr), size);
    return v;
  }
  uint8_t* bytes(uint64_t addr) {
    return addr >= kRom && addr < kRom + kPageSize ? &rom_[addr - kRom] : &ram_[addr - kRamBase];
  }

  std::vector<DeviceAccess> accesses;
  std::vector<uint64_t> syncs;
  uint64_t retired = 0;
  uint64_t device_value = 0;
  uint64_t time_reads = 0;
  uint64_t time_offset = 0;
  std::function<void()> on_device;

 private:
  static bool is_device(uint64_t paddr) { return paddr >= kDevice && paddr < kDevice + kPageSize; }
  std::vector<uint8_t> ram_;
  std::vector<uint8_t> rom_;
};

// A hart starting in M mode at kRamBase over a TestEnv.
struct Rig {
  TestEnv env;
  Hart hart{env, {.hart_id = 0, .reset_pc = kRamBase}};
};

}  // namespace vtime::riscv::test
