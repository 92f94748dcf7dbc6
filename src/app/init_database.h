// `tg init --database-url`: create or join a PostgreSQL graph (store/database.h).
#pragma once

#include <optional>
#include <string>

#include "store/database.h"

namespace tg::app {

// In a linked git worktree (unless `here`), the shared graph is named, as with InitGraph.
Result<store::InitOutcome> InitGraphWithDatabase(const std::string& root,
                                                 const store::OpenOptions& opts,
                                                 const std::string& url, bool here = false);

// `tg migrate --to postgresql://...` (store::MigrateToDatabase) or `--to sqlite`
// (store::MigrateToSqlite) for the graph found from `cwd` (or `explicit_dir`).
Result<store::MigrateOutcome> MigrateGraph(const std::string& cwd,
                                           const std::optional<std::string>& explicit_dir,
                                           const store::OpenOptions& opts, const std::string& to);

}  // namespace tg::app
