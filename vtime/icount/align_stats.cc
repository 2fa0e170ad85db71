#include "vtime/icount/align_stats.h"

#include <fmt/format.h>

#include <algorithm>

namespace vtime {
namespace {

std::string span_text(Duration d) {
  const double ns = static_cast<double>(d.count());
  if (d < 1us && d > -1us) return fmt::format("{} ns", d.count());
  if (d < 1ms && d > -1ms) return fmt::format("{:.1f} us", ns / 1e3);
  if (d < 1s && d > -1s) return fmt::format("{:.1f} ms", ns / 1e6);
  return fmt::format("{:.2f} s", ns / 1e9);
}

}  // namespace

void AlignStats::record_lead(Duration lead) {
  current_lead_ = lead;
  max_advance_ = std::max(max_advance_, lead);
  max_delay_ = std::max(max_delay_, -lead);
  histogram_.add(lead);
}

void AlignStats::record_sleep(Duration slept) {
  ++sleeps_;
  slept_ += slept;
}

void AlignStats::reset() {
  max_delay_ = Duration(0);
  max_advance_ = Duration(0);
  histogram_.reset();
  sleeps_ = 0;
  slept_ = Duration(0);
  warnings_ = 0;
}

AlignSummary AlignStats::summary(bool align) const {
  AlignSummary s;
  s.align = align;
  s.host_minus_guest = -current_lead_;
  s.max_delay = max_delay_;
  s.max_advance = max_advance_;
  s.p50 = histogram_.quantile(0.50);
  s.p99 = histogram_.quantile(0.99);
  s.max_abs = histogram_.max();
  s.samples = histogram_.count();
  s.sleeps = sleeps_;
  s.slept = slept_;
  s.warnings = warnings_;
  return s;
}

std::string format_align_summary(const AlignSummary& s) {
  std::string out = fmt::format("Host - Guest clock  {} ms\n", s.host_minus_guest.count() / 1'000'000);
  if (s.align) {
    out += fmt::format("Max guest delay     {} ms\n", s.max_delay.count() / 1'000'000);
    out += fmt::format("Max guest advance   {} ms\n", s.max_advance.count() / 1'000'000);
  } else {
    out += "Max guest delay     NA\nMax guest advance   NA\n";
  }
  out += fmt::format("|Host - Guest|      p50 {}  p99 {}  max {}  ({} samples)\n", span_text(s.p50),
                     span_text(s.p99), span_text(s.max_abs), s.samples);
  if (s.align) out += fmt::format("Align sleeps        {} ({})\n", s.sleeps, span_text(s.slept));
  return out;
}

}  // namespace vtime
