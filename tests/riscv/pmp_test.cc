// The PMP matcher on its own: address modes, permissions, priority, the
// all-bytes rule, M mode and the L bit, whole-page answers for the TLB, and
// the WARL rules of pmpcfg/pmpaddr.
#include "vtime/riscv/pmp.h"

#include <gtest/gtest.h>

#include <iterator>

namespace vtime::riscv {
namespace {

using A = PageAccess;
using P = Priv;
using namespace pmpcfg;

constexpr uint8_t napot_cfg(uint8_t perms) { return static_cast<uint8_t>((kNapot << kAShift) | perms); }
constexpr uint8_t tor_cfg(uint8_t perms) { return static_cast<uint8_t>((kTor << kAShift) | perms); }
constexpr uint8_t na4_cfg(uint8_t perms) { return static_cast<uint8_t>((kNa4 << kAShift) | perms); }
constexpr uint64_t napot_addr(uint64_t base, uint64_t size) { return (base >> 2) | ((size >> 3) - 1); }

// Writes entry `i`'s pmpcfg byte, keeping the others.
void set_cfg(Pmp& pmp, unsigned i, uint8_t cfg) {
  const unsigned reg = i / 8 * 2;
  const unsigned shift = 8 * (i % 8);
  const uint64_t old = pmp.read_cfg(reg);
  pmp.write_cfg(reg, (old & ~(uint64_t{0xff} << shift)) | (uint64_t{cfg} << shift));
}

// E0 NA4 R at 0x1100; E1 OFF (TOR base 0x2000); E2 TOR [0x2000, 0x3000) RW;
// E3 NAPOT [0x4000, 0x5000) X; E4 NAPOT [0x8000, 0x9000) L R;
// E5 NAPOT [0, 0x20000) RWX (below everything else in priority).
Pmp example() {
  Pmp pmp;
  pmp.write_addr(0, 0x1100 >> 2);
  pmp.write_addr(1, 0x2000 >> 2);
  pmp.write_addr(2, 0x3000 >> 2);
  pmp.write_addr(3, napot_addr(0x4000, 0x1000));
  pmp.write_addr(4, napot_addr(0x8000, 0x1000));
  pmp.write_addr(5, napot_addr(0, 0x20000));
  set_cfg(pmp, 0, na4_cfg(kR));
  set_cfg(pmp, 2, tor_cfg(kR | kW));
  set_cfg(pmp, 3, napot_cfg(kX));
  set_cfg(pmp, 4, napot_cfg(kR | kL));
  set_cfg(pmp, 5, napot_cfg(kR | kW | kX));
  return pmp;
}

struct Case {
  const char* what;
  uint64_t addr;
  unsigned size;
  A access;
  P priv;
  bool allowed;
};

constexpr Case kCases[] = {
    {"NA4 R: S load", 0x1100, 4, A::kRead, P::kSupervisor, true},
    {"NA4 R: S store", 0x1100, 4, A::kWrite, P::kSupervisor, false},
    {"NA4 R: U byte load at its end", 0x1103, 1, A::kRead, P::kUser, true},
    {"NA4 R: load64 half inside", 0x1100, 8, A::kRead, P::kSupervisor, false},
    {"NA4 R: load64 ending inside", 0x10fc, 8, A::kRead, P::kSupervisor, false},
    {"NA4 R: misaligned load64 covering it", 0x10fe, 8, A::kRead, P::kSupervisor, false},
    {"NA4 R: M store (not locked)", 0x1100, 4, A::kWrite, P::kMachine, true},
    {"NA4 R: M load64 half inside fails too", 0x1100, 8, A::kRead, P::kMachine, false},
    {"next to NA4: E5 RWX", 0x1104, 4, A::kWrite, P::kSupervisor, true},
    {"TOR RW: first word", 0x2000, 4, A::kWrite, P::kSupervisor, true},
    {"TOR RW: last word", 0x2ffc, 4, A::kRead, P::kUser, true},
    {"TOR RW: fetch", 0x2000, 2, A::kFetch, P::kSupervisor, false},
    {"TOR RW: load over its end", 0x2ffc, 8, A::kRead, P::kSupervisor, false},
    {"TOR RW: load over its start", 0x1ffc, 8, A::kRead, P::kSupervisor, false},
    {"NAPOT X: fetch", 0x4ffe, 2, A::kFetch, P::kUser, true},
    {"NAPOT X: load (no MXR for PMP)", 0x4000, 4, A::kRead, P::kSupervisor, false},
    {"locked R: M load", 0x8000, 8, A::kRead, P::kMachine, true},
    {"locked R: M store", 0x8ff8, 8, A::kWrite, P::kMachine, false},
    {"locked R: M fetch", 0x8000, 4, A::kFetch, P::kMachine, false},
    {"locked R: S store", 0x8000, 4, A::kWrite, P::kSupervisor, false},
    {"E5 below the others: S store", 0x6000, 8, A::kWrite, P::kSupervisor, true},
    {"unmatched: S load", 0x20000, 4, A::kRead, P::kSupervisor, false},
    {"unmatched: U fetch", 0x30000, 2, A::kFetch, P::kUser, false},
    {"unmatched: M store", 0x20000, 4, A::kWrite, P::kMachine, true},
    {"E5's end: load64 over it", 0x1fffc, 8, A::kRead, P::kSupervisor, false},
};

TEST(Pmp, ExampleEntriesDecideAsTheTableSays) {
  const Pmp pmp = example();
  for (const Case& c : kCases) {
    EXPECT_EQ(pmp.allows(c.addr, c.size, c.access, c.priv), c.allowed) << c.what;
  }
}

TEST(Pmp, WithNoEntryActiveEverythingIsAllowed) {
  Pmp pmp;
  pmp.write_addr(0, ~uint64_t{0});  // an address alone does not activate an entry
  EXPECT_FALSE(pmp.active());
  EXPECT_TRUE(pmp.allows(0x1000, 8, A::kWrite, P::kUser));
  EXPECT_TRUE(pmp.allows_page(0x1000, A::kFetch, P::kSupervisor));
}

TEST(Pmp, PagesAreAllowedWholeOnlyInsideOneEntry) {
  const Pmp pmp = example();
  EXPECT_FALSE(pmp.allows_page(0x1000, A::kRead, P::kSupervisor));  // NA4 splits it
  EXPECT_TRUE(pmp.allows_page(0x2000, A::kWrite, P::kSupervisor));  // exactly TOR RW
  EXPECT_FALSE(pmp.allows_page(0x2000, A::kFetch, P::kSupervisor));
  EXPECT_TRUE(pmp.allows_page(0x6000, A::kFetch, P::kUser));        // E5 only
  EXPECT_FALSE(pmp.allows_page(0x20000, A::kRead, P::kSupervisor)); // unmatched
  EXPECT_TRUE(pmp.allows_page(0x20000, A::kRead, P::kMachine));
  EXPECT_FALSE(pmp.allows_page(0x1000, A::kRead, P::kMachine));     // M: the all-bytes rule
}

TEST(Pmp, NextBoundaryIsTheNearestRangeEdgeAbove) {
  const Pmp pmp = example();
  EXPECT_EQ(pmp.next_boundary(0x1000), 0x1100u);
  EXPECT_EQ(pmp.next_boundary(0x1100), 0x1104u);
  EXPECT_EQ(pmp.next_boundary(0x2000), 0x3000u);
  EXPECT_EQ(pmp.next_boundary(0x9000), 0x20000u);
  EXPECT_EQ(pmp.next_boundary(0x20000), ~uint64_t{0});
}

TEST(Pmp, EdgeOfAnEntryShadowedByALowerOneDoesNotSplitItsAccesses) {
  // E0 NAPOT [0x2000, 0x4000) RW decides before E1's NA4 at 0x3000.
  Pmp pmp;
  pmp.write_addr(0, napot_addr(0x2000, 0x2000));
  pmp.write_addr(1, 0x3000 >> 2);
  set_cfg(pmp, 0, napot_cfg(kR | kW));
  set_cfg(pmp, 1, na4_cfg(0));
  EXPECT_TRUE(pmp.allows(0x2ffc, 8, A::kWrite, P::kUser));
  EXPECT_TRUE(pmp.allows(0x3000, 4, A::kWrite, P::kUser));
  EXPECT_FALSE(pmp.allows(0x3ffc, 8, A::kRead, P::kUser));  // leaves E0
  EXPECT_TRUE(pmp.allows_page(0x2000, A::kWrite, P::kUser));
  EXPECT_FALSE(pmp.allows_page(0x3000, A::kWrite, P::kUser)) << "conservative: an edge inside";
}

TEST(Pmp, AnswersDoNotDependOnTheOrderOfQuestions) {
  const Pmp pmp = example();
  for (auto it = std::rbegin(kCases); it != std::rend(kCases); ++it) {
    EXPECT_EQ(pmp.allows(it->addr, it->size, it->access, it->priv), it->allowed) << it->what;
    EXPECT_TRUE(pmp.allows(0x6000, 4, A::kRead, P::kUser));
  }
}

TEST(Pmp, TorWithBaseAtOrAboveItsTopMatchesNothing) {
  Pmp pmp;
  pmp.write_addr(0, 0x3000 >> 2);
  pmp.write_addr(1, 0x2000 >> 2);
  set_cfg(pmp, 1, tor_cfg(kR | kW | kX));
  EXPECT_TRUE(pmp.active());
  EXPECT_FALSE(pmp.allows(0x2000, 4, A::kRead, P::kSupervisor));
  EXPECT_FALSE(pmp.allows(0x2800, 4, A::kRead, P::kSupervisor));
  EXPECT_TRUE(pmp.allows(0x2800, 4, A::kRead, P::kMachine));
}

TEST(Pmp, FirstTorEntryStartsAtZero) {
  Pmp pmp;
  pmp.write_addr(0, 0x1000 >> 2);
  set_cfg(pmp, 0, tor_cfg(kR));
  EXPECT_TRUE(pmp.allows(0, 8, A::kRead, P::kUser));
  EXPECT_TRUE(pmp.allows(0xffc, 4, A::kRead, P::kUser));
  EXPECT_FALSE(pmp.allows(0x1000, 4, A::kRead, P::kUser));
}

TEST(Pmp, AllOnesNapotCoversTheWholePhysicalSpace) {
  Pmp pmp;
  pmp.write_addr(15, ~uint64_t{0});
  set_cfg(pmp, 15, napot_cfg(kR));
  EXPECT_TRUE(pmp.allows(0, 8, A::kRead, P::kUser));
  EXPECT_TRUE(pmp.allows((uint64_t{1} << 56) - 8, 8, A::kRead, P::kUser));
  EXPECT_FALSE(pmp.allows(0x8000'0000, 4, A::kWrite, P::kUser));
}

TEST(Pmp, PmpaddrKeepsFiftyFourBits) {
  Pmp pmp;
  pmp.write_addr(3, ~uint64_t{0});
  EXPECT_EQ(pmp.read_addr(3), Pmp::kAddrMask);
  EXPECT_EQ(Pmp::kAddrMask, 0x003f'ffff'ffff'ffffu);
}

TEST(Pmp, CfgReservedBitsReadZeroAndWWithoutRIsKept) {
  Pmp pmp;
  pmp.write_cfg(0, 0x7f'1a);  // entry 1: every bit but L; entry 0: NAPOT W (R = 0)
  EXPECT_EQ(pmp.read_cfg(0), 0x1f'1au);
  pmp.write_addr(0, napot_addr(0x4000, 0x1000));
  EXPECT_TRUE(pmp.allows(0x4000, 4, A::kWrite, P::kSupervisor));
  EXPECT_FALSE(pmp.allows(0x4000, 4, A::kRead, P::kSupervisor));
}

TEST(Pmp, OnlyTwoCfgRegistersAndSixteenAddressesExist) {
  Pmp pmp;
  pmp.write_cfg(4, ~uint64_t{0});
  pmp.write_addr(16, 0x1234);
  pmp.write_addr(63, 0x1234);
  EXPECT_EQ(pmp.read_cfg(4), 0u);
  EXPECT_EQ(pmp.read_cfg(14), 0u);
  EXPECT_EQ(pmp.read_addr(16), 0u);
  EXPECT_EQ(pmp.read_addr(63), 0u);
  EXPECT_FALSE(pmp.active());
  pmp.write_cfg(2, 0x18);  // pmpcfg2's first byte is entry 8
  EXPECT_EQ(pmp.read_cfg(2), 0x18u);
  EXPECT_EQ(pmp.read_cfg(0), 0u);
}

TEST(Pmp, LockedEntryIgnoresWritesUntilReset) {
  Pmp pmp = example();
  const uint64_t cfg0 = pmp.read_cfg(0);
  pmp.write_cfg(0, 0);
  EXPECT_EQ(pmp.read_cfg(0), cfg0 & (uint64_t{0xff} << 32));  // only E4 (locked) kept
  pmp.write_addr(4, 0);
  EXPECT_EQ(pmp.read_addr(4), napot_addr(0x8000, 0x1000));
  EXPECT_FALSE(pmp.allows(0x8000, 4, A::kWrite, P::kMachine));
  pmp = Pmp{};
  EXPECT_EQ(pmp.read_cfg(0), 0u);
}

TEST(Pmp, LockedTorEntryAlsoHoldsTheAddressBelowIt) {
  Pmp pmp;
  pmp.write_addr(0, 0x2000 >> 2);
  pmp.write_addr(1, 0x3000 >> 2);
  set_cfg(pmp, 1, tor_cfg(kR | kL));
  pmp.write_addr(0, 0);
  pmp.write_addr(1, 0);
  EXPECT_EQ(pmp.read_addr(0), 0x2000u >> 2);
  EXPECT_EQ(pmp.read_addr(1), 0x3000u >> 2);
  set_cfg(pmp, 0, na4_cfg(kR));  // entry 0 itself is not locked
  EXPECT_EQ(pmp.read_cfg(0) & 0xff, na4_cfg(kR));
  Pmp napot;
  napot.write_addr(0, 0x2000 >> 2);
  set_cfg(napot, 1, napot_cfg(kR | kL));  // a locked NAPOT entry holds only its own
  napot.write_addr(0, 0);
  EXPECT_EQ(napot.read_addr(0), 0u);
}

}  // namespace
}  // namespace vtime::riscv
