/* S-mode support for guests: an S-mode trap entry with its own frame,
 * per-cause hooks and "expect a trap" (the S-mode twins of trap.h), and helpers
 * that run a function in S or U mode from M mode and come back.
 *
 * Not part of every guest: a program that uses S mode lists runtime/strap.c,
 * runtime/strap_entry.S and runtime/lower.S among its own sources.
 *
 * S-mode code cannot read mhartid, so it must not print (rt_printf takes a
 * per-hart lock) nor use CHECK (which prints on failure): record values in S
 * and check them in M. The S-mode state here is for hart 0 only. */
#ifndef GUESTS_RUNTIME_STRAP_H
#define GUESTS_RUNTIME_STRAP_H

/* S trap frame: x0..x31 (x2 = interrupted sp), then sepc, scause, stval, sstatus. */
#define RT_SFRAME_SEPC 256
#define RT_SFRAME_SCAUSE 264
#define RT_SFRAME_STVAL 272
#define RT_SFRAME_SSTATUS 280
#define RT_SFRAME_SIZE 288

/* a7 of the ecall by which code run through rt_run_lower returns to M mode,
 * and of the one by which the S runtime reports an unexpected S trap. */
#define RT_ECALL_RETURN 0x5eca11
#define RT_ECALL_SFAIL 0x5efa11

#define RT_MODE_U 0
#define RT_MODE_S 1

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "runtime/trap.h"

#define SSTATUS_SIE (1ull << 1)
#define SSTATUS_SPIE (1ull << 5)
#define SSTATUS_SPP (1ull << 8)
#define SSTATUS_SUM (1ull << 18)
#define SSTATUS_MXR (1ull << 19)
#define MSTATUS_MPP_S (1ull << 11)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)

#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)

#define MENVCFG_STCE (1ull << 63)

#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15

typedef struct {
  uint64_t x[32];
  uint64_t sepc;
  uint64_t scause;
  uint64_t stval;
  uint64_t sstatus;
} rt_strap_frame;

typedef void (*rt_strap_fn)(rt_strap_frame* f);

/* Points stvec at the S entry (direct mode) and sscratch at hart 0's S trap
 * stack. Call in M mode before running anything in S mode that may trap. */
void rt_strap_install(void);

/* Hooks for traps taken in S mode: interrupt `code` (0..15) and exception
 * `cause` (0..15). NULL removes the hook. */
void rt_set_sirq_handler(unsigned code, rt_strap_fn fn);
void rt_set_sexception_handler(unsigned cause, rt_strap_fn fn);

/* Expected exceptions taken in S mode, like rt_expect_trap: the next one is
 * recorded (cause, stval, sepc) and execution resumes after the faulting
 * instruction, at ra for a fetch fault (cause 1 or 12), or at `resume_pc` if
 * non-zero. Callable from S mode (and from M before entering S). */
void rt_sexpect_trap(uint64_t resume_pc);
rt_trap_record rt_sexpect_trap_end(void);

/* Runs fn(arg) in U (RT_MODE_U) or S (RT_MODE_S) mode on the current stack and
 * returns its result in M mode. fn returns into rt_lower_exit, which ecalls
 * with a7 = RT_ECALL_RETURN; rt_lower_install() catches that ecall in M (from
 * U or S). If medeleg sends U ecalls to S, the S runtime passes the return on
 * to M. mstatus.MIE is 0 again on return. */
uint64_t rt_run_lower(unsigned mode, uint64_t (*fn)(uint64_t), uint64_t arg);
/* The same with the addresses the lower mode sees (paging aliases): fn, the
 * stack pointer (0 = the current one) and the exit stub (0 = rt_lower_exit). */
uint64_t rt_run_lower_at(unsigned mode, uint64_t fn, uint64_t arg, uint64_t sp, uint64_t exit_pc);
extern char rt_lower_exit[];

/* Installs the M-mode hooks for ECALL from U and from S: RT_ECALL_RETURN goes
 * back to rt_run_lower's caller; any other ecall is recorded (rt_lower_ecall)
 * and returns to the caller's next instruction with a0 = mcause. */
void rt_lower_install(void);
typedef struct {
  uint64_t count;
  uint64_t cause;
  uint64_t epc;
  uint64_t a7;
  uint64_t mstatus; /* as the ecall found it (MPP = the mode it came from) */
} rt_ecall_record;
rt_ecall_record rt_lower_last_ecall(void);
/* For an M hook of another trap that ends code run by rt_run_lower (e.g. an
 * ebreak, while medeleg sends ecalls from S to S): resume rt_run_lower's
 * caller in M with the frame's a0 as the result. */
void rt_lower_return_from(rt_trap_frame* f);

/* From S mode: the return-to-M ecall with a0 = value (what rt_strap does for
 * a delegated RT_ECALL_RETURN from U or S; it cannot reach M while medeleg
 * delegates ecalls from S too). */
__attribute__((noreturn)) void rt_s_return_to_m(uint64_t value);

/* Length (2 or 4) of the instruction at pc, read from S mode with SUM and MXR
 * set for the read, so U pages and execute-only pages can be read. */
unsigned rt_s_insn_length(uint64_t pc);
#endif

#endif
