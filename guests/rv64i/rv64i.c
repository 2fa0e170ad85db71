/* RV64I register-register, immediate and 32-bit (W) arithmetic, with expected
 * values worked out by hand from the ISA manual (shift amounts use the low 6
 * bits, 5 for W forms; W results are sign-extended from bit 31). */
#include "common/ops.h"
#include "runtime/rt.h"
#include "rv64i/rv64i.h"

static void test_reg_reg(void) {
  rt_check_group("reg-reg");
  CHECK_EQ("add overflow", OP_RR("add", 0x7fffffffffffffff, 1), 0x8000000000000000);
  CHECK_EQ("add wrap", OP_RR("add", 0xffffffffffffffff, 2), 1);
  CHECK_EQ("sub borrow", OP_RR("sub", 0, 1), 0xffffffffffffffff);
  CHECK_EQ("sub min", OP_RR("sub", 0x8000000000000000, 1), 0x7fffffffffffffff);
  CHECK_EQ("sll 63", OP_RR("sll", 1, 63), 0x8000000000000000);
  CHECK_EQ("sll uses 6 bits", OP_RR("sll", 1, 67), 8);
  CHECK_EQ("slt neg<pos", OP_RR("slt", -1, 1), 1);
  CHECK_EQ("slt pos<neg", OP_RR("slt", 1, -1), 0);
  CHECK_EQ("slt equal", OP_RR("slt", 7, 7), 0);
  CHECK_EQ("sltu max<1", OP_RR("sltu", -1, 1), 0);
  CHECK_EQ("sltu 1<max", OP_RR("sltu", 1, -1), 1);
  CHECK_EQ("snez", OP_RR("sltu", 0, 5), 1);
  CHECK_EQ("xor", OP_RR("xor", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0), 0xf0f0f0f0f0f0f0f0);
  CHECK_EQ("srl 63", OP_RR("srl", 0x8000000000000000, 63), 1);
  CHECK_EQ("srl 4", OP_RR("srl", 0xf000000000000000, 4), 0x0f00000000000000);
  CHECK_EQ("srl uses 6 bits", OP_RR("srl", 0xf000000000000000, 68), 0x0f00000000000000);
  CHECK_EQ("sra 63", OP_RR("sra", 0x8000000000000000, 63), 0xffffffffffffffff);
  CHECK_EQ("sra neg", OP_RR("sra", 0xf000000000000000, 4), 0xff00000000000000);
  CHECK_EQ("sra pos", OP_RR("sra", 0x7000000000000000, 4), 0x0700000000000000);
  CHECK_EQ("or", OP_RR("or", 0xf0f0, 0x0f0f), 0xffff);
  CHECK_EQ("and", OP_RR("and", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0), 0x0f000f000f000f00);
  rt_check_group_end();
}

static void test_reg_reg_w(void) {
  rt_check_group("reg-reg-w");
  CHECK_EQ("addw sign", OP_RR("addw", 0x7fffffff, 1), 0xffffffff80000000);
  CHECK_EQ("addw ignores high", OP_RR("addw", 0xffffffff00000001, 0x00000000ffffffff), 0);
  CHECK_EQ("subw", OP_RR("subw", 0, 1), 0xffffffffffffffff);
  CHECK_EQ("subw positive", OP_RR("subw", 0x80000000, 1), 0x7fffffff);
  CHECK_EQ("sllw 31", OP_RR("sllw", 1, 31), 0xffffffff80000000);
  CHECK_EQ("sllw uses 5 bits", OP_RR("sllw", 1, 33), 2);
  CHECK_EQ("sllw ignores high", OP_RR("sllw", 0x0000000100000003, 1), 6);
  CHECK_EQ("srlw 31", OP_RR("srlw", 0xffffffff80000000, 31), 1);
  CHECK_EQ("srlw 0 sign-extends", OP_RR("srlw", 0x80000000, 0), 0xffffffff80000000);
  CHECK_EQ("srlw 4", OP_RR("srlw", 0xfffffffff0000000, 4), 0x0f000000);
  CHECK_EQ("sraw neg", OP_RR("sraw", 0x80000000, 4), 0xfffffffff8000000);
  CHECK_EQ("sraw low zero", OP_RR("sraw", 0x7fffffff00000000, 4), 0);
  CHECK_EQ("sraw uses 5 bits", OP_RR("sraw", 0x7f000000, 36), 0x07f00000);
  rt_check_group_end();
}

static void test_immediates(void) {
  rt_check_group("immediate");
  CHECK_EQ("addi neg", OP_RI("addi", 5, -6), 0xffffffffffffffff);
  CHECK_EQ("addi max", OP_RI("addi", 0, 2047), 0x7ff);
  CHECK_EQ("addi min", OP_RI("addi", 0, -2048), 0xfffffffffffff800);
  CHECK_EQ("slti true", OP_RI("slti", -5, -4), 1);
  CHECK_EQ("slti false", OP_RI("slti", 5, -4), 0);
  CHECK_EQ("sltiu imm sign-extended", OP_RI("sltiu", 5, -1), 1);
  CHECK_EQ("sltiu max", OP_RI("sltiu", 0xffffffffffffffff, -1), 0);
  CHECK_EQ("seqz", OP_RI("sltiu", 0, 1), 1);
  CHECK_EQ("not", OP_RI("xori", 0x00ff, -1), 0xffffffffffffff00);
  CHECK_EQ("xori", OP_RI("xori", 0x0f0f, 0xff), 0x0ff0);
  CHECK_EQ("ori", OP_RI("ori", 0x8000000000000000, 0x7ff), 0x80000000000007ff);
  CHECK_EQ("ori neg", OP_RI("ori", 0, -2048), 0xfffffffffffff800);
  CHECK_EQ("andi neg", OP_RI("andi", 0x123456789abcdef0, -16), 0x123456789abcdef0);
  CHECK_EQ("andi", OP_RI("andi", 0x123456789abcdef0, 0x7ff), 0x6f0);
  CHECK_EQ("slli 63", OP_RI("slli", 1, 63), 0x8000000000000000);
  CHECK_EQ("slli 4", OP_RI("slli", 0x0123456789abcdef, 4), 0x123456789abcdef0);
  CHECK_EQ("srli 63", OP_RI("srli", 0x8000000000000000, 63), 1);
  CHECK_EQ("srli 32", OP_RI("srli", 0xffffffffffffffff, 32), 0xffffffff);
  CHECK_EQ("srai 63", OP_RI("srai", 0x8000000000000000, 63), 0xffffffffffffffff);
  CHECK_EQ("srai 8", OP_RI("srai", 0xfedcba9876543210, 8), 0xfffedcba98765432);
  CHECK_EQ("lui", OP_I("lui", 0x12345), 0x12345000);
  CHECK_EQ("lui sign", OP_I("lui", 0x80000), 0xffffffff80000000);
  CHECK_EQ("lui all ones", OP_I("lui", 0xfffff), 0xfffffffffffff000);
  uint64_t x0;
  __asm__ volatile(NORVC("addi x0, x0, 5\nmv %0, x0") : "=r"(x0));
  CHECK_EQ("x0 stays zero", x0, 0);
  uint64_t here, label, plus_page;
  __asm__ volatile(NORVC("1: auipc %0, 0\nauipc %2, 1\nlla %1, 1b")
                   : "=r"(here), "=r"(label), "=r"(plus_page));
  CHECK_EQ("auipc 0", here, label);
  CHECK_EQ("auipc 1", plus_page, label + 4 + 0x1000);
  rt_check_group_end();
}

static void test_immediates_w(void) {
  rt_check_group("immediate-w");
  CHECK_EQ("addiw sign", OP_RI("addiw", 0x7fffffff, 1), 0xffffffff80000000);
  CHECK_EQ("addiw ignores high", OP_RI("addiw", 0xffffffff00000000, -1), 0xffffffffffffffff);
  CHECK_EQ("sext.w", OP_RI("addiw", 0x80000000, 0), 0xffffffff80000000);
  CHECK_EQ("slliw 31", OP_RI("slliw", 1, 31), 0xffffffff80000000);
  CHECK_EQ("slliw 16", OP_RI("slliw", 0xffffffff0000ffff, 16), 0xffffffffffff0000);
  CHECK_EQ("srliw 31", OP_RI("srliw", 0xffffffff80000000, 31), 1);
  CHECK_EQ("srliw 0 sign-extends", OP_RI("srliw", 0xffffffff, 0), 0xffffffffffffffff);
  CHECK_EQ("srliw 4", OP_RI("srliw", 0x1234567887654321, 4), 0x08765432);
  CHECK_EQ("sraiw 31", OP_RI("sraiw", 0x80000000, 31), 0xffffffffffffffff);
  CHECK_EQ("sraiw 4", OP_RI("sraiw", 0x87654321, 4), 0xfffffffff8765432);
  CHECK_EQ("sraiw pos", OP_RI("sraiw", 0x7fffffff, 30), 1);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("rv64i: base integer instructions\n");
  test_reg_reg();
  test_reg_reg_w();
  test_immediates();
  test_immediates_w();
  test_branches();
  test_jumps();
  test_loads_stores();
  test_fence_i();
  test_zicsr();
  return rt_check_summary("rv64i");
}
