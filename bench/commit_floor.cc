// commit_floor: the floor under every tg write, one synced SQLite commit as a whole process.
//
//   commit_floor --create FILE   make FILE a WAL database with one small table (setup, not timed)
//   commit_floor FILE            open it, BEGIN IMMEDIATE, one small INSERT, COMMIT, exit
//
// It opens the database as tg's store does (src/store/sqlite.cc): WAL, synchronous=FULL, a WAL
// that persists between processes and no checkpoint on close, so a run costs what a tg write
// cannot avoid: starting a static process, opening SQLite, and one fdatasync of the WAL at
// COMMIT. Linked statically like tg. Any SQLite error exits 1 with the message on stderr.
#include <sqlite3.h>

#include <cstdio>
#include <cstring>

namespace {

int Check(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return 0;
  std::fprintf(stderr, "commit_floor: %s: %s\n", what,
               db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  return 1;
}

int Exec(sqlite3* db, const char* sql) {
  return Check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

}  // namespace

int main(int argc, char** argv) {
  bool create = argc == 3 && std::strcmp(argv[1], "--create") == 0;
  if (argc != 2 && !create) {
    std::fprintf(stderr, "usage: commit_floor [--create] FILE\n");
    return 2;
  }
  const char* path = argv[argc - 1];
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (Check(db, sqlite3_open_v2(path, &db, flags, nullptr), "opening the database")) return 1;
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  int persist = 1;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  int rc = Exec(db, "PRAGMA synchronous=FULL");
  if (create && rc == 0) {
    rc = Exec(
        db,
        "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
  }
  if (!create && rc == 0) {
    rc = Exec(db, "BEGIN IMMEDIATE; INSERT INTO t(v) VALUES ('x'); COMMIT");
  }
  sqlite3_close_v2(db);
  return rc;
}
