// What only the SQLite store can check about itself (`tg doctor`): the file's integrity, the
// schema version, and references between rows. The graph's invariants and the history replay
// are checked above the store, through the interface, the same way for every store.
#include <fmt/format.h>

#include "store/sqlite/schema.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

// Runs `sql` (first column = a row name) and adds one finding if it returns rows.
Status Expect(Db& db, std::vector<Finding>& out, const char* check, const std::string& message,
              const std::string& sql) {
  TG_ASSIGN(Stmt st, db.Prepare(sql));
  Finding f{check, message, {}};
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    f.rows.push_back(st.Text(0));
  }
  if (!f.rows.empty()) out.push_back(std::move(f));
  return Ok();
}

}  // namespace

Result<std::vector<Finding>> SqliteStore::CheckStorage() {
  TG_ASSIGN(auto snapshot, Read());  // one snapshot for all the checks
  std::vector<Finding> out;
  TG_ASSIGN(Stmt ic, db_->Prepare("PRAGMA integrity_check"));
  Finding integrity{"integrity", "SQLite integrity check failed", {}};
  for (;;) {
    TG_ASSIGN(bool row, ic.Step());
    if (!row) break;
    if (ic.Text(0) != "ok") integrity.rows.push_back(ic.Text(0));
  }
  if (!integrity.rows.empty()) {
    out.push_back(std::move(integrity));
    return out;  // nothing else can be trusted
  }
  TG_ASSIGN(int64_t version, db_->QueryInt("PRAGMA user_version"));
  if (version != SchemaVersion()) {
    out.push_back({"schema",
                   fmt::format("schema version {} (this tg writes {})", version, SchemaVersion()),
                   {}});
  }
  TG_TRY(Expect(*db_, out, "foreign_keys", "rows referring to rows that do not exist",
                "SELECT \"table\" || ' row ' || rowid FROM pragma_foreign_key_check"));
  return out;
}

}  // namespace tg::store::sqlite
