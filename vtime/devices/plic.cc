#include "vtime/devices/plic.h"

#include <cassert>

namespace vtime {

using namespace plic_reg;

class Plic::SourceLine final : public IrqLine {
 public:
  SourceLine(Plic& plic, unsigned id) : plic_(plic), id_(id) {}
  void set_level(bool high) override { plic_.set_source_level(id_, high); }
  bool level() const override { return Plic::bit(plic_.level_, id_); }
  bool awaiting_ack() const override {
    return Plic::bit(plic_.pending_, id_) || Plic::bit(plic_.claimed_, id_);
  }

 private:
  Plic& plic_;
  unsigned id_;
};

Plic::Plic(GuestLog& log, unsigned harts) : log_(log), contexts_(2 * harts) {
  assert(harts >= 1 && 2 * harts <= (kSize - kContext) / kContextStride);
  sources_.reserve(kSources);
  for (unsigned id = 0; id < kSources; ++id) sources_.push_back(std::make_unique<SourceLine>(*this, id));
}

Plic::~Plic() = default;

void Plic::connect(unsigned ctx, IrqLine& output) {
  assert(ctx < contexts_.size());
  contexts_[ctx].output = &output;
  output.set_level(contexts_[ctx].level);
}

IrqLine& Plic::source(unsigned id) {
  assert(id >= 1 && id < kSources);
  return *sources_[id];
}

void Plic::set_source_level(unsigned id, bool high) {
  set_bit(level_, id, high);
  // Level-triggered gateway: pending follows the line while not claimed.
  if (!bit(claimed_, id)) set_bit(pending_, id, high);
  update();
}

uint64_t Plic::read(uint64_t offset, unsigned /*size*/) {
  if (offset < kPending) {
    return priority_[offset / 4 < kSources ? offset / 4 : 0];  // reserved ids read 0
  }
  if (offset < kEnable) {
    const uint64_t word = (offset - kPending) / 4;
    return word < kWords ? pending_[word] : 0;
  }
  if (offset < kContext) {
    const uint64_t ctx = (offset - kEnable) / kEnableStride;
    const uint64_t word = (offset - kEnable) % kEnableStride / 4;
    if (ctx < contexts_.size() && word < kWords) return contexts_[ctx].enable[word];
    log_.guest_error("plic: read from reserved enable offset {:#x}", offset);
    return 0;
  }
  const uint64_t ctx = (offset - kContext) / kContextStride;
  if (ctx < contexts_.size()) return read_context(static_cast<unsigned>(ctx), (offset - kContext) % kContextStride);
  log_.guest_error("plic: read from context {} which does not exist", ctx);
  return 0;
}

void Plic::write(uint64_t offset, unsigned /*size*/, uint64_t value) {
  const auto v = static_cast<uint32_t>(value);
  if (offset < kPending) {
    const uint64_t id = offset / 4;
    if (id == 0 || id >= kSources) {
      log_.guest_error("plic: priority write {:#x} for source {} which does not exist", v, id);
      return;
    }
    priority_[id] = v & kPriorityMask;  // WARL: only the implemented bits stick
  } else if (offset < kEnable) {
    log_.guest_error("plic: write {:#x} to the read-only pending bitmap at {:#x}", v, offset);
    return;
  } else if (offset < kContext) {
    const uint64_t ctx = (offset - kEnable) / kEnableStride;
    const uint64_t word = (offset - kEnable) % kEnableStride / 4;
    if (ctx >= contexts_.size() || word >= kWords) {
      log_.guest_error("plic: write {:#x} to reserved enable offset {:#x}", v, offset);
      return;
    }
    contexts_[ctx].enable[word] = word == 0 ? (v & ~1u) : v;  // source 0 is hardwired off
  } else {
    const uint64_t ctx = (offset - kContext) / kContextStride;
    if (ctx >= contexts_.size()) {
      log_.guest_error("plic: write {:#x} to context {} which does not exist", v, ctx);
      return;
    }
    write_context(static_cast<unsigned>(ctx), (offset - kContext) % kContextStride, v);
  }
  update();
}

uint32_t Plic::read_context(unsigned ctx, uint64_t reg) {
  switch (reg) {
    case kThreshold: return contexts_[ctx].threshold;
    case kClaimComplete: return claim(ctx);
    default:
      log_.guest_error("plic: read from reserved offset {:#x} of context {}", reg, ctx);
      return 0;
  }
}

void Plic::write_context(unsigned ctx, uint64_t reg, uint32_t value) {
  switch (reg) {
    case kThreshold: contexts_[ctx].threshold = value & kPriorityMask; return;
    case kClaimComplete: complete(ctx, value); return;
    default:
      log_.guest_error("plic: write {:#x} to reserved offset {:#x} of context {}", value, reg, ctx);
      return;
  }
}

uint32_t Plic::best_pending(unsigned ctx) const {
  const Context& c = contexts_[ctx];
  uint32_t best = 0;
  uint32_t best_priority = c.threshold;  // must be strictly above the threshold
  for (unsigned w = 0; w < kWords; ++w) {
    uint32_t candidates = pending_[w] & c.enable[w];
    while (candidates != 0) {
      const unsigned id = w * 32 + static_cast<unsigned>(__builtin_ctz(candidates));
      candidates &= candidates - 1;
      // Strictly greater: on equal priority the lowest id wins (spec §5).
      if (priority_[id] > best_priority) {
        best = id;
        best_priority = priority_[id];
      }
    }
  }
  return best;
}

uint32_t Plic::claim(unsigned ctx) {
  const uint32_t id = best_pending(ctx);
  if (id != 0) {
    set_bit(pending_, id, false);
    set_bit(claimed_, id, true);
    update();
  }
  return id;  // 0: nothing to claim
}

void Plic::complete(unsigned ctx, uint32_t id) {
  if (id == 0 || id >= kSources) {
    log_.guest_error("plic: context {} completes source {} which does not exist", ctx, id);
    return;
  }
  // Spec §9: a completion for a source not enabled on this context is ignored.
  if (!bit(contexts_[ctx].enable, id)) return;
  set_bit(claimed_, id, false);
  if (bit(level_, id)) set_bit(pending_, id, true);  // still asserted: pending again
}

void Plic::update() {
  for (unsigned ctx = 0; ctx < contexts_.size(); ++ctx) {
    Context& c = contexts_[ctx];
    const bool level = best_pending(ctx) != 0;
    if (level == c.level) continue;
    c.level = level;
    if (c.output != nullptr) c.output->set_level(level);
  }
}


namespace {

void save_bits(StateWriter& out, std::span<const uint32_t> bits) {
  for (uint32_t word : bits) out.u32(word);
}

template <size_t N>
std::array<uint32_t, N> load_bits(StateReader& in) {
  std::array<uint32_t, N> bits{};
  for (uint32_t& word : bits) word = in.u32();
  return bits;
}

}  // namespace

void Plic::save(StateWriter& out) const {
  out.u64(contexts_.size());
  for (uint32_t p : priority_) out.u32(p);
  save_bits(out, level_);
  save_bits(out, pending_);
  save_bits(out, claimed_);
  for (const Context& c : contexts_) {
    save_bits(out, c.enable);
    out.u32(c.threshold);
    out.boolean(c.level);
  }
}

void Plic::load(StateReader& in) {
  in.expect_equal(in.u64(), contexts_.size(), "the number of PLIC contexts");
  std::array<uint32_t, plic_reg::kSources> priority{};
  for (uint32_t& p : priority) p = in.u32();
  const Bits level = load_bits<kWords>(in);
  const Bits pending = load_bits<kWords>(in);
  const Bits claimed = load_bits<kWords>(in);
  std::vector<Context> contexts(contexts_.size());
  for (Context& c : contexts) {
    c.enable = load_bits<kWords>(in);
    c.threshold = in.u32();
    c.level = in.boolean();
  }
  if (!in.ok()) return;
  priority_ = priority;
  level_ = level;
  pending_ = pending;
  claimed_ = claimed;
  for (size_t i = 0; i < contexts_.size(); ++i) {
    contexts_[i].enable = contexts[i].enable;
    contexts_[i].threshold = contexts[i].threshold;
    contexts_[i].level = contexts[i].level;
  }
}

}  // namespace vtime
