#include "vtime/machine/device_tree.h"

#include <gtest/gtest.h>
#include <libfdt.h>

#include <string>
#include <vector>

namespace vtime {
namespace {

struct Tree {
  std::vector<uint8_t> blob;
  const void* fdt() const { return blob.data(); }
  int node(const char* path) const { return fdt_path_offset(fdt(), path); }
  std::string str(const char* path, const char* prop) const {
    int len = 0;
    const void* p = fdt_getprop(fdt(), node(path), prop, &len);
    if (p == nullptr) return "<missing>";
    return std::string(static_cast<const char*>(p), static_cast<size_t>(len));
  }
  std::vector<uint32_t> cells(const char* path, const char* prop) const {
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt(), node(path), prop, &len));
    std::vector<uint32_t> out;
    for (int i = 0; p != nullptr && i < len / 4; ++i) out.push_back(fdt32_to_cpu(p[i]));
    return out;
  }
  bool has(const char* path, const char* prop) const {
    return fdt_getprop(fdt(), node(path), prop, nullptr) != nullptr;
  }
};

Tree build(DeviceTreeConfig c) {
  auto r = build_device_tree(c);
  EXPECT_TRUE(r.ok());
  Tree t{r.ok() ? std::move(r).value() : std::vector<uint8_t>{}};
  EXPECT_EQ(fdt_check_header(t.fdt()), 0);
  return t;
}

DeviceTreeConfig two_harts() {
  DeviceTreeConfig c;
  c.ram_size = 256ull << 20;
  c.hart_isa = {"rv64imac_zicsr_zifencei", "rv64imac_zicsr_zifencei"};
  return c;
}

using S = std::string;

TEST(DeviceTree, DescribesRamAtItsBaseAndSize) {
  Tree t = build(two_harts());
  EXPECT_EQ(t.str("/memory@80000000", "device_type"), S("memory\0", 7));
  EXPECT_EQ(t.cells("/memory@80000000", "reg"), (std::vector<uint32_t>{0, 0x8000'0000, 0, 0x1000'0000}));
}

TEST(DeviceTree, HasOneCpuNodePerHartWithItsIsaAndInterruptController) {
  Tree t = build(two_harts());
  EXPECT_EQ(t.cells("/cpus", "timebase-frequency"), std::vector<uint32_t>{10'000'000});
  for (const char* cpu : {"/cpus/cpu@0", "/cpus/cpu@1"}) {
    EXPECT_EQ(t.str(cpu, "riscv,isa"), S("rv64imac_zicsr_zifencei\0", 24));
    EXPECT_EQ(t.str(cpu, "device_type"), S("cpu\0", 4));
    EXPECT_FALSE(t.has(cpu, "mmu-type"));
  }
  EXPECT_EQ(t.cells("/cpus/cpu@1", "reg"), std::vector<uint32_t>{1});
  EXPECT_EQ(t.cells("/cpus/cpu@1/interrupt-controller", "phandle"),
            std::vector<uint32_t>{dt_phandle::kFirstCpuIntc + 1});
  EXPECT_TRUE(t.has("/cpus/cpu@1/interrupt-controller", "interrupt-controller"));
  EXPECT_LT(t.node("/cpus/cpu@2"), 0);
}

TEST(DeviceTree, NamesTheMmuTypeWhenTheHartsPage) {
  DeviceTreeConfig c = two_harts();
  c.mmu_type = "riscv,sv39";
  Tree t = build(c);
  EXPECT_EQ(t.str("/cpus/cpu@0", "mmu-type"), S("riscv,sv39\0", 11));
}

TEST(DeviceTree, WiresClintSoftwareAndTimerInterruptsToEveryHart) {
  Tree t = build(two_harts());
  EXPECT_EQ(t.str("/soc/clint@2000000", "compatible"), S("sifive,clint0\0riscv,clint0\0", 27));
  EXPECT_EQ(t.cells("/soc/clint@2000000", "reg"), (std::vector<uint32_t>{0, 0x0200'0000, 0, 0x10000}));
  EXPECT_EQ(t.cells("/soc/clint@2000000", "interrupts-extended"),
            (std::vector<uint32_t>{1, 3, 1, 7, 2, 3, 2, 7}));
}

TEST(DeviceTree, WiresPlicMachineThenSupervisorContextsPerHart) {
  Tree t = build(two_harts());
  const char* plic = "/soc/plic@c000000";
  EXPECT_EQ(t.cells(plic, "riscv,ndev"), std::vector<uint32_t>{96});
  EXPECT_EQ(t.cells(plic, "interrupts-extended"), (std::vector<uint32_t>{1, 11, 1, 9, 2, 11, 2, 9}));
  EXPECT_EQ(t.cells(plic, "reg"), (std::vector<uint32_t>{0, 0x0c00'0000, 0, 0x60'0000}));
  EXPECT_EQ(t.cells(plic, "phandle"), std::vector<uint32_t>{dt_phandle::kPlic});
  EXPECT_TRUE(t.has(plic, "interrupt-controller"));
}

TEST(DeviceTree, DescribesTheUartOnPlicSourceTen) {
  Tree t = build(two_harts());
  const char* uart = "/soc/serial@10000000";
  EXPECT_EQ(t.str(uart, "compatible"), S("ns16550a\0", 9));
  EXPECT_EQ(t.cells(uart, "interrupts"), std::vector<uint32_t>{10});
  EXPECT_EQ(t.cells(uart, "interrupt-parent"), std::vector<uint32_t>{dt_phandle::kPlic});
  EXPECT_EQ(t.cells(uart, "clock-frequency"), std::vector<uint32_t>{3'686'400});
  EXPECT_EQ(t.str("/chosen", "stdout-path"), S("/soc/serial@10000000\0", 21));
}

TEST(DeviceTree, DescribesTheGoldfishRtcOnPlicSourceEleven) {
  Tree t = build(two_harts());
  const char* rtc = "/soc/rtc@101000";
  EXPECT_EQ(t.str(rtc, "compatible"), S("google,goldfish-rtc\0", 20));
  EXPECT_EQ(t.cells(rtc, "reg"), (std::vector<uint32_t>{0, 0x101000, 0, 0x1000}));
  EXPECT_EQ(t.cells(rtc, "interrupts"), std::vector<uint32_t>{11});
  EXPECT_EQ(t.cells(rtc, "interrupt-parent"), std::vector<uint32_t>{dt_phandle::kPlic});
}

TEST(DeviceTree, PoweroffAndRebootPointAtTheTestDevice) {
  Tree t = build(two_harts());
  EXPECT_EQ(t.str("/soc/test@100000", "compatible"), S("sifive,test1\0sifive,test0\0syscon\0", 33));
  EXPECT_EQ(t.cells("/poweroff", "regmap"), std::vector<uint32_t>{dt_phandle::kTest});
  EXPECT_EQ(t.cells("/poweroff", "value"), std::vector<uint32_t>{0x5555});
  EXPECT_EQ(t.cells("/reboot", "value"), std::vector<uint32_t>{0x7777});
  EXPECT_EQ(t.cells("/soc/test@100000", "phandle"), std::vector<uint32_t>{dt_phandle::kTest});
}

TEST(DeviceTree, BootargsAppearOnlyWhenGiven) {
  Tree without = build(two_harts());
  EXPECT_FALSE(without.has("/chosen", "bootargs"));
  DeviceTreeConfig c = two_harts();
  c.bootargs = "console=ttyS0";
  Tree with = build(c);
  EXPECT_EQ(with.str("/chosen", "bootargs"), S("console=ttyS0\0", 14));
}

TEST(DeviceTree, InitrdRangeAppearsInChosenAsSixtyFourBitCellsOnlyWhenGiven) {
  Tree without = build(two_harts());
  EXPECT_FALSE(without.has("/chosen", "linux,initrd-start"));
  EXPECT_FALSE(without.has("/chosen", "linux,initrd-end"));
  DeviceTreeConfig c = two_harts();
  c.initrd = InitrdRange{.start = 0x8420'0000, .end = 0x1'0000'1234};
  Tree with = build(c);
  EXPECT_EQ(with.cells("/chosen", "linux,initrd-start"), (std::vector<uint32_t>{0, 0x8420'0000}));
  EXPECT_EQ(with.cells("/chosen", "linux,initrd-end"), (std::vector<uint32_t>{1, 0x1234}));
}

TEST(DeviceTree, ContainsOnlyTheDevicesTheBoardHas) {
  Tree t = build(two_harts());
  std::vector<std::string> soc_children;
  for (int n = fdt_first_subnode(t.fdt(), t.node("/soc")); n >= 0; n = fdt_next_subnode(t.fdt(), n)) {
    soc_children.emplace_back(fdt_get_name(t.fdt(), n, nullptr));
  }
  EXPECT_EQ(soc_children, (std::vector<std::string>{"clint@2000000", "plic@c000000",
                                                     "serial@10000000", "rtc@101000",
                                                     "test@100000"}));
}

TEST(DeviceTree, ExtraDevicesGetTheirOwnNodes) {
  DeviceTreeConfig c = two_harts();
  c.extra_devices.push_back({.node_name = "hpet", .compatible = {"vtime,hpet"},
                             .base = 0x1010'0000, .size = 0x400, .plic_irq = 12});
  Tree t = build(c);
  EXPECT_EQ(t.str("/soc/hpet@10100000", "compatible"), S("vtime,hpet\0", 11));
  EXPECT_EQ(t.cells("/soc/hpet@10100000", "interrupts"), std::vector<uint32_t>{12});
  EXPECT_FALSE(t.has("/soc/hpet@10100000", "clock-frequency"));  // only when given
}

TEST(DeviceTree, ExtraDevicesPublishTheirInputClock) {
  DeviceTreeConfig c = two_harts();
  c.extra_devices.push_back({.node_name = "lapic-timer", .compatible = {"vtime,lapic-timer"},
                             .base = 0x0601'0000, .size = 0x1000, .plic_irq = 12,
                             .clock_frequency = 100'000'000});
  c.extra_devices.push_back({.node_name = "fast", .compatible = {"vtime,fast"},
                             .base = 0x0701'0000, .size = 0x1000,
                             .clock_frequency = 5'000'000'000});
  Tree t = build(c);
  EXPECT_EQ(t.cells("/soc/lapic-timer@6010000", "clock-frequency"), std::vector<uint32_t>{100'000'000});
  EXPECT_EQ(t.cells("/soc/fast@7010000", "clock-frequency"), (std::vector<uint32_t>{1, 705'032'704}));
}

TEST(DeviceTree, EightHartsFit) {
  DeviceTreeConfig c;
  c.hart_isa.assign(8, "rv64imac_zicsr_zifencei");
  Tree t = build(c);
  EXPECT_GE(t.node("/cpus/cpu@7"), 0);
  EXPECT_EQ(t.cells("/soc/plic@c000000", "interrupts-extended").size(), 32u);
}

TEST(DeviceTree, RefusesAConfigurationWithoutHarts) {
  auto r = build_device_tree(DeviceTreeConfig{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "the device tree needs at least one hart");
}

}  // namespace
}  // namespace vtime
