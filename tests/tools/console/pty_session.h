// PtySession: the `vtime` command on a real pseudo-terminal, driven the way a
// person at a terminal (or expect) drives it: read what appears, type keys.
// Timeouts are generous (the machine may be loaded): a test asserts what
// appears and in which order, never how fast beyond "before a guest timer".
#pragma once

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "vtime/time/system_host_clock.h"

namespace vtime::testing {

class PtySession {
 public:
  // Starts `argv` (argv[0] is the program) on a new pseudo-terminal.
  explicit PtySession(const std::vector<std::string>& argv) {
    termios settings = cooked();
    pid_ = forkpty(&master_, nullptr, &settings, nullptr);
    if (pid_ == 0) {
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~PtySession() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  // A terminal as a shell leaves it: canonical, echo, signals.
  static termios cooked() {
    termios t{};
    t.c_iflag = ICRNL | IXON;
    t.c_oflag = OPOST | ONLCR;
    t.c_cflag = CS8 | CREAD | CLOCAL;
    t.c_lflag = ICANON | ECHO | ECHOE | ISIG | IEXTEN;
    t.c_cc[VINTR] = 0x03;
    t.c_cc[VQUIT] = 0x1c;
    t.c_cc[VSUSP] = 0x1a;
    t.c_cc[VEOF] = 0x04;
    t.c_cc[VMIN] = 1;
    cfsetispeed(&t, B38400);
    cfsetospeed(&t, B38400);
    return t;
  }

  bool started() const { return pid_ > 0 && master_ >= 0; }

  // Reads until `needle` appears after everything matched so far, or `timeout`
  // of host time passes. Returns whether it appeared; output() has it all.
  bool expect(std::string_view needle, Duration timeout = 60s) {
    const HostTime end = host_.now() + timeout;
    for (;;) {
      const size_t at = output_.find(needle, matched_);
      if (at != std::string::npos) {
        matched_ = at + needle.size();
        return true;
      }
      const Duration left = end - host_.now();
      if (left <= Duration(0) || !read_some(left)) return false;
    }
  }
  // What has appeared since the last match (not yet matched).
  std::string unmatched() const { return output_.substr(matched_); }
  const std::string& output() const { return output_; }

  void type(std::string_view keys) { [[maybe_unused]] auto n = write(master_, keys.data(), keys.size()); }

  // Waits for the program to exit; its exit status, or -1 (killed, timeout).
  int wait_exit(Duration timeout = 60s) {
    const HostTime end = host_.now() + timeout;
    while (host_.now() < end) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        while (read_some(10ms)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      read_some(10ms);
    }
    return -1;
  }
  // The terminal's settings now (the program's side of the pseudo-terminal).
  termios settings() const {
    termios t{};
    tcgetattr(master_, &t);
    return t;
  }
  HostClock& clock() { return host_; }

 private:
  bool read_some(Duration timeout) {
    pollfd p{.fd = master_, .events = POLLIN, .revents = 0};
    const int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) + 1;
    if (poll(&p, 1, ms) <= 0) return false;
    char buf[4096];
    const ssize_t n = read(master_, buf, sizeof buf);
    if (n <= 0) return false;
    output_.append(buf, static_cast<size_t>(n));
    return true;
  }

  SystemHostClock host_;
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string output_;
  size_t matched_ = 0;
};

}  // namespace vtime::testing
