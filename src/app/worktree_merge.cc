// done [--merge] for tasks with a worktree: merging the branch into its base without switching
// anyone's checkout, and tidying the worktree. The task is done before any of this runs, so
// whatever stops a merge leaves it done, with its worktree and branch kept.
#include <fmt/format.h>
#include <sys/stat.h>

#include "app/git.h"
#include "app/resolve.h"
#include "app/worktree.h"
#include "app/worktree_git.h"
#include "core/strings.h"

namespace tg::app {

namespace {

std::vector<ErrorDetail> FileDetails(const std::vector<std::string>& files) {
  std::vector<ErrorDetail> d;
  for (const auto& f : files) d.push_back({{"file", f}});
  return d;
}

bool WorktreeDirExists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string MergeMessage(const Task& t, const TaskWorktree& w) {
  return fmt::format("Merge branch '{}' into {}\n\n{}: {} (tg done --merge)\n", w.branch, w.base,
                     t.hash_id, t.title);
}

// In the checkout that has the base (clean, checked by the caller). A conflict is aborted, so
// the checkout is as it was.
Status MergeInCheckout(const std::string& tree, const Task& t, const TaskWorktree& w) {
  TG_ASSIGN(git::Output o, git::Run(tree, {"merge", "--no-edit", "--no-stat", "--quiet", "-m",
                                           MergeMessage(t, w), w.branch}));
  if (o.exit_code == 0) return Ok();
  TG_ASSIGN(git::Output in_merge, git::Run(tree, {"rev-parse", "-q", "--verify", "MERGE_HEAD"}));
  if (in_merge.exit_code != 0) {
    return Fail(Code::kMergeConflict,
                fmt::format("task {} is done, but git refused to merge {} into {} in {}: {}; "
                            "the branch is kept",
                            t.hash_id, w.branch, w.base, tree, git::FirstErrorLine(o)));
  }
  TG_ASSIGN(std::string conflicted, git::Check("listing the conflicts", tree,
                                               {"diff", "--name-only", "-z", "--diff-filter=U"}));
  TG_TRY(git::Check(fmt::format("aborting the merge in {}", tree), tree, {"merge", "--abort"}));
  auto files = git::SplitNul(conflicted);
  return Fail(Code::kMergeConflict,
              fmt::format("task {} is done, but merging {} into {} conflicts in {}; the merge "
                          "was aborted and {} is as it was. Merge {} into {} in the task's "
                          "worktree, commit, then run `tg done {} --merge` again",
                          t.hash_id, w.branch, w.base, git::FileList(files), tree, w.base, w.branch,
                          t.hash_id),
              FileDetails(files));
}

// The base is checked out nowhere: the merge is a tree and a commit made by git's plumbing,
// and the base moves by a compare-and-set of its ref (old value given), so a commit someone
// added to the base meanwhile is never overwritten: tg merges again on top of it.
Status MergeWithoutCheckout(const Task& t, const TaskWorktree& w) {
  const std::string base_ref = Cat({"refs/heads/", w.base});
  for (int attempt = 0; attempt < 5; ++attempt) {
    TG_ASSIGN(auto base, git::ResolveRef(w.repo, base_ref));
    TG_ASSIGN(auto tip, git::ResolveRef(w.repo, Cat({"refs/heads/", w.branch})));
    if (!tip) return Ok();  // deleted meanwhile: nothing left to merge
    if (!base) {
      return Fail(Code::kMergeConflict,
                  fmt::format("task {} is done, but its base branch {} no longer exists; merge "
                              "{} by hand (the branch is kept)",
                              t.hash_id, w.base, w.branch));
    }
    TG_ASSIGN(bool merged, git::IsAncestor(w.repo, *tip, *base));
    if (merged) return Ok();
    std::string result = *tip;  // a fast-forward, when the base has not moved since
    TG_ASSIGN(bool forward, git::IsAncestor(w.repo, *base, *tip));
    if (!forward) {
      TG_ASSIGN(git::Output m, git::Run(w.repo, {"merge-tree", "--write-tree", "--name-only", "-z",
                                                 "--no-messages", *base, *tip}));
      auto fields = git::SplitNul(m.out);
      if (m.exit_code == 1) {
        std::vector<std::string> files;
        for (size_t i = 1; i < fields.size(); ++i) {
          if (files.empty() || files.back() != fields[i]) files.push_back(fields[i]);
        }
        return Fail(Code::kMergeConflict,
                    fmt::format("task {} is done, but merging {} into {} conflicts in {}; "
                                "nothing was changed. Merge {} into {} in the task's worktree, "
                                "commit, then run `tg done {} --merge` again",
                                t.hash_id, w.branch, w.base, git::FileList(files), w.base, w.branch,
                                t.hash_id),
                    FileDetails(files));
      }
      if (m.exit_code != 0 || fields.empty()) {
        return Fail(Code::kIoError, fmt::format("merging {} into {}: git says: {}", w.branch,
                                                w.base, git::FirstErrorLine(m)));
      }
      TG_ASSIGN(std::string commit,
                git::Check(fmt::format("committing the merge of {}", w.branch), w.repo,
                           {"commit-tree", fields.front(), "-p", *base, "-p", *tip, "-m",
                            MergeMessage(t, w)}));
      result = commit.substr(0, commit.find('\n'));
    }
    TG_ASSIGN(git::Output u,
              git::Run(w.repo, {"update-ref", "-m", Cat({"tg done --merge ", w.branch}), base_ref,
                                result, *base}));
    if (u.exit_code == 0) return Ok();
    TG_ASSIGN(auto now, git::ResolveRef(w.repo, base_ref));
    if (now == base) {
      return Fail(Code::kIoError, fmt::format("moving {} to the merge of {}: git says: {}", w.base,
                                              w.branch, git::FirstErrorLine(u)));
    }
    // The base moved under us: merge again onto its new tip.
  }
  return Fail(Code::kIoError, fmt::format("{} kept moving while {} was being merged into it; "
                                          "run `tg done {} --merge` again",
                                          w.base, w.branch, t.hash_id));
}

// Removes the worktree unless it holds uncommitted work; says why when it is kept.
Status RemoveIfClean(const Task& t, const TaskWorktree& w, WorktreeOutcome& out) {
  if (!WorktreeDirExists(w.path)) {
    out.removed = true;
    if (out.note.empty()) out.note = fmt::format("worktree {} was already removed", w.path);
    return Ok();
  }
  TG_ASSIGN(auto files, git::UncommittedFiles(w.path, /*untracked=*/true));
  if (!files.empty()) {
    out.note = fmt::format("worktree {} kept: it has uncommitted changes ({})", w.path,
                           git::FileList(files));
    return Ok();
  }
  TG_TRY(git::Check(fmt::format("removing the worktree of {}", t.hash_id), w.repo,
                    {"worktree", "remove", w.path}));
  out.removed = true;
  return Ok();
}

Status MergeAndTidy(const Task& t, const TaskWorktree& w, WorktreeOutcome& out) {
  if (WorktreeDirExists(w.path)) {
    TG_ASSIGN(auto files, git::UncommittedFiles(w.path, /*untracked=*/true));
    if (!files.empty()) {
      return Fail(Code::kMergeConflict,
                  fmt::format("task {} is done, but {} has uncommitted changes ({}); commit them "
                              "there, then run `tg done {} --merge` again (worktree and branch "
                              "are kept)",
                              t.hash_id, w.path, git::FileList(files), t.hash_id),
                  FileDetails(files));
    }
  }
  TG_ASSIGN(auto tip, git::ResolveRef(w.repo, Cat({"refs/heads/", w.branch})));
  if (!tip) {
    out.note = fmt::format("branch {} no longer exists; nothing to merge", w.branch);
    return RemoveIfClean(t, w, out);
  }
  TG_ASSIGN(auto trees, git::ListWorktrees(w.repo));
  const git::Worktree* holder = nullptr;
  for (const auto& tree : trees) {
    if (tree.branch == w.base) holder = &tree;
  }
  if (holder) {
    TG_ASSIGN(auto dirty, git::UncommittedFiles(holder->path, /*untracked=*/false));
    if (!dirty.empty()) {
      return Fail(
          Code::kMergeConflict,
          fmt::format("task {} is done, but {} was not merged: its base {} is checked "
                      "out in {}, which has uncommitted changes ({}); commit or stash "
                      "them there, then run `tg done {} --merge` again (the branch is "
                      "kept)",
                      t.hash_id, w.branch, w.base, holder->path, git::FileList(dirty), t.hash_id),
          FileDetails(dirty));
    }
    TG_TRY(MergeInCheckout(holder->path, t, w));
  } else {
    TG_TRY(MergeWithoutCheckout(t, w));
  }
  out.merged = true;
  TG_TRY(RemoveIfClean(t, w, out));
  // Deleted only as the commit just found merged (update-ref's old value): a branch that
  // gained a commit since is kept.
  TG_ASSIGN(auto base, git::ResolveRef(w.repo, Cat({"refs/heads/", w.base})));
  TG_ASSIGN(bool merged, git::IsAncestor(w.repo, *tip, base.value_or(*tip)));
  if (merged && out.removed) {
    TG_ASSIGN(git::Output d,
              git::Run(w.repo, {"update-ref", "-d", Cat({"refs/heads/", w.branch}), *tip}));
    out.branch_deleted = d.exit_code == 0;
  }
  return Ok();
}

}  // namespace

Result<BatchOutcome> DoneWithWorktrees(Context& ctx, const std::vector<std::string>& ids,
                                       const DoneOptions& opts, bool merge) {
  // Tasks with a worktree are finished holding the turn, which the merge keeps: a dependent
  // they unblock gets its worktree only once the merge is in the base.
  bool any = false;
  {
    TG_ASSIGN(auto reader, ctx.store.Read());
    for (const auto& input : ids) {
      auto t = ResolveTask(*reader, input);
      if (!t) continue;  // Done reports it
      TG_ASSIGN(auto w, FindTaskWorktree(*reader, t->task_id));
      any = any || w.has_value();
    }
  }
  std::optional<git::TurnLock> turn;
  if (any) {
    auto taken = TakeWorktreeTurn(ctx);
    if (!taken) return std::unexpected(taken.error());
    turn.emplace(std::move(*taken));
  }
  TG_ASSIGN(BatchOutcome out, Done(ctx, ids, opts));
  std::vector<std::pair<ItemResult*, TaskWorktree>> todo;
  {
    TG_ASSIGN(auto reader, ctx.store.Read());
    for (auto& r : out.value) {
      if (r.error || !r.task || r.task->status != TaskStatus::kDone) continue;
      TG_ASSIGN(auto w, FindTaskWorktree(*reader, r.task->task_id));
      if (w) todo.emplace_back(&r, *w);
    }
  }
  for (auto& [r, w] : todo) {
    WorktreeOutcome wo{w.path, w.branch, w.base};
    Status st = merge ? MergeAndTidy(*r->task, w, wo) : RemoveIfClean(*r->task, w, wo);
    if (!st) r->error = st.error();
    if (!merge && wo.removed && wo.note.empty()) {
      wo.note = fmt::format(
          "worktree removed; branch {} kept (merge it with `tg done {} "
          "--merge`)",
          w.branch, r->task->hash_id);
    }
    r->worktree = wo;
  }
  return out;
}

}  // namespace tg::app
