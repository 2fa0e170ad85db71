#include "vtime/devices/pvclock.h"

#include <atomic>
#include <bit>
#include <cassert>

#include "vtime/time/round.h"

namespace vtime {

using namespace pvclock_abi;

static_assert(std::endian::native == std::endian::little,
              "records are written in place: the guest is little-endian");

PvClockScale pvclock_scale_for(Frequency f) {
  assert(!f.is_zero());
  constexpr uint64_t kNsPerSecond = 1'000'000'000;
  // mul = 1e9 * 2^(32 - shift) / f, rounded down; each step down in shift
  // doubles it, and the first value with bit 31 set still fits in 32 bits.
  for (int shift = 31; shift > -64; --shift) {
    const Uint128 mul = (static_cast<Uint128>(kNsPerSecond) << (32 - shift)) / f.hz();
    if (mul >= (Uint128{1} << 31)) {
      assert(mul < (Uint128{1} << 32));
      return {.mul = static_cast<uint32_t>(mul), .shift = static_cast<int8_t>(shift)};
    }
  }
  assert(false && "frequency out of range");
  return {};
}

uint64_t pvclock_scale_delta(uint64_t delta, PvClockScale scale) {
  delta = scale.shift >= 0 ? delta << scale.shift : delta >> -scale.shift;
  // 64x32 -> 96 bits, keeping bits 32..95: the guest's two 32x32 products.
  const uint64_t low = ((delta & 0xFFFF'FFFFu) * scale.mul) >> 32;
  return (delta >> 32) * scale.mul + low;
}

// Lets the clocks' listeners (which VmClocks never removes) outlive us.
struct PvClock::Guard {
  PvClock* self;
};

PvClock::PvClock(VmClocks& clocks, Options options)
    : clocks_(clocks),
      options_(options),
      scale_(pvclock_scale_for(options.counter_frequency)),
      guard_(std::make_shared<Guard>(Guard{this})) {
  clocks_.add_run_state_listener([g = guard_](RunState state) {
    if (g->self != nullptr) g->self->on_run_state(state);
  });
  clocks_.add_change_listener([g = guard_](ClockId id) {
    if (g->self != nullptr && id == ClockId::kVirtual) g->self->update();
  });
}

PvClock::~PvClock() { guard_->self = nullptr; }

void PvClock::enable(unsigned hart, std::span<uint8_t> record) {
  assert(record.size() == kRecordSize);
  assert(reinterpret_cast<uintptr_t>(record.data()) % kRecordAlign == 0);
  if (records_.size() <= hart) records_.resize(hart + 1);
  records_[hart] = record;
  write_record(record, false);
}

void PvClock::disable(unsigned hart) {
  if (hart < records_.size()) records_[hart] = {};
}

bool PvClock::enabled(unsigned hart) const {
  return hart < records_.size() && !records_[hart].empty();
}

void PvClock::update() {
  for (std::span<uint8_t> r : records_) {
    if (!r.empty()) write_record(r, false);
  }
}

void PvClock::set_counter_offset(uint64_t offset) {
  options_.counter_offset = offset;
  update();
}

uint64_t PvClock::counter_at(GuestTime t) const {
  return options_.counter_frequency.ticks_in(t.since_epoch(), Round::kDown) +
         options_.counter_offset;
}

void PvClock::on_run_state(RunState state) {
  if (state == RunState::kStopped) {
    was_stopped_ = true;
    return;
  }
  if (!was_stopped_) return;
  was_stopped_ = false;
  for (std::span<uint8_t> r : records_) {
    if (!r.empty()) write_record(r, true);
  }
}

void PvClock::write_record(std::span<uint8_t> record, bool guest_stopped) {
  const auto field32 = [&](size_t at) {
    return std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(record.data() + at));
  };
  const auto field64 = [&](size_t at) {
    return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(record.data() + at));
  };
  const auto field8 = [&](size_t at) { return std::atomic_ref<uint8_t>(record[at]); };

  // Anchor the record at the start of the counter's current tick, so every
  // record describes the same line: ns = tick start of the counter value.
  const Frequency f = options_.counter_frequency;
  const GuestTime now = clocks_.virtual_now();
  const uint64_t ticks = f.ticks_in(now.since_epoch(), Round::kDown);
  const GuestTime tick_start = GuestTime::from_epoch(f.time_for(ticks, Round::kUp));
  // The guest clears GUEST_STOPPED itself; until it does, keep it.
  const uint8_t kept = field8(kFlags).load(std::memory_order_relaxed) & kGuestStopped;
  const uint8_t flags = kTscStableBit | kept | (guest_stopped ? kGuestStopped : 0);

  const uint32_t version = field32(kVersion).load(std::memory_order_relaxed);
  const uint32_t odd = version | 1u;
  field32(kVersion).store(odd == version ? version + 2 : odd, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  field64(kTscTimestamp).store(ticks + options_.counter_offset, std::memory_order_relaxed);
  field64(kSystemTime).store(options_.timeline.ns_at(tick_start), std::memory_order_relaxed);
  field32(kTscToSystemMul).store(scale_.mul, std::memory_order_relaxed);
  field8(kTscShift).store(static_cast<uint8_t>(scale_.shift), std::memory_order_relaxed);
  field8(kFlags).store(flags, std::memory_order_relaxed);
  const uint32_t written = field32(kVersion).load(std::memory_order_relaxed);
  field32(kVersion).store(written + 1, std::memory_order_release);
  ++updates_;
}


void PvClock::save(StateWriter& out) const {
  out.u64(options_.counter_offset);
  out.boolean(was_stopped_);
  out.u64(updates_);
}

// The records themselves are guest RAM, restored with it.
void PvClock::load(StateReader& in) {
  const uint64_t offset = in.u64();
  const bool was_stopped = in.boolean();
  const uint64_t updates = in.u64();
  if (!in.ok()) return;
  options_.counter_offset = offset;
  was_stopped_ = was_stopped;
  updates_ = updates;
}

}  // namespace vtime
