#include "vtime/icount/align_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

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


void AlignStats::save(StateWriter& out) const {
  for (Duration d : {current_lead_, max_delay_, max_advance_, slept_}) out.duration(d);
  out.u64(sleeps_);
  out.u64(warnings_);
  out.u64(histogram_.count());
  out.duration(histogram_.max());
  // Sparse: only the buckets that counted something.
  const std::span<const uint64_t> counts = histogram_.bucket_counts();
  out.u64(static_cast<uint64_t>(std::count_if(counts.begin(), counts.end(), [](uint64_t c) { return c != 0; })));
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    out.u16(static_cast<uint16_t>(i));
    out.u64(counts[i]);
  }
}

void AlignStats::load(StateReader& in) {
  Duration d[4];
  for (Duration& v : d) v = in.duration();
  const uint64_t sleeps = in.u64(), warnings = in.u64(), count = in.u64();
  const Duration max = in.duration();
  std::vector<uint64_t> counts(SpanHistogram::bucket_total(), 0);
  const uint64_t used = in.count(counts.size(), 10);
  for (uint64_t i = 0; i < used && in.ok(); ++i) {
    const uint16_t bucket = in.u16();
    const uint64_t c = in.u64();
    if (bucket >= counts.size()) in.fail("a histogram bucket number is out of range");
    else counts[bucket] = c;
  }
  SpanHistogram histogram;
  if (in.ok() && !histogram.restore(counts, count, max)) in.fail("the lead histogram's counts do not add up");
  if (!in.ok()) return;
  current_lead_ = d[0];
  max_delay_ = d[1];
  max_advance_ = d[2];
  slept_ = d[3];
  sleeps_ = sleeps;
  warnings_ = warnings;
  histogram_ = histogram;
}

}  // namespace vtime
