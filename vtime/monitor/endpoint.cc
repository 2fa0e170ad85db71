#include "vtime/monitor/endpoint.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "vtime/time/printable.h"

namespace vtime::monitor {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view spec, std::string_view option) {
  const auto bad = [&](std::string_view why) {
    return Error{fmt::format("{}: '{}' {} (examples: unix:/tmp/vtime.sock,server=on,wait=off or "
                             "tcp:127.0.0.1:4444,server=on,wait=off)",
                             option, printable(spec), why)};
  };
  if (spec == "stdio") {
    Endpoint stdio;
    stdio.kind = Endpoint::Kind::kStdio;
    return stdio;
  }
  const std::vector<std::string_view> parts = split(spec, ',');
  Endpoint e;
  const std::string_view where = parts[0];
  if (where.starts_with("unix:")) {
    e.kind = Endpoint::Kind::kUnix;
    e.path = std::string(where.substr(5));
    if (e.path.empty()) return bad("names no socket path");
    if (e.path.size() >= 108) return bad("has a socket path longer than 107 bytes");
  } else if (where.starts_with("tcp:")) {
    e.kind = Endpoint::Kind::kTcp;
    const std::string_view hp = where.substr(4);
    const size_t colon = hp.rfind(':');
    if (colon == std::string_view::npos) return bad("names no port");
    if (colon > 0) e.host = std::string(hp.substr(0, colon));
    const std::string_view port = hp.substr(colon + 1);
    unsigned value = 0;
    const auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || err != std::errc{} || end != port.data() + port.size() || value > 65535) {
      return bad("has no port number from 0 to 65535");
    }
    e.port = static_cast<uint16_t>(value);
  } else {
    return bad("is neither unix:PATH, tcp:HOST:PORT nor stdio");
  }
  bool server = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string_view p = parts[i];
    if (p == "server=on" || p == "server") server = true;
    else if (p == "server=off") server = false;
    else if (p == "wait=off" || p == "nowait") continue;
    else if (p == "wait=on") return bad("asks to wait for a client: vtime never does; use wait=off");
    else return bad(fmt::format("has an unknown setting '{}'", printable(p)));
  }
  if (!server) return bad("does not say server=on (the monitor listens; it does not connect)");
  return e;
}

}  // namespace vtime::monitor
