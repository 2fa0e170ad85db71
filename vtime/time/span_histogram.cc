#include "vtime/time/span_histogram.h"

#include <algorithm>
#include <bit>

namespace vtime {

size_t SpanHistogram::bucket_of(uint64_t ns) {
  constexpr uint64_t kLinear = uint64_t{1} << kSubBits;
  if (ns < kLinear) return static_cast<size_t>(ns);
  const int exponent = 63 - std::countl_zero(ns);  // >= kSubBits
  const uint64_t sub = (ns >> (exponent - kSubBits)) & (kLinear - 1);
  return static_cast<size_t>((static_cast<uint64_t>(exponent - kSubBits + 1) << kSubBits) + sub);
}

uint64_t SpanHistogram::upper_edge(size_t bucket) {
  constexpr uint64_t kLinear = uint64_t{1} << kSubBits;
  if (bucket < kLinear) return bucket;
  const uint64_t group = (bucket >> kSubBits) - 1;  // exponent - kSubBits
  const uint64_t sub = bucket & (kLinear - 1);
  const uint64_t width = uint64_t{1} << group;
  return ((kLinear + sub) << group) + width - 1;
}

void SpanHistogram::add(Duration span) {
  const uint64_t ns = span.count() < 0 ? 0 - static_cast<uint64_t>(span.count())
                                       : static_cast<uint64_t>(span.count());
  ++counts_[bucket_of(ns)];
  ++count_;
  const Duration magnitude(static_cast<int64_t>(std::min<uint64_t>(ns, INT64_MAX)));
  max_ = std::max(max_, magnitude);
}

Duration SpanHistogram::quantile(double q) const {
  if (count_ == 0) return Duration(0);
  // Rank of the sample at quantile q (1-based, nearest-rank definition).
  const auto rank = std::max<uint64_t>(1, static_cast<uint64_t>(q * static_cast<double>(count_) + 0.999999));
  uint64_t seen = 0;
  for (size_t b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const uint64_t edge = upper_edge(b);
      return std::min(max_, Duration(static_cast<int64_t>(std::min<uint64_t>(edge, INT64_MAX))));
    }
  }
  return max_;
}


bool SpanHistogram::restore(std::span<const uint64_t> counts, uint64_t count, Duration max) {
  if (counts.size() != kBuckets || max < Duration(0)) return false;
  uint64_t sum = 0;
  for (uint64_t c : counts) {
    if (__builtin_add_overflow(sum, c, &sum)) return false;
  }
  if (sum != count) return false;
  std::copy(counts.begin(), counts.end(), counts_.begin());
  count_ = count;
  max_ = max;
  return true;
}

}  // namespace vtime
