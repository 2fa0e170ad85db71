// D extension through the hart, plus the C extension's FP forms (c.fld, c.fsd,
// c.fldsp, c.fsdsp): one row per case (instruction word from GNU as for
// rv64imafdc, inputs, frm, expected registers and fflags), the asm leads each row.
#include "tests/riscv/isa_fp_case.h"

namespace vtime::riscv::test {
namespace {

constexpr uint64_t B(uint64_t single) { return 0xffffffff00000000 | single; }  // NaN-boxed
constexpr uint64_t k1 = 0x3ff0000000000000, k2 = 0x4000000000000000, k3 = 0x4008000000000000;
constexpr uint64_t kNan = 0x7ff8000000000000, kSnan = 0x7ff0000000000001, kPi = 0x400921fb54442d18;
constexpr uint8_t NX = 1, NV = 16;

const FpCase kCases[] = {
    {"fld fa0, 8(a1)", 0x0085b507, 4, {{11, kData}}, {}, 0, {}, {{10, kPi}}, 0, {{8, 8, kPi}}},
    {"fsd fa2, 16(a1)", 0x00c5b827, 4, {{11, kData}}, {{12, kPi}}, 0, {}, {}, 0, {}, {{16, 8, kPi}}},
    {"fadd.d fa0, fa1, fa2", 0x02c5f553, 4, {}, {{11, k1}, {12, k2}}, 0, {}, {{10, k3}}, 0},
    {"fadd.d fa0, fa1, fa2 # frm = rup", 0x02c5f553, 4, {}, {{11, k1}, {12, 0x3ca0000000000000}}, 3, {},
     {{10, 0x3ff0000000000001}}, NX},
    {"fsub.d fa0, fa1, fa2", 0x0ac5f553, 4, {}, {{11, k3}, {12, k1}}, 0, {}, {{10, k2}}, 0},
    {"fmul.d fa0, fa1, fa2", 0x12c5f553, 4, {}, {{11, k2}, {12, k3}}, 0, {}, {{10, 0x4018000000000000}}, 0},
    {"fdiv.d fa0, fa1, fa2", 0x1ac5f553, 4, {}, {{11, k1}, {12, k3}}, 0, {}, {{10, 0x3fd5555555555555}}, NX},
    {"fsqrt.d fa0, fa1", 0x5a05f553, 4, {}, {{11, k2}}, 0, {}, {{10, 0x3ff6a09e667f3bcd}}, NX},
    {"fmadd.d fa0, fa1, fa2, fa3", 0x6ac5f543, 4, {}, {{11, k2}, {12, k3}, {13, k1}}, 0, {}, {{10, 0x401c000000000000}}, 0},
    {"fmsub.d fa0, fa1, fa2, fa3", 0x6ac5f547, 4, {}, {{11, k2}, {12, k3}, {13, k1}}, 0, {}, {{10, 0x4014000000000000}}, 0},
    {"fnmsub.d fa0, fa1, fa2, fa3", 0x6ac5f54b, 4, {}, {{11, k2}, {12, k3}, {13, k1}}, 0, {}, {{10, 0xc014000000000000}}, 0},
    {"fnmadd.d fa0, fa1, fa2, fa3", 0x6ac5f54f, 4, {}, {{11, k2}, {12, k3}, {13, k1}}, 0, {}, {{10, 0xc01c000000000000}}, 0},
    {"fsgnj.d fa0, fa1, fa2", 0x22c58553, 4, {}, {{11, k1}, {12, 0xc000000000000000}}, 0, {}, {{10, 0xbff0000000000000}}, 0},
    {"fsgnjn.d fa0, fa1, fa2", 0x22c59553, 4, {}, {{11, k1}, {12, 0xc000000000000000}}, 0, {}, {{10, k1}}, 0},
    {"fsgnjx.d fa0, fa1, fa2", 0x22c5a553, 4, {}, {{11, 0xbff0000000000000}, {12, 0xc000000000000000}}, 0, {},
     {{10, k1}}, 0},
    {"fmin.d fa0, fa1, fa2", 0x2ac58553, 4, {}, {{11, 0}, {12, 0x8000000000000000}}, 0, {}, {{10, 0x8000000000000000}}, 0},
    {"fmax.d fa0, fa1, fa2", 0x2ac59553, 4, {}, {{11, kNan}, {12, kNan}}, 0, {}, {{10, kNan}}, 0},
    {"fcvt.s.d fa0, fa1", 0x4015f553, 4, {}, {{11, 0x3ff0000010000000}}, 0, {}, {{10, B(0x3f800000)}}, NX},
    {"fcvt.s.d fa0, fa1 # sNaN", 0x4015f553, 4, {}, {{11, kSnan}}, 0, {}, {{10, B(0x7fc00000)}}, NV},
    {"fcvt.d.s fa0, fa1", 0x42058553, 4, {}, {{11, B(0x3f800000)}}, 0, {}, {{10, k1}}, 0},
    {"fcvt.d.s fa0, fa1 # not boxed", 0x42058553, 4, {}, {{11, 0x3f800000}}, 0, {}, {{10, kNan}}, 0},
    {"feq.d a0, fa1, fa2", 0xa2c5a553, 4, {}, {{11, k1}, {12, k1}}, 0, {{10, 1}}, {}, 0},
    {"flt.d a0, fa1, fa2", 0xa2c59553, 4, {}, {{11, kNan}, {12, k1}}, 0, {{10, 0}}, {}, NV},
    {"fle.d a0, fa1, fa2", 0xa2c58553, 4, {}, {{11, 0x8000000000000000}, {12, 0}}, 0, {{10, 1}}, {}, 0},
    {"fclass.d a0, fa1", 0xe2059553, 4, {}, {{11, 0x000fffffffffffff}}, 0, {{10, 0x20}}, {}, 0},
    {"fcvt.w.d a0, fa1, rtz", 0xc2059553, 4, {}, {{11, 0xc1e0000000100000}}, 0, {{10, 0xffffffff80000000}}, {}, NX},
    {"fcvt.wu.d a0, fa1, rtz", 0xc2159553, 4, {}, {{11, 0x41efffffffe00000}}, 0, {{10, 0xffffffffffffffff}}, {}, 0},
    {"fcvt.l.d a0, fa1, rtz", 0xc2259553, 4, {}, {{11, kNan}}, 0, {{10, 0x7fffffffffffffff}}, {}, NV},
    {"fcvt.lu.d a0, fa1, rtz", 0xc2359553, 4, {}, {{11, 0x43efffffffffffff}}, 0, {{10, 0xfffffffffffff800}}, {}, 0},
    {"fcvt.d.w fa0, a1", 0xd2058553, 4, {{11, 0x80000000}}, {}, 0, {}, {{10, 0xc1e0000000000000}}, 0},
    {"fcvt.d.wu fa0, a1", 0xd2158553, 4, {{11, 0xffffffff}}, {}, 0, {}, {{10, 0x41efffffffe00000}}, 0},
    {"fcvt.d.l fa0, a1", 0xd225f553, 4, {{11, 0x7fffffffffffffff}}, {}, 0, {}, {{10, 0x43e0000000000000}}, NX},
    {"fcvt.d.lu fa0, a1 # frm = rtz", 0xd235f553, 4, {{11, 0xffffffffffffffff}}, {}, 1, {}, {{10, 0x43efffffffffffff}}, NX},
    {"fmv.x.d a0, fa1", 0xe2058553, 4, {}, {{11, kPi}}, 0, {{10, kPi}}, {}, 0},
    {"fmv.d.x fa0, a1", 0xf2058553, 4, {{11, kPi}}, {}, 0, {}, {{10, kPi}}, 0},
    {"c.fld fa0, 8(a1)", 0x2588, 2, {{11, kData}}, {}, 0, {}, {{10, kPi}}, 0, {{8, 8, kPi}}},
    {"c.fsd fa2, 16(a1)", 0xa990, 2, {{11, kData}}, {{12, kPi}}, 0, {}, {}, 0, {}, {{16, 8, kPi}}},
    {"c.fldsp ft0, 8(sp)", 0x2022, 2, {{2, kData}}, {}, 0, {}, {{0, kPi}}, 0, {{8, 8, kPi}}},
    {"c.fsdsp fa2, 16(sp)", 0xa832, 2, {{2, kData}}, {{12, kPi}}, 0, {}, {}, 0, {}, {{16, 8, kPi}}},
};

TEST(Rv64d, DoubleInstructionsConversionsAndCompressedForms) { run_fp_cases(kCases); }

TEST(Rv64d, CompressedFpLoadsAreIllegalWhileFsIsOff) {
  Rig rig;
  rig.hart.set_reg(11, kData);
  expect_illegal(rig, {}, 0x2588, 2);  // c.fld fa0, 8(a1)
}

}  // namespace
}  // namespace vtime::riscv::test
