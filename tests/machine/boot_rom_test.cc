#include "vtime/machine/boot_rom.h"

#include <gtest/gtest.h>

#include <vector>

#include "vtime/machine/address_map.h"
#include "vtime/machine/virt_map.h"

namespace vtime {
namespace {

using namespace boot_rom_layout;

uint32_t word_at(const std::vector<uint8_t>& rom, size_t offset) {
  uint32_t w = 0;
  for (unsigned i = 0; i < 4; ++i) w |= uint32_t{rom[offset + i]} << (8 * i);
  return w;
}

uint64_t u64_at(const std::vector<uint8_t>& rom, size_t offset) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i) v |= uint64_t{rom[offset + i]} << (8 * i);
  return v;
}

// I-type immediate (sign-extended) of an instruction word.
int64_t imm_i(uint32_t w) { return static_cast<int32_t>(w) >> 20; }
unsigned rd(uint32_t w) { return (w >> 7) & 31; }
unsigned rs1(uint32_t w) { return (w >> 15) & 31; }

constexpr unsigned kT0 = 5, kT1 = 6, kA0 = 10, kA1 = 11, kA2 = 12;

const BootRomConfig kConfig{.start_pc = 0x8000'0000, .dtb_address = 0x87e0'0000,
                            .next_addr = 0x8020'0000, .next_mode = NextMode::kSupervisor};

TEST(BootRom, StartsByReadingMhartidIntoA0) {
  const auto rom = boot_rom_image(kConfig);
  const uint32_t w = word_at(rom, 0);
  EXPECT_EQ(w & 0x7f, 0x73u);        // SYSTEM
  EXPECT_EQ((w >> 12) & 7, 2u);      // CSRRS
  EXPECT_EQ(w >> 20, 0xf14u);        // mhartid
  EXPECT_EQ(rd(w), kA0);
  EXPECT_EQ(rs1(w), 0u);
}

TEST(BootRom, LoadsStartPcAndDtbFromTheirSlotsAndJumps) {
  const auto rom = boot_rom_image(kConfig);
  const uint64_t t0 = 4;  // auipc t0, 0 at offset 4
  EXPECT_EQ(word_at(rom, 4), 0x00000297u);
  const uint32_t ld_pc = word_at(rom, 8), ld_dtb = word_at(rom, 12), addi = word_at(rom, 16);
  EXPECT_EQ(rd(ld_pc), kT1);
  EXPECT_EQ(t0 + imm_i(ld_pc), kStartPc);
  EXPECT_EQ(rd(ld_dtb), kA1);
  EXPECT_EQ(t0 + imm_i(ld_dtb), kDtbAddress);
  EXPECT_EQ(rd(addi), kA2);
  EXPECT_EQ(t0 + imm_i(addi), kFwDynamic);
  for (uint32_t w : {ld_pc, ld_dtb, addi}) EXPECT_EQ(rs1(w), kT0);
  const uint32_t jr = word_at(rom, 20);
  EXPECT_EQ(jr & 0x7f, 0x67u);  // JALR
  EXPECT_EQ(rd(jr), 0u);
  EXPECT_EQ(rs1(jr), kT1);
}

TEST(BootRom, DataSlotsHoldTheConfiguredAddresses) {
  const auto rom = boot_rom_image(kConfig);
  EXPECT_EQ(u64_at(rom, kStartPc), 0x8000'0000u);
  EXPECT_EQ(u64_at(rom, kDtbAddress), 0x87e0'0000u);
}

TEST(BootRom, CarriesAnOpenSbiFwDynamicRecord) {
  const auto rom = boot_rom_image(kConfig);
  EXPECT_EQ(u64_at(rom, kFwDynamic), 0x4942'534fu);
  EXPECT_EQ(u64_at(rom, kFwDynamic + 8), 2u);
  EXPECT_EQ(u64_at(rom, kFwDynamic + 16), 0x8020'0000u);
  EXPECT_EQ(u64_at(rom, kFwDynamic + 24), 1u);
  EXPECT_EQ(rom.size(), kSize);
}

TEST(BootRom, DeviceTreeGoesTwoMegabyteAlignedBelowTheTopOfRam) {
  EXPECT_EQ(device_tree_address(0x8000'0000, 128ull << 20, 0x1000), 0x87e0'0000u);
  EXPECT_EQ(device_tree_address(0x8000'0000, 128ull << 20, 0x20'0000), 0x87e0'0000u);
  EXPECT_EQ(device_tree_address(0x8000'0000, 128ull << 20, 0x20'0001), 0x87c0'0000u);
}

TEST(BootRom, DeviceTreeStaysWithinThreeGigabytesOfRamBase) {
  EXPECT_EQ(device_tree_address(0x8000'0000, 8ull << 30, 0x1000), 0x1'3fe0'0000u);
}

TEST(BootRom, DeviceTreeInTinyRamStaysInsideRam) {
  const uint64_t a = device_tree_address(0x8000'0000, 1 << 20, 0x1000);
  EXPECT_GE(a, 0x8000'0000u);
  EXPECT_LE(a + 0x1000, 0x8010'0000u);
}

TEST(BootRom, TopAddressIsTheHighestEightByteAlignedFit) {
  EXPECT_EQ(device_tree_top_address(0x8000'0000, 2u << 20, 0x1001), 0x801f'eff8u);
}

TEST(BootRom, InstallCopiesRomAndDeviceTree) {
  GuestLog log;
  AddressMap map(log);
  ASSERT_TRUE(map.add_rom("mrom", virt_map::kMromBase, virt_map::kMromSize).ok());
  ASSERT_TRUE(map.add_ram("ram", virt_map::kDramBase, 128ull << 20).ok());
  const std::vector<uint8_t> dtb = {0xd0, 0x0d, 0xfe, 0xed};
  ASSERT_TRUE(install_boot_rom(map, kConfig, dtb).ok());
  EXPECT_EQ(map.read(0x87e0'0000, 4).value, 0xedfe'0dd0u);
  EXPECT_EQ(map.read(virt_map::kMromBase, 4).value, 0xf1402573u);
  EXPECT_EQ(map.read(virt_map::kMromBase + kStartPc, 8).value, 0x8000'0000u);
}

TEST(BootRom, InstallFailsWhenTheDeviceTreeIsOutsideRam) {
  GuestLog log;
  AddressMap map(log);
  ASSERT_TRUE(map.add_rom("mrom", virt_map::kMromBase, virt_map::kMromSize).ok());
  ASSERT_TRUE(map.add_ram("ram", virt_map::kDramBase, 1 << 20).ok());
  BootRomConfig c = kConfig;  // dtb at 0x87e0'0000 but RAM is 1 MiB
  Status s = install_boot_rom(map, c, std::vector<uint8_t>(16));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("does not fit in RAM"), std::string::npos);
}

}  // namespace
}  // namespace vtime
