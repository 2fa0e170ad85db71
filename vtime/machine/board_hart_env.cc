#include "vtime/machine/board_hart_env.h"

#include <algorithm>

namespace vtime {

uint8_t* BoardHartEnv::host_page(uint64_t page_paddr, riscv::PageAccess access) {
  switch (access) {
    case riscv::PageAccess::kRead:
    case riscv::PageAccess::kFetch:
      // ROM is readable and executable; const is restored by never handing it
      // out for writes.
      return const_cast<uint8_t*>(map_.rom_or_ram_pointer(page_paddr, riscv::kPageSize));
    case riscv::PageAccess::kWrite:
      return map_.ram_pointer(page_paddr, riscv::kPageSize);
  }
  return nullptr;
}

riscv::BusResult BoardHartEnv::load(uint64_t paddr, unsigned size, uint64_t& value) {
  ++device_accesses_;
  charge_accessing_instruction();
  const BusRead r = map_.read(paddr, size);
  value = r.value;
  follow_budget();
  return r.status == BusStatus::kOk ? riscv::BusResult::kOk : riscv::BusResult::kAccessFault;
}

riscv::BusResult BoardHartEnv::store(uint64_t paddr, unsigned size, uint64_t value) {
  ++device_accesses_;
  charge_accessing_instruction();
  const BusStatus s = map_.write(paddr, size, value);
  follow_budget();
  return s == BusStatus::kOk ? riscv::BusResult::kOk : riscv::BusResult::kAccessFault;
}

uint64_t BoardHartEnv::read_time() {
  charge_accessing_instruction();
  return read_time_();
}

void BoardHartEnv::sync(uint64_t retired) {
  if (budget_ == nullptr) return;
  const uint64_t already = std::min(retired, precharged_);
  precharged_ -= already;
  budget_->charge(retired - already);
  budget_->sync();
}

void BoardHartEnv::charge_accessing_instruction() {
  // An AMO or SC on a device makes two accesses with sync(0) between them:
  // the instruction is already charged.
  if (budget_ == nullptr || precharged_ > 0) return;
  budget_->charge(1);
  budget_->sync();
  ++precharged_;
}

void BoardHartEnv::follow_budget() {
  // The access may have armed an earlier timer: the engine lowered the limit;
  // tell the hart so it stops at that instruction, not at the old grant. The
  // hart counts from what it reported, which excludes the precharged ones.
  if (budget_ != nullptr && hart_ != nullptr) {
    hart_->shrink_budget(budget_->left() + precharged_);
  }
}

}  // namespace vtime
