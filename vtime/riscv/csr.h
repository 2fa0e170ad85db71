// Control and status registers of one hart: their numbers and field positions
// in the privileged spec's vocabulary, and the stored state (CsrFile). Reading
// and writing, with privilege checks and WARL rules, is Hart::csr_read/write in
// csr.cc. sstatus, sie and sip are not stored: they are views of mstatus, mie
// and mip.
#pragma once

#include <cstdint>

namespace vtime::riscv {

// Privilege modes, numbered as in mstatus.MPP.
enum class Priv : uint8_t { kUser = 0, kSupervisor = 1, kMachine = 3 };

namespace csr {
// Floating point (F/D): fflags and frm are fields of fcsr.
inline constexpr uint16_t kFflags = 0x001;
inline constexpr uint16_t kFrm = 0x002;
inline constexpr uint16_t kFcsr = 0x003;
// Unprivileged counters (read-only shadows).
inline constexpr uint16_t kCycle = 0xC00;
inline constexpr uint16_t kTime = 0xC01;
inline constexpr uint16_t kInstret = 0xC02;
inline constexpr uint16_t kHpmcounter3 = 0xC03;
inline constexpr uint16_t kHpmcounter31 = 0xC1F;
// Supervisor (S mode, Sstc).
inline constexpr uint16_t kSstatus = 0x100;
inline constexpr uint16_t kSie = 0x104;
inline constexpr uint16_t kStvec = 0x105;
inline constexpr uint16_t kScounteren = 0x106;
inline constexpr uint16_t kSenvcfg = 0x10A;
inline constexpr uint16_t kSscratch = 0x140;
inline constexpr uint16_t kSepc = 0x141;
inline constexpr uint16_t kScause = 0x142;
inline constexpr uint16_t kStval = 0x143;
inline constexpr uint16_t kSip = 0x144;
inline constexpr uint16_t kStimecmp = 0x14D;
inline constexpr uint16_t kSatp = 0x180;
// Machine information.
inline constexpr uint16_t kMvendorid = 0xF11;
inline constexpr uint16_t kMarchid = 0xF12;
inline constexpr uint16_t kMimpid = 0xF13;
inline constexpr uint16_t kMhartid = 0xF14;
inline constexpr uint16_t kMconfigptr = 0xF15;
// Machine trap setup and handling.
inline constexpr uint16_t kMstatus = 0x300;
inline constexpr uint16_t kMisa = 0x301;
inline constexpr uint16_t kMedeleg = 0x302;
inline constexpr uint16_t kMideleg = 0x303;
inline constexpr uint16_t kMie = 0x304;
inline constexpr uint16_t kMtvec = 0x305;
inline constexpr uint16_t kMcounteren = 0x306;
inline constexpr uint16_t kMenvcfg = 0x30A;
inline constexpr uint16_t kMcountinhibit = 0x320;
inline constexpr uint16_t kMhpmevent3 = 0x323;
inline constexpr uint16_t kMhpmevent31 = 0x33F;
inline constexpr uint16_t kMscratch = 0x340;
inline constexpr uint16_t kMepc = 0x341;
inline constexpr uint16_t kMcause = 0x342;
inline constexpr uint16_t kMtval = 0x343;
inline constexpr uint16_t kMip = 0x344;
inline constexpr uint16_t kPmpcfg0 = 0x3A0;  // RV64: even numbers only
inline constexpr uint16_t kPmpcfg15 = 0x3AF;
inline constexpr uint16_t kPmpaddr0 = 0x3B0;
inline constexpr uint16_t kPmpaddr63 = 0x3EF;
inline constexpr uint16_t kMseccfg = 0x747;
// Machine counters.
inline constexpr uint16_t kMcycle = 0xB00;
inline constexpr uint16_t kMinstret = 0xB02;
inline constexpr uint16_t kMhpmcounter3 = 0xB03;
inline constexpr uint16_t kMhpmcounter31 = 0xB1F;
}  // namespace csr

namespace mstatus {
inline constexpr uint64_t kSie = uint64_t{1} << 1;
inline constexpr uint64_t kMie = uint64_t{1} << 3;
inline constexpr uint64_t kSpie = uint64_t{1} << 5;
inline constexpr uint64_t kSpp = uint64_t{1} << 8;
inline constexpr uint64_t kMpie = uint64_t{1} << 7;
inline constexpr unsigned kMppShift = 11;
inline constexpr uint64_t kMpp = uint64_t{3} << kMppShift;
inline constexpr uint64_t kMprv = uint64_t{1} << 17;
inline constexpr uint64_t kSum = uint64_t{1} << 18;
inline constexpr uint64_t kMxr = uint64_t{1} << 19;
inline constexpr uint64_t kTvm = uint64_t{1} << 20;
inline constexpr uint64_t kTw = uint64_t{1} << 21;
inline constexpr uint64_t kTsr = uint64_t{1} << 22;
inline constexpr unsigned kUxlShift = 32;
inline constexpr uint64_t kUxl = uint64_t{3} << kUxlShift;
// FS: floating-point state Off (0; FP instructions are illegal), Initial,
// Clean, Dirty (3; any write to an f register or fcsr sets it). SD summarises
// FS == Dirty (no XS or VS state here).
inline constexpr unsigned kFsShift = 13;
inline constexpr uint64_t kFs = uint64_t{3} << kFsShift;
inline constexpr uint64_t kSd = uint64_t{1} << 63;
}  // namespace mstatus

namespace menvcfg {
inline constexpr uint64_t kFiom = 1;
inline constexpr uint64_t kStce = uint64_t{1} << 63;  // Sstc: stimecmp drives STIP
}  // namespace menvcfg

namespace satp {
inline constexpr unsigned kModeShift = 60;
inline constexpr uint64_t kModeBare = 0;
inline constexpr uint64_t kModeSv39 = 8;
inline constexpr uint64_t kModeSv48 = 9;
inline constexpr uint64_t kPpnMask = (uint64_t{1} << 44) - 1;
}  // namespace satp

// Exception causes (mcause with the interrupt bit clear).
namespace cause {
inline constexpr uint64_t kInsnMisaligned = 0;
inline constexpr uint64_t kInsnAccessFault = 1;
inline constexpr uint64_t kIllegalInsn = 2;
inline constexpr uint64_t kBreakpoint = 3;
inline constexpr uint64_t kLoadMisaligned = 4;
inline constexpr uint64_t kLoadAccessFault = 5;
inline constexpr uint64_t kStoreMisaligned = 6;  // store/AMO
inline constexpr uint64_t kStoreAccessFault = 7;  // store/AMO
inline constexpr uint64_t kEcallU = 8;
inline constexpr uint64_t kEcallS = 9;
inline constexpr uint64_t kEcallM = 11;
inline constexpr uint64_t kInsnPageFault = 12;
inline constexpr uint64_t kLoadPageFault = 13;
inline constexpr uint64_t kStorePageFault = 15;  // store/AMO
inline constexpr uint64_t kInterrupt = uint64_t{1} << 63;
}  // namespace cause

// mip / mie bits; the interrupt cause number is the bit index.
namespace irq {
inline constexpr uint64_t kSsip = uint64_t{1} << 1;
inline constexpr uint64_t kMsip = uint64_t{1} << 3;
inline constexpr uint64_t kStip = uint64_t{1} << 5;
inline constexpr uint64_t kMtip = uint64_t{1} << 7;
inline constexpr uint64_t kSeip = uint64_t{1} << 9;
inline constexpr uint64_t kMeip = uint64_t{1} << 11;
inline constexpr uint64_t kAll = kSsip | kMsip | kStip | kMtip | kSeip | kMeip;
// Bits of mie that exist while the hart has no S mode.
inline constexpr uint64_t kMachineBits = kMsip | kMtip | kMeip;
// The S-level interrupts: the only ones mideleg can delegate, and sie/sip's bits.
inline constexpr uint64_t kSupervisorBits = kSsip | kStip | kSeip;
}  // namespace irq

// misa: RV64 (MXL=2) with A, C, D, F, I, M, S and U.
inline constexpr uint64_t kMisa = (uint64_t{2} << 62) | (1u << ('A' - 'A')) |
                                  (1u << ('C' - 'A')) | (1u << ('D' - 'A')) | (1u << ('F' - 'A')) |
                                  (1u << ('I' - 'A')) |
                                  (1u << ('M' - 'A')) | (1u << ('S' - 'A')) | (1u << ('U' - 'A'));

struct CsrFile {
  uint64_t mstatus = uint64_t{2} << mstatus::kUxlShift;  // UXL = 64 bits, read-only
  uint64_t mtvec = 0;
  uint64_t mepc = 0;
  uint64_t mcause = 0;
  uint64_t mtval = 0;
  uint64_t mscratch = 0;
  uint64_t mie = 0;
  uint64_t mip_sw = 0;       // guest-written mip bits (none writable without S mode)
  uint64_t mcounteren = 0;
  uint64_t medeleg = 0;
  uint64_t mideleg = 0;
  uint64_t menvcfg = 0;      // FIOM and STCE
  // S mode (sstatus, sie and sip are views of mstatus, mie and mip).
  uint64_t stvec = 0;
  uint64_t sepc = 0;
  uint64_t scause = 0;
  uint64_t stval = 0;
  uint64_t sscratch = 0;
  uint64_t scounteren = 0;
  uint64_t senvcfg = 0;      // FIOM
  uint64_t satp = 0;         // MODE (bare, Sv39, Sv48) and PPN; no ASIDs (ASIDLEN = 0)
  uint64_t stimecmp = ~uint64_t{0};  // Sstc: STIP = (time >= stimecmp) while menvcfg.STCE
  // mcycle / minstret are the hart's retired count plus these offsets, so that
  // writes stick and counting costs nothing per instruction.
  uint64_t mcycle_offset = 0;
  uint64_t minstret_offset = 0;
  // fcsr: accrued exception flags (fpu::flag bits) and the dynamic rounding mode.
  uint8_t fflags = 0;
  uint8_t frm = 0;
};

}  // namespace vtime::riscv
