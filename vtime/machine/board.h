// Board: the reference RISC-V machine (QEMU `virt` memory map, docs/board.md).
// It owns everything a run needs - the VM clocks, the timer group, the icount
// engine when enabled, the address map with RAM and boot ROM, the CLINT, PLIC,
// UART and test device, the harts - and no globals, so two boards can live in
// one process. run() is the run loop of docs/architecture.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/icount/align_stats.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/loader.h"
#include "vtime/machine/replay_mode.h"
#include "vtime/machine/rtc_options.h"
#include "vtime/machine/timer_devices.h"
#include "vtime/time/deadline_waiter.h"
#include "vtime/time/host_clock.h"
#include "vtime/time/result.h"

namespace vtime {

class CpuThrottle;
class GuestErrorSink;
class Icount;
class TimerGroup;
class VmClocks;
namespace riscv {
class Hart;
}

struct BoardOptions {
  uint64_t ram_bytes = 128ull << 20;
  unsigned harts = 1;
  IcountOptions icount;  // IcountMode::kOff: VIRTUAL is host running time
  // Where guest errors go besides the board's count (null: nowhere); it must
  // outlive the board.
  GuestErrorSink* guest_error_sink = nullptr;
  TimerDeviceOptions timer_devices{};  // HPET, LAPIC timer, PV clock-event, pvclock
  std::string bootargs{};              // /chosen/bootargs (QEMU -append); none when empty
  // The goldfish RTC (QEMU -rtc): its value at guest time zero and its clock.
  RtcOptions rtc{};
  // CPU throttle percentage (docs/icount.md): 0 = off, 1..99 = the
  // harts sleep p/(1-p) of every 10 ms VIRTUAL_RT timeslice. Anything else is
  // refused by create().
  int cpu_throttle = 0;
  // How waits for a deadline while every hart idles meet it (docs/icount.md,
  // "Idle waits"): woken early by a learned margin, then a short spin; under
  // icount sleep=on the lateness left is repaid by later idles. Both off is the
  // plain baseline bench/idle_bench measures against.
  DeadlineWaiter::Options idle_wait{};
  bool repay_idle_lateness = true;
  // Record or replay what the host feeds an icount run (docs/replay.md); needs
  // icount with a fixed shift. A replaying board gets its log through
  // start_replay() before run().
  ReplayMode replay = ReplayMode::kOff;
};

// How a run ended.
struct RunOutcome {
  enum class Kind : uint8_t { kPoweroff, kFailure, kReboot, kTimeLimit, kStuck, kQuit };
  Kind kind = Kind::kPoweroff;
  int exit_status = 0;  // the process exit status it stands for
  std::string reason;   // "poweroff", "exit code 3", ...
};

// Figures for the timekeeping report.
struct BoardStats {
  Duration guest_time{0};      // VIRTUAL at the end
  Duration host_time{0};       // host monotonic time the run took
  Duration host_idle{0};       // of which every hart waited (idle waits and warps)
  uint64_t instructions = 0;   // retired by all harts
  uint64_t timers_fired = 0;   // VIRTUAL timers of the guest's devices
  Duration time_warped{0};     // VIRTUAL skipped while every hart waited
  Duration time_slept_align{0};
  int cpu_throttle = 0;            // percentage at the end (0: off)
  Duration time_slept_throttle{0};  // host time the run loop slept for the throttle
  std::string icount_text;     // "shift=4,align=off,sleep=off" or "off"
  // How guest time tracked host time: present when icount is on.
  std::optional<AlignSummary> alignment;
  uint64_t guest_errors = 0;
  uint64_t reboots = 0;
  // Waits on the host while every hart idled (sleep=on or no icount).
  struct IdleWaits {
    uint64_t waits = 0;           // that reached their deadline
    Duration margin{0};           // early wake-up margin at the end
    Duration spun{0};             // host time spent spinning
    Duration waited{0};           // host time in the waits, spins included
    Duration late_p50{0}, late_p99{0}, late_max{0};  // return - deadline
    uint64_t late_wakeups = 0;    // host wake-ups after the deadline itself
    uint64_t punctual = 0;        // waits run at a real-time priority (where the host permits)
    Duration lateness{0};         // icount sleep=on: lateness in all ...
    Duration repaid{0};           // ... of which repaid
    Duration owed{0};             // ... and still owed
  } idle;
};

class Board {
 public:
  // Builds the board and loads the images; one sentence on failure (a bad file,
  // RAM that cannot be allocated, inconsistent options).
  static Result<std::unique_ptr<Board>> create(HostClock& host, ConsoleBackend& console,
                                               const BoardOptions& options,
                                               const BootImages& images);
  ~Board();
  Board(const Board&) = delete;
  Board& operator=(const Board&) = delete;

  // Runs until the guest powers off, fails, gets stuck in a trap loop, or (if
  // given) `guest_time_limit` of VIRTUAL time has passed. A reboot request
  // reboots and goes on (kReboot ends the run only if reloading fails).
  RunOutcome run(std::optional<Duration> guest_time_limit = std::nullopt);

  BoardStats stats() const;
  // VIRTUAL now (any thread): what the guest's clocks derive from.
  GuestTime guest_now() const;
  // A physical read through the board's bus, as QEMU's monitor `xp` does
  // (devices see it like a guest access). std::nullopt on an access fault.
  std::optional<uint64_t> debug_read(uint64_t paddr, unsigned size);
  // Ends run() at the next block boundary with kQuit (the user asked: the
  // console's exit key). Loop thread: a device, timer or console callback.
  void request_quit();
  // Pauses and resumes guest time (VIRTUAL and VIRTUAL_RT stop; REALTIME not).
  void stop();
  void resume();
  // The monitor's stop/cont during run(): paused, no hart runs and guest time
  // (VIRTUAL, VIRTUAL_RT, everything derived from them) stands exactly still;
  // host-clock timers (console, monitor) go on. Loop thread only.
  void pause();
  void unpause();
  bool paused() const;
  // Asks for a reset as the guest's SiFive test device would (system_reset):
  // run() reboots at the next block boundary and goes on.
  void request_reset();
  // Called on the loop thread every few milliseconds of host time, also while
  // every hart idles or the board is paused: where a monitor serves its clients.
  void set_host_poll(std::function<void()> poll);

  // For a monitor: the harts, the clocks and timers, the icount engine (null
  // without icount).
  size_t hart_count() const;
  const riscv::Hart& hart(size_t index) const;
  VmClocks& clocks();
  TimerGroup& timers();
  Icount* icount();
  const BoardOptions& options() const;
  // What the SiFive test device's 0x7777 asks for: devices reset, the images
  // reloaded, every hart back at the reset vector. Guest time goes on.
  Status reboot();
  // The CPU throttle, to set (1..99, clamped), read or stop at run time. Like
  // the rest of the board it belongs to the loop thread: call it between runs
  // or from that thread (a device or timer callback during a run).
  CpuThrottle& throttle();

  // --- Snapshots (docs/snapshot.md) ------------------------------------------
  // Loop thread, between runs or from a timer or monitor callback during run()
  // (never from inside a hart's run, which these callbacks are not).
  // The whole machine - harts, RAM, devices, armed timers, clocks and the
  // icount engine - as a snapshot file's bytes.
  std::vector<uint8_t> save_snapshot();
  Status save_snapshot_to(const std::string& path);
  // Replaces the machine's state with a snapshot's. Refuses, with one sentence
  // and without changing anything, a file that is corrupt, truncated, of
  // another format version, or saved by a board configured differently
  // (harts, RAM, devices, icount): the file is first loaded into a scratch
  // board built with the same options.
  Status load_snapshot(std::span<const uint8_t> file);
  Status load_snapshot_from(const std::string& path);
  // Saves to `path` when VIRTUAL first reaches `at`, at the boundary of the
  // instruction that reached it, during the next run(); a save that fails
  // ends that run (kFailure, the reason says why).
  void save_snapshot_at(GuestTime at, std::string path);

  // --- Record and replay (docs/replay.md) -------------------------------------
  // Recording: the log so far, ended at the current position (after run()).
  std::vector<uint8_t> replay_log();
  // Replaying: the log to follow. One sentence when it is not a replay log, is
  // corrupt, or was recorded on a differently configured machine.
  Status start_replay(std::span<const uint8_t> log);

  struct Parts;  // the owned components, defined in board_parts.h

 private:
  explicit Board(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> p_;
};

}  // namespace vtime
