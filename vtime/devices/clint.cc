#include "vtime/devices/clint.h"

#include <cassert>

namespace vtime {

using namespace clint_reg;

// MSWI: one 32-bit msip register per hart; only bit 0 is implemented.
class Clint::Mswi final : public MmioDevice {
 public:
  explicit Mswi(Clint& c) : c_(c) {}
  std::string_view name() const override { return "clint.mswi"; }
  uint64_t size() const override { return kMswiSize; }
  AccessSizes sizes() const override { return {.min = 4, .max = 4}; }
  uint64_t read(uint64_t offset, unsigned) override {
    const uint64_t hart = offset / 4;
    if (hart < c_.harts()) return c_.msip(static_cast<unsigned>(hart)) ? 1 : 0;
    c_.log_.guest_error("clint: read of msip for hart {} which does not exist", hart);
    return 0;
  }
  void write(uint64_t offset, unsigned, uint64_t value) override {
    const uint64_t hart = offset / 4;
    if (hart < c_.harts()) {
      c_.write_msip(static_cast<unsigned>(hart), (value & 1) != 0);
      return;
    }
    c_.log_.guest_error("clint: write {:#x} to msip of hart {} which does not exist", value, hart);
  }

 private:
  Clint& c_;
};

// MTIMER: 64-bit registers; the bus turns 4-byte accesses into whole-register
// reads and read-merge-writes, so mtime and mtimecmp halves behave as QEMU's.
class Clint::Mtimer final : public MmioDevice {
 public:
  static constexpr uint64_t kMtimeOffset = kMtime - kMtimer;
  explicit Mtimer(Clint& c) : c_(c) {}
  std::string_view name() const override { return "clint.mtimer"; }
  uint64_t size() const override { return kMtimerSize; }
  // Registers are 64-bit; the bus serves their 32-bit halves, so read() and
  // write() only ever see whole registers.
  AccessSizes sizes() const override { return {.min = 8, .max = 8, .split_64_into_32 = true}; }
  uint64_t read(uint64_t offset, [[maybe_unused]] unsigned size) override {
    assert(size == 8);
    if (offset == kMtimeOffset) return c_.mtime();
    const uint64_t hart = offset / 8;
    if (hart < c_.harts()) return c_.mtimecmp(static_cast<unsigned>(hart));
    c_.log_.guest_error("clint: read from reserved MTIMER offset {:#x}", offset);
    return 0;
  }
  void write(uint64_t offset, [[maybe_unused]] unsigned size, uint64_t value) override {
    assert(size == 8);
    if (offset == kMtimeOffset) {
      c_.write_mtime(value);
      return;
    }
    const uint64_t hart = offset / 8;
    if (hart < c_.harts()) {
      c_.write_mtimecmp(static_cast<unsigned>(hart), value);
      return;
    }
    c_.log_.guest_error("clint: write {:#x} to reserved MTIMER offset {:#x}", value, offset);
  }

 private:
  Clint& c_;
};

Clint::Clint(GuestLog& log, TimerGroup& timers, Options options)
    : log_(log), timers_(timers), timebase_(options.timebase), harts_(options.harts) {
  assert(options.harts >= 1 && options.harts <= kMaxHarts);
  assert(!timebase_.is_zero());
  for (unsigned h = 0; h < harts_.size(); ++h) {
    harts_[h].timer = std::make_unique<GuestTimer>(timers_, ClockId::kVirtual,
                                                   [this, h](GuestTime) { on_timer(h); });
  }
  mswi_ = std::make_unique<Mswi>(*this);
  mtimer_ = std::make_unique<Mtimer>(*this);
  evaluate_all();
}

Clint::~Clint() = default;

MmioDevice& Clint::mswi() { return *mswi_; }
MmioDevice& Clint::mtimer() { return *mtimer_; }

void Clint::connect(unsigned hart, IrqLine& msip, IrqLine& mtip) {
  assert(hart < harts_.size());
  Hart& h = harts_[hart];
  h.msip_line = &msip;
  h.mtip_line = &mtip;
  msip.set_level(h.msip);
  mtip.set_level(h.mtip_level);
}

uint64_t Clint::elapsed_ticks() const {
  return timebase_.ticks_in(timers_.clocks().virtual_now().since_epoch(), Round::kDown);
}

uint64_t Clint::mtime() const { return elapsed_ticks() + mtime_offset_; }

void Clint::write_mtime(uint64_t value) {
  mtime_offset_ = value - elapsed_ticks();
  evaluate_all();  // every comparison moved with mtime
  if (mtime_written_) mtime_written_(mtime_offset_);
}

void Clint::write_mtimecmp(unsigned hart, uint64_t value) {
  assert(hart < harts_.size());
  harts_[hart].mtimecmp = value;
  evaluate(hart);
}

void Clint::write_msip(unsigned hart, bool pending) {
  assert(hart < harts_.size());
  Hart& h = harts_[hart];
  if (h.msip == pending) return;
  h.msip = pending;
  if (h.msip_line != nullptr) h.msip_line->set_level(pending);
}

void Clint::reset() {
  for (unsigned h = 0; h < harts_.size(); ++h) write_msip(h, false);
  write_mtime(0);
}

void Clint::evaluate_all() {
  for (unsigned h = 0; h < harts_.size(); ++h) evaluate(h);
}

void Clint::evaluate(unsigned hart) {
  Hart& h = harts_[hart];
  const uint64_t elapsed = elapsed_ticks();
  const uint64_t now = elapsed + mtime_offset_;
  if (h.mtimecmp <= now) {
    h.timer->cancel();
    set_mtip(h, true);
    return;
  }
  set_mtip(h, false);
  // UINT64_MAX means "no interrupt"; a target past 2^64 elapsed ticks is never.
  uint64_t target = 0;
  if (h.mtimecmp == UINT64_MAX || __builtin_add_overflow(elapsed, h.mtimecmp - now, &target)) {
    h.timer->cancel();
    return;
  }
  // The first instant whose tick count (rounded down) reaches `target`.
  h.timer->arm(GuestTime::from_epoch(timebase_.time_for(target, Round::kUp)));
}

GuestTime Clint::instant_of(uint64_t value) const {
  const uint64_t elapsed = elapsed_ticks();
  const uint64_t now = elapsed + mtime_offset_;
  if (value <= now) return GuestTime::epoch();
  uint64_t target = 0;
  if (value == UINT64_MAX || __builtin_add_overflow(elapsed, value - now, &target)) {
    return GuestTime::never();
  }
  return GuestTime::from_epoch(timebase_.time_for(target, Round::kUp));
}

void Clint::on_timer(unsigned hart) {
  evaluate(hart);  // re-checks the comparator; re-arms if mtime moved meanwhile
}

void Clint::set_mtip(Hart& h, bool level) {
  if (h.mtip_level == level) return;
  h.mtip_level = level;
  if (h.mtip_line != nullptr) h.mtip_line->set_level(level);
}

void Clint::save(StateWriter& out) const {
  out.u64(harts_.size());
  out.u64(mtime_offset_);
  for (const Hart& h : harts_) {
    out.u64(h.mtimecmp);
    out.boolean(h.msip);
    out.boolean(h.mtip_level);
    out.guest_time(h.timer->expire_time());
  }
}

void Clint::load(StateReader& in) {
  in.expect_equal(in.u64(), harts_.size(), "the number of harts");
  const uint64_t offset = in.u64();
  struct Saved {
    uint64_t mtimecmp;
    bool msip, mtip;
    GuestTime due;
  };
  std::vector<Saved> saved(harts_.size());
  for (Saved& s : saved) s = {.mtimecmp = in.u64(), .msip = in.boolean(), .mtip = in.boolean(), .due = in.guest_time()};
  if (!in.ok()) return;
  mtime_offset_ = offset;
  for (size_t i = 0; i < harts_.size(); ++i) {
    Hart& h = harts_[i];
    h.mtimecmp = saved[i].mtimecmp;
    h.msip = saved[i].msip;
    h.mtip_level = saved[i].mtip;
    h.timer->arm(saved[i].due);  // never() cancels
  }
}

}  // namespace vtime
