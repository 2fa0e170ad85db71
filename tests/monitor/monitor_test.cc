// HMP and QMP against a real board (a hand-encoded guest), outside run():
// what each command answers, the events it causes, and that bad input changes
// nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "tests/machine/guest_words.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/cpu_throttle.h"
#include "vtime/icount/icount_options.h"
#include "vtime/monitor/hmp.h"
#include "vtime/monitor/qmp_session.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::monitor {
namespace {

using nlohmann::json;

struct Rig {
  ManualHostClock host;
  BufferConsole console;
  std::unique_ptr<Board> board;
  std::vector<std::string> events;
  std::unique_ptr<Actions> actions;
  explicit Rig(std::string_view icount = "shift=4,sleep=off", ReplayMode replay = ReplayMode::kOff) {
    BoardOptions options;
    options.ram_bytes = 8ull << 20;
    options.harts = 2;
    if (!icount.empty()) options.icount = *parse_icount_options(icount);
    options.replay = replay;
    if (replay != ReplayMode::kOff) options.rtc.clock = ClockId::kVirtual;
    BootImages images;
    images.kernel = ImageFile{"loop", test::program({0x0000006f})};  // j .
    board = std::move(Board::create(host, console, options, images)).value();
    actions = std::make_unique<Actions>(*board, [this](std::string_view e, const json& d) {
      events.push_back(std::string(e) + (d.empty() ? "" : " " + d.dump()));
    });
  }
};

TEST(Hmp, StatusStopContAndTheirEvents) {
  Rig rig;
  Hmp hmp(*rig.actions);
  EXPECT_EQ(hmp.execute("info status"), "VM status: running\n");
  EXPECT_EQ(hmp.execute("stop"), "");
  EXPECT_TRUE(rig.board->paused());
  EXPECT_EQ(hmp.execute("info status\r\n"), "VM status: paused\n");
  EXPECT_EQ(hmp.execute("stop"), "");  // already stopped: no second event
  EXPECT_EQ(hmp.execute("  cont  "), "");
  EXPECT_FALSE(rig.board->paused());
  EXPECT_EQ(rig.events, (std::vector<std::string>{"STOP", "RESUME"}));
}

TEST(Hmp, ThrottleRegistersTimeJitAndHelp) {
  Rig rig;
  Hmp hmp(*rig.actions);
  EXPECT_EQ(hmp.execute("cpu_throttle 50"), "");
  EXPECT_EQ(rig.board->throttle().percentage(), 50);
  EXPECT_EQ(hmp.execute("cpu_throttle off"), "");
  EXPECT_EQ(rig.board->throttle().percentage(), 0);
  EXPECT_EQ(hmp.execute("cpu_throttle 100"), "cpu_throttle: give a percentage from 1 to 99, or off\n");
  EXPECT_EQ(hmp.execute("cpu 1"), "");
  EXPECT_NE(hmp.execute("info registers").find("hart 1  pc 0000000000001000  priv M\n"), std::string::npos)
      << hmp.execute("info registers");
  EXPECT_NE(hmp.execute("info registers").find("x10   a0 "), std::string::npos);
  EXPECT_EQ(hmp.execute("cpu 2"), "cpu: give a hart number from 0 to 1\n");
  const std::string time = hmp.execute("info time");
  EXPECT_NE(time.find("icount              shift=4,align=off,sleep=off\n"), std::string::npos) << time;
  EXPECT_NE(time.find("virtual             0.000000000 s"), std::string::npos) << time;
  EXPECT_NE(hmp.execute("info jit").find("Host - Guest clock"), std::string::npos);
  for (const char* c : {"cont", "stop", "system_reset", "quit", "info time", "cpu_throttle"}) {
    EXPECT_NE(hmp.execute("help").find(c), std::string::npos) << c;
  }
}

TEST(Hmp, BadLinesSayWhatWasWrongAndChangeNothing) {
  Rig rig;
  Hmp hmp(*rig.actions);
  EXPECT_EQ(hmp.execute("frobnicate"), "unknown command: 'frobnicate' (try help)\n");
  EXPECT_EQ(hmp.execute("stop now"), "stop: takes no arguments\n");
  EXPECT_EQ(hmp.execute("info"), "info: say what: status, registers, jit or time\n");
  EXPECT_EQ(hmp.execute("info frob"), "info: unknown item 'frob' (status, registers, jit or time)\n");
  EXPECT_EQ(hmp.execute(""), "");
  // What the client typed is quoted with its control bytes escaped: a terminal
  // never receives a NUL or an escape sequence it did not ask the guest for.
  EXPECT_EQ(hmp.execute(std::string("qu\0\x1b[2Jit", 9)), "unknown command: 'qu\\x00\\x1b[2Jit' (try help)\n");
  EXPECT_EQ(hmp.execute("info t\ame"), "info: unknown item 't\\x07me' (status, registers, jit or time)\n");
  EXPECT_FALSE(rig.board->paused());
  EXPECT_TRUE(rig.events.empty());
}

json ask(QmpSession& s, const std::string& line) {
  const std::string out = s.feed(line);
  EXPECT_TRUE(out.ends_with("\r\n")) << out;
  return json::parse(out);
}

TEST(Qmp, GreetingNegotiationAndReplyShapes) {
  Rig rig;
  QmpSession s(*rig.actions, rig.host);
  const json greeting = json::parse(QmpSession::greeting());
  EXPECT_TRUE(greeting["QMP"]["version"]["qemu"]["major"].is_number_integer());
  EXPECT_TRUE(greeting["QMP"]["capabilities"].is_array());
  EXPECT_EQ(ask(s, R"({"execute":"query-status"})")["error"]["class"], "CommandNotFound");
  EXPECT_EQ(ask(s, R"({"execute":"qmp_capabilities","id":7})"), json::parse(R"({"return":{},"id":7})"));
  EXPECT_EQ(ask(s, R"({"execute":"query-status","id":"a"})"),
            json::parse(R"({"return":{"status":"running","singlestep":false,"running":true},"id":"a"})"));
  EXPECT_EQ(ask(s, R"({"execute":"stop"})"), json::parse(R"({"return":{}})"));
  EXPECT_EQ(ask(s, R"({"execute":"query-status"})")["return"]["status"], "paused");
  EXPECT_EQ(ask(s, R"({"execute":"cont"})"), json::parse(R"({"return":{}})"));
  EXPECT_EQ(ask(s, R"({"execute":"human-monitor-command","arguments":{"command-line":"info status"}})"),
            json::parse(R"({"return":"VM status: running\r\n"})"));
  const json time = ask(s, R"({"execute":"x-vtime-query-time"})")["return"];
  EXPECT_TRUE(time["clocks"]["virtual"]["now-ns"].is_number_integer()) << time;
  EXPECT_EQ(time["icount"], "shift=4,align=off,sleep=off");
  EXPECT_EQ(ask(s, R"({"execute":"x-vtime-set-throttle","arguments":{"percent":30}})"), json::parse(R"({"return":{}})"));
  EXPECT_EQ(rig.board->throttle().percentage(), 30);
  const json commands = ask(s, R"({"execute":"query-commands"})")["return"];
  EXPECT_EQ(commands.size(), QmpSession::commands().size());
  EXPECT_EQ(rig.events, (std::vector<std::string>{"STOP", "RESUME"}));
  const json event = json::parse(s.event("STOP", json::object()));
  EXPECT_EQ(event["event"], "STOP");
  EXPECT_TRUE(event["timestamp"]["seconds"].is_number_integer());
  EXPECT_FALSE(event.contains("data"));
}

TEST(Qmp, ErrorsAsQemuGivesThem) {
  Rig rig;
  QmpSession s(*rig.actions, rig.host);
  ask(s, R"({"execute":"qmp_capabilities"})");
  const auto err = [&](const std::string& line) {
    const json r = ask(s, line);
    EXPECT_TRUE(r["error"]["desc"].is_string()) << r;
    return r["error"]["class"].get<std::string>() + ": " + r["error"]["desc"].get<std::string>();
  };
  EXPECT_EQ(err(R"({"execute":"frob"})"), "CommandNotFound: The command frob has not been found");
  EXPECT_EQ(err(R"({"execute":"stop","arguments":{"x":1}})"), "GenericError: Parameter 'x' is unexpected");
  EXPECT_EQ(err(R"({"execute":"human-monitor-command"})"), "GenericError: Parameter 'command-line' is missing");
  EXPECT_EQ(err(R"({"execute":"stop","arguments":[]})"),
            "GenericError: QMP input member 'arguments' must be an object");
  EXPECT_EQ(err(R"({"exec":"stop"})"), "GenericError: QMP input member 'exec' is unexpected");
  // Names the client sent are quoted on one line, control bytes escaped.
  EXPECT_EQ(err(R"({"execute":"stop","arguments":{"a\nb":1}})"), "GenericError: Parameter 'a\\nb' is unexpected");
  EXPECT_EQ(err(R"({"ex\u0001":"stop"})"), "GenericError: QMP input member 'ex\\x01' is unexpected");
  EXPECT_EQ(err(R"({"execute":"st\nop"})"), "CommandNotFound: The command st\\nop has not been found");
  EXPECT_EQ(err(R"([1,2])"), "GenericError: QMP input must be a JSON object");
  EXPECT_EQ(err("{\"execute\": }\n"), "GenericError: JSON parse error, invalid JSON");
  EXPECT_EQ(err("nonsense\n"), "GenericError: JSON parse error, invalid input");
  EXPECT_EQ(err(R"({"execute":"x-vtime-set-throttle","arguments":{"percent":120}})"),
            "GenericError: Parameter 'percent' expects a whole number from 0 (off) to 99");
  EXPECT_FALSE(rig.board->paused());
  EXPECT_EQ(rig.board->throttle().percentage(), 0);
  EXPECT_TRUE(rig.events.empty());
}

TEST(Qmp, AThousandRandomMessagesGetRepliesAndChangeNothing) {
  Rig rig;
  QmpSession s(*rig.actions, rig.host);
  ask(s, R"({"execute":"qmp_capabilities"})");
  std::mt19937 rng(3);
  const std::vector<std::string> pieces = {"{", "}", "[", "]", "\"", ":", ",", "\"execute\"", "\"arguments\"",
                                           "\"id\"", "\"query-status\"", "1", "-", "e9", "true", "null", "\\", "\n", "x"};
  size_t replies = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string msg;
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) msg += pieces[rng() % pieces.size()];
    std::string out = s.feed(msg + "\n");
    for (size_t at; (at = out.find("\r\n")) != std::string::npos; out.erase(0, at + 2)) {
      const json r = json::parse(out.substr(0, at), nullptr, false);
      ASSERT_FALSE(r.is_discarded()) << out;
      ASSERT_TRUE(r.contains("error") || r.contains("return")) << r;
      ++replies;
    }
  }
  EXPECT_GT(replies, 500u);
  EXPECT_FALSE(rig.board->paused());
  EXPECT_TRUE(rig.events.empty());
  EXPECT_EQ(rig.board->throttle().percentage(), 0);
}

TEST(Actions, StopFreezesGuestTimeAndEverythingDerivedFromItExactly) {
  Rig rig("");  // no icount: VIRTUAL follows the host while running
  rig.board->clocks().resume();
  rig.host.advance(5ms);
  rig.actions->stop();
  const GuestTime virt = rig.board->clocks().virtual_now();
  const GuestTime rt = rig.board->clocks().virtual_rt_now();
  const std::optional<uint64_t> mtime = rig.board->debug_read(0x0200'bff8, 8);
  rig.host.advance(1s);
  EXPECT_EQ(rig.board->clocks().virtual_now(), virt);
  EXPECT_EQ(rig.board->clocks().virtual_rt_now(), rt);
  EXPECT_EQ(rig.board->debug_read(0x0200'bff8, 8), mtime);
  rig.actions->cont();
  rig.host.advance(1ms);
  EXPECT_EQ(rig.board->clocks().virtual_now(), virt + 1ms);  // continues from where it stopped
  EXPECT_EQ(*rig.board->debug_read(0x0200'bff8, 8), *mtime + 10'000);  // 10 MHz
}

TEST(Hmp, SavevmAndLoadvmRoundTripAndLoadvmIsRefusedWhileRecording) {
  const std::string path = ::testing::TempDir() + "vtime_hmp.snap";
  Rig rig;
  Hmp hmp(*rig.actions);
  EXPECT_EQ(hmp.execute("savevm " + path), "");
  EXPECT_EQ(hmp.execute("loadvm " + path), "");
  EXPECT_EQ(hmp.execute("loadvm"), "loadvm: give one file name\n");
  EXPECT_EQ(hmp.execute("loadvm /nonexistent.snap"), "loadvm: cannot open snapshot /nonexistent.snap.\n");

  Rig recording("shift=4,sleep=off", ReplayMode::kRecord);
  Hmp rec(*recording.actions);
  EXPECT_EQ(rec.execute("savevm " + path), "") << "saving changes nothing a replay sees";
  EXPECT_EQ(rec.execute("loadvm " + path),
            "loadvm: loadvm is not offered while recording or replaying (a replay could not reproduce it).\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace vtime::monitor
