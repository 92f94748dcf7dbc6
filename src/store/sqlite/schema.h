// The schema as an ordered list of migrations; PRAGMA user_version counts the applied ones.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "store/sqlite/db.h"

namespace tg::store::sqlite {

// The schema version this binary writes.
int SchemaVersion();

// The schema version an existing store reports, checked before anything uses it: 0 (an empty
// or foreign SQLite file: tg creates a store whole, at its current version, so no tg store
// ever has 0) and negative values are STORE_CORRUPT, a version above SchemaVersion()
// SCHEMA_TOO_NEW. `db_path` names the file in messages.
Status CheckSchemaVersion(int64_t version, const std::string& db_path);

// Brings `db` to SchemaVersion(). The caller holds the write lock; this runs inside one
// BEGIN IMMEDIATE transaction and re-reads the version after taking it, so processes racing to
// migrate apply each step exactly once. A store ahead of this binary -> SCHEMA_TOO_NEW.
Status Migrate(Db& db);

// The tables the recorder attaches its session to: their row changes are history. Doctor's
// replay check does not use this list (it takes the live schema minus NonHistoryTables()), so
// a table added by a migration but missing here is caught.
const std::vector<std::string>& HistoryTables();

}  // namespace tg::store::sqlite
