// The SQLite store: creating tg.db, opening it with one schema check, and handing out
// transactions on its one connection.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/schema.h"
#include "store/sqlite/txn.h"
#include "store/sqlite/watch.h"
#include "store/sqlite/write_lock.h"

namespace tg::store::sqlite {

Status InitDatabase(const std::string& dir, const OpenOptions& opts) {
  TG_ASSIGN(auto lock, WriteLock::Acquire(dir + "/tg.lock", opts.lock_timeout_ms, "tg init"));
  TG_ASSIGN(auto db, Db::Open(dir + "/tg.db", /*create=*/true, opts.lock_timeout_ms));
  // WAL persists in the file: readers never wait for writers from here on.
  TG_TRY(db->Exec("PRAGMA journal_mode=WAL"));
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
  if (version > SchemaVersion()) {
    return Fail(Code::kSchemaTooNew,
                fmt::format("the store in {} has schema version {}, newer than this tg "
                            "understands ({}); upgrade tg",
                            s->dir(), version, SchemaVersion()));
  }
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
  TG_ASSIGN(auto w, ChangeWatcher::Start(dir(), timeout_ms));
  return std::unique_ptr<ChangeWatch>(std::move(w));
}

}  // namespace tg::store::sqlite
