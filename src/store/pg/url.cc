#include "store/pg/url.h"

#include <fmt/format.h>

#include <cstdlib>

#include "store/pg/pq.h"

namespace tg::store::pg {

namespace {

// libpq's default places for these are under $HOME (~/.pgpass, ~/.postgresql/...). A path that
// cannot exist (a file below /dev/null) makes libpq skip them, as it skips missing files.
constexpr const char* kNoFile = "/dev/null/tg-not-configured";

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

bool IsDatabaseUrl(const std::string& text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::string StripPassword(const std::string& url) {
  std::string out = url;
  size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  size_t start = scheme + 3;
  size_t end = out.find_first_of("/?", start);
  if (end == std::string::npos) end = out.size();
  size_t at = out.rfind('@', end);
  if (at != std::string::npos && at >= start) {
    size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  // ...?password=x&sslmode=require -> ...?sslmode=require
  size_t q = out.find('?');
  if (q == std::string::npos) return out;
  std::string query = out.substr(q + 1), kept;
  for (size_t pos = 0; pos <= query.size();) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    std::string part = query.substr(pos, amp - pos);
    if (!part.empty() && !part.starts_with("password=")) kept += (kept.empty() ? "" : "&") + part;
    pos = amp + 1;
  }
  out.erase(q);
  return kept.empty() ? out : out + "?" + kept;
}

Result<ConnSpec> ParseUrl(const std::string& url) {
  if (!IsDatabaseUrl(url)) {
    return Fail(Code::kValidationFailed,
                fmt::format("'{}' is not a PostgreSQL URL; use postgresql://[user@]host[:port]/"
                            "database[?sslmode=...]",
                            StripPassword(url)));
  }
  TG_ASSIGN(const Pq* pq, LoadPq());
  char* err = nullptr;
  PQconninfoOption* opts = pq->PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string why = err ? err : "not a valid URL";
    if (err) pq->PQfreemem(err);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Fail(Code::kValidationFailed,
                fmt::format("the database URL {} is not valid ({}); use postgresql://[user@]host"
                            "[:port]/database",
                            StripPassword(url), why));
  }
  ConnSpec spec;
  spec.url = StripPassword(url);
  bool has_rootcert = false;
  std::string sslmode;
  auto set = [&](const std::string& k, const std::string& v) {
    for (auto& kv : spec.keywords) {
      if (kv.first == k) {
        kv.second = v;
        return;
      }
    }
    spec.keywords.emplace_back(k, v);
  };
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string k = o->keyword, v = o->val;
    set(k, v);
    if (k == "host") spec.host = v;
    if (k == "port") spec.port = v;
    if (k == "dbname") spec.dbname = v;
    if (k == "sslrootcert") has_rootcert = true;
    if (k == "sslmode") sslmode = v;
  }
  pq->PQconninfoFree(opts);
  if (sslmode.empty()) sslmode = EnvOr("PGSSLMODE", "");
  if (!has_rootcert && std::getenv("PGSSLROOTCERT")) has_rootcert = true;
  if ((sslmode == "verify-ca" || sslmode == "verify-full") && !has_rootcert) {
    return Fail(Code::kValidationFailed,
                fmt::format("sslmode={} needs the server's CA certificate named: add "
                            "sslrootcert=/path/to/ca.crt to the URL (tg reads nothing from "
                            "~/.postgresql)",
                            sslmode));
  }
  // Files libpq would otherwise look for under $HOME: only what the user names is read.
  const std::pair<const char*, const char*> files[] = {
      {"passfile", "PGPASSFILE"},       {"sslcert", "PGSSLCERT"}, {"sslkey", "PGSSLKEY"},
      {"sslrootcert", "PGSSLROOTCERT"}, {"sslcrl", "PGSSLCRL"},   {"sslcrldir", "PGSSLCRLDIR"}};
  for (const auto& [key, env] : files) {
    bool given = false;
    for (const auto& kv : spec.keywords) given = given || kv.first == key;
    if (!given) set(key, EnvOr(env, kNoFile));
  }
  bool gss = false;
  for (const auto& kv : spec.keywords) gss = gss || kv.first == "gssencmode";
  if (!gss && !std::getenv("PGGSSENCMODE")) set("gssencmode", "disable");
  set("application_name", "tg");
  if (spec.host.empty()) spec.host = EnvOr("PGHOST", "/var/run/postgresql");
  if (spec.port.empty()) spec.port = EnvOr("PGPORT", "5432");
  if (spec.dbname.empty()) spec.dbname = EnvOr("PGDATABASE", "");
  spec.where = spec.host.starts_with('/')
                   ? fmt::format("socket {}/.s.PGSQL.{}", spec.host, spec.port)
                   : fmt::format("{}:{}", spec.host, spec.port);
  if (!spec.dbname.empty()) spec.where += ", database " + spec.dbname;
  return spec;
}

}  // namespace tg::store::pg
