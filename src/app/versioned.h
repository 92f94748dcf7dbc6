// The versioned graph (contract section 12): diff between commits, revert and undo as new
// commits, and the graph as it was (--as-of). Written once above the store on its
// store-neutral history records (store/history.h); docs/history.md says how conflicts are
// decided.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/model.h"
#include "store/history.h"

namespace tg::app {

// A commit as typed: `HEAD` (the last), or a unique prefix of at least 4 hex digits of its id,
// either followed by `~N` or `^` (N commits before it, along its parents).
Result<Commit> ResolveCommit(store::Reader& r, std::string_view input);

// The name a history column has in the JSON shapes (docs/json.md): task_docs.doc is a task's
// "domain", task_skills.skill its "skill"; every other column has its own name.
std::string FieldName(std::string_view table, std::string_view column);
// A cell for people: text as it is, numbers, "(none)" for NULL.
std::string DisplayValue(const store::Value& v);
// The task a row change is about (a task row, or a row of one: events, gates, labels, the
// waiting end of an edge); nullopt for plans.
std::optional<std::string> TaskOfChange(const store::Change& c);

struct NameOf {
  std::string hash_id, title;
};

struct DiffQuery {
  std::optional<std::string> from, to;  // commit refs; both absent: the last commit alone
  std::optional<std::string> task;      // only changes about this task
};

struct DiffResult {
  std::optional<Commit> from;           // exclusive: the state after it is where the diff starts
  std::optional<Commit> to;             // inclusive
  int commits = 0;                      // commits in the range
  std::vector<store::Change> changes;   // netted per row over the range, in first-change order
  std::map<std::string, NameOf> names;  // task and plan ids -> short id and title
};

Result<DiffResult> Diff(Context& ctx, const DiffQuery& q);

// A cell that changed since the commit being taken back wrote it.
struct Conflict {
  std::string commit_id;  // the commit being taken back
  std::string table, field;
  std::string task;   // short id of the task (or plan) the row belongs to
  std::string wrote;  // what that commit wrote
  std::string now;    // what the cell holds now
};

struct RevertOutcome {
  std::vector<Commit> reverted;  // newest first
  std::vector<Conflict> kept;    // conflicts --force kept at their current values
  int changes = 0;               // row changes written
  bool dry_run = false;
  std::optional<store::CommitInfo> commit;
};

// One new commit that takes back `commit_ref`'s changes. MERGE_CONFLICT (nothing written)
// listing every conflict, unless `force`.
Result<RevertOutcome> Revert(Context& ctx, std::string_view commit_ref, bool force);

struct UndoQuery {
  std::optional<std::string> agent;  // whose commits; default: the acting agent
  int last = 1;
  bool dry_run = false;
  bool force = false;
};

// Takes back the agent's last N commits that are not undos and not undone, newest first, in
// one commit marked as an undo.
Result<RevertOutcome> Undo(Context& ctx, const UndoQuery& q);

// --as-of <commit|ISO time>: the graph as it was right after that commit (or the last commit
// at or before that time), as a read-only store.
Result<std::unique_ptr<store::Store>> AsOf(store::Store& live, std::string_view at);

}  // namespace tg::app
