// SiFive test device ("sifive,test0"/"sifive,test1", the `virt` board's finisher):
// one 32-bit register at offset 0. Writing 0x5555 powers off with success,
// (code << 16) | 0x3333 powers off with failure `code`, 0x7777 asks for a reboot.
// The device only reports the request through a callback; the board decides
// what it means (the `vtime` command turns it into the process exit status).
// Other values and offsets are guest errors and are ignored; reads return 0.
#pragma once

#include <cstdint>
#include <functional>

#include "vtime/devices/guest_log.h"
#include "vtime/devices/mmio_device.h"

namespace vtime {

namespace sifive_test_reg {
inline constexpr uint64_t kFinisher = 0x0;    // 32-bit, write-only
inline constexpr uint32_t kFail = 0x3333;     // low 16 bits; exit code in bits 31:16
inline constexpr uint32_t kPass = 0x5555;
inline constexpr uint32_t kReset = 0x7777;
inline constexpr uint64_t kSize = 0x1000;
}  // namespace sifive_test_reg

struct FinisherRequest {
  enum class Kind : uint8_t { kPass, kFail, kReset };
  Kind kind;
  uint16_t code = 0;  // exit code for kFail (0 for the others)
  // The process exit status this request stands for: 0 for a pass, `code` for a
  // fail (QEMU exits with the code as given, even 0), 0 for a reset.
  int exit_status() const { return kind == Kind::kFail ? code : 0; }
  friend bool operator==(const FinisherRequest&, const FinisherRequest&) = default;
};

class SifiveTest final : public MmioDevice {
 public:
  using Handler = std::function<void(FinisherRequest)>;

  SifiveTest(GuestLog& log, Handler handler) : log_(log), handler_(std::move(handler)) {}

  std::string_view name() const override { return "sifive_test"; }
  uint64_t size() const override { return sifive_test_reg::kSize; }
  AccessSizes sizes() const override { return {.min = 2, .max = 4}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

 private:
  GuestLog& log_;
  Handler handler_;
};

}  // namespace vtime
