/* CSR access helpers (Zicsr) and the machine-mode CSR bit names the guests use.
 * CSR numbers must be compile-time constants, hence macros around inline asm. */
#ifndef GUESTS_RUNTIME_CSR_H
#define GUESTS_RUNTIME_CSR_H

#include <stdint.h>

#define csr_read(csr)                                        \
  ({                                                         \
    uint64_t v_;                                             \
    __asm__ volatile("csrr %0, " #csr : "=r"(v_)::"memory"); \
    v_;                                                      \
  })
#define csr_write(csr, val) \
  __asm__ volatile("csrw " #csr ", %0" ::"rK"((uint64_t)(val)) : "memory")
#define csr_set(csr, bits) \
  __asm__ volatile("csrs " #csr ", %0" ::"rK"((uint64_t)(bits)) : "memory")
#define csr_clear(csr, bits) \
  __asm__ volatile("csrc " #csr ", %0" ::"rK"((uint64_t)(bits)) : "memory")
#define csr_swap(csr, val)                                                    \
  ({                                                                          \
    uint64_t v_;                                                              \
    __asm__ volatile("csrrw %0, " #csr ", %1" : "=r"(v_) : "rK"((uint64_t)(val)) \
                     : "memory");                                             \
    v_;                                                                       \
  })

#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_MPP_MASK (3ull << 11)
#define MSTATUS_MPP_M (3ull << 11)
#define MSTATUS_MPP_U (0ull << 11)

#define IRQ_M_SOFT 3
#define IRQ_M_TIMER 7
#define IRQ_M_EXT 11
#define MIE_MSIE (1ull << IRQ_M_SOFT)
#define MIE_MTIE (1ull << IRQ_M_TIMER)
#define MIE_MEIE (1ull << IRQ_M_EXT)

#define MCAUSE_INTERRUPT (1ull << 63)
#define CAUSE_FETCH_MISALIGNED 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSN 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11

static inline uint64_t rt_hartid(void) { return csr_read(mhartid); }

/* The `time` CSR (rdtime): the board's mtime, read without a trap. */
static inline uint64_t rt_rdtime(void) {
  uint64_t v;
  __asm__ volatile("rdtime %0" : "=r"(v)::"memory");
  return v;
}

static inline void rt_irq_enable(void) { csr_set(mstatus, MSTATUS_MIE); }
static inline void rt_irq_disable(void) { csr_clear(mstatus, MSTATUS_MIE); }
static inline void rt_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

/* Sleeps until an interrupt enabled in mie is pending, then lets it be taken.
 * Call with mstatus.MIE clear: WFI wakes on pending-and-enabled even then, so an
 * interrupt cannot slip in between the caller's check of its flag and the WFI
 * (with MIE set it could, and the hart would sleep past it). */
static inline void rt_idle(void) {
  rt_wfi();
  rt_irq_enable();
  rt_irq_disable();
}

#endif
