// Op: one predecoded instruction inside a cached block - its handler and its
// operands unpacked once, so execution never re-decodes. A handler runs the
// instruction and returns the next Op to run, or nullptr when it leaves the
// block (a jump, a trap, a device access, a CSR op...), after recording where
// through Hart::leave() / Hart::trap(). Returning the next Op (not void) lets a
// jump return the first Op of a chained block (Hart::jump()), so the dispatch
// loop runs on without looking the block up.
#pragma once

#include <cstdint>

namespace vtime::riscv {

class Hart;
struct Op;

using Handler = const Op* (*)(Hart& h, const Op* op);

// How the decoder unpacks `imm` for a row.
enum class Format : uint8_t {
  kR,    // no immediate
  kI,    // imm_i (also shifts: the handler masks the shamt)
  kS,    // imm_s
  kB,    // imm_b
  kU,    // imm_u
  kJ,    // imm_j
  kCsr,  // imm = CSR number, rs1 = register or 5-bit zimm
};

struct Op {
  Handler fn;
  int64_t imm;
  uint64_t pc;
  uint8_t rd;   // 0 is remapped to the discard slot kDiscard, so writes need no test
  uint8_t rs1;
  uint8_t rs2;
  uint8_t len;  // 2 or 4 bytes
  uint32_t raw; // the instruction as fetched (16 or 32 bits), for mtval and tracing
};

// Register-file slot written by instructions whose rd is x0.
inline constexpr uint8_t kDiscard = 32;

// How a handler that falls through ends: it runs the block's next Op itself
// (threaded dispatch: every handler has its own indirect jump, which the host
// predicts far better than one shared call site). Every block ends in an Op
// that returns nullptr, so the chain - and, in unoptimised builds without tail
// calls, the stack - is at most one block deep.
inline const Op* next_op(Hart& h, const Op* op) { return op[1].fn(h, op + 1); }

}  // namespace vtime::riscv
