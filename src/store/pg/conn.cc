#include "store/pg/conn.h"

#include <fmt/format.h>
#include <poll.h>
#include <time.h>

#include <cstdlib>
#include <cstring>

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

Error PgConn::ErrorOf(PGresult* r) const {
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

Result<PgResult> PgConn::Query(std::string_view sql, const Params& params) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r = pq_->PQexecParams(c_, text.c_str(), static_cast<int>(params.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
  ExecStatusType st = r ? pq_->PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    Error e = ErrorOf(r);
    if (r) pq_->PQclear(r);
    return std::unexpected(std::move(e));
  }
  return PgResult(pq_, r);
}

Status PgConn::Exec(std::string_view sql, const Params& params) {
  TG_ASSIGN(auto r, Query(sql, params));
  (void)r;
  return Ok();
}

Result<PgResult> PgConn::Batch(std::string_view sql) {
  std::string text(sql);
  PGresult* r = pq_->PQexec(c_, text.c_str());
  ExecStatusType st = r ? pq_->PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    Error e = ErrorOf(r);
    if (r) pq_->PQclear(r);
    return std::unexpected(std::move(e));
  }
  return PgResult(pq_, r);
}

Status PgConn::Script(std::string_view sql) {
  std::string text(sql);
  PGresult* r = pq_->PQexec(c_, text.c_str());
  ExecStatusType st = r ? pq_->PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    Error e = ErrorOf(r);
    if (r) pq_->PQclear(r);
    return std::unexpected(std::move(e));
  }
  pq_->PQclear(r);
  return Ok();
}

std::string PgConn::SetLockTimeout() const {
  return fmt::format("SET LOCAL lock_timeout = {}", lock_timeout_ms);
}

}  // namespace tg::store::pg
