// tg migrate --to postgresql://...: a SQLite graph with its whole history copied into an empty
// PostgreSQL database, in one transaction (a failure leaves the database as it was). Internal
// to src/store/.
#pragma once

#include <string>

#include "store/pg/url.h"
#include "store/sqlite/txn.h"

namespace tg::store::pg {

struct CopyOutcome {
  std::string graph_id;
  int commits = 0;
  int rows = 0;
};

// Refuses a database that holds any table, and a graph with a pending --no-commit change.
Result<CopyOutcome> CopySqliteToPg(sqlite::SqliteStore& from, const ConnSpec& to,
                                   const OpenOptions& opts);

}  // namespace tg::store::pg

namespace tg::store::sqlite {
class Db;
}

namespace tg::store::pg {

class PgTxn;

// tg migrate --to sqlite: the graph that `txn` (a write transaction: it holds the writers'
// lock, so no commit lands during the copy) reads, copied with its whole history into the new
// SQLite database `to`: the same rows in the same order, the same commits, each with the
// session changeset the SQLite store would have recorded. A pending --no-commit change is
// refused.
Result<CopyOutcome> CopyPgToSqlite(PgTxn& txn, sqlite::Db& to);

}  // namespace tg::store::pg
