#include "support/child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "support/posix_util.h"

namespace tg::test {

Child::Child(const RunOptions& opts) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  if (!opts.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, opts.cwd.c_str());
  auto argv = CStrings(opts.argv);
  auto envp = CStrings(opts.env);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  in_ = in[1];
  out_ = out[0];
  err_ = err[0];
  if (rc != 0) throw std::runtime_error("spawn failed: " + std::to_string(rc));
  pid_ = pid;
  signal(SIGPIPE, SIG_IGN);  // a child that exited early must fail the test, not kill it
}

Child::~Child() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  for (int fd : {in_, out_, err_}) {
    if (fd >= 0) close(fd);
  }
}

void Child::WriteLine(const std::string& line) {
  std::string data = line + "\n";
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(in_, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("the child stopped reading its stdin");
    off += static_cast<size_t>(n);
  }
}

void Child::CloseStdin() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

bool Child::Pump(int timeout_ms) {
  pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
  int n = poll(fds, 2, timeout_ms);
  if (n <= 0) return n < 0 && errno == EINTR;
  bool any = false;
  int* fd[2] = {&out_, &err_};
  std::string* buf[2] = {&out_buf_, &err_buf_};
  for (int i = 0; i < 2; ++i) {
    if (*fd[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char b[65536];
    ssize_t got = read(*fd[i], b, sizeof b);
    if (got > 0) {
      buf[i]->append(b, static_cast<size_t>(got));
      any = true;
    } else {
      close(*fd[i]);
      *fd[i] = -1;
      fds[i].fd = -1;
    }
  }
  return any || out_ >= 0 || err_ >= 0;
}

std::optional<std::string> Child::ReadLine(int timeout_ms) {
  long deadline = NowMs() + timeout_ms;
  for (;;) {
    size_t nl = out_buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = out_buf_.substr(0, nl);
      out_buf_.erase(0, nl + 1);
      return line;
    }
    if (out_ < 0) return std::nullopt;
    long left = deadline - NowMs();
    if (left <= 0 || !Pump(static_cast<int>(left))) return std::nullopt;
  }
}

RunResult Child::Wait(int timeout_ms) {
  CloseStdin();
  RunResult r;
  long deadline = NowMs() + timeout_ms;
  while (out_ >= 0 || err_ >= 0) {
    long left = deadline - NowMs();
    if (left <= 0) {
      r.timed_out = true;
      kill(pid_, SIGKILL);
      break;
    }
    Pump(static_cast<int>(left));
  }
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = std::move(out_buf_);
  r.err = std::move(err_buf_);
  return r;
}

}  // namespace tg::test
