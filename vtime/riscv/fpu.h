// IEEE 754 arithmetic for the F and D extensions (unprivileged spec ch. 11-12),
// as pure functions on bit patterns: a value is a uint32_t (binary32) or a
// uint64_t (binary64), the rounding mode is explicit and exception flags
// accumulate into `flags` (fflags bit layout). Results follow RISC-V, not the
// host: every NaN result is the canonical NaN, FMIN/FMAX follow IEEE 754-2019
// minimumNumber/maximumNumber, conversions to integers saturate and raise NV.
// The basic operations, square root and FMA run on the host FPU with the
// rounding mode set and the flags read back (MXCSR on x86-64, <cfenv>
// elsewhere; fpu.cc is compiled with -frounding-math); round to nearest, ties
// to max magnitude, which hosts lack, corrects nearest-even ties in software.
#pragma once

#include <cstdint>

namespace vtime::riscv::fpu {

// The rm field / frm values (spec table 11.1); 5 and 6 are reserved, 7 in an
// instruction means "use frm".
enum class Rm : uint8_t { kRne = 0, kRtz = 1, kRdn = 2, kRup = 3, kRmm = 4 };
inline constexpr unsigned kRmDynamic = 7;
inline constexpr bool valid_rm(unsigned rm) { return rm <= 4; }

// fflags bits.
namespace flag {
inline constexpr uint8_t kNx = 1;   // inexact
inline constexpr uint8_t kUf = 2;   // underflow
inline constexpr uint8_t kOf = 4;   // overflow
inline constexpr uint8_t kDz = 8;   // divide by zero
inline constexpr uint8_t kNv = 16;  // invalid operation
inline constexpr uint8_t kAll = 31;
}  // namespace flag

inline constexpr uint32_t kCanonicalNan32 = 0x7fc00000;
inline constexpr uint64_t kCanonicalNan64 = 0x7ff8000000000000;

// NaN boxing (spec §12.2): a single in a 64-bit register has all upper bits
// set; anything else reads as the canonical NaN.
inline constexpr uint64_t box(uint32_t v) { return 0xffffffff00000000 | v; }
inline constexpr uint32_t unbox(uint64_t v) {
  return (v >> 32) == 0xffffffff ? static_cast<uint32_t>(v) : kCanonicalNan32;
}

// Every function is defined for Bits = uint32_t (single) and uint64_t (double).
template <class Bits> Bits add(Bits a, Bits b, Rm rm, uint8_t& flags);
template <class Bits> Bits sub(Bits a, Bits b, Rm rm, uint8_t& flags);
template <class Bits> Bits mul(Bits a, Bits b, Rm rm, uint8_t& flags);
template <class Bits> Bits div(Bits a, Bits b, Rm rm, uint8_t& flags);
template <class Bits> Bits sqrt(Bits a, Rm rm, uint8_t& flags);
// a * b + c rounded once; the negations are exact (FMSUB: c negated, FNMSUB:
// product negated, FNMADD: both).
template <class Bits> Bits fma(Bits a, Bits b, Bits c, bool neg_product, bool neg_addend, Rm rm,
                               uint8_t& flags);
template <class Bits> Bits min(Bits a, Bits b, uint8_t& flags);
template <class Bits> Bits max(Bits a, Bits b, uint8_t& flags);
// FEQ is quiet (NV only for signaling NaNs); FLT and FLE signal on any NaN.
template <class Bits> bool eq(Bits a, Bits b, uint8_t& flags);
template <class Bits> bool lt(Bits a, Bits b, uint8_t& flags);
template <class Bits> bool le(Bits a, Bits b, uint8_t& flags);
// FCLASS: one bit of 0..9 (spec table 11.5).
template <class Bits> uint64_t classify(Bits a);

// To integers: FCVT.W/WU (results sign-extended from 32 bits, as RV64 writes
// them) and FCVT.L/LU. Out of range or NaN: NV and the saturated value.
template <class Bits> uint64_t to_w(Bits a, Rm rm, uint8_t& flags);
template <class Bits> uint64_t to_wu(Bits a, Rm rm, uint8_t& flags);
template <class Bits> uint64_t to_l(Bits a, Rm rm, uint8_t& flags);
template <class Bits> uint64_t to_lu(Bits a, Rm rm, uint8_t& flags);
// From integers: the low 32 bits (w, wu) or all 64 (l, lu) of the register.
template <class Bits> Bits from_w(uint64_t x, Rm rm, uint8_t& flags);
template <class Bits> Bits from_wu(uint64_t x, Rm rm, uint8_t& flags);
template <class Bits> Bits from_l(uint64_t x, Rm rm, uint8_t& flags);
template <class Bits> Bits from_lu(uint64_t x, Rm rm, uint8_t& flags);

uint32_t double_to_single(uint64_t a, Rm rm, uint8_t& flags);  // FCVT.S.D
uint64_t single_to_double(uint32_t a, uint8_t& flags);         // FCVT.D.S (exact)

}  // namespace vtime::riscv::fpu
