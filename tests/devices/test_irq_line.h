// A recording IrqLine for device tests: remembers the level and counts edges.
#pragma once

#include "vtime/devices/irq_line.h"

namespace vtime::testing {

class TestIrqLine final : public IrqLine {
 public:
  void set_level(bool high) override {
    if (high && !level_) ++rises_;
    level_ = high;
  }
  bool level() const override { return level_; }
  bool awaiting_ack() const override { return level_; }
  int rises() const { return rises_; }

 private:
  bool level_ = false;
  int rises_ = 0;
};

}  // namespace vtime::testing
