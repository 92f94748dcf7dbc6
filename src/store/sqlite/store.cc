// The SQLite store: creating tg.db, opening it with one schema check, and handing out
// transactions on its one connection.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "store/sqlite/schema.h"
#include "store/sqlite/txn.h"
#include "store/sqlite/watch.h"
#include "store/sqlite/write_lock.h"

namespace tg::store::sqlite {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

void RemoveCompanions(const std::string& db_path) {
  for (const char* suffix : {"-wal", "-shm", "-journal"}) unlink((db_path + suffix).c_str());
}

// A new store is built under another name and renamed into place, so tg.db is either absent
// or a whole store at the current schema: a process that finds a tg.db with schema version 0
// knows it is not one of ours (CheckSchemaVersion), and an init that fails halfway (a full
// disk) leaves nothing that a later command would mistake for a store.
Status CreateDatabase(const std::string& dir, int timeout_ms,
                      const std::function<Status(Db&)>& fill = {}) {
  std::string db_path = dir + "/tg.db", tmp = dir + "/tg.db.init";
  unlink(tmp.c_str());
  RemoveCompanions(tmp);
  auto build = [&]() -> Status {
    TG_ASSIGN(auto db, Db::Open(tmp, /*create=*/true, timeout_ms));
    TG_TRY(Migrate(*db));
    if (fill) TG_TRY(fill(*db));
    // WAL persists in the file: readers never wait for writers from here on. Nothing is in the
    // WAL yet; the checkpoint makes sure of it before the file is renamed without its WAL.
    TG_TRY(db->Exec("PRAGMA journal_mode=WAL; PRAGMA wal_checkpoint(TRUNCATE)"));
    return Ok();
  };
  Status built = build();
  if (built) {
    int fd = open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) built = Fail(Code::kIoError, "cannot flush the new store");
    if (fd >= 0) close(fd);
  }
  RemoveCompanions(tmp);
  // Companions of a store that was deleted by hand would be read as this one's WAL.
  if (built) RemoveCompanions(db_path);
  if (built && rename(tmp.c_str(), db_path.c_str()) != 0) {
    built =
        Fail(Code::kIoError, fmt::format("cannot create {}: {}", db_path, std::strerror(errno)));
  }
  if (!built) {
    unlink(tmp.c_str());
    return built;
  }
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Ok();
}

}  // namespace

Status CreateFilledDatabase(const std::string& dir, const OpenOptions& opts,
                            const std::function<Status(Db&)>& fill) {
  TG_ASSIGN(auto lock, WriteLock::Acquire(dir + "/tg.lock", opts.lock_timeout_ms, "tg migrate"));
  if (Exists(dir + "/tg.db")) {
    return Fail(
        Code::kValidationFailed,
        fmt::format("{}/tg.db exists already; move it away first (nothing was changed)", dir));
  }
  return CreateDatabase(dir, opts.lock_timeout_ms, fill);
}

Status InitDatabase(const std::string& dir, const OpenOptions& opts) {
  TG_ASSIGN(auto lock, WriteLock::Acquire(dir + "/tg.lock", opts.lock_timeout_ms, "tg init"));
  std::string db_path = dir + "/tg.db";
  if (!Exists(db_path)) return CreateDatabase(dir, opts.lock_timeout_ms);
  // An existing file is completed (migrated), never replaced: what is not a tg store is
  // refused, so `tg init` cannot wipe a damaged store someone may still recover.
  TG_ASSIGN(auto db, Db::Open(db_path, /*create=*/false, opts.lock_timeout_ms));
  TG_ASSIGN(int64_t version, db->QueryInt("PRAGMA user_version"));
  TG_TRY(CheckSchemaVersion(version, db_path));
  // Init is rare, so it looks closer than a command's open does: every page must be readable
  // (a truncated file fails here) and the schema must hold tg's tables (another program's
  // database fails here).
  {
    TG_ASSIGN(Stmt check, db->Prepare("PRAGMA quick_check(1)"));
    TG_ASSIGN(bool row, check.Step());
    if (row && check.Text(0) != "ok") {
      return Fail(Code::kStoreCorrupt, fmt::format("{} is damaged ({}); restore it from a backup",
                                                   db_path, check.Text(0)));
    }
  }
  TG_ASSIGN(int64_t tables, db->QueryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                         "AND name IN ('plans', 'tasks', 'commits')"));
  if (tables != 3) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("{} is not a tg store (it lacks tg's tables); restore it from a "
                            "backup, or move it away and run `tg init`",
                            db_path));
  }
  return Migrate(*db);
}

Result<int64_t> SqliteStore::OpenReadOnly(const std::string& db_path) {
  // A read-only folder: reads still work. WAL reading needs the -shm file; when the last writer
  // has gone, SQLite removed it and cannot recreate it here, so fall back to immutable mode
  // (nothing can be writing: the folder is read-only).
  read_only_ = true;
  auto db = Db::Open(db_path, false, opts_.lock_timeout_ms, /*read_only=*/true);
  if (db) {
    auto v = (*db)->QueryInt("PRAGMA user_version");
    if (v) {
      db_ = std::move(*db);
      return *v;
    }
  }
  TG_ASSIGN(db_, Db::Open("file:" + db_path + "?immutable=1", false, opts_.lock_timeout_ms,
                          /*read_only=*/true));
  return db_->QueryInt("PRAGMA user_version");
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& root,
                                                       const OpenOptions& opts,
                                                       const Clock& clock) {
  std::unique_ptr<SqliteStore> s(new SqliteStore(clock));
  s->root_ = root;
  s->opts_ = opts;
  std::string db_path = s->dir() + "/tg.db";
  struct stat st;
  if (stat(db_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Fail(
        Code::kNotInitialized,
        fmt::format("{} has a .taskgraph/ folder but no database; run `tg init` there", root));
  }
  TG_ASSIGN(s->config_, ReadConfig(s->dir()));
  int64_t version = 0;
  if (access(s->dir().c_str(), W_OK) == 0) {
    TG_ASSIGN(s->db_, Db::Open(db_path, /*create=*/false, opts.lock_timeout_ms));
    // The one schema check of a command: a single integer read.
    TG_ASSIGN(version, s->db_->QueryInt("PRAGMA user_version"));
  } else {
    TG_ASSIGN(version, s->OpenReadOnly(db_path));
  }
  TG_TRY(CheckSchemaVersion(version, db_path));
  if (version < SchemaVersion()) {
    if (s->read_only_) {
      return Fail(Code::kReadOnly,
                  fmt::format("the store in {} needs a schema upgrade but its folder is "
                              "read-only; run tg once with write access",
                              s->dir()));
    }
    TG_ASSIGN(auto lock,
              WriteLock::Acquire(s->dir() + "/tg.lock", opts.lock_timeout_ms, "migration"));
    TG_TRY(Migrate(*s->db_));
  }
  return s;
}

Result<std::unique_ptr<Reader>> SqliteStore::Read() {
  TG_ASSIGN(auto txn, SqliteTxn::Begin(*this, /*write=*/false, std::nullopt));
  return std::unique_ptr<Reader>(std::move(txn));
}

Result<std::unique_ptr<Writer>> SqliteStore::Write(const std::string& holder) {
  std::optional<WriteLock> lock;
  last_wait_us_ = 0;
  if (!memory_state_dir_.empty()) {
    return Fail(Code::kReadOnly,
                "the graph as it was (--as-of) can only be read; run the command without "
                "--as-of to change the graph as it is now");
  }
  if (opts_.queue_writers) {
    auto acquired = WriteLock::Acquire(dir() + "/tg.lock", opts_.lock_timeout_ms, holder);
    if (!acquired) return std::unexpected(std::move(acquired).error());
    lock.emplace(std::move(*acquired));
    last_wait_us_ = WriteLock::LastWaitMicros();
  } else if (read_only_) {
    return Fail(Code::kReadOnly,
                fmt::format("cannot write to the store in {}: its folder is read-only; reads "
                            "still work",
                            dir()));
  }
  TG_ASSIGN(auto txn, SqliteTxn::Begin(*this, /*write=*/true, std::move(lock)));
  return std::unique_ptr<Writer>(std::move(txn));
}

Result<std::unique_ptr<ChangeWatch>> SqliteStore::Watch(int64_t timeout_ms) {
  if (!memory_state_dir_.empty()) {
    return Fail(Code::kUsage, "the graph as it was (--as-of) does not change: nothing to watch");
  }
  TG_ASSIGN(auto w, ChangeWatcher::Start(dir(), timeout_ms));
  return std::unique_ptr<ChangeWatch>(std::move(w));
}

}  // namespace tg::store::sqlite
