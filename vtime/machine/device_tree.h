// The board's flattened device tree (devicetree spec v0.4), generated with
// libfdt. It describes exactly the devices the board builds: harts with their
// local interrupt controllers, RAM, the CLINT, the PLIC, the UART, the goldfish
// RTC, the SiFive test device with syscon poweroff/reboot, and any extra MMIO devices the board
// enables. Node names, compatibles and wiring follow QEMU's `virt`
// (QEMU's generated device tree), so guests written for it find everything.
// Leaves out what the board does not have: PCI, virtio, flash, fw-cfg, PMU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vtime/machine/virt_map.h"
#include "vtime/time/frequency.h"
#include "vtime/time/result.h"

namespace vtime {

// An extra MMIO device under /soc, e.g. a timer device enabled by an option.
struct ExtraDeviceNode {
  std::string node_name{};                // "hpet"; the unit address is appended
  std::vector<std::string> compatible{};  // most specific first
  uint64_t base = 0;
  uint64_t size = 0;
  std::optional<unsigned> plic_irq{};     // PLIC source, when it interrupts
  // Its input clock in Hz ("clock-frequency"), when a guest needs it to convert
  // time to the device's ticks (the LAPIC timer's bus).
  std::optional<uint64_t> clock_frequency{};
};

// The initial RAM disk's bytes in guest memory, [start, end).
struct InitrdRange {
  uint64_t start = 0;
  uint64_t end = 0;
};

struct DeviceTreeConfig {
  uint64_t ram_base = virt_map::kDramBase;
  uint64_t ram_size = 128ull << 20;
  // One entry per hart: its riscv,isa string, e.g. "rv64imac_zicsr_zifencei".
  std::vector<std::string> hart_isa{};
  // "riscv,sv39" etc. once the harts page; absent while they do not.
  std::optional<std::string> mmu_type{};
  Frequency timebase = virt_map::kTimebase;
  Frequency uart_clock = virt_map::kUartClock;
  std::string bootargs{};  // /chosen/bootargs when not empty
  // /chosen/linux,initrd-start and linux,initrd-end (64-bit each) when present.
  std::optional<InitrdRange> initrd{};
  std::vector<ExtraDeviceNode> extra_devices{};
};

// Phandles the tree uses, so tests and extra nodes can refer to them.
namespace dt_phandle {
// Hart h's interrupt controller is kFirstCpuIntc + h.
inline constexpr uint32_t kFirstCpuIntc = 1;
inline constexpr uint32_t kPlic = 0x100;
inline constexpr uint32_t kTest = 0x101;
}  // namespace dt_phandle

// The device-tree blob. Fails (one sentence) when the configuration has no
// harts or libfdt reports an error.
Result<std::vector<uint8_t>> build_device_tree(const DeviceTreeConfig& config);

}  // namespace vtime
