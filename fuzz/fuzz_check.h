// What the fuzz targets assert beyond "no crash": a broken invariant prints one
// line naming it and aborts, which libFuzzer reports as a finding and saves the
// input that caused it (reproduce with `fuzz_TARGET crash-<hash>`).
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace vtime::fuzz {

template <class... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "fuzz invariant broken: {}\n", fmt::format(format, std::forward<Args>(args)...));
  std::fflush(stderr);
  std::abort();
}

// A refusal the user reads: one non-empty sentence on one line.
inline void check_one_line(std::string_view error) {
  if (error.empty() || error.find('\n') != std::string_view::npos) fail("error is not one line: '{}'", error);
}

}  // namespace vtime::fuzz
