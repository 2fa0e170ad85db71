#include "vtime/devices/reg_access.h"

#include <gtest/gtest.h>

#include <vector>

namespace vtime {
namespace {

using reg_access::Check;

// A device with one 64-bit register at 0 and one at 8, recording what it saw.
class Reg64Device final : public MmioDevice {
 public:
  std::string_view name() const override { return "reg64"; }
  uint64_t size() const override { return 16; }
  AccessSizes sizes() const override { return {.min = 4, .max = 8, .split_64_into_32 = true}; }
  uint64_t read(uint64_t offset, unsigned size) override {
    seen_sizes.push_back(size);
    return regs[offset / 8];
  }
  void write(uint64_t offset, unsigned size, uint64_t value) override {
    seen_sizes.push_back(size);
    regs[offset / 8] = value;
  }
  uint64_t regs[2] = {0x1122334455667788ull, 0};
  std::vector<unsigned> seen_sizes;
};

TEST(RegAccess, AcceptsDeclaredSizesAlignedInsideTheWindow) {
  constexpr AccessSizes s{.min = 4, .max = 8};
  EXPECT_EQ(reg_access::check(s, 16, 8, 8), Check::kOk);
  EXPECT_EQ(reg_access::check(s, 16, 4, 4), Check::kOk);
}

TEST(RegAccess, RejectsSizesTheDeviceDoesNotTake) {
  constexpr AccessSizes s{.min = 4, .max = 4};
  EXPECT_EQ(reg_access::check(s, 16, 0, 1), Check::kBadSize);
  EXPECT_EQ(reg_access::check(s, 16, 0, 8), Check::kBadSize);
  EXPECT_EQ(reg_access::check(s, 16, 0, 3), Check::kBadSize);
}

TEST(RegAccess, RejectsMisalignedAccesses) {
  constexpr AccessSizes s{.min = 1, .max = 8};
  EXPECT_EQ(reg_access::check(s, 16, 2, 4), Check::kMisaligned);
  EXPECT_EQ(reg_access::check(s, 16, 4, 8), Check::kMisaligned);
}

TEST(RegAccess, RejectsAccessesThatLeaveTheWindow) {
  constexpr AccessSizes s{.min = 1, .max = 8};
  EXPECT_EQ(reg_access::check(s, 12, 8, 8), Check::kOutsideWindow);
  EXPECT_EQ(reg_access::check(s, 12, 16, 1), Check::kOutsideWindow);
}

TEST(RegAccess, HalvesAreSelectedByBitTwo) {
  EXPECT_EQ(reg_access::read_half(0xaaaa'bbbb'cccc'ddddull, 0), 0xcccc'ddddu);
  EXPECT_EQ(reg_access::read_half(0xaaaa'bbbb'cccc'ddddull, 4), 0xaaaa'bbbbu);
  EXPECT_EQ(reg_access::merge_half(0xaaaa'bbbb'cccc'ddddull, 0, 0x1234), 0xaaaa'bbbb'0000'1234ull);
  EXPECT_EQ(reg_access::merge_half(0xaaaa'bbbb'cccc'ddddull, 4, 0x1234), 0x0000'1234'cccc'ddddull);
  constexpr reg_access::HalfWrite low = reg_access::half_write(0x108, 0x8000'0001u);
  EXPECT_EQ(low.value, 0x8000'0001ull);
  EXPECT_EQ(low.mask, 0xffff'ffffull);
  constexpr reg_access::HalfWrite high = reg_access::half_write(0x10c, 0x8000'0001u);
  EXPECT_EQ(high.value, 0x8000'0001'0000'0000ull);
  EXPECT_EQ(high.mask, 0xffff'ffff'0000'0000ull);
}

TEST(RegAccess, SplitDeviceSeesOnlyWholeRegisters) {
  Reg64Device dev;
  const AccessSizes s = dev.sizes();
  EXPECT_EQ(reg_access::dispatch_read(dev, s, 4, 4), 0x11223344u);
  EXPECT_EQ(reg_access::dispatch_read(dev, s, 0, 4), 0x55667788u);
  reg_access::dispatch_write(dev, s, 4, 4, 0xdeadbeef);
  EXPECT_EQ(dev.regs[0], 0xdeadbeef'55667788ull);
  reg_access::dispatch_write(dev, s, 8, 8, 7);
  EXPECT_EQ(dev.regs[1], 7u);
  for (unsigned size : dev.seen_sizes) EXPECT_EQ(size, 8u);
}

}  // namespace
}  // namespace vtime
