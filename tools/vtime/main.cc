// `vtime`: runs a RISC-V guest on the reference board with QEMU-style time
// options and reports how guest time tracked host time.
//   vtime run [options] [GUEST]       (vtime run --help for the options)
// Exit status: the guest's (SiFive test device), 1 when a file could not be
// used or the guest got stuck, 2 for bad options.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "vtime/time/printable.h"
#include "tools/vtime/report.h"
#include "tools/vtime/run_request.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/snapshot_file.h"
#include "vtime/machine/board.h"
#include "vtime/machine/stdio_console.h"
#include "vtime/monitor/actions.h"
#include "vtime/monitor/hmp.h"
#include "vtime/monitor/monitor_server.h"
#include "vtime/time/system_host_clock.h"

extern const unsigned char kDefaultGuest[];
extern const std::size_t kDefaultGuestSize;

namespace vtime::cli {
namespace {

// Ctrl-C or a kill while the console is in character mode must not leave the
// user's terminal without echo: restore it, then die by the same signal. The
// one process-wide pointer this needs lives here, in the command, not in the
// library.
StdioConsole* g_console_for_signals = nullptr;

extern "C" void restore_terminal_and_die(int signo) {
  if (g_console_for_signals != nullptr) {
    g_console_for_signals->flush();  // what the guest printed is not lost (write(2) only)
    g_console_for_signals->restore_terminal();
  }
  std::signal(signo, SIG_DFL);
  std::raise(signo);
}

constexpr int kExitBadOptions = 2;
constexpr int kExitUnusable = 1;

constexpr const char* kUsage =
    "usage: vtime run [options] [GUEST]\n"
    "Runs GUEST (an ELF or raw RISC-V program; without one, the embedded clock demo)\n"
    "on the vtime reference board and reports how guest time tracked host time.\n"
    "Try 'vtime run --help' for the options.\n";

TimekeepingReport make_report(const RunOutcome& outcome, const BoardStats& s, unsigned harts) {
  return {.exit_reason = outcome.reason, .exit_status = outcome.exit_status, .harts = harts, .board = s};
}

// QEMU's SHUTDOWN event reasons for how a run ended.
std::string_view shutdown_reason(const RunOutcome& outcome) {
  switch (outcome.kind) {
    case RunOutcome::Kind::kPoweroff:
    case RunOutcome::Kind::kFailure: return "guest-shutdown";
    case RunOutcome::Kind::kQuit: return "host-ui";
    case RunOutcome::Kind::kStuck: return "host-error";
    case RunOutcome::Kind::kReboot: return "guest-reset";
    case RunOutcome::Kind::kTimeLimit: return "none";
  }
  return "none";
}

Result<BootImages> gather_images(const RunRequest& request) {
  BootImages images;
  std::optional<std::string> kernel_path = request.kernel;
  std::string kernel_option = "-kernel";
  if (request.guest) {
    kernel_path = request.guest;
    kernel_option = "GUEST";
  }
  if (request.bios && *request.bios != "none") {
    Result<ImageFile> bios = read_image_file("-bios", *request.bios);
    if (!bios) return Error{bios.error()};
    images.bios = std::move(bios).value();
  }
  if (kernel_path) {
    Result<ImageFile> kernel = read_image_file(kernel_option, *kernel_path);
    if (!kernel) return Error{kernel.error()};
    images.kernel = std::move(kernel).value();
    if (request.initrd) {
      Result<ImageFile> initrd = read_image_file("-initrd", *request.initrd);
      if (!initrd) return Error{initrd.error()};
      images.initrd = std::move(initrd).value();
    }
  } else if (!images.bios) {
    if (kDefaultGuestSize == 0) {
      return Error{"this vtime was built without the RISC-V cross compiler, so it has no embedded "
                   "default guest; name a GUEST"};
    }
    images.kernel = ImageFile{"the embedded default guest",
                              std::vector<uint8_t>(kDefaultGuest, kDefaultGuest + kDefaultGuestSize)};
  }
  return images;
}

int run_command(std::span<const std::string> args) {
  ParseOutcome parsed = parse_run_arguments(args);
  if (parsed.help) {
    std::fputs(parsed.request.error().c_str(), stdout);
    return 0;
  }
  if (!parsed.request.ok()) {
    fmt::print(stderr, "vtime run: {}\n", printable(parsed.request.error()));
    return kExitBadOptions;
  }
  const RunRequest& request = *parsed.request;

  BoardOptions options;
  options.ram_bytes = request.ram_bytes;
  options.harts = request.harts;
  StderrGuestErrorSink stderr_guest_errors;
  if (request.log_guest_errors) options.guest_error_sink = &stderr_guest_errors;
  options.timer_devices.hpet = request.hpet;
  options.timer_devices.lapic_timer = request.lapic_timer;
  options.timer_devices.pv_clockevent = request.pv_clockevent;
  options.timer_devices.pvclock = request.pvclock;
  options.bootargs = request.bootargs;
  options.rtc = request.rtc;
  options.cpu_throttle = request.cpu_throttle;
  if (!request.icount.empty()) {
    Result<IcountOptions> icount = parse_icount_options(request.icount);
    if (!icount) {
      fmt::print(stderr, "vtime run: --icount: {}\n", printable(icount.error()));
      return kExitBadOptions;
    }
    options.icount = *icount;
  }
  if (request.replay != ReplayMode::kOff && options.icount.mode != IcountMode::kFixed) {
    fmt::print(stderr, "vtime run: --icount: rr={} needs a fixed shift (shift=N)\n",
               request.replay == ReplayMode::kRecord ? "record" : "replay");
    return kExitBadOptions;
  }
  options.replay = request.replay;
  if (request.replay != ReplayMode::kOff) {
    // The RTC follows guest time under record/replay (its start is recorded);
    // one that would read the host's clocks cannot be replayed.
    if (!request.rtc_given) options.rtc.clock = ClockId::kVirtual;
    if (options.rtc.clock != ClockId::kVirtual) {
      fmt::print(stderr, "vtime run: -rtc: record and replay need clock=vm (the RTC would read the host's clock)\n");
      return kExitBadOptions;
    }
  }

  Result<BootImages> images = gather_images(request);
  if (!images) {
    fmt::print(stderr, "vtime run: {}\n", printable(images.error()));
    return kExitUnusable;
  }

  SystemHostClock host;
  StdioConsole console;
  console.set_escape_key(request.escape_key);
  console.use_clock_for_timestamps(host);
  g_console_for_signals = &console;
  for (int signo : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(signo, restore_terminal_and_die);
  Result<std::unique_ptr<Board>> board = Board::create(host, console, options, *images);
  if (!board) {
    console.restore_terminal();
    fmt::print(stderr, "vtime run: {}\n", printable(board.error()));
    return kExitUnusable;
  }
  Board& machine = **board;
  if (request.loadvm) {
    if (const Status s = machine.load_snapshot_from(*request.loadvm); !s.ok()) {
      console.restore_terminal();
      fmt::print(stderr, "vtime run: --loadvm: {}\n", printable(s.error()));
      return kExitUnusable;
    }
  }
  if (request.replay != ReplayMode::kOff) {
    // rrsnapshot: recording starts by saving one, replaying by loading it.
    Status s = ok_status();
    if (request.rrsnapshot) {
      s = request.replay == ReplayMode::kRecord ? machine.save_snapshot_to(*request.rrsnapshot)
                                                : machine.load_snapshot_from(*request.rrsnapshot);
    }
    if (s.ok() && request.replay == ReplayMode::kReplay) {
      Result<std::vector<uint8_t>> log = read_whole_file(request.rrfile, "replay log");
      s = log ? machine.start_replay(*log) : Status(Error{log.error()});
    }
    if (!s.ok()) {
      console.restore_terminal();
      fmt::print(stderr, "vtime run: --icount: {}\n", printable(s.error()));
      return kExitUnusable;
    }
  }
  if (request.savevm_at) {
    machine.save_snapshot_at(GuestTime::from_epoch(request.savevm_at->at), request.savevm_at->path);
  }
  console.on_exit_key([&machine] { machine.request_quit(); });
  std::optional<monitor::MonitorServer> monitors;
  monitor::Actions actions(machine, [&monitors](std::string_view event, const nlohmann::json& data) {
    if (monitors) monitors->broadcast(event, data);
  });
  monitor::Hmp console_monitor(actions);  // C-a c
  console.use_monitor([&console_monitor](std::string_view line) { return console_monitor.execute(line); },
                      std::string(monitor::Hmp::kPrompt));
  if (request.monitor_on_stdio) console.start_in_monitor();
  if (request.start_paused && request.monitor_on_stdio) machine.pause();
  if (!request.hmp_endpoints.empty() || !request.qmp_endpoints.empty()) {
    monitors.emplace(actions, host);
    for (const auto& [endpoints, protocol] : {std::pair{&request.hmp_endpoints, monitor::Protocol::kHmp},
                                              std::pair{&request.qmp_endpoints, monitor::Protocol::kQmp}}) {
      for (const monitor::Endpoint& e : *endpoints) {
        if (const Status s = monitors->listen(protocol, e); !s.ok()) {
          console.restore_terminal();
          fmt::print(stderr, "vtime run: {}\n", s.error());
          return kExitUnusable;
        }
      }
    }
    machine.set_host_poll([&monitors] { monitors->poll(); });
    if (request.start_paused) machine.pause();
  }
  const RunOutcome outcome = machine.run(request.guest_time_limit);
  console.restore_terminal();
  if (request.replay == ReplayMode::kRecord) {
    if (const Status s = write_whole_file(request.rrfile, machine.replay_log(), "replay log"); !s.ok()) {
      fmt::print(stderr, "vtime run: --icount: {}\n", s.error());
      return kExitUnusable;
    }
  }
  if (monitors) {
    actions.shutdown(outcome.kind == RunOutcome::Kind::kPoweroff || outcome.kind == RunOutcome::Kind::kFailure,
                     shutdown_reason(outcome));
    monitors->poll();
    monitors->close_all();
  }
  if (request.report == ReportFormat::kNone && outcome.kind != RunOutcome::Kind::kPoweroff) {
    fmt::print(stderr, "vtime: the guest stopped: {}\n", outcome.reason);
  }

  if (request.report != ReportFormat::kNone) {
    const TimekeepingReport report = make_report(outcome, (*board)->stats(), request.harts);
    const std::string text =
        request.report == ReportFormat::kJson ? format_json(report) : format_text(report);
    if (request.report_file) {
      std::ofstream out(*request.report_file);
      out << text;
      if (!out) {
        fmt::print(stderr, "vtime run: cannot write the report to '{}'\n", *request.report_file);
        return kExitUnusable;
      }
    } else {
      std::fputs(text.c_str(), stderr);
    }
  }
  return outcome.kind == RunOutcome::Kind::kStuck ? kExitUnusable : outcome.exit_status;
}

}  // namespace
}  // namespace vtime::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::fputs(vtime::cli::kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? vtime::cli::kExitBadOptions : 0;
  }
  if (args[0] != "run") {
    fmt::print(stderr, "vtime: unknown command '{}'; the command is 'vtime run' (see vtime --help)\n",
               args[0]);
    return vtime::cli::kExitBadOptions;
  }
  return vtime::cli::run_command(std::span<const std::string>(args).subspan(1));
}
