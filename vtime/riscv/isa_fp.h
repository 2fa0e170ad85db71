// Handlers shared by the F and D tables (isa_rv64f.cc, isa_rv64d.cc), as
// templates over the value's bit type: uint32_t for single, uint64_t for
// double. Internal to those two files.
//
// Operand conventions: the decoder remaps rd = 0 to the integer discard slot,
// so an f register destination is `op->rd & 31` (the slot, 32, maps back to
// f0). Rows that carry a rounding mode or rs3 use Format::kU, whose immediate
// keeps instruction bits 31:12 verbatim: rm is bits 14:12, rs3 bits 31:27.
// Every handler first checks mstatus.FS: with FS = Off, FP instructions are
// illegal (privileged spec §3.1.6.6).
#pragma once

#include "vtime/riscv/fpu.h"
#include "vtime/riscv/hart.h"
#include "vtime/riscv/isa.h"

namespace vtime::riscv::fp {

inline unsigned frd(const Op* op) { return op->rd & 31u; }
inline unsigned rm_field(const Op* op) { return static_cast<unsigned>(op->imm >> 12) & 7u; }
inline unsigned rs3(const Op* op) { return static_cast<unsigned>(op->imm >> 27) & 31u; }

// A single reads through NaN boxing; a double is the whole register.
template <class Bits> Bits get(const Hart& h, unsigned r) {
  if constexpr (sizeof(Bits) == 4) {
    return fpu::unbox(h.f(r));
  } else {
    return h.f(r);
  }
}
template <class Bits> void put(Hart& h, unsigned r, Bits v) {
  if constexpr (sizeof(Bits) == 4) {
    h.set_f(r, fpu::box(v));
  } else {
    h.set_f(r, v);
  }
}

// The instruction's rounding mode (7: frm); false if it is reserved, which
// makes the instruction illegal.
inline bool rounding(const Hart& h, const Op* op, fpu::Rm& rm) {
  unsigned r = rm_field(op);
  if (r == fpu::kRmDynamic) r = h.frm();
  if (!fpu::valid_rm(r)) return false;
  rm = static_cast<fpu::Rm>(r);
  return true;
}

template <class Bits> const Op* exec_load(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  return h.load_fp(op, h.x(op->rs1) + static_cast<uint64_t>(op->imm), sizeof(Bits));
}
template <class Bits> const Op* exec_store(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  // FSW stores the low 32 bits as they are, boxed or not (spec §12.2).
  return h.store<Bits>(op, h.x(op->rs1) + static_cast<uint64_t>(op->imm), static_cast<Bits>(h.f(op->rs2)));
}

template <class Bits, Bits (*F)(Bits, Bits, fpu::Rm, uint8_t&)>
const Op* exec_arith(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  put<Bits>(h, frd(op), F(get<Bits>(h, op->rs1), get<Bits>(h, op->rs2), rm, flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

template <class Bits> const Op* exec_sqrt(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  put<Bits>(h, frd(op), fpu::sqrt<Bits>(get<Bits>(h, op->rs1), rm, flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

template <class Bits, bool NegProduct, bool NegAddend>
const Op* exec_fma(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  put<Bits>(h, frd(op), fpu::fma<Bits>(get<Bits>(h, op->rs1), get<Bits>(h, op->rs2), get<Bits>(h, rs3(op)),
                                       NegProduct, NegAddend, rm, flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

// Sign injection: rs1's magnitude with a sign from rs2 (J), its inverse (JN) or
// the xor of both (JX). Bit operations: no flags, NaNs pass through.
enum class Sgnj : uint8_t { kJ, kJn, kJx };
template <class Bits, Sgnj K> const Op* exec_sgnj(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  constexpr Bits kSign = Bits{1} << (sizeof(Bits) * 8 - 1);
  const Bits a = get<Bits>(h, op->rs1);
  const Bits b = get<Bits>(h, op->rs2);
  Bits sign = b & kSign;
  if (K == Sgnj::kJn) sign ^= kSign;
  if (K == Sgnj::kJx) sign ^= a & kSign;
  put<Bits>(h, frd(op), static_cast<Bits>((a & ~kSign) | sign));
  return next_op(h, op);
}

template <class Bits, Bits (*F)(Bits, Bits, uint8_t&)>
const Op* exec_minmax(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  uint8_t flags = 0;
  put<Bits>(h, frd(op), F(get<Bits>(h, op->rs1), get<Bits>(h, op->rs2), flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

template <class Bits, bool (*F)(Bits, Bits, uint8_t&)>
const Op* exec_compare(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  uint8_t flags = 0;
  h.set_x(op->rd, F(get<Bits>(h, op->rs1), get<Bits>(h, op->rs2), flags) ? 1 : 0);
  h.raise_fflags(flags);
  return next_op(h, op);
}

template <class Bits> const Op* exec_class(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  h.set_x(op->rd, fpu::classify<Bits>(get<Bits>(h, op->rs1)));
  return next_op(h, op);
}

template <class Bits, uint64_t (*F)(Bits, fpu::Rm, uint8_t&)>
const Op* exec_to_int(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  h.set_x(op->rd, F(get<Bits>(h, op->rs1), rm, flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

template <class Bits, Bits (*F)(uint64_t, fpu::Rm, uint8_t&)>
const Op* exec_from_int(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  put<Bits>(h, frd(op), F(h.x(op->rs1), rm, flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

// FMV.X.W / FMV.X.D: the register's low bits, unchanged (no unboxing), the
// single sign-extended. FMV.W.X / FMV.D.X: the integer bits, the single boxed.
template <class Bits> const Op* exec_mv_to_x(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  const uint64_t v = h.f(op->rs1);
  h.set_x(op->rd, sizeof(Bits) == 4 ? static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))) : v);
  return next_op(h, op);
}
template <class Bits> const Op* exec_mv_from_x(Hart& h, const Op* op) {
  if (!h.fp_enabled()) return h.illegal(op);
  put<Bits>(h, frd(op), static_cast<Bits>(h.x(op->rs1)));
  return next_op(h, op);
}

// Masks: opcode + funct7 (+ funct3, + rs2) of OP-FP rows; fmt is part of funct7.
inline constexpr uint32_t kMaskF7 = 0xfe00007f;
inline constexpr uint32_t kMaskF7F3 = 0xfe00707f;
inline constexpr uint32_t kMaskF7Rs2 = 0xfff0007f;
inline constexpr uint32_t kMaskF7Rs2F3 = 0xfff0707f;
inline constexpr uint32_t kMaskR4 = 0x0600007f;  // opcode + fmt
inline constexpr uint32_t kMaskF3 = 0x0000707f;  // loads and stores

}  // namespace vtime::riscv::fp
