// The schema as an ordered list of migrations; PRAGMA user_version counts the applied ones.
#pragma once

#include "core/error.h"
#include "store/sqlite.h"

namespace tg::store {

// The schema version this binary writes.
int SchemaVersion();

// Brings `db` to SchemaVersion(). The caller holds the write lock; this runs inside one
// BEGIN IMMEDIATE transaction and re-reads the version after taking it, so processes racing to
// migrate apply each step exactly once. A store ahead of this binary -> SCHEMA_TOO_NEW.
Status Migrate(Db& db);

// The tables whose rows are history (recorded in commits and replayed by doctor).
const std::vector<std::string>& HistoryTables();

}  // namespace tg::store
