#include "vtime/monitor/hmp.h"
#include "vtime/time/printable.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "vtime/icount/icount.h"
#include "vtime/monitor/time_state.h"
#include "vtime/riscv/hart.h"

namespace vtime::monitor {
namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '\n') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::optional<int> whole_number(std::string_view text) {
  int v = 0;
  const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (err != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

constexpr std::string_view kHelp =
    "cont              resume the guest\n"
    "cpu N             select the hart `info registers` shows\n"
    "cpu_throttle N    throttle the harts by N percent (1-99); `cpu_throttle off` stops it\n"
    "help              this list\n"
    "info jit          icount: host - guest clock, max delay/advance, p50/p99/max\n"
    "info registers    the selected hart's pc, x registers, privilege and key CSRs\n"
    "info status       running or paused\n"
    "info time         the four clocks, run state, icount, timers armed, throttle\n"
    "loadvm FILE       replace the machine's state with the snapshot in FILE\n"
    "quit              end the run (the report is printed)\n"
    "savevm FILE       save a snapshot of the whole machine to FILE\n"
    "stop              pause the guest: no hart runs and guest time stands still\n"
    "system_reset      reset the machine as the guest's test device would\n";

constexpr std::array<const char*, 32> kAbiNames = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

const char* priv_name(riscv::Priv p) {
  switch (p) {
    case riscv::Priv::kUser: return "U";
    case riscv::Priv::kSupervisor: return "S";
    case riscv::Priv::kMachine: return "M";
  }
  return "?";
}

}  // namespace

std::string to_crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string Hmp::execute(std::string_view line) {
  const std::vector<std::string_view> w = words(line);
  if (w.empty()) return {};
  const std::string_view cmd = w[0];
  const auto no_args = [&](const char* name) -> std::optional<std::string> {
    if (w.size() != 1) return fmt::format("{}: takes no arguments\n", name);
    return std::nullopt;
  };
  if (cmd == "help" || cmd == "?") return std::string(kHelp);
  if (cmd == "info") {
    if (w.size() != 2) return "info: say what: status, registers, jit or time\n";
    return info(w[1]);
  }
  if (cmd == "stop") {
    if (auto e = no_args("stop")) return *e;
    actions_.stop();
    return {};
  }
  if (cmd == "cont" || cmd == "c") {
    if (auto e = no_args("cont")) return *e;
    actions_.cont();
    return {};
  }
  if (cmd == "system_reset") {
    if (auto e = no_args("system_reset")) return *e;
    actions_.system_reset();
    return {};
  }
  if (cmd == "quit" || cmd == "q") {
    if (auto e = no_args("quit")) return *e;
    actions_.quit();
    return {};
  }
  if (cmd == "cpu") {
    const std::optional<int> n = w.size() == 2 ? whole_number(w[1]) : std::nullopt;
    if (!n || *n < 0 || !actions_.select_hart(static_cast<size_t>(*n))) {
      return fmt::format("cpu: give a hart number from 0 to {}\n", actions_.board().hart_count() - 1);
    }
    return {};
  }
  if (cmd == "savevm" || cmd == "loadvm") {
    if (w.size() != 2) return fmt::format("{}: give one file name\n", cmd);
    const std::string path(w[1]);
    const Status s = cmd == "savevm" ? actions_.savevm(path) : actions_.loadvm(path);
    return s.ok() ? std::string{} : fmt::format("{}: {}\n", cmd, printable(s.error()));
  }
  if (cmd == "cpu_throttle") {
    if (w.size() == 2 && w[1] == "off") {
      actions_.set_throttle(0);
      return {};
    }
    const std::optional<int> n = w.size() == 2 ? whole_number(w[1]) : std::nullopt;
    if (!n || *n < 1 || *n > 99) return "cpu_throttle: give a percentage from 1 to 99, or off\n";
    actions_.set_throttle(*n);
    return {};
  }
  return fmt::format("unknown command: '{}' (try help)\n", printable(cmd));
}

std::string Hmp::info(std::string_view what) {
  if (what == "status") return fmt::format("VM status: {}\n", actions_.running() ? "running" : "paused");
  if (what == "registers") return registers();
  if (what == "time") return format_time_text(capture_time_state(actions_.board()));
  if (what == "jit") {
    Icount* icount = actions_.board().icount();
    if (icount == nullptr) return "icount              off\n";
    return icount->info_text();
  }
  return fmt::format("info: unknown item '{}' (status, registers, jit or time)\n", printable(what));
}

std::string Hmp::registers() {
  const size_t h = actions_.current_hart();
  const riscv::Hart& hart = actions_.board().hart(h);
  const riscv::CsrFile& c = hart.csrs();
  std::string out = fmt::format("hart {}  pc {:016x}  priv {}\n", h, hart.pc(), priv_name(hart.priv()));
  for (unsigned r = 0; r < 32; ++r) {
    out += fmt::format("x{:<2} {:>4} {:016x}{}", r, kAbiNames[r], hart.x(r), r % 4 == 3 ? "\n" : "  ");
  }
  out += fmt::format("mstatus {:016x}  mie {:016x}  mip {:016x}\n", c.mstatus, c.mie, hart.pending());
  out += fmt::format("mtvec   {:016x}  mepc {:016x}  mcause {:016x}\n", c.mtvec, c.mepc, c.mcause);
  out += fmt::format("stvec   {:016x}  sepc {:016x}  scause {:016x}\n", c.stvec, c.sepc, c.scause);
  out += fmt::format("satp    {:016x}  instret {}\n", c.satp, hart.retired());
  return out;
}

}  // namespace vtime::monitor
