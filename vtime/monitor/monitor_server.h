// MonitorServer: the monitor's sockets, served from the run loop without
// threads or blocking: poll() (called by the board every few milliseconds of
// host time, also while the guest idles or is paused) accepts clients, reads
// what they sent, runs it, and writes the replies. Each listener speaks HMP
// (lines, a "(vtime) " prompt) or QMP (JSON). A client cannot stall the loop
// (every socket is non-blocking and a poll reads at most 64 KiB from each) or
// grow memory without bound (a line or message over 64 KiB is refused, and a
// client that stops reading is dropped once 1 MiB of replies waits for it).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "vtime/monitor/actions.h"
#include "vtime/monitor/endpoint.h"
#include "vtime/monitor/hmp.h"
#include "vtime/monitor/qmp_session.h"
#include "vtime/time/host_clock.h"

namespace vtime::monitor {

enum class Protocol : uint8_t { kHmp, kQmp };

class MonitorServer {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;
  static constexpr size_t kMaxPendingOutput = 1024 * 1024;
  static constexpr size_t kMaxClients = 16;

  MonitorServer(Actions& actions, HostClock& clock) : actions_(actions), clock_(clock) {}
  ~MonitorServer();
  MonitorServer(const MonitorServer&) = delete;
  MonitorServer& operator=(const MonitorServer&) = delete;

  // Starts listening; the error names the endpoint and the reason.
  Status listen(Protocol protocol, const Endpoint& endpoint);
  // The TCP port a listener got (for port 0), by listener index.
  uint16_t port(size_t listener) const;
  // Accepts, reads, runs and replies; never blocks.
  void poll();
  // A QMP event to every negotiated QMP client.
  void broadcast(std::string_view event, const nlohmann::json& data);
  // Sends what is still pending (best effort, bounded), then closes everything.
  void close_all();
  size_t clients() const { return clients_.size(); }

 private:
  struct Listener {
    int fd = -1;
    Protocol protocol;
    std::string unix_path;  // unlinked at close
    uint16_t port = 0;
  };
  struct Client {
    int fd = -1;
    Protocol protocol;
    std::string line;  // HMP: the line being typed
    bool skipping = false;  // HMP: inside a line over kMaxLine, until its end
    bool after_cr = false;  // HMP: the last byte ended a line with '\r'
    std::unique_ptr<QmpSession> qmp;
    std::string out;
    bool dead = false;
  };

  void accept_from(Listener& listener);
  void read_from(Client& client);
  void hmp_input(Client& client, std::string_view bytes);
  void write_to(Client& client);

  Actions& actions_;
  HostClock& clock_;
  Hmp hmp_{actions_};
  std::vector<Listener> listeners_;
  std::vector<std::unique_ptr<Client>> clients_;
};

}  // namespace vtime::monitor
