#include "cli/graphviz.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/strings.h"

extern char** environ;

namespace tg::cli {

Result<std::string> DotToSvg(const std::string& dot) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return Fail(Code::kIoError, "cannot run dot: no pipe");
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return Fail(Code::kIoError, "cannot run dot: no pipe");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  char arg0[] = "dot", arg1[] = "-Tsvg";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "dot", &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return Fail(Code::kIoError,
                Cat({"cannot run Graphviz's `dot` (", std::strerror(rc),
                     "); install it (Debian: apt-get install graphviz) or use `tg export dot`"}));
  }
  // Feed and drain at once: a large graph fills either pipe before the other is done.
  signal(SIGPIPE, SIG_IGN);
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  std::string svg, msg;
  size_t sent = 0;
  bool in_open = true, out_open = true, err_open = true;
  if (dot.empty()) close(in[1]), in_open = false;
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0, at_in = -1, at_out = -1, at_err = -1;
    if (in_open) fds[at_in = n++] = pollfd{in[1], POLLOUT, 0};
    if (out_open) fds[at_out = n++] = pollfd{out[0], POLLIN, 0};
    if (err_open) fds[at_err = n++] = pollfd{err[0], POLLIN, 0};
    if (poll(fds, static_cast<nfds_t>(n), 60'000) <= 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (at_in >= 0 && fds[at_in].revents) {
      ssize_t k = write(in[1], dot.data() + sent, dot.size() - sent);
      if (k > 0) sent += static_cast<size_t>(k);
      if (k < 0 && errno != EAGAIN) sent = dot.size();
      if (sent == dot.size()) close(in[1]), in_open = false;
    }
    char buf[65536];
    if (at_out >= 0 && fds[at_out].revents) {
      ssize_t k = read(out[0], buf, sizeof buf);
      if (k > 0) svg.append(buf, static_cast<size_t>(k));
      if (k <= 0) close(out[0]), out_open = false;
    }
    if (at_err >= 0 && fds[at_err].revents) {
      ssize_t k = read(err[0], buf, sizeof buf);
      if (k > 0 && msg.size() < 4096) msg.append(buf, static_cast<size_t>(k));
      if (k <= 0) close(err[0]), err_open = false;
    }
  }
  if (in_open) close(in[1]);
  if (out_open) close(out[0]);
  if (err_open) close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || svg.find("<svg") == std::string::npos) {
    for (char& c : msg) {
      if (c == '\n') c = ' ';
    }
    return Fail(Code::kIoError, Cat({"Graphviz's dot failed: ", msg.empty() ? "no output" : msg}));
  }
  return svg;
}

}  // namespace tg::cli
