// Snapshot costs on a booted Linux guest: Debian's kernel (scripts/build-linux.sh)
// under Debian's OpenSBI with the timekeeping probe as /init, on one hart under
// icount shift=4,sleep=off, run to AT of guest time (1 s: the probe is running),
// then saved and restored REPEATS times. Prints the file size against the guest
// memory it stands for (RAM in use, and the whole RAM), and the median save and
// restore times against the baseline measured in the same run: the time the
// board took to boot to AT. The restored run then goes on to the probe's
// poweroff, and so does the saved one: their instruction counts must agree.
//   snapshot_bench KERNEL INITRD [--at MS] [--repeats R] [--firmware FW]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/linux_images.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/machine/snapshot_file.h"
#include "vtime/time/system_host_clock.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

[[noreturn]] void die(const std::string& why) {
  fmt::print(stderr, "snapshot_bench: {}\n", why);
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vtime;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string firmware = bench::kOpenSbi;
  int at_ms = 1000, repeats = 5;
  std::vector<std::string> paths;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--at" && i + 1 < args.size()) at_ms = std::atoi(args[++i].c_str());
    else if (args[i] == "--repeats" && i + 1 < args.size()) repeats = std::max(1, std::atoi(args[++i].c_str()));
    else if (args[i] == "--firmware" && i + 1 < args.size()) firmware = args[++i];
    else paths.push_back(args[i]);
  }
  if (paths.size() != 2) die("usage: snapshot_bench KERNEL INITRD [--at MS] [--repeats R] [--firmware FW]");
  Result<BootImages> loaded = bench::linux_images(paths[0], paths[1], firmware);
  if (!loaded) die(loaded.error());
  const BootImages& images = *loaded;
  BoardOptions options;
  options.icount = *parse_icount_options("shift=4,sleep=off");
  options.bootargs = "console=ttyS0";

  SystemHostClock host;
  BufferConsole console;
  auto created = Board::create(host, console, options, images);
  if (!created) die(created.error());
  Board& board = **created;
  const auto boot0 = Clock::now();
  if (board.run(std::chrono::milliseconds(at_ms)).kind != RunOutcome::Kind::kTimeLimit) die("the guest ended before AT");
  const double boot_ms = ms_since(boot0);

  std::vector<uint8_t> file;
  std::vector<double> save_ms, load_ms;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    file = board.save_snapshot();
    save_ms.push_back(ms_since(t0));
  }
  BufferConsole restored_console;
  auto restored = Board::create(host, restored_console, options, images);
  if (!restored) die(restored.error());
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    if (Status s = (*restored)->load_snapshot(file); !s.ok()) die(s.error());
    load_ms.push_back(ms_since(t0));
  }
  // Memory in use: the memory section before compression (non-zero pages).
  uint64_t memory_bytes = 0;
  if (auto sections = decode_snapshot(file, uint64_t{1} << 32)) {
    for (const SnapshotSection& s : *sections) {
      if (s.tag == "MEMO") memory_bytes = s.bytes.size();
    }
  }
  const RunOutcome a = board.run(120s), b = (*restored)->run(120s);
  if (a.kind != RunOutcome::Kind::kPoweroff || b.kind != RunOutcome::Kind::kPoweroff) die("a run did not power off");
  if (board.stats().instructions != (*restored)->stats().instructions) die("the restored run retired a different count");

  fmt::print("Linux 6.1 on 1 hart, icount shift=4,sleep=off, saved at {} ms of guest time\n", at_ms);
  fmt::print("  snapshot file        {:.2f} MiB; memory in use {:.2f} MiB of {} MiB of RAM (zstd: {:.2f}x)\n",
             static_cast<double>(file.size()) / (1 << 20), static_cast<double>(memory_bytes) / (1 << 20),
             options.ram_bytes >> 20, static_cast<double>(memory_bytes) / static_cast<double>(file.size()));
  fmt::print("  save (median of {})   {:.1f} ms\n", repeats, median(save_ms));
  fmt::print("  restore (median)     {:.1f} ms (a scratch board first, then the machine)\n", median(load_ms));
  fmt::print("  baseline: boot to {} ms  {:.1f} ms\n", at_ms, boot_ms);
  fmt::print("  ratios: save/boot {:.3f}, restore/boot {:.3f}\n", median(save_ms) / boot_ms, median(load_ms) / boot_ms);
  fmt::print("  the restored run powered off after the same {} instructions\n", board.stats().instructions);
  return 0;
}
