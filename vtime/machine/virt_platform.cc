#include "vtime/machine/virt_platform.h"

#include <fmt/format.h>

#include <cassert>
#include <cstring>

#include "vtime/machine/boot_rom.h"

namespace vtime {

Result<std::unique_ptr<VirtPlatform>> VirtPlatform::create(GuestLog& log, TimerGroup& timers,
                                                           ConsoleBackend& console,
                                                           const PlatformOptions& options,
                                                           FinisherHandler on_finish) {
  if (options.harts < 1 || options.harts > virt_map::kMaxHarts) {
    return Error{fmt::format("the board has 1 to {} harts, not {}", virt_map::kMaxHarts, options.harts)};
  }
  if (options.ram_bytes == 0 || options.ram_bytes > ~virt_map::kDramBase) {
    return Error{fmt::format("RAM of {} bytes does not fit above {:#x}", options.ram_bytes,
                             virt_map::kDramBase)};
  }
  std::unique_ptr<VirtPlatform> p(new VirtPlatform(log, timers, console, options, std::move(on_finish)));
  Status s = p->map_everything();
  if (!s.ok()) return Error{s.error()};
  return p;
}

VirtPlatform::VirtPlatform(GuestLog& log, TimerGroup& timers, ConsoleBackend& console,
                           const PlatformOptions& options, FinisherHandler on_finish)
    : options_(options),
      map_(log),
      test_(log, std::move(on_finish)),
      clint_(log, timers, {.harts = options.harts, .timebase = options.timebase}),
      plic_(log, options.harts),
      uart_(log, console),
      rtc_(log, timers, options.rtc) {
  uart_.connect(plic_.source(virt_map::kUartIrq));
  rtc_.connect(plic_.source(virt_map::kRtcIrq));
}

Status VirtPlatform::map_everything() {
  using namespace virt_map;
  for (Status s : {map_.add_rom("boot ROM", kMromBase, kMromSize),
                   map_.add_device(kTestBase, test_),
                   map_.add_device(kRtcBase, rtc_),
                   map_.add_device(kClintBase + clint_reg::kMsip, clint_.mswi()),
                   map_.add_device(kClintBase + clint_reg::kMtimer, clint_.mtimer()),
                   map_.add_device(kPlicBase, plic_),
                   map_.add_device(kUartBase, uart_),
                   map_.add_ram("RAM", kDramBase, options_.ram_bytes)}) {
    if (!s.ok()) return s;
  }
  return ok_status();
}

void VirtPlatform::connect_hart(unsigned hart, const HartIrqLines& lines) {
  clint_.connect(hart, lines.msip, lines.mtip);
  plic_.connect(Plic::context(hart, PrivilegeContext::kMachine), lines.meip);
  plic_.connect(Plic::context(hart, PrivilegeContext::kSupervisor), lines.seip);
}

Result<BootPlan> VirtPlatform::prepare_boot(const BootImages& images) {
  auto plan = load_boot_images(map_, images, virt_map::kDramBase);
  if (!plan.ok()) return plan;
  DeviceTreeConfig dt{.ram_base = virt_map::kDramBase,
                      .ram_size = options_.ram_bytes,
                      .hart_isa = std::vector<std::string>(options_.harts, options_.hart_isa),
                      .mmu_type = options_.mmu_type,
                      .timebase = options_.timebase,
                      .uart_clock = virt_map::kUartClock,
                      .bootargs = options_.bootargs,
                      .initrd = std::nullopt,
                      .extra_devices = options_.extra_devices};
  if (plan->initrd) dt.initrd = InitrdRange{.start = plan->initrd->low, .end = plan->initrd->high};
  auto blob = build_device_tree(dt);
  if (!blob.ok()) return Error{blob.error()};
  if (blob->size() > options_.ram_bytes) return Error{"RAM is too small to hold the device tree"};
  dtb_ = std::move(blob).value();
  const auto overlaps_images = [&](uint64_t addr) {
    for (const auto& image : {plan->firmware, plan->kernel, plan->initrd}) {
      if (image && addr < image->high && image->low < addr + dtb_.size()) return true;
    }
    return false;
  };
  dtb_address_ = device_tree_address(virt_map::kDramBase, options_.ram_bytes, dtb_.size());
  if (overlaps_images(dtb_address_)) {
    // Small RAM: QEMU's 2 MiB-aligned spot lands on the images; use the very top.
    dtb_address_ = device_tree_top_address(virt_map::kDramBase, options_.ram_bytes, dtb_.size());
  }
  if (overlaps_images(dtb_address_)) {
    return Error{fmt::format("the loaded images reach the device tree at {:#x}; give more RAM with -m",
                             dtb_address_)};
  }
  Status s = install_boot_rom(map_, {.start_pc = plan->start_pc, .dtb_address = dtb_address_,
                                     .next_addr = plan->next_addr,
                                     .next_mode = NextMode::kSupervisor},
                              dtb_);
  if (!s.ok()) return Error{s.error()};
  return plan;
}

void VirtPlatform::reset_devices() {
  const bool cleared = map_.zero_ram(virt_map::kDramBase, options_.ram_bytes);
  assert(cleared && "the board's RAM region exists");
  (void)cleared;
  clint_.reset();
  rtc_.reset();
}

}  // namespace vtime
