#include "app/worktree.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "app/git.h"
#include "app/resolve.h"
#include "app/views.h"
#include "app/worktree_git.h"
#include "core/file.h"
#include "core/strings.h"
#include "store/checkout.h"

namespace tg::app {

namespace {

using nlohmann::json;

// Where start ran: the checkout, the branch checked out there (the base), the repository.
struct Origin {
  std::string top, base, repo;
};

Result<Origin> OriginOf(const std::string& cwd) {
  TG_ASSIGN(git::Output o, git::Run(cwd, {"rev-parse", "--path-format=absolute", "--show-toplevel",
                                          "--git-common-dir"}));
  std::string out = o.out;
  size_t nl = out.find('\n');
  if (o.exit_code != 0 || nl == std::string::npos) {
    return Fail(Code::kValidationFailed,
                fmt::format("--worktree: {} is not in a git checkout ({}); run it in the "
                            "repository the task's worktree belongs to",
                            cwd, git::FirstErrorLine(o)));
  }
  Origin origin;
  origin.top = out.substr(0, nl);
  origin.repo = out.substr(nl + 1, out.find('\n', nl + 1) - nl - 1);
  TG_ASSIGN(git::Output b, git::Run(origin.top, {"symbolic-ref", "-q", "--short", "HEAD"}));
  if (b.exit_code != 0 || b.out.empty()) {
    return Fail(Code::kValidationFailed,
                fmt::format("--worktree: no branch is checked out in {} (detached HEAD); check "
                            "out the branch the task's work should be merged into, then start "
                            "again",
                            origin.top));
  }
  origin.base = b.out.substr(0, b.out.find('\n'));
  return origin;
}

// <state>/worktrees, with a .gitignore of its own so that the checkouts inside never show up
// as untracked files of the tree holding .taskgraph/, whatever its .gitignore says.
Result<std::string> WorktreesDir(const Context& ctx) {
  std::string dir = ctx.store.StateDir() + "/worktrees";
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Fail(errno == EACCES || errno == EROFS ? Code::kReadOnly : Code::kIoError,
                fmt::format("cannot create {}: {}", dir, std::strerror(errno)));
  }
  struct stat st;
  if (lstat((dir + "/.gitignore").c_str(), &st) != 0) {
    TG_TRY(WriteFileAtomically(dir + "/.gitignore", "*\n", /*replace=*/false));
  }
  return dir;
}

}  // namespace

Result<git::TurnLock> TakeWorktreeTurn(const Context& ctx) {
  TG_ASSIGN(std::string dir, WorktreesDir(ctx));
  return git::TurnLock::Take(dir + "/.lock");
}

namespace {

// Makes the worktrees of one command (whose caller holds the turn) and takes them back if the
// command fails.
class WorktreeMaker {
 public:
  WorktreeMaker(Context& ctx, Origin origin) : ctx_(ctx), origin_(std::move(origin)) {}

  // Makes t's worktree ahead of the claim, outside the store's write transaction: git can take
  // seconds in a large checkout, and every other writer would wait that long. What the claim
  // does not use in the end is taken back by UndoUnclaimed.
  Status Prepare(const Task& t) {
    if (made_.contains(t.task_id)) return Ok();
    TG_ASSIGN(std::string dir, WorktreesDir(ctx_));
    std::string digits = t.hash_id.starts_with("tg-") ? t.hash_id.substr(3) : t.hash_id;
    Made m{dir + "/" + digits, t.hash_id, true, true};
    TG_ASSIGN(auto tip, git::ResolveRef(origin_.top, Cat({"refs/heads/", m.branch})));
    if (tip) {
      // The branch of an earlier claim (reopened, or taken over): carry on with it, in the
      // worktree that has it if there still is one.
      m.new_branch = false;
      TG_ASSIGN(auto list, git::ListWorktrees(origin_.top));
      for (const auto& w : list) {
        if (w.branch == m.branch) {
          m.path = w.path;
          m.new_worktree = false;
        }
      }
    }
    if (m.new_worktree) {
      std::vector<std::string> args{"worktree", "add", "--quiet"};
      if (m.new_branch) {
        args.insert(args.end(), {"-b", m.branch, m.path, origin_.base});
      } else {
        args.insert(args.end(), {m.path, m.branch});
      }
      TG_TRY(git::Check(fmt::format("making the worktree of {}", t.hash_id), origin_.top, args));
    }
    made_[t.task_id] = m;
    return Ok();
  }

  // The claim's hook, inside the write transaction: records the worktree made for t, making it
  // now only when the claim went to a task nobody foresaw (another writer took the one
  // prepared).
  Status Make(const Task& t, json& body, WorktreeOutcome& out) {
    TG_TRY(Prepare(t));
    Made& m = made_.at(t.task_id);
    m.claimed = true;
    out = WorktreeOutcome{m.path, m.branch, origin_.base};
    body["worktree_path"] = m.path;
    body["worktree_branch"] = m.branch;
    body["worktree_base"] = origin_.base;
    body["worktree_repo"] = origin_.repo;
    return Ok();
  }

  // The claim of `task_id` was not kept: remove what was made for it (nothing was done in it).
  void Undo(const std::string& task_id) {
    auto it = made_.find(task_id);
    if (it == made_.end()) return;
    const Made& m = it->second;
    if (m.new_worktree) {
      (void)git::Run(origin_.top, {"worktree", "remove", "--force", m.path});
    }
    if (m.new_branch) (void)git::Run(origin_.top, {"branch", "-D", m.branch});
    made_.erase(it);
  }
  void UndoAll() {
    while (!made_.empty()) Undo(made_.begin()->first);
  }
  // The worktrees prepared for tasks that were not claimed after all.
  void UndoUnclaimed() {
    std::vector<std::string> unused;
    for (const auto& [id, m] : made_) {
      if (!m.claimed) unused.push_back(id);
    }
    for (const auto& id : unused) Undo(id);
  }

 private:
  struct Made {
    std::string path, branch;
    bool new_worktree = true, new_branch = true;
    bool claimed = false;  // a claim recorded it
  };
  Context& ctx_;
  Origin origin_;
  std::map<std::string, Made> made_;
};

}  // namespace

Result<std::optional<TaskWorktree>> FindTaskWorktree(store::Reader& r, const std::string& task_id) {
  TG_ASSIGN(auto events, r.TaskEvents(task_id, 1000, std::nullopt));
  for (const auto& e : events) {
    if (e.kind != "started" && e.kind != "reclaimed") continue;
    // The latest claim decides: one made without --worktree has none.
    auto body = json::parse(e.body, nullptr, false);
    auto text = [&](const char* key) {
      auto it = body.is_object() ? body.find(key) : body.end();
      return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    TaskWorktree w{text("worktree_path"), text("worktree_branch"), text("worktree_base"),
                   text("worktree_repo")};
    if (w.path.empty() || w.branch.empty() || w.base.empty() || w.repo.empty()) break;
    return std::optional<TaskWorktree>(w);
  }
  return std::optional<TaskWorktree>{};
}

Result<BatchOutcome> StartInWorktrees(Context& ctx, const std::vector<std::string>& ids,
                                      StartOptions opts, const std::string& cwd) {
  TG_TRY(ValidateStart(opts));
  TG_ASSIGN(Origin origin, OriginOf(cwd));
  TG_ASSIGN(auto turn, TakeWorktreeTurn(ctx));
  WorktreeMaker maker(ctx, origin);
  std::vector<Task> ahead;
  {
    TG_ASSIGN(auto reader, ctx.store.Read());
    for (const auto& input : ids) {
      auto t = ResolveTask(*reader, input);
      if (t && MakesClaim(JudgeClaim(*t, ctx.agent, opts.force, reader->Now())))
        ahead.push_back(*t);
    }
  }
  for (const auto& t : ahead) {
    Status st = maker.Prepare(t);
    if (!st) {
      maker.UndoAll();
      return std::unexpected(st.error());
    }
  }
  std::map<std::string, WorktreeOutcome> made;
  opts.on_claim = [&](const Task& t, json& body) -> Status {
    WorktreeOutcome w;
    TG_TRY(maker.Make(t, body, w));
    made[t.task_id] = w;
    return Ok();
  };
  auto out = Start(ctx, ids, opts);
  if (!out) {
    maker.UndoAll();
    return out;
  }
  maker.UndoUnclaimed();
  std::unique_ptr<store::Reader> reader;
  for (auto& r : out->value) {
    if (!r.task) continue;
    auto it = made.find(r.task->task_id);
    if (r.error) {
      maker.Undo(r.task->task_id);
    } else if (it != made.end()) {
      r.worktree = it->second;
    } else if (!r.changed) {
      // Already yours: the worktree it was started with, if any.
      if (!reader) {
        TG_ASSIGN(reader, ctx.store.Read());
      }
      TG_ASSIGN(auto w, FindTaskWorktree(*reader, r.task->task_id));
      if (w) {
        r.worktree = WorktreeOutcome{w->path, w->branch, w->base};
      } else {
        r.info = "already yours; it has no worktree (it was started without --worktree)";
      }
    }
  }
  return out;
}

Result<ClaimedInWorktree> ClaimNextInWorktree(Context& ctx, ClaimOptions opts,
                                              const std::string& cwd) {
  TG_TRY(ValidateClaim(opts));
  TG_ASSIGN(Origin origin, OriginOf(cwd));
  WorktreeMaker maker(ctx, origin);
  ClaimedInWorktree out;
  opts.on_claim = [&](const Task& t, json& body) -> Status {
    WorktreeOutcome w;
    TG_TRY(maker.Make(t, body, w));
    out.worktree = w;
    return Ok();
  };
  // Each attempt holds the turn (see TakeWorktreeTurn); the waiting between attempts holds
  // nothing, so the merges it waits for can run. It wakes on every commit and at the next
  // lease end, as ClaimNext's own wait does.
  std::optional<Millis> wait = opts.wait;
  opts.wait.reset();
  std::unique_ptr<store::ChangeWatch> watcher;
  if (wait) {
    TG_ASSIGN(watcher, ctx.store.Watch(*wait));
  }
  NextQuery look = opts.query;
  look.limit = 1;
  for (;;) {
    // While waiting, look before queueing for the turn and the write lock.
    bool attempt = true;
    if (watcher) {
      TG_ASSIGN(auto runnable, Next(ctx, look));
      attempt = !runnable.empty();
    }
    if (attempt) {
      TG_ASSIGN(auto turn, TakeWorktreeTurn(ctx));
      // The task next offers now is, barring a race, the one the claim takes: its worktree is
      // made before the write transaction (see Prepare).
      TG_ASSIGN(auto first, Next(ctx, look));
      if (!first.empty()) {
        Status st = maker.Prepare(first.front());
        if (!st) {
          maker.UndoAll();
          return std::unexpected(st.error());
        }
      }
      auto claim = ClaimNext(ctx, opts);
      if (!claim) {
        maker.UndoAll();
        return std::unexpected(claim.error());
      }
      maker.UndoUnclaimed();
      out.claim = std::move(*claim);
      if (out.claim.value || !watcher) return out;
    }
    TG_ASSIGN(auto reader, ctx.store.Read());
    TG_ASSIGN(auto expiry, reader->NextLeaseExpiry(store::TaskFilter{}));
    std::optional<int64_t> wake_in;
    if (expiry) wake_in = std::max<int64_t>(*expiry - reader->Now(), 50);
    reader.reset();
    if (!watcher->Wait(wake_in)) return out;
  }
}

Result<std::vector<WorktreeRow>> ListWorktrees(Context& ctx, const std::string& cwd) {
  auto checkout = store::FindCheckout(git::SamePath(cwd));
  if (!checkout) {
    std::string root = ctx.store.StateDir();
    root = root.substr(0, root.find_last_of('/'));
    checkout = store::FindCheckout(root);
    if (!checkout) {
      return Fail(Code::kValidationFailed,
                  fmt::format("neither {} nor the graph's folder {} is in a git "
                              "checkout; run it in the repository",
                              cwd, root));
    }
  }
  TG_ASSIGN(auto list, git::ListWorktrees(checkout->top));
  TG_ASSIGN(auto reader, ctx.store.Read());
  std::vector<WorktreeRow> rows;
  for (const auto& w : list) {
    WorktreeRow row{w.path, w.branch, std::nullopt, w.head};
    if (w.branch && w.branch->starts_with("tg-")) {
      TG_ASSIGN(auto matches, reader->MatchIds(store::Entity::kTask, *w.branch, 2));
      if (matches.size() == 1 && matches.front().hash_id == *w.branch) {
        TG_ASSIGN(row.task, reader->GetTask(matches.front().id));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tg::app
