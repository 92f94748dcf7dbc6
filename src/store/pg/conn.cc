#include "store/pg/conn.h"

#include <fmt/format.h>
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <random>

namespace tg::store::pg {

namespace {

int64_t MonoMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

void Quiet(void*, const char*) {}  // server notices (e.g. "relation exists, skipping")

}  // namespace

int64_t PgResult::Int(int row, int col) const {
  return std::strtoll(pq_->PQgetvalue(r_, row, col), nullptr, 10);
}

double PgResult::Real(int row, int col) const {
  return std::strtod(pq_->PQgetvalue(r_, row, col), nullptr);
}

Value PgResult::Cell(int row, int col) const {
  if (Null(row, col)) return std::monostate{};
  switch (pq_->PQftype(r_, col)) {
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
      return Int(row, col);
    case 700:   // float4
    case 701:   // float8
    case 1700:  // numeric
      return Real(row, col);
    default:
      return Text(row, col);
  }
}

int64_t PgResult::Affected() const {
  const char* n = pq_->PQcmdTuples(r_);
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::string Where(const ConnSpec& spec) { return spec.where; }

Result<std::unique_ptr<PgConn>> PgConn::Connect(const ConnSpec& spec, int timeout_ms) {
  TG_ASSIGN(const Pq* pq, LoadPq());
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : spec.keywords) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* c = pq->PQconnectStartParams(keys.data(), values.data(), 0);
  if (!c) return Fail(Code::kIoError, "cannot start a PostgreSQL connection: out of memory");
  std::unique_ptr<PgConn> conn(new PgConn(pq, c, spec));
  auto failed = [&](const std::string& why) -> Error {
    std::string msg = OneLine(pq->PQerrorMessage(c));
    auto has = [&](const char* s) { return msg.find(s) != std::string::npos; };
    if (why.empty() && has("database \"") && has("does not exist")) {
      return Error{Code::kIoError,
                   fmt::format("PostgreSQL at {} has no such database ({}); create it (createdb) "
                               "or fix the database URL",
                               spec.where, msg)};
    }
    if (why.empty() && (has("password authentication failed") || has("no password supplied") ||
                        has("authentication failed") || has("no pg_hba.conf entry") ||
                        (has("role \"") && has("does not exist")))) {
      return Error{Code::kIoError,
                   fmt::format("PostgreSQL at {} refused the credentials ({}); check the user "
                               "in the URL and PGPASSWORD or the passfile named in it",
                               spec.where, msg)};
    }
    if (why.empty() && (has("SSL") || has("certificate") || has("no encryption"))) {
      return Error{Code::kIoError,
                   fmt::format("PostgreSQL at {} and tg did not agree on TLS ({}); check sslmode "
                               "and sslrootcert in the URL (the authority that signed the "
                               "server's certificate)",
                               spec.where, msg)};
    }
    return Error{Code::kIoError,
                 fmt::format("cannot reach PostgreSQL at {}: {}; check that the server runs and "
                             "that host, port and firewall allow the connection (TG_CONNECT_"
                             "TIMEOUT sets the wait)",
                             spec.where, why.empty() ? msg : why)};
  };
  const int64_t deadline = MonoMs() + timeout_ms;
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;
  for (;;) {
    if (pq->PQstatus(c) == CONNECTION_BAD) return std::unexpected(failed(""));
    if (st == PGRES_POLLING_OK) break;
    if (st == PGRES_POLLING_FAILED) return std::unexpected(failed(""));
    int64_t left = deadline - MonoMs();
    if (left <= 0) {
      return std::unexpected(failed(fmt::format("no answer within {} ms", timeout_ms)));
    }
    pollfd p{pq->PQsocket(c), static_cast<short>(st == PGRES_POLLING_READING ? POLLIN : POLLOUT),
             0};
    int n = poll(&p, 1, static_cast<int>(left));
    if (n == 0) continue;
    if (n < 0 && errno != EINTR) return std::unexpected(failed(std::strerror(errno)));
    st = pq->PQconnectPoll(c);
  }
  pq->PQsetNoticeProcessor(c, Quiet, nullptr);
  return conn;
}

PgConn::~PgConn() {
  if (c_) pq_->PQfinish(c_);
}

Error PgConn::ErrorOf(PGresult* r, std::string_view what) const {
  const char* state = r ? pq_->PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string detail = OneLine(r ? pq_->PQresultErrorMessage(r) : pq_->PQerrorMessage(c_));
  if (detail.empty()) detail = OneLine(pq_->PQerrorMessage(c_));
  if (detail.starts_with("ERROR:  ")) detail = detail.substr(8);
  if (code == "55P03" || code == "40P01" || code == "40001" || code == "57014") {
    return Error{Code::kStoreBusy,
                 fmt::format("the store is busy while {} ({}); another tg process holds it — "
                             "retry, or raise TG_LOCK_TIMEOUT",
                             what, detail)};
  }
  if (code == "42P01" || code == "42703" || code == "42883") {
    return Error{Code::kStoreCorrupt,
                 fmt::format("the PostgreSQL database at {} is not a tg store or is damaged "
                             "while {} ({}); run `tg doctor`, or restore it from a backup",
                             spec_.where, what, detail)};
  }
  if (code == "25006" || code.starts_with("42501")) {
    return Error{Code::kReadOnly,
                 fmt::format("the PostgreSQL database at {} refuses writes while {} ({}); check "
                             "the user's privileges",
                             spec_.where, what, detail)};
  }
  if (code.empty() || code.starts_with("08") || code.starts_with("53") || code.starts_with("57") ||
      code.starts_with("58")) {
    return Error{Code::kIoError, fmt::format("PostgreSQL at {} failed while {} ({}); check the "
                                             "server and the connection",
                                             spec_.where, what, detail)};
  }
  if (code.starts_with("28")) {
    return Error{Code::kIoError,
                 fmt::format("PostgreSQL at {} refused the credentials ({})", spec_.where, detail)};
  }
  return Error{Code::kInternal, fmt::format("database error while {}: {}", what, detail)};
}

PgConn::PgConn(const Pq* pq, PGconn* c, ConnSpec spec) : pq_(pq), c_(c), spec_(std::move(spec)) {
  NewNames();
}

void PgConn::NewNames() {
  static std::atomic<int> names{0};
  nonce_ = fmt::format("tg_{:08x}{:x}_", std::random_device{}(), names++);
  statements_.clear();
}

bool PgConn::Stale(PGresult* failed) const {
  const char* state = failed ? pq_->PQresultErrorField(failed, PG_DIAG_SQLSTATE) : nullptr;
  // 26000: no such prepared statement; 42P05: it exists already.
  return state && (std::strcmp(state, "26000") == 0 || std::strcmp(state, "42P05") == 0);
}

// How `sql` goes to the current server process: prepared there once it is due (its second
// run, sent with that run: a one-shot command repeats few queries, and a statement kept for
// one run only costs the server its memory), by name once prepared. Statements without
// parameters (COMMIT, tg's own fixed queries) stay unnamed.
PgConn::Send PgConn::Plan(const std::string& sql, const Params& params) {
  Send s{&sql, &params};
  if (backend_ == 0 || params.empty()) return s;
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    if (statements_.size() >= kMaxStatements) return s;
    it = statements_.emplace(sql, Statement{nonce_ + std::to_string(statements_.size())}).first;
  }
  Statement& st = it->second;
  s.name = st.name.c_str();
  if (std::ranges::find(st.backends, backend_) != st.backends.end()) return s;
  if (++st.uses < 2) {
    s.name = nullptr;
    return s;
  }
  // Counted as prepared from here, so the same statement twice in one pipeline is prepared
  // once; Unprepared() takes it back if the server refused.
  s.prepare = true;
  st.backends.push_back(backend_);
  return s;
}

void PgConn::Unprepared(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end())
    std::erase(it->second.backends, backend_);
}

namespace {

std::vector<const char*> Values(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

}  // namespace

// One statement, unnamed or by the name it is prepared under, in a round trip of its own.
Result<PgResult> PgConn::Run(const Send& s) {
  ++sends_;
  const int n = static_cast<int>(s.params->size());
  auto values = Values(*s.params);
  PGresult* r = s.name ? pq_->PQexecPrepared(c_, s.name, n, values.data(), nullptr, nullptr, 0)
                       : pq_->PQexecParams(c_, s.sql->c_str(), n, nullptr, values.data(), nullptr,
                                           nullptr, 0);
  return Take(r);
}

Result<PgResult> PgConn::Take(PGresult* r) {
  ExecStatusType st = r ? pq_->PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    Error e = ErrorOf(r);
    if (Stale(r)) NewNames();
    if (r) pq_->PQclear(r);
    return std::unexpected(std::move(e));
  }
  return PgResult(pq_, r);
}

// The queued statements and then `last` (if any), preparing those that are due, in one round
// trip.
Result<std::optional<PgResult>> PgConn::Pipeline(const Send* last) {
  ++sends_;
  std::vector<Queued> queued = std::move(queued_);
  queued_.clear();
  std::vector<Send> sends;
  std::vector<std::string_view> whats;
  for (const auto& q : queued) {
    sends.push_back(Plan(q.sql, q.params));
    whats.push_back(q.what);
  }
  if (last) {
    sends.push_back(*last);
    whats.push_back(what);
  }
  if (pq_->PQenterPipelineMode(c_) != 1) return std::unexpected(ErrorOf(nullptr));
  bool sent = true;
  for (const Send& s : sends) {
    const int n = static_cast<int>(s.params->size());
    auto values = Values(*s.params);
    if (s.prepare) sent = sent && pq_->PQsendPrepare(c_, s.name, s.sql->c_str(), n, nullptr) == 1;
    sent = sent &&
           (s.name ? pq_->PQsendQueryPrepared(c_, s.name, n, values.data(), nullptr, nullptr, 0)
                   : pq_->PQsendQueryParams(c_, s.sql->c_str(), n, nullptr, values.data(), nullptr,
                                            nullptr, 0)) == 1;
  }
  sent = sent && pq_->PQpipelineSync(c_) == 1;
  // Every result is read up to the sync, also after an error, so the connection stays usable.
  std::optional<Error> failed;
  bool stale = false;
  std::optional<PgResult> out;
  auto next = [&](std::string_view doing) -> PGresult* {
    PGresult* r = pq_->PQgetResult(c_);
    if (!r) return nullptr;
    ExecStatusType st = pq_->PQresultStatus(r);
    if (st == PGRES_FATAL_ERROR && !failed) {
      failed = ErrorOf(r, doing);
      stale = Stale(r);
    }
    // Each statement's results end with a null.
    while (PGresult* more = pq_->PQgetResult(c_)) pq_->PQclear(more);
    return r;
  };
  if (sent) {
    for (size_t i = 0; i < sends.size(); ++i) {
      if (sends[i].prepare) {
        PGresult* p = next(whats[i]);
        if (!p || pq_->PQresultStatus(p) != PGRES_COMMAND_OK) Unprepared(*sends[i].sql);
        if (p) pq_->PQclear(p);
      }
      PGresult* r = next(whats[i]);
      if (i + 1 == sends.size() && last && r && !failed) {
        out.emplace(pq_, r);
      } else if (r) {
        pq_->PQclear(r);
      }
    }
    PGresult* sync = pq_->PQgetResult(c_);
    if (!sync || pq_->PQresultStatus(sync) != PGRES_PIPELINE_SYNC) sent = false;
    if (sync) pq_->PQclear(sync);
  }
  if (!sent) {
    for (const Send& s : sends) {
      if (s.prepare) Unprepared(*s.sql);
    }
  }
  if (pq_->PQexitPipelineMode(c_) != 1) sent = false;
  if (stale) NewNames();
  if (failed) return std::unexpected(std::move(*failed));
  if (!sent) return std::unexpected(ErrorOf(nullptr));
  return out;
}

Status PgConn::Flush() {
  if (queued_.empty()) return Ok();
  TG_ASSIGN(auto r, Pipeline(nullptr));
  (void)r;
  return Ok();
}

Result<PgResult> PgConn::Query(std::string_view sql, const Params& params) {
  std::string text(sql);
  Send s = Plan(text, params);
  if (queued_.empty() && !s.prepare) return Run(s);
  // Preparing goes with the first run by name, in one round trip.
  TG_ASSIGN(auto r, Pipeline(&s));
  if (!r) return Fail(Code::kInternal, "a pipelined query returned no result");
  return std::move(*r);
}

Status PgConn::Exec(std::string_view sql, const Params& params) {
  if (backend_ == 0) {
    TG_ASSIGN(auto r, Query(sql, params));
    (void)r;
    return Ok();
  }
  queued_.push_back({std::string(sql), params, what});
  if (queued_.size() >= kMaxQueued) return Flush();
  return Ok();
}

Result<PgResult> PgConn::Batch(std::string_view sql) {
  TG_TRY(Flush());
  ++sends_;
  return Take(pq_->PQexec(c_, std::string(sql).c_str()));
}

Status PgConn::Script(std::string_view sql) {
  TG_ASSIGN(auto r, Batch(sql));
  (void)r;
  return Ok();
}

std::string PgConn::SetLockTimeout() const {
  return fmt::format("SET LOCAL lock_timeout = {}", lock_timeout_ms);
}

}  // namespace tg::store::pg
