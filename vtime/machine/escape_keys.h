// EscapeKeys: the console keys of QEMU's -nographic mode, as a state machine
// over the bytes typed at the terminal. The escape key (Ctrl-A unless the user
// picks another, as with QEMU's -echr) followed by
//   x  exit          h  this help       t  toggle console timestamps
//   c  switch between the guest's console and the monitor   b  send a break
//   the escape key again: send the escape key itself to the guest
// Every other byte goes to the guest unchanged; an unknown key after the
// escape is dropped (as QEMU does). Only a terminal gets this treatment: bytes
// from a pipe or a file pass through as they are.
#pragma once

#include <cstdint>
#include <string>

namespace vtime {

class EscapeKeys {
 public:
  enum class Action : uint8_t {
    kPass,        // deliver the byte to the guest
    kSwallow,     // nothing to do (the escape key itself, or an unknown key after it)
    kExit,
    kHelp,
    kTimestamps,
    kMonitor,
    kBreak,
  };
  static constexpr uint8_t kDefaultEscape = 0x01;  // Ctrl-A

  explicit EscapeKeys(uint8_t escape = kDefaultEscape) : escape_(escape) {}

  Action feed(uint8_t byte);
  uint8_t escape() const { return escape_; }
  // The key's name as the help shows it: "C-a" for 0x01..0x1a, else "0xNN".
  static std::string key_name(uint8_t key);
  // The help text C-h prints (lines end in "\r\n": the terminal is raw).
  std::string help() const;

 private:
  uint8_t escape_;
  bool got_escape_ = false;
};

}  // namespace vtime
