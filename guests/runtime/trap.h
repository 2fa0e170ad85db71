/* Trap handling for guests: the saved frame, per-cause handler hooks, and an
 * "expect a trap" helper for tests that provoke exceptions on purpose.
 * Unhandled traps print the frame and end the run with status 0x7e. */
#ifndef GUESTS_RUNTIME_TRAP_H
#define GUESTS_RUNTIME_TRAP_H

#include <stdint.h>

typedef struct {
  uint64_t x[32]; /* x[2] is the interrupted sp; x[0] is unused */
  uint64_t mepc;
  uint64_t mcause;
  uint64_t mtval;
  uint64_t mstatus;
  int64_t vector; /* mtvec slot taken, -1 in direct mode */
  uint64_t pad;
} rt_trap_frame;

typedef void (*rt_trap_fn)(rt_trap_frame* f);

/* Point mtvec at the runtime's direct or vectored entry (the boot code picks direct). */
void rt_trap_use_direct(void);
void rt_trap_use_vectored(void);

/* Hooks (shared by all harts): interrupt `code` (mcause without the top bit,
 * 0..15) and synchronous exception `cause` (0..15). NULL removes the hook. */
void rt_set_irq_handler(unsigned code, rt_trap_fn fn);
void rt_set_exception_handler(unsigned cause, rt_trap_fn fn);

/* Expected traps on this hart: after rt_expect_trap(), the next synchronous
 * exception is recorded and execution resumes after the faulting instruction,
 * or at `resume_pc` if non-zero. A fetch fault resumes at ra (as if the call
 * or jump to the bad address had returned). An exception hook registered for
 * the cause takes precedence over the expectation. */
typedef struct {
  int taken;
  uint64_t cause;
  uint64_t tval;
  uint64_t epc;
} rt_trap_record;

void rt_expect_trap(uint64_t resume_pc);
/* Disarms and returns what happened since rt_expect_trap. */
rt_trap_record rt_expect_trap_end(void);

/* Length in bytes (2 or 4) of the instruction at pc. */
unsigned rt_insn_length(uint64_t pc);

#endif
