// Reading history: the commit log, the pending --no-commit record, and each commit's row
// changes decoded from the session changeset it stores into store-neutral records.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

Value ToValue(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
      return sqlite3_value_int64(v);
    case SQLITE_FLOAT:
      return sqlite3_value_double(v);
    case SQLITE_TEXT:
    case SQLITE_BLOB:
      return std::string(reinterpret_cast<const char*>(sqlite3_value_blob(v)),
                         static_cast<size_t>(sqlite3_value_bytes(v)));
    default:
      return std::monostate{};
  }
}

Value ColumnValue(const Stmt& st, int col) {
  sqlite3_value* v = st.Raw(col);
  return v ? ToValue(v) : Value{};
}

constexpr int kAfterCommitCols = 10;  // the columns of kCommitCols (rows.h)

// The log's extra columns: up to kLogTasks touched tasks as a JSON list of [hash_id, title],
// and how many there are (commit_tasks_seq makes both a short index range per commit).
constexpr int kLogTasks = 3;
const std::string& LogCols() {
  static const std::string cols = fmt::format(
      "{}, (SELECT json_group_array(json_array(x.hash_id, x.title)) FROM (SELECT t.hash_id, "
      "t.title FROM commit_tasks ct JOIN tasks t ON t.task_id = ct.task_id WHERE ct.seq = c.seq "
      "ORDER BY t.created_at, t.rowid LIMIT {}) x), (SELECT count(*) FROM commit_tasks ct "
      "WHERE ct.seq = c.seq)",
      kCommitCols, kLogTasks);
  return cols;
}

void ReadLogTasks(const Stmt& st, tg::Commit& c) {
  auto j = nlohmann::json::parse(st.Text(kAfterCommitCols), nullptr, false);
  if (j.is_array()) {
    for (const auto& pair : j) {
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
        c.tasks.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
      }
    }
  }
  c.task_count = static_cast<int>(st.Int(kAfterCommitCols + 1));
}

}  // namespace

Result<std::vector<tg::Commit>> SqliteTxn::ListCommits(int limit,
                                                       std::optional<std::string> task_id) {
  std::string sql = task_id ? fmt::format(
                                  "SELECT {} FROM commit_tasks cq JOIN commits c ON c.seq = cq.seq "
                                  "WHERE cq.task_id = ? ORDER BY c.seq DESC LIMIT {}",
                                  LogCols(), limit)
                            : fmt::format("SELECT {} FROM commits c ORDER BY c.seq DESC LIMIT {}",
                                          LogCols(), limit);
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  if (task_id) st.Bind(1, *task_id);
  std::vector<tg::Commit> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadCommit(st));
    ReadLogTasks(st, out.back());
  }
  return out;
}

Result<std::optional<tg::Commit>> SqliteTxn::PendingCommit() {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT time, authors, messages, changeset FROM pending "
                                 "WHERE id = 1"));
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<tg::Commit>();
  tg::Commit c;
  c.pending = true;
  c.commit_id = "pending";
  c.time = Time(st, 0);
  auto authors = JsonStringList(st.Text(1));
  auto messages = JsonStringList(st.Text(2));
  if (!authors.empty()) c.author = authors.front();
  c.co_authors.assign(authors.begin() + (authors.empty() ? 0 : 1), authors.end());
  for (const auto& m : messages) c.message += (c.message.empty() ? "" : "; ") + m;
  c.changes = CountChanges(st.Blob(3));
  return std::optional<tg::Commit>(std::move(c));
}

Result<std::vector<std::string>> SqliteTxn::Columns(std::string_view table) {
  if (auto it = columns_.find(table); it != columns_.end()) return it->second;
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid"));
  st.Bind(1, table);
  TG_ASSIGN(auto cols, st.Texts());
  if (cols.empty()) {
    return Fail(Code::kStoreCorrupt, fmt::format("history names a table '{}' that the store "
                                                 "does not have; run `tg doctor`",
                                                 table));
  }
  return columns_.emplace(std::string(table), std::move(cols)).first->second;
}

Result<std::vector<std::string>> SqliteTxn::KeyColumns(std::string_view table) {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk"));
  st.Bind(1, table);
  return st.Texts();
}

Result<std::vector<Change>> SqliteTxn::Decode(const std::string& changeset) {
  std::vector<Change> out;
  sqlite3_changeset_iter* it = nullptr;
  int rc = sqlite3changeset_start(&it, static_cast<int>(changeset.size()),
                                  const_cast<char*>(changeset.data()));
  if (rc != SQLITE_OK) {
    return Fail(Code::kStoreCorrupt, "a commit's changes cannot be read; run `tg doctor`");
  }
  Status status = Ok();
  while (sqlite3changeset_next(it) == SQLITE_ROW) {
    const char* table = nullptr;
    int ncol = 0, op = 0, indirect = 0;
    sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
    unsigned char* pk = nullptr;
    sqlite3changeset_pk(it, &pk, &ncol);
    auto cols = Columns(table);
    // A changeset recorded before a migration added columns (at the end: ALTER TABLE ADD
    // COLUMN) has fewer columns than the table now; the added ones are absent from its records.
    if (!cols || static_cast<int>(cols->size()) < ncol) {
      status = Fail(Code::kStoreCorrupt,
                    fmt::format("a commit's changes to {} do not match its columns; run "
                                "`tg doctor`",
                                table));
      break;
    }
    Change c;
    c.table = table;
    c.op = op == SQLITE_INSERT   ? ChangeOp::kInsert
           : op == SQLITE_DELETE ? ChangeOp::kDelete
                                 : ChangeOp::kUpdate;
    for (int i = 0; i < ncol; ++i) {
      sqlite3_value* before = nullptr;
      sqlite3_value* after = nullptr;
      if (op != SQLITE_INSERT) sqlite3changeset_old(it, i, &before);
      if (op != SQLITE_DELETE) sqlite3changeset_new(it, i, &after);
      const std::string& name = (*cols)[static_cast<size_t>(i)];
      if (pk[i]) c.key.push_back({name, ToValue(before ? before : after)});
      // An update records only the columns it changed: the others have no value here.
      if (before && (op == SQLITE_DELETE || after)) c.before.push_back({name, ToValue(before)});
      if (after) c.after.push_back({name, ToValue(after)});
    }
    out.push_back(std::move(c));
  }
  sqlite3changeset_finalize(it);
  if (!status) return std::unexpected(status.error());
  return out;
}

Status SqliteTxn::ForEachCommit(
    const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {}, c.changeset FROM commits c ORDER BY "
                                             "c.seq",
                                             kCommitCols)));
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    tg::Commit c = ReadCommit(st);
    TG_ASSIGN(auto changes, Decode(st.Blob(kAfterCommitCols)));
    TG_TRY(visit(c, changes));
  }
  TG_ASSIGN(auto pending, PendingCommit());
  if (!pending) return Ok();
  TG_ASSIGN(Stmt p, db_.Prepare("SELECT changeset FROM pending WHERE id = 1"));
  TG_ASSIGN(bool has, p.Step());
  if (!has) return Ok();
  TG_ASSIGN(auto changes, Decode(p.Blob(0)));
  return visit(*pending, changes);
}

Result<std::vector<std::string>> SqliteTxn::Tables() {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name "
                                 "NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
  return st.Texts();
}

Result<std::vector<Row>> SqliteTxn::TableRows(std::string_view table) {
  TG_ASSIGN(auto cols, Columns(table));
  TG_ASSIGN(auto key, KeyColumns(table));
  std::string order;
  for (const auto& k : key.empty() ? cols : key) {
    order += (order.empty() ? "" : ", ") + fmt::format("\"{}\"", k);
  }
  // Identifiers come from the live schema, never from input.
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT * FROM \"{}\" ORDER BY {}", table, order)));
  std::vector<Row> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    Row r;
    r.reserve(cols.size());
    for (size_t i = 0; i < cols.size(); ++i) {
      r.push_back({cols[i], ColumnValue(st, static_cast<int>(i))});
    }
    out.push_back(std::move(r));
  }
  return out;
}

tg::Commit ReadCommit(const Stmt& st) {
  tg::Commit c;
  c.seq = st.Int(0);
  c.commit_id = st.Text(1);
  c.parent = st.OptText(2);
  c.time = Time(st, 3);
  c.author = st.Text(4);
  c.message = st.Text(5);
  c.changes = static_cast<int>(st.Int(6));
  c.co_authors = JsonStringList(st.Text(7));
  c.reverts = JsonStringList(st.Text(8));
  c.undo = st.Int(9) != 0;
  return c;
}

}  // namespace tg::store::sqlite
