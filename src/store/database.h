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
  std::string database;  // where, for messages (no password)
  std::string kept;      // the old store's new name
  int commits = 0;
  int rows = 0;
};
Result<MigrateOutcome> MigrateToDatabase(const std::string& root, const OpenOptions& opts,
                                         const std::string& url);

}  // namespace tg::store
