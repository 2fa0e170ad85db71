// ConsoleBackend: where a serial device's bytes go and come from. Output is
// written as the guest transmits; input is polled, never waited for, so a guest
// that reads an empty console cannot block the run loop. BufferConsole serves
// tests and captured runs; the `vtime` command's terminal backend lives in
// vtime/machine/stdio_console.h.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace vtime {

class ConsoleBackend {
 public:
  virtual ~ConsoleBackend() = default;
  virtual void write(uint8_t byte) = 0;
  // The next input byte if one is available right now; never blocks.
  virtual std::optional<uint8_t> poll_input() = 0;
  // Pushes buffered output to its destination (run loop: before sleeping, at exit).
  virtual void flush() {}
  // True once per break the user sent (the line held low: QEMU's C-a b) since
  // the last call; a serial device delivers it as a break condition.
  virtual bool take_break() { return false; }
  // A file descriptor that becomes readable when input arrives, for a run loop
  // that sleeps in poll(); -1 when there is none.
  virtual int input_fd() const { return -1; }
};

// Captures output in a string and serves input from a queue fed by the test.
class BufferConsole final : public ConsoleBackend {
 public:
  void write(uint8_t byte) override { output_.push_back(static_cast<char>(byte)); }
  std::optional<uint8_t> poll_input() override {
    if (input_.empty()) return std::nullopt;
    const uint8_t b = input_.front();
    input_.pop_front();
    return b;
  }
  void feed(std::string_view bytes) {
    for (char c : bytes) input_.push_back(static_cast<uint8_t>(c));
  }
  void send_break() { break_ = true; }
  bool take_break() override {
    const bool b = break_;
    break_ = false;
    return b;
  }
  const std::string& output() const { return output_; }
  size_t pending_input() const { return input_.size(); }
  bool break_pending() const { return break_; }
  void clear_output() { output_.clear(); }

 private:
  std::string output_;
  std::deque<uint8_t> input_;
  bool break_ = false;
};

}  // namespace vtime
