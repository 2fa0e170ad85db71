// CSR access for M, S and U modes: privilege and read-only checks from the CSR
// number (privileged spec §2.1), then one switch for reads and one for writes
// with their WARL rules. sstatus, sie and sip are masked views of mstatus, mie
// and mip; Sstc's stimecmp is forwarded to the board (HartEnv::set_stimecmp);
// pmpcfg/pmpaddr go to the Pmp (pmp.h). Every CSR instruction ends its block, so a write that
// enables an interrupt takes effect before the next instruction, and counters
// and `time` read the exact count at the instruction.
#include "vtime/riscv/hart.h"

namespace vtime::riscv {

namespace {
// mstatus fields a guest can write.
constexpr uint64_t kMstatusWritable =
    mstatus::kMie | mstatus::kMpie | mstatus::kMpp | mstatus::kMprv | mstatus::kTw |
    mstatus::kSie | mstatus::kSpie | mstatus::kSpp | mstatus::kSum | mstatus::kMxr |
    mstatus::kTvm | mstatus::kTsr | mstatus::kFs;
// The part of mstatus that sstatus shows: SIE, SPIE, SPP, FS (13-14), XS
// (15-16), SUM, MXR, UXL and SD (63).
constexpr uint64_t kSstatusMask = mstatus::kSie | mstatus::kSpie | mstatus::kSpp |
                                  (uint64_t{0xf} << 13) | mstatus::kSum | mstatus::kMxr |
                                  mstatus::kUxl | (uint64_t{1} << 63);
// medeleg: every exception but ECALL from M (which cannot be delegated) and
// the reserved causes.
constexpr uint64_t kMedelegWritable = 0xb3ff;
// mip bits M software may write (STIP only while Sstc does not drive it).
constexpr uint64_t kMipWritable = irq::kSupervisorBits;
constexpr uint64_t kMenvcfgWritable = menvcfg::kFiom | menvcfg::kStce;
// mcounteren / scounteren: 32 bits, CY, TM, IR and HPM3..31 (the hpm
// counters read as zero, at any level their enables allow).
constexpr uint64_t kMcounterenWritable = 0xffffffff;
bool in(uint16_t num, uint16_t first, uint16_t last) { return num >= first && num <= last; }
}  // namespace

const Op* Hart::csr_op(const Op* op, CsrOp kind, uint64_t operand) {
  const auto num = static_cast<uint16_t>(op->imm);
  // CSRRS/CSRRC with rs1 = x0 (or zimm = 0) read without writing.
  const bool writes = kind == CsrOp::kWrite || op->rs1 != 0;
  if (static_cast<unsigned>(priv_) < ((num >> 8) & 3u)) return illegal(op);
  if (writes && (num >> 10) == 3) return illegal(op);
  const std::optional<uint64_t> old = csr_read(num, op);
  if (!old) return illegal(op);
  if (writes) {
    // For CSRRS/CSRRC on mip, SEIP's modified value starts from its software
    // bit alone, not from the external line ORed into the read (spec §3.1.9).
    uint64_t base = *old;
    if (num == csr::kMip) base = (base & ~irq::kSeip) | (csr_.mip_sw & irq::kSeip);
    const uint64_t value = kind == CsrOp::kWrite ? operand
                           : kind == CsrOp::kSet ? (base | operand)
                                                 : (base & ~operand);
    if (!csr_write(num, value, op)) return illegal(op);
    attention_.fetch_or(kAttnIrq, std::memory_order_relaxed);
  }
  x_[op->rd] = *old;
  return leave(op, op->pc + op->len);
}

// Below M, a counter needs its mcounteren bit; in U mode also its scounteren bit.
bool Hart::counter_allowed(uint16_t num) const {
  if (priv_ == Priv::kMachine) return true;
  const unsigned bit = num & 0x1f;
  if (!((csr_.mcounteren >> bit) & 1)) return false;
  return priv_ == Priv::kSupervisor || ((csr_.scounteren >> bit) & 1);
}

// Sstc: the board learns each new compare value (or that STCE is off) at the
// exact instruction; STIP follows on its line.
void Hart::stimecmp_changed(const Op* op) {
  sync_before_io(op);
  env_.set_stimecmp(stce() ? csr_.stimecmp : HartEnv::kNoStimecmp);
}

void Hart::pmp_changed() {
  flush_tlb();
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
}

std::optional<uint64_t> Hart::csr_read(uint16_t num, const Op* op) {
  const uint64_t count = retired_total_ + retired_before(op);
  // fflags, frm and fcsr exist only while mstatus.FS is not Off.
  if (in(num, csr::kFflags, csr::kFcsr)) {
    if (!fp_enabled()) return std::nullopt;
    if (num == csr::kFflags) return csr_.fflags;
    if (num == csr::kFrm) return csr_.frm;
    return (uint64_t{csr_.frm} << 5) | csr_.fflags;
  }
  if (in(num, csr::kCycle, csr::kHpmcounter31)) {
    if (!counter_allowed(num)) return std::nullopt;
    switch (num) {
      case csr::kCycle: return count + csr_.mcycle_offset;
      case csr::kInstret: return count + csr_.minstret_offset;
      case csr::kTime: sync_before_io(op); return env_.read_time();
      default: return 0;  // hpmcounter3..31
    }
  }
  if (in(num, csr::kMhpmcounter3, csr::kMhpmcounter31)) return 0;
  if (in(num, csr::kMhpmevent3, csr::kMhpmevent31)) return 0;
  if (in(num, csr::kPmpcfg0, csr::kPmpcfg15)) {
    if (num & 1) return std::nullopt;  // pmpcfg1, 3, ... exist on RV32 only
    return pmp_.read_cfg(num - csr::kPmpcfg0);
  }
  if (in(num, csr::kPmpaddr0, csr::kPmpaddr63)) return pmp_.read_addr(num - csr::kPmpaddr0);
  switch (num) {
    case csr::kMvendorid: return 0;
    case csr::kMarchid: return 0;
    case csr::kMimpid: return 0;
    case csr::kMhartid: return hart_id_;
    case csr::kMconfigptr: return 0;
    case csr::kMstatus: return csr_.mstatus;
    case csr::kMisa: return kMisa;
    case csr::kMie: return csr_.mie;
    case csr::kMtvec: return csr_.mtvec;
    case csr::kMcounteren: return csr_.mcounteren;
    case csr::kMenvcfg: return csr_.menvcfg;
    case csr::kMcountinhibit: return 0;
    case csr::kMscratch: return csr_.mscratch;
    case csr::kMepc: return csr_.mepc;
    case csr::kMcause: return csr_.mcause;
    case csr::kMtval: return csr_.mtval;
    case csr::kMip: return pending() & irq::kAll;
    case csr::kMcycle: return count + csr_.mcycle_offset;
    case csr::kMinstret: return count + csr_.minstret_offset;
    case csr::kMedeleg: return csr_.medeleg;
    case csr::kMideleg: return csr_.mideleg;
    case csr::kSstatus: {
      const std::optional<uint64_t> m = csr_read(csr::kMstatus, op);
      return *m & kSstatusMask;
    }
    case csr::kSie: return csr_.mie & csr_.mideleg;
    case csr::kSip: return pending() & csr_.mideleg;
    case csr::kStvec: return csr_.stvec;
    case csr::kScounteren: return csr_.scounteren;
    case csr::kSenvcfg: return csr_.senvcfg;
    case csr::kSscratch: return csr_.sscratch;
    case csr::kSepc: return csr_.sepc;
    case csr::kScause: return csr_.scause;
    case csr::kStval: return csr_.stval;
    case csr::kSatp:
      if (priv_ == Priv::kSupervisor && (csr_.mstatus & mstatus::kTvm)) return std::nullopt;
      return csr_.satp;
    case csr::kStimecmp:
      // Below M only with menvcfg.STCE and mcounteren.TM (Sstc).
      if (priv_ != Priv::kMachine && (!stce() || !(csr_.mcounteren & 2))) return std::nullopt;
      return csr_.stimecmp;
    default: return std::nullopt;
  }
}

bool Hart::write_fcsr(uint16_t num, uint64_t value) {
  // frm holds any 3-bit value; a reserved one makes only dynamic-rm instructions illegal.
  const uint64_t fcsr = num == csr::kFflags ? (uint64_t{csr_.frm} << 5) | (value & 0x1f)
                        : num == csr::kFrm  ? ((value & 7) << 5) | csr_.fflags
                                            : value;
  csr_.fflags = static_cast<uint8_t>(fcsr & 0x1f);
  csr_.frm = static_cast<uint8_t>((fcsr >> 5) & 7);
  csr_.mstatus |= mstatus::kFs | mstatus::kSd;
  return true;
}

bool Hart::write_mstatus(uint64_t value) {
  uint64_t mpp = value & mstatus::kMpp;
  if (mpp == (uint64_t{2} << mstatus::kMppShift)) {
    mpp = csr_.mstatus & mstatus::kMpp;  // WARL: the reserved mode is not legal
  }
  value = (value & ~mstatus::kMpp) | mpp;
  csr_.mstatus = (csr_.mstatus & ~kMstatusWritable) | (value & kMstatusWritable);
  csr_.mstatus = (csr_.mstatus & ~mstatus::kSd) |
                 ((csr_.mstatus & mstatus::kFs) == mstatus::kFs ? mstatus::kSd : 0);  // SD: FS Dirty
  translation_changed();  // MPRV, MPP, SUM, MXR
  return true;
}

bool Hart::write_satp(uint64_t value) {
  if (priv_ == Priv::kSupervisor && (csr_.mstatus & mstatus::kTvm)) return false;
  const uint64_t mode = value >> satp::kModeShift;
  // WARL: a write with an unsupported mode has no effect at all.
  if (mode != satp::kModeBare && mode != satp::kModeSv39 && mode != satp::kModeSv48) return true;
  csr_.satp = (mode << satp::kModeShift) | (value & satp::kPpnMask);  // no ASID bits
  translation_changed(true);
  // A new root may map the second page of a page-crossing instruction
  // elsewhere; cached blocks only check their first page (see sfence_vma).
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
  return true;
}

bool Hart::csr_write(uint16_t num, uint64_t value, const Op* op) {
  // The writing instruction retires before the written counter value is read.
  const uint64_t count_after = retired_total_ + retired_before(op) + 1;
  if (in(num, csr::kMhpmcounter3, csr::kMhpmcounter31)) return true;
  if (in(num, csr::kMhpmevent3, csr::kMhpmevent31)) return true;
  if (in(num, csr::kPmpcfg0, csr::kPmpcfg15)) {
    if (num & 1) return false;
    pmp_.write_cfg(num - csr::kPmpcfg0, value);
    pmp_changed();
    return true;
  }
  if (in(num, csr::kPmpaddr0, csr::kPmpaddr63)) {
    pmp_.write_addr(num - csr::kPmpaddr0, value);
    pmp_changed();
    return true;
  }
  if (in(num, csr::kFflags, csr::kFcsr)) return write_fcsr(num, value);
  switch (num) {
    case csr::kMstatus: return write_mstatus(value);
    case csr::kSstatus:
      return csr_write(csr::kMstatus, (csr_.mstatus & ~kSstatusMask) | (value & kSstatusMask), op);
    case csr::kMisa: return true;  // WARL, fixed
    case csr::kMie: csr_.mie = value & irq::kAll; return true;
    case csr::kSie:
      csr_.mie = (csr_.mie & ~csr_.mideleg) | (value & csr_.mideleg);
      return true;
    case csr::kMedeleg: csr_.medeleg = value & kMedelegWritable; return true;
    case csr::kMideleg: csr_.mideleg = value & irq::kSupervisorBits; return true;
    case csr::kMtvec:
      // WARL: modes 2 and 3 are reserved; keep the old mode then.
      csr_.mtvec = (value & 3) < 2 ? value : (value & ~uint64_t{3}) | (csr_.mtvec & 3);
      return true;
    case csr::kMcounteren: csr_.mcounteren = value & kMcounterenWritable; return true;
    case csr::kMenvcfg: {
      const bool was = stce();
      csr_.menvcfg = value & kMenvcfgWritable;
      if (stce()) csr_.mip_sw &= ~irq::kStip;  // STIP now follows stimecmp only
      if (stce() != was) stimecmp_changed(op);
      return true;
    }
    case csr::kSenvcfg: csr_.senvcfg = value & menvcfg::kFiom; return true;
    case csr::kStvec:
      csr_.stvec = (value & 3) < 2 ? value : (value & ~uint64_t{3}) | (csr_.stvec & 3);
      return true;
    case csr::kScounteren: csr_.scounteren = value & kMcounterenWritable; return true;
    case csr::kSscratch: csr_.sscratch = value; return true;
    case csr::kSepc: csr_.sepc = value & ~uint64_t{1}; return true;
    case csr::kScause: csr_.scause = value; return true;
    case csr::kStval: csr_.stval = value; return true;
    case csr::kSatp: return write_satp(value);
    case csr::kStimecmp:
      if (priv_ != Priv::kMachine && (!stce() || !(csr_.mcounteren & 2))) return false;
      csr_.stimecmp = value;
      stimecmp_changed(op);
      return true;
    case csr::kMcountinhibit: return true;
    case csr::kMscratch: csr_.mscratch = value; return true;
    case csr::kMepc: csr_.mepc = value & ~uint64_t{1}; return true;  // IALIGN = 16
    case csr::kMcause: csr_.mcause = value; return true;
    case csr::kMtval: csr_.mtval = value; return true;
    case csr::kMip: {
      // MEIP/MTIP/MSIP are driven by the board; so is STIP under Sstc.
      const uint64_t writable = stce() ? kMipWritable & ~irq::kStip : kMipWritable;
      csr_.mip_sw = (csr_.mip_sw & ~writable) | (value & writable);
      return true;
    }
    case csr::kSip: {
      // Only SSIP, and only when delegated.
      const uint64_t writable = irq::kSsip & csr_.mideleg;
      csr_.mip_sw = (csr_.mip_sw & ~writable) | (value & writable);
      return true;
    }
    case csr::kMcycle: csr_.mcycle_offset = value - count_after; return true;
    case csr::kMinstret: csr_.minstret_offset = value - count_after; return true;
    default: return false;
  }
}

}  // namespace vtime::riscv
