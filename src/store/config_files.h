// The files of .taskgraph/ as init (config.cc) and migrate (migrate.cc) both handle them.
// Internal to src/store/.
#pragma once

#include <string>

#include "core/error.h"

namespace tg::store {

bool IsFile(const std::string& p);
std::string Absolute(const std::string& p);

// config.json with a PostgreSQL graph's keys (database_url, graph_id) set, the other settings
// kept; written only once the database is ready, so a failed init leaves config.json as it
// was. Without `rewrite`, an existing config.json is left alone.
Status WritePgConfig(const std::string& dir, const std::string& url, const std::string& graph_id,
                     bool rewrite);
// config.json without those keys: the graph is in .taskgraph/tg.db again.
Status WriteSqliteConfig(const std::string& dir);

}  // namespace tg::store
