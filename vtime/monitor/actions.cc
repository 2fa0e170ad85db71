#include "vtime/monitor/actions.h"

#include "vtime/icount/cpu_throttle.h"

namespace vtime::monitor {

void Actions::stop() {
  if (board_.paused()) return;
  board_.pause();
  events_("STOP", nlohmann::json::object());
}

void Actions::cont() {
  if (!board_.paused()) return;
  board_.unpause();
  events_("RESUME", nlohmann::json::object());
}

void Actions::system_reset() {
  board_.request_reset();
  events_("RESET", {{"guest", false}, {"reason", "host-qmp-system-reset"}});
}

void Actions::quit() {
  board_.request_quit();
  shutdown(false, "host-qmp-quit");
}

void Actions::set_throttle(int percent) {
  if (percent <= 0) board_.throttle().stop();
  else board_.throttle().set(percent);
}

void Actions::shutdown(bool by_guest, std::string_view reason) {
  if (shut_down_) return;
  shut_down_ = true;
  events_("SHUTDOWN", {{"guest", by_guest}, {"reason", reason}});
}

bool Actions::select_hart(size_t index) {
  if (index >= board_.hart_count()) return false;
  current_hart_ = index;
  return true;
}

}  // namespace vtime::monitor
