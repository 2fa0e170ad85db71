// Hart: one RV64IMAFDC hart (Zicsr, Zifencei) interpreting cached,
// predecoded basic blocks against a HartEnv. run(budget) retires at most exactly
// `budget` instructions and charges each block once; device accesses and time
// reads first report the exact retired count through HartEnv::sync().
// M, S and U modes with Sv39/Sv48 paging (translation.cc) and Sstc.
// PMP (pmp.h) is checked when a translation is cached, so hits cost nothing.
// Leaves out (for now): ASIDs (SFENCE.VMA flushes all).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>

#include "vtime/riscv/block_cache.h"
#include "vtime/riscv/csr.h"
#include "vtime/riscv/decoder.h"
#include "vtime/riscv/hart_env.h"
#include "vtime/riscv/op.h"
#include "vtime/riscv/pmp.h"
#include "vtime/state/state_stream.h"

namespace vtime::riscv {

enum class StopReason : uint8_t {
  kBudgetExhausted,   // retired exactly the budget (or what shrink_budget left)
  kWaitForInterrupt,  // WFI retired; run() returns at once until wakeup_pending()
  kExitRequested,     // request_exit() was called
  kTrapLoop,          // many traps in a row without retiring anything: the guest is stuck
};

struct RunResult {
  uint64_t executed = 0;  // instructions retired in this run()
  StopReason reason = StopReason::kBudgetExhausted;
};

// Sees every instruction before it executes (for -d in_asm style traces and
// debugging). Tracing builds one-instruction blocks, so it is slow; off costs
// one test per block.
class InsnTracer {
 public:
  virtual ~InsnTracer() = default;
  // `raw` holds 16 bits when `len` is 2; `mnemonic` is the table row's
  // ("illegal" when none matches; compressed forms give their 32-bit row's).
  virtual void on_insn(uint64_t pc, uint32_t raw, unsigned len, const char* mnemonic) = 0;
};

struct HartOptions {
  uint64_t hart_id = 0;
  uint64_t reset_pc = 0x1000;
};

class Hart {
 public:
  Hart(HartEnv& env, HartOptions options);
  Hart(const Hart&) = delete;
  Hart& operator=(const Hart&) = delete;

  // Retires at most `budget` instructions (0 returns at once). Interrupts are
  // taken between blocks; a block longer than what is left runs only its prefix.
  RunResult run(uint64_t budget);

  // Thread-safe: the running (or next) run() returns kExitRequested at the next
  // block boundary. Each request stops one run().
  void request_exit();
  // From inside HartEnv callbacks (same thread): the current run() retires at
  // most `more` instructions after the ones reported so far through sync(). The
  // instruction doing the access still completes, so the run stops right after
  // it when `more` is 0. Never grows the budget.
  void shrink_budget(uint64_t more);

  // Thread-safe: raises (level true) or lowers the mip bits in `bits` (irq::k*)
  // that the board drives. Noticed at the next block boundary.
  void set_pending(uint64_t bits, bool level);
  uint64_t pending() const;           // mip as the guest reads it
  bool waiting_for_interrupt() const { return waiting_; }
  // Whether a WFI would wake up now: some interrupt is both pending and enabled
  // in mie, whatever mstatus.MIE says.
  bool wakeup_pending() const;

  // Forget every cached block (the board changed guest code behind the hart's
  // back, e.g. loading a program or DMA into code).
  void invalidate_code();
  // Starts (non-null) or stops (nullptr) tracing; not owned. Between runs.
  void set_tracer(InsnTracer* tracer);
  // Forget every cached host page pointer (the board changed its memory map).
  void flush_tlb();
  // Architectural reset: M mode, pc = reset_pc, mstatus.MIE = 0, caches dropped.
  // Like set_pc(), call it between runs (e.g. after a reboot request made the
  // run stop through request_exit()), not from inside a HartEnv callback, where
  // the instruction being completed would overwrite the pc.
  void reset();

  // Snapshot (docs/snapshot.md): x and f registers, pc, privilege, every
  // CSR, the LR reservation, the mip bits the board drives, WFI and the retired
  // count. Cached blocks and TLBs are not saved: load() drops them and they are
  // rebuilt. Between runs; load() changes nothing unless all of it read cleanly.
  void save(StateWriter& out) const;
  void load(StateReader& in);

  uint64_t pc() const { return pc_; }
  void set_pc(uint64_t pc) { pc_ = pc; }
  uint64_t reg(unsigned r) const { return x_[r]; }
  void set_reg(unsigned r, uint64_t value) { if (r != 0) x_[r] = value; }
  Priv priv() const { return priv_; }
  const CsrFile& csrs() const { return csr_; }
  uint64_t hart_id() const { return hart_id_; }
  // Instructions retired since construction (not affected by minstret writes).
  uint64_t retired() const { return retired_total_; }
  size_t cached_blocks() const { return blocks_.size(); }
  const Decoder& decoder() const { return decoder_; }

  // ---- Used by the instruction handlers (isa_*.cc); not for the board. ----
  uint64_t x(unsigned r) const { return x_[r]; }
  void set_x(unsigned r, uint64_t value) { x_[r] = value; }
  // `op` completed (it retires); the block ends and execution goes on at `next`.
  const Op* leave(const Op* op, uint64_t next) {
    pc_ = next;
    exit_op_ = op;
    exit_retired_ = true;
    return nullptr;
  }
  // `op` completed and control goes to `target`, the successor `slot` of this
  // block (0: jump or taken branch, 1: fall-through). Block chaining: when the
  // block was linked to the block at `target`, that block fits in what is left
  // of the budget and nothing needs attention, the run continues straight into
  // it (charging this block); otherwise the block ends as with leave() and the
  // dispatcher links the successor it finds.
  const Op* jump(const Op* op, uint64_t target, unsigned slot) {
    // Only a block's last Op jumps, so the whole block retires: from->count.
    const Block* from = cur_block_;
    Block* to = from->link[slot];
    const uint64_t done = run_retired_ + from->count;
    if (to != nullptr && from->link_gen == link_gen_ && to->pc == target &&
        done + to->count <= budget_end_ &&
        attention_.load(std::memory_order_relaxed) == 0) [[likely]] {
      run_retired_ = done;
      cur_block_ = to;
      return to->ops.get();
    }
    link_slot_ = static_cast<uint8_t>(slot);
    return leave(op, target);
  }
  // `op` raises a synchronous exception; it does not retire.
  const Op* trap(const Op* op, uint64_t cause, uint64_t tval);
  // The end-of-block Op after a block's last instruction: nothing retires.
  const Op* fall_through(const Op* op);

  template <class T> const Op* load(const Op* op, uint64_t addr);
  template <class T> const Op* store(const Op* op, uint64_t addr, T value);
  // LR / SC / AMO of 4 or 8 bytes (T = int32_t or int64_t); `fn` computes the
  // stored value from the old one and rs2 (nullptr for LR and SC).
  using AmoFn = uint64_t (*)(uint64_t old_value, uint64_t rs2);
  const Op* amo(const Op* op, unsigned size, AmoFn fn);
  const Op* load_reserved(const Op* op, unsigned size);
  const Op* store_conditional(const Op* op, unsigned size);

  enum class CsrOp : uint8_t { kWrite, kSet, kClear };
  // CSRRW/S/C and their immediate forms; `operand` is rs1's value or the zimm.
  const Op* csr_op(const Op* op, CsrOp kind, uint64_t operand);
  const Op* ebreak(const Op* op);
  const Op* illegal(const Op* op);
  const Op* mret(const Op* op);
  const Op* sret(const Op* op);
  const Op* sfence_vma(const Op* op);
  const Op* wfi(const Op* op);
  const Op* ecall(const Op* op);
  const Op* fence_i(const Op* op);

  // F/D state (isa_fp.h, isa_rv64f.cc, isa_rv64d.cc; loads in hart_fp.cc).
  uint64_t f(unsigned r) const { return f_[r]; }
  // Writes an f register (singles arrive NaN-boxed) and marks FS Dirty.
  void set_f(unsigned r, uint64_t value) {
    f_[r] = value;
    csr_.mstatus |= mstatus::kFs | mstatus::kSd;
  }
  bool fp_enabled() const { return (csr_.mstatus & mstatus::kFs) != 0; }
  unsigned frm() const { return csr_.frm; }
  // Accrues exception flags into fflags (which dirties FS when any are raised).
  void raise_fflags(uint8_t flags) {
    if (flags == 0) return;
    csr_.fflags = static_cast<uint8_t>(csr_.fflags | flags);
    csr_.mstatus |= mstatus::kFs | mstatus::kSd;
  }
  // FLW / FLD of `size` bytes into f[rd]; a single is NaN-boxed.
  const Op* load_fp(const Op* op, uint64_t addr, unsigned size);

 private:
  enum class Mem : uint8_t { kRam, kEndBlock, kTrapped };
  struct TlbEntry {
    uint64_t tag = ~uint64_t{0};  // virtual page number; ~0 = empty
    uint8_t* host = nullptr;
    uint64_t ppage = 0;           // the physical page it maps to
  };
  // Where a data access goes after translation: host memory (host != nullptr),
  // or a device at paddr; or a fault (cause; tval = the faulting address).
  struct Where {
    uint8_t* host = nullptr;
    uint64_t paddr = 0;
    std::optional<uint64_t> fault;
  };
  static constexpr size_t kTlbSize = 256;
  // Reasons to look up from the block loop; one load per block tests them all.
  static constexpr uint32_t kAttnIrq = 1, kAttnExit = 2, kAttnFlush = 4, kAttnWfi = 8, kAttnTrapLoop = 16;
  static constexpr unsigned kMaxBlockInsns = 64;
  static constexpr unsigned kTrapLoopLimit = 64;
  // A guest jumping to ever new addresses must not grow the cache without end:
  // past this many cached Ops (32 MiB) the cache starts over.
  static constexpr size_t kMaxCachedOps = size_t{1} << 20;

  static size_t tlb_index(uint64_t addr) { return (addr >> kPageBits) & (kTlbSize - 1); }
  static bool within_page(uint64_t addr, unsigned size) {
    return (addr & (kPageSize - 1)) <= kPageSize - size;
  }

  // Retired instructions in this run() before `op` (which is in the current block).
  uint64_t retired_before(const Op* op) const {
    return run_retired_ + static_cast<uint64_t>(op - cur_block_->ops.get());
  }
  void sync_before_io(const Op* op);
  Mem load_slow(const Op* op, uint64_t addr, unsigned size, uint64_t& value);
  Mem store_slow(const Op* op, uint64_t addr, unsigned size, uint64_t value);
  Where locate(uint64_t addr, unsigned size, PageAccess access);
  // An access that crosses into the next page: both halves translated (faults
  // raised in address order, tval = the faulting half's address) and both must
  // be memory (else an access fault of `access`'s kind). Nullopt when it trapped.
  struct Split {
    Where first, second;
    unsigned first_len;  // bytes in the first page
  };
  std::optional<Split> locate_split(const Op* op, uint64_t addr, unsigned size, PageAccess access);
  // Translates and PMP-checks an access of `size` bytes; caches the page in
  // the TLB when every access to it would pass the same way.
  Where fill_tlb(uint64_t addr, unsigned size, PageAccess access);

  // Paging (translation.cc). The privilege loads and stores use (MPRV).
  Priv data_priv() const;
  bool paging(Priv p) const { return p != Priv::kMachine && (csr_.satp >> satp::kModeShift) != 0; }
  // Virtual to physical for `access` at privilege `p`: nullopt with `paddr`
  // set, or the fault's cause (page fault, or access fault for a PTE outside RAM).
  std::optional<uint64_t> translate(uint64_t vaddr, PageAccess access, Priv p, uint64_t& paddr);
  // The physical pc of the block at pc_, through the fetch TLB; takes the
  // fetch fault and returns false when it cannot be fetched.
  bool fetch_paddr(uint64_t& paddr);
  // Something translation depends on changed (satp, mstatus, privilege,
  // SFENCE.VMA): forget cached translations. Free while paging and PMP are off.
  void translation_changed(bool always = false);
  // Instruction fetch goes through fetch_paddr (paging or PMP on).
  bool fetch_checked() const { return paging(priv_) || pmp_.active(); }
  // A PMP CSR changed: cached translations and blocks (whose straddling
  // instructions were checked when built) are dropped.
  void pmp_changed();
  void set_priv(Priv p);
  bool stce() const { return (csr_.menvcfg & menvcfg::kStce) != 0; }
  void stimecmp_changed(const Op* op);

  void take_trap(uint64_t cause, uint64_t tval, uint64_t epc);
  bool take_interrupt();
  void handle_attention();
  // Links `from` (the block run last, left through jump() without chaining) to
  // `to`, the block found at the jump's target.
  void link(Block* from, Block* to);
  // Forgets every block link (a block may be freed, or a translation changed).
  void unlink_all() {
    ++link_gen_;
    link_slot_ = kNoLink;  // the block jump() left may be gone
  }
  void clear_blocks() {
    blocks_.clear();
    unlink_all();
  }
  Block* block_at(uint64_t pc, uint64_t paddr);
  Block* prefix_of(const Block& b, uint64_t n);
  std::unique_ptr<Block> build_block(uint64_t pc, uint64_t paddr, uint64_t& end);
  std::optional<uint64_t> csr_read(uint16_t num, const Op* op);
  bool csr_write(uint16_t num, uint64_t value, const Op* op);
  // The CSRs whose writes do more than store a masked value (csr_write's parts).
  bool write_fcsr(uint16_t num, uint64_t value);
  bool write_mstatus(uint64_t value);
  bool write_satp(uint64_t value);
  bool counter_allowed(uint16_t num) const;

  HartEnv& env_;
  InsnTracer* tracer_ = nullptr;
  uint64_t hart_id_;
  uint64_t reset_pc_;
  Decoder decoder_;
  BlockCache blocks_;

  uint64_t x_[33] = {};  // x0..x31 and the discard slot
  uint64_t f_[32] = {};  // f0..f31 (F/D)
  uint64_t pc_ = 0;
  Priv priv_ = Priv::kMachine;
  CsrFile csr_;
  Pmp pmp_;
  bool waiting_ = false;
  struct Reservation {
    bool valid = false;
    uint64_t addr = 0;
    unsigned size = 0;
    uint64_t value = 0;  // as loaded, sign-extended
  } reservation_;

  std::atomic<uint64_t> mip_lines_{0};
  std::atomic<uint32_t> attention_{0};
  TlbEntry read_tlb_[kTlbSize];
  TlbEntry write_tlb_[kTlbSize];
  TlbEntry fetch_tlb_[kTlbSize];  // virtual to physical page, for block lookup

  // Per-run bookkeeping.
  uint64_t retired_total_ = 0;  // before the current run()
  uint64_t run_retired_ = 0;    // in this run(), before the current block
  uint64_t budget_end_ = 0;     // run_retired_ limit for this run()
  uint64_t synced_ = 0;         // part of this run() reported through sync()
  Block* cur_block_ = nullptr;    // the block being run: a cached one, or prefix_
  uint64_t link_gen_ = 1;         // Block::link is valid while its link_gen equals this
  static constexpr uint8_t kNoLink = 2;
  uint8_t link_slot_ = kNoLink;   // the slot jump() left through without chaining
  Block prefix_;                  // a block's first Ops when the budget ends inside it
  const Op* exit_op_ = nullptr;
  bool exit_retired_ = false;
  bool trapped_ = false;
  unsigned traps_in_a_row_ = 0;
};

template <class T>
const Op* Hart::load(const Op* op, uint64_t addr) {
  const TlbEntry& e = read_tlb_[tlb_index(addr)];
  if (e.tag == (addr >> kPageBits) && within_page(addr, sizeof(T))) [[likely]] {
    T v;
    std::memcpy(&v, e.host + (addr & (kPageSize - 1)), sizeof(T));
    x_[op->rd] = static_cast<uint64_t>(v);  // signed T sign-extends
    return next_op(*this, op);
  }
  uint64_t raw = 0;
  const Mem m = load_slow(op, addr, sizeof(T), raw);
  if (m == Mem::kTrapped) return nullptr;
  x_[op->rd] = static_cast<uint64_t>(static_cast<T>(raw));
  return m == Mem::kRam ? next_op(*this, op) : leave(op, op->pc + op->len);
}

template <class T>
const Op* Hart::store(const Op* op, uint64_t addr, T value) {
  const TlbEntry& e = write_tlb_[tlb_index(addr)];
  if (e.tag == (addr >> kPageBits) && within_page(addr, sizeof(T))) [[likely]] {
    std::memcpy(e.host + (addr & (kPageSize - 1)), &value, sizeof(T));
    return next_op(*this, op);
  }
  const Mem m = store_slow(op, addr, sizeof(T), static_cast<uint64_t>(value));
  if (m == Mem::kTrapped) return nullptr;
  return m == Mem::kRam ? next_op(*this, op) : leave(op, op->pc + op->len);
}

}  // namespace vtime::riscv
