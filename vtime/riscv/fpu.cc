// See fpu.h. Host operations are bracketed by HostEnv (rounding mode set, flags
// cleared, then read back); operands and results pass through volatile objects
// so that the compiler cannot move the arithmetic across the mode changes, and
// this file is compiled with -frounding-math (CMakeLists.txt) so nothing is
// constant-folded in the default mode. Everything RISC-V defines differently
// from a host - NaN results, FMIN/FMAX, integer conversions, FCLASS, RMM - is
// done here in software.
#include "vtime/riscv/fpu.h"

#include <bit>
#include <cassert>
#include <cfenv>
#if defined(__x86_64__) && defined(__SSE2__)
#include <xmmintrin.h>
#endif
#include <cmath>
#include <initializer_list>
#include <limits>

namespace vtime::riscv::fpu {
namespace {

template <class Bits> struct Fmt;
template <> struct Fmt<uint32_t> {
  using Host = float;
  static constexpr uint32_t kNan = kCanonicalNan32;
  static constexpr uint32_t kSign = 0x80000000;
  static constexpr uint32_t kExp = 0x7f800000;
  static constexpr uint32_t kFrac = 0x007fffff;
  static constexpr uint32_t kQuiet = 0x00400000;
  static constexpr int kPrecision = 24;
};
template <> struct Fmt<uint64_t> {
  using Host = double;
  static constexpr uint64_t kNan = kCanonicalNan64;
  static constexpr uint64_t kSign = 0x8000000000000000;
  static constexpr uint64_t kExp = 0x7ff0000000000000;
  static constexpr uint64_t kFrac = 0x000fffffffffffff;
  static constexpr uint64_t kQuiet = 0x0008000000000000;
  static constexpr int kPrecision = 53;
};

template <class Bits> using HostOf = typename Fmt<Bits>::Host;
template <class Bits> HostOf<Bits> host(Bits b) { return std::bit_cast<HostOf<Bits>>(b); }
template <class Bits> Bits bits_of(HostOf<Bits> h) { return std::bit_cast<Bits>(h); }

template <class Bits> bool is_nan(Bits b) {
  return (b & Fmt<Bits>::kExp) == Fmt<Bits>::kExp && (b & Fmt<Bits>::kFrac) != 0;
}
template <class Bits> bool is_snan(Bits b) { return is_nan(b) && (b & Fmt<Bits>::kQuiet) == 0; }
template <class Bits> bool is_inf(Bits b) { return (b & ~Fmt<Bits>::kSign) == Fmt<Bits>::kExp; }
template <class Bits> bool is_zero(Bits b) { return (b & ~Fmt<Bits>::kSign) == 0; }
template <class Bits> bool is_neg(Bits b) { return (b & Fmt<Bits>::kSign) != 0; }
template <class Bits> Bits canonical(Bits b) { return is_nan(b) ? Fmt<Bits>::kNan : b; }

#if defined(__x86_64__) && defined(__SSE2__)
// The host rounding mode and exception flags for the lifetime of one operation,
// straight in MXCSR: every operation here (float/double arithmetic, sqrt, fma,
// conversions, roundsd) is SSE, never x87, and glibc's feclearexcept /
// fetestexcept also reload the x87 environment, which costs far more than the
// operation. Writing MXCSR is the expensive part, so it is written only when
// something changes: the caller's rounding mode comes back afterwards with the
// sticky flags clear (the host has no use for them), so a nearest-even
// operation that raises nothing writes MXCSR not at all and others once.
class HostEnv {
 public:
  explicit HostEnv(Rm rm) : saved_(_mm_getcsr()) {
    const unsigned want = (saved_ & ~(kRoundingBits | kFlagBits)) | rounding_bits(rm);
    if (want != saved_) _mm_setcsr(want);
  }
  ~HostEnv() {
    const unsigned back = saved_ & ~kFlagBits;
    if (_mm_getcsr() != back) _mm_setcsr(back);
  }
  HostEnv(const HostEnv&) = delete;
  HostEnv& operator=(const HostEnv&) = delete;

  uint8_t flags() const {
    const unsigned e = _mm_getcsr();
    uint8_t f = 0;
    if (e & 0x20) f |= flag::kNx;  // PE
    if (e & 0x10) f |= flag::kUf;  // UE
    if (e & 0x08) f |= flag::kOf;  // OE
    if (e & 0x04) f |= flag::kDz;  // ZE
    if (e & 0x01) f |= flag::kNv;  // IE (bit 1, DE, has no RISC-V counterpart)
    return f;
  }

 private:
  static constexpr unsigned kRoundingBits = 0x6000;  // RC, bits 14:13
  static constexpr unsigned kFlagBits = 0x3f;
  static unsigned rounding_bits(Rm rm) {
    switch (rm) {
      case Rm::kRdn: return 0x2000;
      case Rm::kRup: return 0x4000;
      case Rm::kRtz: return 0x6000;
      case Rm::kRne:
      case Rm::kRmm: break;  // RMM: nearest-even, then ties corrected (see rmm_tie)
    }
    return 0;
  }
  unsigned saved_;
};
#else
int host_mode(Rm rm) {
  switch (rm) {
    case Rm::kRtz: return FE_TOWARDZERO;
    case Rm::kRdn: return FE_DOWNWARD;
    case Rm::kRup: return FE_UPWARD;
    case Rm::kRne:
    case Rm::kRmm: break;  // RMM: nearest-even, then ties corrected (see rmm_tie)
  }
  return FE_TONEAREST;
}

// The host rounding mode and exception flags for the lifetime of one operation,
// through <cfenv>; the default mode is restored afterwards (the host's own code
// expects it, and this relies on it: nearest-even changes no mode at all).
class HostEnv {
 public:
  explicit HostEnv(Rm rm) : mode_(host_mode(rm)) {
    assert(std::fegetround() == FE_TONEAREST);
    if (mode_ != FE_TONEAREST) std::fesetround(mode_);
    std::feclearexcept(FE_ALL_EXCEPT);
  }
  ~HostEnv() {
    if (mode_ != FE_TONEAREST) std::fesetround(FE_TONEAREST);
  }
  HostEnv(const HostEnv&) = delete;
  HostEnv& operator=(const HostEnv&) = delete;

  uint8_t flags() const {
    const int e = std::fetestexcept(FE_ALL_EXCEPT);
    uint8_t f = 0;
    if (e & FE_INEXACT) f |= flag::kNx;
    if (e & FE_UNDERFLOW) f |= flag::kUf;
    if (e & FE_OVERFLOW) f |= flag::kOf;
    if (e & FE_DIVBYZERO) f |= flag::kDz;
    if (e & FE_INVALID) f |= flag::kNv;
    return f;
  }

 private:
  int mode_;
};
#endif

// Round-to-nearest, ties to max magnitude differs from ties to even only on an
// exact tie. `r` is the nearest-even result and `err` the exact difference
// (true value - r) when it is representable; on a tie err is half the gap to the
// neighbour in its direction, and the result must be whichever of the two is
// larger in magnitude.
template <class H> H rmm_tie(H r, H err) {
  if (err == 0 || !std::isfinite(r)) return r;
  const H n = std::nextafter(r, err > 0 ? std::numeric_limits<H>::infinity()
                                        : -std::numeric_limits<H>::infinity());
  if (err != (n - r) / 2) return r;
  return std::fabs(n) > std::fabs(r) ? n : r;
}

// Below about 2^-969 a double's product error or division remainder may not
// be representable, so the double RMM tie checks below scale into range
// first; single-precision checks run in double, where nothing they compute
// can underflow or round.
constexpr int kTieScale = 128;
inline double tie_floor() { return std::ldexp(1.0, -969); }

// r's neighbour away from zero on the side `dir` points to, if the exact
// value `err` (scaled by 2^k, like r_scaled) past r is exactly half the gap.
template <class H> H away_on_tie(H r, double r_scaled, int k, double err) {
  const H n = std::nextafter(r, err > 0 ? std::numeric_limits<H>::infinity()
                                        : -std::numeric_limits<H>::infinity());
  if (!std::isfinite(n) || std::fabs(n) < std::fabs(r)) return r;
  return err == (std::ldexp(double{n}, k) - r_scaled) / 2 ? n : r;
}

// RMM for a product a*b whose nearest-even rounding r was inexact.
template <class H> H rmm_product(H a, H b, H r) {
  if (!std::isfinite(r)) return r;
  double x = a, y = b, rs = r;
  int k = 0;
  if (sizeof(H) == 8 && std::fabs(rs) < tie_floor()) {
    // Scale the smaller operand up: the product and its error become normal.
    (std::fabs(x) < std::fabs(y) ? x : y) *= std::ldexp(1.0, kTieScale);
    k = kTieScale;
    rs = std::ldexp(rs, k);
  }
  // Singles: the 48-bit product is exact in double. Doubles: the fma residue.
  const double err = sizeof(H) == 4 ? x * y - rs : std::fma(x, y, -rs);
  return err == 0 ? r : away_on_tie<H>(r, rs, k, err);
}

// RMM for a quotient a/b whose nearest-even rounding r was inexact: a tie is
// a == (r + half gap) * b, seen as the remainder a - r*b (exact) minus half
// the gap times b being exactly zero.
template <class H> H rmm_quotient(H a, H b, H r) {
  if (!std::isfinite(r)) return r;
  double x = a, y = b, rs = r;
  int k = 0;
  if (sizeof(H) == 8 && (std::fabs(rs) < tie_floor() || std::fabs(x) < tie_floor())) {
    if (std::fabs(x) < 1) {
      x = std::ldexp(x, kTieScale);
    } else {
      y = std::ldexp(y, -kTieScale);
    }
    k = kTieScale;
    rs = std::ldexp(rs, k);
  }
  const double rem = std::fma(-rs, y, x);
  if (rem == 0) return r;
  const bool up = (rem > 0) == (y > 0);
  const H n = std::nextafter(r, up ? std::numeric_limits<H>::infinity()
                                   : -std::numeric_limits<H>::infinity());
  if (!std::isfinite(n) || std::fabs(n) < std::fabs(r)) return r;
  const double half = (std::ldexp(double{n}, k) - rs) / 2;
  volatile double left = std::fma(-half, y, rem);
  return left == 0 ? n : r;
}

// An exact sum of doubles as a nonoverlapping expansion (Shewchuk's
// Grow-Expansion with zero elimination, TwoSum in round-to-nearest): exact as
// long as nothing overflows. Holds a handful of terms.
class Expansion {
 public:
  void add(double x) {
    double q = x;
    size_t k = 0;
    for (size_t i = 0; i < n_; ++i) {
      const double s = q + e_[i];
      const double bv = s - q;
      const double err = (q - (s - bv)) + (e_[i] - bv);
      q = s;
      if (err != 0) e_[k++] = err;
    }
    e_[k++] = q;
    n_ = k;
  }
  // The sign of the exact sum: that of its largest (last nonzero) component.
  int sign() const {
    for (size_t i = n_; i-- > 0;) {
      if (e_[i] != 0) return e_[i] > 0 ? 1 : -1;
    }
    return 0;
  }

 private:
  double e_[8] = {};
  size_t n_ = 0;
};

// RMM for a double fused multiply-add whose nearest-even result r was inexact:
// a*b + c - r as an exact expansion (TwoProd: product plus its fma residue);
// its sign says which neighbour the true value lies towards, and on a tie
// exactly half the gap to it is left. Near the subnormals the smaller factor,
// c and r are scaled up by 2^128 first so that the residue is exact (a product
// too small even then cannot make a tie); with c or r huge a tiny product
// cannot either, and nothing is scaled.
double rmm_fma(double a, double b, double c, double r) {
  double x = a, y = b, z = c, rs = r;
  int k = 0;
  if (std::fabs(x * y) < tie_floor() || std::fabs(rs) < tie_floor()) {
    if (std::fmax(std::fabs(z), std::fabs(rs)) < std::ldexp(1.0, 800)) {
      (std::fabs(x) < std::fabs(y) ? x : y) *= std::ldexp(1.0, kTieScale);
      z = std::ldexp(z, kTieScale);
      rs = std::ldexp(rs, kTieScale);
      k = kTieScale;
    }
  }
  const double p = x * y;
  if (!std::isfinite(p)) return r;
  Expansion e;
  e.add(p);
  e.add(std::fma(x, y, -p));
  e.add(z);
  e.add(-rs);
  const int dir = e.sign();
  if (dir == 0) return r;
  const double n = std::nextafter(r, dir > 0 ? HUGE_VAL : -HUGE_VAL);
  if (!std::isfinite(n) || std::fabs(n) < std::fabs(r)) return r;
  e.add(-(std::ldexp(n, k) - rs) / 2);
  return e.sign() == 0 ? n : r;
}

// rmm_tie for a single-precision result whose exact error `diff` is a double.
float rmm_tie_single(float r, double diff) {
  if (diff == 0 || !std::isfinite(r)) return r;
  const float n = std::nextafter(r, diff > 0 ? HUGE_VALF : -HUGE_VALF);
  if (diff != (double{n} - double{r}) / 2) return r;
  return std::fabs(n) > std::fabs(r) ? n : r;
}

template <class Bits> Bits add_impl(Bits a, Bits b, Rm rm, uint8_t& flags) {
  using H = HostOf<Bits>;
  HostEnv env(rm);
  volatile H va = host(a), vb = host(b);
  volatile H vr = va + vb;
  const uint8_t raised = env.flags();
  flags |= raised;
  H r = vr;
  if (rm == Rm::kRmm && (raised & flag::kNx)) {
    // TwoSum (Knuth): the exact error of a nearest-rounded sum.
    volatile H x = va, y = vb;
    const H bb = r - x;
    const H aa = r - bb;
    volatile H err = (x - aa) + (y - bb);
    r = rmm_tie<H>(r, err);
  }
  return canonical(bits_of<Bits>(r));
}

}  // namespace

template <class Bits> Bits add(Bits a, Bits b, Rm rm, uint8_t& flags) { return add_impl(a, b, rm, flags); }

template <class Bits> Bits sub(Bits a, Bits b, Rm rm, uint8_t& flags) {
  // a - b == a + (-b) exactly, including the sign of an exact zero and NV for
  // a signaling NaN (flipping the sign of a NaN keeps it a NaN of the same kind).
  return add_impl<Bits>(a, b ^ Fmt<Bits>::kSign, rm, flags);
}

template <class Bits> Bits mul(Bits a, Bits b, Rm rm, uint8_t& flags) {
  using H = HostOf<Bits>;
  HostEnv env(rm);
  volatile H va = host(a), vb = host(b);
  volatile H vr = va * vb;
  const uint8_t raised = env.flags();
  flags |= raised;
  H r = vr;
  if (rm == Rm::kRmm && (raised & flag::kNx)) r = rmm_product<H>(va, vb, r);
  return canonical(bits_of<Bits>(r));
}

template <class Bits> Bits div(Bits a, Bits b, Rm rm, uint8_t& flags) {
  using H = HostOf<Bits>;
  HostEnv env(rm);
  volatile H va = host(a), vb = host(b);
  volatile H vr = va / vb;
  const uint8_t raised = env.flags();
  flags |= raised;
  H r = vr;
  if (rm == Rm::kRmm && (raised & flag::kNx)) r = rmm_quotient<H>(va, vb, r);
  return canonical(bits_of<Bits>(r));
}

template <class Bits> Bits sqrt(Bits a, Rm rm, uint8_t& flags) {
  // A square root is never exactly halfway between two neighbours (the
  // midpoint's square needs more bits than the operand has), so RMM = RNE.
  using H = HostOf<Bits>;
  HostEnv env(rm);
  volatile H va = host(a);
  volatile H vr = std::sqrt(H{va});
  flags |= env.flags();
  return canonical(bits_of<Bits>(H{vr}));
}

template <class Bits>
Bits fma(Bits a, Bits b, Bits c, bool neg_product, bool neg_addend, Rm rm, uint8_t& flags) {
  using H = HostOf<Bits>;
  // ∞ × 0 is invalid even when the addend is a quiet NaN (spec §11.6), which
  // IEEE leaves to the implementation.
  if ((is_inf(a) && is_zero(b)) || (is_zero(a) && is_inf(b))) {
    flags |= flag::kNv;
    return Fmt<Bits>::kNan;
  }
  if (neg_product) a ^= Fmt<Bits>::kSign;
  if (neg_addend) c ^= Fmt<Bits>::kSign;
  HostEnv env(rm);
  volatile H va = host(a), vb = host(b), vc = host(c);
  volatile H vr = std::fma(H{va}, H{vb}, H{vc});
  const uint8_t raised = env.flags();
  flags |= raised;
  H r = vr;
  if constexpr (sizeof(Bits) == 4) {
    if (rm == Rm::kRmm && (raised & flag::kNx)) {
      // In double the product is exact and TwoSum gives the sum's exact error;
      // a single-precision midpoint fits in a double, so a tie has err == 0.
      const double p = double{H{va}} * double{H{vb}};
      const double cc = H{vc};
      const double s = p + cc;
      const double bb = s - p;
      const double err = (p - (s - bb)) + (cc - bb);
      if (err == 0) r = rmm_tie_single(r, s - double{r});
    }
  }
  if constexpr (sizeof(Bits) == 8) {
    if (rm == Rm::kRmm && (raised & flag::kNx) && std::isfinite(r)) r = rmm_fma(va, vb, vc, r);
  }
  return canonical(bits_of<Bits>(r));
}

template <class Bits> Bits min(Bits a, Bits b, uint8_t& flags) {
  if (is_snan(a) || is_snan(b)) flags |= flag::kNv;
  if (is_nan(a) && is_nan(b)) return Fmt<Bits>::kNan;
  if (is_nan(a)) return b;
  if (is_nan(b)) return a;
  if (is_zero(a) && is_zero(b)) return a | b;  // -0 < +0
  return host(a) < host(b) ? a : b;
}

template <class Bits> Bits max(Bits a, Bits b, uint8_t& flags) {
  if (is_snan(a) || is_snan(b)) flags |= flag::kNv;
  if (is_nan(a) && is_nan(b)) return Fmt<Bits>::kNan;
  if (is_nan(a)) return b;
  if (is_nan(b)) return a;
  if (is_zero(a) && is_zero(b)) return a & b;
  return host(a) > host(b) ? a : b;
}

template <class Bits> bool eq(Bits a, Bits b, uint8_t& flags) {
  if (is_nan(a) || is_nan(b)) {
    if (is_snan(a) || is_snan(b)) flags |= flag::kNv;
    return false;
  }
  return host(a) == host(b);
}

template <class Bits> bool lt(Bits a, Bits b, uint8_t& flags) {
  if (is_nan(a) || is_nan(b)) {
    flags |= flag::kNv;
    return false;
  }
  return host(a) < host(b);
}

template <class Bits> bool le(Bits a, Bits b, uint8_t& flags) {
  if (is_nan(a) || is_nan(b)) {
    flags |= flag::kNv;
    return false;
  }
  return host(a) <= host(b);
}

template <class Bits> uint64_t classify(Bits a) {
  const bool neg = is_neg(a);
  const Bits exp = a & Fmt<Bits>::kExp;
  unsigned bit = 0;
  if (is_nan(a)) {
    bit = is_snan(a) ? 8 : 9;
  } else if (is_inf(a)) {
    bit = neg ? 0 : 7;
  } else if (is_zero(a)) {
    bit = neg ? 3 : 4;
  } else if (exp == 0) {
    bit = neg ? 2 : 5;  // subnormal
  } else {
    bit = neg ? 1 : 6;
  }
  return uint64_t{1} << bit;
}

namespace {

// Rounds a finite value to an integer in `rm`; sets NX when that changed it.
double round_integral(double h, Rm rm, uint8_t& flags) {
  double r = 0;
  if (rm == Rm::kRmm) {
    r = std::round(h);  // halfway cases away from zero
  } else {
    HostEnv env(rm);
    volatile double vh = h;
    volatile double vr = std::nearbyint(double{vh});
    r = vr;
  }
  if (r != h) flags |= flag::kNx;
  return r;
}

// Converts to an integer in [lo, hi] (given as doubles that are exact); NaN
// gives `nan_value`, out of range the nearer bound, both with NV only.
template <class Int>
Int to_int(double h, Rm rm, uint8_t& flags) {
  constexpr Int kMin = std::numeric_limits<Int>::min();
  constexpr Int kMax = std::numeric_limits<Int>::max();
  if (std::isnan(h)) {
    flags |= flag::kNv;
    return kMax;
  }
  uint8_t f = 0;
  const double r = std::isinf(h) ? h : round_integral(h, rm, f);
  // 2^N as a double: exact, and the first value above the largest Int.
  const double above_max = std::ldexp(1.0, std::numeric_limits<Int>::digits);
  const double min = static_cast<double>(kMin);  // 0 or -2^(N-1), exact
  if (r >= above_max) {
    flags |= flag::kNv;
    return kMax;
  }
  if (r < min) {
    flags |= flag::kNv;
    return kMin;
  }
  flags |= f;
  return static_cast<Int>(r);
}

template <class Bits> double widen(Bits a) { return static_cast<double>(host(a)); }

// An integer of magnitude m (and sign) rounded to `precision` bits in `rm`.
// Integers cannot overflow or underflow either format, so this is all there is.
template <class Bits> Bits from_magnitude(bool negative, uint64_t m, Rm rm, uint8_t& flags) {
  using H = HostOf<Bits>;
  constexpr int kP = Fmt<Bits>::kPrecision;
  const int width = 64 - std::countl_zero(m);
  if (width <= kP) {
    const H h = static_cast<H>(m);  // exact
    return bits_of<Bits>(negative ? -h : h);
  }
  const int shift = width - kP;
  uint64_t q = m >> shift;
  const uint64_t rem = m & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  bool up = false;
  switch (rm) {
    case Rm::kRne: up = rem > half || (rem == half && (q & 1)); break;
    case Rm::kRtz: up = false; break;
    case Rm::kRdn: up = negative && rem != 0; break;
    case Rm::kRup: up = !negative && rem != 0; break;
    case Rm::kRmm: up = rem >= half; break;
  }
  if (rem != 0) flags |= flag::kNx;
  q += up ? 1 : 0;  // at most 2^kP: exact in H
  const H h = std::ldexp(static_cast<H>(q), shift);
  return bits_of<Bits>(negative ? -h : h);
}

uint64_t sext32(uint64_t v) { return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))); }

}  // namespace

template <class Bits> uint64_t to_w(Bits a, Rm rm, uint8_t& flags) {
  return static_cast<uint64_t>(static_cast<int64_t>(to_int<int32_t>(widen(a), rm, flags)));
}
template <class Bits> uint64_t to_wu(Bits a, Rm rm, uint8_t& flags) {
  return sext32(to_int<uint32_t>(widen(a), rm, flags));
}
template <class Bits> uint64_t to_l(Bits a, Rm rm, uint8_t& flags) {
  return static_cast<uint64_t>(to_int<int64_t>(widen(a), rm, flags));
}
template <class Bits> uint64_t to_lu(Bits a, Rm rm, uint8_t& flags) {
  return to_int<uint64_t>(widen(a), rm, flags);
}

template <class Bits> Bits from_w(uint64_t x, Rm rm, uint8_t& flags) {
  const auto v = static_cast<int64_t>(static_cast<int32_t>(x));
  return from_magnitude<Bits>(v < 0, v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), rm, flags);
}
template <class Bits> Bits from_wu(uint64_t x, Rm rm, uint8_t& flags) {
  return from_magnitude<Bits>(false, static_cast<uint32_t>(x), rm, flags);
}
template <class Bits> Bits from_l(uint64_t x, Rm rm, uint8_t& flags) {
  const bool neg = static_cast<int64_t>(x) < 0;
  return from_magnitude<Bits>(neg, neg ? 0 - x : x, rm, flags);
}
template <class Bits> Bits from_lu(uint64_t x, Rm rm, uint8_t& flags) {
  return from_magnitude<Bits>(false, x, rm, flags);
}

uint32_t double_to_single(uint64_t a, Rm rm, uint8_t& flags) {
  HostEnv env(rm);
  volatile double va = host(a);
  volatile float vr = static_cast<float>(double{va});
  const uint8_t raised = env.flags();
  flags |= raised;
  float r = vr;
  if (rm == Rm::kRmm && (raised & flag::kNx)) r = rmm_tie_single(r, double{va} - double{r});  // exact (Sterbenz)
  return canonical(bits_of<uint32_t>(r));
}

uint64_t single_to_double(uint32_t a, uint8_t& flags) {
  if (is_snan(a)) flags |= flag::kNv;
  if (is_nan(a)) return kCanonicalNan64;
  return bits_of<uint64_t>(static_cast<double>(host(a)));
}

#define VTIME_FPU_INSTANTIATE(B)                                                     \
  template B add<B>(B, B, Rm, uint8_t&);                                             \
  template B sub<B>(B, B, Rm, uint8_t&);                                             \
  template B mul<B>(B, B, Rm, uint8_t&);                                             \
  template B div<B>(B, B, Rm, uint8_t&);                                             \
  template B sqrt<B>(B, Rm, uint8_t&);                                               \
  template B fma<B>(B, B, B, bool, bool, Rm, uint8_t&);                              \
  template B min<B>(B, B, uint8_t&);                                                 \
  template B max<B>(B, B, uint8_t&);                                                 \
  template bool eq<B>(B, B, uint8_t&);                                               \
  template bool lt<B>(B, B, uint8_t&);                                               \
  template bool le<B>(B, B, uint8_t&);                                               \
  template uint64_t classify<B>(B);                                                  \
  template uint64_t to_w<B>(B, Rm, uint8_t&);                                        \
  template uint64_t to_wu<B>(B, Rm, uint8_t&);                                       \
  template uint64_t to_l<B>(B, Rm, uint8_t&);                                        \
  template uint64_t to_lu<B>(B, Rm, uint8_t&);                                       \
  template B from_w<B>(uint64_t, Rm, uint8_t&);                                      \
  template B from_wu<B>(uint64_t, Rm, uint8_t&);                                     \
  template B from_l<B>(uint64_t, Rm, uint8_t&);                                      \
  template B from_lu<B>(uint64_t, Rm, uint8_t&);
VTIME_FPU_INSTANTIATE(uint32_t)
VTIME_FPU_INSTANTIATE(uint64_t)
#undef VTIME_FPU_INSTANTIATE

}  // namespace vtime::riscv::fpu
