// The timer-programming cost table (docs/paravirt.md): runs the timer_cost
// guest on the reference board, once per path and configuration, and prints
//   path | guest insns/programming | traps/programming | guest insns/now |
//   traps/event | host ns/programming | host ns/event |
//   delivery error min/mean/max (VIRTUAL ns)
// Guest figures come from the guest's own report (exact under icount). Host
// figures are differences between runs of this process, so board start-up and
// the loop itself cancel out:
//   host ns/programming = (T[path, 5 programmings per event] - T[path, 1]) / 4N
//   host ns/event       = (T[path, 1] - T[baseline loop, no timer]) / N
// T is the process CPU time (user + system, getrusage) of Board::run(), not
// wall time: the machine is shared, and preemption must not count. Each T is
// the smallest of --repeats runs, taken in interleaved rounds.
//   timer_cost_bench [--iterations N] [--repeats R] [--icount SPEC]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "bench/process_cpu_time.h"
#include "vtime/machine/board.h"
#include "vtime/time/system_host_clock.h"

extern const unsigned char kTimerCostGuest[];
extern const std::size_t kTimerCostGuestSize;

namespace {

using vtime::Duration;

struct Settings {
  uint64_t iterations = 100000;
  int repeats = 3;
  std::string icount = "shift=4,sleep=off";
};

constexpr uint64_t kExtraPrograms = 4;  // the second configuration programs 1 + this per event


struct Run {
  Duration host{0};
  std::string output;
};

// One board, one guest run with these bootargs. Exits the program on failure.
Run run_guest(vtime::HostClock& host, const vtime::IcountOptions& icount,
              const std::string& bootargs) {
  vtime::BufferConsole console;
  vtime::BoardOptions options;
  options.icount = icount;
  options.ram_bytes = 16ull << 20;  // the guest needs little; the board touches all of RAM at start
  options.timer_devices.lapic_timer = true;
  options.timer_devices.pv_clockevent = true;
  options.timer_devices.pvclock = true;
  options.bootargs = bootargs;
  vtime::BootImages images;
  images.kernel = vtime::ImageFile{
      "timer_cost", std::vector<uint8_t>(kTimerCostGuest, kTimerCostGuest + kTimerCostGuestSize)};
  auto board = vtime::Board::create(host, console, options, images);
  if (!board) {
    fmt::print(stderr, "timer_cost_bench: {}\n", board.error());
    std::exit(1);
  }
  const Duration start = vtime::bench::process_cpu_time();
  const vtime::RunOutcome outcome = (*board)->run();
  const Duration took = vtime::bench::process_cpu_time() - start;
  if (outcome.kind != vtime::RunOutcome::Kind::kPoweroff) {
    fmt::print(stderr, "timer_cost_bench: '{}' ended with {}:\n{}", bootargs, outcome.reason,
               console.output());
    std::exit(1);
  }
  return {took, console.output()};
}

// The number after `label ` in the guest's line for the path.
double field(const std::string& line, const std::string& label) {
  const size_t at = line.find(label + " ");
  if (at == std::string::npos) return 0;
  return std::strtod(line.c_str() + at + label.size() + 1, nullptr);
}

std::string path_line(const std::string& output, char path) {
  const std::string prefix = std::string(1, path) + " ";
  size_t start = 0;
  while (start < output.size()) {
    const size_t end = output.find('\n', start);
    const std::string line = output.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0) return line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

double per_iteration_ns(Duration d, uint64_t iterations) {
  return static_cast<double>(d.count()) / static_cast<double>(iterations);
}

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--iterations") s.iterations = std::strtoull(argv[i + 1], nullptr, 10);
    else if (opt == "--repeats") s.repeats = std::max(1, std::atoi(argv[i + 1]));
    else if (opt == "--icount") s.icount = argv[i + 1];
    else {
      fmt::print(stderr, "usage: timer_cost_bench [--iterations N] [--repeats R] [--icount SPEC]\n");
      std::exit(2);
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (kTimerCostGuestSize == 0) {
    fmt::print(stderr, "timer_cost_bench: built without the RISC-V cross compiler (no guest)\n");
    return 1;
  }
  const Settings s = parse(argc, argv);
  const auto icount = vtime::parse_icount_options(s.icount);
  if (!icount) {
    fmt::print(stderr, "timer_cost_bench: --icount: {}\n", icount.error());
    return 2;
  }
  vtime::SystemHostClock host;
  constexpr std::array<char, 6> kPaths = {'a', 'b', 'c', 'd', 'e', 'f'};
  const std::string n = fmt::format("iterations={}", s.iterations);

  // Configurations: the baseline, then each path with 1 and 1 + kExtraPrograms
  // programmings per event.
  const auto config = [&](char p, uint64_t programs) {
    return fmt::format("{} path={} programs={}", n, p, programs);
  };
  std::vector<std::string> configs = {n + " path=none"};
  for (char p : kPaths) {
    configs.push_back(config(p, 1));
    configs.push_back(config(p, 1 + kExtraPrograms));
  }
  std::map<std::string, Run> best;
  for (int round = 0; round < s.repeats; ++round) {
    for (const std::string& args : configs) {
      Run r = run_guest(host, *icount, args);
      auto it = best.find(args);
      if (it == best.end() || r.host < it->second.host) best[args] = std::move(r);
    }
  }

  const Duration baseline = best[configs[0]].host;
  fmt::print("timer_cost: {} events per path, icount {}, least CPU time of {} runs; baseline "
             "loop {:.1f} host ns/iteration\n\n",
             s.iterations, s.icount, s.repeats, per_iteration_ns(baseline, s.iterations));
  fmt::print("| path | guest insns/programming | traps/programming | guest insns/now | traps/event "
             "| host ns/programming | host ns/event | delivery error min/mean/max (VIRTUAL ns) |\n");
  fmt::print("|---|---|---|---|---|---|---|---|\n");
  for (char p : kPaths) {
    const Run& one = best[config(p, 1)];
    const Run& more = best[config(p, 1 + kExtraPrograms)];
    const std::string line = path_line(one.output, p);
    if (line.empty()) {
      fmt::print(stderr, "timer_cost_bench: no line for path {} in:\n{}", p, one.output);
      return 1;
    }
    const std::string name = line.substr(0, line.find(" insns"));
    fmt::print("| {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.0f} | {:.0f} | {:.0f} / {:.1f} / {:.0f} |\n",
               name.substr(0, name.find_last_not_of(' ') + 1), field(line, "insns/prog"),
               field(line, "traps/prog"), field(line, "insns/now"), field(line, "traps/event"),
               per_iteration_ns(more.host - one.host, s.iterations * kExtraPrograms),
               per_iteration_ns(one.host - baseline, s.iterations), field(line, "min"),
               field(line, "mean"), field(line, "max"));
  }
  return 0;
}
