/* C side of the trap path: dispatch to hooks, record expected exceptions,
 * report anything unexpected and fail the run. */
#include "runtime/trap.h"

#include "runtime/csr.h"
#include "runtime/exit.h"
#include "runtime/layout.h"
#include "runtime/print.h"

_Static_assert(sizeof(rt_trap_frame) == RT_FRAME_SIZE, "frame layout matches layout.h");
_Static_assert(__builtin_offsetof(rt_trap_frame, mepc) == RT_FRAME_MEPC, "mepc slot");
_Static_assert(__builtin_offsetof(rt_trap_frame, vector) == RT_FRAME_VECTOR, "vector slot");

extern char rt_trap_entry[];
extern char rt_vector_table[];

static rt_trap_fn irq_hooks[16];
static rt_trap_fn exception_hooks[16];

typedef struct {
  int armed;
  uint64_t resume_pc;
  rt_trap_record record;
} expectation;
static expectation expected[RT_MAX_HARTS];

void rt_trap_use_direct(void) { csr_write(mtvec, (uint64_t)(uintptr_t)rt_trap_entry); }
void rt_trap_use_vectored(void) { csr_write(mtvec, (uint64_t)(uintptr_t)rt_vector_table | 1); }

void rt_set_irq_handler(unsigned code, rt_trap_fn fn) { irq_hooks[code & 15] = fn; }
void rt_set_exception_handler(unsigned cause, rt_trap_fn fn) { exception_hooks[cause & 15] = fn; }

void rt_expect_trap(uint64_t resume_pc) {
  expectation* e = &expected[rt_hartid()];
  e->record = (rt_trap_record){0, 0, 0, 0};
  e->resume_pc = resume_pc;
  __asm__ volatile("" ::: "memory");
  e->armed = 1;
  __asm__ volatile("" ::: "memory");
}

rt_trap_record rt_expect_trap_end(void) {
  expectation* e = &expected[rt_hartid()];
  __asm__ volatile("" ::: "memory");
  e->armed = 0;
  return e->record;
}

unsigned rt_insn_length(uint64_t pc) {
  uint16_t low = *(const volatile uint16_t*)(uintptr_t)pc;
  return (low & 3) == 3 ? 4 : 2;
}

/* Where an expected exception resumes: after the faulting instruction, or for
 * a fetch fault (nothing to skip) at ra, i.e. as if the bad call returned. */
static uint64_t resume_after(const rt_trap_frame* f) {
  uint64_t cause = f->mcause;
  if (cause == CAUSE_FETCH_MISALIGNED || cause == CAUSE_FETCH_ACCESS || cause == 12) return f->x[1];
  return f->mepc + rt_insn_length(f->mepc);
}

__attribute__((noreturn)) static void unexpected(rt_trap_frame* f) {
  rt_printf("unexpected trap: hart %lu mcause 0x%lx mepc 0x%lx mtval 0x%lx\n", rt_hartid(),
            f->mcause, f->mepc, f->mtval);
  rt_exit(0x7e);
}

void rt_trap(rt_trap_frame* f);
void rt_trap(rt_trap_frame* f) {
  uint64_t code = f->mcause & ~MCAUSE_INTERRUPT;
  if (f->mcause & MCAUSE_INTERRUPT) {
    if (code < 16 && irq_hooks[code]) {
      irq_hooks[code](f);
      return;
    }
    unexpected(f);
  }
  if (code < 16 && exception_hooks[code]) {
    exception_hooks[code](f);
    return;
  }
  expectation* e = &expected[rt_hartid()];
  if (e->armed) {
    e->armed = 0;
    e->record = (rt_trap_record){1, f->mcause, f->mtval, f->mepc};
    f->mepc = e->resume_pc ? e->resume_pc : resume_after(f);
    return;
  }
  unexpected(f);
}
