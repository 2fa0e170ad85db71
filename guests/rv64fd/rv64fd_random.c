/* Random differential check: pseudo-random operands (special values, ties
 * near 1, subnormals, values near overflow, integers, and plain random bits)
 * through every arithmetic, compare, class and convert instruction in all five
 * rounding modes (dynamic, through frm). Each instruction's results and fflags
 * are folded into one FNV-1a hash, compared with the hash QEMU 7.2 gives for
 * the same stream (the constants below). A mismatch names the instruction;
 * rebuild with -DRV64FD_PRINT_HASHES to print every hash. */
#include "common/ops.h"
#include "runtime/rt.h"

#define ITERATIONS 200 /* per rounding mode */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static const uint32_t kSpecialS[16] = {0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
                                       0x7fc00000, 0x7f800001, 0x00000001, 0x807fffff, 0x00800000,
                                       0x7f7fffff, 0xff7fffff, 0x33800000, 0x3f000000, 0x4b800000};
static const uint64_t kSpecialD[16] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull, 1, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull, 0x3ca0000000000000ull,
    0x3fe0000000000000ull, 0x4330000000000000ull};

static uint64_t single_operand(void) {
  const uint64_t r = next();
  const uint32_t sign = (uint32_t)(r >> 63) << 31;
  switch (r & 7) {
    case 0: return kSpecialS[(r >> 3) & 15];
    case 1: return (uint32_t)(r >> 32);
    case 2: { /* near 1 with few significant bits: many exact ties */
      const uint32_t m = (uint32_t)((r >> 8) & 0x7f) << ((r >> 20) % 17);
      return ((126 + (uint32_t)((r >> 40) & 3)) << 23) | (m & 0x7fffff) | sign;
    }
    case 3: return ((uint32_t)(r >> 40) & 0x00ffffff) | sign; /* subnormal or smallest normals */
    case 4: return 0x7e000000 | ((uint32_t)(r >> 40) & 0x01ffffff) | sign; /* near overflow */
    case 5: return (uint32_t)((r >> 32) & 0xffff) * 0x10000u;
    default: return ((100 + (uint32_t)((r >> 32) % 56)) << 23) | ((uint32_t)(r >> 9) & 0x7fffff) | sign;
  }
}

static uint64_t double_operand(void) {
  const uint64_t r = next();
  const uint64_t sign = r & 0x8000000000000000ull;
  switch (r & 7) {
    case 0: return kSpecialD[(r >> 3) & 15];
    case 1: return next();
    case 2: {
      const uint64_t m = ((r >> 8) & 0x7f) << ((r >> 20) % 46);
      return ((1022 + ((r >> 40) & 3)) << 52) | (m & 0xfffffffffffffull) | sign;
    }
    case 3: return (next() & 0x001fffffffffffffull) | sign;
    case 4: return 0x7fc0000000000000ull | (next() & 0x003fffffffffffffull) | sign;
    case 5: return ((r >> 16) & 0xffffffffull) << 32;
    default: return ((uint64_t)(900 + ((r >> 32) % 250)) << 52) | (next() & 0xfffffffffffffull) | sign;
  }
}

static uint64_t integer_operand(void) {
  uint64_t x = next();
  if (x & 1) x = (uint64_t)((int64_t)x >> ((x >> 1) % 64)); /* small magnitudes too */
  return x;
}

static uint64_t hash;
static void mix(uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    hash ^= (v >> (8 * i)) & 0xff;
    hash *= 0x100000001b3ull;
  }
}
static void mix_flags(void) {
  uint64_t f;
  __asm__ volatile("csrrw %0, fflags, zero" : "=r"(f));
  mix(f);
}

/* One probe per operand shape; `insn` uses ft0/ft1/ft3 in, ft2 or %0 out. */
#define PROBE_F(load, insn, op)                                                                  \
  {                                                                                              \
    uint64_t r_;                                                                                 \
    const uint64_t a_ = op(), b_ = op(), c_ = op();                                              \
    __asm__ volatile(NORVC(load " ft0, %1\n" load " ft1, %2\n" load " ft3, %3\n" insn            \
                           "\nfmv.x.d %0, ft2")                                                  \
                     : "=r"(r_) : "r"(a_), "r"(b_), "r"(c_) : "ft0", "ft1", "ft2", "ft3");       \
    mix(r_);                                                                                     \
    mix_flags();                                                                                 \
  }
#define PROBE_X(load, insn, op)                                                                  \
  {                                                                                              \
    uint64_t r_;                                                                                 \
    const uint64_t a_ = op(), b_ = op();                                                         \
    __asm__ volatile(NORVC(load " ft0, %1\n" load " ft1, %2\n" insn) : "=r"(r_)                  \
                     : "r"(a_), "r"(b_) : "ft0", "ft1");                                         \
    mix(r_);                                                                                     \
    mix_flags();                                                                                 \
  }
#define PROBE_FROM_INT(insn)                                                                     \
  {                                                                                              \
    uint64_t r_;                                                                                 \
    __asm__ volatile(NORVC(insn " ft2, %1\nfmv.x.d %0, ft2") : "=r"(r_)                         \
                     : "r"(integer_operand()) : "ft2");                                          \
    mix(r_);                                                                                     \
    mix_flags();                                                                                 \
  }
#define S_F(insn) PROBE_F("fmv.w.x", insn, single_operand)
#define D_F(insn) PROBE_F("fmv.d.x", insn, double_operand)
#define S_X(insn) PROBE_X("fmv.w.x", insn, single_operand)
#define D_X(insn) PROBE_X("fmv.d.x", insn, double_operand)

#ifdef RV64FD_PRINT_HASHES
#define EXPECT_HASH(name, want) rt_printf("    {\"%s\", 0x%lx},\n", name, hash)
#else
#define EXPECT_HASH(name, want) CHECK_EQ(name, hash, want)
#endif

#define RUN(name, want, probe)                                          \
  do {                                                                  \
    hash = 0xcbf29ce484222325ull;                                       \
    for (uint64_t rm = 0; rm < 5; ++rm) {                               \
      __asm__ volatile("csrw frm, %0" ::"r"(rm));                       \
      for (int i = 0; i < ITERATIONS; ++i) probe                        \
    }                                                                   \
    EXPECT_HASH(name, want);                                            \
  } while (0)

void test_random(void) {
  rt_check_group("random operands vs QEMU 7.2");
  uint64_t saved_frm;
  __asm__ volatile("csrr %0, frm" : "=r"(saved_frm));
  RUN("fadd.s", 0x4cc03cc543d7df8d, S_F("fadd.s ft2, ft0, ft1"));
  RUN("fsub.s", 0xa691ef79a7ac3e41, S_F("fsub.s ft2, ft0, ft1"));
  RUN("fmul.s", 0x3003b09bff2e5bb0, S_F("fmul.s ft2, ft0, ft1"));
  RUN("fdiv.s", 0xa1d8bd6200c5c2f7, S_F("fdiv.s ft2, ft0, ft1"));
  RUN("fsqrt.s", 0xd94dc36041cfeb96, S_F("fsqrt.s ft2, ft0"));
  RUN("fmadd.s", 0xaa25f564b2273486, S_F("fmadd.s ft2, ft0, ft1, ft3"));
  RUN("fmsub.s", 0xa853e95abf7568fc, S_F("fmsub.s ft2, ft0, ft1, ft3"));
  RUN("fnmsub.s", 0x9f9561fd95705b3, S_F("fnmsub.s ft2, ft0, ft1, ft3"));
  RUN("fnmadd.s", 0x570c30f56a4e9103, S_F("fnmadd.s ft2, ft0, ft1, ft3"));
  RUN("fmin.s", 0x7bf8b806c4c785c8, S_F("fmin.s ft2, ft0, ft1"));
  RUN("fmax.s", 0x7b6f41782b23a2de, S_F("fmax.s ft2, ft0, ft1"));
  RUN("feq.s", 0x328661c81492c434, S_X("feq.s %0, ft0, ft1"));
  RUN("flt.s", 0x184ed945f7ff4265, S_X("flt.s %0, ft0, ft1"));
  RUN("fle.s", 0x7e9525f638d3a9a5, S_X("fle.s %0, ft0, ft1"));
  RUN("fclass.s", 0x2371ceddb5cafee8, S_X("fclass.s %0, ft0"));
  RUN("fcvt.w.s", 0x4adffeb34069a74f, S_X("fcvt.w.s %0, ft0"));
  RUN("fcvt.wu.s", 0x3ef5d903f2234d83, S_X("fcvt.wu.s %0, ft0"));
  RUN("fcvt.l.s", 0xd0f8dd311e7e7696, S_X("fcvt.l.s %0, ft0"));
  RUN("fcvt.lu.s", 0xaed0a6d8d21ca056, S_X("fcvt.lu.s %0, ft0"));
  RUN("fcvt.s.w", 0xe18f7cf08e45298a, PROBE_FROM_INT("fcvt.s.w"));
  RUN("fcvt.s.wu", 0xd8dc6e1038ef47f8, PROBE_FROM_INT("fcvt.s.wu"));
  RUN("fcvt.s.l", 0x35697c092433bb2c, PROBE_FROM_INT("fcvt.s.l"));
  RUN("fcvt.s.lu", 0x2490c4a1ea49a2cb, PROBE_FROM_INT("fcvt.s.lu"));
  RUN("fcvt.d.s", 0x689181bb44eba0ca, S_F("fcvt.d.s ft2, ft0"));
  RUN("fadd.d", 0xf6727b80f80f2019, D_F("fadd.d ft2, ft0, ft1"));
  RUN("fsub.d", 0x101fa81de2076e, D_F("fsub.d ft2, ft0, ft1"));
  RUN("fmul.d", 0x5b0cfa37f9889cf0, D_F("fmul.d ft2, ft0, ft1"));
  RUN("fdiv.d", 0x9037ba6ca36973ed, D_F("fdiv.d ft2, ft0, ft1"));
  RUN("fsqrt.d", 0x61245f0b911d539, D_F("fsqrt.d ft2, ft0"));
  RUN("fmadd.d", 0x4e8733e73bd42217, D_F("fmadd.d ft2, ft0, ft1, ft3"));
  RUN("fmsub.d", 0x2cf8c52fdeaa9052, D_F("fmsub.d ft2, ft0, ft1, ft3"));
  RUN("fnmsub.d", 0x8072d2d7c76cafc7, D_F("fnmsub.d ft2, ft0, ft1, ft3"));
  RUN("fnmadd.d", 0x729e97bacd26ca84, D_F("fnmadd.d ft2, ft0, ft1, ft3"));
  RUN("fmin.d", 0x1c37dc0e1772c8b0, D_F("fmin.d ft2, ft0, ft1"));
  RUN("fmax.d", 0x506540940fa661bd, D_F("fmax.d ft2, ft0, ft1"));
  RUN("feq.d", 0xc8fc702ab93b3e34, D_X("feq.d %0, ft0, ft1"));
  RUN("flt.d", 0x4def58a541ece64, D_X("flt.d %0, ft0, ft1"));
  RUN("fle.d", 0xdac80ac056a787e5, D_X("fle.d %0, ft0, ft1"));
  RUN("fclass.d", 0x8f863184377daf68, D_X("fclass.d %0, ft0"));
  RUN("fcvt.w.d", 0xe0d34d14e74b4950, D_X("fcvt.w.d %0, ft0"));
  RUN("fcvt.wu.d", 0xa41016001ee45ddf, D_X("fcvt.wu.d %0, ft0"));
  RUN("fcvt.l.d", 0xccd1aeabaacd37df, D_X("fcvt.l.d %0, ft0"));
  RUN("fcvt.lu.d", 0x4477d1e66f1a1aeb, D_X("fcvt.lu.d %0, ft0"));
  RUN("fcvt.d.w", 0xd43bb1a9a4f8af19, PROBE_FROM_INT("fcvt.d.w"));
  RUN("fcvt.d.wu", 0x9564151aa032e2c9, PROBE_FROM_INT("fcvt.d.wu"));
  RUN("fcvt.d.l", 0x49109fdbba5715fc, PROBE_FROM_INT("fcvt.d.l"));
  RUN("fcvt.d.lu", 0x51faccfb516a16b5, PROBE_FROM_INT("fcvt.d.lu"));
  RUN("fcvt.s.d", 0xcf215513e2f0a1f8, D_F("fcvt.s.d ft2, ft0"));
  __asm__ volatile("csrw frm, %0" ::"r"(saved_frm));
  rt_check_group_end();
}
