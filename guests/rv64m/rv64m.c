/* RV64M: multiply (low and the three high forms), divide and remainder,
 * including the architected results for division by zero (quotient all ones,
 * remainder = dividend) and signed overflow (quotient = dividend, remainder 0). */
#include "common/ops.h"
#include "runtime/rt.h"

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

static void test_multiply(void) {
  rt_check_group("multiply");
  CHECK_EQ("mul", OP_RR("mul", 3, -7), -21);
  CHECK_EQ("mul low bits", OP_RR("mul", MAX64, 2), 0xfffffffffffffffe);
  CHECK_EQ("mul -1*-1", OP_RR("mul", -1, -1), 1);
  CHECK_EQ("mulh -1*-1", OP_RR("mulh", -1, -1), 0);
  CHECK_EQ("mulh min*min", OP_RR("mulh", MIN64, MIN64), 0x4000000000000000);
  CHECK_EQ("mulh -1*1", OP_RR("mulh", -1, 1), 0xffffffffffffffff);
  CHECK_EQ("mulh max*max", OP_RR("mulh", MAX64, MAX64), 0x3fffffffffffffff);
  CHECK_EQ("mulhu max*max", OP_RR("mulhu", -1, -1), 0xfffffffffffffffe);
  CHECK_EQ("mulhu 2^63*2", OP_RR("mulhu", MIN64, 2), 1);
  CHECK_EQ("mulhsu -1*umax", OP_RR("mulhsu", -1, -1), 0xffffffffffffffff);
  CHECK_EQ("mulhsu 2*umax", OP_RR("mulhsu", 2, -1), 1);
  CHECK_EQ("mulhsu -2*1", OP_RR("mulhsu", -2, 1), 0xffffffffffffffff);
  CHECK_EQ("mulw sign", OP_RR("mulw", 0x7fffffff, 2), 0xfffffffffffffffe);
  CHECK_EQ("mulw ignores high", OP_RR("mulw", 0x100000003, 0x100000005), 15);
  CHECK_EQ("mulw overflow", OP_RR("mulw", 0x10000, 0x10000), 0);
  rt_check_group_end();
}

static void test_divide(void) {
  rt_check_group("divide");
  CHECK_EQ("div truncates", OP_RR("div", -7, 2), -3);
  CHECK_EQ("div neg divisor", OP_RR("div", 7, -2), -3);
  CHECK_EQ("div by zero", OP_RR("div", 7, 0), 0xffffffffffffffff);
  CHECK_EQ("div overflow", OP_RR("div", MIN64, -1), MIN64);
  CHECK_EQ("divu", OP_RR("divu", 7, 2), 3);
  CHECK_EQ("divu max", OP_RR("divu", -1, 2), MAX64);
  CHECK_EQ("divu by zero", OP_RR("divu", 7, 0), 0xffffffffffffffff);
  CHECK_EQ("rem sign of dividend", OP_RR("rem", -7, 2), -1);
  CHECK_EQ("rem neg divisor", OP_RR("rem", 7, -2), 1);
  CHECK_EQ("rem by zero", OP_RR("rem", -7, 0), -7);
  CHECK_EQ("rem overflow", OP_RR("rem", MIN64, -1), 0);
  CHECK_EQ("remu", OP_RR("remu", 7, 2), 1);
  CHECK_EQ("remu max", OP_RR("remu", -1, 10), 5);
  CHECK_EQ("remu by zero", OP_RR("remu", 123, 0), 123);
  rt_check_group_end();
}

static void test_divide_w(void) {
  rt_check_group("divide-w");
  CHECK_EQ("divw", OP_RR("divw", -7, 2), -3);
  CHECK_EQ("divw overflow", OP_RR("divw", 0x80000000, -1), 0xffffffff80000000);
  CHECK_EQ("divw by zero", OP_RR("divw", 5, 0), 0xffffffffffffffff);
  CHECK_EQ("divw ignores high", OP_RR("divw", 0x100000008, 0x100000002), 4);
  CHECK_EQ("divuw", OP_RR("divuw", 0xffffffff, 2), 0x7fffffff);
  CHECK_EQ("divuw sign-extends", OP_RR("divuw", 0x80000000, 1), 0xffffffff80000000);
  CHECK_EQ("divuw by zero", OP_RR("divuw", 5, 0), 0xffffffffffffffff);
  CHECK_EQ("remw", OP_RR("remw", -7, 2), -1);
  CHECK_EQ("remw overflow", OP_RR("remw", 0x80000000, -1), 0);
  CHECK_EQ("remw by zero", OP_RR("remw", 0x80000001, 0), 0xffffffff80000001);
  CHECK_EQ("remuw", OP_RR("remuw", 0xffffffff, 10), 5);
  CHECK_EQ("remuw by zero", OP_RR("remuw", 0x80000000, 0), 0xffffffff80000000);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("rv64m: multiply and divide\n");
  test_multiply();
  test_divide();
  test_divide_w();
  return rt_check_summary("rv64m");
}
