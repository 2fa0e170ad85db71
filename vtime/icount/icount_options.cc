#include "vtime/icount/icount_options.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace vtime {
namespace {

std::optional<bool> parse_switch(std::string_view v) {
  if (v == "on" || v == "yes" || v == "true") return true;
  if (v == "off" || v == "no" || v == "false") return false;
  return std::nullopt;
}

std::optional<int64_t> parse_integer(std::string_view v) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return n;
}

// "<integer><unit>" with unit ns, us, ms or s; a unit is required so that
// "3" is never silently read as nanoseconds.
std::optional<Duration> parse_span(std::string_view v) {
  struct Unit { std::string_view suffix; int64_t ns; };
  static constexpr Unit kUnits[] = {{"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}};
  for (const Unit& u : kUnits) {
    if (v.size() <= u.suffix.size() || !v.ends_with(u.suffix)) continue;
    const auto n = parse_integer(v.substr(0, v.size() - u.suffix.size()));
    if (!n || *n < 0) return std::nullopt;
    int64_t ns = 0;
    if (__builtin_mul_overflow(*n, u.ns, &ns)) return std::nullopt;
    return Duration(ns);
  }
  return std::nullopt;
}

std::string format_span(Duration d) {
  const int64_t ns = d.count();
  if (ns % 1'000'000'000 == 0) return fmt::format("{}s", ns / 1'000'000'000);
  if (ns % 1'000'000 == 0) return fmt::format("{}ms", ns / 1'000'000);
  if (ns % 1'000 == 0) return fmt::format("{}us", ns / 1'000);
  return fmt::format("{}ns", ns);
}

// Which keys the user wrote, for "X needs Y" sentences about defaults.
struct Seen {
  bool shift = false, align = false, sleep = false, controller = false, threshold = false,
       quantum = false;
};

Status check(const IcountOptions& o, const Seen& seen) {
  if (o.mode == IcountMode::kOff) {
    if (seen.align || seen.sleep || seen.controller || seen.threshold || seen.quantum) {
      return Error{"icount options need a shift: add shift=N (0..10) or shift=auto."};
    }
    return ok_status();
  }
  if (o.mode == IcountMode::kFixed && (o.shift < 0 || o.shift > IcountOptions::kMaxShift)) {
    return Error{fmt::format("icount shift={} is out of range: use 0..{} or auto.", o.shift,
                             IcountOptions::kMaxShift)};
  }
  if (o.align && !o.sleep) {
    return Error{"icount align=on cannot be combined with sleep=off: align paces the guest "
                 "against host time, which sleep=off ignores."};
  }
  if (o.mode == IcountMode::kAdaptive && !o.sleep) {
    return Error{"icount shift=auto cannot be combined with sleep=off: the adaptive rate "
                 "follows host time, which sleep=off ignores."};
  }
  if (seen.controller && o.mode != IcountMode::kAdaptive) {
    return Error{"icount auto=qemu|pi chooses the adaptive controller and needs shift=auto."};
  }
  if (seen.threshold && !o.align) {
    return Error{"icount align-threshold needs align=on."};
  }
  if (o.align_threshold <= Duration(0) || o.align_threshold > 10s) {
    return Error{"icount align-threshold must be greater than 0 and at most 10s."};
  }
  if (o.quantum < 1us || o.quantum > 1s) {
    return Error{"icount quantum must be between 1us and 1s."};
  }
  return ok_status();
}

Status apply(IcountOptions& o, Seen& seen, std::string_view key, std::string_view value) {
  const auto bad = [&](std::string_view expected) {
    return Status(Error{fmt::format("icount {}={} is invalid: expected {}.", key, value, expected)});
  };
  if (key == "shift") {
    seen.shift = true;
    if (value == "auto") {
      o.mode = IcountMode::kAdaptive;
      o.shift = IcountOptions::kAdaptiveInitialShift;
      return ok_status();
    }
    const auto n = parse_integer(value);
    if (!n) return bad("an integer 0..10 or auto");
    if (*n < 0 || *n > IcountOptions::kMaxShift) {
      return Error{fmt::format("icount shift={} is out of range: use 0..{} or auto.", *n,
                               IcountOptions::kMaxShift)};
    }
    o.mode = IcountMode::kFixed;
    o.shift = static_cast<int>(*n);
    return ok_status();
  }
  if (key == "align" || key == "sleep") {
    const auto b = parse_switch(value);
    if (!b) return bad("on or off");
    (key == "align" ? o.align : o.sleep) = *b;
    (key == "align" ? seen.align : seen.sleep) = true;
    return ok_status();
  }
  if (key == "auto") {
    seen.controller = true;
    if (value == "qemu") o.controller = RateControllerKind::kQemu;
    else if (value == "pi") o.controller = RateControllerKind::kPi;
    else return bad("qemu or pi");
    return ok_status();
  }
  if (key == "align-threshold" || key == "quantum") {
    const auto span = parse_span(value);
    if (!span) return bad("a time span such as 3ms, 500us or 1s");
    (key == "quantum" ? o.quantum : o.align_threshold) = *span;
    (key == "quantum" ? seen.quantum : seen.threshold) = true;
    return ok_status();
  }
  if (key == "rr" || key == "rrfile" || key == "rrsnapshot") {
    return Error{fmt::format("icount {}= (record/replay) is not supported yet.", key)};
  }
  return Error{fmt::format("icount has no option '{}': use shift, align, sleep, auto, "
                           "align-threshold or quantum.", key)};
}

}  // namespace

Result<IcountOptions> parse_icount_options(std::string_view text) {
  IcountOptions o;
  Seen seen;
  bool first = true;
  while (!text.empty() || first) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) return Error{"icount options contain an empty item: write shift=N,sleep=off."};
    const size_t eq = item.find('=');
    // QEMU's implied key: "-icount 3" means shift=3.
    const std::string_view key = eq == std::string_view::npos ? (first ? "shift" : item) : item.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? (first ? item : "") : item.substr(eq + 1);
    if (eq == std::string_view::npos && !first) {
      return Error{fmt::format("icount option '{}' needs a value, as in {}=on.", item, item)};
    }
    if (auto st = apply(o, seen, key, value); !st) return Error{st.error()};
    first = false;
    if (comma == std::string_view::npos) break;
  }
  if (!seen.shift) {
    return Error{"icount options need a shift: add shift=N (0..10) or shift=auto."};
  }
  if (auto st = check(o, seen); !st) return Error{st.error()};
  return o;
}

Status validate(const IcountOptions& options) {
  Seen seen;
  seen.align = options.align;
  seen.sleep = !options.sleep;
  seen.threshold = options.align_threshold != IcountOptions::kDefaultAlignThreshold;
  seen.controller = options.controller != RateControllerKind::kQemu;
  seen.quantum = options.quantum != IcountOptions::kDefaultQuantum;
  return check(options, seen);
}

std::string format_icount_options(const IcountOptions& o) {
  if (o.mode == IcountMode::kOff) return "off";
  std::string s = o.mode == IcountMode::kAdaptive ? "shift=auto" : fmt::format("shift={}", o.shift);
  if (o.mode == IcountMode::kAdaptive) {
    s += o.controller == RateControllerKind::kPi ? ",auto=pi" : ",auto=qemu";
  }
  s += o.align ? ",align=on" : ",align=off";
  s += o.sleep ? ",sleep=on" : ",sleep=off";
  if (o.align) s += ",align-threshold=" + format_span(o.align_threshold);
  if (o.quantum != IcountOptions::kDefaultQuantum) s += ",quantum=" + format_span(o.quantum);
  return s;
}

}  // namespace vtime
