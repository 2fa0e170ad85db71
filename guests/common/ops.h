/* One-instruction probes for ISA tests: run exactly the named instruction on
 * register operands and return rd. `.option norvc` keeps the 32-bit encoding,
 * so these test the base forms; compressed forms are tested in rv64c. */
#ifndef GUESTS_COMMON_OPS_H
#define GUESTS_COMMON_OPS_H

#include <stdint.h>

#define NORVC(text) ".option push\n.option norvc\n" text "\n.option pop"

/* rd = insn rs1, rs2 */
#define OP_RR(insn, a, b)                                                    \
  ({                                                                         \
    uint64_t r_;                                                             \
    __asm__ volatile(NORVC(insn " %0, %1, %2")                               \
                     : "=r"(r_)                                              \
                     : "r"((uint64_t)(a)), "r"((uint64_t)(b)));              \
    r_;                                                                      \
  })

/* rd = insn rs1, imm */
#define OP_RI(insn, a, imm)                                                                \
  ({                                                                                       \
    uint64_t r_;                                                                           \
    __asm__ volatile(NORVC(insn " %0, %1, %2") : "=r"(r_) : "r"((uint64_t)(a)), "i"(imm)); \
    r_;                                                                                    \
  })

/* rd = insn imm (lui) */
#define OP_I(insn, imm)                                             \
  ({                                                                \
    uint64_t r_;                                                    \
    __asm__ volatile(NORVC(insn " %0, %1") : "=r"(r_) : "i"(imm)); \
    r_;                                                             \
  })

/* 1 if `insn rs1, rs2, target` branches, else 0. */
#define BRANCH_TAKEN(insn, a, b)                                                        \
  ({                                                                                    \
    uint64_t t_;                                                                        \
    __asm__ volatile(NORVC("li %0, 1\n" insn " %1, %2, 1f\nli %0, 0\n1:")               \
                     : "=&r"(t_)                                                        \
                     : "r"((uint64_t)(a)), "r"((uint64_t)(b)));                         \
    t_;                                                                                 \
  })

#endif
