#include "vtime/timer/timer_group.h"

#include <algorithm>
#include <cassert>
#include <utility>
#include <vector>

#include "vtime/timer/timer.h"
#include "vtime/timer/timer_list.h"

namespace vtime {

struct TimerGroup::Impl {
  explicit Impl(VmClocks& c)
      : clocks(c),
        lists{TimerList(ClockId::kRealtime, &c), TimerList(ClockId::kVirtual, &c),
              TimerList(ClockId::kHost, &c), TimerList(ClockId::kVirtualRt, &c)} {}

  VmClocks& clocks;
  std::array<TimerList, kClockCount> lists;
  // Shared with the VmClocks change listener, which may outlive the group
  // (VmClocks cannot remove listeners); the destructor empties it.
  std::shared_ptr<Subscribers> subscribers = std::make_shared<Subscribers>();
  uint64_t next_id = 1;
};

void TimerGroup::Subscribers::notify(ClockId id) const {
  for (const auto& [_, hook] : hooks) hook(id);
}

static_assert(index_of(ClockId::kRealtime) == 0 && index_of(ClockId::kVirtualRt) == 3,
              "Impl::lists is laid out in clock-id order");

TimerGroup::TimerGroup(VmClocks& clocks) : impl_(std::make_unique<Impl>(clocks)) {
  clocks.add_change_listener([subscribers = impl_->subscribers](ClockId id) { subscribers->notify(id); });
  for (TimerList& list : impl_->lists) {
    list.set_notify_hook([subscribers = impl_->subscribers.get()](ClockId id) { subscribers->notify(id); });
  }
}

TimerGroup::~TimerGroup() {
  assert(impl_->subscribers->hooks.empty() && "every Subscription ends before its group");
  impl_->subscribers->hooks.clear();
}

VmClocks& TimerGroup::clocks() const { return impl_->clocks; }

TimerList& TimerGroup::list(ClockId id) { return impl_->lists[index_of(id)]; }

Duration TimerGroup::next_deadline(ClockId id, AttributeMask mask) const {
  return impl_->lists[index_of(id)].next_deadline(mask);
}

GuestTime TimerGroup::next_virtual_deadline(AttributeMask mask) const {
  return GuestTime::from_epoch(next_deadline(ClockId::kVirtual, mask));
}

Duration TimerGroup::deadline_in(ClockId id, AttributeMask mask) const {
  if (!impl_->clocks.enabled(id)) return kNoDeadline;
  const Duration due = next_deadline(id, mask);
  if (due == kNoDeadline) return kNoDeadline;  // idle: no clock read
  return std::max(Duration(0), saturating_sub(due, impl_->clocks.read(id)));
}

Duration TimerGroup::deadline_in_any(std::initializer_list<ClockId> ids,
                                     AttributeMask mask) const {
  Duration soonest = kNoDeadline;
  for (ClockId id : ids) soonest = std::min(soonest, deadline_in(id, mask));
  return soonest;
}

size_t TimerGroup::run_due(ClockId id) {
  if (!impl_->clocks.enabled(id)) return 0;
  TimerList& list = impl_->lists[index_of(id)];
  if (list.next_deadline() == kNoDeadline) return 0;  // idle: no clock read
  return list.run_due(impl_->clocks.read(id));
}

size_t TimerGroup::run_all_due() {
  size_t fired = 0;
  for (ClockId id : kAllClocks) fired += run_due(id);
  return fired;
}

TimerGroup::Subscription TimerGroup::subscribe(NotifyHook hook) {
  assert(hook);
  const uint64_t id = impl_->next_id++;
  impl_->subscribers->hooks.emplace_back(id, std::move(hook));
  return Subscription(this, id);
}

void TimerGroup::unsubscribe(uint64_t id) {
  std::erase_if(impl_->subscribers->hooks, [id](const auto& entry) { return entry.first == id; });
}

TimerGroup::Subscription::Subscription(Subscription&& other) noexcept
    : group_(std::exchange(other.group_, nullptr)), id_(other.id_) {}

TimerGroup::Subscription& TimerGroup::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    group_ = std::exchange(other.group_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void TimerGroup::Subscription::reset() {
  if (group_ != nullptr) std::exchange(group_, nullptr)->unsubscribe(id_);
}

// TimerBase's group-facing members live here, the one file that needs VmClocks.
TimerBase::TimerBase(TimerGroup& group, ClockId clock, RawCallback callback,
                     TimerOptions options)
    : TimerBase(group.list(clock), std::move(callback), options) {}

Duration TimerBase::clock_now_raw() const {
  assert(list_->clocks() != nullptr && "arm_in() needs a list that reads VmClocks");
  return list_->clocks()->read(list_->clock());
}

}  // namespace vtime
