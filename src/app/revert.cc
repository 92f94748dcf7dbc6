// tg revert and tg undo: the inverse of commits' row changes, applied as one new commit, with
// conflicts decided on current values (contract section 12, docs/history.md). Derived state is
// recomputed by the domain rules afterwards, never copied from old rows.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/rules.h"
#include "app/versioned.h"
#include "core/limits.h"

namespace tg::app {

namespace {

using RvCells = std::map<std::string, store::Value>;

RvCells RvMap(const std::vector<store::Cell>& cells) {
  RvCells m;
  for (const auto& c : cells) m[c.column] = c.value;
  return m;
}

const store::Value* RvFind(const std::vector<store::Cell>& cells, std::string_view column) {
  for (const auto& c : cells) {
    if (c.column == column) return &c.value;
  }
  return nullptr;
}

int RvRank(std::string_view table) { return table == "plans" ? 0 : table == "tasks" ? 1 : 2; }

bool IsText(const store::Value& v, std::initializer_list<std::string_view> options) {
  const auto* s = std::get_if<std::string>(&v);
  return s && std::find(options.begin(), options.end(), *s) != options.end();
}

// Statuses the rules derive: todo and blocked are one state whose name depends on blockers; a
// plan's draft, active and done follow its tasks. A difference between them is recomputed, not
// a conflict.
store::Value Underlying(std::string_view table, std::string_view column, const store::Value& v) {
  if (table == "tasks" && column == "status" && IsText(v, {"blocked"})) return std::string("todo");
  return v;
}

bool Derived(std::string_view table, std::string_view column, const store::Value& a,
             const store::Value& b) {
  if (table == "tasks" && column == "status") {
    return IsText(a, {"todo", "blocked"}) && IsText(b, {"todo", "blocked"});
  }
  if (table == "plans" && column == "status") {
    return IsText(a, {"draft", "active", "done"}) && IsText(b, {"draft", "active", "done"});
  }
  return false;
}

class Reverter {
 public:
  Reverter(Context& ctx, store::Writer& w) : ctx_(ctx), w_(w) {}

  Status Take(const Commit& c, const std::vector<store::Change>& changes);
  Status Finish();

  std::vector<Conflict> conflicts;
  int changes = 0;

 private:
  Result<std::string> Owner(const store::Change& c);
  Status Clash(const Commit& c, const store::Change& ch, std::string_view column, std::string wrote,
               std::string now);
  void Note(const store::Change& c);

  Context& ctx_;
  store::Writer& w_;
  std::set<std::string> tasks_, plans_;
};

Result<std::string> Reverter::Owner(const store::Change& c) {
  if (c.table == "plans") {
    const auto* id = std::get_if<std::string>(&c.key.front().value);
    if (!id) return std::string("a plan");
    TG_ASSIGN(auto p, w_.GetPlan(*id));
    return p ? p->hash_id : *id;
  }
  auto task = TaskOfChange(c);
  if (!task) return std::string(c.table);
  TG_ASSIGN(auto t, w_.GetTask(*task));
  if (t) return t->hash_id;
  const auto* hash = RvFind(c.before, "hash_id");
  if (!hash) hash = RvFind(c.after, "hash_id");
  return hash ? DisplayValue(*hash) : *task;
}

Status Reverter::Clash(const Commit& c, const store::Change& ch, std::string_view column,
                       std::string wrote, std::string now) {
  TG_ASSIGN(std::string owner, Owner(ch));
  conflicts.push_back({c.commit_id, ch.table, column.empty() ? "row" : FieldName(ch.table, column),
                       owner, std::move(wrote), std::move(now)});
  return Ok();
}

void Reverter::Note(const store::Change& c) {
  if (auto t = TaskOfChange(c)) tasks_.insert(*t);
  for (const auto* cells : {&c.key, &c.after, &c.before}) {
    for (const auto& cell : *cells) {
      const auto* s = std::get_if<std::string>(&cell.value);
      if (!s) continue;
      if (cell.column == "from_task_id") tasks_.insert(*s);
      if (cell.column == "plan_id") plans_.insert(*s);
    }
  }
}

Status Reverter::Take(const Commit& c, const std::vector<store::Change>& records) {
  std::vector<store::Change> inserts, updates, deletes;
  const std::string now_text = FormatIso(w_.Now());
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    const store::Change& ch = *it;
    TG_ASSIGN(auto row, w_.GetRow(ch.table, ch.key));
    RvCells cur = row ? RvMap(*row) : RvCells{};
    auto now_of = [&](const std::string& col) {
      auto f = cur.find(col);
      return f == cur.end() ? store::Value{} : f->second;
    };
    switch (ch.op) {
      case store::ChangeOp::kInsert: {
        if (!row) break;  // gone already: as it was before the commit
        bool clash = false;
        for (const auto& cell : ch.after) {
          if (store::IsBookkeepingColumn(ch.table, cell.column)) continue;
          store::Value now = now_of(cell.column);
          if (Underlying(ch.table, cell.column, now) ==
              Underlying(ch.table, cell.column, cell.value)) {
            continue;
          }
          if (Derived(ch.table, cell.column, cell.value, now)) continue;
          TG_TRY(Clash(c, ch, cell.column, DisplayValue(cell.value), DisplayValue(now)));
          clash = true;
        }
        if (!clash) deletes.push_back({ch.table, store::ChangeOp::kDelete, ch.key, *row, {}});
        break;
      }
      case store::ChangeOp::kUpdate: {
        if (!row) {
          TG_TRY(Clash(c, ch, "", "changes", "the row no longer exists"));
          break;
        }
        store::Change up{ch.table, store::ChangeOp::kUpdate, ch.key, {}, {}};
        for (const auto& cell : ch.after) {
          if (store::IsBookkeepingColumn(ch.table, cell.column)) continue;
          const store::Value* b = RvFind(ch.before, cell.column);
          store::Value before = b ? *b : store::Value{};
          store::Value now = now_of(cell.column);
          if (Underlying(ch.table, cell.column, now) ==
              Underlying(ch.table, cell.column, cell.value)) {
            if (now != before) {
              up.before.push_back({cell.column, now});
              up.after.push_back({cell.column, before});
            }
          } else if (now == before || Derived(ch.table, cell.column, cell.value, before)) {
            // Already as it was, or a status the rules derive (recomputed in Finish).
          } else {
            TG_TRY(Clash(c, ch, cell.column, DisplayValue(cell.value), DisplayValue(now)));
          }
        }
        if (up.after.empty()) break;
        for (const auto& [col, v] : cur) {
          if (store::IsBookkeepingColumn(ch.table, col)) {
            up.before.push_back({col, v});
            up.after.push_back({col, now_text});
          }
        }
        updates.push_back(std::move(up));
        break;
      }
      case store::ChangeOp::kDelete: {
        if (!row) {
          inserts.push_back({ch.table, store::ChangeOp::kInsert, ch.key, {}, ch.before});
          break;
        }
        for (const auto& cell : ch.before) {
          if (store::IsBookkeepingColumn(ch.table, cell.column)) continue;
          store::Value now = now_of(cell.column);
          if (now != cell.value) {
            TG_TRY(Clash(c, ch, cell.column, "(deleted)", DisplayValue(now)));
          }
        }
        break;
      }
    }
  }
  // Parents before children on the way in, children before parents on the way out.
  std::stable_sort(inserts.begin(), inserts.end(),
                   [](const auto& a, const auto& b) { return RvRank(a.table) < RvRank(b.table); });
  std::stable_sort(deletes.begin(), deletes.end(),
                   [](const auto& a, const auto& b) { return RvRank(a.table) > RvRank(b.table); });
  std::vector<store::Change> kept_inserts;
  for (auto& ins : inserts) {
    bool ok = true;
    for (const auto& ref : store::References()) {
      if (ref.child != ins.table) continue;
      const store::Value* v = RvFind(ins.after, ref.column);
      if (!v || std::holds_alternative<std::monostate>(*v)) continue;
      bool coming = std::any_of(kept_inserts.begin(), kept_inserts.end(), [&](const auto& k) {
        return k.table == ref.parent && RvFind(k.key, ref.parent_key) &&
               *RvFind(k.key, ref.parent_key) == *v;
      });
      if (coming) continue;
      TG_ASSIGN(auto parent, w_.GetRow(ref.parent, {store::Cell{std::string(ref.parent_key), *v}}));
      if (!parent) {
        TG_TRY(Clash(c, ins, ref.column, DisplayValue(*v), "(no longer exists)"));
        ok = false;
      }
    }
    if (ok) kept_inserts.push_back(std::move(ins));
  }
  std::vector<store::Change> kept_deletes;
  for (auto& del : deletes) {
    bool ok = true;
    for (const auto& ref : store::References()) {
      if (ref.parent != del.table) continue;
      const store::Value* v = RvFind(del.key, ref.parent_key);
      if (!v) continue;
      TG_ASSIGN(int64_t refs, w_.CountRows(ref.child, ref.column, *v));
      for (const auto& k : kept_deletes) {
        const store::Value* kv = RvFind(k.before, ref.column);
        if (k.table == ref.child && kv && *kv == *v) --refs;
      }
      if (refs > 0) {
        TG_TRY(Clash(
            c, del, "", "(created)",
            fmt::format("{} later {} row{} refer to it", refs, ref.child, refs == 1 ? "" : "s")));
        ok = false;
        break;
      }
    }
    if (ok) kept_deletes.push_back(std::move(del));
  }
  for (const auto& ins : kept_inserts) {
    if (ins.table == "edges" &&
        IsText(RvFind(ins.after, "type") ? *RvFind(ins.after, "type") : store::Value{},
               {"blocks"})) {
      const auto* from = std::get_if<std::string>(RvFind(ins.after, "from_task_id"));
      const auto* to = std::get_if<std::string>(RvFind(ins.after, "to_task_id"));
      if (from && to) {
        TG_ASSIGN(auto a, w_.GetTask(*from));
        TG_ASSIGN(auto b, w_.GetTask(*to));
        if (a && b) {
          auto cycle = CheckNoCycle(w_, *a, *b);
          if (!cycle) {
            if (cycle.error().code != Code::kCycleDetected) return cycle;
            TG_TRY(Clash(c, ins, "", fmt::format("{} blocks {}", a->hash_id, b->hash_id),
                         "it would close a blocking cycle"));
            continue;
          }
        }
      }
    }
    TG_TRY(w_.ApplyChange(ins));
    Note(ins);
    ++changes;
  }
  for (const auto& up : updates) {
    TG_TRY(w_.ApplyChange(up));
    Note(up);
    ++changes;
  }
  for (const auto& del : kept_deletes) {
    // Leases are not history, but they hang on the task.
    if (del.table == "tasks") {
      if (const auto* id = std::get_if<std::string>(RvFind(del.key, "task_id"))) {
        TG_TRY(w_.DeleteLease(*id));
      }
    }
    TG_TRY(w_.ApplyChange(del));
    Note(del);
    ++changes;
  }
  return Ok();
}

Status Reverter::Finish() {
  for (const auto& id : tasks_) {
    TG_ASSIGN(auto t, w_.GetTask(id));
    if (!t) continue;
    plans_.insert(t->plan_id);
    // A claim belongs to a doing task, and a doing task to its claimant: cells a --force kept
    // may have split them.
    if (t->status == TaskStatus::kDoing && !t->claimed_by) {
      TG_TRY(EndClaim(w_, *t, TaskStatus::kTodo));
    } else if (t->status != TaskStatus::kDoing &&
               (t->claimed_by || t->claimed_at || t->lease_expires_at)) {
      TG_TRY(EndClaim(w_, *t, t->status));
    } else if (t->status == TaskStatus::kDoing && !t->lease_expires_at) {
      // A claim a revert brings back gets a fresh lease: the old one was not history.
      TG_TRY(w_.SetLease(t->task_id, w_.Now() + LeaseLength(ctx_, std::nullopt)));
    }
  }
  for (const auto& id : tasks_) {
    TG_TRY(SyncBlocked(w_, ctx_.ids, id, ctx_.agent));
    TG_TRY(SyncDependents(w_, ctx_.ids, id, ctx_.agent));
  }
  for (const auto& id : plans_) {
    TG_ASSIGN(bool done, SettlePlan(w_, id));
    (void)done;
  }
  return Ok();
}

Error ConflictError(const std::vector<Conflict>& conflicts, std::string_view what,
                    std::string_view verb) {
  std::vector<ErrorDetail> details;
  std::string list;
  for (size_t i = 0; i < conflicts.size(); ++i) {
    const auto& c = conflicts[i];
    details.push_back({{"commit_id", c.commit_id},
                       {"task", c.task},
                       {"table", c.table},
                       {"field", c.field},
                       {"wrote", c.wrote},
                       {"now", c.now}});
    if (i < 3) {
      list += fmt::format("{}{} {} (wrote '{}', now '{}')", i ? ", " : "", c.task, c.field, c.wrote,
                          c.now);
    }
  }
  if (conflicts.size() > 3) list += fmt::format(" and {} more", conflicts.size() - 3);
  return Error{Code::kMergeConflict,
               fmt::format("{} cell{} changed since {}: {}; nothing was written; use --force "
                           "to {} the rest and keep the current values",
                           conflicts.size(), conflicts.size() == 1 ? "" : "s", what, list, verb),
               std::move(details)};
}

Status RefuseUncommitted(Context& ctx, store::Reader& r) {
  if (ctx.commit.no_commit) {
    return Fail(Code::kUsage, "revert and undo always write a commit; drop --no-commit");
  }
  TG_ASSIGN(auto pending, r.PendingCommit());
  if (pending) {
    return Fail(Code::kValidationFailed,
                "a --no-commit change is pending; commit it first (any command without "
                "--no-commit does), then revert or undo");
  }
  return Ok();
}

Result<std::vector<store::Change>> RecordsOf(store::Reader& r, const Commit& c) {
  std::vector<store::Change> out;
  TG_TRY(r.ForEachCommitBetween(c.seq - 1, c.seq,
                                [&](const Commit&, const std::vector<store::Change>& ch) {
                                  out = ch;
                                  return Ok();
                                }));
  return out;
}

// Takes `commits` (newest first) back in `w` and commits, unless a dry run or a conflict
// without force stops it first.
Result<RevertOutcome> TakeBack(Context& ctx, std::unique_ptr<store::Writer> w,
                               std::vector<Commit> commits, bool force, bool dry_run, bool undo,
                               std::string what, std::string message) {
  RevertOutcome out;
  out.dry_run = dry_run;
  Reverter rv(ctx, *w);
  for (const auto& c : commits) {
    TG_ASSIGN(auto records, RecordsOf(*w, c));
    TG_TRY(rv.Take(c, records));
  }
  TG_TRY(rv.Finish());
  out.reverted = std::move(commits);
  out.changes = rv.changes;
  if (!rv.conflicts.empty() && !force && !dry_run) {
    return std::unexpected(ConflictError(rv.conflicts, what, undo ? "undo" : "revert"));
  }
  out.kept = std::move(rv.conflicts);
  if (dry_run) return out;  // dropping the writer rolls everything back
  store::CommitOptions opts = ctx.commit;
  for (const auto& c : out.reverted) opts.reverts.push_back(c.commit_id);
  opts.undo = undo;
  TG_ASSIGN(out.commit, w->Commit(ctx.agent, message, ctx.ids, opts));
  return out;
}

// Whether each commit's change is in place: not taken back by a commit whose own change is.
class Undone {
 public:
  static Result<Undone> Load(store::Reader& r) {
    Undone u;
    TG_ASSIGN(auto reverting, r.CommitsBy(std::nullopt, true, -1));
    for (const auto& c : reverting) {
      for (const auto& id : c.reverts) u.by_[id].push_back(c.commit_id);
    }
    return u;
  }
  bool IsUndone(const std::string& id) {
    auto it = by_.find(id);
    if (it == by_.end()) return false;
    for (const auto& r : it->second) {
      if (!IsUndone(r)) return true;
    }
    return false;
  }

 private:
  std::map<std::string, std::vector<std::string>> by_;
};

}  // namespace

Result<RevertOutcome> Revert(Context& ctx, std::string_view commit_ref, bool force) {
  TG_ASSIGN(auto w, ctx.store.Write(ctx.holder));
  TG_TRY(RefuseUncommitted(ctx, *w));
  TG_ASSIGN(Commit c, ResolveCommit(*w, commit_ref));
  std::string message = fmt::format("revert {}: {}", c.commit_id, c.message);
  std::string what = fmt::format("commit {} wrote them", c.commit_id);
  return TakeBack(ctx, std::move(w), {c}, force, false, false, what, message);
}

Result<RevertOutcome> Undo(Context& ctx, const UndoQuery& q) {
  TG_TRY(CheckRange("--last", q.last, kUndoLastRange));
  std::string agent = q.agent.value_or(ctx.agent);
  TG_ASSIGN(auto w, ctx.store.Write(ctx.holder));
  if (!q.dry_run) TG_TRY(RefuseUncommitted(ctx, *w));
  TG_ASSIGN(Undone undone, Undone::Load(*w));
  TG_ASSIGN(auto mine, w->CommitsBy(agent, false, -1));
  std::vector<Commit> picked;
  for (auto& c : mine) {
    if (static_cast<int>(picked.size()) >= q.last) break;
    if (c.undo || undone.IsUndone(c.commit_id)) continue;
    picked.push_back(std::move(c));
  }
  if (picked.empty()) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} has no commit left to undo (undos and commits already undone "
                            "are skipped); see `tg log`",
                            agent));
  }
  std::string ids;
  for (size_t i = 0; i < picked.size(); ++i) ids += (i ? ", " : "") + picked[i].commit_id;
  std::string message = picked.size() == 1
                            ? fmt::format("undo {}: {}", ids, picked.front().message)
                            : fmt::format("undo {} commits of {}: {}", picked.size(), agent, ids);
  std::string what = fmt::format("the undone commit{} wrote them", picked.size() == 1 ? "" : "s");
  return TakeBack(ctx, std::move(w), std::move(picked), q.force, q.dry_run, true, what, message);
}

}  // namespace tg::app
