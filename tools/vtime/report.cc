#include "tools/vtime/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace vtime::cli {
namespace {

double seconds(Duration d) { return static_cast<double>(d.count()) / 1e9; }
double millis(Duration d) { return static_cast<double>(d.count()) / 1e6; }

std::string ms_or_na(const std::optional<Duration>& d) {
  return d ? fmt::format("{:.3f} ms", millis(*d)) : std::string("NA");
}

std::string us(Duration d) { return fmt::format("{:.1f} us", static_cast<double>(d.count()) / 1e3); }

std::string idle_lines(const BoardStats::IdleWaits& w) {
  const double spin_percent = w.waited > Duration(0) ? 100.0 * seconds(w.spun) / seconds(w.waited) : 0;
  std::string out = fmt::format("idle waits            {} (margin {}, spun {:.1f} % of {:.6f} s, {} at real-time priority)\n",
                                w.waits, us(w.margin), spin_percent, seconds(w.waited), w.punctual);
  out += fmt::format("idle wait lateness    p50 {}  p99 {}  max {}  ({} late wake-ups)\n",
                     us(w.late_p50), us(w.late_p99), us(w.late_max), w.late_wakeups);
  if (w.lateness > Duration(0)) {
    out += fmt::format("idle lateness repaid  {:.3f} ms of {:.3f} ms (owed {:.3f} ms)\n", millis(w.repaid),
                       millis(w.lateness), millis(w.owed));
  }
  return out;
}

// The alignment figures QEMU's `info jit` prints; max delay/advance only with align=on.
struct AlignFigures {
  std::optional<Duration> host_minus_guest, max_delay, max_advance, p50, p99, max_abs;
};

AlignFigures align_figures(const std::optional<AlignSummary>& a) {
  if (!a) return {};
  const bool align = a->align;
  return {.host_minus_guest = a->host_minus_guest,
          .max_delay = align ? std::optional(a->max_delay) : std::nullopt,
          .max_advance = align ? std::optional(a->max_advance) : std::nullopt,
          .p50 = a->p50,
          .p99 = a->p99,
          .max_abs = a->max_abs};
}

}  // namespace

Duration TimekeepingReport::running_time() const {
  return std::max(Duration(0), board.host_time - board.host_idle - board.time_slept_align -
                                   board.time_slept_throttle);
}

double TimekeepingReport::mips() const {
  const Duration running = running_time();
  if (running <= Duration(0)) return 0;
  return static_cast<double>(board.instructions) / seconds(running) / 1e6;
}

std::string format_text(const TimekeepingReport& report) {
  const BoardStats& r = report.board;
  const AlignFigures a = align_figures(r.alignment);
  std::string out;
  out += "--- vtime timekeeping report ---\n";
  out += fmt::format("exit                  {} (status {})\n", report.exit_reason, report.exit_status);
  out += fmt::format("harts                 {}\n", report.harts);
  out += fmt::format("icount                {}\n", r.icount_text);
  out += fmt::format("guest time            {:.6f} s\n", seconds(r.guest_time));
  out += fmt::format("host time             {:.6f} s\n", seconds(r.host_time));
  out += fmt::format("instructions          {}\n", r.instructions);
  out += fmt::format("MIPS while running    {:.1f} (over {:.6f} s)\n", report.mips(),
                     seconds(report.running_time()));
  out += fmt::format("timers fired          {}\n", r.timers_fired);
  out += fmt::format("time warped           {:.6f} s\n", seconds(r.time_warped));
  out += fmt::format("time slept for align  {:.6f} s\n", seconds(r.time_slept_align));
  out += fmt::format("cpu throttle          {}\n",
                     r.cpu_throttle > 0 ? fmt::format("{} %", r.cpu_throttle) : "off");
  out += fmt::format("time slept, throttle  {:.6f} s\n", seconds(r.time_slept_throttle));
  out += fmt::format("Host - Guest clock    {}\n", ms_or_na(a.host_minus_guest));
  out += fmt::format("Max guest delay       {}\n", ms_or_na(a.max_delay));
  out += fmt::format("Max guest advance     {}\n", ms_or_na(a.max_advance));
  out += fmt::format("|host - guest| p50    {}\n", ms_or_na(a.p50));
  out += fmt::format("|host - guest| p99    {}\n", ms_or_na(a.p99));
  out += fmt::format("|host - guest| max    {}\n", ms_or_na(a.max_abs));
  return out + idle_lines(r.idle);
}

std::string format_json(const TimekeepingReport& report) {
  const BoardStats& r = report.board;
  const AlignFigures a = align_figures(r.alignment);
  auto ns_or_null = [](const std::optional<Duration>& d) -> nlohmann::json {
    return d ? nlohmann::json(d->count()) : nlohmann::json(nullptr);
  };
  nlohmann::json j = {
      {"exit_reason", report.exit_reason},
      {"exit_status", report.exit_status},
      {"harts", report.harts},
      {"icount", r.icount_text},
      {"guest_time_ns", r.guest_time.count()},
      {"host_time_ns", r.host_time.count()},
      {"instructions", r.instructions},
      {"mips", report.mips()},
      {"host_idle_ns", r.host_idle.count()},
      {"running_time_ns", report.running_time().count()},
      {"timers_fired", r.timers_fired},
      {"time_warped_ns", r.time_warped.count()},
      {"time_slept_align_ns", r.time_slept_align.count()},
      {"cpu_throttle_percent", r.cpu_throttle},
      {"time_slept_throttle_ns", r.time_slept_throttle.count()},
      {"host_minus_guest_ns", ns_or_null(a.host_minus_guest)},
      {"max_delay_ns", ns_or_null(a.max_delay)},
      {"max_advance_ns", ns_or_null(a.max_advance)},
      {"abs_difference_p50_ns", ns_or_null(a.p50)},
      {"abs_difference_p99_ns", ns_or_null(a.p99)},
      {"abs_difference_max_ns", ns_or_null(a.max_abs)},
      {"idle_waits", r.idle.waits},
      {"idle_margin_ns", r.idle.margin.count()},
      {"idle_spun_ns", r.idle.spun.count()},
      {"idle_waited_ns", r.idle.waited.count()},
      {"idle_lateness_p50_ns", r.idle.late_p50.count()},
      {"idle_lateness_p99_ns", r.idle.late_p99.count()},
      {"idle_lateness_max_ns", r.idle.late_max.count()},
      {"idle_late_wakeups", r.idle.late_wakeups},
      {"idle_punctual_waits", r.idle.punctual},
      {"idle_lateness_total_ns", r.idle.lateness.count()},
      {"idle_repaid_ns", r.idle.repaid.count()},
      {"idle_owed_ns", r.idle.owed.count()},
  };
  return j.dump(2) + "\n";
}

}  // namespace vtime::cli
