// Replaying history: the check that commits really hold every change.
#include <fmt/format.h>

#include "store/queries.h"
#include "store/schema.h"

namespace tg::store {

namespace {

// Replay applies changes in order onto a store that started empty, so a conflict means the
// history is not self-consistent: abort rather than guess.
int OnConflict(void*, int, sqlite3_changeset_iter*) { return SQLITE_CHANGESET_ABORT; }

Status Apply(Db& dst, const std::string& cs) {
  int rc = sqlite3changeset_apply(dst.raw(), static_cast<int>(cs.size()),
                                  const_cast<char*>(cs.data()), nullptr, OnConflict, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(dst.raw(), rc, "replaying history"));
  return Ok();
}

}  // namespace

Status ReplayHistory(Db& src, Db& dst) {
  TG_ASSIGN(Stmt st, src.Prepare("SELECT changeset FROM commits ORDER BY seq"));
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    TG_TRY(Apply(dst, st.Blob(0)));
  }
  TG_ASSIGN(Stmt p, src.Prepare("SELECT changeset FROM pending WHERE id = 1"));
  TG_ASSIGN(bool has_pending, p.Step());
  if (has_pending) TG_TRY(Apply(dst, p.Blob(0)));
  return Ok();
}

namespace {

// Every row of `table` as one quoted text line, sorted: equal lists mean equal tables.
Result<std::vector<std::string>> Rows(Db& db, const std::string& table) {
  TG_ASSIGN(Stmt info, db.Prepare(fmt::format("SELECT name FROM pragma_table_info('{}')", table)));
  std::string expr;
  for (;;) {
    TG_ASSIGN(bool row, info.Step());
    if (!row) break;
    expr += (expr.empty() ? "" : " || ',' || ") + fmt::format("quote(\"{}\")", info.Text(0));
  }
  TG_ASSIGN(Stmt st, db.Prepare(fmt::format("SELECT {} FROM {} ORDER BY 1", expr, table)));
  std::vector<std::string> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.Text(0));
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> DifferingTables(Db& a, Db& b) {
  std::vector<std::string> out;
  for (const auto& t : HistoryTables()) {
    TG_ASSIGN(auto ra, Rows(a, t));
    TG_ASSIGN(auto rb, Rows(b, t));
    if (ra != rb) out.push_back(t);
  }
  return out;
}

}  // namespace tg::store
