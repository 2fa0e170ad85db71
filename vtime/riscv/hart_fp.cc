// The hart's floating-point state outside the handlers: loads into f registers
// (through the same slow path as integer loads, so translation and device
// rules are shared) with NaN boxing of singles.
#include "vtime/riscv/hart.h"

namespace vtime::riscv {

const Op* Hart::load_fp(const Op* op, uint64_t addr, unsigned size) {
  uint64_t raw = 0;
  const Mem m = load_slow(op, addr, size, raw);
  if (m == Mem::kTrapped) return nullptr;
  set_f(op->rd & 31u, size == 4 ? ((raw & 0xffffffff) | 0xffffffff00000000) : raw);  // f0 comes as the discard slot
  return m == Mem::kRam ? next_op(*this, op) : leave(op, op->pc + op->len);
}

}  // namespace vtime::riscv
