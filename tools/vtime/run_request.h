// RunRequest: what `vtime run` was asked to do, parsed from QEMU-style options.
// Parsing checks the shape of each option (sizes, counts, formats); the icount
// specification is kept as text here and validated by vtime/icount's parser.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vtime/devices/hpet.h"
#include "vtime/machine/rtc_options.h"
#include "vtime/monitor/endpoint.h"
#include "vtime/time/duration.h"
#include "vtime/machine/replay_mode.h"
#include "vtime/time/result.h"

namespace vtime::cli {

enum class ReportFormat { kText, kJson, kNone };

struct RunRequest {
  uint64_t ram_bytes = 128ull << 20;
  unsigned harts = 1;
  std::optional<std::string> bios;    // a path, or "none"
  std::optional<std::string> kernel;  // a path
  std::optional<std::string> guest;   // positional GUEST: like -kernel GUEST -bios none
  std::optional<std::string> initrd;  // a path: the kernel's initial RAM disk (QEMU -initrd)
  std::string icount;                 // QEMU -icount syntax (without rr*); empty: icount off
  // --icount ...,rr=record|replay,rrfile=F[,rrsnapshot=S] (QEMU's record/replay).
  ReplayMode replay = ReplayMode::kOff;
  std::string rrfile;
  std::optional<std::string> rrsnapshot;
  ReportFormat report = ReportFormat::kText;
  std::optional<std::string> report_file;   // write the report there instead of stderr
  std::optional<Duration> guest_time_limit;  // stop after this much VIRTUAL time
  // --savevm-at TIME:FILE: a snapshot when VIRTUAL first reaches `at`.
  struct SaveAt {
    Duration at{0};
    std::string path;
  };
  std::optional<SaveAt> savevm_at;
  std::optional<std::string> loadvm;  // --loadvm FILE: start from a snapshot
  bool log_guest_errors = false;
  // Optional timer devices (docs/board.md): an HPET with its driftfix mode,
  // and per-hart LAPIC-style and paravirtual timers.
  std::optional<HpetDriftfix> hpet;
  bool lapic_timer = false;
  bool pv_clockevent = false;
  bool pvclock = false;
  RtcOptions rtc;        // -rtc base=...,clock=... (QEMU syntax; default utc on the host clock)
  bool rtc_given = false;  // -rtc was on the command line
  std::string bootargs;  // -append: the device tree's /chosen/bootargs (none when empty)
  int cpu_throttle = 0;  // --cpu-throttle: percent 1..99, 0 = off
  uint8_t escape_key = 0x01;  // --echr: the console's escape key (Ctrl-A)
  // --monitor / --qmp: where the human and the machine monitor listen.
  std::vector<monitor::Endpoint> hmp_endpoints;
  std::vector<monitor::Endpoint> qmp_endpoints;
  bool monitor_on_stdio = false;  // --monitor stdio: the terminal starts in the monitor
  bool start_paused = false;      // -S: wait for the monitor's cont
};

inline constexpr unsigned kMaxHarts = 8;

// Parses the arguments that follow `vtime run`. QEMU's single-dash long options
// (-smp, -bios, -kernel, -initrd, -icount, -rtc) are accepted as well as --smp etc. On error the
// message is one sentence naming the option. `help` is set (and the result is an
// error carrying the help text) when -h/--help was given.
struct ParseOutcome {
  Result<RunRequest> request;
  bool help = false;
};
ParseOutcome parse_run_arguments(std::span<const std::string> args);

}  // namespace vtime::cli
