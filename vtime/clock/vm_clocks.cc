// VmClocks bookkeeping (done once for both guest clocks): each guest
// clock is an "internal" time line that only moves forward, plus an era that
// only restore() changes (reported = internal - era).
//  - Stop freezes internal at its clamped reading; resume re-bases it on the
//    host so it continues from exactly there (QEMU's cpu_clock_offset dance).
//  - The clamp: every running read pushes its internal value into a high-water
//    mark and returns the maximum of its value and the marks, so no read - on
//    any thread - returns less than a read that happened before it, whatever
//    the host's monotonic source or an installed VIRTUAL source does.
//  - Two marks, because the owner reads far more often than anyone else: the
//    owner's mark is stored by the owner alone, with a plain store (it only
//    ever grows, and the owner is the only writer, so no read-modify-write is
//    needed); other threads fetch-max into a mark of their own. A reader
//    returns at least both marks, so values published by either side bound
//    every later read on the other.
//  - The owner reads its private copy of the timebase: it is the seqlock's only
//    writer, so it can never see a torn or changing one.
//  - Owner changes run inside Seqlock::update(): other readers are held off,
//    and the owner's load of their mark sees every value a reader returned
//    under the old timebase (see read_guest()), so a frozen value is never
//    below one already returned and stopped reads need no clamp at all.
#include "vtime/clock/vm_clocks.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace vtime {
namespace {

int64_t add_saturating(int64_t a, int64_t b) {
  return saturating_add(Duration(a), Duration(b)).count();
}

int64_t sub_saturating(int64_t a, int64_t b) {
  return saturating_sub(Duration(a), Duration(b)).count();
}

// A per-thread address: comparing it is one fs-relative address computation,
// cheaper than pthread_self() or std::this_thread::get_id().
thread_local char t_thread_marker;
const void* this_thread_marker() { return &t_thread_marker; }

}  // namespace

VmClocks::VmClocks(HostClock& host, Options options)
    : host_(host), tsc_(options.tsc), owner_{}, timebase_(), owner_thread_(this_thread_marker()) {
  assert(!tsc_.is_zero());
  const bool running = options.initial_state == RunState::kRunning;
  // Guest time starts at its epoch: internal 0 now, era 0.
  const int64_t base = running ? -host_ns() : 0;
  owner_ = Timebase{.source = nullptr,
                    .running = running ? 1U : 0U,
                    .virtual_line = {.base = base, .era = 0},
                    .rt_line = {.base = base, .era = 0}};
  timebase_.write(owner_);
  for (auto& flag : enabled_) flag.store(true, std::memory_order_relaxed);
}

VmClocks::~VmClocks() = default;

HostClock& VmClocks::host() const { return host_; }

void VmClocks::adopt_owner_thread() { owner_thread_ = this_thread_marker(); }

bool VmClocks::on_owner_thread() const { return owner_thread_ == this_thread_marker(); }

int64_t VmClocks::host_ns() { return host_.now().since_epoch().count(); }

// A running clock's internal value under timebase `tb` (a reader's snapshot or
// the owner's copy), before the clamp.
inline int64_t VmClocks::running_internal(Guest which, const Timebase& tb) {
  const Line& l = which == Guest::kVirtual ? tb.virtual_line : tb.rt_line;
  if (which == Guest::kVirtual && tb.source != nullptr) {
    return add_saturating(tb.source->virtual_now().since_epoch().count(), l.era);
  }
  return add_saturating(host_ns(), l.base);
}

// A template so that each clock's read compiles to straight-line code.
template <VmClocks::Guest which>
VmClocks::Reading VmClocks::read_guest() {
  if (on_owner_thread()) return read_guest_as_owner<which>();
  std::atomic<int64_t>& foreign = foreign_high_water(which);
  for (;;) {
    const uint64_t seq = timebase_.read_begin();
    const Timebase tb = timebase_.read_data();
    if (!timebase_.read_valid(seq)) continue;  // torn: never compute with it
    const Line line = which == Guest::kVirtual ? tb.virtual_line : tb.rt_line;
    if (tb.running == 0) return Reading{.internal = line.base, .era = line.era};
    const int64_t internal = running_internal(which, tb);
    // Still current after the host read? Then the host was read before any
    // stop, and our value cannot exceed what the owner freezes.
    if (!timebase_.read_valid(seq)) continue;
    // Fetch-max, seq_cst: paired with the seq_cst odd store in update(), the
    // owner sees this value if the check below passes.
    int64_t seen = foreign.load(std::memory_order_seq_cst);
    while (internal > seen &&
           !foreign.compare_exchange_weak(seen, internal, std::memory_order_seq_cst)) {
    }
    const int64_t owners = high_water(which).load(std::memory_order_acquire);
    // An owner change between the snapshot and the fetch-max (stop, restore)
    // may not have seen our value, or pairs a new mark with an old era.
    if (!timebase_.read_valid(seq)) continue;
    return Reading{.internal = std::max({internal, seen, owners}), .era = line.era};
  }
}

// The owner's read: its own copy of the timebase, and a plain store of a new
// maximum into its mark (release: another thread that sees it also sees
// everything the owner did before this read).
template <VmClocks::Guest which>
VmClocks::Reading VmClocks::read_guest_as_owner() {
  const Line& l = line(which);
  if (owner_.running == 0) return Reading{.internal = l.base, .era = l.era};
  return Reading{.internal = clamp_as_owner(which, running_internal(which, owner_)), .era = l.era};
}

int64_t VmClocks::clamp_as_owner(Guest which, int64_t internal) {
  std::atomic<int64_t>& mine = high_water(which);
  const int64_t own = mine.load(std::memory_order_relaxed);  // only this thread stores it
  const int64_t others = foreign_high_water(which).load(std::memory_order_seq_cst);
  const int64_t result = std::max({internal, own, others});
  if (result > own) mine.store(result, std::memory_order_release);
  return result;
}

HostTime VmClocks::realtime_now() { return host_.now(); }

WallTime VmClocks::host_now() { return host_.wall_now(); }

GuestTime VmClocks::virtual_now() {
  const Reading r = read_guest<Guest::kVirtual>();
  return GuestTime::from_epoch(Duration(sub_saturating(r.internal, r.era)));
}

GuestTime VmClocks::virtual_rt_now() {
  const Reading r = read_guest<Guest::kVirtualRt>();
  return GuestTime::from_epoch(Duration(sub_saturating(r.internal, r.era)));
}

Duration VmClocks::read(ClockId id) {
  switch (id) {
    case ClockId::kRealtime: return realtime_now().since_epoch();
    case ClockId::kVirtual: return virtual_now().since_epoch();
    case ClockId::kHost: return host_now().since_epoch();
    case ClockId::kVirtualRt: return virtual_rt_now().since_epoch();
  }
  assert(false && "unknown ClockId");
  return Duration(0);
}

uint64_t VmClocks::tsc() {
  const Duration v = virtual_now().since_epoch();
  // Same result as ticks_in(v, kDown); a 64-bit division when the product fits
  // skips the 128-bit one (a library call) for the first ~584 years / GHz.
  uint64_t product = 0;
  if (v.count() >= 0 && !__builtin_mul_overflow(static_cast<uint64_t>(v.count()), tsc_.hz(), &product)) {
    return product / 1'000'000'000U;
  }
  return tsc_.ticks_in(v, Round::kDown);
}

Frequency VmClocks::tsc_frequency() const { return tsc_; }

// --- Run state ---------------------------------------------------------------

RunState VmClocks::run_state() const {
  return timebase_.read().running != 0 ? RunState::kRunning : RunState::kStopped;
}

int64_t VmClocks::fold(Guest which) {
  assert(on_owner_thread() && "stop/resume/restore/set_virtual_source belong to the owner thread");
  assert(owner_.running != 0);
  return clamp_as_owner(which, running_internal(which, owner_));
}

void VmClocks::freeze() {
  assert(owner_.running != 0);
  const int64_t v = fold(Guest::kVirtual);
  const int64_t rt = fold(Guest::kVirtualRt);
  owner_.running = 0;
  owner_.virtual_line.base = v;
  owner_.rt_line.base = rt;
}

void VmClocks::thaw() {
  assert(owner_.running == 0);
  const int64_t now = host_ns();
  owner_.virtual_line.base = sub_saturating(owner_.virtual_line.base, now);
  owner_.rt_line.base = sub_saturating(owner_.rt_line.base, now);
  owner_.running = 1;
}

void VmClocks::stop() {
  if (owner_.running == 0) return;
  timebase_.update([this] {
    freeze();
    return owner_;
  });
  notify_run_state(RunState::kStopped);
}

void VmClocks::resume() {
  if (owner_.running != 0) return;
  timebase_.update([this] {
    thaw();
    return owner_;
  });
  notify_run_state(RunState::kRunning);
  notify_change(ClockId::kVirtual);
  notify_change(ClockId::kVirtualRt);
}

// --- Enable flags, source, listeners -----------------------------------------

void VmClocks::enable(ClockId id) {
  if (!enabled_[index_of(id)].exchange(true, std::memory_order_acq_rel)) notify_change(id);
}

void VmClocks::disable(ClockId id) {
  enabled_[index_of(id)].store(false, std::memory_order_release);
}

bool VmClocks::enabled(ClockId id) const {
  return enabled_[index_of(id)].load(std::memory_order_acquire);
}

void VmClocks::set_virtual_source(VirtualTimeSource* source) {
  if (source == owner_.source) return;
  timebase_.update([this, source] {
    if (owner_.running != 0 && source == nullptr) {
      // Back to host running time: re-base so VIRTUAL continues from the
      // source's last (clamped) value.
      owner_.virtual_line.base = sub_saturating(fold(Guest::kVirtual), host_ns());
    }
    owner_.source = source;
    return owner_;
  });
  notify_change(ClockId::kVirtual);
}

void VmClocks::add_change_listener(ChangeListener listener) {
  change_listeners_.push_back(std::move(listener));
}

void VmClocks::add_run_state_listener(RunStateListener listener) {
  run_state_listeners_.push_back(std::move(listener));
}

void VmClocks::notify_change(ClockId id) {
  // Copy: a listener may register another listener while being told.
  const std::vector<ChangeListener> listeners = change_listeners_;
  for (const auto& listener : listeners) listener(id);
}

void VmClocks::notify_run_state(RunState state) {
  const std::vector<RunStateListener> listeners = run_state_listeners_;
  for (const auto& listener : listeners) listener(state);
}

}  // namespace vtime
