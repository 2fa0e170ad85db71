#include "vtime/machine/escape_keys.h"

#include <fmt/format.h>

namespace vtime {

EscapeKeys::Action EscapeKeys::feed(uint8_t byte) {
  if (!got_escape_) {
    if (byte != escape_) return Action::kPass;
    got_escape_ = true;
    return Action::kSwallow;
  }
  got_escape_ = false;
  if (byte == escape_) return Action::kPass;
  switch (byte) {
    case 'x': return Action::kExit;
    case 'h': return Action::kHelp;
    case 't': return Action::kTimestamps;
    case 'c': return Action::kMonitor;
    case 'b': return Action::kBreak;
    default: return Action::kSwallow;
  }
}

std::string EscapeKeys::key_name(uint8_t key) {
  if (key >= 1 && key <= 26) return fmt::format("C-{}", static_cast<char>('a' + key - 1));
  return fmt::format("{:#04x}", key);
}

std::string EscapeKeys::help() const {
  const std::string k = key_name(escape_);
  std::string out;
  for (const auto& [key, what] : {std::pair{"h", "print this help"},
                                  std::pair{"x", "exit vtime (the report is printed)"},
                                  std::pair{"t", "toggle console timestamps"},
                                  std::pair{"c", "switch between the console and the monitor"},
                                  std::pair{"b", "send a break"}}) {
    out += fmt::format("{} {}    {}\r\n", k, key, what);
  }
  out += fmt::format("{} {}  send {}\r\n", k, k, k);
  return out;
}

}  // namespace vtime
