#include "vtime/machine/rtc_options.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>
#include <optional>

#include "vtime/time/printable.h"

namespace vtime {

namespace {

constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2500;  // the 64-bit nanosecond counter lasts until 2554

// Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil).
int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int64_t{era} * 146097 + static_cast<int64_t>(doe) - 719468;
}

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Exactly `width` decimal digits at `pos` of `text`.
std::optional<int> digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS", UTC.
std::optional<WallTime> parse_date(std::string_view s) {
  if (s.size() != 10 && s.size() != 19) return std::nullopt;
  if (s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (s.size() == 19) {
    if (s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
    const auto h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
    if (!h || !mi || !se || *h > 23 || *mi > 59 || *se > 59) return std::nullopt;
    hour = *h, minute = *mi, second = *se;
  }
  if (*year < kMinYear || *year > kMaxYear || *month < 1 || *month > 12 || *day < 1) return std::nullopt;
  const auto m = static_cast<unsigned>(*month), d = static_cast<unsigned>(*day);
  if (d > days_in_month(*year, m)) return std::nullopt;
  const int64_t seconds = days_from_civil(*year, m, d) * 86400 + hour * 3600 + minute * 60 + second;
  return WallTime::from_epoch(std::chrono::seconds(seconds));
}

Status apply_base(std::string_view value, RtcOptions& out) {
  if (value == "utc") {
    out.base = RtcBase::kUtc;
  } else if (value == "localtime") {
    out.base = RtcBase::kLocaltime;
  } else if (const std::optional<WallTime> date = parse_date(value)) {
    out.base = RtcBase::kDate;
    out.date = *date;
  } else {
    return Error{fmt::format(
        "base '{}' is not utc, localtime or a date from {} to {} like 2006-06-17T16:01:21 or 2006-06-17",
        printable(value), kMinYear, kMaxYear)};
  }
  return ok_status();
}

Status apply_clock(std::string_view value, RtcOptions& out) {
  if (value == "host") out.clock = ClockId::kHost;
  else if (value == "rt") out.clock = ClockId::kVirtualRt;
  else if (value == "vm") out.clock = ClockId::kVirtual;
  else return Error{fmt::format("clock '{}' is not host, rt or vm", printable(value))};
  return ok_status();
}

}  // namespace

Result<RtcOptions> parse_rtc_options(std::string_view spec) {
  if (spec.empty()) return Error{"give base=utc|localtime|DATE and/or clock=host|rt|vm"};
  RtcOptions out;
  bool seen_base = false, seen_clock = false;
  while (true) {
    const size_t comma = spec.find(',');
    const std::string_view field = spec.substr(0, comma);
    const size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      return Error{fmt::format("'{}' is not FIELD=VALUE (base=... or clock=...)", printable(field))};
    }
    const std::string_view key = field.substr(0, eq), value = field.substr(eq + 1);
    Status s = ok_status();
    if (key == "base") {
      if (seen_base) return Error{"base is given twice"};
      seen_base = true;
      s = apply_base(value, out);
    } else if (key == "clock") {
      if (seen_clock) return Error{"clock is given twice"};
      seen_clock = true;
      s = apply_clock(value, out);
    } else if (key == "driftfix") {
      return Error{"driftfix is for an x86 RTC's periodic ticks; the goldfish RTC has none"};
    } else {
      return Error{fmt::format("unknown field '{}' (use base= and clock=)", printable(key))};
    }
    if (!s.ok()) return Error{s.error()};
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return out;
}

uint64_t rtc_start_ns(const RtcOptions& options, WallTime host_now, Duration utc_offset) {
  WallTime start = options.date;
  switch (options.base) {
    case RtcBase::kUtc: start = host_now; break;
    case RtcBase::kLocaltime: start = host_now + utc_offset; break;
    case RtcBase::kDate: break;
  }
  const int64_t ns = start.since_epoch().count();
  return ns < 0 ? 0 : static_cast<uint64_t>(ns);
}

Duration host_utc_offset(WallTime at) {
  const std::time_t t =
      static_cast<std::time_t>(std::chrono::duration_cast<std::chrono::seconds>(at.since_epoch()).count());
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return Duration(0);
  return std::chrono::seconds(local.tm_gmtoff);
}

}  // namespace vtime
