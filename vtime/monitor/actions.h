// Actions: what the monitor does to a board (stop, cont, reset, quit,
// throttle), in one place for HMP and QMP, each with the QMP event it causes
// (STOP, RESUME, RESET, SHUTDOWN), so a client sees the same events whichever
// monitor asked. Loop thread only, like the board.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "vtime/machine/board.h"

namespace vtime::monitor {

class Actions {
 public:
  using EventSink = std::function<void(std::string_view event, const nlohmann::json& data)>;

  Actions(Board& board, EventSink events) : board_(board), events_(std::move(events)) {}

  Board& board() { return board_; }
  bool running() const { return !board_.paused(); }
  void stop();
  void cont();
  void system_reset();
  void quit();
  // 1..99 sets the throttle, 0 stops it.
  void set_throttle(int percent);
  // Snapshots of the whole machine to and from a file (docs/snapshot.md), at
  // once, running or paused; one sentence when refused (nothing changed then).
  Status savevm(const std::string& path) { return board_.save_snapshot_to(path); }
  // A load is not an event a replay could reproduce: refused while recording
  // or replaying.
  Status loadvm(const std::string& path) {
    if (board_.options().replay != ReplayMode::kOff) {
      return Error{"loadvm is not offered while recording or replaying (a replay could not reproduce it)."};
    }
    return board_.load_snapshot_from(path);
  }
  // The run ended (the guest powered off, failed, was quit): SHUTDOWN once.
  void shutdown(bool by_guest, std::string_view reason);
  // The hart that `info registers` shows (QEMU's `cpu N`).
  size_t current_hart() const { return current_hart_; }
  bool select_hart(size_t index);

 private:
  Board& board_;
  EventSink events_;
  size_t current_hart_ = 0;
  bool shut_down_ = false;
};

}  // namespace vtime::monitor
