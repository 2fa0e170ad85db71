// BoardHartEnv: how one hart sees the board - the address map for memory and
// devices, the CLINT's mtime for the `time` CSR, and, under icount, the bridge
// between the hart's exact retired counts and the icount engine's HartBudget:
// every sync() charges and publishes, so a device reads VIRTUAL at exactly the
// accessing instruction; after every device access the hart's budget is cut
// to what the engine still allows (the access may have armed an earlier timer).
// Convention (QEMU's): the accessing instruction counts as executed when the
// device looks at the time, so the 7th instruction after reset reads
// 7 x 2^shift ns. The hart reports it only later (it may still fault), so the
// access charges it at once and the next sync() deducts it again.
#pragma once

#include <cstdint>
#include <functional>

#include "vtime/icount/hart_budget.h"
#include "vtime/machine/address_map.h"
#include "vtime/riscv/hart.h"
#include "vtime/riscv/hart_env.h"

namespace vtime {

class BoardHartEnv final : public riscv::HartEnv {
 public:
  using TimeSource = std::function<uint64_t()>;
  using StimecmpSink = std::function<void(uint64_t)>;

  BoardHartEnv(AddressMap& map, TimeSource read_time) : map_(map), read_time_(std::move(read_time)) {}

  // Both set once by the board after the hart exists (the hart needs its env
  // first). `budget` is null when icount is off.
  void attach(riscv::Hart& hart, HartBudget* budget) {
    hart_ = &hart;
    budget_ = budget;
  }
  // Where stimecmp writes go (the board's SstcTimer for this hart).
  void attach_stimecmp(StimecmpSink sink) { stimecmp_ = std::move(sink); }

  uint8_t* host_page(uint64_t page_paddr, riscv::PageAccess access) override;
  riscv::BusResult load(uint64_t paddr, unsigned size, uint64_t& value) override;
  riscv::BusResult store(uint64_t paddr, unsigned size, uint64_t value) override;
  uint64_t read_time() override;
  void sync(uint64_t retired) override;
  // Like a device store, the write may arm an earlier VIRTUAL deadline (the
  // SstcTimer): follow the engine's lowered limit so STIP rises on time.
  void set_stimecmp(uint64_t value) override {
    if (stimecmp_) stimecmp_(value);
    follow_budget();
  }

  uint64_t device_accesses() const { return device_accesses_; }

 private:
  void charge_accessing_instruction();
  void follow_budget();

  AddressMap& map_;
  TimeSource read_time_;
  StimecmpSink stimecmp_;
  riscv::Hart* hart_ = nullptr;
  HartBudget* budget_ = nullptr;
  uint64_t device_accesses_ = 0;
  uint64_t precharged_ = 0;  // accessing instructions charged before the hart reported them
};

}  // namespace vtime
