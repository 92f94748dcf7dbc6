// `tg init --database-url URL`: store::Init for a PostgreSQL graph whose URL the user gave on
// the command line, so it is written into an existing config.json too (a URL that comes from
// TG_DATABASE_URL only fills a new config: init never rewrites a config unasked).
#pragma once

#include <string>

#include "store/store.h"

namespace tg::store {

Result<InitOutcome> InitWithDatabaseUrl(const std::string& root, const OpenOptions& opts,
                                        const std::string& url);

}  // namespace tg::store
