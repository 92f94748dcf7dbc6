// Transactions of the SQLite store: snapshots, write transactions with their history session,
// units (savepoints) and the commit that ends a write.
#include "store/sqlite/txn.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/schema.h"

namespace tg::store::sqlite {

namespace {

int FilterHistoryTables(void*, const char* table) {
  const auto& t = HistoryTables();
  return std::find(t.begin(), t.end(), table) != t.end();
}

struct Buffer {
  int n = 0;
  void* p = nullptr;
  ~Buffer() { sqlite3_free(p); }
};

Result<std::string> Combine(const std::string& a, const std::string& b) {
  sqlite3_changegroup* g = nullptr;
  if (sqlite3changegroup_new(&g) != SQLITE_OK) return Fail(Code::kInternal, "out of memory");
  int rc = sqlite3changegroup_add(g, static_cast<int>(a.size()), const_cast<char*>(a.data()));
  if (rc == SQLITE_OK)
    rc = sqlite3changegroup_add(g, static_cast<int>(b.size()), const_cast<char*>(b.data()));
  Buffer out;
  if (rc == SQLITE_OK) rc = sqlite3changegroup_output(g, &out.n, &out.p);
  sqlite3changegroup_delete(g);
  if (rc != SQLITE_OK) {
    return Fail(Code::kInternal, fmt::format("cannot combine changes: {}", sqlite3_errstr(rc)));
  }
  return std::string(static_cast<char*>(out.p), static_cast<size_t>(out.n));
}

// Replace, never throw: a pending record an older tg wrote may hold invalid UTF-8.
std::string Text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct PendingRow {
  std::string changeset;
  nlohmann::json authors = nlohmann::json::array();
  nlohmann::json messages = nlohmann::json::array();
  nlohmann::json task_ids = nlohmann::json::array();
};

Result<std::optional<PendingRow>> LoadPending(Db& db) {
  TG_ASSIGN(Stmt st,
            db.Prepare("SELECT changeset, authors, messages, task_ids FROM pending WHERE id = 1"));
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<PendingRow>();
  PendingRow p;
  p.changeset = st.Blob(0);
  p.authors = nlohmann::json::parse(st.Text(1), nullptr, false);
  p.messages = nlohmann::json::parse(st.Text(2), nullptr, false);
  p.task_ids = nlohmann::json::parse(st.Text(3), nullptr, false);
  if (!p.authors.is_array()) p.authors = nlohmann::json::array();
  if (!p.messages.is_array()) p.messages = nlohmann::json::array();
  if (!p.task_ids.is_array()) p.task_ids = nlohmann::json::array();
  return std::optional<PendingRow>(std::move(p));
}

// A JSON list of strings (task ids: quoted as they are, without a json value per id).
std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& s : items) {
    if (out.size() > 1) out += ',';
    AppendJsonString(out, s);
  }
  out += ']';
  return out;
}

void AddUnique(nlohmann::json& arr, const std::string& v) {
  for (const auto& x : arr) {
    if (x == v) return;
  }
  arr.push_back(v);
}

}  // namespace

// What Commit needs of the session's changeset: how many changes, and whether it names a
// table the recorder also holds rows of (then the two are merged, not set side by side).
struct SessionSummary {
  int changes = 0;
  bool shares_table = false;
};

SessionSummary Summarize(const std::string& changeset, const InsertRecorder& recorder) {
  SessionSummary s;
  sqlite3_changeset_iter* it = nullptr;
  if (sqlite3changeset_start(&it, static_cast<int>(changeset.size()),
                             const_cast<char*>(changeset.data())) != SQLITE_OK)
    return s;
  while (sqlite3changeset_next(it) == SQLITE_ROW) {
    ++s.changes;
    const char* table = nullptr;
    int ncol = 0, op = 0, indirect = 0;
    sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
    if (!s.shares_table && recorder.Names(table)) s.shares_table = true;
  }
  sqlite3changeset_finalize(it);
  return s;
}

int CountChanges(const std::string& changeset) {
  sqlite3_changeset_iter* it = nullptr;
  if (sqlite3changeset_start(&it, static_cast<int>(changeset.size()),
                             const_cast<char*>(changeset.data())) != SQLITE_OK)
    return 0;
  int n = 0;
  while (sqlite3changeset_next(it) == SQLITE_ROW) ++n;
  sqlite3changeset_finalize(it);
  return n;
}

SqliteTxn::SqliteTxn(SqliteStore& store, Db& db, Millis now, std::optional<WriteLock> lock)
    : store_(store), db_(db), now_(now), lock_(std::move(lock)) {}

Result<std::unique_ptr<SqliteTxn>> SqliteTxn::Begin(SqliteStore& store, bool write,
                                                    std::optional<WriteLock> lock) {
  if (store.busy) {
    return Fail(Code::kInternal, "a second transaction was opened while one is still open");
  }
  Db& db = store.db();
  TG_TRY(db.Exec(write ? "BEGIN IMMEDIATE" : "BEGIN"));
  std::unique_ptr<SqliteTxn> txn(new SqliteTxn(store, db, store.Now(), std::move(lock)));
  txn->open_ = true;
  txn->write_ = write;
  store.busy = true;
  if (!write) return txn;
  int rc = sqlite3session_create(db.raw(), "main", &txn->session_);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db.raw(), rc, "starting history"));
  sqlite3session_table_filter(txn->session_, FilterHistoryTables, nullptr);
  rc = sqlite3session_attach(txn->session_, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db.raw(), rc, "starting history"));
  return txn;
}

SqliteTxn::~SqliteTxn() {
  if (session_) sqlite3session_delete(session_);
  // A reader ends its snapshot; a writer that did not commit drops everything it wrote.
  if (open_) {
    (void)db_.Exec(write_ ? "ROLLBACK" : "COMMIT");
    store_.busy = false;
  }
}

Status SqliteTxn::RequireWrite() const {
  if (session_) return Ok();
  return Fail(Code::kInternal, "a write was attempted in a read transaction");
}

Status SqliteTxn::BeginUnit() {
  TG_TRY(RequireWrite());
  if (in_unit_) return Fail(Code::kInternal, "units do not nest");
  TG_TRY(db_.Exec("SAVEPOINT unit"));
  in_unit_ = true;
  touched_before_unit_ = touched_.size();
  recorder_before_unit_ = recorder_.Save();
  return Ok();
}

Status SqliteTxn::UndoUnit() {
  if (!in_unit_) return Fail(Code::kInternal, "no unit to undo");
  // The session records net changes, so rows restored here leave no trace in history.
  TG_TRY(db_.Exec("ROLLBACK TO unit"));
  touched_.resize(touched_before_unit_);
  recorder_.Restore(recorder_before_unit_);
  last_touched_.clear();
  return EndUnit();
}

Status SqliteTxn::EndUnit() {
  if (!in_unit_) return Fail(Code::kInternal, "no unit to end");
  TG_TRY(db_.Exec("RELEASE unit"));
  in_unit_ = false;
  return Ok();
}

Status SqliteTxn::Touch(std::string_view task) {
  TG_TRY(RequireWrite());
  // Writes come in runs for one task (its row, then its event): skip the repeats cheaply.
  if (task == last_touched_) return Ok();
  last_touched_ = task;
  touched_.emplace_back(task);
  return Ok();
}

Status SqliteTxn::InsertRow(std::string_view table, std::string_view columns,
                            const std::vector<Value>& row) {
  TG_TRY(RequireWrite());
  TG_ASSIGN(auto insert, recorder_.Prepare(table, columns));
  TG_ASSIGN(Stmt st, db_.Prepare(*insert.sql));
  // `row` outlives the statement's one step.
  for (size_t i = 0; i < row.size(); ++i) BindValueRef(st, static_cast<int>(i) + 1, row[i]);
  if (!insert.recorded) return st.Run();
  sqlite3session_enable(session_, 0);
  Status s = st.Run();
  sqlite3session_enable(session_, 1);
  TG_TRY(s);
  recorder_.Add(insert, row);
  return Ok();
}

Result<std::optional<CommitInfo>> SqliteTxn::Commit(const std::string& author,
                                                    const std::string& message, IdSource& ids,
                                                    const CommitOptions& opts) {
  TG_TRY(RequireWrite());
  Buffer buf;
  int rc = sqlite3session_changeset(session_, &buf.n, &buf.p);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_.raw(), rc, "recording history"));
  sqlite3session_delete(session_);
  session_ = nullptr;
  std::string cs(static_cast<char*>(buf.p), static_cast<size_t>(buf.n));
  CommitInfo ci;
  // The session's changes and the recorder's inserts, as one changeset. Side by side when no
  // table has rows in both: no row is then named twice, replay and revert read a commit's
  // changes as a set, and applying it defers foreign keys to the end. Otherwise a change
  // group nets each row's changes to one (an insert then an update is the updated insert).
  if (!recorder_.empty()) {
    SessionSummary session = Summarize(cs, recorder_);
    if (session.shares_table) {
      TG_ASSIGN(cs, Combine(recorder_.Changeset(), cs));
      ci.changes = CountChanges(cs);
    } else {
      recorder_.AppendTo(cs);
      ci.changes = session.changes + recorder_.count();
    }
  } else if (!cs.empty()) {
    ci.changes = CountChanges(cs);
  }
  std::optional<CommitInfo> info;
  if (!cs.empty()) {
    // Sorted, for the index.
    std::vector<std::string> touched = std::move(touched_);
    // Touched ids come in ascending runs (an import writes its tasks in id order, then their
    // edges in the same order): merge the first run with the sorted rest instead of sorting all.
    auto run = std::is_sorted_until(touched.begin(), touched.end());
    if (!std::is_sorted(run, touched.end())) std::sort(run, touched.end());
    std::inplace_merge(touched.begin(), run, touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    const size_t written = touched.size();
    TG_ASSIGN(auto pending, LoadPending(db_));
    const std::string& msg = opts.message ? *opts.message : message;
    if (opts.no_commit) {
      PendingRow p = pending ? std::move(*pending) : PendingRow{};
      if (pending) {
        TG_ASSIGN(p.changeset, Combine(p.changeset, cs));
      } else {
        p.changeset = cs;
      }
      AddUnique(p.authors, author);
      p.messages.push_back(msg);
      // A set, not AddUnique per id: an import held back with --no-commit touches 100,000.
      StringSet listed;
      for (const auto& t : p.task_ids) {
        if (t.is_string()) listed.insert(t.get<std::string>());
      }
      for (const auto& t : touched) {
        if (!listed.contains(t)) p.task_ids.push_back(t);
      }
      TG_ASSIGN(Stmt st, db_.Prepare("INSERT OR REPLACE INTO pending (id, time, authors, "
                                     "messages, task_ids, changeset) VALUES (1, ?, ?, ?, ?, ?)"));
      st.Bind(1, FormatIso(now_)).Bind(2, Text(p.authors)).Bind(3, Text(p.messages));
      st.Bind(4, Text(p.task_ids)).BindBlobRef(5, p.changeset.data(), int(p.changeset.size()));
      TG_TRY(st.Run());
      ci.pending = true;
    } else {
      nlohmann::json co = nlohmann::json::array();
      if (pending) {
        TG_ASSIGN(cs, Combine(pending->changeset, cs));
        for (const auto& a : pending->authors) {
          if (a.is_string() && a != author) AddUnique(co, a.get<std::string>());
        }
        for (const auto& t : pending->task_ids) {
          if (t.is_string() && !std::binary_search(touched.begin(), touched.begin() + written,
                                                   t.get<std::string>())) {
            touched.push_back(t.get<std::string>());
          }
        }
        TG_TRY(db_.Exec("DELETE FROM pending"));
      }
      std::string id = ids.NewUuid();
      std::erase(id, '-');
      ci.commit_id = id.substr(0, 12);
      TG_ASSIGN(Stmt parent_st,
                db_.Prepare("SELECT commit_id FROM commits ORDER BY seq DESC LIMIT 1"));
      TG_ASSIGN(bool has_parent, parent_st.Step());
      std::optional<std::string> parent;
      if (has_parent) parent = parent_st.Text(0);
      TG_ASSIGN(Stmt st, db_.Prepare("INSERT INTO commits (commit_id, parent, time, author, "
                                     "message, changes, co_authors, changeset, reverts, undo) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      st.Bind(1, ci.commit_id).Bind(2, parent).Bind(3, FormatIso(now_)).Bind(4, author);
      st.Bind(5, msg).Bind(6, int64_t{pending ? CountChanges(cs) : ci.changes}).Bind(7, Text(co));
      st.BindBlobRef(8, cs.data(), static_cast<int>(cs.size()));
      st.Bind(9, Text(nlohmann::json(opts.reverts))).Bind(10, int64_t{opts.undo ? 1 : 0});
      TG_TRY(st.Run());
      int64_t seq = sqlite3_last_insert_rowid(db_.raw());
      // One statement for every task the commit touched (an import touches 100,000), the ids
      // given as a JSON list.
      TG_ASSIGN(Stmt ct, db_.Prepare("INSERT OR IGNORE INTO commit_tasks (task_id, seq) "
                                     "SELECT value, ?2 FROM json_each(?1)"));
      ct.Bind(1, JsonList(touched)).Bind(2, seq);
      TG_TRY(ct.Run());
    }
    info = ci;
  }
  TG_TRY(db_.Exec("COMMIT"));
  open_ = false;
  // The transaction is over: free the connection and let the next writer in now, not when
  // this object goes away (a caller may go on to wait for others' commits).
  store_.busy = false;
  lock_.reset();
  return info;
}

}  // namespace tg::store::sqlite
