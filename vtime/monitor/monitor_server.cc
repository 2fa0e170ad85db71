#include "vtime/monitor/monitor_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace vtime::monitor {
namespace {

constexpr std::string_view kHmpBanner = "vtime monitor - type 'help' for the commands\r\n";

bool make_nonblocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}


}  // namespace

MonitorServer::~MonitorServer() { close_all(); }

Status MonitorServer::listen(Protocol protocol, const Endpoint& e) {
  Listener l{.fd = -1, .protocol = protocol, .unix_path = {}, .port = 0};
  if (e.kind == Endpoint::Kind::kStdio) return Error{"the terminal is the console's: it is not a socket to listen on"};
  const auto fail = [&](std::string_view what) {
    const std::string where = e.kind == Endpoint::Kind::kUnix ? "unix:" + e.path : fmt::format("tcp:{}:{}", e.host, e.port);
    const std::string msg = fmt::format("cannot listen on {}: {} ({})", where, what, std::strerror(errno));
    if (l.fd >= 0) close(l.fd);
    return Error{msg};
  };
  if (e.kind == Endpoint::Kind::kUnix) {
    l.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (l.fd < 0) return fail("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, e.path.c_str(), e.path.size() + 1);
    unlink(e.path.c_str());  // a socket left by an earlier run
    if (bind(l.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return fail("bind");
    l.unix_path = e.path;
  } else {
    l.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (l.fd < 0) return fail("socket");
    const int one = 1;
    setsockopt(l.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(e.port);
    errno = EINVAL;
    if (inet_pton(AF_INET, e.host.c_str(), &addr.sin_addr) != 1) return fail("not an IPv4 address");
    if (bind(l.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return fail("bind");
    socklen_t len = sizeof addr;
    getsockname(l.fd, reinterpret_cast<sockaddr*>(&addr), &len);
    l.port = ntohs(addr.sin_port);
  }
  if (::listen(l.fd, 4) != 0) return fail("listen");
  listeners_.push_back(std::move(l));
  return ok_status();
}

uint16_t MonitorServer::port(size_t listener) const { return listeners_.at(listener).port; }

void MonitorServer::poll() {
  for (Listener& l : listeners_) accept_from(l);
  for (auto& c : clients_) {
    if (!c->dead) read_from(*c);
    if (!c->dead) write_to(*c);
  }
  std::erase_if(clients_, [](const std::unique_ptr<Client>& c) {
    if (c->dead) close(c->fd);
    return c->dead;
  });
}

void MonitorServer::accept_from(Listener& l) {
  for (;;) {
    const int fd = accept4(l.fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    if (clients_.size() >= kMaxClients || !make_nonblocking(fd)) {
      close(fd);
      continue;
    }
    auto c = std::make_unique<Client>();
    c->fd = fd;
    c->protocol = l.protocol;
    if (l.protocol == Protocol::kQmp) {
      c->qmp = std::make_unique<QmpSession>(actions_, clock_);
      c->out = QmpSession::greeting();
    } else {
      c->out = std::string(kHmpBanner) + std::string(Hmp::kPrompt);
    }
    clients_.push_back(std::move(c));
  }
}

void MonitorServer::read_from(Client& c) {
  char buf[4096];
  size_t total = 0;
  while (total < 64 * 1024) {
    const ssize_t n = read(c.fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      c.dead = true;  // the client went away, maybe mid-message: forget it
      return;
    }
    if (n < 0) return;
    total += static_cast<size_t>(n);
    const std::string_view bytes(buf, static_cast<size_t>(n));
    if (c.protocol == Protocol::kQmp) c.out += c.qmp->feed(bytes);
    else hmp_input(c, bytes);
    if (c.out.size() > kMaxPendingOutput) {
      c.dead = true;  // it sends but does not read
      return;
    }
  }
}

void MonitorServer::hmp_input(Client& c, std::string_view bytes) {
  for (char ch : bytes) {
    const bool lf_after_cr = ch == '\n' && c.after_cr;
    c.after_cr = ch == '\r';
    if (lf_after_cr) continue;  // "\r\n" is one line end
    if (ch == '\n' || ch == '\r') {
      if (c.skipping) {
        c.out += "line too long (64 KiB at most)\r\n";
        c.skipping = false;
      } else if (!c.line.empty()) {
        c.out += to_crlf(hmp_.execute(c.line));
      }
      c.line.clear();
      c.out += Hmp::kPrompt;
      continue;
    }
    if (c.skipping) continue;
    c.line.push_back(ch);
    if (c.line.size() > kMaxLine) {
      c.line.clear();
      c.skipping = true;
    }
  }
}

void MonitorServer::write_to(Client& c) {
  while (!c.out.empty()) {
    const ssize_t n = send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) c.dead = true;
      return;
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
}

void MonitorServer::broadcast(std::string_view event, const nlohmann::json& data) {
  for (auto& c : clients_) {
    if (c->qmp) c->out += c->qmp->event(event, data);
  }
}

void MonitorServer::close_all() {
  for (auto& c : clients_) {
    if (!c->dead) write_to(*c);
    close(c->fd);
  }
  clients_.clear();
  for (Listener& l : listeners_) {
    close(l.fd);
    if (!l.unix_path.empty()) unlink(l.unix_path.c_str());
  }
  listeners_.clear();
}

}  // namespace vtime::monitor
