// VirtPlatform: everything of the reference board except the harts and the run
// loop - RAM and ROM on an AddressMap, the SiFive test finisher, the CLINT, the
// PLIC with the UART wired to source 10 and the goldfish RTC to source 11 - plus the boot preparation (images,
// device tree, boot ROM). The board owns one, connects each hart's interrupt
// inputs with connect_hart(), serves the harts' bus from bus(), reads `time`
// from clint().mtime(), and polls the console with poll_console().
// Layout and wiring: docs/board.md, vtime/machine/virt_map.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "vtime/devices/clint.h"
#include "vtime/devices/console_backend.h"
#include "vtime/devices/goldfish_rtc.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/plic.h"
#include "vtime/devices/sifive_test.h"
#include "vtime/devices/uart16550.h"
#include "vtime/machine/address_map.h"
#include "vtime/machine/device_tree.h"
#include "vtime/machine/loader.h"
#include "vtime/time/result.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

struct PlatformOptions {
  uint64_t ram_bytes = 128ull << 20;
  unsigned harts = 1;
  std::string hart_isa = "rv64imac_zicsr_zifencei";  // riscv,isa of every hart
  std::optional<std::string> mmu_type{};             // absent until the harts page
  std::string bootargs{};
  Frequency timebase = virt_map::kTimebase;
  // The RTC's clock and its value at guest time zero (see rtc_options.h).
  GoldfishRtc::Options rtc{.clock = ClockId::kVirtual, .start_ns = 0};
  // Extra MMIO devices the board maps itself (timer devices), described in
  // the device tree under /soc.
  std::vector<ExtraDeviceNode> extra_devices{};
};

// A hart's interrupt inputs (its mip bits), implemented by the hart side.
struct HartIrqLines {
  IrqLine& msip;  // from the CLINT's msip[h]
  IrqLine& mtip;  // from the CLINT's mtimecmp[h]
  IrqLine& meip;  // from PLIC context 2h
  IrqLine& seip;  // from PLIC context 2h + 1
};

class VirtPlatform {
 public:
  using FinisherHandler = SifiveTest::Handler;

  // Fails with one sentence on a bad option (harts outside 1..8, RAM of zero
  // bytes or reaching past 2^64, RAM the host cannot allocate).
  static Result<std::unique_ptr<VirtPlatform>> create(GuestLog& log, TimerGroup& timers,
                                                      ConsoleBackend& console,
                                                      const PlatformOptions& options,
                                                      FinisherHandler on_finish);
  VirtPlatform(const VirtPlatform&) = delete;
  VirtPlatform& operator=(const VirtPlatform&) = delete;

  void connect_hart(unsigned hart, const HartIrqLines& lines);

  // Loads the images, builds the device tree, writes it to the top of RAM and
  // fills the boot ROM. Call once before the harts start (and again after a
  // reboot, which needs the images reloaded). Errors are one sentence.
  Result<BootPlan> prepare_boot(const BootImages& images);

  // Moves available console input into the UART; never blocks.
  size_t poll_console() { return uart_.poll_input(); }

  // Device-side reset for a reboot: clears RAM, resets the CLINT and the RTC
  // (whose counter keeps running).
  void reset_devices();

  AddressMap& bus() { return map_; }
  Clint& clint() { return clint_; }
  Plic& plic() { return plic_; }
  Uart16550& uart() { return uart_; }
  GoldfishRtc& rtc() { return rtc_; }
  const PlatformOptions& options() const { return options_; }
  uint64_t dtb_address() const { return dtb_address_; }
  // The tree prepare_boot() built (empty before).
  const std::vector<uint8_t>& device_tree() const { return dtb_; }

 private:
  VirtPlatform(GuestLog& log, TimerGroup& timers, ConsoleBackend& console,
               const PlatformOptions& options, FinisherHandler on_finish);
  Status map_everything();

  PlatformOptions options_;
  AddressMap map_;
  SifiveTest test_;
  Clint clint_;
  Plic plic_;
  Uart16550 uart_;
  GoldfishRtc rtc_;
  std::vector<uint8_t> dtb_;
  uint64_t dtb_address_ = 0;
};

}  // namespace vtime
