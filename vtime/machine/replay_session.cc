#include "vtime/machine/replay_session.h"

#include <fmt/format.h>

#include "vtime/machine/board_config.h"
#include "vtime/machine/snapshot_file.h"
#include "vtime/state/state_stream.h"

namespace vtime {
namespace {

const char* name_of(ReplayEvent::Kind kind) {
  switch (kind) {
    case ReplayEvent::Kind::kConsoleByte: return "console input";
    case ReplayEvent::Kind::kConsoleBreak: return "a console break";
    case ReplayEvent::Kind::kIdle: return "an idle advance";
    case ReplayEvent::Kind::kReset: return "a monitor reset";
    case ReplayEvent::Kind::kEnd: return "the end of the recording";
    case ReplayEvent::Kind::kRtcBase: return "the RTC's start";
  }
  return "an event";
}

constexpr uint64_t kMaxEvents = uint64_t{1} << 28;

}  // namespace

void ReplaySession::record(ReplayEvent::Kind kind, int64_t value) {
  const Position p = where_();
  events_.push_back({.kind = kind, .position = p.retired, .at = p.at, .value = value});
}

void ReplaySession::diverge(const std::string& why) {
  if (!failure_) failure_ = why;
}

const ReplayEvent* ReplaySession::next_here(ReplayEvent::Kind kind) {
  if (failure_ || next_ >= events_.size()) return nullptr;
  const ReplayEvent& e = events_[next_];
  const Position p = where_();
  if (e.position < p.retired || (e.position == p.retired && e.at < p.at)) {
    diverge(fmt::format("the replay diverged: the log has {} at instruction {} ({} ns), but the run is at "
                        "instruction {} ({} ns) without having met it",
                        name_of(e.kind), e.position, e.at.since_epoch().count(), p.retired,
                        p.at.since_epoch().count()));
    return nullptr;
  }
  if (e.kind != kind || e.position != p.retired || e.at != p.at) return nullptr;
  return &e;
}

std::optional<uint8_t> ReplaySession::poll_input() {
  switch (mode_) {
    case ReplayMode::kOff: return backend_.poll_input();
    case ReplayMode::kRecord: {
      const std::optional<uint8_t> b = backend_.poll_input();
      if (b) record(ReplayEvent::Kind::kConsoleByte, *b);
      return b;
    }
    case ReplayMode::kReplay:
      drain_host_input();
      if (const ReplayEvent* e = next_here(ReplayEvent::Kind::kConsoleByte)) {
        ++next_;
        return static_cast<uint8_t>(e->value);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

bool ReplaySession::take_break() {
  switch (mode_) {
    case ReplayMode::kOff: return backend_.take_break();
    case ReplayMode::kRecord: {
      const bool b = backend_.take_break();
      if (b) record(ReplayEvent::Kind::kConsoleBreak, 0);
      return b;
    }
    case ReplayMode::kReplay:
      if (next_here(ReplayEvent::Kind::kConsoleBreak) != nullptr) {
        ++next_;
        return true;
      }
      return false;
  }
  return false;
}

void ReplaySession::drain_host_input() {
  while (backend_.poll_input()) {
  }
  backend_.take_break();
}

void ReplaySession::record_idle(Duration advance) {
  if (mode_ == ReplayMode::kRecord) record(ReplayEvent::Kind::kIdle, advance.count());
}

std::optional<Duration> ReplaySession::replay_idle() {
  if (const ReplayEvent* e = next_here(ReplayEvent::Kind::kIdle)) {
    ++next_;
    return Duration(e->value);
  }
  if (!failure_) {
    const Position p = where_();
    diverge(fmt::format("the replay diverged: every hart idles at instruction {} ({} ns), where the log has {}",
                        p.retired, p.at.since_epoch().count(),
                        next_ < events_.size() ? name_of(events_[next_].kind) : "nothing more"));
  }
  return std::nullopt;
}

void ReplaySession::record_reset() {
  if (mode_ == ReplayMode::kRecord) record(ReplayEvent::Kind::kReset, 0);
}

bool ReplaySession::reset_due() {
  if (mode_ != ReplayMode::kReplay || next_here(ReplayEvent::Kind::kReset) == nullptr) return false;
  ++next_;
  return true;
}

void ReplaySession::record_rtc_base(uint64_t ns) {
  if (mode_ == ReplayMode::kRecord) record(ReplayEvent::Kind::kRtcBase, static_cast<int64_t>(ns));
}

std::optional<uint64_t> ReplaySession::take_rtc_base() {
  if (mode_ != ReplayMode::kReplay || next_ >= events_.size() || events_[next_].kind != ReplayEvent::Kind::kRtcBase) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(events_[next_++].value);
}

const std::vector<ReplayEvent>& ReplaySession::finish_recording() {
  if (mode_ == ReplayMode::kRecord && (events_.empty() || events_.back().kind != ReplayEvent::Kind::kEnd)) {
    record(ReplayEvent::Kind::kEnd, 0);
  }
  return events_;
}

void ReplaySession::start_replay(std::vector<ReplayEvent> events) {
  events_ = std::move(events);
  next_ = 0;
  failure_.reset();
}

std::optional<ReplayEvent> ReplaySession::end() const {
  if (mode_ != ReplayMode::kReplay || events_.empty()) return std::nullopt;
  return events_.back();
}

void ReplaySession::reached_end() {
  const Position p = where_();
  const ReplayEvent& e = events_.back();
  if (next_ + 1 != events_.size()) {
    diverge(fmt::format("the replay diverged: it reached the recording's end ({} ns) with {} of its events "
                        "not met, the next {} at instruction {}",
                        e.at.since_epoch().count(), events_.size() - 1 - next_, name_of(events_[next_].kind),
                        events_[next_].position));
  } else if (p.retired != e.position) {
    diverge(fmt::format("the replay diverged: the recording ended at instruction {} ({} ns), the replay is at "
                        "instruction {} then",
                        e.position, e.at.since_epoch().count(), p.retired));
  }
}

std::vector<uint8_t> encode_replay_log(const BoardOptions& options, const std::vector<ReplayEvent>& events) {
  StateWriter conf;
  save_config(config_of(options), conf);
  StateWriter out;
  out.u64(events.size());
  for (const ReplayEvent& e : events) {
    out.u8(static_cast<uint8_t>(e.kind));
    out.u64(e.position);
    out.guest_time(e.at);
    out.i64(e.value);
  }
  return encode_snapshot({{"RLOG", {}}, {"CONF", conf.take()}, {"EVNT", out.take(), SectionEncoding::kZstd}});
}

Result<std::vector<ReplayEvent>> decode_replay_log(const BoardOptions& options, std::span<const uint8_t> file) {
  Result<std::vector<SnapshotSection>> sections = decode_snapshot(file, uint64_t{1} << 34);
  if (!sections) return Error{"replay log refused: " + sections.error()};
  const std::vector<SnapshotSection>& s = *sections;
  if (s.size() != 3 || s[0].tag != "RLOG" || s[1].tag != "CONF" || s[2].tag != "EVNT") {
    return Error{"replay log refused: it is not a replay log (a snapshot?)."};
  }
  StateReader conf(s[1].bytes, "the replay log's configuration");
  if (std::string why = check_config(config_of(options), conf, "the replay log", "recorded"); !why.empty()) {
    return Error{"replay log refused: " + why};
  }
  StateReader in(s[2].bytes, "the replay log's events");
  std::vector<ReplayEvent> events(static_cast<size_t>(in.count(kMaxEvents, 25)));
  uint64_t last_position = 0;
  for (ReplayEvent& e : events) {
    const uint8_t kind = in.u8();
    if (kind > static_cast<uint8_t>(ReplayEvent::Kind::kRtcBase)) in.fail("an event kind is unknown");
    e = {.kind = static_cast<ReplayEvent::Kind>(kind), .position = in.u64(), .at = in.guest_time(), .value = in.i64()};
    if (in.ok() && e.position < last_position) in.fail("its events are out of order");
    if (in.ok() && e.kind == ReplayEvent::Kind::kConsoleByte && (e.value < 0 || e.value > 255)) in.fail("a console byte is out of range");
    if (in.ok() && e.kind == ReplayEvent::Kind::kIdle && e.value < 0) in.fail("an idle advance is negative");
    last_position = e.position;
    if (!in.ok()) break;
  }
  if (in.ok() && (events.empty() || events.back().kind != ReplayEvent::Kind::kEnd)) in.fail("it has no end event");
  if (Status st = in.finish(); !st.ok()) return Error{"replay log refused: " + st.error()};
  return events;
}

}  // namespace vtime
