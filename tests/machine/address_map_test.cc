#include "vtime/machine/address_map.h"

#include <gtest/gtest.h>

#include <vector>

namespace vtime {
namespace {

// A 16-byte device with four 32-bit registers that records accesses.
class RegsDevice final : public MmioDevice {
 public:
  std::string_view name() const override { return "regs"; }
  uint64_t size() const override { return 16; }
  AccessSizes sizes() const override { return {.min = 4, .max = 4}; }
  uint64_t read(uint64_t offset, unsigned) override { return regs[offset / 4]; }
  void write(uint64_t offset, unsigned, uint64_t value) override {
    regs[offset / 4] = static_cast<uint32_t>(value);
    ++writes;
  }
  uint32_t regs[4] = {0x11, 0x22, 0x33, 0x44};
  int writes = 0;
};

// One 64-bit register, served to 4-byte accesses by the bus.
class CounterDevice final : public MmioDevice {
 public:
  std::string_view name() const override { return "counter"; }
  uint64_t size() const override { return 8; }
  AccessSizes sizes() const override { return {.min = 4, .max = 8, .split_64_into_32 = true}; }
  uint64_t read(uint64_t, unsigned size) override {
    EXPECT_EQ(size, 8u);
    return value;
  }
  void write(uint64_t, unsigned size, uint64_t v) override {
    EXPECT_EQ(size, 8u);
    value = v;
  }
  uint64_t value = 0x0123'4567'89ab'cdefull;
};

struct Fixture {
  GuestLog log;
  AddressMap map{log};
  RegsDevice regs;
  CounterDevice counter;
  Fixture() {
    EXPECT_TRUE(map.add_ram("ram", 0x8000'0000, 0x10000).ok());
    EXPECT_TRUE(map.add_rom("rom", 0x1000, 0x1000, std::vector<uint8_t>{1, 2, 3, 4}).ok());
    EXPECT_TRUE(map.add_device(0x1000'0000, regs).ok());
    EXPECT_TRUE(map.add_device(0x0200'0000, counter).ok());
  }
};

TEST(AddressMap, RamReadsBackWhatWasWrittenLittleEndian) {
  Fixture f;
  EXPECT_EQ(f.map.write(0x8000'0010, 8, 0x1122'3344'5566'7788ull), BusStatus::kOk);
  EXPECT_EQ(f.map.read(0x8000'0010, 8).value, 0x1122'3344'5566'7788ull);
  EXPECT_EQ(f.map.read(0x8000'0010, 1).value, 0x88u);
  EXPECT_EQ(f.map.read(0x8000'0016, 2).value, 0x1122u);
}

TEST(AddressMap, RamPointerGivesDirectAccessInsideOneRegion) {
  Fixture f;
  uint8_t* p = f.map.ram_pointer(0x8000'0000, 0x1000);
  ASSERT_NE(p, nullptr);
  p[5] = 0xab;
  EXPECT_EQ(f.map.read(0x8000'0005, 1).value, 0xabu);
  EXPECT_EQ(f.map.ram_pointer(0x8000'ff00, 0x1000), nullptr);  // runs off the end
  EXPECT_EQ(f.map.ram_pointer(0x1000, 4), nullptr);            // ROM is not writable RAM
  EXPECT_NE(f.map.rom_or_ram_pointer(0x1000, 4), nullptr);
  EXPECT_EQ(f.map.rom_or_ram_pointer(0x1000'0000, 4), nullptr);  // MMIO has no host bytes
}

TEST(AddressMap, RomReadsItsContentsAndFaultsOnStores) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x1000, 4).value, 0x0403'0201u);
  EXPECT_EQ(f.map.read(0x1ff8, 8).value, 0u);  // zero padding
  EXPECT_EQ(f.map.write(0x1000, 4, 0), BusStatus::kAccessFault);
  EXPECT_EQ(f.log.count(), 1u);
}

TEST(AddressMap, UnmappedAddressesFaultAndAreLogged) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x4000'0000, 4).status, BusStatus::kAccessFault);
  EXPECT_EQ(f.map.write(0x0, 1, 0), BusStatus::kAccessFault);
  EXPECT_EQ(f.map.read(0x8001'0000, 1).status, BusStatus::kAccessFault);  // just past RAM
  EXPECT_EQ(f.log.count(), 3u);
}

TEST(AddressMap, AccessRunningOffTheEndOfRamFaults) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x8000'fffc, 8).status, BusStatus::kAccessFault);
}

TEST(AddressMap, DispatchesMmioAtDeviceRelativeOffsets) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x1000'0004, 4).value, 0x22u);
  EXPECT_EQ(f.map.write(0x1000'000c, 4, 0x99), BusStatus::kOk);
  EXPECT_EQ(f.regs.regs[3], 0x99u);
}

TEST(AddressMap, MmioRejectsSizesTheDeviceDoesNotTake) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x1000'0000, 1).status, BusStatus::kAccessFault);
  EXPECT_EQ(f.map.write(0x1000'0000, 8, 0), BusStatus::kAccessFault);
  EXPECT_EQ(f.regs.writes, 0);
  EXPECT_EQ(f.log.count(), 2u);
}

TEST(AddressMap, MmioRejectsMisalignedAccesses) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x1000'0002, 4).status, BusStatus::kAccessFault);
  EXPECT_EQ(f.log.count(), 1u);
}

TEST(AddressMap, SplitsFourByteAccessesToSixtyFourBitRegisters) {
  Fixture f;
  EXPECT_EQ(f.map.read(0x0200'0004, 4).value, 0x0123'4567u);
  EXPECT_EQ(f.map.read(0x0200'0000, 4).value, 0x89ab'cdefu);
  EXPECT_EQ(f.map.write(0x0200'0004, 4, 0xffff'ffff), BusStatus::kOk);
  EXPECT_EQ(f.counter.value, 0xffff'ffff'89ab'cdefull);
  EXPECT_EQ(f.map.read(0x0200'0000, 8).value, 0xffff'ffff'89ab'cdefull);
}

TEST(AddressMap, RejectsOverlappingRegionsWithASentence) {
  Fixture f;
  Status s = f.map.add_ram("ram2", 0x8000'8000, 0x10000);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("overlaps ram"), std::string::npos);
  RegsDevice again;
  EXPECT_FALSE(f.map.add_device(0x1000'0008, again).ok());
}

TEST(AddressMap, RejectsRegionsThatWrapTheAddressSpace) {
  GuestLog log;
  AddressMap map(log);
  EXPECT_FALSE(map.add_ram("ram", ~uint64_t{0} - 10, 0x100).ok());
  EXPECT_FALSE(map.add_ram("ram", 0x1000, 0).ok());
}

TEST(AddressMap, LookupFindsEveryRegionWhateverTheOrderOfAccess) {
  Fixture f;
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(f.map.find(0x1000'000f)->name, "regs");
    EXPECT_EQ(f.map.find(0x1000)->name, "rom");
    EXPECT_EQ(f.map.find(0x8000'ffff)->name, "ram");
    EXPECT_EQ(f.map.find(0x0200'0007)->name, "counter");
    EXPECT_EQ(f.map.find(0x0200'0008), nullptr);
    EXPECT_EQ(f.map.find(0xfff), nullptr);
  }
}

TEST(AddressMap, RegionsAreKeptSortedByBase) {
  Fixture f;
  const auto& r = f.map.regions();
  for (size_t i = 1; i < r.size(); ++i) EXPECT_LT(r[i - 1].base, r[i].base);
}

}  // namespace
}  // namespace vtime

namespace vtime {
namespace {

TEST(AddressMapZeroRam, ClearsExactlyTheRangeAcrossPartialAndWholePages) {
  GuestLog log;
  AddressMap map(log);
  constexpr uint64_t kBase = 0x8000'0000, kSize = 64 * 1024;
  ASSERT_TRUE(map.add_ram("ram", kBase, kSize).ok());
  std::span<uint8_t> ram = map.host_span(kBase, kSize);
  for (size_t i = 0; i < ram.size(); ++i) ram[i] = static_cast<uint8_t>(i | 1);
  // From the middle of one page to the middle of another, whole pages between.
  constexpr uint64_t kFrom = 4096 + 100, kTo = 5 * 4096 + 7;
  ASSERT_TRUE(map.zero_ram(kBase + kFrom, kTo - kFrom));
  for (size_t i = 0; i < ram.size(); ++i) {
    const uint8_t expected = i >= kFrom && i < kTo ? 0 : static_cast<uint8_t>(i | 1);
    ASSERT_EQ(ram[i], expected) << "byte " << i;
  }
  // Freshly cleared pages are writable again.
  ASSERT_EQ(map.write(kBase + 2 * 4096, 8, 0x1234), BusStatus::kOk);
  EXPECT_EQ(map.read(kBase + 2 * 4096, 8).value, 0x1234u);
}

TEST(AddressMapZeroRam, RefusesRangesOutsideOneRamRegion) {
  GuestLog log;
  AddressMap map(log);
  ASSERT_TRUE(map.add_ram("ram", 0x8000'0000, 8192).ok());
  const std::vector<uint8_t> rom_bytes(16, 0xaa);
  ASSERT_TRUE(map.add_rom("rom", 0x1000, 4096, rom_bytes).ok());
  EXPECT_FALSE(map.zero_ram(0x8000'0000, 8193));       // runs off the end
  EXPECT_FALSE(map.zero_ram(0x7fff'ffff, 2));          // starts outside
  EXPECT_FALSE(map.zero_ram(0x1000, 16));              // ROM, not RAM
  EXPECT_EQ(map.host_span(0x1000, 1)[0], 0xaa);
  EXPECT_TRUE(map.zero_ram(0x8000'0000 + 8191, 1));    // the last byte alone
}

TEST(AddressMapZeroRam, LargeRamStartsZeroed) {
  GuestLog log;
  AddressMap map(log);
  ASSERT_TRUE(map.add_ram("ram", 0x8000'0000, 1ull << 30).ok());  // 1 GiB, untouched
  EXPECT_EQ(map.read(0x8000'0000 + (1ull << 29) + 8, 8).value, 0u);
}

}  // namespace
}  // namespace vtime
