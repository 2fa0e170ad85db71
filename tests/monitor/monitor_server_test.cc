// The monitor's sockets: TCP on loopback and Unix, the greeting and prompt a
// client gets, a reply to a command, and a client that goes away mid-message.
#include "vtime/monitor/monitor_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/machine/guest_words.h"
#include "vtime/devices/console_backend.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::monitor {
namespace {

struct Rig {
  ManualHostClock host;
  BufferConsole console;
  std::unique_ptr<Board> board;
  std::unique_ptr<Actions> actions;
  std::unique_ptr<MonitorServer> server;
  Rig() {
    BoardOptions options;
    options.ram_bytes = 8ull << 20;
    BootImages images;
    images.kernel = ImageFile{"loop", test::program({0x0000006f})};
    board = std::move(Board::create(host, console, options, images)).value();
    actions = std::make_unique<Actions>(*board, [this](std::string_view e, const nlohmann::json& d) {
      if (server) server->broadcast(e, d);
    });
    server = std::make_unique<MonitorServer>(*actions, host);
  }
  // Serves until `fd` has something to read (bounded), then reads it.
  std::string serve_and_read(int fd) {
    std::string got;
    for (int i = 0; i < 200; ++i) {
      server->poll();
      char buf[4096];
      const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) got.append(buf, static_cast<size_t>(n));
      if (!got.empty() && n <= 0) return got;
      usleep(1000);
    }
    return got;
  }
};

int connect_tcp(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  return fd;
}

TEST(MonitorServer, QmpOnLoopbackTcpGreetsAndAnswers) {
  Rig rig;
  ASSERT_TRUE(rig.server->listen(Protocol::kQmp, *parse_endpoint("tcp::0,server=on,wait=off", "--qmp")).ok());
  const int fd = connect_tcp(rig.server->port(0));
  EXPECT_NE(rig.serve_and_read(fd).find("\"QMP\""), std::string::npos);
  const std::string req = "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"stop\"}\n";
  ASSERT_EQ(send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  const std::string got = rig.serve_and_read(fd);
  EXPECT_NE(got.find("{\"return\":{}}\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("\"event\":\"STOP\""), std::string::npos) << got;
  EXPECT_TRUE(rig.board->paused());
  close(fd);
}

TEST(MonitorServer, HmpOnAUnixSocketPromptsAndAClientLeavingMidLineIsForgotten) {
  Rig rig;
  const std::string path = ::testing::TempDir() + "vtime-hmp-test.sock";
  ASSERT_TRUE(rig.server->listen(Protocol::kHmp, *parse_endpoint("unix:" + path + ",server=on", "--monitor")).ok());
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_NE(rig.serve_and_read(fd).find("(vtime) "), std::string::npos);
  ASSERT_EQ(send(fd, "info status\r\ninfo sta", 22, 0), 22);
  EXPECT_EQ(rig.serve_and_read(fd), "VM status: running\r\n(vtime) ");
  close(fd);  // mid-line
  for (int i = 0; i < 10; ++i) rig.server->poll();
  EXPECT_EQ(rig.server->clients(), 0u);
  EXPECT_FALSE(rig.board->paused());
}

TEST(MonitorServer, AnHmpLineOver64KiBIsRefusedAndTheNextLineWorks) {
  Rig rig;
  ASSERT_TRUE(rig.server->listen(Protocol::kHmp, *parse_endpoint("tcp::0,server=on", "--monitor")).ok());
  const int fd = connect_tcp(rig.server->port(0));
  rig.serve_and_read(fd);  // the banner and prompt
  const std::string line = std::string(MonitorServer::kMaxLine + 1000, 'x') + "\ninfo status\n";
  size_t sent = 0;
  std::string got;
  while (sent < line.size()) {
    const ssize_t n = send(fd, line.data() + sent, line.size() - sent, MSG_DONTWAIT);
    if (n > 0) sent += static_cast<size_t>(n);
    rig.server->poll();
  }
  for (int i = 0; i < 50 && got.find("VM status") == std::string::npos; ++i) got += rig.serve_and_read(fd);
  EXPECT_NE(got.find("line too long (64 KiB at most)\r\n(vtime) VM status: running\r\n"), std::string::npos) << got;
  close(fd);
}

TEST(MonitorServer, AnEndpointInUseIsAClearError) {
  Rig rig;
  ASSERT_TRUE(rig.server->listen(Protocol::kQmp, *parse_endpoint("tcp::0,server=on", "--qmp")).ok());
  const uint16_t port = rig.server->port(0);
  MonitorServer other(*rig.actions, rig.host);
  const Status s = other.listen(Protocol::kQmp, *parse_endpoint("tcp::" + std::to_string(port) + ",server=on", "--qmp"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("cannot listen on tcp:127.0.0.1:" + std::to_string(port) + ": bind"), std::string::npos)
      << s.error();
}

}  // namespace
}  // namespace vtime::monitor
