// tg migrate: moving a graph, whole history included, between the two stores. The copy is the
// stores' business (pg/copy.cc, pg/copy_back.cc); here are the files: which store the folder
// holds, config.json switched only once the copy is whole, and the old store kept.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/clock.h"
#include "core/ids.h"
#include "store/config_files.h"
#include "store/database.h"
#include "store/pg/copy.h"
#include "store/pg/schema.h"
#include "store/pg/txn.h"
#include "store/pg/url.h"
#include "store/sqlite/txn.h"

namespace tg::store {

Result<MigrateOutcome> MigrateToDatabase(const std::string& root_in, const OpenOptions& opts,
                                         const std::string& url) {
  std::string root = Absolute(root_in), dir = root + "/.taskgraph";
  TG_ASSIGN(Config config, ReadConfig(dir));
  if (config.database_url || !IsFile(dir + "/tg.db")) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} holds no SQLite graph to move (tg migrate --to postgresql://... "
                            "moves .taskgraph/tg.db)",
                            dir));
  }
  TG_ASSIGN(auto spec, pg::ParseUrl(url));
  OpenOptions local = opts;
  local.database_url.reset();
  FixedClock clock(0);  // the copy reads rows as stored; no time is taken
  MigrateOutcome out;
  out.database = spec.where;
  {
    TG_ASSIGN(auto from, sqlite::SqliteStore::Open(root, local, clock));
    // No SQLite writer may slip in between the copy and the switch: hold the writers' queue.
    TG_ASSIGN(auto queue,
              sqlite::WriteLock::Acquire(dir + "/tg.lock", opts.lock_timeout_ms, "tg migrate"));
    TG_ASSIGN(auto copied, pg::CopySqliteToPg(*from, spec, opts));
    out.commits = copied.commits;
    out.rows = copied.rows;
    // Everything in the WAL into tg.db, so the renamed file is the whole store.
    TG_TRY(from->db().Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    TG_TRY(WritePgConfig(dir, spec.url, copied.graph_id, /*rewrite=*/true));
  }
  out.kept = dir + "/tg.db.before-postgresql";
  for (int n = 2; IsFile(out.kept); ++n)
    out.kept = fmt::format("{}/tg.db.before-postgresql.{}", dir, n);
  if (rename((dir + "/tg.db").c_str(), out.kept.c_str()) != 0) {
    return Fail(Code::kIoError, fmt::format("the graph was copied and config.json switched, but "
                                            "{}/tg.db could not be renamed: {}",
                                            dir, std::strerror(errno)));
  }
  for (const char* suffix : {"-wal", "-shm"}) unlink((dir + "/tg.db" + suffix).c_str());
  return out;
}

namespace {

// "host:/path/.taskgraph/tg.db": where the graph went, for whoever opens the database next
// (perhaps on another machine).
std::string HereOnThisMachine(const std::string& path) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || !*host) return path;
  return fmt::format("{}:{}", host, path);
}

}  // namespace

Result<MigrateOutcome> MigrateToSqlite(const std::string& root_in, const OpenOptions& opts) {
  std::string root = Absolute(root_in), dir = root + "/.taskgraph";
  if (opts.database_url) {
    return Fail(Code::kValidationFailed,
                "TG_DATABASE_URL is set, and would still point tg at PostgreSQL after the "
                "move; unset it and run tg migrate --to sqlite again (nothing was changed)");
  }
  TG_ASSIGN(Config config, ReadConfig(dir));
  if (!config.database_url) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} holds a SQLite graph already (tg migrate --to sqlite moves a "
                            "PostgreSQL graph into .taskgraph/tg.db)",
                            dir));
  }
  TG_ASSIGN(auto spec, pg::ParseUrl(*config.database_url));
  FixedClock clock(0);  // the copy reads rows as stored; no time is taken
  TG_ASSIGN(auto from, pg::PgStore::Open(root, spec, config, opts, clock));
  // A write transaction: it holds the writers' lock, so no commit lands between the copy and
  // the mark that sends later writers to the new store.
  TG_ASSIGN(auto writer, from->Write("tg migrate"));
  auto& txn = static_cast<pg::PgTxn&>(*writer);
  MigrateOutcome out;
  out.database = dir + "/tg.db";
  out.kept = spec.where;
  OpenOptions local = opts;
  local.database_url.reset();
  TG_TRY(sqlite::CreateFilledDatabase(dir, local, [&](sqlite::Db& db) -> Status {
    TG_ASSIGN(auto copied, pg::CopyPgToSqlite(txn, db));
    out.commits = copied.commits;
    out.rows = copied.rows;
    return Ok();
  }));
  Status switched = WriteSqliteConfig(dir);
  if (!switched) {
    unlink(out.database.c_str());  // config.json still names the database: all as it was
    return std::unexpected(switched.error());
  }
  // The database is kept, marked: a writer that still points at it (another clone, another
  // machine) is refused instead of starting a second copy of the graph that drifts apart.
  SequentialIdSource unused;  // the mark is no history: the commit records nothing
  Status marked = pg::MarkMoved(txn.conn(), HereOnThisMachine(out.database));
  if (marked) {
    auto committed = txn.Commit("tg migrate", "moved to SQLite", unused, {});
    if (!committed) marked = std::unexpected(committed.error());
  }
  if (!marked) {
    out.warning = fmt::format(
        "the database at {} could not be marked as moved ({}); make sure "
        "nobody writes to it any more",
        spec.where, marked.error().message);
  }
  return out;
}

}  // namespace tg::store
