/* The C side of the cost experiment's traps. M mode is the "firmware": it
 * handles the path's device interrupts, and for (d) the SBI set_timer call
 * and the forwarding of the M timer interrupt to S as STIP, as OpenSBI does
 * (write mtimecmp, clear STIP, enable MTIE; on MTI: disable MTIE, raise STIP).
 * S mode is the "kernel": its timer handler acknowledges the way Linux's
 * RISC-V timer driver does (SBI: clear sie.STIE; Sstc: stimecmp = max).
 * Every handler counts itself in tc_trap_count; a path's event handler
 * records the entry stamp and bumps tc_fired. Anything else ends the run. */
#include "runtime/rt.h"
#include "timer_cost/timer_cost.h"

#define IRQ_S_TIMER 5
#define MIP_STIP (1ull << IRQ_S_TIMER)

typedef struct {
  uint64_t x[32]; /* x[0] and x[2] unused */
  uint64_t stamp; /* reference time at entry (interrupts only) */
  uint64_t pad;
} tc_frame;
_Static_assert(sizeof(tc_frame) == TC_FRAME_SIZE, "frame size matches the entry");
_Static_assert(__builtin_offsetof(tc_frame, stamp) == TC_FRAME_STAMP, "stamp slot");

extern char tc_resume_m[];

volatile uint64_t tc_trap_count;
volatile uint64_t tc_fired;
volatile uint64_t tc_fired_stamp;

static const tc_board* board;
static volatile tc_path current;
static uint8_t s_trap_stack[4096] __attribute__((aligned(16)));

void tc_traps_install(const tc_board* b) {
  board = b;
  csr_write(mtvec, (uintptr_t)tc_mtrap);
  csr_write(stvec, (uintptr_t)tc_strap);
  csr_write(sscratch, (uintptr_t)(s_trap_stack + sizeof(s_trap_stack)));
}

void tc_traps_set_path(tc_path path) { current = path; }

static void event(uint64_t stamp) {
  tc_fired_stamp = stamp;
  tc_fired = tc_fired + 1;
}

__attribute__((noreturn)) static void fatal(const char* mode, uint64_t cause, uint64_t epc) {
  rt_printf("timer_cost: unexpected %s-mode trap: cause 0x%lx epc 0x%lx (path %u)\n", mode, cause,
            epc, (unsigned)current);
  rt_exit(0x7e);
}

static void m_interrupt(tc_frame* f, uint64_t code) {
  if (code == IRQ_M_TIMER) {
    if (current == TC_PATH_SBI_S) { /* firmware: hand the timer to S */
      csr_clear(mie, MIE_MTIE);
      csr_set(mip, MIP_STIP);
      return;
    }
    if (current == TC_PATH_CLINT_M) {
      clint_disarm(0);
      event(f->stamp);
      return;
    }
  } else if (code == IRQ_M_EXT) {
    uint32_t src = plic_claim_m(0);
    if (src == board->lapic_irq && (current == TC_PATH_LAPIC_ONESHOT ||
                                    current == TC_PATH_LAPIC_TSC_DEADLINE)) {
      mmio_write32(board->lapic + 0x0B0, 0); /* EOI */
    } else if (src == board->pvce_irq && current == TC_PATH_PV) {
      mmio_write32(board->pvce + 0x08, 1); /* STATUS.PENDING: write 1 to clear */
    } else {
      fatal("M (PLIC source)", src, csr_read(mepc));
    }
    plic_complete_m(0, src);
    event(f->stamp);
    return;
  }
  fatal("M", csr_read(mcause), csr_read(mepc));
}

void tc_m_trap(tc_frame* f);
void tc_m_trap(tc_frame* f) {
  tc_trap_count = tc_trap_count + 1;
  uint64_t cause = csr_read(mcause);
  if (cause & MCAUSE_INTERRUPT) {
    m_interrupt(f, cause & ~MCAUSE_INTERRUPT);
    return;
  }
  if (cause == CAUSE_ECALL_S) {
    uint64_t eid = f->x[17];
    csr_write(mepc, csr_read(mepc) + 4);
    if (eid == TC_SBI_EID_TIME) { /* sbi_set_timer(a0) */
      clint_set_mtimecmp(0, f->x[10]);
      csr_clear(mip, MIP_STIP);
      csr_set(mie, MIE_MTIE);
      f->x[10] = 0; /* SBI_SUCCESS */
      return;
    }
    if (eid == TC_EID_LEAVE_SMODE) {
      csr_write(mepc, (uintptr_t)tc_resume_m);
      csr_set(mstatus, MSTATUS_MPP_M);
      return;
    }
  }
  fatal("M", cause, csr_read(mepc));
}

void tc_s_trap(tc_frame* f);
void tc_s_trap(tc_frame* f) {
  tc_trap_count = tc_trap_count + 1;
  uint64_t cause = csr_read(scause);
  if (cause == (MCAUSE_INTERRUPT | IRQ_S_TIMER)) {
    if (current == TC_PATH_SSTC_S) {
      csr_write(0x14d, UINT64_MAX); /* stimecmp: never; lowers STIP */
    } else {
      csr_clear(sie, MIP_STIP); /* STIE off until the next programming */
    }
    event(f->stamp);
    return;
  }
  fatal("S", cause, csr_read(sepc));
}
