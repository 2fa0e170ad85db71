// The `vtime` command's determinism promise, tested as a user meets it: under
// `--icount shift=N,sleep=off` everything a guest observes is a function of the
// guest and the options, whatever the host's load and whatever stdin is. The
// race guest (guests/race) lets every hart race the others and prints hashes
// of what each observed, so any host influence on the interleaving shows in
// its output. Each configuration runs 20 times with a busy host thread or not
// and stdin /dev/null or an idle pipe; all outputs must be byte-identical. A
// different quantum must change the trace hash: proof the hash sees the
// interleaving, so identical outputs are not identical by construction.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "tests/tools/determinism/busy_host_thread.h"
#include "tests/tools/determinism/child_process.h"

namespace vtime {
namespace {

constexpr int kRuns = 20;
// A hang guard only: a run takes about 30 ms in the release build, 1 s under ASan.
constexpr std::chrono::seconds kPatience{120};

enum class HostLoad { kIdle, kBusyThread };
enum class Stdin { kDevNull, kIdlePipe };

struct RunCondition {
  HostLoad load;
  Stdin input;
};

// Run r: the four combinations in turn, so each appears 5 times in 20 runs.
RunCondition condition_of(int run) {
  return {.load = run % 2 == 0 ? HostLoad::kIdle : HostLoad::kBusyThread,
          .input = (run / 2) % 2 == 0 ? Stdin::kDevNull : Stdin::kIdlePipe};
}

std::string describe(int run, RunCondition c) {
  return "run " + std::to_string(run) + " (" +
         (c.load == HostLoad::kIdle ? "idle host" : "a busy host thread") + ", stdin " +
         (c.input == Stdin::kDevNull ? "/dev/null" : "an idle pipe") + ")";
}

struct RaceConfig {
  unsigned harts;
  unsigned shift;
};

std::string icount_option(RaceConfig config, std::string_view extra = {}) {
  return "shift=" + std::to_string(config.shift) + ",sleep=off" + std::string(extra);
}

// Runs the race guest under `condition`; the pipe's write end stays open and
// silent until the run ends.
ProcessResult run_race(RaceConfig config, const std::string& icount, RunCondition condition) {
  const std::vector<std::string> argv = {VTIME_BINARY, "run", "--smp",
                                         std::to_string(config.harts), "--icount", icount,
                                         "--report", "none", VTIME_RACE_GUEST};
  int fds[2] = {-1, -1};
  if (condition.input == Stdin::kDevNull) {
    fds[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  } else if (::pipe2(fds, O_CLOEXEC) != 0) {
    fds[0] = fds[1] = -1;
  }
  EXPECT_GE(fds[0], 0) << "could not open stdin for " << icount;
  std::optional<BusyHostThread> busy;
  if (condition.load == HostLoad::kBusyThread) busy.emplace();
  ProcessResult result = run_process(argv, fds[0], kPatience);
  busy.reset();
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
  return result;
}

// The first line where two outputs differ, both versions shown.
std::string first_difference(std::string_view a, std::string_view b) {
  std::istringstream sa{std::string(a)}, sb{std::string(b)};
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(sa, la));
    const bool more_b = static_cast<bool>(std::getline(sb, lb));
    if (!more_a && !more_b) return "(same lines; they differ in a final newline)";
    if (!more_a) la = "<end of output>";
    if (!more_b) lb = "<end of output>";
    if (la != lb || !more_a || !more_b) {
      return "line " + std::to_string(line) + ":\n  - " + la + "\n  + " + lb;
    }
  }
}

std::optional<std::string> trace_hash(const std::string& out) {
  constexpr std::string_view kKey = "race: trace hash ";
  const size_t at = out.find(kKey);
  if (at == std::string::npos) return std::nullopt;
  return out.substr(at + kKey.size(), out.find('\n', at) - at - kKey.size());
}

// A run that ended well: status 0, the guest's verdict and its trace hash.
::testing::AssertionResult completed(const ProcessResult& r) {
  if (!r.exited_zero() || r.out.find("race: PASS") == std::string::npos || !trace_hash(r.out)) {
    return ::testing::AssertionFailure() << describe_end(r) << "\n--- stdout\n"
                                         << r.out << "--- stderr\n" << r.err;
  }
  return ::testing::AssertionSuccess();
}

// Names the configuration: gtest_discover_tests puts it in the ctest name.
void PrintTo(RaceConfig config, std::ostream* os) {
  *os << "smp" << config.harts << "_shift" << config.shift;
}

class RaceDeterminism : public ::testing::TestWithParam<RaceConfig> {};

TEST_P(RaceDeterminism, TwentyRunsPrintTheSameWhateverTheHostLoadAndStdin) {
  const RaceConfig config = GetParam();
  const std::string icount = icount_option(config);
  const ProcessResult first = run_race(config, icount, condition_of(0));
  ASSERT_TRUE(completed(first)) << describe(0, condition_of(0));
  int identical = 1;
  for (int run = 1; run < kRuns; ++run) {
    const RunCondition condition = condition_of(run);
    const ProcessResult r = run_race(config, icount, condition);
    if (!completed(r)) {
      ADD_FAILURE() << describe(run, condition) << ": " << completed(r).message();
      continue;
    }
    if (r.out != first.out) {
      ADD_FAILURE() << describe(run, condition) << " printed other than "
                    << describe(0, condition_of(0)) << " under --smp " << config.harts
                    << " --icount " << icount << ", first at "
                    << first_difference(first.out, r.out);
    } else if (r.err != first.err) {
      ADD_FAILURE() << describe(run, condition) << " wrote other stderr than run 0, first at "
                    << first_difference(first.err, r.err);
    } else {
      ++identical;
    }
  }
  std::cout << "--smp " << config.harts << " --icount " << icount << ": " << identical << " of "
            << kRuns << " runs identical, trace hash " << *trace_hash(first.out) << "\n";
  EXPECT_EQ(identical, kRuns);
}

TEST_P(RaceDeterminism, ADifferentQuantumPrintsADifferentTraceHash) {
  const RaceConfig config = GetParam();
  const RunCondition quiet{.load = HostLoad::kIdle, .input = Stdin::kDevNull};
  const ProcessResult standard = run_race(config, icount_option(config), quiet);
  const ProcessResult short_turns = run_race(config, icount_option(config, ",quantum=5us"), quiet);
  ASSERT_TRUE(completed(standard));
  ASSERT_TRUE(completed(short_turns));
  EXPECT_NE(*trace_hash(standard.out), *trace_hash(short_turns.out))
      << "the trace hash does not see the interleaving:\n" << standard.out;
}

INSTANTIATE_TEST_SUITE_P(SmpAndShift, RaceDeterminism,
                         ::testing::Values(RaceConfig{2, 0}, RaceConfig{2, 4}, RaceConfig{4, 0},
                                           RaceConfig{4, 4}));

}  // namespace
}  // namespace vtime
