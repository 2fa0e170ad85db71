// ConsoleFlusher: sits between the UART and the console backend and bounds how
// long guest output may wait in the backend's buffer. A backend buffers so
// that bulk output costs one system call per few kilobytes, not one per byte;
// but a prompt ("=> ", "login: ") or an echoed key is a few bytes with no
// newline after it, and a person must see it at once. The first byte written
// after a flush arms a REALTIME timer 1 ms of host time ahead that flushes;
// the run loop also flushes before every idle wait (a guest that waits for a
// key has said all it had to say). The timer is host-side only: it never
// changes what the guest observes.
#pragma once

#include <optional>

#include "vtime/devices/console_backend.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

class ConsoleFlusher final : public ConsoleBackend {
 public:
  static constexpr Duration kMaxDelay = 1ms;

  ConsoleFlusher(ConsoleBackend& backend, TimerGroup& timers);

  void write(uint8_t byte) override;
  std::optional<uint8_t> poll_input() override { return backend_.poll_input(); }
  void flush() override;
  int input_fd() const override { return backend_.input_fd(); }
  bool take_break() override { return backend_.take_break(); }

  bool pending() const { return pending_; }

 private:
  ConsoleBackend& backend_;
  HostTimer timer_;
  bool pending_ = false;
};

}  // namespace vtime
