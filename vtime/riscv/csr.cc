// CSR access for M and U modes: privilege and read-only checks from the CSR
// number (privileged spec §2.1), then one switch for reads and one for writes
// with their WARL rules. Every CSR instruction ends its block, so a write that
// enables an interrupt takes effect before the next instruction, and counters
// and `time` read the exact count at the instruction.
#include "vtime/riscv/hart.h"

namespace vtime::riscv {

namespace {
// mstatus fields a guest can write while there is no S mode.
constexpr uint64_t kMstatusWritable =
    mstatus::kMie | mstatus::kMpie | mstatus::kMpp | mstatus::kMprv | mstatus::kTw;
// mcounteren: CY, TM, IR (the hpm counters read as zero and stay M-only).
constexpr uint64_t kMcounterenWritable = 0x7;
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
    const uint64_t value = kind == CsrOp::kWrite ? operand
                           : kind == CsrOp::kSet ? (*old | operand)
                                                 : (*old & ~operand);
    if (!csr_write(num, value, op)) return illegal(op);
    attention_.fetch_or(kAttnIrq, std::memory_order_relaxed);
  }
  x_[op->rd] = *old;
  return leave(op, op->pc + op->len);
}

bool Hart::counter_allowed(uint16_t num) const {
  if (priv_ == Priv::kMachine) return true;
  // (With S mode, U mode also needs the bit in scounteren.)
  return (csr_.mcounteren >> (num & 0x1f)) & 1;
}

std::optional<uint64_t> Hart::csr_read(uint16_t num, const Op* op) {
  const uint64_t count = retired_total_ + retired_before(op);
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
  if (in(num, csr::kPmpcfg0, csr::kPmpaddr63)) return 0;  // no PMP: accepted, reads zero
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
    case csr::kMip: return pending() & irq::kMachineBits;  // S bits do not exist yet
    case csr::kMcycle: return count + csr_.mcycle_offset;
    case csr::kMinstret: return count + csr_.minstret_offset;
    // medeleg / mideleg do not exist without S mode (privileged spec §3.1.8).
    default: return std::nullopt;
  }
}

bool Hart::csr_write(uint16_t num, uint64_t value, const Op* op) {
  // The writing instruction retires before the written counter value is read.
  const uint64_t count_after = retired_total_ + retired_before(op) + 1;
  if (in(num, csr::kMhpmcounter3, csr::kMhpmcounter31)) return true;
  if (in(num, csr::kMhpmevent3, csr::kMhpmevent31)) return true;
  if (in(num, csr::kPmpcfg0, csr::kPmpaddr63)) return true;
  switch (num) {
    case csr::kMstatus: {
      uint64_t mpp = value & mstatus::kMpp;
      if (mpp == (uint64_t{1} << mstatus::kMppShift) || mpp == (uint64_t{2} << mstatus::kMppShift)) {
        mpp = csr_.mstatus & mstatus::kMpp;  // WARL: S and reserved modes are not legal
      }
      value = (value & ~mstatus::kMpp) | mpp;
      csr_.mstatus = (csr_.mstatus & ~kMstatusWritable) | (value & kMstatusWritable);
      return true;
    }
    case csr::kMisa: return true;  // WARL, fixed
    case csr::kMie: csr_.mie = value & irq::kMachineBits; return true;
    case csr::kMtvec:
      // WARL: modes 2 and 3 are reserved; keep the old mode then.
      csr_.mtvec = (value & 3) < 2 ? value : (value & ~uint64_t{3}) | (csr_.mtvec & 3);
      return true;
    case csr::kMcounteren: csr_.mcounteren = value & kMcounterenWritable; return true;
    case csr::kMenvcfg: return true;  // no writable field yet (FIOM, STCE come with S mode)
    case csr::kMcountinhibit: return true;
    case csr::kMscratch: csr_.mscratch = value; return true;
    case csr::kMepc: csr_.mepc = value & ~uint64_t{1}; return true;  // IALIGN = 16
    case csr::kMcause: csr_.mcause = value; return true;
    case csr::kMtval: csr_.mtval = value; return true;
    case csr::kMip: return true;  // MEIP/MTIP/MSIP are driven by the board
    case csr::kMcycle: csr_.mcycle_offset = value - count_after; return true;
    case csr::kMinstret: csr_.minstret_offset = value - count_after; return true;
    default: return false;
  }
}

}  // namespace vtime::riscv
