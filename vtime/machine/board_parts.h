// The components a Board owns, in construction order (destruction runs in
// reverse, so every timer dies before its timer group and every hart before
// the environment and lines it points at). Internal to vtime/machine.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "vtime/clock/vm_clocks.h"
#include "vtime/devices/guest_log.h"
#include "vtime/icount/cpu_throttle.h"
#include "vtime/icount/icount.h"
#include "vtime/icount/turn_scheduler.h"
#include "vtime/machine/board.h"
#include "vtime/machine/board_hart_env.h"
#include "vtime/machine/console_flusher.h"
#include "vtime/machine/mip_line.h"
#include "vtime/machine/replay_session.h"
#include "vtime/machine/sstc_timer.h"
#include "vtime/machine/virt_platform.h"
#include "vtime/riscv/hart.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

struct Board::Parts {
  Parts(HostClock& host_clock, ConsoleBackend& console_backend, const BoardOptions& opts);

  // Board::create's steps, in order.
  Status build_platform();
  void build_time_engine();
  void build_harts();
  void arm_console_polls();

  HostClock& host;
  ConsoleBackend& console;
  BoardOptions options;
  BootImages images;  // kept for a reboot
  GuestLog log;
  VmClocks clocks;
  TimerGroup timers;
  // Between the UART and the backend: records or replays the console input
  // (a pass-through when neither), and keeps the log of the other events.
  ReplaySession replay{options.replay, console, [this] { return position(); }};
  // What the UART writes to: the backend, flushed within 1 ms of host time.
  ConsoleFlusher console_out{replay, timers};
  std::optional<Icount> icount;
  // Stops the running hart when a deadline moves earlier (Board::create).
  TimerGroup::Subscription earlier_deadlines;
  // The host waits while every hart idles without icount (with icount, the
  // engine's own waiter does them).
  DeadlineWaiter idle_waiter{host, options.idle_wait};
  // Off until create() or a caller sets it; its VIRTUAL_RT timer lives in
  // `timers`, so it is declared after them (and dies before them).
  CpuThrottle throttle{timers};
  std::unique_ptr<VirtPlatform> platform;
  std::unique_ptr<TimerDevices> timer_devices;  // after the platform: its IRQs go to the PLIC
  std::optional<FinisherRequest> finish;
  bool quit = false;    // request_quit(): the user ended the run
  bool paused = false;  // pause(): no hart runs, guest time stands still
  std::function<void()> host_poll;  // set_host_poll(): a monitor's clients

  std::vector<std::unique_ptr<BoardHartEnv>> envs;
  std::vector<std::unique_ptr<riscv::Hart>> harts;
  std::vector<std::unique_ptr<MipLine>> lines;
  std::vector<std::unique_ptr<SstcTimer>> sstc;  // one per hart
  std::vector<HartBudget*> budgets;  // empty without icount

  // Console input is polled every 1 ms of guest time (VIRTUAL, marked external
  // so an idle warp ignores it), which delivers it at exact guest instants, and
  // every 10 ms of host time (REALTIME), which ends host waits while every hart
  // idles and keeps input flowing when guest time stands still.
  std::optional<GuestTimer> console_poll_guest;
  std::optional<HostTimer> console_poll;

  // Run bookkeeping.
  riscv::Hart* running = nullptr;
  std::thread::id loop_thread;
  uint64_t timers_fired = 0;       // VIRTUAL timers run, the board's own included
  uint64_t own_timers_fired = 0;   // the board's own VIRTUAL timers (console poll, time limit)
  uint64_t reboots = 0;
  Duration time_warped{0};
  Duration time_slept_align{0};
  Duration host_time{0};
  Duration host_idle{0};  // host time of the passes in which every hart waited
  std::optional<TurnScheduler> turns;
  // save_snapshot_at(): the timer that asks for the save, and the request it
  // leaves for the loop (served at the next instruction boundary).
  std::optional<GuestTimer> snapshot_timer;
  std::string snapshot_path;
  bool snapshot_due = false;
  std::optional<std::string> snapshot_failure;  // which hart runs next (after the harts exist)

  // Where the machine is: instructions retired by all harts, and VIRTUAL.
  ReplaySession::Position position() {
    uint64_t retired = 0;
    for (const auto& hart : harts) retired += hart->retired();
    return {retired, clocks.virtual_now()};
  }
  bool reset_pending = false;  // recording: a monitor reset, done at the next guest-time poll
  bool replay_ended = false;   // replaying: the run reached the recording's end

  const DeadlineWaiter& active_idle_waiter() const {
    return icount ? icount->idle_waiter() : idle_waiter;
  }
};

}  // namespace vtime
