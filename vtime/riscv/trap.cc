// Trap entry, interrupt selection and the privileged instructions that change
// control flow (ECALL, EBREAK, MRET, SRET, WFI, FENCE.I, SFENCE.VMA), per the
// privileged spec. A trap taken in S or U mode goes to S when medeleg/mideleg
// delegates its cause; everything else goes to M.
#include "vtime/riscv/hart.h"

namespace vtime::riscv {

const Op* Hart::trap(const Op* op, uint64_t cause, uint64_t tval) {
  take_trap(cause, tval, op->pc);
  exit_op_ = op;
  exit_retired_ = false;
  return nullptr;
}

const Op* Hart::illegal(const Op* op) { return trap(op, cause::kIllegalInsn, op->raw); }

void Hart::take_trap(uint64_t cause, uint64_t tval, uint64_t epc) {
  if (++traps_in_a_row_ == kTrapLoopLimit) attention_.fetch_or(kAttnTrapLoop, std::memory_order_relaxed);
  reservation_.valid = false;
  const bool interrupt = (cause & cause::kInterrupt) != 0;
  const uint64_t code = cause & ~cause::kInterrupt;
  const uint64_t deleg = interrupt ? csr_.mideleg : csr_.medeleg;
  uint64_t s = csr_.mstatus;
  uint64_t tvec = 0;
  if (priv_ != Priv::kMachine && code < 64 && ((deleg >> code) & 1)) {
    csr_.sepc = epc;
    csr_.scause = cause;
    csr_.stval = tval;
    s = (s & ~mstatus::kSpie) | ((s & mstatus::kSie) ? mstatus::kSpie : 0);
    s &= ~mstatus::kSie;
    s = (s & ~mstatus::kSpp) | (priv_ == Priv::kSupervisor ? mstatus::kSpp : 0);
    csr_.mstatus = s;
    tvec = csr_.stvec;
    set_priv(Priv::kSupervisor);
  } else {
    csr_.mepc = epc;
    csr_.mcause = cause;
    csr_.mtval = tval;
    s = (s & ~mstatus::kMpie) | ((s & mstatus::kMie) ? mstatus::kMpie : 0);
    s &= ~mstatus::kMie;
    s = (s & ~mstatus::kMpp) | (static_cast<uint64_t>(priv_) << mstatus::kMppShift);
    csr_.mstatus = s;
    tvec = csr_.mtvec;
    set_priv(Priv::kMachine);
  }
  const uint64_t base = tvec & ~uint64_t{3};
  const bool vectored = interrupt && (tvec & 1);
  pc_ = vectored ? base + 4 * code : base;
}

bool Hart::take_interrupt() {
  const uint64_t ready = pending() & csr_.mie;
  if (ready == 0) return false;
  // Interrupts for M are always enabled below M, and in M only with
  // mstatus.MIE; delegated ones are always enabled in U, in S only with
  // mstatus.SIE, and never in M. Those for M come first.
  const bool m_on = priv_ != Priv::kMachine || (csr_.mstatus & mstatus::kMie);
  const bool s_on = priv_ == Priv::kUser || (priv_ == Priv::kSupervisor && (csr_.mstatus & mstatus::kSie));
  uint64_t take = m_on ? ready & ~csr_.mideleg : 0;
  if (take == 0 && s_on) take = ready & csr_.mideleg;
  if (take == 0) return false;
  // Priority order of the privileged spec: MEI, MSI, MTI, SEI, SSI, STI.
  static constexpr unsigned kOrder[] = {11, 3, 7, 9, 1, 5};
  for (unsigned c : kOrder) {
    if (take & (uint64_t{1} << c)) {
      take_trap(cause::kInterrupt | c, 0, pc_);
      return true;
    }
  }
  return false;
}

const Op* Hart::ecall(const Op* op) {
  const uint64_t c = priv_ == Priv::kUser        ? cause::kEcallU
                     : priv_ == Priv::kSupervisor ? cause::kEcallS
                                                  : cause::kEcallM;
  return trap(op, c, 0);
}

// mtval = the address of the EBREAK itself (as QEMU does).
const Op* Hart::ebreak(const Op* op) { return trap(op, cause::kBreakpoint, op->pc); }

const Op* Hart::mret(const Op* op) {
  if (priv_ != Priv::kMachine) return illegal(op);
  uint64_t s = csr_.mstatus;
  const auto mpp = static_cast<Priv>((s & mstatus::kMpp) >> mstatus::kMppShift);
  s = (s & ~mstatus::kMie) | ((s & mstatus::kMpie) ? mstatus::kMie : 0);
  s |= mstatus::kMpie;
  s &= ~mstatus::kMpp;  // MPP becomes U, the least-privileged mode
  if (mpp != Priv::kMachine) s &= ~mstatus::kMprv;
  csr_.mstatus = s;
  set_priv(mpp);
  translation_changed();  // MPRV may have cleared
  reservation_.valid = false;
  attention_.fetch_or(kAttnIrq, std::memory_order_relaxed);  // interrupts may now be enabled
  return leave(op, csr_.mepc);
}

// SRET: illegal in U mode, and in S mode while mstatus.TSR traps it to M.
const Op* Hart::sret(const Op* op) {
  if (priv_ == Priv::kUser) return illegal(op);
  if (priv_ == Priv::kSupervisor && (csr_.mstatus & mstatus::kTsr)) return illegal(op);
  uint64_t s = csr_.mstatus;
  const Priv spp = (s & mstatus::kSpp) ? Priv::kSupervisor : Priv::kUser;
  s = (s & ~mstatus::kSie) | ((s & mstatus::kSpie) ? mstatus::kSie : 0);
  s |= mstatus::kSpie;
  s &= ~mstatus::kSpp;
  s &= ~mstatus::kMprv;  // SRET always leaves for a mode below M
  csr_.mstatus = s;
  set_priv(spp);
  translation_changed();
  reservation_.valid = false;
  attention_.fetch_or(kAttnIrq, std::memory_order_relaxed);
  return leave(op, csr_.sepc);
}

// SFENCE.VMA: illegal in U mode, and in S mode under mstatus.TVM. Without
// ASIDs, every form flushes every cached translation. Each block lookup checks
// the physical address of the block's first page, but not of the second page
// of an instruction crossing into the next one, so the cached blocks go too
// (correct and simple; keeping only non-crossing blocks would be cheaper).
const Op* Hart::sfence_vma(const Op* op) {
  if (priv_ == Priv::kUser) return illegal(op);
  if (priv_ == Priv::kSupervisor && (csr_.mstatus & mstatus::kTvm)) return illegal(op);
  translation_changed(true);
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
  return leave(op, op->pc + op->len);
}

// WFI is illegal in U mode (as QEMU does; the spec allows it whatever TW says,
// since this WFI may wait forever), and in S mode while mstatus.TW is set. In
// M and S mode it retires and, unless an enabled interrupt is already pending,
// stops run() until wakeup_pending().
const Op* Hart::wfi(const Op* op) {
  if (priv_ == Priv::kUser) return illegal(op);
  if (priv_ == Priv::kSupervisor && (csr_.mstatus & mstatus::kTw)) return illegal(op);
  if (!wakeup_pending()) {
    waiting_ = true;
    attention_.fetch_or(kAttnWfi, std::memory_order_relaxed);
  }
  return leave(op, op->pc + op->len);
}

const Op* Hart::fence_i(const Op* op) {
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
  return leave(op, op->pc + op->len);
}

}  // namespace vtime::riscv
