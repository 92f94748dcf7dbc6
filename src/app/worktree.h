// Git worktrees for tasks (contract section 10). `start --worktree` gives each task it claims a
// worktree of its own, `<state>/worktrees/<digits>` on branch `tg-<digits>`, made from the
// branch checked out where it ran (its base, recorded on the started event). `done --merge`
// merges that branch into its base without switching anyone's checkout; `done` alone removes a
// clean worktree and keeps the branch. Uncommitted work and unmerged branches are never
// deleted. Only this file and git.cc run git.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/claims.h"
#include "app/leases.h"
#include "app/worktree_git.h"

namespace tg::app {

// The turn of tg's git writes in this graph: an exclusive lock on
// <state>/worktrees/.lock. start --worktree holds it across its claim, done --merge across
// finishing the task and merging it, so a dependent's worktree is never made from a base its
// blocker's merge has not reached yet, and agents merging at once do not trip over git's
// index.lock. Always taken before the store's write lock, never inside it.
Result<git::TurnLock> TakeWorktreeTurn(const Context& ctx);

// What a claim event records about the task's worktree.
struct TaskWorktree {
  std::string path, branch, base;
  std::string repo;  // the repository's shared git folder
};
// The worktree recorded on the task's latest claim (started, reclaimed), if any.
Result<std::optional<TaskWorktree>> FindTaskWorktree(store::Reader& r, const std::string& task_id);

// Start, making a worktree for each task it claims (from the checkout `cwd` is in), before the
// store's write transaction; one made for a task another agent claims first is removed again.
// A task you already hold keeps the worktree it has. VALIDATION_FAILED before anything is written
// when `cwd` is not in a git checkout or has no branch checked out; a worktree git cannot make
// fails the command (IO_ERROR) and every worktree made for it is removed again.
Result<BatchOutcome> StartInWorktrees(Context& ctx, const std::vector<std::string>& ids,
                                      StartOptions opts, const std::string& cwd);

// next --claim --worktree: ClaimNext, with the claimed task's worktree.
struct ClaimedInWorktree {
  Written<std::optional<Task>> claim;
  std::optional<WorktreeOutcome> worktree;
};
Result<ClaimedInWorktree> ClaimNextInWorktree(Context& ctx, ClaimOptions opts,
                                              const std::string& cwd);

// Done, then for each finished task that has a worktree: with `merge`, merge its branch into
// the base (MERGE_CONFLICT on that item, naming the files, when it conflicts or when a checkout
// it needs has uncommitted changes; the task stays done), then remove the worktree and the
// merged branch; without, remove the worktree when it is clean and keep the branch. A task
// already done is merged again (the way to retry after fixing what stopped the merge).
Result<BatchOutcome> DoneWithWorktrees(Context& ctx, const std::vector<std::string>& ids,
                                       const DoneOptions& opts, bool merge);

struct WorktreeRow {
  std::string path;
  std::optional<std::string> branch;  // none when detached
  std::optional<Task> task;           // the task whose branch it is
  std::string head;                   // commit id
};
// Every worktree of the repository `cwd` is in (else the graph's), with its task.
Result<std::vector<WorktreeRow>> ListWorktrees(Context& ctx, const std::string& cwd);

}  // namespace tg::app
