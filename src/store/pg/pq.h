// libpq, loaded when a PostgreSQL graph is first opened. The tg binary links everything but
// glibc statically (a short-lived command pays no symbol binding); libpq's own dependencies
// (OpenSSL, Kerberos, LDAP, GnuTLS) would add a dozen shared libraries to every SQLite command,
// so they are mapped only by commands that use a PostgreSQL store. Internal to src/store/pg/.
#pragma once

#include <libpq-fe.h>

#include "core/error.h"

namespace tg::store::pg {

// Every libpq function the store calls, as (name, return type, parameters).
#define TG_PQ_FUNCTIONS(X)                                                                    \
  X(PQconnectStartParams, PGconn*, (const char* const*, const char* const*, int))             \
  X(PQconnectPoll, PostgresPollingStatusType, (PGconn*))                                      \
  X(PQstatus, ConnStatusType, (const PGconn*))                                                \
  X(PQsocket, int, (const PGconn*))                                                           \
  X(PQerrorMessage, char*, (const PGconn*))                                                   \
  X(PQfinish, void, (PGconn*))                                                                \
  X(PQexec, PGresult*, (PGconn*, const char*))                                                \
  X(PQexecParams, PGresult*,                                                                  \
    (PGconn*, const char*, int, const Oid*, const char* const*, const int*, const int*, int)) \
  X(PQprepare, PGresult*, (PGconn*, const char*, const char*, int, const Oid*))               \
  X(PQexecPrepared, PGresult*,                                                                \
    (PGconn*, const char*, int, const char* const*, const int*, const int*, int))             \
  X(PQenterPipelineMode, int, (PGconn*))                                                      \
  X(PQexitPipelineMode, int, (PGconn*))                                                       \
  X(PQpipelineSync, int, (PGconn*))                                                           \
  X(PQsendQueryParams, int,                                                                   \
    (PGconn*, const char*, int, const Oid*, const char* const*, const int*, const int*, int)) \
  X(PQsendPrepare, int, (PGconn*, const char*, const char*, int, const Oid*))                 \
  X(PQsendQueryPrepared, int,                                                                 \
    (PGconn*, const char*, int, const char* const*, const int*, const int*, int))             \
  X(PQgetResult, PGresult*, (PGconn*))                                                        \
  X(PQresultStatus, ExecStatusType, (const PGresult*))                                        \
  X(PQresultErrorField, char*, (const PGresult*, int))                                        \
  X(PQresultErrorMessage, char*, (const PGresult*))                                           \
  X(PQntuples, int, (const PGresult*))                                                        \
  X(PQnfields, int, (const PGresult*))                                                        \
  X(PQfname, char*, (const PGresult*, int))                                                   \
  X(PQftype, Oid, (const PGresult*, int))                                                     \
  X(PQgetvalue, char*, (const PGresult*, int, int))                                           \
  X(PQgetlength, int, (const PGresult*, int, int))                                            \
  X(PQgetisnull, int, (const PGresult*, int, int))                                            \
  X(PQcmdTuples, char*, (PGresult*))                                                          \
  X(PQclear, void, (PGresult*))                                                               \
  X(PQconsumeInput, int, (PGconn*))                                                           \
  X(PQnotifies, PGnotify*, (PGconn*))                                                         \
  X(PQfreemem, void, (void*))                                                                 \
  X(PQsetNoticeProcessor, PQnoticeProcessor, (PGconn*, PQnoticeProcessor, void*))             \
  X(PQconnectionUsedPassword, int, (const PGconn*))                                           \
  X(PQconninfoParse, PQconninfoOption*, (const char*, char**))                                \
  X(PQconninfoFree, void, (PQconninfoOption*))

struct Pq {
#define TG_PQ_MEMBER(name, ret, params) ret(*name) params = nullptr;
  TG_PQ_FUNCTIONS(TG_PQ_MEMBER)
#undef TG_PQ_MEMBER
};

// The loaded library; IO_ERROR saying what to install when libpq5 is missing.
Result<const Pq*> LoadPq();

}  // namespace tg::store::pg
