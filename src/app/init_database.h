// `tg init --database-url`: create or join a PostgreSQL graph (store/database.h).
#pragma once

#include <string>

#include "store/database.h"

namespace tg::app {

Result<store::InitOutcome> InitGraphWithDatabase(const std::string& root,
                                                 const store::OpenOptions& opts,
                                                 const std::string& url);

}  // namespace tg::app
