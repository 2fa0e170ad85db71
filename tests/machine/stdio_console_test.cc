#include "vtime/machine/stdio_console.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

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

TEST(StdioConsole, OutputIsFlushedAtNewlineAndOnRequest) {
  Pipes p;
  StdioConsole console(StdioConsole::Terminal::kRaw, p.in[0], p.out[1]);
  for (char c : std::string("hello\n")) console.write(static_cast<uint8_t>(c));
  EXPECT_EQ(p.drain(), "hello\n");
  console.write('x');
  console.flush();
  EXPECT_EQ(p.drain(), "x");
}

}  // namespace
}  // namespace vtime
