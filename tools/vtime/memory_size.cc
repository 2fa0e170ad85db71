#include "tools/vtime/memory_size.h"

#include "vtime/time/printable.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace vtime::cli {

Result<uint64_t> parse_memory_size(std::string_view text) {
  uint64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data()) {
    return Error{fmt::format("-m: '{}' is not a size (examples: 128, 128M, 1G)", printable(text))};
  }
  std::string suffix;
  for (const char* p = end; p != text.data() + text.size(); ++p) {
    suffix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
  }
  if (suffix.ends_with("IB")) suffix.resize(suffix.size() - 2);
  else if (suffix.size() > 1 && suffix.ends_with("B")) suffix.pop_back();
  int shift = 0;
  if (suffix.empty() || suffix == "M") shift = 20;
  else if (suffix == "K") shift = 10;
  else if (suffix == "G") shift = 30;
  else if (suffix == "T") shift = 40;
  else if (suffix == "B") shift = 0;
  else return Error{fmt::format("-m: unknown size suffix in '{}' (use K, M, G or T)", printable(text))};
  if (number > (kMaxRamBytes >> shift)) {
    return Error{fmt::format("-m: {} is larger than the board's maximum of {} GiB", printable(text),
                             kMaxRamBytes >> 30)};
  }
  const uint64_t bytes = number << shift;
  if (bytes < kMinRamBytes) {
    return Error{fmt::format("-m: {} is smaller than the minimum of 1 MiB", printable(text))};
  }
  if (bytes % 4096 != 0) {
    return Error{fmt::format("-m: {} is not a whole number of 4 KiB pages", printable(text))};
  }
  return bytes;
}

}  // namespace vtime::cli
