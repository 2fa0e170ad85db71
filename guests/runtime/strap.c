/* C side of the S-mode trap path (strap_entry.S) and the M-mode hooks that
 * bring code run by rt_run_lower back to M mode. See strap.h. */
#include "runtime/strap.h"

#include "runtime/csr.h"
#include "runtime/exit.h"
#include "runtime/layout.h"
#include "runtime/print.h"

_Static_assert(sizeof(rt_strap_frame) == RT_SFRAME_SIZE, "S frame layout matches strap.h");
_Static_assert(__builtin_offsetof(rt_strap_frame, sepc) == RT_SFRAME_SEPC, "sepc slot");
_Static_assert(__builtin_offsetof(rt_strap_frame, sstatus) == RT_SFRAME_SSTATUS, "sstatus slot");

extern char rt_strap_entry[];
extern char rt_lower_resume[];
extern uint64_t rt_lower_saved_sp;

static uint8_t s_trap_stack[RT_TRAP_STACK_SIZE] __attribute__((aligned(16)));
static rt_strap_fn sirq_hooks[16];
static rt_strap_fn sexception_hooks[16];

/* One expectation: S-mode code cannot read mhartid, and only hart 0 uses S mode. */
static volatile int s_armed;
static uint64_t s_resume_pc;
static rt_trap_record s_record;

static rt_ecall_record last_ecall;

void rt_strap_install(void) {
  csr_write(stvec, (uint64_t)(uintptr_t)rt_strap_entry);
  csr_write(sscratch, (uint64_t)(uintptr_t)(s_trap_stack + sizeof s_trap_stack));
}

void rt_set_sirq_handler(unsigned code, rt_strap_fn fn) { sirq_hooks[code & 15] = fn; }
void rt_set_sexception_handler(unsigned cause, rt_strap_fn fn) { sexception_hooks[cause & 15] = fn; }

void rt_sexpect_trap(uint64_t resume_pc) {
  s_record = (rt_trap_record){0, 0, 0, 0};
  s_resume_pc = resume_pc;
  __asm__ volatile("" ::: "memory");
  s_armed = 1;
  __asm__ volatile("" ::: "memory");
}

rt_trap_record rt_sexpect_trap_end(void) {
  __asm__ volatile("" ::: "memory");
  s_armed = 0;
  return s_record;
}

unsigned rt_s_insn_length(uint64_t pc) {
  uint64_t saved = csr_read(sstatus);
  csr_set(sstatus, SSTATUS_SUM | SSTATUS_MXR);
  uint16_t low = *(const volatile uint16_t*)(uintptr_t)pc;
  csr_write(sstatus, saved);
  return (low & 3) == 3 ? 4 : 2;
}

/* S mode has nothing to print with (no mhartid for the print lock): M prints
 * the trap for it (ecall RT_ECALL_SFAIL) and ends the run with status 0x7d. */
__attribute__((noreturn)) static void s_unexpected(rt_strap_frame* f) {
  register uint64_t a0 __asm__("a0") = f->scause;
  register uint64_t a1 __asm__("a1") = f->sepc;
  register uint64_t a2 __asm__("a2") = f->stval;
  register uint64_t a7 __asm__("a7") = RT_ECALL_SFAIL;
  __asm__ volatile("ecall" : : "r"(a0), "r"(a1), "r"(a2), "r"(a7) : "memory");
  rt_exit(0x7d); /* if ecalls from S are delegated to S themselves */
}

void rt_strap(rt_strap_frame* f);
void rt_strap(rt_strap_frame* f) {
  const uint64_t code = f->scause & ~MCAUSE_INTERRUPT;
  if (f->scause & MCAUSE_INTERRUPT) {
    if (code < 16 && sirq_hooks[code]) {
      sirq_hooks[code](f);
      return;
    }
    s_unexpected(f);
  }
  if (code == CAUSE_ECALL_U && f->x[17] == RT_ECALL_RETURN) rt_s_return_to_m(f->x[10]);
  /* A return from S while ecalls from S come to S: only a hook of the program
   * can reach M (another ecall would come back here). */
  if (code == CAUSE_ECALL_S && f->x[17] == RT_ECALL_RETURN && !sexception_hooks[code]) {
    rt_exit(0x7c);
  }
  if (code < 16 && sexception_hooks[code]) {
    sexception_hooks[code](f);
    return;
  }
  if (s_armed) {
    s_armed = 0;
    s_record = (rt_trap_record){1, f->scause, f->stval, f->sepc};
    if (s_resume_pc) {
      f->sepc = s_resume_pc;
    } else if (code == CAUSE_FETCH_MISALIGNED || code == CAUSE_FETCH_ACCESS ||
               code == CAUSE_FETCH_PAGE_FAULT) {
      f->sepc = f->x[1];
    } else {
      f->sepc += rt_s_insn_length(f->sepc);
    }
    return;
  }
  s_unexpected(f);
}

void rt_lower_return_from(rt_trap_frame* f) {
  f->mepc = (uint64_t)(uintptr_t)rt_lower_resume;
  f->mstatus = (f->mstatus & ~(MSTATUS_MPP_MASK | MSTATUS_MPIE)) | MSTATUS_MPP_M;
  f->x[2] = rt_lower_saved_sp;
}

/* M mode: ecall from U or S. */
static void on_lower_ecall(rt_trap_frame* f) {
  if (f->x[17] == RT_ECALL_RETURN) {
    rt_lower_return_from(f);
    return;
  }
  if (f->x[17] == RT_ECALL_SFAIL) {
    rt_printf("unexpected S-mode trap: scause 0x%lx sepc 0x%lx stval 0x%lx\n", f->x[10], f->x[11],
              f->x[12]);
    rt_exit(0x7d);
  }
  last_ecall.count++;
  last_ecall.mstatus = f->mstatus;
  last_ecall.cause = f->mcause;
  last_ecall.epc = f->mepc;
  last_ecall.a7 = f->x[17];
  f->x[10] = f->mcause;
  f->mepc += 4;
}

void rt_lower_install(void) {
  rt_set_exception_handler(CAUSE_ECALL_U, on_lower_ecall);
  rt_set_exception_handler(CAUSE_ECALL_S, on_lower_ecall);
}

rt_ecall_record rt_lower_last_ecall(void) { return last_ecall; }
