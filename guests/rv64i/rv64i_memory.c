/* RV64I loads and stores of every width (sign and zero extension, negative
 * offsets, partial stores), FENCE.I after rewriting code, and the Zicsr forms. */
#include "common/ops.h"
#include "runtime/rt.h"
#include "rv64i/rv64i.h"

static uint64_t buf[4];

#define LOAD(insn, base, off)                                                        \
  ({                                                                                 \
    uint64_t v_;                                                                     \
    __asm__ volatile(NORVC(insn " %0, %2(%1)") : "=r"(v_) : "r"(base), "i"(off) : "memory"); \
    v_;                                                                              \
  })
#define STORE(insn, base, off, value) \
  __asm__ volatile(NORVC(insn " %1, %2(%0)") ::"r"(base), "r"((uint64_t)(value)), "i"(off) : "memory")

void test_loads_stores(void) {
  rt_check_group("loads-stores");
  uint8_t* p = (uint8_t*)buf;
  STORE("sd", p, 0, 0x8182838485868788);
  STORE("sd", p, 8, 0x0102030405060708);
  CHECK_EQ("ld", LOAD("ld", p, 0), 0x8182838485868788);
  CHECK_EQ("lb sign", LOAD("lb", p, 0), 0xffffffffffffff88);
  CHECK_EQ("lbu", LOAD("lbu", p, 0), 0x88);
  CHECK_EQ("lb pos", LOAD("lb", p, 8), 0x08);
  CHECK_EQ("lh sign", LOAD("lh", p, 0), 0xffffffffffff8788);
  CHECK_EQ("lhu", LOAD("lhu", p, 0), 0x8788);
  CHECK_EQ("lh top", LOAD("lh", p, 6), 0xffffffffffff8182);
  CHECK_EQ("lw sign", LOAD("lw", p, 0), 0xffffffff85868788);
  CHECK_EQ("lwu", LOAD("lwu", p, 0), 0x85868788);
  CHECK_EQ("lw high half", LOAD("lw", p, 4), 0xffffffff81828384);
  CHECK_EQ("lw pos", LOAD("lw", p, 8), 0x05060708);
  CHECK_EQ("lwu pos", LOAD("lwu", p, 12), 0x01020304);
  CHECK_EQ("ld negative offset", LOAD("ld", p + 16, -8), 0x0102030405060708);
  CHECK_EQ("lbu negative offset", LOAD("lbu", p + 16, -1), 0x01);
  STORE("sd", p, 16, 0);
  STORE("sb", p, 16, 0xffffffffffffffab);
  STORE("sh", p, 18, 0x1234cdef);
  STORE("sw", p, 20, 0xaaaaaaaa12345678);
  CHECK_EQ("partial stores", LOAD("ld", p, 16), 0x12345678cdef00ab);
  STORE("sd", p, 24, 0x1111111111111111);
  STORE("sb", p + 32, -1, 0x99);
  STORE("sh", p + 32, -4, 0x7788);
  CHECK_EQ("negative-offset stores", LOAD("ld", p, 24), 0x9911778811111111);
  rt_check_group_end();
}

/* A two-instruction function in RAM: addi a0, zero, imm ; ret. */
static uint32_t code[2] __attribute__((aligned(8)));

static uint64_t call_code(void) {
  uint64_t r;
  __asm__ volatile("jalr ra, 0(%1)\nmv %0, a0" : "=r"(r) : "r"(code) : "ra", "a0", "memory");
  return r;
}

static void write_code(uint32_t imm) {
  code[0] = (imm << 20) | (10u << 7) | 0x13u; /* addi a0, zero, imm */
  code[1] = 0x00008067u;                       /* jalr zero, 0(ra) */
  __asm__ volatile("fence.i" ::: "memory");
}

void test_fence_i(void) {
  rt_check_group("fence.i");
  __asm__ volatile("fence rw, rw\nfence iorw, iorw\nfence.i" ::: "memory");
  write_code(42);
  CHECK_EQ("runs written code", call_code(), 42);
  write_code(43);
  CHECK_EQ("sees rewritten code", call_code(), 43);
  rt_check_group_end();
}

void test_zicsr(void) {
  rt_check_group("zicsr");
  /* mscratch holds the trap stack; nothing can trap here, so borrow it. */
  uint64_t saved = csr_read(mscratch);
  uint64_t r0, r1, r2, r3, r4, r5, r6;
  __asm__ volatile(
      NORVC("li t0, 0x1234\ncsrrw %0, mscratch, t0\n"
            "li t0, 0xf0\ncsrrs %1, mscratch, t0\n"
            "li t0, 0x204\ncsrrc %2, mscratch, t0\n"
            "csrrwi %3, mscratch, 17\n"
            "csrrsi %4, mscratch, 8\n"
            "csrrci %5, mscratch, 1\n"
            "csrrs %6, mscratch, zero")
      : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3), "=&r"(r4), "=&r"(r5), "=&r"(r6)::"t0");
  csr_write(mscratch, saved);
  CHECK_EQ("csrrw old", r0, saved);
  CHECK_EQ("csrrs old", r1, 0x1234);
  CHECK_EQ("csrrc old", r2, 0x12f4);
  CHECK_EQ("csrrwi old", r3, 0x10f0);
  CHECK_EQ("csrrsi old", r4, 17);
  CHECK_EQ("csrrci old", r5, 25);
  CHECK_EQ("csrr final", r6, 24);
  uint64_t i0 = csr_read(minstret);
  __asm__ volatile("nop\nnop\nnop\nnop");
  uint64_t i1 = csr_read(minstret);
  CHECK("minstret advances", i1 > i0);
  uint64_t c0 = csr_read(mcycle);
  __asm__ volatile("nop\nnop\nnop\nnop");
  uint64_t c1 = csr_read(mcycle);
  CHECK("mcycle advances", c1 > c0);
  CHECK("instret readable", csr_read(instret) >= i1);
  CHECK_EQ("misa says rv64", csr_read(misa) >> 62, 2);
  uint64_t misa = csr_read(misa);
  CHECK("misa has I M A C", (misa & 0x1105) == 0x1105);
  CHECK_EQ("mhartid", csr_read(mhartid), 0);
  rt_check_group_end();
}
