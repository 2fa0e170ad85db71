#include "vtime/machine/stdio_console.h"

#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>

namespace vtime {

StdioConsole::StdioConsole(Terminal terminal, int in_fd, int out_fd)
    : in_fd_(in_fd), out_fd_(out_fd) {
  termios t{};
  if (terminal == Terminal::kRaw && isatty(in_fd_) == 1 && tcgetattr(in_fd_, &t) == 0) {
    saved_ = t;
    t.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ECHONL | ISIG | IEXTEN);
    t.c_iflag &= ~static_cast<tcflag_t>(ICRNL | INLCR | IGNCR | IXON | IXOFF | BRKINT | ISTRIP);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(in_fd_, TCSANOW, &t);
  }
}

StdioConsole::~StdioConsole() {
  flush();
  restore_terminal();
}

void StdioConsole::restore_terminal() {
  if (!saved_) return;
  tcsetattr(in_fd_, TCSANOW, &*saved_);
  saved_.reset();
}

void StdioConsole::use_clock_for_timestamps(HostClock& clock) {
  clock_ = &clock;
  clock_start_ = clock.now();
}

void StdioConsole::write(uint8_t byte) {
  if (timestamps_ && at_line_start_ && clock_ != nullptr) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now() - clock_start_).count();
    put(fmt::format("[{:02}:{:02}:{:02}.{:03}] ", ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60, ms % 1000));
  }
  at_line_start_ = byte == '\n';
  put(static_cast<char>(byte));
}

void StdioConsole::use_monitor(std::function<std::string(std::string_view)> run_line, std::string prompt) {
  run_monitor_line_ = std::move(run_line);
  monitor_prompt_ = std::move(prompt);
}

void StdioConsole::start_in_monitor() {
  if (!run_monitor_line_ || in_monitor_) return;
  in_monitor_ = true;
  put("vtime monitor - type 'help' for the commands\r\n" + monitor_prompt_);
  flush();
}

void StdioConsole::put_crlf(std::string_view text) {
  for (char c : text) {
    if (c == '\n') put('\r');
    put(c);
  }
}

void StdioConsole::monitor_key(uint8_t byte) {
  if (byte == '\r' || byte == '\n') {
    put("\r\n");
    const std::string line = std::move(monitor_line_);
    monitor_line_.clear();
    if (!line.empty()) put_crlf(run_monitor_line_(line));
    if (in_monitor_) put(monitor_prompt_);  // the line may have been `cont` or `quit`: still here
  } else if (byte == 0x7f || byte == 0x08) {
    if (!monitor_line_.empty()) {
      monitor_line_.pop_back();
      put("\b \b");
    }
  } else if (byte >= 0x20 && byte < 0x7f && monitor_line_.size() < 4096) {
    monitor_line_.push_back(static_cast<char>(byte));
    put(static_cast<char>(byte));  // the terminal does not echo: the monitor does
  }
  flush();
}

bool StdioConsole::handle_key(uint8_t byte) {
  const EscapeKeys::Action action = keys_.feed(byte);
  if (in_monitor_ && action == EscapeKeys::Action::kPass) {
    monitor_key(byte);
    return false;
  }
  switch (action) {
    case EscapeKeys::Action::kPass:
      return true;
    case EscapeKeys::Action::kBreak:
      break_pending_ = true;
      return false;
    case EscapeKeys::Action::kMonitor:
      if (!run_monitor_line_) return false;
      in_monitor_ = !in_monitor_;
      put(in_monitor_ ? "\r\nvtime monitor - type 'help' for the commands\r\n" + monitor_prompt_ : std::string("\r\n"));
      flush();
      return false;
    case EscapeKeys::Action::kSwallow:
      return false;
    case EscapeKeys::Action::kExit:
      exit_requested_ = true;
      if (on_exit_) on_exit_();
      return false;
    case EscapeKeys::Action::kHelp:
      put(keys_.help());
      flush();
      return false;
    case EscapeKeys::Action::kTimestamps:
      if (clock_ != nullptr) timestamps_ = !timestamps_;
      return false;
  }
  return false;
}

void StdioConsole::flush() {
  size_t done = 0;
  while (done < out_len_) {
    const ssize_t n = ::write(out_fd_, out_buf_ + done, out_len_ - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // output closed: drop what the guest printed
    done += static_cast<size_t>(n);
  }
  out_len_ = 0;
}

std::optional<uint8_t> StdioConsole::poll_input() {
  while (!eof_ && !exit_requested_) {
    pollfd p{.fd = in_fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, 0) <= 0 || (p.revents & (POLLIN | POLLHUP)) == 0) return std::nullopt;
    uint8_t byte = 0;
    const ssize_t n = ::read(in_fd_, &byte, 1);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) eof_ = true;  // no more input
    if (n != 1) return std::nullopt;
    if (!keys_active()) {
      if (!in_monitor_) return byte;
      monitor_key(byte);  // a pipe into the monitor: no keys, every line a command
      continue;
    }
    if (handle_key(byte)) return byte;
  }
  return std::nullopt;
}

}  // namespace vtime
