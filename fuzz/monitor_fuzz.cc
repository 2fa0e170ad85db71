// fuzz_monitor: monitor messages from an untrusted client, QMP or HMP, against
// a real board (a guest that counts in a loop, icount shift=0,sleep=off on the
// manual host clock). The first byte picks the protocol; the rest is cut into
// pieces fed one at a time (QMP bytes in arbitrary chunks, HMP one line each),
// and the board runs 20 us of guest time between pieces while it is running.
// Asserts: every QMP line the session sends (replies and events) is one JSON
// object ending in CRLF with exactly one of return, error or event, and an
// error has a one-line class and desc; HMP text never contains a NUL; guest
// time never goes backwards; a paused board does not advance.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/monitor/actions.h"
#include "vtime/monitor/hmp.h"
#include "vtime/monitor/qmp_session.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::fuzz {
namespace {

constexpr Duration kSlice = 20us;

// addi t0, t0, 1; jal zero, .-4: never idle, never done.
const std::vector<uint8_t> kCountingGuest = {0x93, 0x82, 0x12, 0x00, 0x6f, 0xf0, 0xdf, 0xff};

void check_qmp_lines(std::string_view out) {
  while (!out.empty()) {
    const size_t end = out.find("\r\n");
    if (end == std::string_view::npos) fail("QMP output does not end in CRLF: '{}'", out);
    const std::string_view line = out.substr(0, end);
    out.remove_prefix(end + 2);
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) fail("QMP line is not a JSON object: '{}'", line);
    const int kinds = int(j.contains("return")) + int(j.contains("error")) + int(j.contains("event")) +
                      int(j.contains("QMP"));
    if (kinds != 1) fail("QMP line is not exactly one reply, error or event: '{}'", line);
    if (j.contains("error")) {
      const nlohmann::json& e = j["error"];
      if (!e.is_object() || !e.contains("class") || !e["class"].is_string() || !e.contains("desc") ||
          !e["desc"].is_string()) {
        fail("QMP error without class and desc: '{}'", line);
      }
      check_one_line(e["desc"].get<std::string>());
    }
  }
}

struct Rig {
  ManualHostClock host;
  BufferConsole console;
  std::unique_ptr<Board> board;
  std::unique_ptr<monitor::Actions> actions;
  std::unique_ptr<monitor::QmpSession> qmp;
  bool ended = false;

  void create() {
    BoardOptions options;
    options.ram_bytes = 2 << 20;
    options.harts = 2;
    options.icount = *parse_icount_options("shift=0,sleep=off");
    BootImages images;
    images.bios = ImageFile{"-bios file 'fuzz'", kCountingGuest};
    Result<std::unique_ptr<Board>> created = Board::create(host, console, options, images);
    if (!created) fail("the board for the monitor fuzzer is refused: {}", created.error());
    board = std::move(created).value();
    actions = std::make_unique<monitor::Actions>(*board, [this](std::string_view event, const nlohmann::json& data) {
      if (qmp) check_qmp_lines(qmp->event(event, data));
    });
    qmp = std::make_unique<monitor::QmpSession>(*actions, host);
  }

  // Runs a slice while the board is running; checks what guest time did.
  void run_slice() {
    if (ended) return;
    const GuestTime before = board->guest_now();
    if (board->paused()) return;  // paused: run() would wait for `cont` forever
    const RunOutcome outcome = board->run(kSlice);
    const GuestTime after = board->guest_now();
    if (after < before) fail("guest time went backwards after a monitor command");
    if (outcome.kind == RunOutcome::Kind::kTimeLimit && after - before > kSlice + 1us) {
      fail("guest time ran {} ns in a slice of {} ns", (after - before).count(), kSlice.count());
    }
    if (outcome.kind != RunOutcome::Kind::kTimeLimit) ended = true;
  }
};

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  Rig rig;
  rig.create();
  const bool qmp = in.ConsumeBool();
  monitor::Hmp hmp(*rig.actions);
  int pieces = 0;
  while (in.remaining_bytes() > 0 && pieces++ < 256) {
    if (qmp) {
      const std::string chunk = in.ConsumeRandomLengthString(512);
      check_qmp_lines(rig.qmp->feed(chunk));
    } else {
      const std::string line = in.ConsumeRandomLengthString(256);
      const std::string out = hmp.execute(line);
      if (out.find('\0') != std::string::npos) fail("HMP output holds a NUL byte");
    }
    const GuestTime paused_at = rig.board->guest_now();
    const bool was_paused = rig.board->paused();
    rig.run_slice();
    if (was_paused && rig.board->guest_now() != paused_at) fail("a paused board's guest time moved");
  }
  return 0;
}
