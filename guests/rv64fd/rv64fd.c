/* RV64F and RV64D: every instruction class with its rounding modes and
 * exception flags, the RISC-V specifics a host FPU does not give for free
 * (canonical NaNs, NaN boxing, FMIN/FMAX on signed zeros and NaNs, saturating
 * conversions), the fcsr CSRs, illegal rounding modes, mstatus.FS gating and
 * the compressed FP loads and stores. Values are bit patterns moved through
 * integer registers, so nothing depends on the C compiler's floating point.
 * The runtime leaves mstatus.FS Off; this program turns it on first. */
#include "common/ops.h"
#include "runtime/rt.h"

#define FS_INITIAL (1ul << 13)
#define FS_MASK (3ul << 13)
#define SD (1ul << 63)
#define NX 1
#define UF 2
#define OF 4
#define DZ 8
#define NV 16

/* Reads and clears fflags, so each check sees only its own instruction's flags. */
static uint64_t take_flags(void) {
  uint64_t f;
  __asm__ volatile("csrrw %0, fflags, zero" : "=r"(f));
  return f;
}

/* Single operands go in with fmv.w.x (boxed), results come out with fmv.x.w
 * (sign-extended: cast back to 32 bits). RM is "" (dynamic) or ", rtz" etc. */
#define S2(insn, rm, a, b)                                                                         \
  ((uint32_t)({                                                                                    \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\n" insn " ft2, ft0, ft1" rm           \
                           "\nfmv.x.w %0, ft2")                                                    \
                     : "=r"(r_) : "r"((uint64_t)(a)), "r"((uint64_t)(b)) : "ft0", "ft1", "ft2");  \
    r_;                                                                                            \
  }))
#define S1(insn, rm, a)                                                                            \
  ((uint32_t)({                                                                                    \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.w.x ft0, %1\n" insn " ft2, ft0" rm "\nfmv.x.w %0, ft2")            \
                     : "=r"(r_) : "r"((uint64_t)(a)) : "ft0", "ft2");                              \
    r_;                                                                                            \
  }))
#define S3(insn, rm, a, b, c)                                                                      \
  ((uint32_t)({                                                                                    \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\nfmv.w.x ft3, %3\n" insn              \
                           " ft2, ft0, ft1, ft3" rm "\nfmv.x.w %0, ft2")                           \
                     : "=r"(r_) : "r"((uint64_t)(a)), "r"((uint64_t)(b)), "r"((uint64_t)(c))        \
                     : "ft0", "ft1", "ft2", "ft3");                                                \
    r_;                                                                                            \
  }))
/* Single operands, integer result (compare, class, convert). */
#define S_TO_X(insn, rm, a)                                                                        \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.w.x ft0, %1\n" insn " %0, ft0" rm) : "=r"(r_)                      \
                     : "r"((uint64_t)(a)) : "ft0");                                                \
    r_;                                                                                            \
  })
#define S_CMP(insn, a, b)                                                                          \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\n" insn " %0, ft0, ft1") : "=r"(r_)   \
                     : "r"((uint64_t)(a)), "r"((uint64_t)(b)) : "ft0", "ft1");                     \
    r_;                                                                                            \
  })
#define X_TO_S(insn, rm, x)                                                                        \
  ((uint32_t)({                                                                                    \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC(insn " ft0, %1" rm "\nfmv.x.w %0, ft0") : "=r"(r_)                      \
                     : "r"((uint64_t)(x)) : "ft0");                                                \
    r_;                                                                                            \
  }))

/* The same for doubles (fmv.d.x / fmv.x.d). */
#define D2(insn, rm, a, b)                                                                         \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfmv.d.x ft1, %2\n" insn " ft2, ft0, ft1" rm           \
                           "\nfmv.x.d %0, ft2")                                                    \
                     : "=r"(r_) : "r"((uint64_t)(a)), "r"((uint64_t)(b)) : "ft0", "ft1", "ft2");  \
    r_;                                                                                            \
  })
#define D1(insn, rm, a)                                                                            \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.d.x ft0, %1\n" insn " ft2, ft0" rm "\nfmv.x.d %0, ft2")            \
                     : "=r"(r_) : "r"((uint64_t)(a)) : "ft0", "ft2");                              \
    r_;                                                                                            \
  })
#define D3(insn, rm, a, b, c)                                                                      \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfmv.d.x ft1, %2\nfmv.d.x ft3, %3\n" insn              \
                           " ft2, ft0, ft1, ft3" rm "\nfmv.x.d %0, ft2")                           \
                     : "=r"(r_) : "r"((uint64_t)(a)), "r"((uint64_t)(b)), "r"((uint64_t)(c))        \
                     : "ft0", "ft1", "ft2", "ft3");                                                \
    r_;                                                                                            \
  })
#define D_TO_X(insn, rm, a)                                                                        \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.d.x ft0, %1\n" insn " %0, ft0" rm) : "=r"(r_)                      \
                     : "r"((uint64_t)(a)) : "ft0");                                                \
    r_;                                                                                            \
  })
#define D_CMP(insn, a, b)                                                                          \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfmv.d.x ft1, %2\n" insn " %0, ft0, ft1") : "=r"(r_)   \
                     : "r"((uint64_t)(a)), "r"((uint64_t)(b)) : "ft0", "ft1");                     \
    r_;                                                                                            \
  })
#define X_TO_D(insn, rm, x)                                                                        \
  ({                                                                                               \
    uint64_t r_;                                                                                   \
    __asm__ volatile(NORVC(insn " ft0, %1" rm "\nfmv.x.d %0, ft0") : "=r"(r_)                      \
                     : "r"((uint64_t)(x)) : "ft0");                                                \
    r_;                                                                                            \
  })

/* One check of a result and of the flags its instruction raised. */
#define FCHECK(what, got, want, flags)              \
  do {                                              \
    uint64_t g_ = (uint64_t)(got);                  \
    uint64_t f_ = take_flags();                     \
    CHECK_EQ(what, g_, want);                       \
    CHECK_EQ(what " flags", f_, flags);             \
  } while (0)

/* Singles. */
#define ONE 0x3f800000u
#define TWO 0x40000000u
#define THREE 0x40400000u
#define NEG_ONE 0xbf800000u
#define INF 0x7f800000u
#define NEG_INF 0xff800000u
#define MAXF 0x7f7fffffu
#define NEG_ZERO 0x80000000u
#define QNAN 0x7fc00000u
#define SNAN 0x7f800001u
#define HALF_ULP 0x33800000u /* 2^-24 */

static void test_single_arith(void) {
  rt_check_group("single arithmetic");
  FCHECK("fadd", S2("fadd.s", "", ONE, TWO), THREE, 0);
  FCHECK("fadd tie rne", S2("fadd.s", ", rne", ONE, HALF_ULP), ONE, NX);
  FCHECK("fadd tie rmm", S2("fadd.s", ", rmm", ONE, HALF_ULP), 0x3f800001, NX);
  FCHECK("fadd tie rup", S2("fadd.s", ", rup", ONE, HALF_ULP), 0x3f800001, NX);
  FCHECK("fadd tie rtz", S2("fadd.s", ", rtz", ONE, HALF_ULP), ONE, NX);
  FCHECK("fadd -tie rdn", S2("fadd.s", ", rdn", NEG_ONE, 0xb3800000), 0xbf800001, NX);
  FCHECK("fadd -tie rmm", S2("fadd.s", ", rmm", NEG_ONE, 0xb3800000), 0xbf800001, NX);
  FCHECK("fadd x-x rne", S2("fadd.s", ", rne", ONE, NEG_ONE), 0, 0);
  FCHECK("fadd x-x rdn", S2("fadd.s", ", rdn", ONE, NEG_ONE), NEG_ZERO, 0);
  FCHECK("fadd overflow rne", S2("fadd.s", ", rne", MAXF, MAXF), INF, OF | NX);
  FCHECK("fadd overflow rtz", S2("fadd.s", ", rtz", MAXF, MAXF), MAXF, OF | NX);
  FCHECK("fadd inf-inf", S2("fadd.s", "", INF, NEG_INF), QNAN, NV);
  FCHECK("fadd payload nan", S2("fadd.s", "", 0x7fc12345, ONE), QNAN, 0);
  FCHECK("fadd snan", S2("fadd.s", "", SNAN, ONE), QNAN, NV);
  FCHECK("fadd subnormals", S2("fadd.s", "", 1, 1), 2, 0);
  FCHECK("fsub", S2("fsub.s", "", THREE, ONE), TWO, 0);
  FCHECK("fsub zero rdn", S2("fsub.s", ", rdn", ONE, ONE), NEG_ZERO, 0);
  FCHECK("fmul", S2("fmul.s", "", TWO, THREE), 0x40c00000, 0);
  FCHECK("fmul overflow rup neg", S2("fmul.s", ", rup", MAXF, 0xc0000000), 0xff7fffff, OF | NX);
  FCHECK("fmul exact subnormal", S2("fmul.s", "", 0x00800000, 0x3f000000), 0x00400000, 0);
  FCHECK("fmul underflow tie rne", S2("fmul.s", ", rne", 1, 0x3f000000), 0, UF | NX);
  FCHECK("fmul underflow tie rmm", S2("fmul.s", ", rmm", 1, 0x3f000000), 1, UF | NX);
  FCHECK("fmul tiny after rounding", S2("fmul.s", ", rne", 0x3f7ffffe, 0x00800001), 0x00800000, NX);
  FCHECK("fmul tie rmm", S2("fmul.s", ", rmm", 0x3f800003, THREE), 0x40400005, NX);
  FCHECK("fmul tie rne", S2("fmul.s", ", rne", 0x3f800003, THREE), 0x40400004, NX);
  FCHECK("fmul inf*0", S2("fmul.s", "", INF, 0), QNAN, NV);
  FCHECK("fmul -0", S2("fmul.s", "", NEG_ZERO, 0x40a00000), NEG_ZERO, 0);
  FCHECK("fdiv 1/3 rne", S2("fdiv.s", ", rne", ONE, THREE), 0x3eaaaaab, NX);
  FCHECK("fdiv 1/3 rtz", S2("fdiv.s", ", rtz", ONE, THREE), 0x3eaaaaaa, NX);
  FCHECK("fdiv 1/3 rdn", S2("fdiv.s", ", rdn", ONE, THREE), 0x3eaaaaaa, NX);
  FCHECK("fdiv by 0", S2("fdiv.s", "", ONE, 0), INF, DZ);
  FCHECK("fdiv by -0", S2("fdiv.s", "", ONE, NEG_ZERO), NEG_INF, DZ);
  FCHECK("fdiv 0/0", S2("fdiv.s", "", 0, 0), QNAN, NV);
  FCHECK("fdiv subnormal tie rmm", S2("fdiv.s", ", rmm", 5, TWO), 3, UF | NX);
  FCHECK("fdiv subnormal tie rne", S2("fdiv.s", ", rne", 5, TWO), 2, UF | NX);
  FCHECK("fsqrt 4", S1("fsqrt.s", "", 0x40800000), TWO, 0);
  FCHECK("fsqrt 2 rup", S1("fsqrt.s", ", rup", TWO), 0x3fb504f4, NX);
  FCHECK("fsqrt 2 rmm", S1("fsqrt.s", ", rmm", TWO), 0x3fb504f3, NX);
  FCHECK("fsqrt -1", S1("fsqrt.s", "", NEG_ONE), QNAN, NV);
  FCHECK("fsqrt -0", S1("fsqrt.s", "", NEG_ZERO), NEG_ZERO, 0);
  FCHECK("fsqrt min subnormal", S1("fsqrt.s", "", 1), 0x1a3504f3, NX);
  rt_check_group_end();
}

static void test_single_fma(void) {
  rt_check_group("single fused multiply-add");
  FCHECK("fmadd", S3("fmadd.s", "", TWO, THREE, ONE), 0x40e00000, 0);
  FCHECK("fmsub", S3("fmsub.s", "", TWO, THREE, ONE), 0x40a00000, 0);
  FCHECK("fnmsub", S3("fnmsub.s", "", TWO, THREE, ONE), 0xc0a00000, 0);
  FCHECK("fnmadd", S3("fnmadd.s", "", TWO, THREE, ONE), 0xc0e00000, 0);
  FCHECK("fmadd inf*0+qnan", S3("fmadd.s", "", INF, 0, QNAN), QNAN, NV);
  FCHECK("fmadd snan addend", S3("fmadd.s", "", ONE, ONE, SNAN), QNAN, NV);
  FCHECK("fmadd zero rne", S3("fmadd.s", ", rne", ONE, ONE, NEG_ONE), 0, 0);
  FCHECK("fmadd zero rdn", S3("fmadd.s", ", rdn", ONE, ONE, NEG_ONE), NEG_ZERO, 0);
  FCHECK("fnmadd zero rne", S3("fnmadd.s", ", rne", ONE, ONE, NEG_ONE), 0, 0);
  FCHECK("fmadd fused tie rne", S3("fmadd.s", ", rne", 0x3f800001, 0x3f800001, NEG_ONE), 0x34800000, NX);
  FCHECK("fmadd fused tie rmm", S3("fmadd.s", ", rmm", 0x3f800001, 0x3f800001, NEG_ONE), 0x34800001, NX);
  FCHECK("fmadd overflow", S3("fmadd.s", "", MAXF, TWO, 0), INF, OF | NX);
  rt_check_group_end();
}

static void test_single_misc(void) {
  rt_check_group("single sign, min/max, compare, class");
  FCHECK("fsgnj", S2("fsgnj.s", "", ONE, 0xc0000000), NEG_ONE, 0);
  FCHECK("fsgnjn", S2("fsgnjn.s", "", ONE, 0xc0000000), ONE, 0);
  FCHECK("fsgnjx", S2("fsgnjx.s", "", NEG_ONE, 0xc0000000), ONE, 0);
  FCHECK("fsgnj keeps nan payload", S2("fsgnj.s", "", SNAN, NEG_ONE), 0xff800001, 0);
  FCHECK("fmin -0 +0", S2("fmin.s", "", 0, NEG_ZERO), NEG_ZERO, 0);
  FCHECK("fmax -0 +0", S2("fmax.s", "", NEG_ZERO, 0), 0, 0);
  FCHECK("fmin qnan x", S2("fmin.s", "", QNAN, ONE), ONE, 0);
  FCHECK("fmin snan x", S2("fmin.s", "", SNAN, ONE), ONE, NV);
  FCHECK("fmax x snan", S2("fmax.s", "", ONE, SNAN), ONE, NV);
  FCHECK("fmin nan nan", S2("fmin.s", "", 0x7fc12345, QNAN), QNAN, 0);
  FCHECK("fmax snan snan", S2("fmax.s", "", SNAN, SNAN), QNAN, NV);
  FCHECK("fmin snan qnan", S2("fmin.s", "", SNAN, QNAN), QNAN, NV);
  FCHECK("fmin -inf", S2("fmin.s", "", NEG_INF, ONE), NEG_INF, 0);
  FCHECK("feq", S_CMP("feq.s", ONE, ONE), 1, 0);
  FCHECK("feq -0 +0", S_CMP("feq.s", NEG_ZERO, 0), 1, 0);
  FCHECK("feq qnan", S_CMP("feq.s", QNAN, QNAN), 0, 0);
  FCHECK("feq snan", S_CMP("feq.s", SNAN, ONE), 0, NV);
  FCHECK("flt qnan", S_CMP("flt.s", QNAN, ONE), 0, NV);
  FCHECK("fle qnan", S_CMP("fle.s", ONE, QNAN), 0, NV);
  FCHECK("flt -0 +0", S_CMP("flt.s", NEG_ZERO, 0), 0, 0);
  FCHECK("fle -0 +0", S_CMP("fle.s", NEG_ZERO, 0), 1, 0);
  FCHECK("flt", S_CMP("flt.s", NEG_INF, 1), 1, 0);
  static const uint32_t kClassInputs[10] = {NEG_INF, NEG_ONE, 0x80000001, NEG_ZERO, 0,
                                            0x007fffff, 0x00800000, INF, SNAN, QNAN};
  for (unsigned i = 0; i < 10; ++i) FCHECK("fclass", S_TO_X("fclass.s", "", kClassInputs[i]), 1ul << i, 0);
  rt_check_group_end();
}

static void test_single_convert(void) {
  rt_check_group("single conversions");
  FCHECK("fcvt.w 2.5 rne", S_TO_X("fcvt.w.s", ", rne", 0x40200000), 2, NX);
  FCHECK("fcvt.w 2.5 rmm", S_TO_X("fcvt.w.s", ", rmm", 0x40200000), 3, NX);
  FCHECK("fcvt.w -2.5 rmm", S_TO_X("fcvt.w.s", ", rmm", 0xc0200000), -3, NX);
  FCHECK("fcvt.w -2.5 rdn", S_TO_X("fcvt.w.s", ", rdn", 0xc0200000), -3, NX);
  FCHECK("fcvt.w -2.5 rup", S_TO_X("fcvt.w.s", ", rup", 0xc0200000), -2, NX);
  FCHECK("fcvt.w -2.5 rtz", S_TO_X("fcvt.w.s", ", rtz", 0xc0200000), -2, NX);
  FCHECK("fcvt.w 2^31", S_TO_X("fcvt.w.s", ", rtz", 0x4f000000), 0x7fffffff, NV);
  FCHECK("fcvt.w -2^31", S_TO_X("fcvt.w.s", ", rtz", 0xcf000000), 0xffffffff80000000, 0);
  FCHECK("fcvt.w nan", S_TO_X("fcvt.w.s", ", rtz", 0xffc00000), 0x7fffffff, NV);
  FCHECK("fcvt.w -inf", S_TO_X("fcvt.w.s", ", rtz", NEG_INF), 0xffffffff80000000, NV);
  FCHECK("fcvt.wu -1", S_TO_X("fcvt.wu.s", ", rtz", NEG_ONE), 0, NV);
  FCHECK("fcvt.wu -0.5 rtz", S_TO_X("fcvt.wu.s", ", rtz", 0xbf000000), 0, NX);
  FCHECK("fcvt.wu -0.5 rdn", S_TO_X("fcvt.wu.s", ", rdn", 0xbf000000), 0, NV);
  FCHECK("fcvt.wu 3e9 sign-extends", S_TO_X("fcvt.wu.s", ", rtz", 0x4f32d05e), 0xffffffffb2d05e00, 0);
  FCHECK("fcvt.wu 2^32", S_TO_X("fcvt.wu.s", ", rtz", 0x4f800000), 0xffffffffffffffff, NV);
  FCHECK("fcvt.wu nan", S_TO_X("fcvt.wu.s", ", rtz", QNAN), 0xffffffffffffffff, NV);
  FCHECK("fcvt.l 2^63", S_TO_X("fcvt.l.s", ", rtz", 0x5f000000), 0x7fffffffffffffff, NV);
  FCHECK("fcvt.l -2^63", S_TO_X("fcvt.l.s", ", rtz", 0xdf000000), 0x8000000000000000, 0);
  FCHECK("fcvt.l tiny rup", S_TO_X("fcvt.l.s", ", rup", 1), 1, NX);
  FCHECK("fcvt.lu 2^64", S_TO_X("fcvt.lu.s", ", rtz", 0x5f800000), 0xffffffffffffffff, NV);
  FCHECK("fcvt.lu max", S_TO_X("fcvt.lu.s", ", rtz", 0x5f7fffff), 0xffffff0000000000, 0);
  FCHECK("fcvt.lu -1", S_TO_X("fcvt.lu.s", ", rtz", NEG_ONE), 0, NV);
  FCHECK("fcvt.s.w -1", X_TO_S("fcvt.s.w", "", -1), NEG_ONE, 0);
  FCHECK("fcvt.s.w max rne", X_TO_S("fcvt.s.w", ", rne", 0x7fffffff), 0x4f000000, NX);
  FCHECK("fcvt.s.w max rtz", X_TO_S("fcvt.s.w", ", rtz", 0x7fffffff), 0x4effffff, NX);
  FCHECK("fcvt.s.w tie rne", X_TO_S("fcvt.s.w", ", rne", 0x01000001), 0x4b800000, NX);
  FCHECK("fcvt.s.w tie rmm", X_TO_S("fcvt.s.w", ", rmm", 0x01000001), 0x4b800001, NX);
  FCHECK("fcvt.s.w low 32 bits", X_TO_S("fcvt.s.w", "", 0x12345678ffffffff), NEG_ONE, 0);
  FCHECK("fcvt.s.wu max", X_TO_S("fcvt.s.wu", ", rne", 0xffffffff), 0x4f800000, NX);
  FCHECK("fcvt.s.l min", X_TO_S("fcvt.s.l", "", 0x8000000000000000), 0xdf000000, 0);
  FCHECK("fcvt.s.lu max rtz", X_TO_S("fcvt.s.lu", ", rtz", -1), 0x5f7fffff, NX);
  rt_check_group_end();
}

/* Doubles. */
#define D_ONE 0x3ff0000000000000ul
#define D_TWO 0x4000000000000000ul
#define D_THREE 0x4008000000000000ul
#define D_MAX 0x7fefffffffffffffull
#define D_INF 0x7ff0000000000000ul
#define D_QNAN 0x7ff8000000000000ul
#define D_SNAN 0x7ff0000000000001ul
#define D_NEG_ZERO 0x8000000000000000ul

static void test_double(void) {
  rt_check_group("double");
  FCHECK("fadd", D2("fadd.d", "", D_ONE, D_TWO), D_THREE, 0);
  FCHECK("fadd tie rne", D2("fadd.d", ", rne", D_ONE, 0x3ca0000000000000), D_ONE, NX);
  FCHECK("fadd tie rmm", D2("fadd.d", ", rmm", D_ONE, 0x3ca0000000000000), 0x3ff0000000000001, NX);
  FCHECK("fadd overflow", D2("fadd.d", ", rne", D_MAX, D_MAX), D_INF, OF | NX);
  FCHECK("fadd overflow rtz", D2("fadd.d", ", rtz", D_MAX, D_MAX), D_MAX, OF | NX);
  FCHECK("fadd snan", D2("fadd.d", "", D_SNAN, D_ONE), D_QNAN, NV);
  FCHECK("fadd payload", D2("fadd.d", "", 0x7ff8000000012345, D_ONE), D_QNAN, 0);
  FCHECK("fsub", D2("fsub.d", "", D_THREE, D_ONE), D_TWO, 0);
  FCHECK("fmul", D2("fmul.d", "", D_TWO, D_THREE), 0x4018000000000000, 0);
  FCHECK("fmul underflow tie rmm", D2("fmul.d", ", rmm", 1, 0x3fe0000000000000), 1, UF | NX);
  FCHECK("fmul tie rmm", D2("fmul.d", ", rmm", 0x3ff0000000000003, D_THREE), 0x4008000000000005, NX);
  FCHECK("fmul tiny after rounding", D2("fmul.d", "", 0x3feffffffffffffe, 0x0010000000000001),
         0x0010000000000000, NX);
  FCHECK("fdiv 1/3", D2("fdiv.d", ", rne", D_ONE, D_THREE), 0x3fd5555555555555, NX);
  FCHECK("fdiv 1/3 rup", D2("fdiv.d", ", rup", D_ONE, D_THREE), 0x3fd5555555555556, NX);
  FCHECK("fdiv by 0", D2("fdiv.d", "", D_ONE, 0), D_INF, DZ);
  FCHECK("fsqrt 2", D1("fsqrt.d", ", rne", D_TWO), 0x3ff6a09e667f3bcd, NX);
  FCHECK("fsqrt 2 rdn", D1("fsqrt.d", ", rdn", D_TWO), 0x3ff6a09e667f3bcc, NX);
  FCHECK("fsqrt -1", D1("fsqrt.d", "", 0xbff0000000000000), D_QNAN, NV);
  FCHECK("fmadd", D3("fmadd.d", "", D_TWO, D_THREE, D_ONE), 0x401c000000000000, 0);
  FCHECK("fmsub", D3("fmsub.d", "", D_TWO, D_THREE, D_ONE), 0x4014000000000000, 0);
  FCHECK("fnmsub", D3("fnmsub.d", "", D_TWO, D_THREE, D_ONE), 0xc014000000000000, 0);
  FCHECK("fnmadd", D3("fnmadd.d", "", D_TWO, D_THREE, D_ONE), 0xc01c000000000000, 0);
  FCHECK("fmadd inf*0+qnan", D3("fmadd.d", "", D_INF, 0, D_QNAN), D_QNAN, NV);
  FCHECK("fmadd fused tie rne", D3("fmadd.d", ", rne", 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000),
         0x3cc0000000000000, NX);
  FCHECK("fmadd fused tie rmm", D3("fmadd.d", ", rmm", 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000),
         0x3cc0000000000001, NX);
  FCHECK("fnmadd tie rmm", D3("fnmadd.d", ", rmm", D_ONE, D_ONE, 0x3ca0000000000000), 0xbff0000000000001, NX);
  FCHECK("fsgnjn", D2("fsgnjn.d", "", D_ONE, 0xc000000000000000), D_ONE, 0);
  FCHECK("fsgnjx", D2("fsgnjx.d", "", 0xbff0000000000000, 0xc000000000000000), D_ONE, 0);
  FCHECK("fmin -0", D2("fmin.d", "", 0, D_NEG_ZERO), D_NEG_ZERO, 0);
  FCHECK("fmax snan", D2("fmax.d", "", D_SNAN, D_ONE), D_ONE, NV);
  FCHECK("fmin nan nan", D2("fmin.d", "", D_QNAN, D_QNAN), D_QNAN, 0);
  FCHECK("feq snan", D_CMP("feq.d", D_SNAN, D_ONE), 0, NV);
  FCHECK("flt", D_CMP("flt.d", D_ONE, D_TWO), 1, 0);
  FCHECK("fle nan", D_CMP("fle.d", D_QNAN, D_TWO), 0, NV);
  FCHECK("fclass subnormal", D_TO_X("fclass.d", "", 0x000fffffffffffff), 1 << 5, 0);
  FCHECK("fclass snan", D_TO_X("fclass.d", "", D_SNAN), 1 << 8, 0);
  FCHECK("fcvt.w 2^31-0.5 rne", D_TO_X("fcvt.w.d", ", rne", 0x41dfffffffe00000), 0x7fffffff, NV);
  FCHECK("fcvt.w 2^31-0.5 rtz", D_TO_X("fcvt.w.d", ", rtz", 0x41dfffffffe00000), 0x7fffffff, NX);
  FCHECK("fcvt.w -2^31-0.5 rne", D_TO_X("fcvt.w.d", ", rne", 0xc1e0000000100000), 0xffffffff80000000, NX);
  FCHECK("fcvt.w -2^31-0.5 rmm", D_TO_X("fcvt.w.d", ", rmm", 0xc1e0000000100000), 0xffffffff80000000, NV);
  FCHECK("fcvt.wu 2^32-1", D_TO_X("fcvt.wu.d", ", rtz", 0x41efffffffe00000), 0xffffffffffffffff, 0);
  FCHECK("fcvt.l 2^63", D_TO_X("fcvt.l.d", ", rtz", 0x43e0000000000000), 0x7fffffffffffffff, NV);
  FCHECK("fcvt.lu big", D_TO_X("fcvt.lu.d", ", rtz", 0x43efffffffffffff), 0xfffffffffffff800, 0);
  FCHECK("fcvt.lu 0.5 rmm", D_TO_X("fcvt.lu.d", ", rmm", 0x3fe0000000000000), 1, NX);
  FCHECK("fcvt.lu 0.5 rne", D_TO_X("fcvt.lu.d", ", rne", 0x3fe0000000000000), 0, NX);
  FCHECK("fcvt.d.w", X_TO_D("fcvt.d.w", "", 0x80000000), 0xc1e0000000000000, 0);
  FCHECK("fcvt.d.wu", X_TO_D("fcvt.d.wu", "", 0xffffffff), 0x41efffffffe00000, 0);
  FCHECK("fcvt.d.l max", X_TO_D("fcvt.d.l", ", rne", 0x7fffffffffffffff), 0x43e0000000000000, NX);
  FCHECK("fcvt.d.l max rtz", X_TO_D("fcvt.d.l", ", rtz", 0x7fffffffffffffff), 0x43dfffffffffffff, NX);
  FCHECK("fcvt.d.lu tie rne", X_TO_D("fcvt.d.lu", ", rne", 0x8000000000000400), 0x43e0000000000000, NX);
  FCHECK("fcvt.d.lu tie rmm", X_TO_D("fcvt.d.lu", ", rmm", 0x8000000000000400), 0x43e0000000000001, NX);
  rt_check_group_end();
}

/* fcvt.s.d / fcvt.d.s and NaN boxing: a single is only a single in a register
 * whose upper 32 bits are all ones; anything else reads as the canonical NaN. */
static void test_boxing(void) {
  rt_check_group("nan boxing and s<->d");
  uint64_t r;
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.s.d ft1, ft0\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(0x3ff0000010000000ul) : "ft0", "ft1");
  FCHECK("fcvt.s.d tie, boxed", r, 0xffffffff3f800000, NX);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.s.d ft1, ft0, rmm\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(0x3ff0000010000000ul) : "ft0", "ft1");
  FCHECK("fcvt.s.d tie rmm", r, 0xffffffff3f800001, NX);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.s.d ft1, ft0\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(D_MAX) : "ft0", "ft1");
  FCHECK("fcvt.s.d overflow", r, 0xffffffff7f800000, OF | NX);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.s.d ft1, ft0\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(D_SNAN) : "ft0", "ft1");
  FCHECK("fcvt.s.d snan", r, 0xffffffff7fc00000, NV);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.s.d ft1, ft0, rne\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(0x380ffffff0000000ul) : "ft0", "ft1");
  FCHECK("fcvt.s.d tiny only before rounding", r, 0xffffffff00800000, NX);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.s.d ft1, ft0, rtz\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(0x380ffffff0000000ul) : "ft0", "ft1");
  FCHECK("fcvt.s.d tiny rtz", r, 0xffffffff007fffff, UF | NX);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.d.s ft1, ft0\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(0xffffffff00000001ul) : "ft0", "ft1");
  FCHECK("fcvt.d.s subnormal", r, 0x36a0000000000000, 0);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfcvt.d.s ft1, ft0\nfmv.x.d %0, ft1") : "=r"(r)
                   : "r"(0x000000003f800000ul) : "ft0", "ft1");
  FCHECK("fcvt.d.s unboxed", r, D_QNAN, 0);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfmv.w.x ft1, %2\nfadd.s ft2, ft0, ft1\nfmv.x.d %0, ft2")
                   : "=r"(r) : "r"(0x000000003f800000ul), "r"((uint64_t)ONE) : "ft0", "ft1", "ft2");
  FCHECK("fadd.s unboxed operand", r, 0xffffffff7fc00000, 0);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfmv.x.w %0, ft0") : "=r"(r) : "r"(0x1234567880000000ul) : "ft0");
  FCHECK("fmv.x.w does not unbox", r, 0xffffffff80000000, 0);
  __asm__ volatile(NORVC("fmv.d.x ft0, %1\nfclass.s %0, ft0") : "=r"(r) : "r"(0xff800000ul) : "ft0");
  FCHECK("fclass.s unboxed", r, 1 << 9, 0);
  static volatile uint64_t mem[2] = {0x40490fdb, 0};
  __asm__ volatile(NORVC("flw ft0, 0(%1)\nfmv.x.d %0, ft0") : "=r"(r) : "r"(mem) : "ft0", "memory");
  FCHECK("flw boxes", r, 0xffffffff40490fdb, 0);
  __asm__ volatile(NORVC("fmv.d.x ft0, %0\nfsw ft0, 8(%1)") :: "r"(0x12345678cafef00dul), "r"(mem) : "ft0", "memory");
  FCHECK("fsw stores low bits", mem[1], 0xcafef00d, 0);
  rt_check_group_end();
}

/* The compressed FP loads and stores (RV64: c.fld, c.fsd, c.fldsp, c.fsdsp). */
static void test_compressed(void) {
  rt_check_group("compressed fp");
  static volatile uint64_t mem[4] = {0x400921fb54442d18, 0, 0, 0};
  uint64_t r;
  __asm__ volatile(".option push\n.option rvc\nmv a5, %1\nc.fld fa5, 0(a5)\nc.fsd fa5, 8(a5)\n.option pop\n"
                   "fmv.x.d %0, fa5" : "=r"(r) : "r"(mem) : "a5", "fa5", "memory");
  FCHECK("c.fld", r, 0x400921fb54442d18, 0);
  CHECK_EQ("c.fsd", mem[1], 0x400921fb54442d18);
  __asm__ volatile(".option push\n.option rvc\nmv t1, sp\nmv sp, %1\nc.fldsp ft0, 8(sp)\nc.fsdsp ft0, 16(sp)\n"
                   "mv sp, t1\n.option pop\nfmv.x.d %0, ft0" : "=r"(r) : "r"(mem) : "t1", "ft0", "memory");
  FCHECK("c.fldsp", r, 0x400921fb54442d18, 0);
  CHECK_EQ("c.fsdsp", mem[2], 0x400921fb54442d18);
  rt_check_group_end();
}

static void test_fcsr(void) {
  rt_check_group("fcsr and rounding modes");
  uint64_t old, r;
  __asm__ volatile("csrrw %0, fcsr, %1" : "=r"(old) : "r"(0xffful));
  __asm__ volatile("csrr %0, fcsr" : "=r"(r));
  CHECK_EQ("fcsr is 8 bits", r, 0xff);
  __asm__ volatile("csrr %0, frm" : "=r"(r));
  CHECK_EQ("frm field", r, 7);
  __asm__ volatile("csrr %0, fflags" : "=r"(r));
  CHECK_EQ("fflags field", r, 0x1f);
  __asm__ volatile("csrw fcsr, zero\ncsrwi frm, 1");  /* dynamic rounding: rtz */
  FCHECK("dynamic rtz", S2("fadd.s", "", MAXF, MAXF), MAXF, OF | NX);
  __asm__ volatile("csrwi frm, 3");
  FCHECK("dynamic rup", S2("fadd.s", "", ONE, HALF_ULP), 0x3f800001, NX);
  FCHECK("static beats dynamic", S2("fadd.s", ", rne", ONE, HALF_ULP), ONE, NX);
  __asm__ volatile("csrwi frm, 4");
  FCHECK("dynamic rmm", D2("fadd.d", "", D_ONE, 0x3ca0000000000000), 0x3ff0000000000001, NX);
  /* Flags accrue until cleared. */
  (void)S2("fdiv.s", "", ONE, 0);
  (void)S2("fadd.s", "", SNAN, ONE);
  FCHECK("flags accrue", 0, 0, DZ | NV);
  /* Reserved rounding modes are illegal: static rm 5 and 6, dynamic with frm 5..7. */
  rt_trap_record t;
  uint64_t pc;
  rt_expect_trap(0);
  __asm__ volatile("lla %0, 1f\n1: .4byte 0x00c5d553" : "=r"(pc)::"memory");  /* fadd.s fa0,fa1,fa2 with rm=5 */
  t = rt_expect_trap_end();
  CHECK_EQ("static rm 5 illegal", t.cause, CAUSE_ILLEGAL_INSN);
  CHECK_EQ("static rm 5 mtval", t.tval, 0x00c5d553);
  CHECK_EQ("static rm 5 mepc", t.epc, pc);
  rt_expect_trap(0);
  __asm__ volatile(".4byte 0x00c5e553" ::: "memory");  /* rm=6 */
  t = rt_expect_trap_end();
  CHECK_EQ("static rm 6 illegal", t.cause, CAUSE_ILLEGAL_INSN);
  for (uint64_t frm = 5; frm <= 7; ++frm) {
    __asm__ volatile("csrw frm, %0" ::"r"(frm));
    rt_expect_trap(0);
    __asm__ volatile(NORVC("fadd.s ft0, ft1, ft2, dyn") ::: "ft0", "memory");
    t = rt_expect_trap_end();
    CHECK_EQ("dynamic with reserved frm illegal", t.cause, CAUSE_ILLEGAL_INSN);
  }
  rt_expect_trap(0);
  __asm__ volatile(NORVC("fadd.s ft0, ft1, ft2, rtz") ::: "ft0", "memory");
  t = rt_expect_trap_end();
  CHECK_EQ("static rm with reserved frm is fine", t.taken, 0);
  __asm__ volatile("csrw fcsr, %0" ::"r"(old));
  (void)take_flags();
  rt_check_group_end();
}

/* mstatus.FS: Off makes every FP instruction and the fcsr CSRs illegal; an FP
 * write makes it Dirty and sets SD. */
static void test_fs(void) {
  rt_check_group("mstatus.FS");
  uint64_t s;
  __asm__ volatile("csrc mstatus, %0" ::"r"(FS_MASK));
  __asm__ volatile("csrs mstatus, %0" ::"r"(FS_INITIAL));
  __asm__ volatile("csrr %0, mstatus" : "=r"(s));
  CHECK_EQ("FS initial", s & (FS_MASK | SD), FS_INITIAL);
  __asm__ volatile(NORVC("fmv.w.x ft0, zero") ::: "ft0");
  __asm__ volatile("csrr %0, mstatus" : "=r"(s));
  CHECK_EQ("FS dirty after a write, SD set", s & (FS_MASK | SD), FS_MASK | SD);
  __asm__ volatile("csrc mstatus, %0" ::"r"(FS_MASK));
  __asm__ volatile("csrr %0, mstatus" : "=r"(s));
  CHECK_EQ("FS off clears SD", s & (FS_MASK | SD), 0);
  rt_trap_record t;
  rt_expect_trap(0);
  __asm__ volatile(NORVC("fadd.d ft0, ft1, ft2") ::: "ft0", "memory");
  t = rt_expect_trap_end();
  CHECK_EQ("fadd.d with FS off", t.cause, CAUSE_ILLEGAL_INSN);
  CHECK_EQ("fadd.d with FS off mtval", t.tval, 0x0220f053);
  rt_expect_trap(0);
  __asm__ volatile("csrr t0, fflags" ::: "t0", "memory");
  t = rt_expect_trap_end();
  CHECK_EQ("fflags with FS off", t.cause, CAUSE_ILLEGAL_INSN);
  rt_expect_trap(0);
  __asm__ volatile(".option push\n.option rvc\nc.fldsp ft0, 0(sp)\n.option pop" ::: "ft0", "memory");
  t = rt_expect_trap_end();
  CHECK_EQ("c.fldsp with FS off", t.cause, CAUSE_ILLEGAL_INSN);
  CHECK_EQ("c.fldsp with FS off mtval", t.tval, 0x2002);
  rt_expect_trap(0);
  __asm__ volatile(NORVC("fmv.x.w t0, ft0") ::: "t0", "memory");
  t = rt_expect_trap_end();
  CHECK_EQ("fmv.x.w with FS off", t.cause, CAUSE_ILLEGAL_INSN);
  __asm__ volatile("csrs mstatus, %0" ::"r"(FS_INITIAL));
  rt_check_group_end();
}

void test_random(void); /* rv64fd_random.c */

int guest_main(void) {
  __asm__ volatile("csrs mstatus, %0" ::"r"(FS_INITIAL));
  (void)take_flags();
  rt_printf("rv64fd: single and double floating point\n");
  test_single_arith();
  test_single_fma();
  test_single_misc();
  test_single_convert();
  test_double();
  test_boxing();
  test_compressed();
  test_fcsr();
  test_fs();
  test_random();
  return rt_check_summary("rv64fd");
}
