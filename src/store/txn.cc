#include "store/txn.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "store/schema.h"

namespace tg::store {

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

int CountChanges(const std::string& cs) {
  sqlite3_changeset_iter* it = nullptr;
  if (sqlite3changeset_start(&it, static_cast<int>(cs.size()), const_cast<char*>(cs.data())) !=
      SQLITE_OK)
    return 0;
  int n = 0;
  while (sqlite3changeset_next(it) == SQLITE_ROW) ++n;
  sqlite3changeset_finalize(it);
  return n;
}

// The task ids a changeset touches, for `tg log --task`.
Result<std::set<std::string>> TouchedTasks(Db& db, const std::string& cs) {
  std::set<std::string> ids;
  sqlite3_changeset_iter* it = nullptr;
  if (sqlite3changeset_start(&it, static_cast<int>(cs.size()), const_cast<char*>(cs.data())) !=
      SQLITE_OK)
    return ids;
  std::vector<std::string> gate_ids;
  while (sqlite3changeset_next(it) == SQLITE_ROW) {
    const char* table;
    int ncol, op, indirect;
    sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
    auto col_text = [&](int col) -> std::optional<std::string> {
      sqlite3_value* v = nullptr;
      if (op != SQLITE_DELETE) sqlite3changeset_new(it, col, &v);
      if (!v && op != SQLITE_INSERT) sqlite3changeset_old(it, col, &v);
      if (!v || sqlite3_value_type(v) != SQLITE_TEXT) return std::nullopt;
      return std::string(reinterpret_cast<const char*>(sqlite3_value_text(v)));
    };
    std::string_view t = table;
    std::optional<std::string> id;
    if (t == "tasks" || t == "task_docs" || t == "task_skills" || t == "events") {
      id = col_text(t == "events" ? 1 : 0);
    } else if (t == "edges") {
      if (auto a = col_text(0)) ids.insert(*a);
      id = col_text(1);
    } else if (t == "gates") {
      id = col_text(5);
      if (!id) {
        if (auto g = col_text(0)) gate_ids.push_back(*g);
      }
    }
    if (id) ids.insert(*id);
  }
  sqlite3changeset_finalize(it);
  for (const auto& g : gate_ids) {
    TG_ASSIGN(Stmt st, db.Prepare("SELECT task_id FROM gates WHERE gate_id = ?"));
    st.Bind(1, g);
    TG_ASSIGN(bool row, st.Step());
    if (row) ids.insert(st.Text(0));
  }
  return ids;
}

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

void AddUnique(nlohmann::json& arr, const std::string& v) {
  for (const auto& x : arr) {
    if (x == v) return;
  }
  arr.push_back(v);
}

}  // namespace

Result<std::unique_ptr<WriteTxn>> WriteTxn::Begin(Store& store, const std::string& holder) {
  TG_ASSIGN(auto lock, WriteLock::Acquire(store.lock_path(), store.lock_timeout_ms(), holder));
  std::unique_ptr<WriteTxn> txn(new WriteTxn(store, std::move(lock)));
  TG_TRY(store.db().Exec("BEGIN IMMEDIATE"));
  txn->open_ = true;
  int rc = sqlite3session_create(store.db().raw(), "main", &txn->session_);
  if (rc != SQLITE_OK)
    return std::unexpected(SqliteError(store.db().raw(), rc, "starting history"));
  sqlite3session_table_filter(txn->session_, FilterHistoryTables, nullptr);
  rc = sqlite3session_attach(txn->session_, nullptr);
  if (rc != SQLITE_OK)
    return std::unexpected(SqliteError(store.db().raw(), rc, "starting history"));
  return txn;
}

WriteTxn::~WriteTxn() {
  if (session_) sqlite3session_delete(session_);
  if (open_) (void)store_.db().Exec("ROLLBACK");
}

Result<std::optional<CommitInfo>> WriteTxn::Finish(const std::string& author,
                                                   const std::string& message, Millis now,
                                                   IdSource& ids, const CommitOptions& opts) {
  Db& db = store_.db();
  Buffer buf;
  int rc = sqlite3session_changeset(session_, &buf.n, &buf.p);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db.raw(), rc, "recording history"));
  sqlite3session_delete(session_);
  session_ = nullptr;
  std::optional<CommitInfo> info;
  if (buf.n > 0) {
    std::string cs(static_cast<char*>(buf.p), static_cast<size_t>(buf.n));
    CommitInfo ci;
    ci.changes = CountChanges(cs);
    TG_ASSIGN(auto touched, TouchedTasks(db, cs));
    TG_ASSIGN(auto pending, LoadPending(db));
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
      for (const auto& t : touched) AddUnique(p.task_ids, t);
      TG_ASSIGN(Stmt st, db.Prepare("INSERT OR REPLACE INTO pending (id, time, authors, messages, "
                                    "task_ids, changeset) VALUES (1, ?, ?, ?, ?, ?)"));
      st.Bind(1, FormatIso(now)).Bind(2, p.authors.dump()).Bind(3, p.messages.dump());
      st.Bind(4, p.task_ids.dump()).BindBlob(5, p.changeset.data(), int(p.changeset.size()));
      TG_TRY(st.Run());
      ci.pending = true;
    } else {
      nlohmann::json co = nlohmann::json::array();
      if (pending) {
        TG_ASSIGN(cs, Combine(pending->changeset, cs));
        for (const auto& a : pending->authors) {
          if (a != author) AddUnique(co, a.get<std::string>());
        }
        for (const auto& t : pending->task_ids) touched.insert(t.get<std::string>());
        TG_TRY(db.Exec("DELETE FROM pending"));
      }
      std::string id = ids.NewUuid();
      std::erase(id, '-');
      ci.commit_id = id.substr(0, 12);
      TG_ASSIGN(Stmt parent_st,
                db.Prepare("SELECT commit_id FROM commits ORDER BY seq DESC LIMIT 1"));
      TG_ASSIGN(bool has_parent, parent_st.Step());
      std::optional<std::string> parent;
      if (has_parent) parent = parent_st.Text(0);
      TG_ASSIGN(Stmt st, db.Prepare("INSERT INTO commits (commit_id, parent, time, author, "
                                    "message, changes, co_authors, changeset) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?, ?)"));
      st.Bind(1, ci.commit_id).Bind(2, parent).Bind(3, FormatIso(now)).Bind(4, author);
      st.Bind(5, msg).Bind(6, int64_t{pending ? CountChanges(cs) : ci.changes}).Bind(7, co.dump());
      st.BindBlob(8, cs.data(), static_cast<int>(cs.size()));
      TG_TRY(st.Run());
      int64_t seq = sqlite3_last_insert_rowid(db.raw());
      for (const auto& t : touched) {
        TG_ASSIGN(Stmt ct, db.Prepare("INSERT OR IGNORE INTO commit_tasks (task_id, seq) "
                                      "VALUES (?, ?)"));
        ct.Bind(1, t).Bind(2, seq);
        TG_TRY(ct.Run());
      }
    }
    info = ci;
  }
  TG_TRY(db.Exec("COMMIT"));
  open_ = false;
  return info;
}

Result<std::unique_ptr<ReadTxn>> ReadTxn::Begin(Store& store) {
  TG_TRY(store.db().Exec("BEGIN"));
  return std::unique_ptr<ReadTxn>(new ReadTxn(store));
}

ReadTxn::~ReadTxn() { (void)store_.db().Exec("COMMIT"); }

}  // namespace tg::store
