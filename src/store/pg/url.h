// A PostgreSQL database URL as tg handles it: checked, stripped of any password before it is
// written to config.json or shown, and turned into libpq connection keywords that read nothing
// from $HOME implicitly (contract section 11). Internal to src/store/pg/.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace tg::store::pg {

struct ConnSpec {
  std::string url;    // without the password: what config.json holds
  std::string where;  // "host:port/dbname" (or the socket folder), for messages
  std::string host, port, dbname;
  std::vector<std::pair<std::string, std::string>> keywords;  // for PQconnectStartParams
};

// True for postgresql:// and postgres:// URLs.
bool IsDatabaseUrl(const std::string& text);

// Parses `url` (VALIDATION_FAILED naming what is wrong, never echoing a password).
Result<ConnSpec> ParseUrl(const std::string& url);

// `url` with any password (user:password@, ?password=) removed.
std::string StripPassword(const std::string& url);

}  // namespace tg::store::pg
