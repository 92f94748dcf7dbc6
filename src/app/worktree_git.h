// The git questions the worktree use cases ask (app/worktree.h), over app/git.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace tg::app::git {

// One entry of `git worktree list`.
struct Worktree {
  std::string path;
  std::string head;
  std::optional<std::string> branch;  // short name; none when detached or bare
};
Result<std::vector<Worktree>> ListWorktrees(const std::string& repo_dir);

// Files with uncommitted changes in the checkout `dir`: staged or not, and with `untracked`
// also files git does not track (ignored files never count).
Result<std::vector<std::string>> UncommittedFiles(const std::string& dir, bool untracked);

// The commit a ref names, or nullopt when there is no such ref.
Result<std::optional<std::string>> ResolveRef(const std::string& repo_dir, const std::string& ref);

// Whether commit `a` is an ancestor of (or equal to) commit `b`.
Result<bool> IsAncestor(const std::string& repo_dir, const std::string& a, const std::string& b);

// "a, b, c and 4 more" for messages.
std::string FileList(const std::vector<std::string>& files);

// The same path as git and tg each write it (symlinks resolved, no trailing slash).
std::string SamePath(const std::string& p);

// An exclusive lock on `path` (created if missing) for as long as this lives: tg's own git
// writes (worktree add, merge, remove) take turns, so agents finishing at once do not fail on
// git's index.lock.
class TurnLock {
 public:
  static Result<TurnLock> Take(const std::string& path);
  TurnLock(TurnLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  TurnLock& operator=(TurnLock&&) = delete;
  ~TurnLock();

 private:
  explicit TurnLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tg::app::git
