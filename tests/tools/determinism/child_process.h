// Runs a program as a child process, as a shell would: posix_spawn with a given
// stdin, stdout and stderr each collected through a pipe until the child exits.
// A child that stays silent for `patience` without exiting is killed, so a hung
// program fails its test with a sentence instead of stalling the suite.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace vtime {

struct ProcessResult {
  enum class End { kExited, kSignalled, kKilledSilent, kNotStarted };
  End end = End::kNotStarted;
  int code = 0;  // exit status, signal number, or errno of a failed spawn
  std::string out;
  std::string err;

  bool exited_zero() const { return end == End::kExited && code == 0; }
};

// argv[0] is the program's path. stdin_fd becomes the child's stdin (the
// caller keeps and closes its own copy).
ProcessResult run_process(const std::vector<std::string>& argv, int stdin_fd,
                          std::chrono::seconds patience);

// "exit status 3", "killed by signal 11", ...
std::string describe_end(const ProcessResult& result);

}  // namespace vtime
