// A thin RAII layer over sqlite3: one connection (Db), cached prepared statements (Stmt), and the
// single table that turns SQLite result codes into tg errors. Internal to the SQLite store.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/hash.h"

namespace tg::store::sqlite {

// Maps a failed SQLite call to a tg error. `what` says what tg was doing ("reading tasks").
Error SqliteError(sqlite3* db, int rc, std::string_view what);

class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();  // resets and clears bindings so the cached statement can be reused

  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, int64_t{v}); }
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& Bind(int i, const std::optional<int>& v);
  Stmt& BindNull(int i);
  Stmt& BindReal(int i, double v);
  Stmt& BindBlob(int i, const void* data, int n);
  // Binds without a copy: `v` must outlive this Stmt's last step (its destructor clears the
  // bindings). For the rows of a large import: a copy per text value was a million mallocs.
  Stmt& BindRef(int i, std::string_view v);
  // Binds without a copy: `data` must outlive this Stmt (its destructor clears the bindings).
  // For a commit's changeset, tens of megabytes on a large import.
  Stmt& BindBlobRef(int i, const void* data, int n);

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to the end, collecting the first column of every row as text.
  Result<std::vector<std::string>> Texts();
  // Steps to completion, for statements that return no rows.
  Status Run();

  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  int64_t Int(int col) const;
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  std::optional<int> OptInt(int col) const;
  bool IsNull(int col) const;
  std::string Blob(int col) const;
  sqlite3_value* Raw(int col) const { return sqlite3_column_value(s_, col); }

 private:
  sqlite3_stmt* s_;
};

class Db {
 public:
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Opens `path` (a file name or a file: URI); `create` also creates the file, `read_only`
  // opens it for reading only. Applies tg's connection settings.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool create, int busy_timeout_ms,
                                          bool read_only = false);

  // A prepared statement for `sql`, cached for the connection's lifetime. Only one Stmt for a
  // given SQL text may be alive at a time.
  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  // The first column of the first row as an integer (0 when there is no row).
  Result<int64_t> QueryInt(std::string_view sql);

  int64_t Changes() const;
  sqlite3* raw() const { return db_; }

 private:
  static constexpr int kCheckpointFrames = 256;  // 1 MiB of 4 KiB pages
  static int OnCommit(void*, sqlite3* db, const char* name, int frames);

  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
  // Hashed: an ordered map compared long SQL texts with common prefixes on every lookup.
  StringMap<sqlite3_stmt*> cache_;
};

}  // namespace tg::store::sqlite
