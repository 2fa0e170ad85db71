#include "vtime/devices/guest_log.h"

#include <cstdio>

namespace vtime {

void StderrGuestErrorSink::guest_error(std::string_view message) {
  std::fprintf(stderr, "guest error: %.*s\n", static_cast<int>(message.size()), message.data());
}

void GuestLog::record(std::string message) {
  ++count_;
  if (sink_ != nullptr) sink_->guest_error(message);
  if (recent_.size() < kKept) {
    recent_.push_back(std::move(message));
    return;
  }
  recent_[oldest_] = std::move(message);
  oldest_ = (oldest_ + 1) % kKept;
}

std::vector<std::string> GuestLog::recent() const {
  std::vector<std::string> out(recent_.begin() + static_cast<std::ptrdiff_t>(oldest_), recent_.end());
  out.insert(out.end(), recent_.begin(), recent_.begin() + static_cast<std::ptrdiff_t>(oldest_));
  return out;
}

}  // namespace vtime
