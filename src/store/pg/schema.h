// The PostgreSQL schema as an ordered list of migrations; tg_meta's schema_version row counts
// the applied ones, and its graph_id row names the graph the database belongs to. Internal to
// src/store/pg/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/pg/conn.h"

namespace tg::store::pg {

int PgSchemaVersion();

// Advisory lock keys (per database): writers queue on kWriterLock, migrations on kMigrationLock.
inline constexpr int kLockClass = 7467;  // "tg"
inline constexpr int kWriterLock = 1;
inline constexpr int kMigrationLock = 2;

struct MetaInfo {
  int64_t version = 0;  // 0: no tg schema in this database
  std::optional<std::string> graph_id;
  bool has_tables = false;  // the database holds tables that are not tg's (init refuses it)
  // Where `tg migrate --to sqlite` moved the graph: the database is kept, and refuses writes.
  std::optional<std::string> moved_to;
};

// Records in the database that its graph moved to the SQLite store `where` (inside the
// caller's transaction), and the message a later writer gets.
Status MarkMoved(PgConn& c, const std::string& where);
std::string MovedMessage(const std::string& database, const std::string& moved_to);

// What the database holds (one round trip).
Result<MetaInfo> ReadMeta(PgConn& c);

// Brings the database to PgSchemaVersion() in one transaction under the migration lock,
// re-reading the version inside it, so racing processes apply each step once. A newer schema
// is SCHEMA_TOO_NEW. A database without a graph id gets `graph_id`, or a random one.
Status PgMigrate(PgConn& c, const std::optional<std::string>& graph_id);
// The same inside a transaction the caller opened (tg migrate: schema and copy commit at once).
Status PgMigrateInTxn(PgConn& c, const std::optional<std::string>& graph_id);

Status CheckPgVersion(int64_t version, const ConnSpec& spec);

// The tables whose row changes are history (each has the recording trigger).
const std::vector<std::string>& PgHistoryTables();

}  // namespace tg::store::pg
