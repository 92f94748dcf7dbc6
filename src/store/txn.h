// Transactions. A WriteTxn is the only way to change the store: it queues for the write lock,
// opens BEGIN IMMEDIATE, and records every row change of the history tables in a SQLite
// session, so that Finish() can write exactly one commit (or fold the change into the pending
// --no-commit record). No code path can forget to record a change.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "store/store.h"
#include "store/write_lock.h"

typedef struct sqlite3_session sqlite3_session;

namespace tg::store {

struct CommitOptions {
  bool no_commit = false;              // --no-commit
  std::optional<std::string> message;  // --commit-msg, replaces the generated message
};

struct CommitInfo {
  std::string commit_id;  // empty when the change went to the pending record
  int changes = 0;        // row changes in this command (before absorbing pending ones)
  bool pending = false;
};

class WriteTxn {
 public:
  // `holder` names this process for waiters' STORE_BUSY messages.
  static Result<std::unique_ptr<WriteTxn>> Begin(Store& store, const std::string& holder);
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  ~WriteTxn();  // rolls back unless Finish() succeeded

  Db& db() { return store_.db(); }
  Store& store() { return store_; }

  // Commits the transaction. If history rows changed, writes one commit authored by `author`
  // with `message` (or opts.message), absorbing any pending record; with opts.no_commit the
  // change is folded into the pending record instead. Returns nullopt when nothing changed.
  Result<std::optional<CommitInfo>> Finish(const std::string& author, const std::string& message,
                                           Millis now, IdSource& ids, const CommitOptions& opts);

 private:
  WriteTxn(Store& store, WriteLock lock) : store_(store), lock_(std::move(lock)) {}
  Store& store_;
  WriteLock lock_;
  sqlite3_session* session_ = nullptr;
  bool open_ = false;
};

// A consistent snapshot for a read-only command made of several queries. Never blocks writers.
class ReadTxn {
 public:
  static Result<std::unique_ptr<ReadTxn>> Begin(Store& store);
  ~ReadTxn();
  Db& db() { return store_.db(); }

 private:
  explicit ReadTxn(Store& store) : store_(store) {}
  Store& store_;
};

}  // namespace tg::store
