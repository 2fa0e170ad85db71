// StdioConsole: the `vtime` command's console backend on the process's stdin
// and stdout. Input is polled with poll(2) and a zero timeout, so it never
// blocks and leaves the descriptor's flags alone. When stdin is a terminal it
// goes to character-at-a-time mode without echo (ICANON, ECHO and ICRNL off,
// so Enter sends '\r' as on a serial line; ISIG stays on so Ctrl-C still
// interrupts, and output post-processing stays on); the destructor (and
// restore_terminal()) puts the original settings back. Output is buffered and
// flushed at each newline and by flush().
#pragma once

#include <termios.h>

#include <cstdint>
#include <optional>

#include "vtime/devices/console_backend.h"

namespace vtime {

class StdioConsole final : public ConsoleBackend {
 public:
  enum class Terminal : uint8_t { kRaw, kLeaveAsIs };

  explicit StdioConsole(Terminal terminal = Terminal::kRaw, int in_fd = 0, int out_fd = 1);
  ~StdioConsole() override;
  StdioConsole(const StdioConsole&) = delete;
  StdioConsole& operator=(const StdioConsole&) = delete;

  void write(uint8_t byte) override;
  std::optional<uint8_t> poll_input() override;
  void flush() override;
  int input_fd() const override { return eof_ ? -1 : in_fd_; }

  // Idempotent; also safe to call from an exit path before the destructor.
  void restore_terminal();

 private:
  int in_fd_;
  int out_fd_;
  bool eof_ = false;
  std::optional<termios> saved_;
  char out_buf_[4096];
  size_t out_len_ = 0;
};

}  // namespace vtime
