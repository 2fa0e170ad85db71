// Record and replay costs on Linux: Debian's kernel (scripts/build-linux.sh) with
// the timekeeping probe as /init, on one hart under icount shift=4 (sleep=on, so
// the guest's sleeps follow the host and every idle advance is recorded), booted
// to power-off REPEATS times each way, interleaved: plain (the baseline), recorded,
// and replayed from the recording. Prints the median host and CPU time of each and
// the ratios record/plain (the recording's overhead; target <= 1.10) and
// replay/record, and checks that every replay retired the recorded instruction
// count and ended at the recorded guest time.
//   replay_bench KERNEL INITRD [--repeats R]
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/linux_images.h"
#include "bench/process_cpu_time.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/time/system_host_clock.h"

namespace {

using namespace std::chrono_literals;
using vtime::Duration;

struct Run {
  Duration host{0}, cpu{0};
  uint64_t instructions = 0;
  Duration guest{0};
  std::vector<uint8_t> log;
};

[[noreturn]] void die(const std::string& why) {
  fmt::print(stderr, "replay_bench: {}\n", why);
  std::exit(1);
}

Run boot(const vtime::BootImages& images, vtime::ReplayMode mode, const std::vector<uint8_t>& log) {
  using namespace vtime;
  BoardOptions options;
  options.icount = *parse_icount_options("shift=4");
  options.bootargs = "console=ttyS0";
  options.replay = mode;
  SystemHostClock host;
  BufferConsole console;
  auto board = Board::create(host, console, options, images);
  if (!board) die(board.error());
  if (mode == ReplayMode::kReplay) {
    if (Status s = (*board)->start_replay(log); !s.ok()) die(s.error());
  }
  const Duration cpu0 = bench::process_cpu_time();
  const RunOutcome outcome = (*board)->run(120s);
  Run r;
  r.cpu = bench::process_cpu_time() - cpu0;
  if (outcome.kind != RunOutcome::Kind::kPoweroff) die("a run did not power off: " + outcome.reason);
  const BoardStats stats = (*board)->stats();
  r.host = stats.host_time;
  r.instructions = stats.instructions;
  r.guest = stats.guest_time;
  if (mode == ReplayMode::kRecord) r.log = (*board)->replay_log();
  return r;
}

double median_ms(std::vector<Duration> v) {
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[v.size() / 2].count()) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vtime;
  std::vector<std::string> paths;
  int repeats = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    else paths.push_back(a);
  }
  if (paths.size() != 2) die("usage: replay_bench KERNEL INITRD [--repeats R]");
  Result<BootImages> images = bench::linux_images(paths[0], paths[1]);
  if (!images) die(images.error());
  std::vector<Duration> host[3], cpu[3];
  size_t log_bytes = 0;
  uint64_t instructions = 0;
  for (int r = 0; r < repeats; ++r) {
    const Run plain = boot(*images, ReplayMode::kOff, {});
    const Run recorded = boot(*images, ReplayMode::kRecord, {});
    const Run replayed = boot(*images, ReplayMode::kReplay, recorded.log);
    if (replayed.instructions != recorded.instructions || replayed.guest != recorded.guest) {
      die(fmt::format("replay {}: {} instructions, {} ns; recorded {} instructions, {} ns", r, replayed.instructions,
                      replayed.guest.count(), recorded.instructions, recorded.guest.count()));
    }
    log_bytes = recorded.log.size();
    for (int k = 0; k < 3; ++k) {
      const Run& run = k == 0 ? plain : k == 1 ? recorded : replayed;
      host[k].push_back(run.host);
      cpu[k].push_back(run.cpu);
    }
    instructions = recorded.instructions;
  }
  fmt::print("Linux 6.1 + probe to power-off, 1 hart, icount shift=4 (sleep=on), median of {}\n", repeats);
  const char* names[3] = {"plain (baseline)", "recorded", "replayed"};
  for (int k = 0; k < 3; ++k) {
    fmt::print("  {:18} host {:8.1f} ms  CPU {:8.1f} ms\n", names[k], median_ms(host[k]), median_ms(cpu[k]));
  }
  fmt::print("  record/plain: host {:.3f}, CPU {:.3f} (target <= 1.10)\n", median_ms(host[1]) / median_ms(host[0]),
             median_ms(cpu[1]) / median_ms(cpu[0]));
  fmt::print("  replay/record: host {:.3f}, CPU {:.3f}\n", median_ms(host[2]) / median_ms(host[1]),
             median_ms(cpu[2]) / median_ms(cpu[1]));
  fmt::print("  log {} bytes; every replay retired the recorded {} instructions\n", log_bytes, instructions);
  return 0;
}
