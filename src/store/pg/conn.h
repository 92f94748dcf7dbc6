// One libpq connection with tg's error mapping, and query results read by row and column.
// Internal to src/store/pg/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "store/history.h"
#include "store/pg/pq.h"
#include "store/pg/url.h"

namespace tg::store::pg {

using Param = std::optional<std::string>;
using Params = std::vector<Param>;

inline Param P(std::string_view v) { return std::string(v); }
inline Param P(const char* v) { return std::string(v); }
inline Param P(const std::string& v) { return v; }
inline Param P(int64_t v) { return std::to_string(v); }
inline Param P(int v) { return std::to_string(v); }
inline Param P(const std::optional<std::string>& v) { return v; }
inline Param P(const std::optional<int>& v) { return v ? Param(std::to_string(*v)) : std::nullopt; }

class PgResult {
 public:
  PgResult(const Pq* pq, PGresult* r) : pq_(pq), r_(r) {}
  PgResult(PgResult&& o) noexcept : pq_(o.pq_), r_(o.r_) { o.r_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult() {
    if (r_) pq_->PQclear(r_);
  }
  int Rows() const { return pq_->PQntuples(r_); }
  int Cols() const { return pq_->PQnfields(r_); }
  std::string Name(int col) const { return pq_->PQfname(r_, col); }
  bool Null(int row, int col) const { return pq_->PQgetisnull(r_, row, col) != 0; }
  std::string Text(int row, int col) const {
    return std::string(pq_->PQgetvalue(r_, row, col),
                       static_cast<size_t>(pq_->PQgetlength(r_, row, col)));
  }
  std::optional<std::string> OptText(int row, int col) const {
    if (Null(row, col)) return std::nullopt;
    return Text(row, col);
  }
  int64_t Int(int row, int col) const;
  std::optional<int> OptInt(int row, int col) const {
    if (Null(row, col)) return std::nullopt;
    return static_cast<int>(Int(row, col));
  }
  double Real(int row, int col) const;
  // A cell as a store-neutral value: integers, reals and text by the column's type.
  Value Cell(int row, int col) const;
  // Rows an INSERT/UPDATE/DELETE touched.
  int64_t Affected() const;

 private:
  const Pq* pq_;
  PGresult* r_;
};

class PgConn {
 public:
  // Connects within `timeout_ms` (TG_CONNECT_TIMEOUT), also against a server that accepts
  // the connection and never answers. IO_ERROR names where, and says when the credentials
  // were refused.
  static Result<std::unique_ptr<PgConn>> Connect(const ConnSpec& spec, int timeout_ms);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Inside a transaction (OnBackend), Exec only queues its statement: the queue goes to the
  // server in one round trip with the next statement that needs an answer (libpq's pipeline
  // mode), and an error in it is that statement's. Writes whose only result is success stop
  // costing a round trip each, and a transaction's round trips are spent holding the writers'
  // lock. Outside a transaction Exec runs at once.
  Result<PgResult> Query(std::string_view sql, const Params& params = {});
  Status Exec(std::string_view sql, const Params& params = {});
  // Sends what Exec queued; Discard drops it (the transaction or unit it belongs to is rolled
  // back).
  Status Flush();
  void Discard() { queued_.clear(); }
  // Where the queue stands; DiscardSince drops what was queued after `mark` and says true
  // when none of it was sent yet (nothing reached the server since).
  struct QueueMark {
    uint64_t sends = 0;
    size_t queued = 0;
  };
  QueueMark Mark() const { return {sends_, queued_.size()}; }
  bool DiscardSince(QueueMark mark) {
    if (mark.sends != sends_) return false;
    queued_.resize(mark.queued);
    return true;
  }
  // Runs several statements without parameters (schema, BEGIN, ...).
  Status Script(std::string_view sql);
  // Several statements in one round trip; the last one's rows.
  Result<PgResult> Batch(std::string_view sql);

  const Pq& pq() const { return *pq_; }
  PGconn* raw() const { return c_; }
  const ConnSpec& spec() const { return spec_; }
  // What tg was doing, for messages ("reading tasks").
  std::string_view what = "using the store";
  // TG_LOCK_TIMEOUT: every transaction that may wait for a lock sets it locally (SET LOCAL in
  // its first round trip), not the connection's startup options, which poolers such as
  // PgBouncer refuse.
  int64_t lock_timeout_ms = 30'000;
  // "SET LOCAL lock_timeout = ...", to send at the start of such a transaction.
  std::string SetLockTimeout() const;

  // Inside a transaction on server process `pid` (PgTxn::Begin asks for it; 0: none), a query
  // run a second time is prepared on that process and runs prepared from then on, so a
  // long-lived connection (tg mcp, the dashboard) stops paying the server's parse and plan for
  // every query. Names carry a per-connection nonce and the cache knows on which server
  // processes each statement exists: behind a transaction-mode pooler, which hands every
  // transaction any server process, nothing runs that was prepared on another. Outside a
  // transaction nothing is prepared.
  void OnBackend(int pid) { backend_ = pid; }

 private:
  PgConn(const Pq* pq, PGconn* c, ConnSpec spec);
  // The contract's error for a failed result (nullptr: the connection's own error), saying
  // what tg was `doing`.
  Error ErrorOf(PGresult* r, std::string_view doing) const;
  Error ErrorOf(PGresult* r) const { return ErrorOf(r, what); }
  // `r` as a result, or its error (the result freed).
  Result<PgResult> Take(PGresult* r);

  // One statement to send: unnamed, already prepared (name), or to prepare now (prepare).
  struct Send {
    const std::string* sql;
    const Params* params;
    const char* name = nullptr;
    bool prepare = false;
  };
  Send Plan(const std::string& sql, const Params& params);
  void Unprepared(const std::string& sql);
  // After a failed statement: if the server did not have a statement the cache said it had
  // (its processes restarted behind a pooler, or one was reused) or had one it said it had
  // not, the cache is wrong for good, so it starts again under new names. This transaction
  // fails; the next one prepares afresh.
  bool Stale(PGresult* failed) const;
  void NewNames();
  Result<PgResult> Run(const Send& s);
  // The queued statements and then `last` (if any) in one pipeline; `last`'s result.
  Result<std::optional<PgResult>> Pipeline(const Send* last);

  struct Queued {
    std::string sql;
    Params params;
    std::string_view what;
  };
  // A bound on the queue, so a long run of writes (a migration's copy) is sent in pieces.
  static constexpr size_t kMaxQueued = 64;
  std::vector<Queued> queued_;
  uint64_t sends_ = 0;  // statements or pipelines sent

  struct Statement {
    std::string name;
    int uses = 0;
    std::vector<int> backends;  // the server processes it is prepared on
  };
  // Bounded: a statement built with literals (IN lists) must not grow it without end.
  static constexpr size_t kMaxStatements = 256;

  const Pq* pq_;
  PGconn* c_;
  ConnSpec spec_;
  std::string nonce_;
  int backend_ = 0;
  std::unordered_map<std::string, Statement> statements_;
};

// "postgresql://host/db" with nothing secret, for messages.
std::string Where(const ConnSpec& spec);

}  // namespace tg::store::pg
