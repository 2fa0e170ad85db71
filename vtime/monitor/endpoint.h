// Endpoint: where a monitor listens, in QEMU's chardev syntax:
//   unix:PATH,server=on[,wait=off]       a Unix socket at PATH
//   tcp:HOST:PORT,server=on[,wait=off]   a TCP socket (HOST empty: 127.0.0.1)
//   stdio                                 the terminal (HMP only: the console
//                                         starts in the monitor, C-a c switches)
// vtime's monitors only listen and never hold the start for a client, so
// server=on is required and wait=on is refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vtime/time/result.h"

namespace vtime::monitor {

struct Endpoint {
  enum class Kind : uint8_t { kUnix, kTcp, kStdio };
  Kind kind = Kind::kUnix;
  std::string path;               // kUnix
  std::string host = "127.0.0.1";  // kTcp
  uint16_t port = 0;               // kTcp; 0: any free port
};

// `option` names the option in errors ("--qmp").
Result<Endpoint> parse_endpoint(std::string_view spec, std::string_view option);

}  // namespace vtime::monitor
