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

Result<std::vector<std::string>> DifferingTables(Db& a, const std::string& b_path) {
  TG_ASSIGN(Stmt att, a.Prepare("ATTACH DATABASE ? AS other"));
  att.Bind(1, b_path);
  TG_TRY(att.Run());
  std::vector<std::string> out;
  Status st = [&]() -> Status {
    for (const auto& t : HistoryTables()) {
      TG_ASSIGN(int64_t n, a.QueryInt(fmt::format(
                               "SELECT (SELECT count(*) FROM (SELECT * FROM main.{0} EXCEPT "
                               "SELECT * FROM other.{0})) + (SELECT count(*) FROM (SELECT * FROM "
                               "other.{0} EXCEPT SELECT * FROM main.{0}))",
                               t)));
      if (n > 0) out.push_back(t);
    }
    return Ok();
  }();
  TG_TRY(a.Exec("DETACH DATABASE other"));
  TG_TRY(st);
  return out;
}

}  // namespace tg::store
