#include "tools/vtime/run_request.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>
#include <string_view>
#include <vector>

#include "tools/vtime/memory_size.h"
#include "vtime/time/printable.h"

namespace vtime::cli {
namespace {

// CLI11 reads "-smp" as "-s -m -p"; QEMU users type it with one dash. Rewrite
// the long single-dash spellings we support to their double-dash form.
std::vector<std::string> normalise_qemu_spellings(std::span<const std::string> args) {
  static constexpr std::array<std::string_view, 12> kLong = {
      "smp", "bios", "kernel", "initrd", "icount", "report", "append", "echr", "monitor", "qmp",
      "loadvm", "rtc"};
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::string a = arg;
    if (a.size() > 2 && a[0] == '-' && a[1] != '-') {
      const std::string_view body = std::string_view(a).substr(1);
      const std::string_view name = body.substr(0, body.find('='));
      if (std::find(kLong.begin(), kLong.end(), name) != kLong.end()) a = "-" + a;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// A guest duration for `option` ("--time-limit"): a positive number with an
// optional unit (s, ms, us, ns; seconds when none).
Result<Duration> parse_guest_time(std::string_view raw, std::string_view option) {
  const std::string text = printable(raw);
  double value = 0;
  std::string unit;
  const std::string s(raw);
  size_t pos = 0;
  try {
    value = std::stod(s, &pos);
  } catch (...) {
    return Error{fmt::format("{}: '{}' is not a duration (examples: 3s, 500ms)", option, text)};
  }
  unit = s.substr(pos);
  double scale = 0;
  if (unit == "s" || unit.empty()) scale = 1e9;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ns") scale = 1;
  else return Error{fmt::format("{}: unknown unit in '{}' (use s, ms, us or ns)", option, text)};
  const double ns = value * scale;
  if (!(value > 0) || ns > 9e18) {
    return Error{fmt::format("{}: '{}' must be positive and below 290 years", option, text)};
  }
  // Truncating a positive limit under 1 ns would make it zero: a run that ends at once.
  if (ns < 1) {
    return Error{fmt::format("{}: '{}' is shorter than 1 ns, the clock's resolution", option, text)};
  }
  return Duration(static_cast<int64_t>(ns));
}

// --savevm-at TIME:FILE: the guest time is everything before the first colon.
Result<RunRequest::SaveAt> parse_savevm_at(std::string_view raw) {
  const size_t colon = raw.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == raw.size()) {
    return Error{fmt::format("--savevm-at: '{}' is not TIME:FILE (example: 2s:boot.snap)", printable(raw))};
  }
  const Result<Duration> at = parse_guest_time(raw.substr(0, colon), "--savevm-at");
  if (!at) return Error{at.error()};
  return RunRequest::SaveAt{.at = *at, .path = std::string(raw.substr(colon + 1))};
}

// Takes QEMU's record/replay keys (rr, rrfile, rrsnapshot) out of the --icount
// text: they belong to the board, the rest to the icount engine.
Status split_record_replay(RunRequest& request) {
  std::string rest;
  std::optional<std::string> rr, rrfile;
  size_t start = 0;
  const std::string& text = request.icount;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const size_t eq = item.find('=');
    const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "rr") rr = value;
    else if (key == "rrfile") rrfile = value;
    else if (key == "rrsnapshot") request.rrsnapshot = value;
    else rest += (rest.empty() ? "" : ",") + item;
    start = comma + 1;
  }
  if (!rr) {
    if (rrfile || request.rrsnapshot) return Error{"--icount: rrfile and rrsnapshot need rr=record or rr=replay"};
    return ok_status();
  }
  if (*rr != "record" && *rr != "replay") {
    return Error{fmt::format("--icount: rr must be record or replay, not '{}'", printable(*rr))};
  }
  if (!rrfile || rrfile->empty()) return Error{fmt::format("--icount: rr={} needs rrfile=FILE", *rr)};
  if (request.rrsnapshot && request.rrsnapshot->empty()) return Error{"--icount: rrsnapshot needs a file name"};
  request.replay = *rr == "record" ? ReplayMode::kRecord : ReplayMode::kReplay;
  request.rrfile = *rrfile;
  request.icount = rest;
  return ok_status();
}

// A whole number from 1 to 99 (0 would be "off", which is the default anyway).
// Checked here rather than by CLI11, so every wrong value gets the same sentence.
Result<int> parse_throttle_percent(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc{} || stop != end || value < 1 || value > 99) {
    return Error{fmt::format("--cpu-throttle: '{}' is not a percentage from 1 to 99", printable(text))};
  }
  return value;
}

// QEMU's -echr: the console's escape key as a number, decimal or 0x-hex
// (20 or 0x14 is Ctrl-T), 1 to 255.
Result<uint8_t> parse_escape_key(std::string_view text) {
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const std::string_view digits = hex ? text.substr(2) : text;
  unsigned value = 0;
  const char* end = digits.data() + digits.size();
  const auto [stop, error] = std::from_chars(digits.data(), end, value, hex ? 16 : 10);
  if (digits.empty() || error != std::errc{} || stop != end || value < 1 || value > 255) {
    return Error{fmt::format("--echr: '{}' is not a key code from 1 to 255 (20 or 0x14 is Ctrl-T)", printable(text))};
  }
  return static_cast<uint8_t>(value);
}

// --hpet on | driftfix=MODE; the mode names are the HPET's own.
Result<HpetDriftfix> parse_hpet_option(std::string_view text) {
  if (text == "on") return HpetDriftfix::kNone;
  constexpr std::string_view kDriftfix = "driftfix=";
  if (!text.starts_with(kDriftfix)) {
    return Error{fmt::format("--hpet: '{}' is neither on nor driftfix=none|slew", printable(text))};
  }
  // printable() leaves valid names as they are and keeps control bytes out of the error.
  const Result<HpetDriftfix> mode = parse_hpet_driftfix(printable(text.substr(kDriftfix.size())));
  if (!mode) return Error{"--hpet: " + mode.error()};
  return mode;
}

// The options as typed, before they are checked and converted into a RunRequest.
struct TypedArguments {
  std::string memory = "128M";
  unsigned harts = 1;
  std::string bios, kernel, initrd, guest, bootargs;
  std::string icount, time_limit, savevm_at, loadvm, rtc, cpu_throttle, hpet;
  bool lapic_timer = false, pv_clockevent = false, pvclock = false;
  std::string report = "text", report_file, echr;
  bool guest_errors = false, start_paused = false;
  std::vector<std::string> monitors, qmps;
  // Options whose presence matters, not only their value.
  CLI::Option* rtc_option = nullptr;
  CLI::Option* throttle_option = nullptr;
  CLI::Option* echr_option = nullptr;
};

// RAM, harts, what boots and its command line.
void declare_machine_options(CLI::App& app, TypedArguments& a) {
  app.add_option("-m,--memory", a.memory, "RAM size, QEMU syntax (128 = 128 MiB, 1G)");
  app.add_option("--smp", a.harts, "Number of harts, 1 to 8")->check(CLI::Range(1u, kMaxHarts));
  app.add_option("--bios", a.bios, "Firmware at 0x80000000: a file, or 'none' (default)");
  app.add_option("--kernel", a.kernel, "Kernel image (ELF or raw) loaded after the firmware");
  app.add_option("--initrd", a.initrd,
                 "Initial RAM disk for the kernel, loaded above it and named in the device tree");
  app.add_option("--append", a.bootargs,
                 "Kernel command line: the device tree's /chosen/bootargs (QEMU -append)");
  app.add_option("guest", a.guest, "Guest program (ELF or raw), run like -kernel GUEST -bios none");
}

// Guest time: icount, limits, snapshots, the timer devices and the RTC, the throttle.
void declare_time_options(CLI::App& app, TypedArguments& a) {
  app.add_option("--icount", a.icount,
                 "Instruction counting: shift=N|auto,align=on|off,sleep=on|off, and "
                 "rr=record|replay,rrfile=F[,rrsnapshot=S] (QEMU -icount)");
  app.add_option("--time-limit", a.time_limit, "Stop after this much guest time (e.g. 10s)");
  app.add_option("--savevm-at", a.savevm_at,
                 "Save a snapshot to FILE when guest time first reaches TIME, then go on (TIME:FILE)")
      ->type_name("TIME:FILE");
  app.add_option("--loadvm", a.loadvm,
                 "Start from a snapshot; the other options must match the ones it was saved with")
      ->type_name("FILE");
  app.add_option("--hpet", a.hpet,
                 "Add an HPET: on, driftfix=none or driftfix=slew (lost-tick re-injection)");
  app.add_flag("--lapic-timer", a.lapic_timer, "Add a LAPIC-style timer per hart (MMIO)");
  app.add_flag("--pv-clockevent", a.pv_clockevent,
               "Add a paravirtual clock-event device per hart (absolute ns deadlines)");
  app.add_flag("--pvclock", a.pvclock, "Add pvclock (kvmclock ABI) records for the guest");
  a.rtc_option = app.add_option(
      "--rtc", a.rtc,
      "The goldfish RTC: base=utc|localtime|DATE (2006-06-17T16:01:21 or 2006-06-17, UTC), "
      "clock=host|rt|vm (QEMU -rtc; default base=utc,clock=host)")
      ->type_name("SPEC");
  a.throttle_option = app.add_option("--cpu-throttle", a.cpu_throttle,
                 "Throttle the harts by this percentage, 1 to 99: they sleep p/(1-p) of every "
                 "10 ms timeslice (QEMU's auto-converge throttle)")
      ->type_name("PERCENT");
}

// What the user sees: the report, guest errors, the monitors, the console's escape key.
void declare_interface_options(CLI::App& app, TypedArguments& a) {
  app.add_option("--report", a.report, "Timekeeping report at exit: text, json or none")
      ->check(CLI::IsMember({"text", "json", "none"}));
  app.add_option("--report-file", a.report_file, "Write the report to this file instead of stderr");
  app.add_flag("--guest-errors", a.guest_errors, "Print guest errors (bad register accesses) to stderr");
  app.add_option("--monitor", a.monitors,
                 "A human monitor (HMP) on unix:PATH,server=on,wait=off or tcp:HOST:PORT,server=on,wait=off")
      ->type_name("SPEC")
      ->allow_extra_args(false);
  app.add_option("--qmp", a.qmps, "A QMP monitor on unix:PATH,server=on,wait=off or tcp:HOST:PORT,server=on,wait=off")
      ->type_name("SPEC")
      ->allow_extra_args(false);
  app.add_flag("-S", a.start_paused, "Start paused: the guest runs when a monitor says cont");
  a.echr_option =
      app.add_option("--echr", a.echr, "The console's escape key as a key code (default 1, Ctrl-A; 20 is Ctrl-T)")
          ->type_name("CODE");
}

Status take_machine(const TypedArguments& a, RunRequest& request) {
  const Result<uint64_t> ram = parse_memory_size(a.memory);
  if (!ram) return Error{ram.error()};
  request.ram_bytes = *ram;
  request.harts = a.harts;
  if (!a.bios.empty()) request.bios = a.bios;
  if (!a.kernel.empty()) request.kernel = a.kernel;
  if (!a.guest.empty()) {
    if (request.kernel) return Error{"give the guest either as GUEST or with -kernel, not both"};
    request.guest = a.guest;
  }
  if (!a.initrd.empty()) {
    if (!request.kernel && !request.guest) {
      return Error{"-initrd needs a kernel to boot with it: give -kernel FILE or GUEST"};
    }
    request.initrd = a.initrd;
  }
  request.bootargs = a.bootargs;
  return ok_status();
}

Status take_time(const TypedArguments& a, RunRequest& request) {
  request.icount = a.icount;
  if (Status s = split_record_replay(request); !s.ok()) return s;
  if (!a.time_limit.empty()) {
    const Result<Duration> limit = parse_guest_time(a.time_limit, "--time-limit");
    if (!limit) return Error{limit.error()};
    request.guest_time_limit = *limit;
  }
  if (!a.savevm_at.empty()) {
    Result<RunRequest::SaveAt> save = parse_savevm_at(a.savevm_at);
    if (!save) return Error{save.error()};
    request.savevm_at = *save;
  }
  if (!a.loadvm.empty()) request.loadvm = a.loadvm;
  if (!a.hpet.empty()) {
    const Result<HpetDriftfix> mode = parse_hpet_option(a.hpet);
    if (!mode) return Error{mode.error()};
    request.hpet = *mode;
  }
  request.lapic_timer = a.lapic_timer;
  request.pv_clockevent = a.pv_clockevent;
  request.pvclock = a.pvclock;
  if (a.rtc_option->count() > 0) {
    const Result<RtcOptions> parsed = parse_rtc_options(a.rtc);
    if (!parsed) return Error{"--rtc: " + parsed.error()};
    request.rtc = *parsed;
    request.rtc_given = true;
  }
  if (a.throttle_option->count() > 0) {
    const Result<int> percent = parse_throttle_percent(a.cpu_throttle);
    if (!percent) return Error{percent.error()};
    request.cpu_throttle = *percent;
  }
  return ok_status();
}

Status take_monitors(const TypedArguments& a, RunRequest& request) {
  for (const auto& [specs, option, out] : {std::tuple{&a.monitors, "--monitor", &request.hmp_endpoints},
                                           std::tuple{&a.qmps, "--qmp", &request.qmp_endpoints}}) {
    for (const std::string& spec : *specs) {
      Result<monitor::Endpoint> e = monitor::parse_endpoint(spec, option);
      if (!e) return Error{e.error()};
      if (e->kind == monitor::Endpoint::Kind::kStdio) {
        if (out == &request.qmp_endpoints) return Error{"--qmp: 'stdio' is not offered: use a unix: or tcp: socket"};
        request.monitor_on_stdio = true;
        continue;
      }
      out->push_back(*e);
    }
  }
  request.start_paused = a.start_paused;
  if (request.start_paused && request.hmp_endpoints.empty() && request.qmp_endpoints.empty() &&
      !request.monitor_on_stdio) {
    return Error{"-S starts the guest paused: it needs --monitor or --qmp to say cont"};
  }
  return ok_status();
}

Status take_interface(const TypedArguments& a, RunRequest& request) {
  request.report = a.report == "json" ? ReportFormat::kJson
                   : a.report == "none" ? ReportFormat::kNone
                                        : ReportFormat::kText;
  if (!a.report_file.empty()) request.report_file = a.report_file;
  request.log_guest_errors = a.guest_errors;
  if (Status s = take_monitors(a, request); !s.ok()) return s;
  if (a.echr_option->count() > 0) {
    const Result<uint8_t> key = parse_escape_key(a.echr);
    if (!key) return Error{key.error()};
    request.escape_key = *key;
  }
  return ok_status();
}

}  // namespace

ParseOutcome parse_run_arguments(std::span<const std::string> raw_args) {
  CLI::App app{"Run a RISC-V guest on the vtime reference board and report how guest time tracked "
               "host time.",
               "vtime run"};
  TypedArguments typed;
  declare_machine_options(app, typed);
  declare_time_options(app, typed);
  declare_interface_options(app, typed);

  std::vector<std::string> args = normalise_qemu_spellings(raw_args);
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    return {Error{app.help()}, true};
  } catch (const CLI::ParseError& e) {
    std::string what = printable(e.what());  // CLI11 quotes the arguments it rejects
    if (!what.empty() && what.back() != '.') what += '.';
    return {Error{what}, false};
  }

  RunRequest request;
  for (Status (*take)(const TypedArguments&, RunRequest&) : {take_machine, take_time, take_interface}) {
    if (Status s = take(typed, request); !s.ok()) return {Error{s.error()}, false};
  }
  return {std::move(request), false};
}

}  // namespace vtime::cli
