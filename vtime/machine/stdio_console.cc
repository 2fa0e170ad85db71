#include "vtime/machine/stdio_console.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace vtime {

StdioConsole::StdioConsole(Terminal terminal, int in_fd, int out_fd)
    : in_fd_(in_fd), out_fd_(out_fd) {
  termios t{};
  if (terminal == Terminal::kRaw && isatty(in_fd_) == 1 && tcgetattr(in_fd_, &t) == 0) {
    saved_ = t;
    t.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    t.c_iflag &= ~static_cast<tcflag_t>(ICRNL);
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

void StdioConsole::write(uint8_t byte) {
  out_buf_[out_len_++] = static_cast<char>(byte);
  if (byte == '\n' || out_len_ == sizeof(out_buf_)) flush();
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
  if (eof_) return std::nullopt;
  pollfd p{.fd = in_fd_, .events = POLLIN, .revents = 0};
  if (::poll(&p, 1, 0) <= 0 || (p.revents & (POLLIN | POLLHUP)) == 0) return std::nullopt;
  uint8_t byte = 0;
  const ssize_t n = ::read(in_fd_, &byte, 1);
  if (n == 1) return byte;
  if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) eof_ = true;  // no more input
  return std::nullopt;
}

}  // namespace vtime
