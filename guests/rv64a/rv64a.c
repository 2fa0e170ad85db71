/* RV64A: LR/SC success and failure, and every AMO in .w and .d form. Each AMO
 * returns the old value (sign-extended for .w) and must leave the other half of
 * a doubleword untouched for .w. */
#include "common/ops.h"
#include "runtime/rt.h"

static volatile uint64_t cell;
static volatile uint64_t other;

/* Returns the old value; the new memory value is read from `cell` afterwards. */
#define AMO(insn, value)                                                          \
  ({                                                                              \
    uint64_t old_;                                                                \
    __asm__ volatile(insn " %0, %2, (%1)" : "=r"(old_) : "r"(&cell), "r"((uint64_t)(value)) \
                     : "memory");                                                 \
    old_;                                                                         \
  })

static void check_amo_d(const char* name, uint64_t old, uint64_t want_new) {
  CHECK_EQ(name, old, 0x8000000000000001);
  CHECK_EQ(name, cell, want_new);
}

static void test_amo_d(void) {
  rt_check_group("amo.d");
  const uint64_t m = 0x8000000000000001;
  cell = m; check_amo_d("amoswap.d", AMO("amoswap.d", 5), 5);
  cell = m; check_amo_d("amoadd.d", AMO("amoadd.d", 5), 0x8000000000000006);
  cell = m; check_amo_d("amoxor.d", AMO("amoxor.d", 5), 0x8000000000000004);
  cell = m; check_amo_d("amoand.d", AMO("amoand.d", 5), 1);
  cell = m; check_amo_d("amoor.d", AMO("amoor.d", 5), 0x8000000000000005);
  cell = m; check_amo_d("amomin.d", AMO("amomin.d", 5), m);
  cell = m; check_amo_d("amomax.d", AMO("amomax.d", 5), 5);
  cell = m; check_amo_d("amominu.d", AMO("amominu.d", 5), 5);
  cell = m; check_amo_d("amomaxu.d", AMO("amomaxu.d", 5), m);
  cell = m; check_amo_d("amoadd.d.aqrl", AMO("amoadd.d.aqrl", -1), 0x8000000000000000);
  rt_check_group_end();
}

static void check_amo_w(const char* name, uint64_t old, uint32_t want_low) {
  CHECK_EQ(name, old, 0xffffffff80000001);
  CHECK_EQ(name, cell, 0xdeadbeef00000000 | want_low);
}

static void test_amo_w(void) {
  rt_check_group("amo.w");
  const uint64_t m = 0xdeadbeef80000001;
  cell = m; check_amo_w("amoswap.w", AMO("amoswap.w", 5), 5);
  cell = m; check_amo_w("amoadd.w", AMO("amoadd.w", 5), 0x80000006);
  cell = m; check_amo_w("amoxor.w", AMO("amoxor.w", 5), 0x80000004);
  cell = m; check_amo_w("amoand.w", AMO("amoand.w", 5), 1);
  cell = m; check_amo_w("amoor.w", AMO("amoor.w", 5), 0x80000005);
  cell = m; check_amo_w("amomin.w", AMO("amomin.w", 5), 0x80000001);
  cell = m; check_amo_w("amomax.w", AMO("amomax.w", 5), 5);
  cell = m; check_amo_w("amominu.w", AMO("amominu.w", 5), 5);
  cell = m; check_amo_w("amomaxu.w", AMO("amomaxu.w", 5), 0x80000001);
  cell = m; check_amo_w("amoor.w.aq", AMO("amoor.w.aq", 0x10), 0x80000011);
  cell = 0x12345678ffffffff;
  CHECK_EQ("amoadd.w wrap old", AMO("amoadd.w.rl", 1), 0xffffffffffffffff);
  CHECK_EQ("amoadd.w no carry out", cell, 0x1234567800000000);
  cell = 0x000000007fffffff;
  CHECK_EQ("amomax.w pos old", AMO("amomax.w", 0xffffffff), 0x7fffffff);
  CHECK_EQ("amomax.w keeps pos", cell, 0x7fffffff);
  rt_check_group_end();
}

static void test_lr_sc(void) {
  rt_check_group("lr/sc");
  uint64_t loaded, fail;
  cell = 41;
  __asm__ volatile("lr.d %0, (%2)\naddi %0, %0, 1\nsc.d %1, %0, (%2)"
                   : "=&r"(loaded), "=&r"(fail) : "r"(&cell) : "memory");
  CHECK_EQ("sc.d succeeds", fail, 0);
  CHECK_EQ("sc.d stored", cell, 42);
  __asm__ volatile("lr.d %0, (%2)\nsc.d %1, %0, (%2)\nsc.d %1, %3, (%2)"
                   : "=&r"(loaded), "=&r"(fail) : "r"(&cell), "r"(7ull) : "memory");
  CHECK("second sc.d fails", fail != 0);
  CHECK_EQ("failed sc.d stores nothing", cell, 42);
  cell = 0x1111111180000000;
  __asm__ volatile("lr.w %0, (%2)\nsc.w %1, %3, (%2)"
                   : "=&r"(loaded), "=&r"(fail) : "r"(&cell), "r"(0x55ull) : "memory");
  CHECK_EQ("lr.w sign-extends", loaded, 0xffffffff80000000);
  CHECK_EQ("sc.w succeeds", fail, 0);
  CHECK_EQ("sc.w stores a word", cell, 0x1111111100000055);
  other = 9;
  __asm__ volatile("lr.d %0, (%2)\nsc.d %1, %0, (%3)"
                   : "=&r"(loaded), "=&r"(fail) : "r"(&cell), "r"(&other) : "memory");
  CHECK("sc.d to another address fails", fail != 0);
  CHECK_EQ("other address untouched", other, 9);
  __asm__ volatile("lr.d.aqrl %0, (%2)\nsc.d.aqrl %1, %3, (%2)"
                   : "=&r"(loaded), "=&r"(fail) : "r"(&cell), "r"(3ull) : "memory");
  CHECK_EQ("aqrl pair succeeds", fail, 0);
  CHECK_EQ("aqrl pair stored", cell, 3);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("rv64a: atomics\n");
  test_lr_sc();
  test_amo_w();
  test_amo_d();
  return rt_check_summary("rv64a");
}
