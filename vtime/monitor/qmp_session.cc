#include "vtime/monitor/qmp_session.h"

#include <fmt/format.h>

#include "vtime/monitor/time_state.h"
#include "vtime/time/printable.h"

namespace vtime::monitor {
namespace {

using nlohmann::json;

// What query-version reports: vtime's own version, in QEMU's shape.
constexpr int kMajor = 0, kMinor = 1, kMicro = 0;

json version() {
  return {{"qemu", {{"micro", kMicro}, {"minor", kMinor}, {"major", kMajor}}}, {"package", "vtime"}};
}

json error(std::string_view klass, std::string_view desc) {
  return {{"error", {{"class", klass}, {"desc", desc}}}};
}

struct ArgError {
  std::string desc;
};

// The arguments a command takes: every given one must be known.
void only(const json& args, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : args.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || key == k;
    if (!ok) throw ArgError{fmt::format("Parameter '{}' is unexpected", printable(key))};
  }
}


}  // namespace

const std::vector<std::string>& QmpSession::commands() {
  static const std::vector<std::string> names = {
      "qmp_capabilities", "query-status", "query-version", "query-commands", "stop", "cont",
      "system_reset",     "quit",         "human-monitor-command", "x-vtime-query-time", "x-vtime-set-throttle",
      "x-vtime-savevm",   "x-vtime-loadvm"};
  return names;
}

std::string QmpSession::greeting() {
  return json{{"QMP", {{"version", version()}, {"capabilities", json::array()}}}}.dump() + "\r\n";
}

std::string QmpSession::feed(std::string_view bytes) {
  std::string out;
  for (JsonSplitter::Piece& piece : splitter_.feed(bytes)) {
    json r;
    if (piece.bad) {
      r = error("GenericError", "JSON parse error, invalid input");
    } else {
      json request = json::parse(piece.text, nullptr, false);
      r = request.is_discarded() ? error("GenericError", "JSON parse error, invalid JSON") : reply(request);
    }
    out += r.dump() + "\r\n";
  }
  return out;
}

json QmpSession::reply(const json& request) {
  if (!request.is_object()) return error("GenericError", "QMP input must be a JSON object");
  // The members first, then the command, in the order QEMU checks them.
  json r;
  json args = json::object();
  for (const auto& [key, value] : request.items()) {
    if (!r.is_null()) break;
    if (key == "execute") {
      if (!value.is_string()) r = error("GenericError", "QMP input member 'execute' must be a string");
    } else if (key == "arguments") {
      if (!value.is_object()) r = error("GenericError", "QMP input member 'arguments' must be an object");
      else args = value;
    } else if (key != "id") {
      r = error("GenericError", fmt::format("QMP input member '{}' is unexpected", printable(key)));
    }
  }
  if (r.is_null()) {
    const auto exec = request.find("execute");
    r = exec == request.end() ? error("GenericError", "QMP input lacks member 'execute'")
                              : execute(exec->get<std::string>(), args);
  }
  if (const auto id = request.find("id"); id != request.end()) r["id"] = *id;
  return r;
}

json QmpSession::execute(const std::string& command, const json& args) {
  const json ok = {{"return", json::object()}};
  if (command == "qmp_capabilities") {
    if (negotiated_) return error("CommandNotFound", "Capabilities negotiation is already complete, command ignored");
    if (const auto e = args.find("enable"); e != args.end() && !(e->is_array() && e->empty())) {
      return error("GenericError", "This QMP server does not support any capability");
    }
    negotiated_ = true;
    return ok;
  }
  if (!negotiated_) {
    return error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
  }
  try {
    if (command == "query-status") {
      only(args, {});
      const bool running = actions_.running();
      return {{"return", {{"status", running ? "running" : "paused"}, {"singlestep", false}, {"running", running}}}};
    }
    if (command == "query-version") {
      only(args, {});
      return {{"return", version()}};
    }
    if (command == "query-commands") {
      only(args, {});
      json list = json::array();
      for (const std::string& name : commands()) list.push_back({{"name", name}});
      return {{"return", list}};
    }
    if (command == "stop") {
      only(args, {});
      actions_.stop();
      return ok;
    }
    if (command == "cont") {
      only(args, {});
      actions_.cont();
      return ok;
    }
    if (command == "system_reset") {
      only(args, {});
      actions_.system_reset();
      return ok;
    }
    if (command == "quit") {
      only(args, {});
      actions_.quit();
      return ok;
    }
    if (command == "human-monitor-command") {
      only(args, {"command-line", "cpu-index"});
      const auto line = args.find("command-line");
      if (line == args.end()) throw ArgError{"Parameter 'command-line' is missing"};
      if (!line->is_string()) throw ArgError{"Invalid parameter type for 'command-line', expected: string"};
      return {{"return", to_crlf(hmp_.execute(line->get<std::string>()))}};
    }
    if (command == "x-vtime-query-time") {
      only(args, {});
      return {{"return", time_state_json(capture_time_state(actions_.board()))}};
    }
    if (command == "x-vtime-set-throttle") {
      only(args, {"percent"});
      const auto p = args.find("percent");
      if (p == args.end()) throw ArgError{"Parameter 'percent' is missing"};
      if (!p->is_number_integer() || p->get<int64_t>() < 0 || p->get<int64_t>() > 99) {
        throw ArgError{"Parameter 'percent' expects a whole number from 0 (off) to 99"};
      }
      actions_.set_throttle(static_cast<int>(p->get<int64_t>()));
      return ok;
    }
    if (command == "x-vtime-savevm" || command == "x-vtime-loadvm") {
      only(args, {"file"});
      const auto file = args.find("file");
      if (file == args.end()) throw ArgError{"Parameter 'file' is missing"};
      if (!file->is_string()) throw ArgError{"Invalid parameter type for 'file', expected: string"};
      const std::string path = file->get<std::string>();
      const Status s = command == "x-vtime-savevm" ? actions_.savevm(path) : actions_.loadvm(path);
      if (!s.ok()) throw ArgError{s.error()};
      return ok;
    }
  } catch (const ArgError& e) {
    return error("GenericError", e.desc);
  }
  return error("CommandNotFound", fmt::format("The command {} has not been found", printable(command)));
}

std::string QmpSession::event(std::string_view name, const json& data) {
  if (!negotiated_) return {};
  const Duration wall = clock_.wall_now().since_epoch();
  const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(wall).count();
  json e = {{"event", name}, {"timestamp", {{"seconds", us / 1'000'000}, {"microseconds", us % 1'000'000}}}};
  if (!data.empty()) e["data"] = data;
  return e.dump() + "\r\n";
}

}  // namespace vtime::monitor
