// Insn: field accessors for one 32-bit RISC-V instruction word (the unprivileged
// spec's base formats R/I/S/B/U/J), used by the decoder to unpack operands once
// per block build. Immediates are returned sign-extended to 64 bits.
#pragma once

#include <cstdint>

namespace vtime::riscv {

class Insn {
 public:
  constexpr explicit Insn(uint32_t bits) : bits_(bits) {}
  constexpr uint32_t bits() const { return bits_; }

  constexpr unsigned opcode() const { return bits_ & 0x7f; }
  constexpr unsigned rd() const { return (bits_ >> 7) & 0x1f; }
  constexpr unsigned funct3() const { return (bits_ >> 12) & 0x7; }
  constexpr unsigned rs1() const { return (bits_ >> 15) & 0x1f; }
  constexpr unsigned rs2() const { return (bits_ >> 20) & 0x1f; }
  constexpr unsigned csr() const { return bits_ >> 20; }

  constexpr int64_t imm_i() const { return sext(bits_ >> 20, 12); }
  constexpr int64_t imm_s() const { return sext(((bits_ >> 25) << 5) | ((bits_ >> 7) & 0x1f), 12); }
  constexpr int64_t imm_b() const {
    const uint32_t v = ((bits_ >> 31) << 12) | (((bits_ >> 7) & 1) << 11) |
                       (((bits_ >> 25) & 0x3f) << 5) | (((bits_ >> 8) & 0xf) << 1);
    return sext(v, 13);
  }
  constexpr int64_t imm_u() const { return sext(bits_ & 0xfffff000u, 32); }
  constexpr int64_t imm_j() const {
    const uint32_t v = ((bits_ >> 31) << 20) | (((bits_ >> 12) & 0xff) << 12) |
                       (((bits_ >> 20) & 1) << 11) | (((bits_ >> 21) & 0x3ff) << 1);
    return sext(v, 21);
  }

  // Sign-extends the low `width` bits of `v`.
  static constexpr int64_t sext(uint64_t v, unsigned width) {
    const unsigned shift = 64 - width;
    return static_cast<int64_t>(v << shift) >> shift;
  }

 private:
  uint32_t bits_;
};

}  // namespace vtime::riscv
