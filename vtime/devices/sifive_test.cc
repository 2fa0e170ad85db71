#include "vtime/devices/sifive_test.h"

namespace vtime {

uint64_t SifiveTest::read(uint64_t /*offset*/, unsigned /*size*/) {
  return 0;  // write-only finisher: reads as zero, like the hardware
}

void SifiveTest::write(uint64_t offset, unsigned size, uint64_t value) {
  if (offset != sifive_test_reg::kFinisher) {
    log_.guest_error("sifive_test: write {:#x} to reserved offset {:#x}", value, offset);
    return;
  }
  const auto word = static_cast<uint32_t>(value);
  using Kind = FinisherRequest::Kind;
  // A 16-bit write reaches only the status half; the code half then reads as 0.
  switch (word & 0xffff) {
    case sifive_test_reg::kPass:
      handler_({.kind = Kind::kPass});
      return;
    case sifive_test_reg::kReset:
      handler_({.kind = Kind::kReset});
      return;
    case sifive_test_reg::kFail:
      handler_({.kind = Kind::kFail, .code = static_cast<uint16_t>(size >= 4 ? word >> 16 : 0)});
      return;
    default:
      log_.guest_error("sifive_test: unknown finisher value {:#x}", word);
      return;
  }
}

}  // namespace vtime
