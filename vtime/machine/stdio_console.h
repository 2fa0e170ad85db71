// StdioConsole: the `vtime` command's console backend on the process's stdin
// and stdout. Input is polled with poll(2) and a zero timeout, so it never
// blocks and leaves the descriptor's flags alone. When stdin is a terminal it
// goes raw, as QEMU's -nographic console: character at a time, no echo, Enter
// sends '\r' as on a serial line, and no signal keys or flow control, so
// Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-S reach the guest (output post-processing
// stays on). Then the escape key (EscapeKeys: Ctrl-A by default) gives the
// console commands: exit, help, timestamps. The destructor (and
// restore_terminal()) puts the original settings back. Output is buffered:
// written when the buffer is full and by flush(), which the board calls within
// 1 ms of host time of the guest writing (ConsoleFlusher), before it idles,
// and at exit.
#pragma once

#include <termios.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "vtime/devices/console_backend.h"
#include "vtime/machine/escape_keys.h"
#include "vtime/time/host_clock.h"

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
  bool take_break() override { return std::exchange(break_pending_, false); }

  // Idempotent; also safe to call from an exit path before the destructor.
  void restore_terminal();

  // The console keys (a terminal only). The escape key (QEMU's -echr).
  void set_escape_key(uint8_t key) { keys_ = EscapeKeys(key); }
  // What `escape x` does (the command asks the board to stop).
  void on_exit_key(std::function<void()> exit) { on_exit_ = std::move(exit); }
  // `escape t` stamps each output line with the host time since `clock`'s
  // now at this call; without a clock the key does nothing.
  void use_clock_for_timestamps(HostClock& clock);
  // `escape c` switches the terminal to a monitor: typed lines go to
  // `run_line` (its answer is printed, then `prompt`) instead of the guest,
  // until `escape c` again. Without a monitor the key does nothing.
  void use_monitor(std::function<std::string(std::string_view line)> run_line, std::string prompt);
  bool in_monitor() const { return in_monitor_; }
  // The terminal (or a pipe: then every input line is a monitor command)
  // starts in the monitor; after use_monitor().
  void start_in_monitor();
  bool keys_active() const { return saved_.has_value(); }
  bool timestamps() const { return timestamps_; }

 private:
  int in_fd_;
  int out_fd_;
  bool eof_ = false;
  void put(char c) {
    out_buf_[out_len_++] = c;
    if (out_len_ == sizeof(out_buf_)) flush();
  }
  void put(std::string_view s) {
    for (char c : s) put(c);
  }
  // Handles one console key; true if the byte goes to the guest.
  bool handle_key(uint8_t byte);
  void monitor_key(uint8_t byte);  // a byte typed while in the monitor
  void put_crlf(std::string_view text);

  std::optional<termios> saved_;
  EscapeKeys keys_;
  std::function<void()> on_exit_;
  HostClock* clock_ = nullptr;
  HostTime clock_start_;
  bool timestamps_ = false;
  bool at_line_start_ = true;
  bool exit_requested_ = false;
  std::function<std::string(std::string_view)> run_monitor_line_;
  std::string monitor_prompt_;
  std::string monitor_line_;
  bool in_monitor_ = false;
  bool break_pending_ = false;  // `escape b`
  char out_buf_[4096];
  size_t out_len_ = 0;
};

}  // namespace vtime
