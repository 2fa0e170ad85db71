#include "vtime/devices/guest_log.h"

#include <cstdio>

namespace vtime {

void StderrGuestErrorSink::guest_error(std::string_view message) {
  std::fprintf(stderr, "guest error: %.*s\n", static_cast<int>(message.size()), message.data());
}

void GuestLog::record(std::string message) {
  ++count_;
  if (sink_ != nullptr) sink_->guest_error(message);
  if (recent_.size() == kKept) recent_.erase(recent_.begin());
  recent_.push_back(std::move(message));
}

}  // namespace vtime
