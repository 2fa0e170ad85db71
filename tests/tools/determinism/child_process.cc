#include "tests/tools/determinism/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace vtime {
namespace {

struct Pipe {
  int read = -1;
  int write = -1;
};

Pipe make_pipe() {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  return {fds[0], fds[1]};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Appends what is readable on `fd` to `sink`; closes `fd` at end of file.
void drain(int& fd, std::string& sink) {
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) {
    sink.append(buf, static_cast<size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    close_fd(fd);
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, int stdin_fd,
                          std::chrono::seconds patience) {
  ProcessResult result;
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  if (out.read < 0 || err.read < 0) {
    result.code = errno;
    close_fd(out.read), close_fd(out.write), close_fd(err.read), close_fd(err.write);
    return result;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close_fd(out.write);
  close_fd(err.write);
  if (spawned != 0) {
    result.code = spawned;
    close_fd(out.read), close_fd(err.read);
    return result;
  }

  // Poll in one-second steps; only silence counts against the patience.
  int silent_seconds = 0;
  bool killed = false;
  while (out.read >= 0 || err.read >= 0) {
    std::array<pollfd, 2> fds = {pollfd{.fd = out.read, .events = POLLIN, .revents = 0},
                                 pollfd{.fd = err.read, .events = POLLIN, .revents = 0}};
    const int ready = ::poll(fds.data(), fds.size(), 1000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      if (!killed && ++silent_seconds >= patience.count()) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
      continue;
    }
    silent_seconds = 0;
    if (fds[0].revents != 0) drain(out.read, result.out);
    if (fds[1].revents != 0) drain(err.read, result.err);
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (killed) {
    result.end = ProcessResult::End::kKilledSilent;
    result.code = static_cast<int>(patience.count());
  } else if (WIFEXITED(status)) {
    result.end = ProcessResult::End::kExited;
    result.code = WEXITSTATUS(status);
  } else {
    result.end = ProcessResult::End::kSignalled;
    result.code = WTERMSIG(status);
  }
  return result;
}

std::string describe_end(const ProcessResult& result) {
  switch (result.end) {
    case ProcessResult::End::kExited:
      return "exit status " + std::to_string(result.code);
    case ProcessResult::End::kSignalled:
      return "killed by signal " + std::to_string(result.code);
    case ProcessResult::End::kKilledSilent:
      return "killed after " + std::to_string(result.code) + " s without output or exit";
    case ProcessResult::End::kNotStarted:
      return std::string("not started: ") + std::strerror(result.code);
  }
  return {};
}

}  // namespace vtime
