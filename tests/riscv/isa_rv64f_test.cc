// F extension through the hart: one row per case (instruction word from GNU as
// for rv64imafdc, inputs, frm, expected registers and fflags), the asm leads
// each row; plus mstatus.FS gating, rounding-mode legality and the fcsr CSRs.
// The arithmetic's edge cases are in fpu_test.cc; these check the plumbing:
// operand fields, NaN boxing on every path, rm selection, flags accrual.
#include "tests/riscv/isa_fp_case.h"

namespace vtime::riscv::test {
namespace {

constexpr uint64_t B(uint64_t single) { return 0xffffffff00000000 | single; }  // NaN-boxed
constexpr uint64_t kOne = 0x3f800000, kTwo = 0x40000000, kThree = 0x40400000;
constexpr uint8_t NX = 1, OF = 4, DZ = 8, NV = 16;

const FpCase kCases[] = {
    {"flw fa0, 8(a1)", 0x0085a507, 4, {{11, kData}}, {}, 0, {}, {{10, B(kOne)}}, 0, {{8, 4, kOne}}},
    {"fsw fa2, 4(a1)", 0x00c5a227, 4, {{11, kData}}, {{12, B(kTwo)}}, 0, {}, {}, 0, {}, {{4, 4, kTwo}}},
    {"fsw fa2, 4(a1) # unboxed: low bits as they are", 0x00c5a227, 4, {{11, kData}}, {{12, 0x1234567840000000}}, 0,
     {}, {}, 0, {}, {{0, 8, 0x4000000000000000}}},
    {"fadd.s fa0, fa1, fa2", 0x00c5f553, 4, {}, {{11, B(kOne)}, {12, B(kTwo)}}, 0, {}, {{10, B(kThree)}}, 0},
    {"fadd.s fa0, fa1, fa2, rup", 0x00c5b553, 4, {}, {{11, B(kOne)}, {12, B(0x33800000)}}, 0, {}, {{10, B(0x3f800001)}}, NX},
    {"fadd.s fa0, fa1, fa2, rmm", 0x00c5c553, 4, {}, {{11, B(kOne)}, {12, B(0x33800000)}}, 0, {}, {{10, B(0x3f800001)}}, NX},
    {"fadd.s fa0, fa1, fa2 # frm = rtz", 0x00c5f553, 4, {}, {{11, B(0x7f7fffff)}, {12, B(0x7f7fffff)}}, 1, {},
     {{10, B(0x7f7fffff)}}, OF | NX},
    {"fadd.s fa0, fa1, fa2 # fa1 not boxed: canonical NaN", 0x00c5f553, 4, {}, {{11, 0x3f800000}, {12, B(kOne)}}, 0, {},
     {{10, B(0x7fc00000)}}, 0},
    {"fadd.s ft0, fa1, fa2", 0x00c5f053, 4, {}, {{11, B(kOne)}, {12, B(kTwo)}}, 0, {}, {{0, B(kThree)}}, 0},
    {"fsub.s fa0, fa1, fa2", 0x08c5f553, 4, {}, {{11, B(kThree)}, {12, B(kOne)}}, 0, {}, {{10, B(kTwo)}}, 0},
    {"fmul.s fa0, fa1, fa2", 0x10c5f553, 4, {}, {{11, B(kTwo)}, {12, B(kThree)}}, 0, {}, {{10, B(0x40c00000)}}, 0},
    {"fdiv.s fa0, fa1, fa2", 0x18c5f553, 4, {}, {{11, B(kOne)}, {12, B(0)}}, 0, {}, {{10, B(0x7f800000)}}, DZ},
    {"fsqrt.s fa0, fa1", 0x5805f553, 4, {}, {{11, B(0xbf800000)}}, 0, {}, {{10, B(0x7fc00000)}}, NV},
    {"fmadd.s fa0, fa1, fa2, fa3", 0x68c5f543, 4, {}, {{11, B(kTwo)}, {12, B(kThree)}, {13, B(kOne)}}, 0, {},
     {{10, B(0x40e00000)}}, 0},
    {"fmsub.s fa0, fa1, fa2, fa3", 0x68c5f547, 4, {}, {{11, B(kTwo)}, {12, B(kThree)}, {13, B(kOne)}}, 0, {},
     {{10, B(0x40a00000)}}, 0},
    {"fnmsub.s fa0, fa1, fa2, fa3", 0x68c5f54b, 4, {}, {{11, B(kTwo)}, {12, B(kThree)}, {13, B(kOne)}}, 0, {},
     {{10, B(0xc0a00000)}}, 0},
    {"fnmadd.s fa0, fa1, fa2, fa3", 0x68c5f54f, 4, {}, {{11, B(kTwo)}, {12, B(kThree)}, {13, B(kOne)}}, 0, {},
     {{10, B(0xc0e00000)}}, 0},
    {"fsgnj.s fa0, fa1, fa2", 0x20c58553, 4, {}, {{11, B(kOne)}, {12, B(0xc0000000)}}, 0, {}, {{10, B(0xbf800000)}}, 0},
    {"fsgnjn.s fa0, fa1, fa2", 0x20c59553, 4, {}, {{11, B(kOne)}, {12, B(0xc0000000)}}, 0, {}, {{10, B(kOne)}}, 0},
    {"fsgnjx.s fa0, fa1, fa2", 0x20c5a553, 4, {}, {{11, B(0xbf800000)}, {12, B(0xc0000000)}}, 0, {}, {{10, B(kOne)}}, 0},
    {"fsgnj.s fa0, fa1, fa2 # fa1 not boxed", 0x20c58553, 4, {}, {{11, kOne}, {12, B(0xc0000000)}}, 0, {},
     {{10, B(0xffc00000)}}, 0},
    {"fmin.s fa0, fa1, fa2", 0x28c58553, 4, {}, {{11, B(0)}, {12, B(0x80000000)}}, 0, {}, {{10, B(0x80000000)}}, 0},
    {"fmax.s fa0, fa1, fa2", 0x28c59553, 4, {}, {{11, B(0x7f800001)}, {12, B(kOne)}}, 0, {}, {{10, B(kOne)}}, NV},
    {"fcvt.w.s a0, fa1, rtz", 0xc0059553, 4, {}, {{11, B(0xc0200000)}}, 0, {{10, 0xfffffffffffffffe}}, {}, NX},
    {"fcvt.wu.s a0, fa1, rtz", 0xc0159553, 4, {}, {{11, B(0x4f32d05e)}}, 0, {{10, 0xffffffffb2d05e00}}, {}, 0},
    {"fcvt.l.s a0, fa1, rtz", 0xc0259553, 4, {}, {{11, B(0x7fc00000)}}, 0, {{10, 0x7fffffffffffffff}}, {}, NV},
    {"fcvt.lu.s a0, fa1, rtz", 0xc0359553, 4, {}, {{11, B(0xbf800000)}}, 0, {{10, 0}}, {}, NV},
    {"fmv.x.w a0, fa1 # no unboxing", 0xe0058553, 4, {}, {{11, 0x1234567880000000}}, 0, {{10, 0xffffffff80000000}}, {}, 0},
    {"feq.s a0, fa1, fa2", 0xa0c5a553, 4, {}, {{11, B(0x7f800001)}, {12, B(kOne)}}, 0, {{10, 0}}, {}, NV},
    {"feq.s zero, fa1, fa2", 0xa0c5a053, 4, {}, {{11, B(kOne)}, {12, B(kOne)}}, 0, {{0, 0}}, {}, 0},
    {"flt.s a0, fa1, fa2", 0xa0c59553, 4, {}, {{11, B(kOne)}, {12, B(kTwo)}}, 0, {{10, 1}}, {}, 0},
    {"fle.s a0, fa1, fa2", 0xa0c58553, 4, {}, {{11, B(0x7fc00000)}, {12, B(kTwo)}}, 0, {{10, 0}}, {}, NV},
    {"fclass.s a0, fa1", 0xe0059553, 4, {}, {{11, B(0xff800000)}}, 0, {{10, 1}}, {}, 0},
    {"fclass.s a0, fa1 # not boxed: quiet NaN", 0xe0059553, 4, {}, {{11, 0xff800000}}, 0, {{10, 0x200}}, {}, 0},
    {"fcvt.s.w fa0, a1", 0xd005f553, 4, {{11, 0xffffffffffffffff}}, {}, 0, {}, {{10, B(0xbf800000)}}, 0},
    {"fcvt.s.wu fa0, a1", 0xd015f553, 4, {{11, 0xffffffff}}, {}, 0, {}, {{10, B(0x4f800000)}}, NX},
    {"fcvt.s.l fa0, a1", 0xd025f553, 4, {{11, 0x8000000000000000}}, {}, 0, {}, {{10, B(0xdf000000)}}, 0},
    {"fcvt.s.lu fa0, a1 # frm = rtz", 0xd035f553, 4, {{11, 0xffffffffffffffff}}, {}, 1, {}, {{10, B(0x5f7fffff)}}, NX},
    {"fmv.w.x fa0, a1", 0xf0058553, 4, {{11, 0x123456789abcdef0}}, {}, 0, {}, {{10, B(0x9abcdef0)}}, 0},
};

TEST(Rv64f, SingleInstructionsReadBoxedOperandsAndWriteBoxedResults) { run_fp_cases(kCases); }

constexpr uint32_t kFaddS = 0x00c5f553;  // fadd.s fa0, fa1, fa2 (dynamic rm)

TEST(Rv64f, InstructionsAndFcsrAreIllegalWhileFsIsOff) {
  for (uint32_t word : {kFaddS, 0x0085a507u /* flw */, 0xe0058553u /* fmv.x.w */, 0x00102573u /* frflags a0 */}) {
    SCOPED_TRACE(word);
    Rig rig;
    expect_illegal(rig, {}, word, 4);
  }
}

TEST(Rv64f, WritingAnFRegisterOrFlagsMakesFsDirtyAndSetsSd) {
  Rig rig;  // FS = Initial, then fcvt.s.w fa0, a1 writes fa0
  rig.env.put_words(kRamBase, {kCsrsMstatusX31, 0xd005f553});
  rig.hart.set_reg(31, kFsInitial);
  rig.hart.set_reg(11, 1);
  EXPECT_EQ(rig.hart.run(2).executed, 2u);
  EXPECT_EQ(rig.hart.f(10), B(kOne));
  EXPECT_EQ(rig.hart.csrs().mstatus & mstatus::kFs, mstatus::kFs);
  EXPECT_NE(rig.hart.csrs().mstatus & mstatus::kSd, 0u);

  Rig quiet;  // a compare raising nothing changes no FP state: FS stays Initial
  quiet.env.put_words(kRamBase, {kCsrsMstatusX31, 0xa0c5a553});  // feq.s a0, fa1, fa2 (unboxed zeros: qNaNs)
  quiet.hart.set_reg(31, kFsInitial);
  EXPECT_EQ(quiet.hart.run(2).executed, 2u);
  EXPECT_EQ(quiet.hart.reg(10), 0u);
  EXPECT_EQ(quiet.hart.csrs().fflags, 0u);
  EXPECT_EQ(quiet.hart.csrs().mstatus & mstatus::kFs, kFsInitial);
  EXPECT_EQ(quiet.hart.csrs().mstatus & mstatus::kSd, 0u);
}

TEST(Rv64f, ReservedRoundingModesAreIllegal) {
  // Static rm = 5 and 6 (reserved), and rm = dyn with frm = 5, 6, 7.
  struct Row {
    uint32_t word;
    unsigned frm;
  };
  for (Row row : {Row{0x00c5d553, 0}, Row{0x00c5e553, 0}, Row{kFaddS, 5}, Row{kFaddS, 6}, Row{kFaddS, 7}}) {
    SCOPED_TRACE(row.frm);
    Rig rig;
    rig.hart.set_reg(31, kFsInitial);
    rig.hart.set_reg(30, row.frm);
    expect_illegal(rig, {kCsrsMstatusX31, kCsrwFrmX30}, row.word, 4);
  }
  // An instruction with a static mode does not care that frm is reserved.
  Rig rig;
  run_fp_case(rig, {"fadd.s rtz", 0x00c59553, 4, {}, {{11, B(kOne)}, {12, B(kTwo)}}, 7, {}, {{10, B(kThree)}}, 0});
  EXPECT_EQ(rig.hart.csrs().mcause, 0u);
}

TEST(Rv64f, FcsrIsFrmAndFflagsAndFlagsAccrue) {
  Rig rig;
  // csrrw a0, fcsr, a1 ; fadd.s (NX) ; csrrs a2, fflags, zero ; csrrwi a3, frm, 3 ; csrrs a4, fcsr, zero
  rig.env.put_words(kRamBase, {kCsrsMstatusX31, 0x00359573, 0x00c5b553, 0x00102673, 0x0021d6f3, 0x00302773});
  rig.hart.set_reg(31, kFsInitial);
  rig.hart.set_reg(11, 0x1f02);  // fcsr = frm 0, fflags OF... only the low 8 bits count
  rig.hart.set_f(11, B(kOne));
  rig.hart.set_f(12, B(0x33800000));
  EXPECT_EQ(rig.hart.run(6).executed, 6u);
  EXPECT_EQ(rig.hart.reg(10), 0u);            // old fcsr
  EXPECT_EQ(rig.hart.reg(12), 0x02u | NX);    // UF (written) and NX (accrued)
  EXPECT_EQ(rig.hart.reg(13), 0u);            // old frm
  EXPECT_EQ(rig.hart.reg(14), (3u << 5) | 0x02u | NX);
}

}  // namespace
}  // namespace vtime::riscv::test
