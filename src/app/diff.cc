// tg diff and --as-of: commits by what the user typed, and the row changes between two of them.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "app/resolve.h"
#include "app/versioned.h"

namespace tg::app {

namespace {

bool IsHex(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit((unsigned char)c); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<Commit> CommitById(store::Reader& r, std::string_view input, std::string_view whole) {
  if (Lower(input) == "head") {
    TG_ASSIGN(auto last, r.CommitsBy(std::nullopt, false, 1));
    if (last.empty()) return Fail(Code::kValidationFailed, "there are no commits yet");
    return last.front();
  }
  std::string prefix = Lower(input);
  if (prefix.size() < 4 || !IsHex(prefix)) {
    return Fail(Code::kValidationFailed,
                fmt::format("'{}' is not a commit: give HEAD or at least 4 hex digits of a "
                            "commit id (see `tg log`)",
                            whole));
  }
  TG_ASSIGN(auto found, r.MatchCommits(prefix, 6));
  if (found.empty()) {
    return Fail(Code::kValidationFailed,
                fmt::format("no commit id starts with '{}'; see `tg log`", input));
  }
  if (found.size() > 1) {
    std::vector<ErrorDetail> details;
    std::string list;
    for (size_t i = 0; i < found.size() && i < 5; ++i) {
      details.push_back({{"commit_id", found[i].commit_id}, {"message", found[i].message}});
      list += (i ? ", " : "") + found[i].commit_id;
    }
    return Fail(Code::kAmbiguousId,
                fmt::format("commit '{}' is ambiguous: {}; give more digits", input, list),
                std::move(details));
  }
  return found.front();
}

using CellMap = std::map<std::string, store::Value>;

CellMap ToMap(const std::vector<store::Cell>& cells) {
  CellMap m;
  for (const auto& c : cells) m[c.column] = c.value;
  return m;
}

std::vector<store::Cell> ToCells(const CellMap& m) {
  std::vector<store::Cell> out;
  for (const auto& [k, v] : m) out.push_back({k, v});
  return out;
}

// One row's net change over a range: whether it existed before and after, and its cells.
struct Net {
  store::Change first;  // table and key
  int commit = 0;       // the range's commit that first changed the row (1, 2, ...)
  bool existed = false, exists = false;
  CellMap before, after;  // existed: the changed columns' first values (deletes: whole row)
};

// Where a table's rows come in a commit's changes: the task's own row, its edges, gates and
// labels, its events, then plans. Stores keep a commit's records in different orders (the
// SQLite session by table, PostgreSQL by statement), so diff sets its own.
int TableRank(std::string_view table) {
  static constexpr std::string_view kOrder[] = {"tasks",       "edges",  "gates", "task_docs",
                                                "task_skills", "events", "plans"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == table) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

std::string RowKey(const store::Change& c) {
  std::string k = c.table;
  for (const auto& cell : c.key) k += '\x1f' + store::FormatValue(cell.value);
  return k;
}

void Fold(Net& n, const store::Change& c) {
  switch (c.op) {
    case store::ChangeOp::kInsert:
      n.exists = true;
      n.after = ToMap(c.after);
      break;
    case store::ChangeOp::kUpdate:
      for (const auto& cell : c.before) n.before.try_emplace(cell.column, cell.value);
      for (const auto& cell : c.after) n.after[cell.column] = cell.value;
      break;
    case store::ChangeOp::kDelete:
      for (const auto& cell : c.before) n.before.try_emplace(cell.column, cell.value);
      n.exists = false;
      n.after.clear();
      break;
  }
}

std::optional<store::Change> NetChange(const Net& n) {
  store::Change out;
  out.table = n.first.table;
  out.key = n.first.key;
  if (!n.existed && !n.exists) return std::nullopt;
  if (!n.existed) {
    out.op = store::ChangeOp::kInsert;
    out.after = ToCells(n.after);
  } else if (!n.exists) {
    out.op = store::ChangeOp::kDelete;
    out.before = ToCells(n.before);
  } else {
    out.op = store::ChangeOp::kUpdate;
    for (const auto& [col, b] : n.before) {
      auto it = n.after.find(col);
      if (it == n.after.end() || it->second == b) continue;
      out.before.push_back({col, b});
      out.after.push_back({col, it->second});
    }
    if (out.after.empty()) return std::nullopt;
  }
  return out;
}

}  // namespace

Result<Commit> ResolveCommit(store::Reader& r, std::string_view input) {
  std::string_view base = input;
  int back = 0;
  if (auto tilde = input.find('~'); tilde != std::string_view::npos) {
    base = input.substr(0, tilde);
    std::string_view n = input.substr(tilde + 1);
    if (n.empty()) {
      back = 1;
    } else if (n.size() <= 6 && std::all_of(n.begin(), n.end(), ::isdigit)) {
      back = std::stoi(std::string(n));
    } else {
      return Fail(Code::kValidationFailed,
                  fmt::format("'{}': after ~ give a number of commits, e.g. HEAD~2", input));
    }
  } else {
    while (!base.empty() && base.back() == '^') {
      base.remove_suffix(1);
      ++back;
    }
  }
  TG_ASSIGN(Commit c, CommitById(r, base, input));
  if (back == 0) return c;
  // History is one chain: N parents back is N commits earlier.
  TG_ASSIGN(auto earlier, r.CommitBefore(c.seq, back));
  if (!earlier) {
    return Fail(Code::kValidationFailed,
                fmt::format("'{}' goes back past the first commit", input));
  }
  c = std::move(*earlier);
  return c;
}

std::string FieldName(std::string_view table, std::string_view column) {
  if (table == "task_docs" && column == "doc") return "domain";
  return std::string(column);
}

std::string DisplayValue(const store::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "(none)";
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return store::FormatValue(v);
}

std::optional<std::string> TaskOfChange(const store::Change& c) {
  if (c.table == "plans") return std::nullopt;
  const char* column = c.table == "tasks"   ? "task_id"
                       : c.table == "edges" ? "to_task_id"
                                            : "task_id";
  for (const auto* cells : {&c.key, &c.after, &c.before}) {
    for (const auto& cell : *cells) {
      if (cell.column == column) {
        if (const auto* s = std::get_if<std::string>(&cell.value)) return *s;
      }
    }
  }
  return std::nullopt;
}

Result<DiffResult> Diff(Context& ctx, const DiffQuery& q) {
  TG_ASSIGN(auto r, ctx.store.Read());
  DiffResult out;
  if (!q.from && !q.to) {
    TG_ASSIGN(auto last, r->CommitsBy(std::nullopt, false, 1));
    if (!last.empty()) {
      out.to = last.front();
      if (out.to->parent) {
        TG_ASSIGN(auto parent, r->MatchCommits(*out.to->parent, 1));
        if (!parent.empty()) out.from = parent.front();
      }
    }
  } else {
    if (q.from) {
      TG_ASSIGN(out.from, ResolveCommit(*r, *q.from));
    }
    if (q.to) {
      TG_ASSIGN(out.to, ResolveCommit(*r, *q.to));
    } else {
      TG_ASSIGN(auto last, r->CommitsBy(std::nullopt, false, 1));
      if (!last.empty()) out.to = last.front();
    }
  }
  if (!out.to) return out;
  int64_t after = out.from ? out.from->seq : 0;
  if (out.to->seq < after) {
    return Fail(Code::kValidationFailed,
                fmt::format("commit {} comes before {}: give the older commit first",
                            out.to->commit_id, out.from->commit_id));
  }
  std::optional<std::string> task_id;
  if (q.task) {
    TG_ASSIGN(Task t, ResolveTask(*r, *q.task));
    task_id = t.task_id;
  }
  std::map<std::string, size_t> index;
  std::vector<Net> nets;
  TG_TRY(r->ForEachCommitBetween(
      after, out.to->seq, [&](const Commit&, const std::vector<store::Change>& changes) -> Status {
        ++out.commits;
        for (const auto& c : changes) {
          if (task_id) {
            bool about = TaskOfChange(c) == task_id;
            if (c.table == "edges") {
              for (const auto& k : c.key) {
                if (k.column == "from_task_id" && k.value == store::Value(*task_id)) about = true;
              }
            }
            if (!about) continue;
          }
          std::string k = RowKey(c);
          auto it = index.find(k);
          if (it == index.end()) {
            it = index.emplace(k, nets.size()).first;
            Net n;
            n.first = c;
            n.commit = out.commits;
            n.existed = n.exists = c.op != store::ChangeOp::kInsert;
            nets.push_back(std::move(n));
          }
          Fold(nets[it->second], c);
        }
        return Ok();
      }));
  std::stable_sort(nets.begin(), nets.end(), [](const Net& a, const Net& b) {
    if (a.commit != b.commit) return a.commit < b.commit;
    return TableRank(a.first.table) < TableRank(b.first.table);
  });
  for (const auto& n : nets) {
    if (auto c = NetChange(n)) out.changes.push_back(std::move(*c));
  }
  // Names for people: the current short id and title, or those the history recorded for a row
  // that no longer exists.
  for (const auto& c : out.changes) {
    std::vector<std::pair<std::string, bool>> ids;  // id, is a plan
    if (c.table == "plans") {
      for (const auto& k : c.key) {
        if (const auto* s = std::get_if<std::string>(&k.value)) ids.push_back({*s, true});
      }
    } else if (auto t = TaskOfChange(c)) {
      ids.push_back({*t, false});
    }
    if (c.table == "edges") {
      for (const auto& k : c.key) {
        const auto* s = std::get_if<std::string>(&k.value);
        if (s && k.column == "from_task_id") ids.push_back({*s, false});
      }
    }
    for (const auto& [id, plan] : ids) {
      if (out.names.contains(id)) continue;
      NameOf name{id.substr(0, 8), ""};
      if (plan) {
        TG_ASSIGN(auto p, r->GetPlan(id));
        if (p) name = {p->hash_id, p->title};
      } else {
        TG_ASSIGN(auto t, r->GetTask(id));
        if (t) name = {t->hash_id, t->title};
      }
      if (name.title.empty() && (c.table == "plans" || c.table == "tasks")) {
        for (const auto* cells : {&c.before, &c.after}) {
          for (const auto& cell : *cells) {
            if (cell.column == "hash_id") name.hash_id = DisplayValue(cell.value);
            if (cell.column == "title") name.title = DisplayValue(cell.value);
          }
        }
      }
      out.names[id] = name;
    }
  }
  return out;
}

Result<std::unique_ptr<store::Store>> AsOf(store::Store& live, std::string_view at) {
  std::optional<Commit> commit;
  Millis now = 0;
  {
    TG_ASSIGN(auto r, live.Read());
    if (auto t = ParseIso(at)) {
      TG_ASSIGN(commit, r->CommitAtOrBefore(*t));
      now = *t;
    } else {
      TG_ASSIGN(Commit c, ResolveCommit(*r, at));
      commit = c;
      now = c.time;
    }
  }
  return store::MaterializeAt(live, commit ? commit->seq : 0, now);
}

}  // namespace tg::app
