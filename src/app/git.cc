#include "app/git.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace tg::app::git {

namespace {

// Variables that make git look at a repository other than the one -C names.
constexpr std::array<std::string_view, 9> kRepositoryVars = {"GIT_DIR",
                                                             "GIT_WORK_TREE",
                                                             "GIT_INDEX_FILE",
                                                             "GIT_COMMON_DIR",
                                                             "GIT_PREFIX",
                                                             "GIT_OBJECT_DIRECTORY",
                                                             "GIT_NAMESPACE",
                                                             "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                                                             "GIT_QUARANTINE_PATH"};

std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    std::string_view key = kv.substr(0, kv.find('='));
    bool drop = key == "GIT_TERMINAL_PROMPT" || key == "GIT_EDITOR" || key == "LC_ALL" ||
                key == "GIT_MERGE_AUTOEDIT" || key == "GIT_OPTIONAL_LOCKS";
    for (auto v : kRepositoryVars) drop = drop || key == v;
    if (!drop) env.emplace_back(kv);
  }
  // Messages in one language (tg quotes them), never a prompt or an editor that waits.
  env.insert(env.end(), {"GIT_TERMINAL_PROMPT=0", "GIT_EDITOR=true", "GIT_MERGE_AUTOEDIT=no",
                         "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C"});
  return env;
}

void CloseBoth(int fds[2]) {
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 0) close(fds[i]);
  }
}

}  // namespace

Result<Output> Run(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv_s{"git", "-C", dir};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = ChildEnvironment();
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    CloseBoth(out_pipe);
    return Fail(Code::kIoError, fmt::format("cannot run git: {}", std::strerror(errno)));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Fail(Code::kIoError,
                fmt::format("cannot run git ({}); install git and make sure it is on PATH",
                            std::strerror(rc)));
  }
  Output o;
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&o.out, &o.err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (o.exit_code == 127) {
    return Fail(Code::kIoError, "cannot run git: not found on PATH; install git");
  }
  return o;
}

std::string FirstErrorLine(const Output& o) {
  size_t start = 0;
  while (start < o.err.size()) {
    size_t end = o.err.find('\n', start);
    if (end == std::string::npos) end = o.err.size();
    std::string line = o.err.substr(start, end - start);
    // git's hints come after the error; the first line that is not one is the reason.
    if (!line.empty() && !line.starts_with("hint:")) {
      if (line.starts_with("fatal: ")) line.erase(0, 7);
      if (line.starts_with("error: ")) line.erase(0, 7);
      return line;
    }
    start = end + 1;
  }
  return fmt::format("git exited with {}", o.exit_code);
}

Result<std::string> Check(std::string_view what, const std::string& dir,
                          const std::vector<std::string>& args) {
  TG_ASSIGN(Output o, Run(dir, args));
  if (o.exit_code != 0) {
    return Fail(Code::kIoError, fmt::format("{}: git says: {}", what, FirstErrorLine(o)));
  }
  return std::move(o.out);
}

std::vector<std::string> SplitNul(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\0', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace tg::app::git
