// Bulk console output through the command's console: the uart_bulk guest
// writes 10 MB (lines of 80 bytes) to the UART, and the board hands it to
//   baseline   a console that writes at every newline (one system call a line,
//              the console's policy before output was flushed by time), and
//   stdio      the command's StdioConsole, flushed when its 4 KiB buffer fills,
//              1 ms of host time after the first unflushed byte, and at idle,
// both into /dev/null, interleaved, in one process. Prints host seconds and
// process CPU seconds (user + system) per run, the best of --repeats, and the
// ratio stdio / baseline (below 1: faster than before).
//   console_bench [--bytes N] [--repeats R]
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/process_cpu_time.h"
#include "vtime/machine/board.h"
#include "vtime/machine/stdio_console.h"
#include "vtime/time/system_host_clock.h"

extern const unsigned char kUartBulkGuest[];
extern const std::size_t kUartBulkGuestSize;

namespace {

using vtime::Duration;


// The earlier policy: buffered, written at every newline or a full buffer.
class LineFlushingConsole final : public vtime::ConsoleBackend {
 public:
  explicit LineFlushingConsole(int fd) : fd_(fd) {}
  void write(uint8_t byte) override {
    buf_[len_++] = static_cast<char>(byte);
    if (byte == '\n' || len_ == sizeof buf_) flush();
  }
  std::optional<uint8_t> poll_input() override { return std::nullopt; }
  void flush() override {
    if (len_ > 0 && ::write(fd_, buf_, len_) < 0) std::exit(1);
    len_ = 0;
  }

 private:
  int fd_;
  char buf_[4096];
  size_t len_ = 0;
};

struct Timing {
  Duration host{0}, cpu{0};
};

Timing run(vtime::HostClock& host, vtime::ConsoleBackend& console, uint64_t bytes) {
  vtime::BoardOptions options;
  options.ram_bytes = 16ull << 20;
  options.bootargs = fmt::format("bytes={}", bytes);
  vtime::BootImages images;
  images.kernel = vtime::ImageFile{"uart_bulk", std::vector<uint8_t>(kUartBulkGuest, kUartBulkGuest + kUartBulkGuestSize)};
  auto board = vtime::Board::create(host, console, options, images);
  if (!board) {
    fmt::print(stderr, "console_bench: {}\n", board.error());
    std::exit(1);
  }
  const Duration cpu0 = vtime::bench::process_cpu_time();
  const vtime::RunOutcome outcome = (*board)->run();
  const Duration cpu = vtime::bench::process_cpu_time() - cpu0;
  if (outcome.kind != vtime::RunOutcome::Kind::kPoweroff) {
    fmt::print(stderr, "console_bench: the guest ended with {}\n", outcome.reason);
    std::exit(1);
  }
  return {(*board)->stats().host_time, cpu};
}

double sec(Duration d) { return static_cast<double>(d.count()) / 1e9; }

}  // namespace

int main(int argc, char** argv) {
  if (kUartBulkGuestSize == 0) {
    fmt::print(stderr, "console_bench: built without the RISC-V cross compiler (no guest)\n");
    return 1;
  }
  uint64_t bytes = 10'000'000;
  int repeats = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--bytes") bytes = std::strtoull(argv[i + 1], nullptr, 10);
    else if (opt == "--repeats") repeats = std::max(1, std::atoi(argv[i + 1]));
    else {
      fmt::print(stderr, "usage: console_bench [--bytes N] [--repeats R]\n");
      return 2;
    }
  }
  const int null_in = open("/dev/null", O_RDONLY);
  const int null_out = open("/dev/null", O_WRONLY);
  vtime::SystemHostClock host;
  Timing best_base{Duration::max(), Duration::max()}, best_stdio{Duration::max(), Duration::max()};
  for (int r = 0; r < repeats; ++r) {
    LineFlushingConsole base(null_out);
    const Timing b = run(host, base, bytes);
    vtime::StdioConsole stdio(vtime::StdioConsole::Terminal::kLeaveAsIs, null_in, null_out);
    const Timing s = run(host, stdio, bytes);
    best_base = {std::min(best_base.host, b.host), std::min(best_base.cpu, b.cpu)};
    best_stdio = {std::min(best_stdio.host, s.host), std::min(best_stdio.cpu, s.cpu)};
  }
  fmt::print("console_bench: {} bytes through the UART, best of {} runs\n", bytes, repeats);
  fmt::print("| console | host s | CPU s |\n|---|---|---|\n");
  fmt::print("| baseline (a write per line) | {:.3f} | {:.3f} |\n", sec(best_base.host), sec(best_base.cpu));
  fmt::print("| stdio (buffer, 1 ms, idle) | {:.3f} | {:.3f} |\n", sec(best_stdio.host), sec(best_stdio.cpu));
  fmt::print("ratio stdio / baseline: host {:.3f}, CPU {:.3f}\n", sec(best_stdio.host) / sec(best_base.host),
             sec(best_stdio.cpu) / sec(best_base.cpu));
  return 0;
}
