// SpanHistogram: a compact distribution of time spans (alignment error, host
// wake-up lateness) for quantiles without keeping the samples.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "vtime/time/duration.h"

namespace vtime {

// A histogram of span magnitudes: 8 linear sub-buckets per power of two, so a quantile
// is at most 12.5 % above the true value (it reports the bucket's upper edge,
// never more than the exact maximum).
class SpanHistogram {
 public:
  void add(Duration span);  // negative spans count as their magnitude
  Duration quantile(double q) const;  // 0 <= q <= 1; zero when empty
  Duration max() const { return max_; }
  uint64_t count() const { return count_; }
  void reset() { *this = SpanHistogram(); }

  // The raw counts, for saving; restore() puts saved ones back (false, and no
  // change, when they do not add up: a bucket count that is not kBuckets, or
  // counts whose sum is not `count`).
  std::span<const uint64_t> bucket_counts() const { return counts_; }
  bool restore(std::span<const uint64_t> counts, uint64_t count, Duration max);
  static constexpr size_t bucket_total() { return kBuckets; }

 private:
  static constexpr int kSubBits = 3;
  static constexpr size_t kBuckets = (64 - kSubBits + 1) << kSubBits;
  static size_t bucket_of(uint64_t ns);
  static uint64_t upper_edge(size_t bucket);
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  Duration max_{0};
};

}  // namespace vtime
