// GuestLog: where devices report guest misbehaviour: a reserved
// offset, a write to a read-only register, a bad access size. Not a C++ error;
// logged, counted, and the architected result applied. A board owns one; tests
// inspect it. Messages are rate-limited per kind by the sink, not by devices.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vtime {

class GuestLog {
 public:
  template <class... Args>
  void guest_error(fmt::format_string<Args...> format, Args&&... args) {
    record(fmt::format(format, std::forward<Args>(args)...));
  }
  uint64_t count() const { return count_; }
  // The most recent messages (at most kKept), oldest first.
  const std::vector<std::string>& recent() const { return recent_; }
  // When set, messages are also printed to stderr (the `vtime` command's -d guest_errors).
  void set_echo(bool echo) { echo_ = echo; }

 private:
  static constexpr size_t kKept = 64;
  void record(std::string message);
  std::vector<std::string> recent_;
  uint64_t count_ = 0;
  bool echo_ = false;
};

}  // namespace vtime
