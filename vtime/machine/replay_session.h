// ReplaySession: record and replay of everything that makes an icount run
// depend on the host (docs/replay.md). It sits between the UART and the console
// backend and keeps a log of events, each at its position - the instructions
// all harts had retired, and VIRTUAL then:
//   console bytes and breaks, as the UART took them (under record/replay input
//   is only taken at the board's guest-time console polls, deterministic
//   instants);
//   idle advances under sleep=on (how much VIRTUAL host time gave an idle);
//   monitor resets (deferred to the next guest-time console poll);
//   the RTC's value when the recording started (it runs on guest time from there);
//   the end of the recording.
// Recording logs what happened; replaying hands back the log and never the
// host's input or time, and stops with one sentence naming the instruction
// count and the event when the run no longer meets the log where it was.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/machine/board.h"
#include "vtime/machine/replay_mode.h"
#include "vtime/time/instant.h"
#include "vtime/time/result.h"

namespace vtime {

struct ReplayEvent {
  enum class Kind : uint8_t { kConsoleByte, kConsoleBreak, kIdle, kReset, kEnd, kRtcBase };
  Kind kind = Kind::kEnd;
  uint64_t position = 0;  // instructions retired by all harts
  GuestTime at;           // VIRTUAL at the event
  int64_t value = 0;      // the byte; the idle advance in ns
  friend bool operator==(const ReplayEvent&, const ReplayEvent&) = default;
};

class ReplaySession final : public ConsoleBackend {
 public:
  struct Position {
    uint64_t retired;
    GuestTime at;
  };
  // `where` reads the machine's position (between runs, so it is exact).
  ReplaySession(ReplayMode mode, ConsoleBackend& backend, std::function<Position()> where)
      : mode_(mode), backend_(backend), where_(std::move(where)) {}

  ReplayMode mode() const { return mode_; }
  bool active() const { return mode_ != ReplayMode::kOff; }

  // --- ConsoleBackend: output passes through, input is recorded or replayed.
  void write(uint8_t byte) override { backend_.write(byte); }
  void flush() override { backend_.flush(); }
  int input_fd() const override { return backend_.input_fd(); }
  std::optional<uint8_t> poll_input() override;
  bool take_break() override;
  // Replay: reads and drops the host's input (the console's own keys, such as
  // its exit key, still work); the guest gets only the log's.
  void drain_host_input();

  // --- Idle advances (the icount engine's hooks).
  void record_idle(Duration advance);
  // The advance recorded for this idle; nullopt (and the session has failed)
  // when the log has none here.
  std::optional<Duration> replay_idle();

  // --- Monitor resets: recorded, or due now in the replay.
  void record_reset();
  bool reset_due();

  // --- The RTC's start: recorded first, and taken back before the replay runs.
  void record_rtc_base(uint64_t ns);
  std::optional<uint64_t> take_rtc_base();

  // --- The log.
  // Record: the end event at the current position, then the events.
  const std::vector<ReplayEvent>& finish_recording();
  // Replay: the events to replay (checked by the caller's decoder).
  void start_replay(std::vector<ReplayEvent> events);
  // Replay: the end of the recording (nullopt before start_replay()).
  std::optional<ReplayEvent> end() const;
  // Replay: the run reached the end's VIRTUAL instant; checks the count.
  void reached_end();
  const std::vector<ReplayEvent>& events() const { return events_; }

  // Why the replay stopped (one sentence), once it diverged.
  const std::optional<std::string>& failure() const { return failure_; }

 private:
  // The next event if it is of `kind` at the current position; a divergence
  // (an event of the log the run has passed) fails the session.
  const ReplayEvent* next_here(ReplayEvent::Kind kind);
  void record(ReplayEvent::Kind kind, int64_t value);
  void diverge(const std::string& why);

  ReplayMode mode_;
  ConsoleBackend& backend_;
  std::function<Position()> where_;
  std::vector<ReplayEvent> events_;
  size_t next_ = 0;  // replay: the next event to hand back
  std::optional<std::string> failure_;
};

// The log file: the snapshot container (vtime/machine/snapshot_file.h) with a
// marker section, the configuration and the events, compressed. Refused, with one
// sentence, when it is not a replay log, is corrupt, or was recorded on a
// machine configured differently.
std::vector<uint8_t> encode_replay_log(const BoardOptions& options, const std::vector<ReplayEvent>& events);
Result<std::vector<ReplayEvent>> decode_replay_log(const BoardOptions& options, std::span<const uint8_t> file);

}  // namespace vtime
