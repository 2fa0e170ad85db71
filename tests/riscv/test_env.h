// TestEnv: a HartEnv over a plain RAM buffer plus one recording "device" page,
// standing in for the board's bus in hart tests. Time reads return a value
// derived from the instructions reported through sync(), so a test can see
// that the hart synced exactly before reading.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <utility>
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

// PMP tests: boot code at kRamBase that points mtvec at kPmpVector (nops),
// writes pmpaddr0..n-1 = `addrs` and pmpcfg0 = `cfg0` (values from a table at
// kPmpTable), then MRETs to `entry` in `mode`. Run pmp_boot_length(addrs)
// instructions to reach `entry`.
inline constexpr uint64_t kPmpVector = kRamBase + 0x100;
inline constexpr uint64_t kPmpTable = kRamBase + 0x800;
inline uint64_t pmp_boot_length(std::initializer_list<uint64_t> addrs) { return 2 * addrs.size() + 9; }
inline void pmp_boot(Rig& rig, std::initializer_list<uint64_t> addrs, uint64_t cfg0, Priv mode,
                     uint64_t entry) {
  constexpr unsigned kT1 = 6, kS2 = 18;
  auto ld_t1 = [](unsigned slot) {  // ld t1, 8*slot(s2)
    return (8 * slot << 20) | (kS2 << 15) | (3u << 12) | (kT1 << 7) | 0x03;
  };
  auto csrw_t1 = [](uint32_t csr) { return (csr << 20) | (kT1 << 15) | (1u << 12) | 0x73; };
  std::vector<uint32_t> code;
  std::vector<uint64_t> table = addrs;
  table.push_back(cfg0);
  table.push_back(kPmpVector);
  table.push_back(entry);
  table.push_back(static_cast<uint64_t>(mode) << mstatus::kMppShift);
  const auto n = static_cast<unsigned>(addrs.size());
  code.push_back(ld_t1(n + 1));
  code.push_back(csrw_t1(csr::kMtvec));
  for (unsigned i = 0; i < n; ++i) {
    code.push_back(ld_t1(i));
    code.push_back(csrw_t1(csr::kPmpaddr0 + i));
  }
  for (auto [slot, csr_num] : {std::pair{n, csr::kPmpcfg0}, std::pair{n + 2, csr::kMepc},
                               std::pair{n + 3, csr::kMstatus}}) {
    code.push_back(ld_t1(slot));
    code.push_back(csrw_t1(csr_num));
  }
  code.push_back(0x30200073);  // mret
  for (size_t i = 0; i < code.size(); ++i) rig.env.put(kRamBase + 4 * i, 4, code[i]);
  for (size_t i = 0; i < table.size(); ++i) rig.env.put(kPmpTable + 8 * i, 8, table[i]);
  rig.env.put_words(kPmpVector, {0x00000013, 0x00000013});
  rig.hart.set_reg(kS2, kPmpTable);
}

}  // namespace vtime::riscv::test
