#include "vtime/machine/stdio_console.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <string>

#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

// Pipes stand in for stdin and stdout: not terminals, so modes stay untouched.
struct Pipes {
  int in[2];
  int out[2];
  Pipes() {
    EXPECT_EQ(pipe(in), 0);
    EXPECT_EQ(pipe(out), 0);
  }
  ~Pipes() {
    for (int fd : {in[0], in[1], out[0], out[1]}) if (fd >= 0) close(fd);
  }
  std::string drain() {
    char buf[256];
    const ssize_t n = read(out[0], buf, sizeof(buf));
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
};

TEST(StdioConsole, EmptyInputReturnsNothingWithoutBlocking) {
  Pipes p;
  StdioConsole console(StdioConsole::Terminal::kRaw, p.in[0], p.out[1]);
  EXPECT_FALSE(console.poll_input().has_value());
  EXPECT_EQ(console.input_fd(), p.in[0]);
}

TEST(StdioConsole, ReturnsInputBytesInOrder) {
  Pipes p;
  StdioConsole console(StdioConsole::Terminal::kRaw, p.in[0], p.out[1]);
  ASSERT_EQ(write(p.in[1], "ok", 2), 2);
  EXPECT_EQ(console.poll_input(), uint8_t{'o'});
  EXPECT_EQ(console.poll_input(), uint8_t{'k'});
  EXPECT_FALSE(console.poll_input().has_value());
}

TEST(StdioConsole, EndOfInputStopsPolling) {
  Pipes p;
  StdioConsole console(StdioConsole::Terminal::kRaw, p.in[0], p.out[1]);
  close(p.in[1]);
  p.in[1] = -1;
  EXPECT_FALSE(console.poll_input().has_value());
  EXPECT_EQ(console.input_fd(), -1);
}

TEST(StdioConsole, OutputWaitsForAFullBufferOrAFlush) {
  Pipes p;
  StdioConsole console(StdioConsole::Terminal::kRaw, p.in[0], p.out[1]);
  for (char c : std::string("hello\n")) console.write(static_cast<uint8_t>(c));
  console.write('x');
  console.flush();
  EXPECT_EQ(p.drain(), "hello\nx");
  for (int i = 0; i < 4096; ++i) console.write('y');  // a full buffer goes out by itself
  EXPECT_EQ(p.drain().size(), 256u);                   // (drain reads 256 at a time)
}

// A pseudo-terminal: the console's stdin and stdout are its terminal side,
// the test types and reads on the other.
struct Pty {
  int master = -1, slave = -1;
  Pty() { EXPECT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0); }
  ~Pty() {
    close(master);
    close(slave);
  }
  void type(std::string_view keys) const { EXPECT_EQ(write(master, keys.data(), keys.size()), ssize_t(keys.size())); }
  std::string read_all() const {
    std::string out;
    char buf[512];
    for (;;) {
      pollfd p{.fd = master, .events = POLLIN, .revents = 0};
      if (poll(&p, 1, 0) <= 0) return out;
      const ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0) return out;
      out.append(buf, static_cast<size_t>(n));
    }
  }
};

// Reads every input byte the console has now (the pty delivers typed bytes at once).
std::string poll_all(StdioConsole& console) {
  std::string got;
  for (int tries = 0; tries < 1000 && got.size() < 64; ++tries) {
    if (const auto b = console.poll_input()) got.push_back(static_cast<char>(*b));
  }
  return got;
}

TEST(StdioConsoleOnATerminal, RawModeWithoutSignalsAndRestoredAfter) {
  Pty pty;
  termios before{};
  tcgetattr(pty.slave, &before);
  {
    StdioConsole console(StdioConsole::Terminal::kRaw, pty.slave, pty.slave);
    termios raw{};
    tcgetattr(pty.slave, &raw);
    EXPECT_EQ(raw.c_lflag & (ICANON | ECHO | ISIG | IEXTEN), 0u);
    EXPECT_EQ(raw.c_iflag & (ICRNL | IXON), 0u);
    EXPECT_NE(raw.c_oflag & OPOST, 0u);
    pty.type("a\x03\x1a\r");  // C-c and C-z are bytes for the guest
    EXPECT_EQ(poll_all(console), "a\x03\x1a\r");
  }
  termios after{};
  tcgetattr(pty.slave, &after);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_iflag, before.c_iflag);
}

TEST(StdioConsoleOnATerminal, EscapeKeysExitHelpAndALiteralCtrlA) {
  Pty pty;
  StdioConsole console(StdioConsole::Terminal::kRaw, pty.slave, pty.slave);
  int exits = 0;
  console.on_exit_key([&] { ++exits; });
  pty.type("\x01hq\x01\x01z");
  EXPECT_EQ(poll_all(console), "q\x01z");
  EXPECT_NE(pty.read_all().find("C-a x    exit vtime"), std::string::npos);
  EXPECT_FALSE(console.take_break());
  pty.type("\x01" "b");
  poll_all(console);
  EXPECT_TRUE(console.take_break());
  EXPECT_FALSE(console.take_break());  // once per break
  pty.type("\x01xafter");
  EXPECT_EQ(poll_all(console), "");  // nothing is read after the exit key
  EXPECT_EQ(exits, 1);
}

TEST(StdioConsoleOnATerminal, TimestampsToggleOnLineStarts) {
  Pty pty;
  ManualHostClock host;
  StdioConsole console(StdioConsole::Terminal::kRaw, pty.slave, pty.slave);
  console.use_clock_for_timestamps(host);
  pty.type("\x01t");
  poll_all(console);
  EXPECT_TRUE(console.timestamps());
  host.advance(61'234ms);
  for (char c : std::string("ab\ncd")) console.write(static_cast<uint8_t>(c));
  console.flush();
  EXPECT_EQ(pty.read_all(), "[00:01:01.234] ab\r\n[00:01:01.234] cd");
}

TEST(StdioConsole, APipeGetsNoEscapeKeys) {
  Pipes p;
  StdioConsole console(StdioConsole::Terminal::kRaw, p.in[0], p.out[1]);
  int exits = 0;
  console.on_exit_key([&] { ++exits; });
  const std::string bytes = "\x01x\x01h";
  ASSERT_EQ(write(p.in[1], bytes.data(), bytes.size()), 4);
  std::string got;
  while (const auto b = console.poll_input()) got.push_back(static_cast<char>(*b));
  EXPECT_EQ(got, bytes);
  EXPECT_EQ(exits, 0);
}

TEST(StdioConsoleOnATerminal, CtrlACSwitchesToTheMonitorAndBack) {
  Pty pty;
  StdioConsole console(StdioConsole::Terminal::kRaw, pty.slave, pty.slave);
  std::vector<std::string> lines;
  console.use_monitor([&](std::string_view line) {
    lines.emplace_back(line);
    return std::string("answer\n");
  }, "(vtime) ");
  pty.type("a\x01" "cinfo  statuz\x7f" "s\rb\x01" "cz");
  EXPECT_EQ(poll_all(console), "az");  // what was typed in the monitor never reached the guest
  EXPECT_EQ(lines, (std::vector<std::string>{"info  status"}));
  const std::string shown = pty.read_all();
  // (the terminal turns each "\n" into "\r\n" on the way out)
  EXPECT_NE(shown.find("(vtime) info  statuz\b \bs\r\r\nanswer\r\r\n(vtime) b"), std::string::npos) << shown;
  EXPECT_FALSE(console.in_monitor());
}

}  // namespace
}  // namespace vtime
