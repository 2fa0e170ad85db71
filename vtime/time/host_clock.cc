#include "vtime/time/host_clock.h"

#include <algorithm>

namespace vtime {

HostClock::ListenerId HostClock::add_wall_step_listener(WallStepListener listener) {
  std::lock_guard lock(listeners_mutex_);
  const ListenerId id = next_listener_id_++;
  listeners_.emplace_back(id, std::move(listener));
  return id;
}

void HostClock::remove_wall_step_listener(ListenerId id) {
  std::lock_guard lock(listeners_mutex_);
  std::erase_if(listeners_, [id](const auto& entry) { return entry.first == id; });
}

void HostClock::report_wall_step(Duration step) {
  // Copy first: a listener may add or remove listeners while being told.
  std::vector<std::pair<ListenerId, WallStepListener>> snapshot;
  {
    std::lock_guard lock(listeners_mutex_);
    snapshot = listeners_;
  }
  for (auto& [id, listener] : snapshot) listener(step);
}

}  // namespace vtime
