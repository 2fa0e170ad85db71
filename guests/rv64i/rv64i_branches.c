/* RV64I control transfer: every branch taken and not taken at the signed and
 * unsigned edges, JAL/JALR link values, JALR clearing bit 0 and rd == rs1. */
#include "common/ops.h"
#include "runtime/rt.h"
#include "rv64i/rv64i.h"

void test_branches(void) {
  rt_check_group("branches");
  CHECK_EQ("beq taken", BRANCH_TAKEN("beq", 5, 5), 1);
  CHECK_EQ("beq not", BRANCH_TAKEN("beq", 5, 6), 0);
  CHECK_EQ("bne taken", BRANCH_TAKEN("bne", 5, 6), 1);
  CHECK_EQ("bne not", BRANCH_TAKEN("bne", 5, 5), 0);
  CHECK_EQ("blt -1<0", BRANCH_TAKEN("blt", -1, 0), 1);
  CHECK_EQ("blt 0<-1", BRANCH_TAKEN("blt", 0, -1), 0);
  CHECK_EQ("blt equal", BRANCH_TAKEN("blt", 3, 3), 0);
  CHECK_EQ("bge equal", BRANCH_TAKEN("bge", 3, 3), 1);
  CHECK_EQ("bge -1>=0", BRANCH_TAKEN("bge", -1, 0), 0);
  CHECK_EQ("bge 0>=-1", BRANCH_TAKEN("bge", 0, -1), 1);
  CHECK_EQ("bltu 0<max", BRANCH_TAKEN("bltu", 0, -1), 1);
  CHECK_EQ("bltu max<0", BRANCH_TAKEN("bltu", -1, 0), 0);
  CHECK_EQ("bgeu max>=0", BRANCH_TAKEN("bgeu", -1, 0), 1);
  CHECK_EQ("bgeu 0>=max", BRANCH_TAKEN("bgeu", 0, -1), 0);
  CHECK_EQ("bgeu equal", BRANCH_TAKEN("bgeu", 7, 7), 1);
  uint64_t count;
  __asm__ volatile(NORVC("li %0, 0\nli t0, 10\n1: addi %0, %0, 3\naddi t0, t0, -1\nbnez t0, 1b")
                   : "=&r"(count)::"t0");
  CHECK_EQ("backward loop", count, 30);
  rt_check_group_end();
}

void test_jumps(void) {
  rt_check_group("jumps");
  uint64_t link, label, skipped;
  __asm__ volatile(NORVC("li %2, 0\njal %0, 1f\nli %2, 1\n1: lla %1, 1b")
                   : "=&r"(link), "=&r"(label), "=&r"(skipped));
  CHECK_EQ("jal link", link, label - 4);
  CHECK_EQ("jal skips", skipped, 0);
  __asm__ volatile(NORVC("lla t0, 1f\njalr %0, 0(t0)\n1: lla %1, 1b")
                   : "=&r"(link), "=&r"(label)::"t0");
  CHECK_EQ("jalr link", link, label);
  __asm__ volatile(NORVC("li %2, 0\nlla t0, 1f\njalr %0, 1(t0)\nli %2, 1\n1: lla %1, 1b")
                   : "=&r"(link), "=&r"(label), "=&r"(skipped)::"t0");
  CHECK_EQ("jalr clears bit 0", skipped, 0);
  CHECK_EQ("jalr odd link", link, label - 4);
  __asm__ volatile(NORVC("li %2, 0\nlla t0, 1f\naddi t0, t0, 8\njalr %0, -8(t0)\nli %2, 1\n1: lla %1, 1b")
                   : "=&r"(link), "=&r"(label), "=&r"(skipped)::"t0");
  CHECK_EQ("jalr negative offset", skipped, 0);
  __asm__ volatile(NORVC("lla %0, 1f\njalr %0, 0(%0)\n1: lla %1, 1b") : "=&r"(link), "=&r"(label));
  CHECK_EQ("jalr rd == rs1", link, label);
  rt_check_group_end();
}
