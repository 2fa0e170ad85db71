#include "vtime/machine/virt_platform.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <libfdt.h>

#include "vtime/clock/vm_clocks.h"
#include "vtime/machine/boot_rom.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using namespace std::chrono_literals;

class Line final : public IrqLine {
 public:
  void set_level(bool high) override { level_ = high; }
  bool level() const override { return level_; }
  bool awaiting_ack() const override { return level_; }

 private:
  bool level_ = false;
};

struct Fixture {
  explicit Fixture(PlatformOptions options = {}) {
    auto p = VirtPlatform::create(log, timers, console, options,
                                  [this](FinisherRequest r) { finished = r; });
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
    platform = std::move(p).value();
    platform->connect_hart(0, {.msip = msip, .mtip = mtip, .meip = meip, .seip = seip});
  }
  AddressMap& bus() { return platform->bus(); }

  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  GuestLog log;
  BufferConsole console;
  std::optional<FinisherRequest> finished;
  std::unique_ptr<VirtPlatform> platform;
  Line msip, mtip, meip, seip;
};

TEST(VirtPlatform, UartBytesWrittenOverTheBusReachTheConsole) {
  Fixture f;
  for (char c : std::string("ok\n")) f.bus().write(virt_map::kUartBase, 1, static_cast<uint8_t>(c));
  EXPECT_EQ(f.console.output(), "ok\n");
}

TEST(VirtPlatform, UartReceiveInterruptReachesMeipThroughThePlic) {
  Fixture f;
  const uint64_t plic = virt_map::kPlicBase;
  f.bus().write(plic + 4 * virt_map::kUartIrq, 4, 1);        // priority 1
  f.bus().write(plic + 0x2000, 4, 1u << virt_map::kUartIrq);  // enable on hart 0, M mode
  f.bus().write(virt_map::kUartBase + 1, 1, 0x01);             // IER.ERBFI
  f.console.feed("k");
  EXPECT_EQ(f.platform->poll_console(), 1u);
  EXPECT_TRUE(f.meip.level());
  EXPECT_FALSE(f.seip.level());
  EXPECT_EQ(f.bus().read(plic + 0x200004, 4).value, virt_map::kUartIrq);  // claim
  EXPECT_EQ(f.bus().read(virt_map::kUartBase, 1).value, uint64_t{'k'});
  f.bus().write(plic + 0x200004, 4, virt_map::kUartIrq);                  // complete
  EXPECT_FALSE(f.meip.level());
}

TEST(VirtPlatform, TestDeviceReportsTheExitCode) {
  Fixture f;
  EXPECT_EQ(f.bus().write(virt_map::kTestBase, 4, (3u << 16) | 0x3333), BusStatus::kOk);
  ASSERT_TRUE(f.finished.has_value());
  EXPECT_EQ(f.finished->exit_status(), 3);
}

TEST(VirtPlatform, ClintTimerInterruptReachesMtipAndMtimeReadsOverTheBus) {
  Fixture f;
  const uint64_t clint = virt_map::kClintBase;
  f.bus().write(clint + clint_reg::kMtime, 8, 0);
  f.bus().write(clint + clint_reg::kMtimecmp + 4, 4, 0);
  f.bus().write(clint + clint_reg::kMtimecmp, 4, 100);
  EXPECT_FALSE(f.mtip.level());
  f.host.advance(10us);
  f.timers.run_due(ClockId::kVirtual);
  EXPECT_TRUE(f.mtip.level());
  EXPECT_EQ(f.bus().read(clint + clint_reg::kMtime, 8).value, 100u);
  f.bus().write(clint + clint_reg::kMsip, 4, 1);
  EXPECT_TRUE(f.msip.level());
}

TEST(VirtPlatform, RtcReadsItsStartOverTheBusAndItsAlarmReachesMeip) {
  constexpr uint64_t kStart = 0x1234'5678'9abc'def0;
  Fixture f({.rtc = {.clock = ClockId::kVirtual, .start_ns = kStart}});
  const uint64_t rtc = virt_map::kRtcBase;
  EXPECT_EQ(f.bus().read(rtc + goldfish_rtc_reg::kTimeLow, 4).value, kStart & 0xffff'ffff);
  EXPECT_EQ(f.bus().read(rtc + goldfish_rtc_reg::kTimeHigh, 4).value, kStart >> 32);
  const uint64_t plic = virt_map::kPlicBase;
  f.bus().write(plic + 4 * virt_map::kRtcIrq, 4, 1);        // priority 1
  f.bus().write(plic + 0x2000, 4, 1u << virt_map::kRtcIrq);  // enable on hart 0, M mode
  f.bus().write(rtc + goldfish_rtc_reg::kIrqEnabled, 4, 1);
  f.bus().write(rtc + goldfish_rtc_reg::kAlarmHigh, 4, kStart >> 32);
  f.bus().write(rtc + goldfish_rtc_reg::kAlarmLow, 4, (kStart + 1000) & 0xffff'ffff);
  f.host.advance(1us);
  f.timers.run_due(ClockId::kVirtual);
  EXPECT_TRUE(f.meip.level());
  EXPECT_EQ(f.bus().read(plic + 0x200004, 4).value, virt_map::kRtcIrq);  // claim
}

TEST(VirtPlatform, RtcRefusesAccessesOtherThanWordsAsGuestErrors) {
  Fixture f;
  EXPECT_EQ(f.bus().read(virt_map::kRtcBase, 8).status, BusStatus::kAccessFault);
  EXPECT_EQ(f.bus().write(virt_map::kRtcBase + 2, 2, 0), BusStatus::kAccessFault);
  EXPECT_EQ(f.log.count(), 2u);
}

TEST(VirtPlatform, HoleAfterTheClintIsUnmapped) {
  Fixture f;
  EXPECT_EQ(f.bus().read(virt_map::kClintBase + clint_reg::kSize, 4).status, BusStatus::kAccessFault);
}

TEST(VirtPlatform, PrepareBootFillsRomAndPlacesTheDeviceTree) {
  Fixture f;
  auto plan = f.platform->prepare_boot({.bios = std::nullopt,
                                        .kernel = ImageFile{.label = "k", .bytes = {0x6f, 0, 0, 0}}});
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(plan->start_pc, virt_map::kDramBase);
  EXPECT_EQ(f.platform->dtb_address(), 0x87e0'0000u);
  AddressMap& bus = f.bus();
  EXPECT_EQ(bus.read(virt_map::kMromBase + boot_rom_layout::kStartPc, 8).value, virt_map::kDramBase);
  EXPECT_EQ(bus.read(virt_map::kMromBase + boot_rom_layout::kDtbAddress, 8).value, 0x87e0'0000u);
  const uint8_t* dtb = bus.ram_pointer(0x87e0'0000, f.platform->device_tree().size());
  ASSERT_NE(dtb, nullptr);
  EXPECT_EQ(fdt_check_header(dtb), 0);
  EXPECT_GE(fdt_path_offset(dtb, "/soc/serial@10000000"), 0);
  EXPECT_EQ(bus.read(virt_map::kDramBase, 4).value, 0x6fu);
}

TEST(VirtPlatform, DeviceTreeHasOneCpuPerHart) {
  Fixture f({.ram_bytes = 64ull << 20, .harts = 4});
  ASSERT_TRUE(f.platform->prepare_boot({}).ok());
  const uint8_t* dtb = f.platform->device_tree().data();
  EXPECT_GE(fdt_path_offset(dtb, "/cpus/cpu@3"), 0);
  EXPECT_LT(fdt_path_offset(dtb, "/cpus/cpu@4"), 0);
}

TEST(VirtPlatform, SmallRamPutsTheDeviceTreeAtTheVeryTopWhenTheAlignedSpotIsTaken) {
  Fixture f({.ram_bytes = 2ull << 20});  // QEMU's spot would be 0x8000_0000, over the kernel
  auto plan = f.platform->prepare_boot(
      {.bios = std::nullopt, .kernel = ImageFile{.label = "k", .bytes = {0x6f, 0, 0, 0}}});
  ASSERT_TRUE(plan.ok()) << plan.error();
  const uint64_t addr = f.platform->dtb_address();
  EXPECT_EQ(addr % 8, 0u);
  EXPECT_LE(addr + f.platform->device_tree().size(), virt_map::kDramBase + (2u << 20));
  EXPECT_GT(addr, virt_map::kDramBase + (1u << 20));
  EXPECT_EQ(fdt_check_header(f.bus().ram_pointer(addr, 64)), 0);
}

TEST(VirtPlatform, ImagesThatReachTheDeviceTreeAreRejected) {
  Fixture f({.ram_bytes = 4ull << 20});
  auto plan = f.platform->prepare_boot(
      {.bios = std::nullopt, .kernel = ImageFile{.label = "k", .bytes = std::vector<uint8_t>((4 << 20) - 64, 1)}});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().find("reach the device tree"), std::string::npos);
}

TEST(VirtPlatform, InitrdIsLoadedAndAnnouncedInTheDeviceTree) {
  Fixture f;  // 128 MiB: the initrd goes 64 MiB above the kernel, QEMU's spot
  auto plan = f.platform->prepare_boot(
      {.bios = ImageFile{.label = "fw", .bytes = {0x6f, 0, 0, 0}},
       .kernel = ImageFile{.label = "k", .bytes = {0x6f, 0, 0, 0}},
       .initrd = ImageFile{.label = "rd", .bytes = {'0', '7', '0', '7', '0', '1'}}});
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(f.bus().read(0x8420'0000, 4).value, 0x3730'3730u);  // "0707"
  const void* dtb = f.platform->device_tree().data();
  const int chosen = fdt_path_offset(dtb, "/chosen");
  // A 64-bit property is only 4-byte aligned in the tree: read it with memcpy.
  const auto u64_prop = [&](const char* name) -> std::optional<uint64_t> {
    int len = 0;
    const void* p = fdt_getprop(dtb, chosen, name, &len);
    if (p == nullptr || len != 8) return std::nullopt;
    fdt64_t raw;
    std::memcpy(&raw, p, sizeof raw);
    return fdt64_to_cpu(raw);
  };
  EXPECT_EQ(u64_prop("linux,initrd-start"), 0x8420'0000u);
  EXPECT_EQ(u64_prop("linux,initrd-end"), 0x8420'0006u);
}

TEST(VirtPlatform, InitrdThatReachesTheDeviceTreeIsRejected) {
  Fixture f;  // the tree sits at 0x87e0_0000, the initrd starts at 0x8400_0000
  auto plan = f.platform->prepare_boot(
      {.kernel = ImageFile{.label = "k", .bytes = {0x6f, 0, 0, 0}},
       .initrd = ImageFile{.label = "rd", .bytes = std::vector<uint8_t>((64u << 20) - 64, 1)}});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().find("reach the device tree"), std::string::npos) << plan.error();
}

TEST(VirtPlatform, RejectsTooManyHarts) {
  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  GuestLog log;
  BufferConsole console;
  auto p = VirtPlatform::create(log, timers, console, {.harts = 9}, [](FinisherRequest) {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error(), "the board has 1 to 8 harts, not 9");
}

TEST(VirtPlatform, ResetClearsRamAndMtime) {
  Fixture f;
  f.bus().write(virt_map::kDramBase, 8, 0x1234);
  f.host.advance(1ms);
  f.platform->reset_devices();
  EXPECT_EQ(f.bus().read(virt_map::kDramBase, 8).value, 0u);
  EXPECT_EQ(f.platform->clint().mtime(), 0u);
}

TEST(VirtPlatform, ResetKeepsTheRtcCounterRunning) {
  Fixture f({.rtc = {.clock = ClockId::kVirtual, .start_ns = 5'000}});
  f.bus().write(virt_map::kRtcBase + goldfish_rtc_reg::kIrqEnabled, 4, 1);
  f.host.advance(1ms);
  f.platform->reset_devices();
  EXPECT_EQ(f.platform->rtc().time_ns(), 1'005'000u);
  EXPECT_EQ(f.bus().read(virt_map::kRtcBase + goldfish_rtc_reg::kIrqEnabled, 4).value, 0u);
}

}  // namespace
}  // namespace vtime
