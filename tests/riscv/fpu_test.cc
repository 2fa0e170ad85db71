// Edge cases of the F/D arithmetic, worked by hand from IEEE 754-2019 and the
// RISC-V unprivileged spec (ch. 11-12): signed zeros, subnormals, infinities,
// NaN payloads and canonical NaNs, every rounding mode on halfway cases,
// overflow/underflow (tininess after rounding), and integer conversions at
// their limits. One row: operation, operands, rounding mode, result, fflags.
#include "vtime/riscv/fpu.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <span>

namespace vtime::riscv::fpu {
namespace {

enum class K : uint8_t {
  kAdd, kSub, kMul, kDiv, kSqrt, kMadd, kMsub, kNmsub, kNmadd, kMin, kMax, kEq, kLt, kLe,
  kClass, kToW, kToWu, kToL, kToLu, kFromW, kFromWu, kFromL, kFromLu,
};

struct Case {
  K kind;
  uint64_t a, b, c;
  Rm rm;
  uint64_t want;
  uint8_t flags;
};

constexpr Rm kRne = Rm::kRne, kRtz = Rm::kRtz, kRdn = Rm::kRdn, kRup = Rm::kRup, kRmm = Rm::kRmm;
constexpr uint8_t NX = flag::kNx, UF = flag::kUf, OF = flag::kOf, DZ = flag::kDz, NV = flag::kNv;

template <class B> uint64_t run(const Case& c, uint8_t& f) {
  const auto a = static_cast<B>(c.a), b = static_cast<B>(c.b), cc = static_cast<B>(c.c);
  switch (c.kind) {
    case K::kAdd: return add<B>(a, b, c.rm, f);
    case K::kSub: return sub<B>(a, b, c.rm, f);
    case K::kMul: return mul<B>(a, b, c.rm, f);
    case K::kDiv: return div<B>(a, b, c.rm, f);
    case K::kSqrt: return sqrt<B>(a, c.rm, f);
    case K::kMadd: return fma<B>(a, b, cc, false, false, c.rm, f);
    case K::kMsub: return fma<B>(a, b, cc, false, true, c.rm, f);
    case K::kNmsub: return fma<B>(a, b, cc, true, false, c.rm, f);
    case K::kNmadd: return fma<B>(a, b, cc, true, true, c.rm, f);
    case K::kMin: return min<B>(a, b, f);
    case K::kMax: return max<B>(a, b, f);
    case K::kEq: return eq<B>(a, b, f);
    case K::kLt: return lt<B>(a, b, f);
    case K::kLe: return le<B>(a, b, f);
    case K::kClass: return classify<B>(a);
    case K::kToW: return to_w<B>(a, c.rm, f);
    case K::kToWu: return to_wu<B>(a, c.rm, f);
    case K::kToL: return to_l<B>(a, c.rm, f);
    case K::kToLu: return to_lu<B>(a, c.rm, f);
    case K::kFromW: return from_w<B>(c.a, c.rm, f);
    case K::kFromWu: return from_wu<B>(c.a, c.rm, f);
    case K::kFromL: return from_l<B>(c.a, c.rm, f);
    case K::kFromLu: return from_lu<B>(c.a, c.rm, f);
  }
  return 0;
}

template <class B> void check(std::span<const Case> cases) {
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    uint8_t f = 0;
    const uint64_t got = run<B>(c, f);
    char where[96];
    std::snprintf(where, sizeof where, "row %zu: kind %d a=%#llx b=%#llx rm=%d", i, static_cast<int>(c.kind),
                  static_cast<unsigned long long>(c.a), static_cast<unsigned long long>(c.b), static_cast<int>(c.rm));
    SCOPED_TRACE(where);
    EXPECT_EQ(got, c.want) << std::hex << "got " << got << " want " << c.want;
    EXPECT_EQ(f, c.flags);
  }
}

// Singles.
constexpr uint64_t kOne = 0x3f800000, kTwo = 0x40000000, kThree = 0x40400000, kHalf = 0x3f000000;
constexpr uint64_t kNegOne = 0xbf800000, kInf = 0x7f800000, kNegInf = 0xff800000, kMax = 0x7f7fffff;
constexpr uint64_t kMinNormal = 0x00800000, kMinSub = 0x00000001, kNegZero = 0x80000000;
constexpr uint64_t kQnan = 0x7fc00000, kSnan = 0x7f800001, kPayloadNan = 0x7fc12345;
constexpr uint64_t kUlpHalf = 0x33800000;  // 2^-24: half an ulp of 1.0

const Case kSingle[] = {
    // Addition: exact, ties (1 + half ulp) in every mode, signed zeros, overflow, NaNs.
    {K::kAdd, kOne, kTwo, 0, kRne, kThree, 0},
    {K::kAdd, kOne, kUlpHalf, 0, kRne, 0x3f800000, NX},
    {K::kAdd, kOne, kUlpHalf, 0, kRmm, 0x3f800001, NX},
    {K::kAdd, kOne, kUlpHalf, 0, kRup, 0x3f800001, NX},
    {K::kAdd, kOne, kUlpHalf, 0, kRtz, 0x3f800000, NX},
    {K::kAdd, kOne, kUlpHalf, 0, kRdn, 0x3f800000, NX},
    {K::kAdd, kNegOne, 0xb3800000, 0, kRne, 0xbf800000, NX},
    {K::kAdd, kNegOne, 0xb3800000, 0, kRmm, 0xbf800001, NX},
    {K::kAdd, kNegOne, 0xb3800000, 0, kRdn, 0xbf800001, NX},
    {K::kAdd, kNegOne, 0xb3800000, 0, kRup, 0xbf800000, NX},
    {K::kAdd, 0x3f800001, kUlpHalf, 0, kRne, 0x3f800002, NX},  // tie to even goes up
    {K::kAdd, 0x3f800001, kUlpHalf, 0, kRmm, 0x3f800002, NX},
    {K::kAdd, kOne, 0x33c00000, 0, kRmm, 0x3f800001, NX},      // 0.75 ulp: not a tie
    {K::kAdd, kOne, kNegOne, 0, kRne, 0x00000000, 0},
    {K::kAdd, kOne, kNegOne, 0, kRdn, kNegZero, 0},
    {K::kAdd, kNegZero, kNegZero, 0, kRne, kNegZero, 0},
    {K::kAdd, 0, kNegZero, 0, kRne, 0, 0},
    {K::kAdd, 0, kNegZero, 0, kRdn, kNegZero, 0},
    {K::kAdd, kMax, kMax, 0, kRne, kInf, OF | NX},
    {K::kAdd, kMax, kMax, 0, kRtz, kMax, OF | NX},
    {K::kAdd, kMax, kMax, 0, kRdn, kMax, OF | NX},
    {K::kAdd, kMax, kMax, 0, kRup, kInf, OF | NX},
    {K::kAdd, kMax, kMax, 0, kRmm, kInf, OF | NX},
    {K::kAdd, kInf, kNegInf, 0, kRne, kQnan, NV},
    {K::kAdd, kInf, kOne, 0, kRne, kInf, 0},
    {K::kAdd, kPayloadNan, kOne, 0, kRne, kQnan, 0},
    {K::kAdd, kSnan, kOne, 0, kRne, kQnan, NV},
    {K::kAdd, 0xff812345, kQnan, 0, kRne, kQnan, NV},
    {K::kAdd, kMinSub, kMinSub, 0, kRne, 0x00000002, 0},  // exact subnormal: no UF
    {K::kSub, kOne, kOne, 0, kRne, 0, 0},
    {K::kSub, kOne, kOne, 0, kRdn, kNegZero, 0},
    {K::kSub, kThree, kOne, 0, kRne, kTwo, 0},
    {K::kSub, kInf, kInf, 0, kRne, kQnan, NV},
    {K::kSub, kSnan, kOne, 0, kRne, kQnan, NV},
    // Multiplication.
    {K::kMul, kTwo, kThree, 0, kRne, 0x40c00000, 0},
    {K::kMul, kMax, kTwo, 0, kRne, kInf, OF | NX},
    {K::kMul, kMax, kTwo, 0, kRtz, kMax, OF | NX},
    {K::kMul, kMax, 0xc0000000, 0, kRup, 0xff7fffff, OF | NX},
    {K::kMul, kMax, 0xc0000000, 0, kRdn, kNegInf, OF | NX},
    {K::kMul, kMinNormal, kHalf, 0, kRne, 0x00400000, 0},  // exact subnormal
    {K::kMul, kMinSub, kHalf, 0, kRne, 0, UF | NX},        // 2^-150: tie to even (0)
    {K::kMul, kMinSub, kHalf, 0, kRmm, kMinSub, UF | NX},
    {K::kMul, kMinSub, kHalf, 0, kRup, kMinSub, UF | NX},
    {K::kMul, kMinSub, kHalf, 0, kRtz, 0, UF | NX},
    {K::kMul, kMinSub, 0xbf000000, 0, kRdn, 0x80000001, UF | NX},
    // Tininess is detected after rounding: 2^-126 (1 - 2^-46) rounds to the
    // smallest normal with an unbounded exponent, so only inexact is raised.
    {K::kMul, 0x3f7ffffe, 0x00800001, 0, kRne, kMinNormal, NX},
    {K::kMul, 0x3f800003, kThree, 0, kRne, 0x40400004, NX},  // 3 + 4.5 ulp
    {K::kMul, 0x3f800003, kThree, 0, kRmm, 0x40400005, NX},
    {K::kMul, 0x3f800003, kThree, 0, kRup, 0x40400005, NX},
    {K::kMul, 0x3f800003, kThree, 0, kRtz, 0x40400004, NX},
    {K::kMul, kInf, 0, 0, kRne, kQnan, NV},
    {K::kMul, kNegZero, 0x40a00000, 0, kRne, kNegZero, 0},
    {K::kMul, kSnan, 0, 0, kRne, kQnan, NV},
    // Division.
    {K::kDiv, kOne, kThree, 0, kRne, 0x3eaaaaab, NX},
    {K::kDiv, kOne, kThree, 0, kRtz, 0x3eaaaaaa, NX},
    {K::kDiv, kOne, kThree, 0, kRdn, 0x3eaaaaaa, NX},
    {K::kDiv, kOne, kThree, 0, kRup, 0x3eaaaaab, NX},
    {K::kDiv, kOne, kThree, 0, kRmm, 0x3eaaaaab, NX},
    {K::kDiv, kOne, 0, 0, kRne, kInf, DZ},
    {K::kDiv, kNegOne, 0, 0, kRne, kNegInf, DZ},
    {K::kDiv, kOne, kNegZero, 0, kRne, kNegInf, DZ},
    {K::kDiv, 0, 0, 0, kRne, kQnan, NV},
    {K::kDiv, kInf, kInf, 0, kRne, kQnan, NV},
    {K::kDiv, kInf, 0, 0, kRne, kInf, 0},
    {K::kDiv, 0x00000005, kTwo, 0, kRne, 0x00000002, UF | NX},  // 2.5 min subnormals
    {K::kDiv, 0x00000005, kTwo, 0, kRmm, 0x00000003, UF | NX},
    {K::kDiv, 0x00000003, kTwo, 0, kRmm, 0x00000002, UF | NX},
    {K::kDiv, kQnan, 0, 0, kRne, kQnan, 0},
    // Square root.
    {K::kSqrt, 0x40800000, 0, 0, kRne, kTwo, 0},
    {K::kSqrt, kTwo, 0, 0, kRne, 0x3fb504f3, NX},
    {K::kSqrt, kTwo, 0, 0, kRtz, 0x3fb504f3, NX},
    {K::kSqrt, kTwo, 0, 0, kRup, 0x3fb504f4, NX},
    {K::kSqrt, kTwo, 0, 0, kRmm, 0x3fb504f3, NX},
    {K::kSqrt, kNegOne, 0, 0, kRne, kQnan, NV},
    {K::kSqrt, kNegZero, 0, 0, kRne, kNegZero, 0},
    {K::kSqrt, kInf, 0, 0, kRne, kInf, 0},
    {K::kSqrt, kNegInf, 0, 0, kRne, kQnan, NV},
    {K::kSqrt, kSnan, 0, 0, kRne, kQnan, NV},
    {K::kSqrt, kMinSub, 0, 0, kRne, 0x1a3504f3, NX},  // sqrt(2^-149) = 2^-74.5
    // Fused multiply-add and its negated forms.
    {K::kMadd, kTwo, kThree, kOne, kRne, 0x40e00000, 0},
    {K::kMsub, kTwo, kThree, kOne, kRne, 0x40a00000, 0},
    {K::kNmsub, kTwo, kThree, kOne, kRne, 0xc0a00000, 0},
    {K::kNmadd, kTwo, kThree, kOne, kRne, 0xc0e00000, 0},
    {K::kMadd, kInf, 0, kQnan, kRne, kQnan, NV},  // ∞ × 0 + qNaN is invalid
    {K::kMadd, 0, kNegInf, kOne, kRne, kQnan, NV},
    {K::kMadd, kOne, kOne, kQnan, kRne, kQnan, 0},
    {K::kMadd, kOne, kOne, kSnan, kRne, kQnan, NV},
    {K::kMadd, kInf, kOne, kNegInf, kRne, kQnan, NV},
    {K::kMadd, kOne, kOne, kNegOne, kRne, 0, 0},
    {K::kMadd, kOne, kOne, kNegOne, kRdn, kNegZero, 0},
    {K::kNmadd, kOne, kOne, kNegOne, kRne, 0, 0},  // -(1·1) - (-1): an exact zero sum is +0
    {K::kNmadd, kOne, kOne, kNegOne, kRdn, kNegZero, 0},
    // (1 + 2^-23)^2 - 1 = 2^-22 (1 + 2^-24): a tie only a fused operation sees.
    {K::kMadd, 0x3f800001, 0x3f800001, kNegOne, kRne, 0x34800000, NX},
    {K::kMadd, 0x3f800001, 0x3f800001, kNegOne, kRmm, 0x34800001, NX},
    {K::kMadd, 0x3f800001, 0x3f800001, kNegOne, kRup, 0x34800001, NX},
    {K::kMadd, kMax, kTwo, kNegInf, kRne, kNegInf, 0},
    {K::kMadd, kMax, kTwo, 0, kRne, kInf, OF | NX},
    // RMM non-ties and exact results that an earlier tie check got wrong (found
    // by random differential runs against QEMU 7.2).
    {K::kMul, 0x3ff40000, 0x80d360b7, 0, kRmm, 0x8149782e, NX},
    {K::kMul, 0x003fb7d7, 0x40840000, 0, kRmm, 0x01036b2b, NX},
    {K::kDiv, 0, 0x1bed0000, 0, kRmm, 0, 0},
    {K::kDiv, 0x80d3b8b7, 0x80bb463b, 0, kRmm, 0x3f90b59b, NX},
    // FMIN/FMAX: minimumNumber / maximumNumber.
    {K::kMin, kNegZero, 0, 0, kRne, kNegZero, 0},
    {K::kMin, 0, kNegZero, 0, kRne, kNegZero, 0},
    {K::kMax, kNegZero, 0, 0, kRne, 0, 0},
    {K::kMax, 0, kNegZero, 0, kRne, 0, 0},
    {K::kMin, kQnan, kOne, 0, kRne, kOne, 0},
    {K::kMin, kOne, kPayloadNan, 0, kRne, kOne, 0},
    {K::kMin, kSnan, kOne, 0, kRne, kOne, NV},
    {K::kMax, kOne, kSnan, 0, kRne, kOne, NV},
    {K::kMin, kPayloadNan, kQnan, 0, kRne, kQnan, 0},
    {K::kMax, kSnan, kSnan, 0, kRne, kQnan, NV},
    {K::kMin, kSnan, kQnan, 0, kRne, kQnan, NV},
    {K::kToW, 0x4effffff, 0, 0, kRne, 0x7fffff80, 0},
    {K::kMin, kNegInf, kOne, 0, kRne, kNegInf, 0},
    {K::kMax, kOne, kTwo, 0, kRne, kTwo, 0},
    {K::kMin, kMinSub, 0, 0, kRne, 0, 0},
    // Comparisons: FEQ quiet, FLT/FLE signaling.
    {K::kEq, kOne, kOne, 0, kRne, 1, 0},
    {K::kEq, kNegZero, 0, 0, kRne, 1, 0},
    {K::kEq, kQnan, kQnan, 0, kRne, 0, 0},
    {K::kEq, kSnan, kOne, 0, kRne, 0, NV},
    {K::kLt, kQnan, kOne, 0, kRne, 0, NV},
    {K::kLe, kOne, kQnan, 0, kRne, 0, NV},
    {K::kLt, kNegZero, 0, 0, kRne, 0, 0},
    {K::kLe, kNegZero, 0, 0, kRne, 1, 0},
    {K::kLt, kNegInf, kMinSub, 0, kRne, 1, 0},
    {K::kLe, kTwo, kOne, 0, kRne, 0, 0},
    // FCLASS: one bit per class.
    {K::kClass, kNegInf, 0, 0, kRne, 1u << 0, 0},
    {K::kClass, kNegOne, 0, 0, kRne, 1u << 1, 0},
    {K::kClass, 0x80000001, 0, 0, kRne, 1u << 2, 0},
    {K::kClass, kNegZero, 0, 0, kRne, 1u << 3, 0},
    {K::kClass, 0, 0, 0, kRne, 1u << 4, 0},
    {K::kClass, 0x007fffff, 0, 0, kRne, 1u << 5, 0},
    {K::kClass, kMinNormal, 0, 0, kRne, 1u << 6, 0},
    {K::kClass, kInf, 0, 0, kRne, 1u << 7, 0},
    {K::kClass, kSnan, 0, 0, kRne, 1u << 8, 0},
    {K::kClass, kQnan, 0, 0, kRne, 1u << 9, 0},
    {K::kClass, 0xffc00001, 0, 0, kRne, 1u << 9, 0},
    // To integers: halfway cases in each mode, limits, NaN and infinities.
    {K::kToW, 0x3fc00000, 0, 0, kRne, 2, NX},  // 1.5
    {K::kToW, 0x40200000, 0, 0, kRne, 2, NX},  // 2.5
    {K::kToW, 0x40200000, 0, 0, kRmm, 3, NX},
    {K::kToW, 0xc0200000, 0, 0, kRmm, 0xfffffffffffffffd, NX},
    {K::kToW, 0xc0200000, 0, 0, kRdn, 0xfffffffffffffffd, NX},
    {K::kToW, 0xc0200000, 0, 0, kRup, 0xfffffffffffffffe, NX},
    {K::kToW, 0xc0200000, 0, 0, kRtz, 0xfffffffffffffffe, NX},
    {K::kToW, 0xc0200000, 0, 0, kRne, 0xfffffffffffffffe, NX},
    {K::kToW, 0x4f000000, 0, 0, kRne, 0x7fffffff, NV},  // 2^31
    {K::kToW, 0xcf000000, 0, 0, kRne, 0xffffffff80000000, 0},
    {K::kToW, 0xcf000001, 0, 0, kRne, 0xffffffff80000000, NV},
    {K::kToW, kQnan, 0, 0, kRne, 0x7fffffff, NV},
    {K::kToW, 0xffc00000, 0, 0, kRne, 0x7fffffff, NV},  // negative NaN too
    {K::kToW, kNegInf, 0, 0, kRne, 0xffffffff80000000, NV},
    {K::kToW, kInf, 0, 0, kRne, 0x7fffffff, NV},
    {K::kToW, kNegZero, 0, 0, kRne, 0, 0},
    {K::kToWu, kNegOne, 0, 0, kRne, 0, NV},
    {K::kToWu, 0xbf000000, 0, 0, kRtz, 0, NX},  // -0.5 rounds to -0: in range
    {K::kToWu, 0xbf000000, 0, 0, kRdn, 0, NV},  // -0.5 rounds to -1
    {K::kToWu, 0x4f800000, 0, 0, kRne, 0xffffffffffffffff, NV},  // 2^32
    {K::kToWu, 0x4f32d05e, 0, 0, kRne, 0xffffffffb2d05e00, 0},   // 3e9, sign-extended
    {K::kToWu, kQnan, 0, 0, kRne, 0xffffffffffffffff, NV},
    {K::kToWu, kNegInf, 0, 0, kRne, 0, NV},
    {K::kToL, 0x5f000000, 0, 0, kRne, 0x7fffffffffffffff, NV},  // 2^63
    {K::kToL, 0xdf000000, 0, 0, kRne, 0x8000000000000000, 0},
    {K::kToL, kQnan, 0, 0, kRne, 0x7fffffffffffffff, NV},
    {K::kToL, kMinSub, 0, 0, kRup, 1, NX},
    {K::kToLu, 0x5f800000, 0, 0, kRne, 0xffffffffffffffff, NV},  // 2^64
    {K::kToLu, 0x5f7fffff, 0, 0, kRne, 0xffffff0000000000, 0},
    {K::kToLu, kNegOne, 0, 0, kRne, 0, NV},
    {K::kToLu, kSnan, 0, 0, kRne, 0xffffffffffffffff, NV},
    // From integers.
    {K::kFromW, 0xffffffffffffffff, 0, 0, kRne, kNegOne, 0},
    {K::kFromW, 0x000000007fffffff, 0, 0, kRne, 0x4f000000, NX},
    {K::kFromW, 0x000000007fffffff, 0, 0, kRtz, 0x4effffff, NX},
    {K::kFromW, 0x0000000001000001, 0, 0, kRne, 0x4b800000, NX},  // 2^24 + 1: tie
    {K::kFromW, 0x0000000001000001, 0, 0, kRmm, 0x4b800001, NX},
    {K::kFromW, 0x0000000001000003, 0, 0, kRne, 0x4b800002, NX},  // tie to even, up
    {K::kFromW, 0x12345678ffffffff, 0, 0, kRne, kNegOne, 0},      // only the low 32 bits
    {K::kFromW, 0x0000000080000000, 0, 0, kRne, 0xcf000000, 0},
    {K::kFromW, 0xfffffffffeffffff, 0, 0, kRdn, 0xcb800001, NX},  // -(2^24 + 1)
    {K::kFromW, 0xfffffffffeffffff, 0, 0, kRup, 0xcb800000, NX},
    {K::kFromWu, 0xffffffffffffffff, 0, 0, kRne, 0x4f800000, NX},
    {K::kFromWu, 0xffffffffffffffff, 0, 0, kRtz, 0x4f7fffff, NX},
    {K::kFromL, 0x8000000000000000, 0, 0, kRne, 0xdf000000, 0},
    {K::kFromL, 0, 0, 0, kRne, 0, 0},
    {K::kFromLu, 0xffffffffffffffff, 0, 0, kRne, 0x5f800000, NX},
    {K::kFromLu, 0xffffffffffffffff, 0, 0, kRtz, 0x5f7fffff, NX},
};

// Doubles.
constexpr uint64_t kD1 = 0x3ff0000000000000, kD2 = 0x4000000000000000, kD3 = 0x4008000000000000;
constexpr uint64_t kDMax = 0x7fefffffffffffff, kDInf = 0x7ff0000000000000, kDNan = 0x7ff8000000000000;
constexpr uint64_t kDSnan = 0x7ff0000000000001, kDNegZero = 0x8000000000000000;

const Case kDouble[] = {
    {K::kAdd, kD1, kD2, 0, kRne, kD3, 0},
    {K::kAdd, kD1, 0x3ca0000000000000, 0, kRne, kD1, NX},  // 1 + 2^-53: tie
    {K::kAdd, kD1, 0x3ca0000000000000, 0, kRmm, 0x3ff0000000000001, NX},
    {K::kAdd, kD1, 0x3ca0000000000000, 0, kRup, 0x3ff0000000000001, NX},
    {K::kAdd, kD1, 0xbff0000000000000, 0, kRdn, kDNegZero, 0},
    {K::kAdd, kDMax, kDMax, 0, kRne, kDInf, OF | NX},
    {K::kAdd, kDMax, kDMax, 0, kRtz, kDMax, OF | NX},
    {K::kAdd, 0x7ff8000000012345, kD1, 0, kRne, kDNan, 0},
    {K::kAdd, kDSnan, kD1, 0, kRne, kDNan, NV},
    {K::kAdd, kDInf, 0xfff0000000000000, 0, kRne, kDNan, NV},
    {K::kSub, kD3, kD1, 0, kRne, kD2, 0},
    {K::kMul, kD2, kD3, 0, kRne, 0x4018000000000000, 0},
    {K::kMul, 0x0000000000000001, 0x3fe0000000000000, 0, kRne, 0, UF | NX},
    {K::kMul, 0x0000000000000001, 0x3fe0000000000000, 0, kRmm, 1, UF | NX},
    {K::kMul, 0x3ff0000000000003, kD3, 0, kRne, 0x4008000000000004, NX},
    {K::kMul, 0x3ff0000000000003, kD3, 0, kRmm, 0x4008000000000005, NX},
    {K::kMul, 0x3feffffffffffffe, 0x0010000000000001, 0, kRne, 0x0010000000000000, NX},
    {K::kDiv, kD1, kD3, 0, kRne, 0x3fd5555555555555, NX},
    {K::kDiv, kD1, kD3, 0, kRup, 0x3fd5555555555556, NX},
    {K::kDiv, kD1, 0, 0, kRne, kDInf, DZ},
    {K::kDiv, 0, 0, 0, kRne, kDNan, NV},
    {K::kDiv, 0x0000000000000005, kD2, 0, kRmm, 0x0000000000000003, UF | NX},
    {K::kSqrt, kD2, 0, 0, kRne, 0x3ff6a09e667f3bcd, NX},
    {K::kSqrt, kD2, 0, 0, kRdn, 0x3ff6a09e667f3bcc, NX},
    {K::kSqrt, 0xbff0000000000000, 0, 0, kRne, kDNan, NV},
    {K::kSqrt, kDNegZero, 0, 0, kRne, kDNegZero, 0},
    {K::kMadd, kD2, kD3, kD1, kRne, 0x401c000000000000, 0},
    {K::kNmadd, kD2, kD3, kD1, kRne, 0xc01c000000000000, 0},
    {K::kMsub, kD2, kD3, kD1, kRne, 0x4014000000000000, 0},
    {K::kNmsub, kD2, kD3, kD1, kRne, 0xc014000000000000, 0},
    {K::kMadd, kDInf, 0, kDNan, kRne, kDNan, NV},
    // (1 + 2^-52)^2 - 1 = 2^-51 (1 + 2^-53): a tie, to even.
    {K::kMadd, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000, kRne, 0x3cc0000000000000, NX},
    {K::kMadd, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000, kRup, 0x3cc0000000000001, NX},
    {K::kMadd, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000, kRmm, 0x3cc0000000000001, NX},
    {K::kMadd, 0x3ff0000000000003, kD3, 0, kRmm, 0x4008000000000005, NX},  // 3 + 4.5 ulp
    {K::kMadd, 0x3ff0000000000003, kD3, 0, kRne, 0x4008000000000004, NX},
    {K::kMadd, kD1, kD1, 0x3ca0000000000000, kRmm, 0x3ff0000000000001, NX},  // 1 + 2^-53
    {K::kNmadd, kD1, kD1, 0x3ca0000000000000, kRmm, 0xbff0000000000001, NX},
    {K::kMadd, kD1, kD1, 0x3ca8000000000000, kRmm, 0x3ff0000000000001, NX},  // not a tie
    // RMM cases found by random differential runs against QEMU 7.2: exact
    // quotients, and fused ties next to and among the subnormals.
    {K::kDiv, kDNegZero, 0x001ef6dae0c7a7b3, 0, kRmm, kDNegZero, 0},
    {K::kDiv, 0, 0x18870d49f6fb7120, 0, kRmm, 0, 0},
    {K::kMadd, 0x800fffffffffffff, kD1, 0x801a108c6ed1354e, kRmm, 0x8025084637689aa7, NX},
    {K::kMadd, 0x3fe0000000000000, 0x001c7ce859d8858b, 1, kRmm, 0x000e3e742cec42c7, UF | NX},
    {K::kMin, kDNegZero, 0, 0, kRne, kDNegZero, 0},
    {K::kMax, kDNegZero, 0, 0, kRne, 0, 0},
    {K::kMin, kDNan, kD1, 0, kRne, kD1, 0},
    {K::kMax, kDSnan, kD1, 0, kRne, kD1, NV},
    {K::kMin, kDNan, kDNan, 0, kRne, kDNan, 0},
    {K::kEq, kDSnan, kD1, 0, kRne, 0, NV},
    {K::kEq, kDNan, kD1, 0, kRne, 0, 0},
    {K::kLt, kD1, kD2, 0, kRne, 1, 0},
    {K::kLe, kDNan, kD2, 0, kRne, 0, NV},
    {K::kClass, 0x000fffffffffffff, 0, 0, kRne, 1u << 5, 0},
    {K::kClass, 0xfff0000000000000, 0, 0, kRne, 1u << 0, 0},
    {K::kClass, kDSnan, 0, 0, kRne, 1u << 8, 0},
    {K::kClass, kDNan, 0, 0, kRne, 1u << 9, 0},
    {K::kToW, 0x41dfffffffe00000, 0, 0, kRne, 0x7fffffff, NV},  // 2^31 - 0.5 rounds to 2^31
    {K::kToW, 0x41dfffffffe00000, 0, 0, kRtz, 0x7fffffff, NX},
    {K::kToW, 0xc1e0000000100000, 0, 0, kRtz, 0xffffffff80000000, NX},  // -2^31 - 0.5
    {K::kToW, 0xc1e0000000100000, 0, 0, kRne, 0xffffffff80000000, NX},
    {K::kToW, 0xc1e0000000100000, 0, 0, kRmm, 0xffffffff80000000, NV},
    {K::kToWu, 0x41efffffffe00000, 0, 0, kRne, 0xffffffffffffffff, 0},  // 2^32 - 1
    {K::kToL, 0x43e0000000000000, 0, 0, kRne, 0x7fffffffffffffff, NV},
    {K::kToL, 0xc3e0000000000000, 0, 0, kRne, 0x8000000000000000, 0},
    {K::kToLu, 0x43efffffffffffff, 0, 0, kRne, 0xfffffffffffff800, 0},
    {K::kToLu, 0x43f0000000000000, 0, 0, kRne, 0xffffffffffffffff, NV},
    {K::kToLu, 0x3fe0000000000000, 0, 0, kRmm, 1, NX},
    {K::kToLu, 0x3fe0000000000000, 0, 0, kRne, 0, NX},
    {K::kFromW, 0x80000000, 0, 0, kRne, 0xc1e0000000000000, 0},
    {K::kFromWu, 0xffffffff, 0, 0, kRne, 0x41efffffffe00000, 0},
    {K::kFromL, 0x7fffffffffffffff, 0, 0, kRne, 0x43e0000000000000, NX},
    {K::kFromL, 0x7fffffffffffffff, 0, 0, kRtz, 0x43dfffffffffffff, NX},
    {K::kFromL, 0xffffffffffffffff, 0, 0, kRne, 0xbff0000000000000, 0},
    {K::kFromLu, 0x8000000000000401, 0, 0, kRne, 0x43e0000000000001, NX},
    {K::kFromLu, 0x8000000000000400, 0, 0, kRne, 0x43e0000000000000, NX},  // tie to even
    {K::kFromLu, 0x8000000000000400, 0, 0, kRmm, 0x43e0000000000001, NX},
    {K::kFromLu, 0x8000000000000c00, 0, 0, kRne, 0x43e0000000000002, NX},  // tie, odd: up
};

TEST(Fpu, SingleEdgeCasesMatchTheSpec) { check<uint32_t>(kSingle); }
TEST(Fpu, DoubleEdgeCasesMatchTheSpec) { check<uint64_t>(kDouble); }

TEST(Fpu, NanBoxingAcceptsOnlyAllOnesUpperHalf) {
  EXPECT_EQ(unbox(0xffffffff3f800000), 0x3f800000u);
  EXPECT_EQ(unbox(0x000000003f800000), kCanonicalNan32);
  EXPECT_EQ(unbox(0xfffffffe3f800000), kCanonicalNan32);
  EXPECT_EQ(box(0x3f800000), 0xffffffff3f800000u);
}

TEST(Fpu, DoubleToSingleRoundsAndSingleToDoubleIsExact) {
  struct Row {
    uint64_t d;
    Rm rm;
    uint32_t want;
    uint8_t flags;
  };
  const Row rows[] = {
      {kD1, kRne, 0x3f800000, 0},
      {0x3ff0000010000000, kRne, 0x3f800000, NX},  // 1 + 2^-24: tie
      {0x3ff0000010000000, kRmm, 0x3f800001, NX},
      {0x3ff0000010000000, kRup, 0x3f800001, NX},
      {0x3ff0000030000000, kRne, 0x3f800002, NX},  // 1 + 3·2^-24: tie, up to even
      {kDMax, kRne, 0x7f800000, OF | NX},
      {kDMax, kRtz, 0x7f7fffff, OF | NX},
      {0x3590000000000000, kRne, 0, UF | NX},  // 2^-166
      {0x3590000000000000, kRup, 1, UF | NX},
      {0x36a0000000000000, kRne, 1, 0},        // 2^-149 exactly
      {kDSnan, kRne, 0x7fc00000, NV},
      // 2^-126 (1 - 2^-25): rounds to the smallest normal with an unbounded exponent
      // (not tiny after rounding: NX only); truncated it is tiny and inexact.
      {0x380ffffff0000000, kRne, 0x00800000, NX},
      {0x380ffffff0000000, kRtz, 0x007fffff, UF | NX},
      {0xfff8000000012345, kRne, 0x7fc00000, 0},
      {kDNegZero, kRne, 0x80000000, 0},
  };
  for (const Row& r : rows) {
    uint8_t f = 0;
    EXPECT_EQ(double_to_single(r.d, r.rm, f), r.want) << std::hex << r.d;
    EXPECT_EQ(f, r.flags) << std::hex << r.d;
  }
  uint8_t f = 0;
  EXPECT_EQ(single_to_double(0x3f800000, f), kD1);
  EXPECT_EQ(single_to_double(0x00000001, f), 0x36a0000000000000u);
  EXPECT_EQ(single_to_double(0x80000000, f), kDNegZero);
  EXPECT_EQ(f, 0);
  EXPECT_EQ(single_to_double(0x7fc12345, f), kDNan);
  EXPECT_EQ(f, 0);
  EXPECT_EQ(single_to_double(0x7f800001, f), kDNan);
  EXPECT_EQ(f, NV);
}

TEST(Fpu, LeavesTheHostInRoundToNearest) {
  uint8_t f = 0;
  (void)add<uint32_t>(kOne, kUlpHalf, kRup, f);
  (void)to_w<uint64_t>(kD1, kRdn, f);
  volatile double half_up = 2.5, half_down = -2.5;  // volatile: rounded at run time
  EXPECT_EQ(std::nearbyint(half_up), 2.0);
  EXPECT_EQ(std::nearbyint(half_down), -2.0);
}

}  // namespace
}  // namespace vtime::riscv::fpu
