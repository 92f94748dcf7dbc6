#include "app/worktree_git.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "app/git.h"

namespace tg::app::git {

Result<std::vector<Worktree>> ListWorktrees(const std::string& repo_dir) {
  TG_ASSIGN(std::string out,
            Check("listing the worktrees", repo_dir, {"worktree", "list", "--porcelain", "-z"}));
  std::vector<Worktree> list;
  for (const auto& field : SplitNul(out)) {
    if (field.starts_with("worktree ")) {
      list.push_back(Worktree{field.substr(9), "", std::nullopt});
    } else if (list.empty()) {
      continue;
    } else if (field.starts_with("HEAD ")) {
      list.back().head = field.substr(5);
    } else if (field.starts_with("branch refs/heads/")) {
      list.back().branch = field.substr(18);
    }
  }
  return list;
}

Result<std::vector<std::string>> UncommittedFiles(const std::string& dir, bool untracked) {
  TG_ASSIGN(std::string out, Check(fmt::format("reading the state of {}", dir), dir,
                                   {"status", "--porcelain=v1", "-z",
                                    untracked ? "--untracked-files=all" : "--untracked-files=no"}));
  std::vector<std::string> files;
  auto fields = SplitNul(out);
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    if (f.size() < 4) continue;
    files.push_back(f.substr(3));
    if (f[0] == 'R' || f[0] == 'C') ++i;  // a rename is followed by its old name
  }
  return files;
}

Result<std::optional<std::string>> ResolveRef(const std::string& repo_dir, const std::string& ref) {
  TG_ASSIGN(Output o, Run(repo_dir, {"rev-parse", "-q", "--verify", ref + "^{commit}"}));
  if (o.exit_code != 0) return std::optional<std::string>{};
  std::string sha = o.out.substr(0, o.out.find('\n'));
  return std::optional<std::string>{sha};
}

Result<bool> IsAncestor(const std::string& repo_dir, const std::string& a, const std::string& b) {
  TG_ASSIGN(Output o, Run(repo_dir, {"merge-base", "--is-ancestor", a, b}));
  if (o.exit_code == 0) return true;
  if (o.exit_code == 1) return false;
  return Fail(Code::kIoError, fmt::format("comparing {} with {}: git says: {}", a.substr(0, 12),
                                          b.substr(0, 12), FirstErrorLine(o)));
}

std::string FileList(const std::vector<std::string>& files) {
  std::string s;
  size_t shown = std::min<size_t>(files.size(), 5);
  for (size_t i = 0; i < shown; ++i) {
    if (i) s += ", ";
    s += files[i];
  }
  if (files.size() > shown) s += fmt::format(" and {} more", files.size() - shown);
  return s;
}

std::string SamePath(const std::string& p) {
  std::error_code ec;
  std::filesystem::path canon = std::filesystem::weakly_canonical(p, ec);
  std::string s = ec ? std::filesystem::path(p).lexically_normal().string() : canon.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

Result<TurnLock> TurnLock::Take(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    return Fail(Code::kIoError, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  while (flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    close(fd);
    return Fail(Code::kIoError, fmt::format("cannot lock {}: {}", path, std::strerror(err)));
  }
  return TurnLock(fd);
}

TurnLock::~TurnLock() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace tg::app::git
