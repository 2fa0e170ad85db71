// Idle waits on the real host: the idle_latency guest (COUNT CLINT interrupts
// every PERIOD while it sleeps in wfi, 2,000 x 1 ms by default) on the
// reference board, under icount shift=4 (sleep=on) and without icount, each
// with the board's idle waits as they are (early wake-up + spin, lateness
// repaid) and as the plain baseline (host waits only, lateness dropped),
// interleaved, in one process. Per configuration it prints:
//   host time for the guest time, and host - guest as a share of guest time;
//   interrupts that came early (the guest's own check: must be 0);
//   the guest-measured latency, mtime at handler entry - mtimecmp, p50/p99/max;
//   the learned margin, the spin's host time and the process CPU time per
//   idle second (user + system, getrusage), and the late host wake-ups;
// then the ratios of the new waits against the baseline measured here.
// Targets: host time within 0.5 % of guest time under icount shift=4; without
// icount p99 latency <= 20 us and max <= 200 us on a quiet machine, spin under
// 5 % of the idle time.
//   idle_bench [--count N] [--period-us P] [--repeats R]
#include <fmt/format.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "bench/process_cpu_time.h"
#include "vtime/machine/board.h"
#include "vtime/time/system_host_clock.h"

extern const unsigned char kIdleLatencyGuest[];
extern const std::size_t kIdleLatencyGuestSize;

namespace {

using vtime::Duration;

struct Settings {
  unsigned count = 2000;
  unsigned period_us = 1000;
  int repeats = 1;
};


struct Config {
  std::string name;
  std::string icount;  // "" = off
  bool plain = false;  // the baseline: host waits only, lateness dropped
};

struct Result {
  Duration host{0}, guest{0}, cpu{0};
  unsigned interrupts = 0, early = 0;
  Duration p50{0}, p99{0}, max{0};  // guest-measured latency
  vtime::BoardStats::IdleWaits idle;
};

// The number after `label ` in the guest's output, or -1.
long long field(const std::string& out, const std::string& label) {
  const size_t at = out.find(label + " ");
  return at == std::string::npos ? -1 : std::atoll(out.c_str() + at + label.size() + 1);
}

Result run(vtime::HostClock& host, const Config& c, const Settings& s) {
  vtime::BufferConsole console;
  vtime::BoardOptions options;
  options.ram_bytes = 16ull << 20;
  if (!c.icount.empty()) options.icount = *vtime::parse_icount_options(c.icount);
  if (c.plain) {
    options.idle_wait.early_wake = false;
    options.repay_idle_lateness = false;
  }
  options.bootargs = fmt::format("count={} period_us={} latency=on", s.count, s.period_us);
  vtime::BootImages images;
  images.kernel = vtime::ImageFile{
      "idle_latency", std::vector<uint8_t>(kIdleLatencyGuest, kIdleLatencyGuest + kIdleLatencyGuestSize)};
  auto board = vtime::Board::create(host, console, options, images);
  if (!board) {
    fmt::print(stderr, "idle_bench: {}\n", board.error());
    std::exit(1);
  }
  const Duration cpu0 = vtime::bench::process_cpu_time();
  const vtime::RunOutcome outcome = (*board)->run();
  Result r;
  r.cpu = vtime::bench::process_cpu_time() - cpu0;
  const std::string& out = console.output();
  if (outcome.kind != vtime::RunOutcome::Kind::kPoweroff && outcome.exit_status != 3) {
    fmt::print(stderr, "idle_bench: {} ended with {}:\n{}", c.name, outcome.reason, out);
    std::exit(1);
  }
  const vtime::BoardStats st = (*board)->stats();
  r.host = st.host_time;
  r.idle = st.idle;
  r.guest = Duration(field(out, "guest time"));
  r.interrupts = static_cast<unsigned>(field(out, "idle_latency:"));
  r.early = static_cast<unsigned>(field(out, "wfi,"));
  r.p50 = Duration(field(out, "p50"));
  r.p99 = Duration(field(out, "p99"));
  r.max = Duration(field(out, "max"));
  return r;
}

double us(Duration d) { return static_cast<double>(d.count()) / 1e3; }
double sec(Duration d) { return static_cast<double>(d.count()) / 1e9; }

void print_row(const Config& c, const Result& r) {
  const double lag = 100.0 * (sec(r.host) - sec(r.guest)) / sec(r.guest);
  const double spin = r.idle.waited > Duration(0) ? 100.0 * sec(r.idle.spun) / sec(r.idle.waited) : 0;
  const double cpu_per_idle_s = r.idle.waited > Duration(0) ? sec(r.cpu) / sec(r.idle.waited) : 0;
  fmt::print("| {} | {:.4f} s / {:.4f} s | {:+.2f} % | {} of {} | {:.1f} / {:.1f} / {:.1f} | {:.1f} | {:.2f} % "
             "| {:.3f} | {} | {} |\n",
             c.name, sec(r.host), sec(r.guest), lag, r.early, r.interrupts, us(r.p50), us(r.p99), us(r.max),
             us(r.idle.margin), spin, cpu_per_idle_s, r.idle.late_wakeups, r.idle.punctual);
}

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    const unsigned long v = std::strtoul(argv[i + 1], nullptr, 10);
    if (opt == "--count" && v >= 1 && v <= 20000) s.count = static_cast<unsigned>(v);
    else if (opt == "--period-us" && v >= 1) s.period_us = static_cast<unsigned>(v);
    else if (opt == "--repeats" && v >= 1) s.repeats = static_cast<int>(v);
    else {
      fmt::print(stderr, "usage: idle_bench [--count 1..20000] [--period-us P] [--repeats R]\n");
      std::exit(2);
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (kIdleLatencyGuestSize == 0) {
    fmt::print(stderr, "idle_bench: built without the RISC-V cross compiler (no guest)\n");
    return 1;
  }
  const Settings s = parse(argc, argv);
  vtime::SystemHostClock host;
  const std::vector<Config> configs = {
      {"icount shift=4, baseline", "shift=4", true},
      {"icount shift=4", "shift=4", false},
      {"no icount, baseline", "", true},
      {"no icount", "", false},
  };
  fmt::print("idle_bench: {} interrupts every {} us in wfi, {} round(s)\n\n", s.count, s.period_us, s.repeats);
  fmt::print("| configuration | host / guest time | host - guest | early | latency p50/p99/max (us) "
             "| margin (us) | spin of idle | CPU s per idle s | late wake-ups | real-time waits |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|\n");
  std::vector<Result> last(configs.size());
  for (int round = 0; round < s.repeats; ++round) {
    for (size_t i = 0; i < configs.size(); ++i) {
      last[i] = run(host, configs[i], s);
      print_row(configs[i], last[i]);
    }
  }
  // Ratios of the last round, new against its baseline.
  const auto ratio = [](Duration a, Duration b) { return b > Duration(0) ? sec(a) / sec(b) : 0.0; };
  fmt::print("\nicount shift=4: host - guest {:.3f} ms vs {:.3f} ms baseline (ratio {:.3f})\n",
             sec(last[1].host - last[1].guest) * 1e3, sec(last[0].host - last[0].guest) * 1e3,
             ratio(last[1].host - last[1].guest, last[0].host - last[0].guest));
  fmt::print("no icount: latency p99 {:.1f} us vs {:.1f} us baseline (ratio {:.3f}), max {:.1f} vs {:.1f} us\n",
             us(last[3].p99), us(last[2].p99), ratio(last[3].p99, last[2].p99), us(last[3].max), us(last[2].max));
  return 0;
}
