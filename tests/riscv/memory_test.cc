// Data memory: faults and their mtval, misaligned accesses (emulated in RAM,
// trapping on devices and for atomics), LR/SC reservations, AMOs on devices,
// read-only pages, and PMP checks on data accesses (the TLB never hides a
// PMP change or a privilege change).
#include <gtest/gtest.h>

#include "tests/riscv/test_env.h"
#include "vtime/riscv/hart.h"

namespace vtime::riscv::test {
namespace {

constexpr unsigned kT0 = 5, kA0 = 10, kA1 = 11, kA2 = 12, kA3 = 13;
constexpr uint64_t kVector = kRamBase + 0x100;

// Sets mtvec = kVector, then t0 = the address under test, then runs `words`.
struct MemRig : Rig {
  void run(std::initializer_list<uint32_t> words, uint64_t t0) {
    hart.set_reg(kT0, kVector);
    env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x00068293 /* mv t0, a3 */});
    env.put_words(kRamBase + 8, words);
    env.put_words(kVector, {0x00000013});
    hart.set_reg(kA3, t0);
    result = hart.run(2 + words.size());
  }
  uint64_t mcause() const { return hart.csrs().mcause; }
  uint64_t mtval() const { return hart.csrs().mtval; }
  RunResult result;
};

TEST(Memory, UnmappedLoadAndStoreRaiseAccessFaultsWithTheAddress) {
  MemRig load;
  load.run({0x0002a503 /* lw a0, 0(t0) */}, 0x2000);
  EXPECT_EQ(load.mcause(), cause::kLoadAccessFault);
  EXPECT_EQ(load.mtval(), 0x2000u);
  EXPECT_EQ(load.hart.csrs().mepc, kRamBase + 8);
  MemRig store;
  store.run({0x00b2a023 /* sw a1, 0(t0) */}, 0x2000);
  EXPECT_EQ(store.mcause(), cause::kStoreAccessFault);
}

TEST(Memory, StoresToReadOnlyPagesFault) {
  MemRig rig;
  rig.env.put(kRom, 4, 0xabcd);
  rig.run({0x0002a503 /* lw a0, 0(t0) */, 0x00b2a023 /* sw a1, 0(t0) */}, kRom);
  EXPECT_EQ(rig.hart.reg(kA0), 0xabcdu);
  EXPECT_EQ(rig.mcause(), cause::kStoreAccessFault);
  EXPECT_EQ(rig.mtval(), kRom);
}

TEST(Memory, MisalignedRamAccessesAreEmulatedEvenAcrossPages) {
  MemRig rig;
  rig.hart.set_reg(kA1, 0x1122334455667788);
  // sd then ld at t0 + 2044, 4 bytes before the page end at kData + 0x1000.
  rig.run({0x7eb2be23 /* sd a1, 2044(t0) */, 0x7fc2b503 /* ld a0, 2044(t0) */}, kData + 0x800);
  EXPECT_EQ(rig.mcause(), 0u);
  EXPECT_EQ(rig.hart.reg(kA0), 0x1122334455667788u);
  EXPECT_EQ(rig.env.get(kData + 0xffc, 4), 0x55667788u);
  EXPECT_EQ(rig.env.get(kData + 0x1000, 4), 0x11223344u);
}

TEST(Memory, MisalignedDeviceAccessesTrapAsMisaligned) {
  MemRig load;
  load.run({0x0022a503 /* lw a0, 2(t0) */}, kDevice);
  EXPECT_EQ(load.mcause(), cause::kLoadMisaligned);
  EXPECT_EQ(load.mtval(), kDevice + 2);
  EXPECT_TRUE(load.env.accesses.empty());
  MemRig store;
  store.run({0x00b2a123 /* sw a1, 2(t0) */}, kDevice);
  EXPECT_EQ(store.mcause(), cause::kStoreMisaligned);
}

TEST(Memory, MisalignedAtomicsTrapEvenInRam) {
  MemRig amo;
  amo.run({0x08b2a52f /* amoswap.w a0, a1, (t0) */}, kData + 2);
  EXPECT_EQ(amo.mcause(), cause::kStoreMisaligned);
  EXPECT_EQ(amo.mtval(), kData + 2);
  MemRig lr;
  lr.run({0x1002b52f /* lr.d a0, (t0) */}, kData + 4);
  EXPECT_EQ(lr.mcause(), cause::kLoadMisaligned);
  MemRig sc;
  sc.run({0x18b2a6af /* sc.w a3, a1, (t0) */}, kData + 1);
  EXPECT_EQ(sc.mcause(), cause::kStoreMisaligned);
}

TEST(Memory, StoreConditionalSucceedsOnceAfterLoadReserved) {
  MemRig rig;
  rig.env.put(kData, 4, 5);
  rig.hart.set_reg(kA1, 9);
  rig.run({0x1002a52f /* lr.w a0, (t0) */, 0x18b2a6af /* sc.w a3, a1, (t0) */,
           0x00068613 /* mv a2, a3 */, 0x18b2a6af /* sc.w a3, a1, (t0) */},
          kData);
  EXPECT_EQ(rig.hart.reg(kA0), 5u);
  EXPECT_EQ(rig.hart.reg(kA2), 0u) << "first SC succeeds";
  EXPECT_EQ(rig.hart.reg(kA3), 1u) << "second SC has no reservation";
  EXPECT_EQ(rig.env.get(kData, 4), 9u);
}

TEST(Memory, StoreConditionalFailsAfterTheReservedWordChanged) {
  MemRig rig;
  rig.env.put(kData, 8, 5);
  rig.hart.set_reg(kA1, 9);
  rig.hart.set_reg(kA2, 6);
  rig.run({0x1002b52f /* lr.d a0, (t0) */, 0x00c2a023 /* sw a2, 0(t0) */,
           0x18b2b6af /* sc.d a3, a1, (t0) */},
          kData);
  EXPECT_EQ(rig.hart.reg(kA3), 1u);
  EXPECT_EQ(rig.env.get(kData, 8), 6u);
}

TEST(Memory, StoreConditionalToAnotherAddressFails) {
  MemRig rig;
  rig.hart.set_reg(kA1, 9);
  rig.run({0x1002a52f /* lr.w a0, (t0) */, 0x00428293 /* addi t0, t0, 4 */,
           0x18b2a6af /* sc.w a3, a1, (t0) */},
          kData);
  EXPECT_EQ(rig.hart.reg(kA3), 1u);
  EXPECT_EQ(rig.env.get(kData + 4, 4), 0u);
}

TEST(Memory, AtomicsOnDevicesReadModifyWriteAfterSync) {
  MemRig rig;
  rig.env.device_value = 40;
  rig.hart.set_reg(kA1, 2);
  rig.run({0x00b2b52f /* amoadd.d a0, a1, (t0) */}, kDevice);
  EXPECT_EQ(rig.hart.reg(kA0), 40u);
  ASSERT_EQ(rig.env.accesses.size(), 2u);
  EXPECT_FALSE(rig.env.accesses[0].store);
  EXPECT_TRUE(rig.env.accesses[1].store);
  EXPECT_EQ(rig.env.accesses[1].value, 42u);
  EXPECT_EQ(rig.env.accesses[0].retired_before, 2u);
  EXPECT_EQ(rig.env.accesses[1].retired_before, 2u);
  EXPECT_EQ(rig.env.syncs.size(), 3u) << "before the load, before the store, at the end";
}

TEST(Memory, FetchFromADeviceIsAnInstructionAccessFault) {
  MemRig rig;
  rig.run({0x000280e7 /* jalr ra, 0(t0) */}, kDevice);
  EXPECT_EQ(rig.mcause(), 0u) << "the fetch happens when the next run goes on";
  rig.hart.run(1);
  EXPECT_EQ(rig.mcause(), cause::kInsnAccessFault);
  EXPECT_EQ(rig.mtval(), kDevice);
  EXPECT_EQ(rig.hart.csrs().mepc, kDevice);
}

// An AMO is a store for paging: on an invalid page it raises a store/AMO page
// fault (15), as the privileged spec says. QEMU 7.2 reports a load page fault
// (13) here, so the guests accept both and this test pins our answer. LR is a
// load (13). M mode reaches S's translation through MPRV (fetches stay bare).
TEST(Memory, AmoOnAnInvalidPageIsAStorePageFaultAndLrALoadPageFault) {
  constexpr uint64_t kRoot = kRamBase + 0x8000;  // an all-zero Sv39 root: nothing mapped
  const uint64_t satp = (satp::kModeSv39 << satp::kModeShift) | (kRoot >> 12);
  const uint64_t mprv_as_s = mstatus::kMprv | (uint64_t{1} << mstatus::kMppShift);
  MemRig amo;
  amo.hart.set_reg(kA1, satp);
  amo.hart.set_reg(kA2, mprv_as_s);
  amo.run({0x18059073 /* csrw satp, a1 */, 0x30062073 /* csrs mstatus, a2 */,
           0x00a2b52f /* amoadd.d a0, a0, (t0) */}, 0x4008);
  EXPECT_EQ(amo.mcause(), cause::kStorePageFault);
  EXPECT_EQ(amo.mtval(), 0x4008u);
  MemRig lr;
  lr.hart.set_reg(kA1, satp);
  lr.hart.set_reg(kA2, mprv_as_s);
  lr.run({0x18059073 /* csrw satp, a1 */, 0x30062073 /* csrs mstatus, a2 */,
          0x1002b52f /* lr.d a0, (t0) */}, 0x4010);
  EXPECT_EQ(lr.mcause(), cause::kLoadPageFault);
  EXPECT_EQ(lr.mtval(), 0x4010u);
}

// PMP: S/U code at kLowCode with a3 = the address under test, a1 = a value.
constexpr uint64_t kLowCode = kRamBase + 0x400;
constexpr uint64_t kAllNapot = ~uint64_t{0};  // pmpaddr covering everything
constexpr uint64_t napot(uint64_t base, uint64_t size) { return (base >> 2) | ((size >> 3) - 1); }
constexpr uint64_t kCfgNapotR = 0x19, kCfgNapotNone = 0x18, kCfgNapotRwx = 0x1f, kCfgNa4R = 0x11;
constexpr uint32_t kLdA0A3 = 0x0006b503;    // ld a0, 0(a3)
constexpr uint32_t kSdA1A3 = 0x00b6b023;    // sd a1, 0(a3)
constexpr uint32_t kSwA1A3 = 0x00b6a023;    // sw a1, 0(a3)
constexpr uint32_t kSwA1A3At4 = 0x00b6a223; // sw a1, 4(a3)
constexpr uint32_t kMret = 0x30200073;

struct PmpRig : Rig {
  PmpRig(std::initializer_list<uint64_t> addrs, uint64_t cfg0, Priv mode,
         std::initializer_list<uint32_t> code, uint64_t a3) : boot(pmp_boot_length(addrs)) {
    pmp_boot(*this, addrs, cfg0, mode, kLowCode);
    env.put_words(kLowCode, code);
    hart.set_reg(kA3, a3);
    hart.set_reg(kA1, 0x1122334455667788);
  }
  uint64_t mcause() const { return hart.csrs().mcause; }
  uint64_t mtval() const { return hart.csrs().mtval; }
  uint64_t mepc() const { return hart.csrs().mepc; }
  uint64_t boot;
};

TEST(Memory, PmpLetsSupervisorReadButNotWriteAReadOnlyEntry) {
  PmpRig rig({napot(kData, kPageSize), kAllNapot}, kCfgNapotR | kCfgNapotRwx << 8, Priv::kSupervisor,
             {kLdA0A3, kSdA1A3}, kData);
  rig.env.put(kData, 8, 42);
  rig.hart.run(rig.boot + 2);
  EXPECT_EQ(rig.hart.reg(kA0), 42u);
  EXPECT_EQ(rig.mcause(), cause::kStoreAccessFault);
  EXPECT_EQ(rig.mtval(), kData);
  EXPECT_EQ(rig.mepc(), kLowCode + 4);
  EXPECT_EQ(rig.env.get(kData, 8), 42u);
}

TEST(Memory, MachineStoreDoesNotOpenThePageToUserMode) {
  // M stores (allowed: the entry is not locked), then MRETs to U (MPP became
  // U at the first MRET), which runs the same store.
  PmpRig rig({napot(kData, kPageSize), kAllNapot}, kCfgNapotR | kCfgNapotRwx << 8, Priv::kMachine,
             {kSdA1A3, kMret}, kData);
  rig.hart.run(rig.boot + 3);
  EXPECT_EQ(rig.env.get(kData, 8), 0x1122334455667788u);
  EXPECT_EQ(rig.mcause(), cause::kStoreAccessFault);
  EXPECT_EQ(rig.mtval(), kData);
  EXPECT_EQ((rig.hart.csrs().mstatus & mstatus::kMpp) >> mstatus::kMppShift, 0u) << "from U";
}

TEST(Memory, PageSplitByPmpIsCheckedOnEveryAccess) {
  PmpRig rig({(kData + 0x100) >> 2, kAllNapot}, kCfgNa4R | kCfgNapotRwx << 8, Priv::kSupervisor,
             {kSwA1A3At4, kSwA1A3}, kData + 0x100);
  rig.hart.run(rig.boot + 2);
  EXPECT_EQ(rig.env.get(kData + 0x104, 4), 0x55667788u);
  EXPECT_EQ(rig.mcause(), cause::kStoreAccessFault);
  EXPECT_EQ(rig.mtval(), kData + 0x100);
}

TEST(Memory, PmpIsCheckedBeforeADeviceSeesTheAccess) {
  PmpRig rig({napot(kDevice, kPageSize), kAllNapot}, kCfgNapotNone | kCfgNapotRwx << 8,
             Priv::kSupervisor, {kLdA0A3}, kDevice + 8);
  rig.hart.run(rig.boot + 1);
  EXPECT_EQ(rig.mcause(), cause::kLoadAccessFault);
  EXPECT_EQ(rig.mtval(), kDevice + 8);
  EXPECT_TRUE(rig.env.accesses.empty());
}

TEST(Memory, LockingAnEntryBindsMachineModeFromTheNextAccess) {
  PmpRig rig({napot(kData, kPageSize)}, kCfgNapotR, Priv::kMachine,
             {kSdA1A3, 0x3a039073 /* csrw pmpcfg0, t2 */, kSdA1A3}, kData);
  rig.hart.set_reg(7, kCfgNapotR | 0x80);
  rig.hart.run(rig.boot + 3);
  EXPECT_EQ(rig.mcause(), cause::kStoreAccessFault);
  EXPECT_EQ(rig.mepc(), kLowCode + 8);
  EXPECT_EQ(rig.env.get(kData, 8), 0x1122334455667788u);  // the first store went through
}

}  // namespace
}  // namespace vtime::riscv::test
