// tg migrate --to sqlite: a PostgreSQL graph copied into a new SQLite store (copy.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "store/pg/copy.h"
#include "store/pg/txn.h"
#include "store/sqlite/changeset.h"
#include "store/sqlite/db.h"
#include "store/sqlite/rows.h"

namespace tg::store::pg {

namespace {

// Row tables in the order their references need; each is read in insertion order (the
// PostgreSQL store's rowid), which the SQLite store's rowids then keep as its tie-breaker.
constexpr const char* kBackTables[] = {"plans", "tasks",     "edges",       "events",
                                       "gates", "task_docs", "task_skills", "leases"};

// Copies `sql`'s rows in batches (a cursor: a large graph is never held in memory whole).
Status CopyRows(PgConn& from, const std::string& sql, sqlite::Db& to, const std::string& insert,
                int& rows) {
  TG_TRY(from.Exec(fmt::format("DECLARE tg_copy NO SCROLL CURSOR FOR {}", sql)));
  for (;;) {
    TG_ASSIGN(auto batch, from.Query("FETCH 2000 FROM tg_copy"));
    if (batch.Rows() == 0) break;
    for (int r = 0; r < batch.Rows(); ++r) {
      TG_ASSIGN(auto st, to.Prepare(insert));
      for (int c = 0; c < batch.Cols(); ++c) sqlite::BindValue(st, c + 1, batch.Cell(r, c));
      TG_TRY(st.Run());
      ++rows;
    }
  }
  return from.Exec("CLOSE tg_copy");
}

}  // namespace

Result<CopyOutcome> CopyPgToSqlite(PgTxn& txn, sqlite::Db& to) {
  TG_ASSIGN(auto pending, txn.PendingCommit());
  if (pending) {
    return Fail(Code::kValidationFailed,
                "a --no-commit change is pending; commit it first (the next command without "
                "--no-commit does), then migrate");
  }
  PgConn& from = txn.conn();
  CopyOutcome out;
  for (const char* table : kBackTables) {
    // The SQLite schema names the columns; the PostgreSQL store has the same ones (plus its
    // rowid).
    TG_ASSIGN(auto cols_st, to.Prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid"));
    cols_st.Bind(1, table);
    TG_ASSIGN(auto cols, cols_st.Texts());
    std::string names, marks;
    for (size_t i = 0; i < cols.size(); ++i) {
      names += fmt::format("{}\"{}\"", i ? ", " : "", cols[i]);
      marks += fmt::format("{}?{}", i ? ", " : "", i + 1);
    }
    const bool has_rowid = std::string_view(table) != "leases";
    TG_TRY(CopyRows(
        from,
        fmt::format("SELECT {} FROM {} ORDER BY {}", names, table, has_rowid ? "rowid" : "task_id"),
        to, fmt::format("INSERT INTO {} ({}) VALUES ({})", table, names, marks), out.rows));
  }
  sqlite::ChangesetWriter changesets(to);
  TG_TRY(txn.ForEachCommit([&](const tg::Commit& c, const std::vector<Change>& changes) -> Status {
    TG_ASSIGN(std::string blob, changesets.Encode(changes));
    nlohmann::json co = nlohmann::json::array();
    for (const auto& a : c.co_authors) co.push_back(a);
    nlohmann::json reverts = nlohmann::json::array();
    for (const auto& r : c.reverts) reverts.push_back(r);
    TG_ASSIGN(auto st, to.Prepare("INSERT INTO commits (seq, commit_id, parent, time, author, "
                                  "message, changes, co_authors, changeset, reverts, undo) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    st.Bind(1, c.seq)
        .Bind(2, c.commit_id)
        .Bind(3, c.parent)
        .Bind(4, FormatIso(c.time))
        .Bind(5, c.author)
        .Bind(6, c.message)
        .Bind(7, int64_t{c.changes})
        .Bind(8, co.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .BindBlob(9, blob.data(), static_cast<int>(blob.size()))
        .Bind(10, reverts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .Bind(11, int64_t{c.undo ? 1 : 0});
    ++out.commits;
    return st.Run();
  }));
  int index_rows = 0;  // an index of history, not graph rows (the count says what moved)
  TG_TRY(CopyRows(from, "SELECT task_id, seq FROM commit_tasks ORDER BY seq, task_id", to,
                  "INSERT INTO commit_tasks (task_id, seq) VALUES (?1, ?2)", index_rows));
  return out;
}

}  // namespace tg::store::pg
