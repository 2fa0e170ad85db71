// Hmp: QEMU's human monitor, the subset vtime has, one line in, text out:
//   help | info status | info registers | info jit | info time
//   stop | cont | system_reset | quit | cpu N | cpu_throttle N|off
// Unknown commands and bad arguments get one line saying so; nothing a line
// says can disturb the guest except the commands that are meant to.
#pragma once

#include <string>
#include <string_view>

#include "vtime/monitor/actions.h"

namespace vtime::monitor {

// HMP text ends its lines in "\n"; a terminal or a socket gets "\r\n".
std::string to_crlf(std::string_view text);

class Hmp {
 public:
  explicit Hmp(Actions& actions) : actions_(actions) {}
  // Runs one command line; returns what the monitor prints (may be empty).
  std::string execute(std::string_view line);
  static constexpr std::string_view kPrompt = "(vtime) ";

 private:
  std::string info(std::string_view what);
  std::string registers();
  Actions& actions_;
};

}  // namespace vtime::monitor
