// CSR access: read/write forms, privilege and read-only checks, WARL fields,
// counter gating by mcounteren and scounteren, and CSRs that do not exist.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

#include "tests/riscv/test_env.h"
#include "vtime/riscv/hart.h"
#include "vtime/riscv/isa.h"

namespace vtime::riscv::test {
namespace {

constexpr unsigned kT0 = 5, kT1 = 6, kA0 = 10;
constexpr uint64_t kVector = kRamBase + 0x100;

// Runs `words` in M mode with a trap vector; returns the rig for inspection.
void run_machine(Rig& rig, std::initializer_list<uint32_t> words, uint64_t t1 = 0) {
  rig.hart.set_reg(kT0, kVector);
  rig.hart.set_reg(kT1, t1);
  rig.env.put_words(kRamBase, {0x30529073});  // csrw mtvec, t0
  rig.env.put_words(kRamBase + 4, words);
  rig.env.put_words(kVector, {0x00000013});
  rig.hart.run(1 + words.size());
}

uint64_t trap_cause(const Rig& rig) { return rig.hart.csrs().mcause; }

TEST(Csr, ReadWriteSetAndClearFormsReturnTheOldValue) {
  Rig rig;
  run_machine(rig, {0x34031073 /* csrw mscratch, t1 */, 0x3402e573 /* csrrsi a0, mscratch, 5 */}, 0x10);
  EXPECT_EQ(rig.hart.reg(kA0), 0x10u);
  Rig rig2;
  run_machine(rig2, {0x34031073 /* csrw mscratch, t1 */, 0x3402e073 /* csrsi mscratch, 5 */,
                     0x3400f573 /* csrrci a0, mscratch, 1 */, 0x34002573 /* csrr a0, mscratch */},
              0x10);
  EXPECT_EQ(rig2.hart.reg(kA0), 0x14u);
  Rig rig3;
  run_machine(rig3, {0x340fd573 /* csrrwi a0, mscratch, 31 */, 0x34031573 /* csrrw a0, mscratch, t1 */},
              7);
  EXPECT_EQ(rig3.hart.reg(kA0), 31u);
  EXPECT_EQ(trap_cause(rig3), 0u);
}

TEST(Csr, MachineInformationRegistersReadAndRefuseWrites) {
  Rig rig;
  run_machine(rig, {0x30102573 /* csrr a0, misa */});
  EXPECT_EQ(rig.hart.reg(kA0), kMisa);
  EXPECT_EQ(kMisa & 0x3ffffff & ~uint64_t{0x28}, 0x141105u);  // RV64 ACIMSU (+ F/D when present)
  Rig rig2;
  run_machine(rig2, {0xf1131073 /* csrw mvendorid, t1 */});
  EXPECT_EQ(trap_cause(rig2), cause::kIllegalInsn);
  EXPECT_EQ(rig2.hart.csrs().mtval, 0xf1131073u);
}

TEST(Csr, MisaAgreesWithTheIsaString) {
  std::string letters;
  for (char c = 'a'; c <= 'z'; ++c) {
    if (kMisa & (uint64_t{1} << (c - 'a'))) letters += c;
  }
  // S and U are modes, not in riscv,isa (Sstc is, as a Z-like name).
  std::string isa_letters = std::string(kIsaString).substr(4);
  isa_letters = isa_letters.substr(0, isa_letters.find('_'));
  std::string modes_removed;
  for (char c : letters) if (c != 's' && c != 'u') modes_removed += c;
  std::sort(isa_letters.begin(), isa_letters.end());  // riscv,isa orders them canonically
  EXPECT_EQ(modes_removed, isa_letters);
  EXPECT_NE(std::string(kIsaString).find("_sstc"), std::string::npos);
}

TEST(Csr, HartIdComesFromTheOptions) {
  TestEnv env;
  Hart hart(env, {.hart_id = 3, .reset_pc = kRamBase});
  env.put_words(kRamBase, {0xf1402573});  // csrr a0, mhartid
  hart.run(1);
  EXPECT_EQ(hart.reg(kA0), 3u);
}

TEST(Csr, UnknownRegistersAndCounterWritesAreIllegal) {
  Rig rig;
  run_machine(rig, {0x7c002573 /* csrr a0, 0x7c0 */});
  EXPECT_EQ(trap_cause(rig), cause::kIllegalInsn);
  Rig rig3;
  run_machine(rig3, {0xc0031073 /* csrw cycle, t1 */});
  EXPECT_EQ(trap_cause(rig3), cause::kIllegalInsn);
}

TEST(Csr, MstatusKeepsOnlyLegalPreviousModes) {
  Rig rig;
  // MPP = 10 is reserved: the old value (U) stays.
  run_machine(rig, {0x30031073 /* csrw mstatus, t1 */, 0x30002573 /* csrr a0, mstatus */},
              (uint64_t{2} << mstatus::kMppShift) | mstatus::kMie);
  EXPECT_EQ(rig.hart.reg(kA0) & mstatus::kMpp, 0u);
  EXPECT_TRUE(rig.hart.reg(kA0) & mstatus::kMie);
  EXPECT_EQ((rig.hart.reg(kA0) & mstatus::kUxl) >> mstatus::kUxlShift, 2u) << "UXL = 64";
}

TEST(Csr, MtvecKeepsItsModeWhenAReservedModeIsWritten) {
  Rig rig;
  run_machine(rig, {0x30531073 /* csrw mtvec, t1 */, 0x30502573 /* csrr a0, mtvec */},
              kRamBase + 0x203);
  EXPECT_EQ(rig.hart.reg(kA0), kRamBase + 0x200);  // mode 3 reserved: old mode 0 kept
}

TEST(Csr, MepcClearsBitZero) {
  Rig rig;
  run_machine(rig, {0x34131073 /* csrw mepc, t1 */, 0x34102573 /* csrr a0, mepc */}, 0x1235);
  EXPECT_EQ(rig.hart.reg(kA0), 0x1234u);
}

// sepc[0] is always zero (IALIGN = 16). QEMU 7.2 keeps the bit when read,
// so the smode guest does not print this.
TEST(Csr, SepcClearsBitZero) {
  Rig rig;
  run_machine(rig, {0x14131073 /* csrw sepc, t1 */, 0x14102573 /* csrr a0, sepc */}, 0x1235);
  EXPECT_EQ(rig.hart.reg(kA0), 0x1234u);
}

TEST(Csr, MipMachineBitsAreDrivenByTheBoardOnly) {
  Rig rig;
  rig.hart.set_pending(irq::kMtip | irq::kSeip, true);
  run_machine(rig, {0x34431073 /* csrw mip, t1 */, 0x34402573 /* csrr a0, mip */}, 0);
  EXPECT_EQ(rig.hart.reg(kA0), irq::kMtip | irq::kSeip);
  EXPECT_EQ(trap_cause(rig), 0u);
}

// CSR instructions on t1 / a0 by CSR number.
constexpr uint32_t csrw_t1(uint32_t csr) { return (csr << 20) | (kT1 << 15) | (1u << 12) | 0x73; }
constexpr uint32_t csrr_a0(uint32_t csr) { return (csr << 20) | (2u << 12) | (kA0 << 7) | 0x73; }
static_assert(csrw_t1(csr::kPmpcfg0) == 0x3a031073);  // csrw pmpcfg0, t1
static_assert(csrr_a0(csr::kPmpaddr0) == 0x3b002573);  // csrr a0, pmpaddr0

// Writes `value` to `csr` and reads it back into a0 (M mode).
uint64_t write_then_read(uint16_t csr, uint64_t value) {
  Rig rig;
  run_machine(rig, {csrw_t1(csr), csrr_a0(csr)}, value);
  EXPECT_EQ(trap_cause(rig), 0u) << "csr " << csr;
  return rig.hart.reg(kA0);
}

TEST(Csr, PmpcfgKeepsItsFieldsAndReadsReservedBitsAsZero) {
  EXPECT_EQ(write_then_read(csr::kPmpcfg0, 0x1f), 0x1fu);
  EXPECT_EQ(write_then_read(csr::kPmpcfg0, 0xff7f), 0x9f1fu);  // bits 5-6 of each entry read 0
  EXPECT_EQ(write_then_read(csr::kPmpcfg0 + 2, 0x1a), 0x1au);  // W without R is kept (QEMU 7.2)
}

TEST(Csr, PmpaddrKeepsAddressBitsFiftyFiveToTwo) {
  EXPECT_EQ(write_then_read(csr::kPmpaddr0, ~uint64_t{0}), 0x003f'ffff'ffff'ffffu);
  EXPECT_EQ(write_then_read(csr::kPmpaddr0 + 15, 0x2000'0400), 0x2000'0400u);
}

TEST(Csr, OddPmpcfgRegistersAreIllegalOnRv64) {
  Rig rig;
  run_machine(rig, {csrr_a0(csr::kPmpcfg0 + 1)});
  EXPECT_EQ(trap_cause(rig), cause::kIllegalInsn);
  Rig rig2;
  run_machine(rig2, {csrw_t1(csr::kPmpcfg0 + 3)}, 0x1f);
  EXPECT_EQ(trap_cause(rig2), cause::kIllegalInsn);
}

TEST(Csr, PmpEntriesSixteenToSixtyThreeReadZeroAndIgnoreWrites) {
  EXPECT_EQ(write_then_read(csr::kPmpcfg0 + 4, 0x1f), 0u);
  EXPECT_EQ(write_then_read(csr::kPmpcfg15 - 1, 0x1f), 0u);
  EXPECT_EQ(write_then_read(csr::kPmpaddr0 + 16, 0x1234), 0u);
  EXPECT_EQ(write_then_read(csr::kPmpaddr63, 0x1234), 0u);
}

TEST(Csr, LockedPmpEntryIgnoresLaterWrites) {
  Rig rig;
  // pmpcfg0 = entry 0 NAPOT R, locked; then try to clear it and its address.
  rig.hart.set_reg(7, 0);
  run_machine(rig, {csrw_t1(csr::kPmpaddr0), csrw_t1(csr::kPmpcfg0),
                    (csr::kPmpcfg0 << 20) | (7u << 15) | (1u << 12) | 0x73 /* csrw pmpcfg0, t2 */,
                    (csr::kPmpaddr0 << 20) | (7u << 15) | (1u << 12) | 0x73 /* csrw pmpaddr0, t2 */,
                    csrr_a0(csr::kPmpcfg0)},
              0x99);
  EXPECT_EQ(trap_cause(rig), 0u);
  EXPECT_EQ(rig.hart.reg(kA0), 0x99u);
}

TEST(Csr, HpmCountersAndEventsReadZeroAndIgnoreWrites) {
  EXPECT_EQ(write_then_read(csr::kMhpmcounter3, 1234), 0u);
  EXPECT_EQ(write_then_read(csr::kMhpmcounter31, 1234), 0u);
  EXPECT_EQ(write_then_read(csr::kMhpmevent3, 1), 0u);
  EXPECT_EQ(write_then_read(csr::kMhpmevent31, 1), 0u);
  Rig rig;
  run_machine(rig, {csrr_a0(csr::kHpmcounter31)});
  EXPECT_EQ(trap_cause(rig), 0u);
  EXPECT_EQ(rig.hart.reg(kA0), 0u);
}

TEST(Csr, CounterEnablesHoldThirtyTwoBits) {
  EXPECT_EQ(write_then_read(csr::kMcounteren, ~uint64_t{0}), 0xffff'ffffu);
  EXPECT_EQ(write_then_read(csr::kScounteren, ~uint64_t{0}), 0xffff'ffffu);
}

// Enters U mode at kRamBase + 0x40 with mcounteren = `counteren` and
// scounteren = `s_counteren` (default: the same), then runs `user`.
void run_user(Rig& rig, uint64_t counteren, std::initializer_list<uint32_t> user,
              std::optional<uint64_t> s_counteren = std::nullopt) {
  rig.hart.set_reg(28, s_counteren.value_or(counteren));
  rig.hart.set_reg(kT0, kVector);
  rig.hart.set_reg(kT1, counteren);
  rig.hart.set_reg(7, kRamBase + 0x40);
  rig.env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x30631073 /* csrw mcounteren, t1 */,
                               0x106e1073 /* csrw scounteren, t3 */,
                               0x34139073 /* csrw mepc, t2 */, 0x30200073 /* mret */});
  rig.env.put_words(kRamBase + 0x40, user);
  rig.env.put_words(kVector, {0x00000013});
  rig.hart.run(5 + user.size());
}

TEST(Csr, UserModeCountersFollowMcounteren) {
  Rig allowed;
  run_user(allowed, 0x7, {0xc0102673 /* csrr a2, time */, 0xc0002773 /* csrr a4, cycle */});
  EXPECT_EQ(trap_cause(allowed), 0u);
  EXPECT_EQ(allowed.hart.reg(12), 50u);  // 5 retired before it, test time = 10 per instruction
  Rig no_time;
  run_user(no_time, 0x5, {0xc0102673 /* csrr a2, time */});
  EXPECT_EQ(trap_cause(no_time), cause::kIllegalInsn);
  EXPECT_EQ(no_time.env.time_reads, 0u);
  Rig no_cycle;
  run_user(no_cycle, 0x6, {0xc0002773 /* csrr a4, cycle */});
  EXPECT_EQ(trap_cause(no_cycle), cause::kIllegalInsn);
  Rig no_s_time;  // U mode needs the scounteren bit as well
  run_user(no_s_time, 0x7, {0xc0102673 /* csrr a2, time */}, 0x5);
  EXPECT_EQ(trap_cause(no_s_time), cause::kIllegalInsn);
}

TEST(Csr, UserModeHpmCountersFollowTheirEnableBits) {
  Rig allowed;
  run_user(allowed, 0x8000'0008, {csrr_a0(csr::kHpmcounter3), csrr_a0(csr::kHpmcounter31)});
  EXPECT_EQ(trap_cause(allowed), 0u);
  EXPECT_EQ(allowed.hart.reg(kA0), 0u);
  Rig no_m;
  run_user(no_m, 0x7, {csrr_a0(csr::kHpmcounter3)}, 0x8);
  EXPECT_EQ(trap_cause(no_m), cause::kIllegalInsn);
  Rig no_s;
  run_user(no_s, 0x8000'0000, {csrr_a0(csr::kHpmcounter31)}, 0);
  EXPECT_EQ(trap_cause(no_s), cause::kIllegalInsn);
}

TEST(Csr, UserModeCannotTouchMachineRegisters) {
  Rig rig;
  run_user(rig, 0, {0x34002573 /* csrr a0, mscratch */});
  EXPECT_EQ(trap_cause(rig), cause::kIllegalInsn);
  EXPECT_EQ(rig.hart.csrs().mepc, kRamBase + 0x40);
}

}  // namespace
}  // namespace vtime::riscv::test
