// QmpSession: one client of QEMU's machine protocol (QMP), as QEMU documents
// it: a greeting with the version and capabilities, `qmp_capabilities`
// negotiation, then `execute` commands answered with `return` or `error`
// (`class`, `desc`), the client's `id` echoed, and asynchronous `event`s with
// a `timestamp`. Commands: qmp_capabilities, query-status, query-version,
// query-commands, stop, cont, system_reset, quit, human-monitor-command, and
// vtime's x-vtime-query-time and x-vtime-set-throttle. Malformed JSON,
// unknown commands and wrong arguments get QEMU's GenericError and
// CommandNotFound replies and change nothing.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "vtime/monitor/actions.h"
#include "vtime/monitor/hmp.h"
#include "vtime/monitor/json_splitter.h"
#include "vtime/time/host_clock.h"

namespace vtime::monitor {

class QmpSession {
 public:
  QmpSession(Actions& actions, HostClock& clock) : actions_(actions), hmp_(actions), clock_(clock) {}

  // The greeting the server sends first (one line).
  static std::string greeting();
  // Bytes from the client; returns the reply lines (each ends in "\r\n").
  std::string feed(std::string_view bytes);
  // An event line for this client, or "" before capabilities negotiation.
  std::string event(std::string_view name, const nlohmann::json& data);
  static const std::vector<std::string>& commands();

 private:
  nlohmann::json reply(const nlohmann::json& request);
  nlohmann::json execute(const std::string& command, const nlohmann::json& args);

  Actions& actions_;
  Hmp hmp_;
  HostClock& clock_;
  JsonSplitter splitter_;
  bool negotiated_ = false;
};

}  // namespace vtime::monitor
