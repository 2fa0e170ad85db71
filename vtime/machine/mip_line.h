// MipLine: an interrupt wire that ends at one bit of a hart's mip (MTIP from the
// CLINT, MEIP from the PLIC...). The line is level-sensitive: the bit follows the
// level. The interrupt awaits acknowledgement for as long as the line is high,
// because the guest acknowledges these sources at the device (writing mtimecmp,
// clearing msip, completing at the PLIC), which lowers the line.
#pragma once

#include <cstdint>

#include "vtime/devices/irq_line.h"
#include "vtime/riscv/hart.h"

namespace vtime {

class MipLine final : public IrqLine {
 public:
  MipLine(riscv::Hart& hart, uint32_t irq_number)
      : hart_(hart), bit_(uint64_t{1} << irq_number) {}

  void set_level(bool high) override {
    level_ = high;
    hart_.set_pending(bit_, high);
  }
  bool level() const override { return level_; }
  bool awaiting_ack() const override { return level_; }

 private:
  riscv::Hart& hart_;
  uint64_t bit_;
  bool level_ = false;
};

}  // namespace vtime
