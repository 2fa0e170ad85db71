// Data memory access: the slow paths behind the inline TLB hits in hart.h, and
// the atomics. RAM pages come from HartEnv::host_page() and are cached in a
// software TLB; everything else is a device reached through load()/store()
// after sync(), and ends the block so the board can react at once.
// Misaligned loads and stores to RAM are emulated (also across pages); to
// devices they trap as misaligned. LR/SC/AMOs must be aligned (they trap).
// With paging, the TLBs map virtual pages (translation.cc walks on a miss);
// devices and the code check see physical addresses.
#include <cstring>

#include "vtime/riscv/hart.h"

namespace vtime::riscv {

namespace {
uint64_t sext(uint64_t v, unsigned size) {
  return size == 4 ? static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))) : v;
}
}  // namespace

void Hart::sync_before_io(const Op* op) {
  const uint64_t now = retired_before(op);
  env_.sync(now - synced_);
  synced_ = now;
}

Hart::Where Hart::fill_tlb(uint64_t addr, unsigned size, PageAccess access) {
  Where w;
  w.paddr = addr;
  const Priv p = data_priv();
  if (paging(p)) {
    w.fault = translate(addr, access, p, w.paddr);
    if (w.fault) return w;
  }
  const uint64_t page = w.paddr >> kPageBits;
  const bool whole_page = pmp_.allows_page(page << kPageBits, access, p);
  if (!whole_page && !pmp_.allows(w.paddr, size, access, p)) {
    w.fault = access == PageAccess::kWrite ? cause::kStoreAccessFault : cause::kLoadAccessFault;
    return w;
  }
  uint8_t* host = env_.host_page(page << kPageBits, access);
  if (!host) return w;
  w.host = host + (addr & (kPageSize - 1));
  // A page that PMP splits is never cached: each access checks its own bytes.
  if (!whole_page) return w;
  // Pages holding cached code get no fast write entry: their stores must check.
  if (access == PageAccess::kWrite && blocks_.is_code_page(page)) return w;
  TlbEntry& e = (access == PageAccess::kWrite ? write_tlb_ : read_tlb_)[tlb_index(addr)];
  e = {addr >> kPageBits, host, page};
  return w;
}

Hart::Where Hart::locate(uint64_t addr, unsigned size, PageAccess access) {
  const TlbEntry& e = (access == PageAccess::kWrite ? write_tlb_ : read_tlb_)[tlb_index(addr)];
  if (e.tag != (addr >> kPageBits)) return fill_tlb(addr, size, access);
  const uint64_t offset = addr & (kPageSize - 1);
  return {.host = e.host + offset, .paddr = (e.ppage << kPageBits) | offset, .fault = {}};
}

// Misaligned accesses are emulated (as QEMU does), so one may straddle two
// pages with different translations; neither half may be a device.
std::optional<Hart::Split> Hart::locate_split(const Op* op, uint64_t addr, unsigned size,
                                              PageAccess access) {
  const uint64_t second = (addr | (kPageSize - 1)) + 1;
  const auto first_len = static_cast<unsigned>(second - addr);
  const Where wa = locate(addr, first_len, access);
  const Where wb = wa.fault ? wa : locate(second, size - first_len, access);
  if (wa.fault || wb.fault) {
    trap(op, wa.fault ? *wa.fault : *wb.fault, wa.fault ? addr : second);
    return std::nullopt;
  }
  if (wa.host == nullptr || wb.host == nullptr) {
    const uint64_t fault = access == PageAccess::kWrite ? cause::kStoreAccessFault : cause::kLoadAccessFault;
    trap(op, fault, wa.host != nullptr ? second : addr);
    return std::nullopt;
  }
  return Split{.first = wa, .second = wb, .first_len = first_len};
}

Hart::Mem Hart::load_slow(const Op* op, uint64_t addr, unsigned size, uint64_t& value) {
  value = 0;
  if (within_page(addr, size)) {
    const Where w = locate(addr, size, PageAccess::kRead);
    if (w.fault) {
      trap(op, *w.fault, addr);
      return Mem::kTrapped;
    }
    if (w.host) {
      std::memcpy(&value, w.host, size);
      return Mem::kRam;
    }
    if (addr % size != 0) {
      trap(op, cause::kLoadMisaligned, addr);
      return Mem::kTrapped;
    }
    sync_before_io(op);
    if (env_.load(w.paddr, size, value) != BusResult::kOk) {
      trap(op, cause::kLoadAccessFault, addr);
      return Mem::kTrapped;
    }
    return Mem::kEndBlock;
  }
  const std::optional<Split> s = locate_split(op, addr, size, PageAccess::kRead);
  if (!s) return Mem::kTrapped;
  uint8_t bytes[8];
  std::memcpy(bytes, s->first.host, s->first_len);
  std::memcpy(bytes + s->first_len, s->second.host, size - s->first_len);
  std::memcpy(&value, bytes, size);
  return Mem::kRam;
}

Hart::Mem Hart::store_slow(const Op* op, uint64_t addr, unsigned size, uint64_t value) {
  if (within_page(addr, size)) {
    const Where w = locate(addr, size, PageAccess::kWrite);
    if (w.fault) {
      trap(op, *w.fault, addr);
      return Mem::kTrapped;
    }
    if (w.host) {
      std::memcpy(w.host, &value, size);
      if (!blocks_.overlaps_code(w.paddr, size)) return Mem::kRam;
      attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);  // self-modifying code
      return Mem::kEndBlock;
    }
    if (addr % size != 0) {
      trap(op, cause::kStoreMisaligned, addr);
      return Mem::kTrapped;
    }
    sync_before_io(op);
    if (env_.store(w.paddr, size, value) != BusResult::kOk) {
      trap(op, cause::kStoreAccessFault, addr);
      return Mem::kTrapped;
    }
    return Mem::kEndBlock;
  }
  const std::optional<Split> s = locate_split(op, addr, size, PageAccess::kWrite);
  if (!s) return Mem::kTrapped;
  uint8_t bytes[8];
  std::memcpy(bytes, &value, size);
  std::memcpy(s->first.host, bytes, s->first_len);
  std::memcpy(s->second.host, bytes + s->first_len, size - s->first_len);
  if (!blocks_.overlaps_code(s->first.paddr, s->first_len) &&
      !blocks_.overlaps_code(s->second.paddr, size - s->first_len)) {
    return Mem::kRam;
  }
  attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
  return Mem::kEndBlock;
}

const Op* Hart::amo(const Op* op, unsigned size, AmoFn fn) {
  const uint64_t addr = x_[op->rs1];
  if (addr % size != 0) return trap(op, cause::kStoreMisaligned, addr);
  const uint64_t rs2 = sext(x_[op->rs2], size);
  reservation_.valid = false;
  const Where w = locate(addr, size, PageAccess::kWrite);
  if (w.fault) return trap(op, *w.fault, addr);
  if (uint8_t* p = w.host) {
    uint64_t old = 0;
    std::memcpy(&old, p, size);
    old = sext(old, size);
    const uint64_t result = fn(old, rs2);
    std::memcpy(p, &result, size);
    x_[op->rd] = old;
    if (!blocks_.overlaps_code(w.paddr, size)) return next_op(*this, op);
    attention_.fetch_or(kAttnFlush, std::memory_order_relaxed);
    return leave(op, op->pc + op->len);
  }
  // A device: read-modify-write over the bus (two accesses by one instruction;
  // the second sync reports 0); faults are store/AMO faults.
  sync_before_io(op);
  uint64_t old = 0;
  if (env_.load(w.paddr, size, old) != BusResult::kOk) return trap(op, cause::kStoreAccessFault, addr);
  sync_before_io(op);
  if (env_.store(w.paddr, size, fn(sext(old, size), rs2)) != BusResult::kOk) {
    return trap(op, cause::kStoreAccessFault, addr);
  }
  x_[op->rd] = sext(old, size);
  return leave(op, op->pc + op->len);
}

// The reservation remembers the loaded value; SC succeeds only if memory still
// holds it, which also catches stores by other harts between the two.
const Op* Hart::load_reserved(const Op* op, unsigned size) {
  const uint64_t addr = x_[op->rs1];
  if (addr % size != 0) return trap(op, cause::kLoadMisaligned, addr);
  uint64_t value = 0;
  const Mem m = load_slow(op, addr, size, value);
  if (m == Mem::kTrapped) return nullptr;
  value = sext(value, size);
  reservation_ = {.valid = true, .addr = addr, .size = size, .value = value};
  x_[op->rd] = value;
  return m == Mem::kRam ? next_op(*this, op) : leave(op, op->pc + op->len);
}

const Op* Hart::store_conditional(const Op* op, unsigned size) {
  const uint64_t addr = x_[op->rs1];
  if (addr % size != 0) return trap(op, cause::kStoreMisaligned, addr);
  const Reservation r = reservation_;
  reservation_.valid = false;
  if (!r.valid || r.addr != addr || r.size != size) {
    x_[op->rd] = 1;
    return next_op(*this, op);
  }
  uint64_t current = 0;
  const Mem m = load_slow(op, addr, size, current);
  if (m == Mem::kTrapped) return nullptr;
  if (sext(current, size) != r.value) {
    x_[op->rd] = 1;
    return m == Mem::kRam ? next_op(*this, op) : leave(op, op->pc + op->len);
  }
  const Mem w = store_slow(op, addr, size, x_[op->rs2]);
  if (w == Mem::kTrapped) return nullptr;
  x_[op->rd] = 0;
  return (m == Mem::kRam && w == Mem::kRam) ? next_op(*this, op) : leave(op, op->pc + op->len);
}

}  // namespace vtime::riscv
