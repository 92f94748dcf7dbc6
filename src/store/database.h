// `tg init --database-url URL`: store::Init for a PostgreSQL graph whose URL the user gave on
// the command line, so it is written into an existing config.json too (a URL that comes from
// TG_DATABASE_URL only fills a new config: init never rewrites a config unasked).
#pragma once

#include <string>

#include "store/store.h"

namespace tg::store {

Result<InitOutcome> InitWithDatabaseUrl(const std::string& root, const OpenOptions& opts,
                                        const std::string& url);

// `tg migrate --to postgresql://...`: the SQLite graph in `root` with its whole history copied
// into the empty database `url` (no commit of its own), config.json switched to it, and tg.db
// kept, renamed. A database that is not empty is refused and left unchanged.
struct MigrateOutcome {
  std::string database;  // where the graph is now, for messages (no password)
  std::string kept;      // the old store: tg.db's new name, or the database it left
  int commits = 0;
  int rows = 0;
  std::string warning;  // the move is done, but something around it was not (said so)
};
Result<MigrateOutcome> MigrateToDatabase(const std::string& root, const OpenOptions& opts,
                                         const std::string& url);

// `tg migrate --to sqlite`: the PostgreSQL graph config.json names, whole history included,
// copied into a new .taskgraph/tg.db (which must not exist), config.json switched back to it.
// The database is kept, marked as moved: later writes to it are refused (READ_ONLY) with a
// message naming the new store; reads still work. TG_DATABASE_URL must not be set.
Result<MigrateOutcome> MigrateToSqlite(const std::string& root, const OpenOptions& opts);

}  // namespace tg::store
