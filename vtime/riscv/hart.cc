// Hart construction, the run loop and block building. Traps and interrupts are
// in trap.cc, memory access in memory.cc, CSRs in csr.cc.
#include "vtime/riscv/hart.h"

#include <algorithm>
#include <bit>

namespace vtime::riscv {

static_assert(std::endian::native == std::endian::little,
              "guest memory is accessed through host pointers as little-endian");

Hart::Hart(HartEnv& env, HartOptions options)
    : env_(env), hart_id_(options.hart_id), reset_pc_(options.reset_pc) {
  prefix_.ops = std::make_unique<Op[]>(kMaxBlockInsns + 1);
  reset();
}

void Hart::reset() {
  std::fill(std::begin(x_), std::end(x_), 0);
  std::fill(std::begin(f_), std::end(f_), 0);
  pc_ = reset_pc_;
  priv_ = Priv::kMachine;
  csr_ = CsrFile{};
  waiting_ = false;
  reservation_ = {};
  pmp_ = Pmp{};
  // Deferred to the next block boundary: reset() may come from inside a block.
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
  flush_tlb();
}

void Hart::request_exit() { attention_.fetch_or(kAttnExit, std::memory_order_relaxed); }

void Hart::shrink_budget(uint64_t more) {
  if (more < budget_end_ - std::min(budget_end_, synced_)) budget_end_ = synced_ + more;
}

void Hart::set_pending(uint64_t bits, bool level) {
  if (level) {
    mip_lines_.fetch_or(bits, std::memory_order_relaxed);
  } else {
    mip_lines_.fetch_and(~bits, std::memory_order_relaxed);
  }
  attention_.fetch_or(kAttnIrq, std::memory_order_release);
}

uint64_t Hart::pending() const {
  return mip_lines_.load(std::memory_order_relaxed) | csr_.mip_sw;
}

bool Hart::wakeup_pending() const { return (pending() & csr_.mie) != 0; }

void Hart::invalidate_code() { attention_.fetch_or(kAttnFlush, std::memory_order_relaxed); }

void Hart::set_tracer(InsnTracer* tracer) {
  tracer_ = tracer;
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);  // rebuild with the new block size
}

void Hart::flush_tlb() {
  std::fill(std::begin(read_tlb_), std::end(read_tlb_), TlbEntry{});
  std::fill(std::begin(write_tlb_), std::end(write_tlb_), TlbEntry{});
  std::fill(std::begin(fetch_tlb_), std::end(fetch_tlb_), TlbEntry{});
  unlink_all();  // a link skips the fetch translation, which may now differ
}

void Hart::link(Block* from, Block* to) {
  if (from->link_gen != link_gen_) {  // its links predate an invalidation: drop both
    from->link[0] = from->link[1] = nullptr;
    from->link_gen = link_gen_;
  }
  from->link[link_slot_] = to;
}

// The Op after the last instruction of a block that does not end in a jump
// (it chains to the next block), and the one after a prefix (it does not: the
// budget ends there).
const Op* exec_block_end(Hart& h, const Op* op);
const Op* exec_prefix_end(Hart& h, const Op* op);

RunResult Hart::run(uint64_t budget) {
  run_retired_ = 0;
  synced_ = 0;
  budget_end_ = budget;
  traps_in_a_row_ = 0;
  if (budget == 0) return {0, StopReason::kBudgetExhausted};
  attention_.fetch_and(~kAttnTrapLoop, std::memory_order_relaxed);
  attention_.fetch_or(kAttnIrq, std::memory_order_relaxed);  // re-evaluate interrupts and WFI
  StopReason why = StopReason::kBudgetExhausted;
  for (;;) {
    if (attention_.load(std::memory_order_acquire) != 0) [[unlikely]] {
      const uint32_t a = attention_.exchange(0, std::memory_order_acquire);
      if (a & kAttnFlush) clear_blocks();
      link_slot_ = kNoLink;  // pc_ may move to a trap vector: not the jump's target
      if (a & kAttnExit) {
        why = StopReason::kExitRequested;
        break;
      }
      if (a & kAttnTrapLoop) {
        why = StopReason::kTrapLoop;
        break;
      }
      if (waiting_) {
        if (!wakeup_pending()) {
          why = StopReason::kWaitForInterrupt;
          break;
        }
        waiting_ = false;
      }
      take_interrupt();
    }
    if (run_retired_ >= budget_end_) break;
    uint64_t paddr = pc_;
    if (fetch_checked() && !fetch_paddr(paddr)) {  // fetch fault taken
      link_slot_ = kNoLink;
      continue;
    }
    Block* b = blocks_.find(pc_);
    if (!b || b->paddr != paddr ||
        (b->checked_for != Block::kAnyPriv && b->checked_for != static_cast<uint8_t>(priv_)))
        [[unlikely]] {
      b = block_at(pc_, paddr);
      if (!b) {  // fetch fault taken; go on at the trap vector
        link_slot_ = kNoLink;
        continue;
      }
    }
    if (tracer_) [[unlikely]] {
      const Op& first = b->ops[0];
      tracer_->on_insn(first.pc, first.raw, first.len, decoder_.mnemonic(first.raw, first.len));
    } else if (link_slot_ != kNoLink) {
      link(cur_block_, b);  // cur_block_ is still the block jump() left
    }
    link_slot_ = kNoLink;
    const uint64_t left = budget_end_ - run_retired_;
    cur_block_ = b;
    cur_block_ = b->count <= left ? b : prefix_of(*b, left);
    const uint64_t before = run_retired_;
    const Op* op = cur_block_->ops.get();
    while (op) op = op->fn(*this, op);  // chained blocks charge run_retired_ as they go
    run_retired_ += static_cast<uint64_t>(exit_op_ - cur_block_->ops.get()) + (exit_retired_ ? 1 : 0);
    if (run_retired_ != before) traps_in_a_row_ = 0;
  }
  if (run_retired_ > synced_) env_.sync(run_retired_ - synced_);
  retired_total_ += run_retired_;
  const uint64_t executed = run_retired_;
  run_retired_ = 0;
  synced_ = 0;
  return {executed, why};
}

// Builds and caches the block at virtual `pc`, physical `paddr` (the caller
// has missed in the cache, or found the pc mapped elsewhere).
Block* Hart::block_at(uint64_t pc, uint64_t paddr) {
  uint64_t end = pc;
  std::unique_ptr<Block> built = build_block(pc, paddr, end);
  if (!built) return nullptr;
  if (blocks_.op_count() + built->count > kMaxCachedOps) clear_blocks();  // not inside a block here
  if (blocks_.find(pc) != nullptr) unlink_all();  // insert() frees the block this pc maps to now
  // Stores into these physical pages must now take the slow path that checks
  // for code, whatever virtual page they come through.
  const uint64_t first = paddr >> kPageBits;
  uint64_t second = first;
  if (((end - 1) >> kPageBits) != (pc >> kPageBits)) {
    // The last instruction crosses into the next virtual page.
    uint64_t p2 = 0;
    if (!paging(priv_)) p2 = end - 1;
    else translate(end - 1, PageAccess::kFetch, priv_, p2);  // succeeded while building
    second = p2 >> kPageBits;
    blocks_.mark_code(second << kPageBits, (second << kPageBits) + ((end - 1) & (kPageSize - 1)) + 1);
  }
  for (TlbEntry& e : write_tlb_) {
    if (e.tag != ~uint64_t{0} && (e.ppage == first || e.ppage == second)) e = TlbEntry{};
  }
  const uint64_t in_page_end = std::min(end, ((pc >> kPageBits) + 1) << kPageBits);
  return blocks_.insert(std::move(built), paddr, paddr + (in_page_end - pc));
}

std::unique_ptr<Block> Hart::build_block(uint64_t pc, uint64_t paddr, uint64_t& end) {
  Op ops[kMaxBlockInsns];
  unsigned n = 0;
  uint64_t p = pc;
  uint64_t fault_addr = 0;
  uint64_t fault_cause = cause::kInsnAccessFault;
  uint64_t cached_page = pc >> kPageBits;
  uint8_t* host = env_.host_page(paddr & ~(kPageSize - 1), PageAccess::kFetch);
  // PMP: the block stays in the region of its first instruction (which the
  // dispatcher checked), but for a first instruction that straddles into the
  // next region or page: that one is checked here, for this privilege.
  const bool pmp = pmp_.active();
  uint64_t region_end = pmp ? pmp_.next_boundary(paddr) : ~uint64_t{0};
  bool straddles = false;
  auto fetch16 = [&](uint64_t a, uint16_t& out) {
    if ((a >> kPageBits) != cached_page) {
      // Only the second half of an instruction crossing a page gets here.
      cached_page = a >> kPageBits;
      uint64_t pa = a;
      host = nullptr;
      if (paging(priv_)) {
        if (const auto c = translate(a, PageAccess::kFetch, priv_, pa)) {
          fault_cause = *c;
          return false;
        }
      }
      if (pmp && !pmp_.allows(pa, 2, PageAccess::kFetch, priv_)) {
        fault_cause = cause::kInsnAccessFault;
        return false;
      }
      host = env_.host_page(pa & ~(kPageSize - 1), PageAccess::kFetch);
    }
    if (!host) return false;
    std::memcpy(&out, host + (a & (kPageSize - 1)), 2);
    return true;
  };
  bool ends = false;
  const unsigned max_insns = tracer_ ? 1 : kMaxBlockInsns;
  while (n < max_insns && !ends) {
    uint16_t lo = 0;
    if (!fetch16(p, lo)) {
      fault_addr = p;
      break;
    }
    unsigned len = (lo & 3) == 3 ? 4 : 2;
    if (pmp) {
      const uint64_t pa = paddr + (p - pc);  // same page as pc
      const bool crosses_page = ((p + len - 1) >> kPageBits) != (pc >> kPageBits);
      if (pa >= region_end || pa + len > region_end || crosses_page) {
        if (n > 0) break;  // it starts the next block
        straddles = true;
        // The part in this page: the whole instruction must lie in one entry.
        // Region edges are 4-byte aligned, so only a 4-byte instruction at
        // 2 mod 4 straddles one, and its second half is the part that faults.
        const auto here =
            crosses_page ? static_cast<unsigned>(kPageSize - (pa & (kPageSize - 1))) : len;
        if (!pmp_.allows(pa, here, PageAccess::kFetch, priv_)) {
          fault_addr = p + 2;
          break;
        }
        region_end = pmp_.next_boundary(pa + len - 1);
      }
    }
    uint32_t raw = lo;
    if (len == 4) {
      uint16_t hi = 0;
      if (!fetch16(p + 2, hi)) {
        fault_addr = p + 2;
        break;
      }
      raw |= uint32_t{hi} << 16;
    }
    ops[n++] = decoder_.decode(raw, len, p, ends);
    p += len;
    // Blocks stay within one page so that, with paging, one translation covers them.
    if ((p >> kPageBits) != (pc >> kPageBits)) break;
  }
  if (n == 0) {
    take_trap(fault_cause, fault_addr, pc);
    return nullptr;
  }
  auto b = std::make_unique<Block>();
  b->pc = pc;
  b->paddr = paddr;
  b->count = n;
  if (straddles) b->checked_for = static_cast<uint8_t>(priv_);
  b->ops = std::make_unique<Op[]>(ends ? n : n + 1);
  std::copy(ops, ops + n, b->ops.get());
  if (!ends) {
    b->ops[n] = Op{.fn = &exec_block_end, .imm = 0, .pc = p, .rd = kDiscard, .rs1 = 0,
                   .rs2 = 0, .len = 0, .raw = 0};
  }
  end = p;
  return b;
}

const Op* exec_block_end(Hart& h, const Op* op) { return h.jump(op - 1, op->pc, 1); }
const Op* exec_prefix_end(Hart& h, const Op* op) { return h.fall_through(op); }

// The first `n` Ops of `b` followed by an end-of-block Op, so that the budget
// runs out exactly after them (QEMU retranslates a shorter block instead).
Block* Hart::prefix_of(const Block& b, uint64_t n) {
  std::copy(b.ops.get(), b.ops.get() + n, prefix_.ops.get());
  prefix_.pc = b.pc;
  prefix_.paddr = b.paddr;
  prefix_.count = static_cast<uint32_t>(n);  // never chains: it holds no jump
  prefix_.ops[n] = Op{.fn = &exec_prefix_end, .imm = 0, .pc = b.ops[n].pc, .rd = kDiscard, .rs1 = 0,
                  .rs2 = 0, .len = 0, .raw = 0};
  return &prefix_;
}

const Op* Hart::fall_through(const Op* op) {
  pc_ = op->pc;
  exit_op_ = op;
  exit_retired_ = false;
  return nullptr;
}

}  // namespace vtime::riscv
