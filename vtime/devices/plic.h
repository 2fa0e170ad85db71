// PLIC: RISC-V Platform-Level Interrupt Controller, SiFive "sifive,plic-1.0.0"
// layout as on QEMU's `virt` board (RISC-V PLIC spec v1.0.0 §3-§9): sources
// 1..95 (source 0 does not exist; the device tree says riscv,ndev = 96 as QEMU
// 7.2 does, and source 96 is a reserved id here), 7 priority levels, two
// contexts per hart (2h = M mode -> MEIP, 2h+1 = S mode -> SEIP).
// Sources are level-triggered IrqLine receivers: a source is pending while its
// line is high and it is not claimed; claiming takes it out, completing lets a
// still-high line become pending again. A source's awaiting_ack() is true from
// the edge that made it pending until the guest completes it (or the device
// withdraws it by lowering the line before a claim).
// Each context's output is the level "some enabled source with priority above
// my threshold is pending", driven on the IrqLine the board connects.
// Leaves out: edge-triggered sources, the preemption/nesting policy of real
// gateways (claims simply pick the best pending source).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "vtime/state/state_stream.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"

namespace vtime {

// Register map (PLIC spec v1.0.0 §3 memory map).
namespace plic_reg {
inline constexpr uint64_t kPriority = 0x000000;      // + 4 * source
inline constexpr uint64_t kPending = 0x001000;       // + 4 * word, read-only bitmap
inline constexpr uint64_t kEnable = 0x002000;        // + 0x80 * context + 4 * word
inline constexpr uint64_t kEnableStride = 0x80;
inline constexpr uint64_t kContext = 0x200000;       // + 0x1000 * context
inline constexpr uint64_t kContextStride = 0x1000;
inline constexpr uint64_t kThreshold = 0x0;          // within a context block
inline constexpr uint64_t kClaimComplete = 0x4;      // within a context block
// The window `virt` reserves: room for 512 harts' contexts (0x600000 bytes).
inline constexpr uint64_t kSize = kContext + 1024 * kContextStride;
inline constexpr unsigned kSources = 96;             // ids 0..95, 0 reserved
inline constexpr uint32_t kPriorityMask = 0x7;       // 7 levels; 0 = never interrupts
}  // namespace plic_reg
static_assert(plic_reg::kSize == 0x600000);
static_assert(plic_reg::kPending + plic_reg::kSources / 8 <= plic_reg::kEnable);

enum class PrivilegeContext : uint8_t { kMachine = 0, kSupervisor = 1 };

class Plic final : public MmioDevice {
 public:
  static constexpr unsigned kWords = plic_reg::kSources / 32;

  Plic(GuestLog& log, unsigned harts);
  ~Plic() override;

  std::string_view name() const override { return "plic"; }
  uint64_t size() const override { return plic_reg::kSize; }
  AccessSizes sizes() const override { return {.min = 4, .max = 4}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

  // The context index of (hart, mode): 2 * hart + mode.
  static unsigned context(unsigned hart, PrivilegeContext mode) {
    return 2 * hart + static_cast<unsigned>(mode);
  }
  unsigned contexts() const { return static_cast<unsigned>(contexts_.size()); }

  // Where context `ctx`'s interrupt output goes (a hart's MEIP or SEIP). An
  // unconnected context drives nothing. Connecting drives the current level.
  void connect(unsigned ctx, IrqLine& output);

  // The input line of source `id` (1..95), for the device that drives it.
  IrqLine& source(unsigned id);

  bool pending(unsigned id) const { return bit(pending_, id); }
  bool claimed(unsigned id) const { return bit(claimed_, id); }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  class SourceLine;
  struct Context {
    std::array<uint32_t, kWords> enable{};
    uint32_t threshold = 0;
    IrqLine* output = nullptr;
    bool level = false;
  };
  using Bits = std::array<uint32_t, kWords>;

  static bool bit(const Bits& b, unsigned id) { return ((b[id / 32] >> (id % 32)) & 1) != 0; }
  static void set_bit(Bits& b, unsigned id, bool v) {
    const uint32_t m = 1u << (id % 32);
    b[id / 32] = v ? (b[id / 32] | m) : (b[id / 32] & ~m);
  }

  void set_source_level(unsigned id, bool high);
  uint32_t read_context(unsigned ctx, uint64_t reg);
  void write_context(unsigned ctx, uint64_t reg, uint32_t value);
  uint32_t best_pending(unsigned ctx) const;  // 0 when none beats the threshold
  uint32_t claim(unsigned ctx);
  void complete(unsigned ctx, uint32_t id);
  void update();

  GuestLog& log_;
  std::vector<Context> contexts_;
  std::array<uint32_t, plic_reg::kSources> priority_{};
  Bits level_{};
  Bits pending_{};
  Bits claimed_{};
  std::vector<std::unique_ptr<SourceLine>> sources_;
};

}  // namespace vtime
