// The instruction tables: each instruction is one row - mnemonic,
// mask, match, handler, operand format, and whether it ends a basic block.
// Compressed instructions are rows that expand to their 32-bit equivalent, which
// then runs through the 32-bit row with length 2. A test checks that no two rows
// of a table overlap. A new extension adds its table here (F and D are in isa_fp.h).
#pragma once

#include <cstdint>
#include <span>

#include "vtime/riscv/op.h"

namespace vtime::riscv {

enum class Flow : uint8_t {
  kNext,       // falls through; may still leave the block for a trap or device access
  kEndsBlock,  // control flow or state change: always the last Op of a block
};

struct InsnSpec {
  const char* mnemonic;
  uint32_t mask;
  uint32_t match;
  Handler exec;
  Format format;
  Flow flow;
};

// Expands a 16-bit instruction to the 32-bit one it stands for; 0 means the
// encoding is reserved (illegal).
using Expander = uint32_t (*)(uint16_t c);

struct CompressedSpec {
  const char* mnemonic;
  uint16_t mask;
  uint16_t match;
  Expander expand;
};

std::span<const InsnSpec> rv64i_table();     // RV64I base incl. FENCE
std::span<const InsnSpec> rv64m_table();     // M: multiply / divide
std::span<const InsnSpec> rv64a_table();     // A: LR/SC and AMOs
std::span<const InsnSpec> system_table();    // Zicsr, Zifencei, ECALL/EBREAK, MRET, WFI
std::span<const InsnSpec> rv64f_table();     // F: single-precision floating point
std::span<const InsnSpec> rv64d_table();     // D: double precision, S<->D conversions
std::span<const CompressedSpec> rvc_table(); // C (integer forms)

// The device tree's riscv,isa for these harts: exactly what the tables and
// CSRs implement (misa's letters plus the Z extensions). Grows with the tables.
inline constexpr const char* kIsaString = "rv64imafdc_zicsr_zifencei_sstc";

// Every 32-bit table, in the order the decoder and the overlap test use.
inline constexpr auto kInsnTables = {&rv64i_table, &rv64m_table, &rv64a_table, &system_table,
                                     &rv64f_table, &rv64d_table};

// The handler for an encoding no row matches: raises illegal instruction.
const Op* exec_illegal(Hart& h, const Op* op);

}  // namespace vtime::riscv
