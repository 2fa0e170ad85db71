// Trap entry, interrupt selection and the privileged instructions that change
// control flow (ECALL, EBREAK, MRET, WFI, FENCE.I), per the privileged spec.
// Every trap goes to M mode for now; with S mode, take_trap() consults
// medeleg/mideleg (already in CsrFile) to route delegated traps to S.
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
  csr_.mepc = epc;
  csr_.mcause = cause;
  csr_.mtval = tval;
  uint64_t s = csr_.mstatus;
  s = (s & ~mstatus::kMpie) | ((s & mstatus::kMie) ? mstatus::kMpie : 0);
  s &= ~mstatus::kMie;
  s = (s & ~mstatus::kMpp) | (static_cast<uint64_t>(priv_) << mstatus::kMppShift);
  csr_.mstatus = s;
  priv_ = Priv::kMachine;
  const uint64_t base = csr_.mtvec & ~uint64_t{3};
  const bool vectored = (cause & cause::kInterrupt) && (csr_.mtvec & 1);
  pc_ = vectored ? base + 4 * (cause & ~cause::kInterrupt) : base;
}

bool Hart::take_interrupt() {
  const uint64_t ready = pending() & csr_.mie & ~csr_.mideleg;
  if (ready == 0) return false;
  // M-level interrupts are always enabled below M, and in M only with mstatus.MIE.
  if (priv_ == Priv::kMachine && !(csr_.mstatus & mstatus::kMie)) return false;
  // Priority order of the privileged spec: MEI, MSI, MTI, SEI, SSI, STI.
  static constexpr unsigned kOrder[] = {11, 3, 7, 9, 1, 5};
  for (unsigned c : kOrder) {
    if (ready & (uint64_t{1} << c)) {
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
  priv_ = mpp;
  reservation_.valid = false;
  attention_.fetch_or(kAttnIrq, std::memory_order_relaxed);  // interrupts may now be enabled
  return leave(op, csr_.mepc);
}

// WFI is illegal in U mode (as QEMU does; the spec allows it whatever TW says,
// since this WFI may wait forever). In M mode it retires and, unless an enabled
// interrupt is already pending, stops run() until wakeup_pending().
const Op* Hart::wfi(const Op* op) {
  if (priv_ == Priv::kUser) return illegal(op);
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
