#include "vtime/devices/guest_log.h"

#include <cstdio>

namespace vtime {

void GuestLog::record(std::string message) {
  ++count_;
  if (echo_) std::fprintf(stderr, "guest error: %s\n", message.c_str());
  if (recent_.size() == kKept) recent_.erase(recent_.begin());
  recent_.push_back(std::move(message));
}

}  // namespace vtime
