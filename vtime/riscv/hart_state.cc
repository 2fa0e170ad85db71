// Hart snapshot: the architectural state in a fixed order (docs/snapshot.md).
// What is cached for speed - blocks, their links, the TLBs - is dropped on load
// and rebuilt from the restored state.
#include <array>

#include "vtime/riscv/hart.h"

namespace vtime::riscv {
namespace {

// CsrFile's 64-bit fields, in the order they are saved.
constexpr std::array kCsrFields = {
    &CsrFile::mstatus,  &CsrFile::mtvec,        &CsrFile::mepc,          &CsrFile::mcause,
    &CsrFile::mtval,    &CsrFile::mscratch,     &CsrFile::mie,           &CsrFile::mip_sw,
    &CsrFile::mcounteren, &CsrFile::medeleg,    &CsrFile::mideleg,       &CsrFile::menvcfg,
    &CsrFile::stvec,    &CsrFile::sepc,         &CsrFile::scause,        &CsrFile::stval,
    &CsrFile::sscratch, &CsrFile::scounteren,   &CsrFile::senvcfg,       &CsrFile::satp,
    &CsrFile::stimecmp, &CsrFile::mcycle_offset, &CsrFile::minstret_offset,
};

bool valid_priv(uint8_t p) {
  return p == static_cast<uint8_t>(Priv::kUser) || p == static_cast<uint8_t>(Priv::kSupervisor) ||
         p == static_cast<uint8_t>(Priv::kMachine);
}

}  // namespace

void Hart::save(StateWriter& out) const {
  out.u64(hart_id_);
  for (unsigned r = 0; r < 32; ++r) out.u64(x_[r]);
  for (uint64_t v : f_) out.u64(v);
  out.u64(pc_);
  out.u8(static_cast<uint8_t>(priv_));
  out.u64(kCsrFields.size());
  for (auto field : kCsrFields) out.u64(csr_.*field);
  out.u8(csr_.fflags);
  out.u8(csr_.frm);
  out.boolean(waiting_);
  out.boolean(reservation_.valid);
  out.u64(reservation_.addr);
  out.u8(static_cast<uint8_t>(reservation_.size));
  out.u64(reservation_.value);
  out.u64(mip_lines_.load(std::memory_order_relaxed));
  out.u64(retired_total_);
  for (unsigned i = 0; i < Pmp::kEntries; ++i) out.u64(pmp_.read_addr(i));
  out.u64(pmp_.read_cfg(0));
  out.u64(pmp_.read_cfg(2));
}

void Hart::load(StateReader& in) {
  in.expect_equal(in.u64(), hart_id_, "the hart id");
  uint64_t x[32], f[32];
  for (uint64_t& v : x) v = in.u64();
  for (uint64_t& v : f) v = in.u64();
  const uint64_t pc = in.u64();
  const uint8_t priv = in.u8();
  if (in.ok() && !valid_priv(priv)) {
    in.fail("privilege level " + std::to_string(priv) + " does not exist");
  }
  in.expect_equal(in.u64(), kCsrFields.size(), "the number of saved CSRs");
  CsrFile csr;
  for (auto field : kCsrFields) csr.*field = in.u64();
  csr.fflags = in.u8();
  csr.frm = in.u8();
  const bool waiting = in.boolean();
  Reservation reservation;
  reservation.valid = in.boolean();
  reservation.addr = in.u64();
  reservation.size = in.u8();
  reservation.value = in.u64();
  if (reservation.valid && reservation.size != 4 && reservation.size != 8) {
    in.fail("an LR reservation of " + std::to_string(reservation.size) + " bytes is impossible");
  }
  // Values a guest could never have written would reach code that assumes the
  // WARL rules held: refuse them.
  const uint64_t mode = csr.satp >> satp::kModeShift;
  if (mode != satp::kModeBare && mode != satp::kModeSv39 && mode != satp::kModeSv48) {
    in.fail("satp holds translation mode " + std::to_string(mode) + ", which this hart lacks");
  }
  if (((csr.mstatus & mstatus::kMpp) >> mstatus::kMppShift) == 2) in.fail("mstatus.MPP holds the reserved level 2");
  if (csr.frm > 7 || csr.fflags > 0x1f) in.fail("fcsr holds bits outside frm and fflags");
  if ((csr.mie | csr.mip_sw) & ~irq::kAll) in.fail("mie or mip holds interrupts this hart does not have");
  if (csr.mideleg & ~irq::kSupervisorBits) in.fail("mideleg delegates interrupts that cannot be delegated");
  const uint64_t mip_lines = in.u64();
  const uint64_t retired = in.u64();
  // PMP as a fresh hart gets it: the addresses first, then the configurations
  // (which may lock them), so locked entries come back locked and exact.
  Pmp pmp;
  uint64_t pmpaddr[Pmp::kEntries];
  for (uint64_t& a : pmpaddr) a = in.u64();
  const uint64_t pmpcfg0 = in.u64(), pmpcfg2 = in.u64();
  for (unsigned i = 0; i < Pmp::kEntries; ++i) pmp.write_addr(i, pmpaddr[i]);
  pmp.write_cfg(0, pmpcfg0);
  pmp.write_cfg(2, pmpcfg2);
  if (in.ok() && (pmp.read_cfg(0) != pmpcfg0 || pmp.read_cfg(2) != pmpcfg2)) {
    in.fail("a PMP configuration holds bits no guest could have written");
  }
  if (!in.ok()) return;
  std::copy(std::begin(x), std::end(x), x_);
  x_[0] = 0;
  std::copy(std::begin(f), std::end(f), f_);
  pc_ = pc;
  priv_ = static_cast<Priv>(priv);
  csr_ = csr;
  waiting_ = waiting;
  reservation_ = reservation;
  mip_lines_.store(mip_lines & irq::kAll, std::memory_order_relaxed);
  retired_total_ = retired;
  pmp_ = pmp;
  clear_blocks();
  flush_tlb();
  attention_.fetch_or(kAttnFlush | kAttnIrq, std::memory_order_relaxed);
}

}  // namespace vtime::riscv
