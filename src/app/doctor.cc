#include "app/doctor.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/graph.h"
#include "core/text.h"

namespace tg::app {

namespace {

void Add(std::vector<Finding>& out, const char* check, std::string message,
         std::vector<std::string> rows) {
  if (!rows.empty()) out.push_back({check, std::move(message), std::move(rows)});
}

// A row's key as one string, for maps of rows.
std::string KeyOf(const std::vector<store::Cell>& key) {
  std::string s;
  for (const auto& c : key) s += store::FormatValue(c.value) + '\x1f';
  return s;
}

using Cells = std::map<std::string, store::Value>;         // column -> value
using Table = std::map<std::string, Cells>;                // key -> row
using Tables = std::map<std::string, Table, std::less<>>;  // table -> rows

// Applies one change to the replayed tables; an error message when the change does not fit
// what history built so far (history is not self-consistent).
std::optional<std::string> Apply(Tables& tables, const store::Change& c) {
  Table& t = tables[c.table];
  std::string key = KeyOf(c.key);
  auto it = t.find(key);
  switch (c.op) {
    case store::ChangeOp::kInsert: {
      if (it != t.end())
        return fmt::format("a commit inserts a {} row that already exists", c.table);
      Cells& row = t[key];
      for (const auto& cell : c.after) row[cell.column] = cell.value;
      return std::nullopt;
    }
    case store::ChangeOp::kUpdate:
      if (it == t.end())
        return fmt::format("a commit updates a {} row that does not exist", c.table);
      for (const auto& cell : c.before) {
        if (it->second[cell.column] != cell.value) {
          return fmt::format("a commit changes {}.{} from a value it never had", c.table,
                             cell.column);
        }
      }
      for (const auto& cell : c.after) it->second[cell.column] = cell.value;
      return std::nullopt;
    case store::ChangeOp::kDelete:
      if (it == t.end())
        return fmt::format("a commit deletes a {} row that does not exist", c.table);
      t.erase(it);
      return std::nullopt;
  }
  return std::nullopt;
}

// Text an older tg let in, or that was written behind tg's back: invalid UTF-8 (JSON output
// shows it as U+FFFD) or control characters (human output shows them escaped). Collected while
// history is replayed, which reads every row and commit anyway.
class TextFinder {
 public:
  static constexpr size_t kListed = 50;

  void Row(std::string_view table, const store::Row& row) {
    for (const auto& cell : row) {
      const auto* text = std::get_if<std::string>(&cell.value);
      if (text && TextProblem(*text, TextKind::kMultiLine)) {
        Add(fmt::format("{}.{} of {}", table, cell.column, Name(row)));
      }
    }
  }

  void Commit(const tg::Commit& c) {
    for (const auto* text : {&c.author, &c.message}) {
      if (TextProblem(*text, TextKind::kMultiLine)) {
        Add(fmt::format("the {} of commit {}", text == &c.author ? "author" : "message",
                        c.pending ? "pending" : c.commit_id));
      }
    }
  }

  void Report(std::vector<Finding>& out) {
    if (rows_.empty()) return;
    if (more_ > 0) rows_.push_back(fmt::format("and {} more", more_));
    out.push_back({"text",
                   "text that is not valid UTF-8 or holds control characters (JSON output shows "
                   "invalid bytes as U+FFFD, human output escapes control characters); correct "
                   "it, e.g. with `tg task update <id> --title ...`",
                   std::move(rows_)});
  }

 private:
  static std::string Name(const store::Row& row) {
    for (const char* key : {"hash_id", "commit_id", "event_id", "task_id", "plan_id"}) {
      for (const auto& cell : row) {
        if (cell.column == key) return store::FormatValue(cell.value);
      }
    }
    return row.empty() ? "a row" : store::FormatValue(row.front().value);
  }

  void Add(std::string where) {
    if (rows_.size() < kListed) {
      rows_.push_back(std::move(where));
    } else {
      ++more_;
    }
  }

  std::vector<std::string> rows_;
  size_t more_ = 0;
};

}  // namespace

Status CheckGraph(store::Reader& r, std::vector<Finding>& out) {
  TG_ASSIGN(auto tasks, r.AllTasks());
  TG_ASSIGN(auto edges, r.ListEdges(std::nullopt));
  TG_ASSIGN(auto gates, r.ListGates(false, std::nullopt));
  store::PlanListFilter all;
  all.include_abandoned = true;
  TG_ASSIGN(auto plans, r.ListPlans(all));

  std::map<std::string, const Task*> by_id;
  for (const auto& t : tasks) by_id[t.task_id] = &t;
  // The unmet-blocker rule, recomputed from raw rows (core/model.h), against the materialised
  // statuses the store keeps.
  std::map<std::string, int> unmet;
  std::vector<std::pair<std::string_view, std::string_view>> blocking;
  for (const auto& e : edges) {
    if (e.type != EdgeType::kBlocks) continue;
    auto from = by_id.find(e.from_task_id), to = by_id.find(e.to_task_id);
    if (from == by_id.end() || to == by_id.end()) continue;  // foreign_keys reports these
    if (HoldsBack(from->second->status)) ++unmet[e.to_task_id];
    blocking.emplace_back(from->second->hash_id, to->second->hash_id);
  }
  for (const auto& g : gates) {
    if (HoldsBack(g.status)) ++unmet[g.task_id];
  }
  std::vector<std::string> should_block, should_unblock, no_claimant, stray_claim, stray_lease;
  std::map<std::string, StatusCounts> counts;
  for (const auto& t : tasks) {
    TaskStatus want = MaterializedStatus(t.status, unmet[t.task_id]);
    if (want == TaskStatus::kBlocked && t.status == TaskStatus::kTodo)
      should_block.push_back(t.hash_id);
    if (want == TaskStatus::kTodo && t.status == TaskStatus::kBlocked) {
      should_unblock.push_back(t.hash_id);
    }
    bool doing = t.status == TaskStatus::kDoing;
    if (doing && !t.claimed_by) no_claimant.push_back(t.hash_id);
    if (!doing && t.claimed_by) stray_claim.push_back(t.hash_id);
    if (!doing && t.lease_expires_at) stray_lease.push_back(t.hash_id);
    StatusCounts& c = counts[t.plan_id];
    switch (t.status) {
      case TaskStatus::kTodo:
        ++c.todo;
        break;
      case TaskStatus::kDoing:
        ++c.doing;
        break;
      case TaskStatus::kBlocked:
        ++c.blocked;
        break;
      case TaskStatus::kDone:
        ++c.done;
        break;
      case TaskStatus::kCanceled:
        ++c.canceled;
        break;
    }
  }
  Add(out, "blocked_status", "todo task with an unmet blocker (should be blocked)", should_block);
  Add(out, "blocked_status", "blocked task with no unmet blocker (should be todo)", should_unblock);
  Add(out, "claims", "doing task without a claimant", no_claimant);
  Add(out, "claims", "claim on a task that is not doing", stray_claim);
  Add(out, "claims", "lease on a task that is not doing", stray_lease);
  // The plan lifecycle rule (core/model.h), against the stored plan statuses.
  std::map<std::string, std::vector<std::string>> wrong_plans;  // "draft -> active": plans
  for (const auto& p : plans) {
    PlanStatus want = SettledPlanStatus(p.status, ProgressOf(counts[p.plan_id]));
    if (want != p.status) {
      wrong_plans[fmt::format("{} plan whose tasks make it {}", ToString(p.status), ToString(want))]
          .push_back(p.hash_id);
    }
  }
  for (auto& [message, rows] : wrong_plans) Add(out, "plan_status", message, std::move(rows));
  // Titles an older tg accepted (500 bytes on the command line) that `tg export markdown` cannot
  // write as a file import reads back.
  std::vector<std::string> bad_titles;
  for (const auto& t : tasks) {
    if (TitleProblem(t.title)) bad_titles.push_back(t.hash_id);
  }
  for (const auto& p : plans) {
    if (TitleProblem(p.title)) bad_titles.push_back(p.hash_id);
  }
  for (const auto& g : gates) {
    if (TitleProblem(g.name)) bad_titles.push_back(g.hash_id);
  }
  Add(out, "title",
      fmt::format("title outside the title rule (1 to {} characters of one line); shorten it "
                  "with `tg task update <id> --title ...`",
                  kMaxTitleChars),
      bad_titles);
  if (auto cycle = FindCycle(blocking)) {
    out.push_back({"cycle", "blocking cycle: " + FormatPath(*cycle), *cycle});
  }
  return Ok();
}

Status CheckHistory(store::Reader& r, std::vector<Finding>& out) {
  Tables replayed;
  std::optional<std::string> broken;
  TextFinder text;
  TG_TRY(r.ForEachCommit([&](const Commit& c, const std::vector<store::Change>& changes) -> Status {
    text.Commit(c);
    for (const auto& ch : changes) {
      if (broken) break;
      if (auto err = Apply(replayed, ch)) broken = fmt::format("{} (commit {})", *err, c.commit_id);
    }
    return Ok();
  }));
  if (broken) {
    out.push_back({"history", "history does not replay: " + *broken, {}});
    return Ok();
  }
  // Which tables are history comes from the live schema, not from the recorder: a table the
  // recorder leaves out shows up here as rows that replay does not produce.
  TG_ASSIGN(auto live, r.Tables());
  std::vector<std::string> differing;
  std::set<std::string> seen;
  for (const auto& table : live) {
    if (store::IsNonHistoryTable(table)) continue;
    seen.insert(table);
    TG_ASSIGN(auto rows, r.TableRows(table));
    for (const auto& row : rows) text.Row(table, row);
    // Compared as multisets of whole rows: equal rows in equal numbers mean equal tables.
    // A NULL cell and an absent one are the same: a column that a migration added is NULL in
    // older rows and missing from the history recorded before it.
    auto without_nulls = [](Cells cells) {
      std::erase_if(cells, [](const auto& kv) { return kv.second.index() == 0; });
      return cells;
    };
    std::multiset<Cells> a, b;
    for (const auto& row : rows) {
      Cells cells;
      for (const auto& c : row) cells[c.column] = c.value;
      a.insert(without_nulls(std::move(cells)));
    }
    if (auto it = replayed.find(table); it != replayed.end()) {
      for (const auto& [key, cells] : it->second) b.insert(without_nulls(cells));
    }
    if (a != b) differing.push_back(table);
  }
  for (const auto& [table, rows] : replayed) {
    if (!seen.contains(table) && !rows.empty()) differing.push_back(table);
  }
  if (!differing.empty()) {
    out.push_back({"history", "replaying history does not reproduce these tables", differing});
  }
  text.Report(out);
  return Ok();
}

Result<std::vector<Finding>> Doctor(Context& ctx) {
  TG_ASSIGN(auto out, ctx.store.CheckStorage());
  for (const auto& f : out) {
    if (f.check == "integrity") return out;  // nothing else can be trusted
  }
  TG_ASSIGN(auto r, ctx.store.Read());
  TG_TRY(CheckGraph(*r, out));
  TG_TRY(CheckHistory(*r, out));
  return out;
}

}  // namespace tg::app
