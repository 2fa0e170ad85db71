/* RV64C: every integer compressed instruction through explicit c. mnemonics,
 * a few hand-encoded halfwords, a 32-bit instruction that straddles a page
 * boundary at a 2-byte-aligned address, and c.ebreak's trap. The whole program
 * is also compiled with the C extension, so ordinary code runs compressed. */
#include "runtime/rt.h"

uint64_t c_addi4spn(void), c_lw(void*), c_ld(void*), c_nop(uint64_t), c_addi(uint64_t),
    c_addiw(uint64_t), c_li(void), c_addi16sp(void), c_lui_pos(void), c_lui_neg(void),
    c_srli(uint64_t), c_srai(uint64_t), c_andi(uint64_t), c_sub(uint64_t, uint64_t),
    c_xor(uint64_t, uint64_t), c_or(uint64_t, uint64_t), c_and(uint64_t, uint64_t),
    c_subw(uint64_t, uint64_t), c_addw(uint64_t, uint64_t), c_j(void), c_beqz(uint64_t),
    c_bnez(uint64_t), c_slli(uint64_t), c_sp_d(uint64_t), c_sp_w(uint64_t), c_jr(void),
    c_jalr(void), c_mv(uint64_t, uint64_t), c_add(uint64_t, uint64_t), c_ebreak(void),
    raw_c_li_5(void), raw_c_addi_m1(uint64_t), raw_c_add(uint64_t, uint64_t),
    raw_c_slli_1(uint64_t), raw_c_sub(uint64_t, uint64_t), raw_c_addiw_m1(uint64_t),
    straddle(void);
void c_sw(void*, uint64_t), c_sd(void*, uint64_t);

static uint64_t mem[2];

static void test_quadrant0(void) {
  rt_check_group("quadrant 0");
  CHECK_EQ("c.addi4spn", c_addi4spn(), 16);
  mem[0] = 0x80000000deadbeef;
  mem[1] = 0x0123456789abcdef;
  CHECK_EQ("c.lw sign", c_lw(mem), 0xffffffff80000000);
  CHECK_EQ("c.ld", c_ld(mem), 0x0123456789abcdef);
  c_sw(mem, 0xffffffff00000042);
  CHECK_EQ("c.sw", mem[0], 0x00000042deadbeef);
  c_sd(mem, 0xfedcba9876543210);
  CHECK_EQ("c.sd", mem[1], 0xfedcba9876543210);
  rt_check_group_end();
}

static void test_quadrant1(void) {
  rt_check_group("quadrant 1");
  CHECK_EQ("c.nop", c_nop(1234), 1234);
  CHECK_EQ("c.addi", c_addi(10), (uint64_t)-22);
  CHECK_EQ("c.addiw", c_addiw(0x7fffffff), 0xffffffff80000000);
  CHECK_EQ("c.li", c_li(), (uint64_t)-17);
  CHECK_EQ("c.addi16sp", c_addi16sp(), 64);
  CHECK_EQ("c.lui pos", c_lui_pos(), 0x1f000);
  CHECK_EQ("c.lui neg", c_lui_neg(), 0xfffffffffffe0000);
  CHECK_EQ("c.srli", c_srli(0xf000000000000000), 0xf);
  CHECK_EQ("c.srai", c_srai(0x8000000000000000), 0xfffffffffffffff8);
  CHECK_EQ("c.andi", c_andi(0x12345), 0x12340);
  CHECK_EQ("c.sub", c_sub(5, 7), (uint64_t)-2);
  CHECK_EQ("c.xor", c_xor(0xff00, 0x0ff0), 0xf0f0);
  CHECK_EQ("c.or", c_or(0xff00, 0x0ff0), 0xfff0);
  CHECK_EQ("c.and", c_and(0xff00, 0x0ff0), 0x0f00);
  CHECK_EQ("c.subw", c_subw(0x80000000, 1), 0x7fffffff);
  CHECK_EQ("c.addw", c_addw(0x7fffffff, 1), 0xffffffff80000000);
  CHECK_EQ("c.j", c_j(), 0);
  CHECK_EQ("c.beqz taken", c_beqz(0), 1);
  CHECK_EQ("c.beqz not", c_beqz(3), 0);
  CHECK_EQ("c.bnez taken", c_bnez(3), 1);
  CHECK_EQ("c.bnez not", c_bnez(0), 0);
  rt_check_group_end();
}

static void test_quadrant2(void) {
  rt_check_group("quadrant 2");
  CHECK_EQ("c.slli", c_slli(3), 0x8000000000000000);
  CHECK_EQ("c.sdsp/c.ldsp/c.lwsp", c_sp_d(0x1234567887654321), 0xedcba98700000000);
  CHECK_EQ("c.swsp", c_sp_w(0xaaaaaaaa80000001), 0x80000001);
  CHECK_EQ("c.jr", c_jr(), 0);
  CHECK_EQ("c.jalr links pc+2", c_jalr(), 0);
  CHECK_EQ("c.mv", c_mv(1, 99), 99);
  CHECK_EQ("c.add", c_add(40, 2), 42);
  rt_expect_trap(0);
  c_ebreak();
  rt_trap_record r = rt_expect_trap_end();
  CHECK_EQ("c.ebreak traps", r.taken, 1);
  CHECK_EQ("c.ebreak cause", r.cause, CAUSE_BREAKPOINT);
  CHECK_EQ("c.ebreak epc", r.epc, (uint64_t)(uintptr_t)c_ebreak);
  rt_check_group_end();
}

static void test_raw_encodings(void) {
  rt_check_group("raw encodings");
  CHECK_EQ(".2byte c.li", raw_c_li_5(), 5);
  CHECK_EQ(".2byte c.addi", raw_c_addi_m1(10), 9);
  CHECK_EQ(".2byte c.add", raw_c_add(40, 2), 42);
  CHECK_EQ(".2byte c.slli", raw_c_slli_1(0x4000000000000001), 0x8000000000000002);
  CHECK_EQ(".2byte c.sub", raw_c_sub(3, 5), (uint64_t)-2);
  CHECK_EQ(".2byte c.addiw", raw_c_addiw_m1(0xffffffff80000000), 0x7fffffff);
  CHECK_EQ("straddling page", straddle(), 77);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("rv64c: compressed instructions\n");
  test_quadrant0();
  test_quadrant1();
  test_quadrant2();
  test_raw_encodings();
  return rt_check_summary("rv64c");
}
