// Decoder: finds the table row for an instruction word through buckets built
// once from the tables (keyed by opcode and funct3 for 32-bit words, by quadrant
// and funct3 for 16-bit ones), then unpacks the operands into an Op. Decoding
// happens once per block build, never per execution.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "vtime/riscv/isa.h"
#include "vtime/riscv/op.h"

namespace vtime::riscv {

class Decoder {
 public:
  Decoder();

  // The row matching a 32-bit word, or nullptr.
  const InsnSpec* find(uint32_t word) const;
  // The row matching a 16-bit word, or nullptr.
  const CompressedSpec* find_compressed(uint16_t half) const;

  // Predecodes the instruction at `pc` whose bits are `raw` (16 bits when
  // `len` is 2). `ends_block` reports whether the Op must close its block.
  // Unknown or reserved encodings give an Op running exec_illegal.
  Op decode(uint32_t raw, unsigned len, uint64_t pc, bool& ends_block) const;

  // The mnemonic of the row for `raw` (after expansion of compressed forms),
  // or "illegal"; for tracing and tests.
  const char* mnemonic(uint32_t raw, unsigned len) const;

 private:
  static unsigned key(uint32_t word) { return (word & 0x7f) | (((word >> 12) & 7) << 7); }
  static unsigned ckey(uint16_t half) { return (half & 3) | (((half >> 13) & 7) << 2); }

  std::array<std::vector<const InsnSpec*>, 1024> buckets_;
  std::array<std::vector<const CompressedSpec*>, 32> cbuckets_;
};

}  // namespace vtime::riscv
