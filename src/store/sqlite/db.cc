#include "store/sqlite/db.h"

#include <fmt/format.h>

namespace tg::store::sqlite {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{Code::kStoreBusy,
                   fmt::format("the store is busy while {} ({}); another tg process holds it — "
                               "retry, or raise TG_LOCK_TIMEOUT",
                               what, detail)};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error{Code::kStoreCorrupt,
                   fmt::format("the store is damaged or not a tg database while {} ({}); "
                               "restore .taskgraph/tg.db from a backup",
                               what, detail)};
    case SQLITE_READONLY:
      return Error{Code::kReadOnly,
                   fmt::format("the store is read-only while {} ({}); check the permissions "
                               "of .taskgraph/ and its files",
                               what, detail)};
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return Error{Code::kIoError,
                   fmt::format("I/O error while {} ({}); check free disk space and permissions",
                               what, detail)};
    default:
      // tg's own SQL names only tables and columns its schema has: a missing one means the
      // file is not (or no longer) a tg store.
      if (detail.starts_with("no such table") || detail.starts_with("no such column")) {
        return Error{Code::kStoreCorrupt,
                     fmt::format("the store is not a tg database or is damaged while {} ({}); "
                                 "restore .taskgraph/tg.db from a backup",
                                 what, detail)};
      }
      return Error{Code::kInternal, fmt::format("database error while {}: {}", what, detail)};
  }
}

Stmt::~Stmt() {
  if (!s_) return;
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindRef(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindReal(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<std::string>& v) {
  return v ? Bind(i, std::string_view(*v)) : BindNull(i);
}
Stmt& Stmt::Bind(int i, const std::optional<int>& v) { return v ? Bind(i, *v) : BindNull(i); }
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}
Stmt& Stmt::BindBlob(int i, const void* data, int n) {
  sqlite3_bind_blob(s_, i, data, n, SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindBlobRef(int i, const void* data, int n) {
  sqlite3_bind_blob(s_, i, data, n, SQLITE_STATIC);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(s_);
  return std::unexpected(SqliteError(db, rc, "running a query"));
}

Status Stmt::Run() {
  for (;;) {
    TG_ASSIGN(bool row, Step());
    if (!row) return Ok();
  }
}

Result<std::vector<std::string>> Stmt::Texts() {
  std::vector<std::string> out;
  for (;;) {
    TG_ASSIGN(bool row, Step());
    if (!row) break;
    out.push_back(Text(0));
  }
  return out;
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, col))
           : std::string();
}
std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}
int64_t Stmt::Int(int col) const { return sqlite3_column_int64(s_, col); }
std::optional<int> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return static_cast<int>(Int(col));
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
std::string Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  return p ? std::string(static_cast<const char*>(p), sqlite3_column_bytes(s_, col))
           : std::string();
}

Db::~Db() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  if (db_) sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create, int busy_timeout_ms,
                                     bool read_only) {
  // Memory statistics take a global mutex on every allocation, about a tenth of a large
  // import's instructions; tg never reads them. Must precede SQLite's initialisation.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  auto db = std::make_unique<Db>();
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
              SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db->db_, flags, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db->db_, rc, "opening the store"));
  sqlite3_busy_timeout(db->db_, busy_timeout_ms);
  // A tg command is one short process: checkpointing the WAL and deleting it each time the last
  // connection closes made every write pay an extra checkpoint and two fsyncs. Writers
  // checkpoint as they go instead (OnCommit), and a persistent WAL keeps the -shm file, so a
  // read-only folder can still be read without immutable mode.
  sqlite3_db_config(db->db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  int persist = 1;
  sqlite3_file_control(db->db_, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  db->busy_timeout_ms_ = busy_timeout_ms;
  if (!read_only) sqlite3_wal_hook(db->db_, OnCommit, db.get());
  // synchronous=FULL: a command that printed success survives a power cut. temp_store=MEMORY:
  // nothing is written outside .taskgraph/. mmap: a read maps the file instead of making one
  // pread per page (a third of `tg next` on 10,000 tasks); writes still go through the WAL.
  // cache_size: a large import changes tens of thousands of pages in one transaction; with
  // SQLite's default 2,000-page cache it spilled them to the WAL and read them back (1.45 M
  // reads for 100,000 todos). The cache only grows as pages are used, so a small command pays
  // nothing for the higher limit.
  TG_TRY(
      db->Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; "
               "PRAGMA mmap_size=268435456; PRAGMA cache_size=-524288;"));
  return db;
}

// A process that opens the store while no other one has it open rebuilds SQLite's WAL index
// by reading every valid frame of the WAL: about 5,000 instructions a frame, paid by every
// command (a 19 MB WAL made `tg next` on 10,000 tasks 2.5 times slower). A passive checkpoint
// does not help here: the rebuilt index forgets that frames were copied back, so the WAL is
// never restarted and keeps growing. So once a commit leaves kCheckpointFrames or more, the
// writer copies them into the database and truncates the WAL to nothing, but only if no
// reader is using it right now: the busy handler is off, so the writer never waits here. An
// attempt that cannot truncate is harmless: it copies what it can, the commit has happened, and
// a later commit tries again. Under concurrent use the index stays alive between processes and
// SQLite restarts the WAL itself.
int Db::OnCommit(void* self, sqlite3* db, const char* name, int frames) {
  if (frames < kCheckpointFrames) return SQLITE_OK;
  sqlite3_busy_handler(db, nullptr, nullptr);
  sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_timeout(db, static_cast<Db*>(self)->busy_timeout_ms_);
  return SQLITE_OK;
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(it->second);
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "preparing a query"));
  cache_.emplace(std::string(sql), s);
  return Stmt(s);
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "using the store"));
  return Ok();
}

Result<int64_t> Db::QueryInt(std::string_view sql) {
  TG_ASSIGN(Stmt st, Prepare(sql));
  TG_ASSIGN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

}  // namespace tg::store::sqlite
