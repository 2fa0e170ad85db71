// Sv39 and Sv48 paging (privileged spec §4.3-4.4): the page-table walk, its
// permission checks, and when cached translations are dropped.
//
// A and D are updated by the hardware walk, as QEMU does (the spec allows
// either that or page faults for software to set them; Linux and OpenSBI work
// with both): a load or fetch sets A, a store sets A and D, with a
// compare-and-swap on the PTE so another hart's concurrent update is not lost.
// A write TLB entry exists only for pages whose D bit the walk has seen set,
// so the first store to a clean page always walks and sets D.
//
// The software TLBs are tagged by virtual page and hold one privilege's view,
// so they are flushed whenever that view may change: satp writes, SFENCE.VMA
// (which flushes everything: there are no ASIDs), mstatus writes, and
// privilege changes - all free while satp is Bare and no PMP entry is active.
// With PMP, the walk's PTE reads are checked as S-mode loads (as QEMU does; the
// A/D update is not checked again), and a TLB entry is made only for a page
// that PMP treats alike throughout (memory.cc).
#include <atomic>
#include <cstring>

#include "vtime/riscv/hart.h"

namespace vtime::riscv {

namespace {
namespace pte {
constexpr uint64_t kV = 1 << 0;
constexpr uint64_t kR = 1 << 1;
constexpr uint64_t kW = 1 << 2;
constexpr uint64_t kX = 1 << 3;
constexpr uint64_t kU = 1 << 4;
constexpr uint64_t kA = 1 << 6;
constexpr uint64_t kD = 1 << 7;
constexpr unsigned kPpnShift = 10;
constexpr uint64_t kPpnMask = (uint64_t{1} << 44) - 1;
// Bits 63:54: N (Svnapot), PBMT (Svpbmt) and reserved; none is implemented, so
// a leaf or pointer with any of them set faults.
constexpr uint64_t kHighBits = ~((uint64_t{1} << 54) - 1);
}  // namespace pte

constexpr unsigned kVpnBits = 9;

uint64_t page_fault(PageAccess access) {
  switch (access) {
    case PageAccess::kFetch: return cause::kInsnPageFault;
    case PageAccess::kRead: return cause::kLoadPageFault;
    case PageAccess::kWrite: return cause::kStorePageFault;
  }
  return cause::kLoadPageFault;
}

uint64_t access_fault(PageAccess access) {
  switch (access) {
    case PageAccess::kFetch: return cause::kInsnAccessFault;
    case PageAccess::kRead: return cause::kLoadAccessFault;
    case PageAccess::kWrite: return cause::kStoreAccessFault;
  }
  return cause::kLoadAccessFault;
}
}  // namespace

Priv Hart::data_priv() const {
  if (priv_ == Priv::kMachine && (csr_.mstatus & mstatus::kMprv)) {
    return static_cast<Priv>((csr_.mstatus & mstatus::kMpp) >> mstatus::kMppShift);
  }
  return priv_;
}

std::optional<uint64_t> Hart::translate(uint64_t vaddr, PageAccess access, Priv p,
                                        uint64_t& paddr) {
  const uint64_t mode = csr_.satp >> satp::kModeShift;
  const unsigned levels = mode == satp::kModeSv48 ? 4 : 3;
  const unsigned va_bits = kPageBits + kVpnBits * levels;
  // The bits above the virtual address must all equal its top bit.
  const auto top = static_cast<int64_t>(vaddr << (64 - va_bits)) >> (64 - va_bits);
  if (static_cast<uint64_t>(top) != vaddr) return page_fault(access);

  uint64_t table = (csr_.satp & satp::kPpnMask) << kPageBits;
  for (unsigned level = levels; level-- > 0;) {
    const uint64_t vpn = (vaddr >> (kPageBits + kVpnBits * level)) & ((1u << kVpnBits) - 1);
    const uint64_t pte_addr = table + vpn * 8;
    uint8_t* page = env_.host_page(pte_addr & ~(kPageSize - 1), PageAccess::kRead);
    if (!page) return access_fault(access);  // page tables live in RAM only
    if (!pmp_.allows(pte_addr, 8, PageAccess::kRead, Priv::kSupervisor)) return access_fault(access);
    auto* slot = reinterpret_cast<uint64_t*>(page + (pte_addr & (kPageSize - 1)));
    std::atomic_ref<uint64_t> ref(*slot);
    uint64_t e = ref.load(std::memory_order_acquire);
    if (!(e & pte::kV) || (!(e & pte::kR) && (e & pte::kW)) || (e & pte::kHighBits)) {
      return page_fault(access);
    }
    const uint64_t ppn = (e >> pte::kPpnShift) & pte::kPpnMask;
    if (!(e & (pte::kR | pte::kX))) {  // a pointer to the next level
      if (level == 0 || (e & (pte::kA | pte::kD | pte::kU))) return page_fault(access);
      table = ppn << kPageBits;
      continue;
    }
    // A leaf. Privilege: U pages for U mode only, except data under SUM.
    if (p == Priv::kUser) {
      if (!(e & pte::kU)) return page_fault(access);
    } else if (e & pte::kU) {
      if (access == PageAccess::kFetch || !(csr_.mstatus & mstatus::kSum)) return page_fault(access);
    }
    const bool allowed =
        access == PageAccess::kFetch ? (e & pte::kX) != 0
        : access == PageAccess::kWrite
            ? (e & pte::kW) != 0
            : (e & pte::kR) != 0 || ((e & pte::kX) && (csr_.mstatus & mstatus::kMxr));
    if (!allowed) return page_fault(access);
    // A superpage's physical page number is aligned to its size.
    const uint64_t low_mask = (uint64_t{1} << (kVpnBits * level)) - 1;
    if (ppn & low_mask) return page_fault(access);
    const uint64_t want = pte::kA | (access == PageAccess::kWrite ? pte::kD : 0);
    if ((e & want) != want) {
      if (!env_.host_page(pte_addr & ~(kPageSize - 1), PageAccess::kWrite)) {
        return access_fault(access);  // a PTE in ROM cannot take A/D
      }
      // Another hart may change the PTE between the read and the update: then
      // walk with what it wrote (spec: the update is atomic with the check).
      if (!ref.compare_exchange_strong(e, e | want, std::memory_order_acq_rel)) {
        return translate(vaddr, access, p, paddr);
      }
    }
    const uint64_t vpn_low = (vaddr >> kPageBits) & low_mask;
    paddr = ((ppn | vpn_low) << kPageBits) | (vaddr & (kPageSize - 1));
    return std::nullopt;
  }
  return page_fault(access);  // not reached: level 0 either is a leaf or faults
}

bool Hart::fetch_paddr(uint64_t& paddr) {
  TlbEntry& e = fetch_tlb_[tlb_index(pc_)];
  if (e.tag == (pc_ >> kPageBits)) {
    paddr = (e.ppage << kPageBits) | (pc_ & (kPageSize - 1));
    return true;
  }
  paddr = pc_;
  if (paging(priv_)) {
    if (const auto c = translate(pc_, PageAccess::kFetch, priv_, paddr)) {
      take_trap(*c, pc_, pc_);
      return false;
    }
  }
  // The first parcel; the block builder checks an instruction that straddles
  // into another PMP region, and keeps every other one in this region.
  const bool whole_page = pmp_.allows_page(paddr & ~(kPageSize - 1), PageAccess::kFetch, priv_);
  if (!whole_page && !pmp_.allows(paddr, 2, PageAccess::kFetch, priv_)) {
    take_trap(cause::kInsnAccessFault, pc_, pc_);
    return false;
  }
  if (whole_page) e = {pc_ >> kPageBits, nullptr, paddr >> kPageBits};
  return true;
}

void Hart::translation_changed(bool always) {
  if (always || (csr_.satp >> satp::kModeShift) != 0 || pmp_.active()) flush_tlb();
}

void Hart::set_priv(Priv p) {
  if (p != priv_) {
    priv_ = p;
    translation_changed();
  }
}

}  // namespace vtime::riscv
