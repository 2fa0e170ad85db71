// GuestLog: where devices report guest misbehaviour: a reserved
// offset, a write to a read-only register, a bad access size. Not a C++ error;
// logged, counted, and the architected result applied. A board owns one; tests
// inspect it. Messages are rate-limited per kind by the sink, not by devices.
//
// An emulator that embeds the devices routes the messages into its own logger
// by giving the log a GuestErrorSink; GuestLog itself keeps only the count and
// the most recent messages (what the board's report and tests read).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vtime {

// Receives every guest error as one formatted line, on the thread of the
// device access that caused it.
class GuestErrorSink {
 public:
  virtual ~GuestErrorSink() = default;
  virtual void guest_error(std::string_view message) = 0;
};

// A sink that prints "guest error: MESSAGE" lines to stderr (the `vtime`
// command's --guest-errors).
class StderrGuestErrorSink final : public GuestErrorSink {
 public:
  void guest_error(std::string_view message) override;
};

class GuestLog {
 public:
  template <class... Args>
  void guest_error(fmt::format_string<Args...> format, Args&&... args) {
    record(fmt::format(format, std::forward<Args>(args)...));
  }
  uint64_t count() const { return count_; }
  // A restored snapshot's count (errors logged before the save).
  void restore_count(uint64_t count) { count_ = count; }
  // The most recent messages (at most kKept), oldest first.
  std::vector<std::string> recent() const;
  // Every later message also goes to `sink` (null: none). The sink must outlive
  // the log or be replaced first.
  void set_sink(GuestErrorSink* sink) { sink_ = sink; }

 private:
  static constexpr size_t kKept = 64;
  void record(std::string message);
  // A ring, so that a guest that errs on every access replaces the oldest
  // message in O(1): `oldest_` is where the next one goes once it is full.
  std::vector<std::string> recent_;
  size_t oldest_ = 0;
  uint64_t count_ = 0;
  GuestErrorSink* sink_ = nullptr;
};

}  // namespace vtime
