// The versioned graph's primitives on SQLite: commits by id prefix, author and time, a range
// of commits with their records, one row by key, and the one generic write (a row change,
// recorded by the session like every other write). Also the throwaway in-memory store that
// --as-of reads: the graph rebuilt from history records, whatever store they came from.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/change_checks.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

Result<std::vector<tg::Commit>> VersionedCommits(Stmt& st) {
  std::vector<tg::Commit> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadCommit(st));
  }
  return out;
}

std::string WhereKey(const std::vector<Cell>& key, int first) {
  std::string where;
  for (size_t i = 0; i < key.size(); ++i) {
    where += fmt::format("{}\"{}\" IS ?{}", i ? " AND " : "", key[i].column, first + int(i));
  }
  return where;
}

// One row change as SQL on `db`; `cols` are the table's live columns (names are checked
// against them, so no name from a record reaches SQL unchecked). Rows it should touch that
// are not there are STORE_CORRUPT: callers check first.
Status RunChange(Db& db, const Change& c, const std::vector<std::string>& cols) {
  TG_TRY(CheckKnownColumns(c.table, cols, c.key));
  TG_TRY(CheckKnownColumns(c.table, cols, c.after));
  std::string sql;
  std::vector<const Value*> binds;
  switch (c.op) {
    case ChangeOp::kInsert: {
      std::string names, marks;
      for (size_t i = 0; i < c.after.size(); ++i) {
        names += fmt::format("{}\"{}\"", i ? ", " : "", c.after[i].column);
        marks += fmt::format("{}?{}", i ? ", " : "", i + 1);
        binds.push_back(&c.after[i].value);
      }
      sql = fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", c.table, names, marks);
      break;
    }
    case ChangeOp::kUpdate: {
      if (c.after.empty()) return Ok();
      std::string sets;
      for (size_t i = 0; i < c.after.size(); ++i) {
        sets += fmt::format("{}\"{}\" = ?{}", i ? ", " : "", c.after[i].column, i + 1);
        binds.push_back(&c.after[i].value);
      }
      sql = fmt::format("UPDATE \"{}\" SET {} WHERE {}", c.table, sets,
                        WhereKey(c.key, int(c.after.size()) + 1));
      for (const auto& k : c.key) binds.push_back(&k.value);
      break;
    }
    case ChangeOp::kDelete:
      sql = fmt::format("DELETE FROM \"{}\" WHERE {}", c.table, WhereKey(c.key, 1));
      for (const auto& k : c.key) binds.push_back(&k.value);
      break;
  }
  TG_ASSIGN(Stmt st, db.Prepare(sql));
  for (size_t i = 0; i < binds.size(); ++i) BindValue(st, int(i) + 1, *binds[i]);
  TG_TRY(st.Run());
  if (db.Changes() != 1) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("a {} of a {} row found no such row", ToString(c.op), c.table));
  }
  return Ok();
}

Result<std::vector<std::string>> LiveColumns(Db& db, std::string_view table) {
  TG_ASSIGN(Stmt st, db.Prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid"));
  st.Bind(1, table);
  return st.Texts();
}

}  // namespace

Result<std::vector<tg::Commit>> SqliteTxn::MatchCommits(std::string_view prefix, int limit) {
  // A range on the unique index: ids are lowercase hex, and 'g' sorts after every hex digit.
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM commits c WHERE c.commit_id >= ?1 "
                                             "AND c.commit_id < ?1 || 'g' ORDER BY c.seq LIMIT ?2",
                                             kCommitCols)));
  st.Bind(1, prefix).Bind(2, int64_t{limit});
  return VersionedCommits(st);
}

Result<std::optional<tg::Commit>> SqliteTxn::CommitBefore(int64_t seq, int n) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM commits c WHERE c.seq < ? ORDER BY "
                                             "c.seq DESC LIMIT 1 OFFSET ?",
                                             kCommitCols)));
  st.Bind(1, seq).Bind(2, int64_t{n - 1});
  TG_ASSIGN(auto found, VersionedCommits(st));
  if (found.empty()) return std::optional<tg::Commit>();
  return std::optional<tg::Commit>(std::move(found.front()));
}

Status SqliteTxn::ForEachCommitBetween(
    int64_t after_seq, int64_t upto_seq,
    const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {}, c.changeset FROM commits c WHERE "
                                             "c.seq > ? AND c.seq <= ? ORDER BY c.seq",
                                             kCommitCols)));
  st.Bind(1, after_seq).Bind(2, upto_seq);
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    tg::Commit c = ReadCommit(st);
    TG_ASSIGN(auto changes, Decode(st.Blob(10)));
    TG_TRY(visit(c, changes));
  }
  return Ok();
}

Result<std::vector<tg::Commit>> SqliteTxn::CommitsBy(const std::optional<std::string>& author,
                                                     bool reverting_only, int limit) {
  std::string where = "1";
  if (author) where += " AND c.author = ?1";
  if (reverting_only) where += " AND c.reverts <> '[]'";
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM commits c WHERE {} ORDER BY c.seq "
                                             "DESC LIMIT ?2",
                                             kCommitCols, where)));
  if (author) st.Bind(1, *author);
  st.Bind(2, int64_t{limit});
  return VersionedCommits(st);
}

Result<std::optional<tg::Commit>> SqliteTxn::CommitAtOrBefore(Millis time) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM commits c WHERE c.time <= ? ORDER BY "
                                             "c.seq DESC LIMIT 1",
                                             kCommitCols)));
  st.Bind(1, FormatIso(time));
  TG_ASSIGN(auto found, VersionedCommits(st));
  if (found.empty()) return std::optional<tg::Commit>();
  return std::optional<tg::Commit>(std::move(found.front()));
}

Result<std::optional<Row>> SqliteTxn::GetRow(std::string_view table, const std::vector<Cell>& key) {
  TG_ASSIGN(auto cols, Columns(table));
  TG_TRY(CheckKnownColumns(table, cols, key));
  TG_ASSIGN(Stmt st,
            db_.Prepare(fmt::format("SELECT * FROM \"{}\" WHERE {}", table, WhereKey(key, 1))));
  for (size_t i = 0; i < key.size(); ++i) BindValue(st, int(i) + 1, key[i].value);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Row>();
  Row r;
  for (size_t i = 0; i < cols.size(); ++i) {
    sqlite3_value* v = st.Raw(static_cast<int>(i));
    Value value;
    switch (sqlite3_value_type(v)) {
      case SQLITE_INTEGER:
        value = sqlite3_value_int64(v);
        break;
      case SQLITE_FLOAT:
        value = sqlite3_value_double(v);
        break;
      case SQLITE_NULL:
        break;
      default:
        value = st.Text(static_cast<int>(i));
    }
    r.push_back({cols[i], std::move(value)});
  }
  return std::optional<Row>(std::move(r));
}

Result<int64_t> SqliteTxn::CountRows(std::string_view table, std::string_view column,
                                     const Value& value) {
  TG_ASSIGN(auto cols, Columns(table));
  TG_TRY(CheckKnownColumns(table, cols, {Cell{std::string(column), {}}}));
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT count(*) FROM \"{}\" WHERE \"{}\" = ?", table,
                                             column)));
  BindValue(st, 1, value);
  TG_ASSIGN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Status SqliteTxn::ApplyChange(const Change& c) {
  TG_TRY(RequireWrite());
  const auto& history = HistoryTables();
  if (std::find(history.begin(), history.end(), c.table) == history.end()) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("a change to '{}', which is not a history table", c.table));
  }
  TG_ASSIGN(auto cols, Columns(c.table));
  TG_TRY(RunChange(db_, c, cols));
  for (const auto* cells : {&c.key, &c.after, &c.before}) {
    for (const auto& cell : *cells) {
      const auto* id = std::get_if<std::string>(&cell.value);
      if (id && (cell.column == "task_id" || cell.column == "from_task_id" ||
                 cell.column == "to_task_id")) {
        TG_TRY(Touch(*id));
      }
    }
  }
  return Ok();
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::OpenMemory(
    const Config& config, const std::string& state_dir, Millis now,
    const std::function<Status(const std::function<Status(const Change&)>&)>& history) {
  auto clock = std::make_unique<FixedClock>(now);
  std::unique_ptr<SqliteStore> s(new SqliteStore(*clock));
  s->own_clock_ = std::move(clock);
  s->config_ = config;
  s->memory_state_dir_ = state_dir;
  s->read_only_ = true;
  TG_ASSIGN(s->db_, Db::Open(":memory:", /*create=*/true, 0));
  TG_TRY(Migrate(*s->db_));
  // Records within a commit come in table order, not in the order references need; the rows
  // are whole again at the end of each commit.
  TG_TRY(s->db_->Exec("PRAGMA foreign_keys=OFF; BEGIN"));
  std::map<std::string, std::vector<std::string>, std::less<>> columns;
  TG_TRY(history([&](const Change& c) -> Status {
    auto it = columns.find(c.table);
    if (it == columns.end()) {
      TG_ASSIGN(auto cols, LiveColumns(*s->db_, c.table));
      it = columns.emplace(c.table, std::move(cols)).first;
    }
    return RunChange(*s->db_, c, it->second);
  }));
  TG_TRY(s->db_->Exec("COMMIT"));
  return s;
}

void BindValue(Stmt& st, int i, const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    st.Bind(i, *s);
  } else {
    BindValueRef(st, i, v);
  }
}

void BindValueRef(Stmt& st, int i, const Value& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) {
    st.Bind(i, *n);
  } else if (const auto* d = std::get_if<double>(&v)) {
    st.BindReal(i, *d);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    st.BindRef(i, *s);
  } else {
    st.BindNull(i);
  }
}

}  // namespace tg::store::sqlite
