// Id resolution for tasks, plans and gates (contract section 2).
#include <fmt/format.h>

#include <array>

#include "core/ids.h"
#include "store/entity_tables.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

Result<std::vector<IdMatch>> Query(Db& db, const std::string& sql,
                                   const std::vector<std::string>& args) {
  TG_ASSIGN(Stmt st, db.Prepare(sql));
  for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
  std::vector<IdMatch> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(IdMatch{st.Text(0), st.Text(1), st.Text(2)});
  }
  return out;
}

}  // namespace

Result<std::vector<IdMatch>> SqliteTxn::MatchIds(Entity entity, std::string_view input, int limit) {
  EntityTable e = TableFor(entity);
  IdQuery q = ParseIdQuery(input);
  std::string cols =
      fmt::format("SELECT {0}, hash_id, {1} FROM {2} WHERE ", e.id_col, e.title_col, e.table);
  if (!q.uuid.empty()) {
    TG_ASSIGN(auto m, Query(db_, cols + e.id_col + " = ?", {q.uuid}));
    if (!m.empty()) return m;
  }
  TG_ASSIGN(auto exact, Query(db_, cols + "hash_id = ?", {q.exact}));
  if (!exact.empty()) return exact;
  if (q.hex_prefix.empty()) return std::vector<IdMatch>{};
  // GLOB with a literal prefix is answered from the UNIQUE indexes on both columns.
  std::string sql = fmt::format("{0} hash_id GLOB ?1 UNION {0} {1} GLOB ?2 ORDER BY 2 LIMIT {2}",
                                cols, e.id_col, limit);
  return Query(db_, sql,
               {std::string(e.prefix) + q.hex_prefix + "*", DashUuidPrefix(q.hex_prefix) + "*"});
}

Result<std::vector<IdMatch>> SqliteTxn::MatchPlanTitle(std::string_view title, int limit) {
  std::string base = "SELECT plan_id, hash_id, title FROM plans WHERE ";
  TG_ASSIGN(auto exact,
            Query(db_, base + fmt::format("title = ? ORDER BY created_at, rowid LIMIT {}", limit),
                  {std::string(title)}));
  if (!exact.empty()) return exact;
  return Query(
      db_,
      base + fmt::format("title = ? COLLATE NOCASE ORDER BY created_at, rowid LIMIT {}", limit),
      {std::string(title)});
}

Result<std::vector<IdMatch>> SqliteTxn::IdsByPrefix(Entity entity, std::string_view prefix,
                                                    int limit) {
  // GLOB with a literal prefix is answered from an index; a prefix holding GLOB's own
  // characters matches nothing rather than a pattern.
  if (prefix.find_first_of("*?[]") != std::string_view::npos) return std::vector<IdMatch>{};
  EntityTable e = TableFor(entity);
  std::string pattern = std::string(prefix) + "*";
  // "3fa" completes to "tg-3fa…", as the prefix resolves.
  bool bare = !prefix.starts_with(e.prefix) && !std::string_view(e.prefix).starts_with(prefix);
  std::string id_pattern = bare ? std::string(e.prefix) + pattern : pattern;
  if (entity != Entity::kPlan) {
    return Query(db_,
                 fmt::format("SELECT {}, hash_id, {} FROM {} WHERE hash_id GLOB ? ORDER BY 2 "
                             "LIMIT {}",
                             e.id_col, e.title_col, e.table, limit),
                 {id_pattern});
  }
  return Query(db_,
               fmt::format("SELECT plan_id, hash_id, title FROM plans WHERE status != 'abandoned' "
                           "AND (hash_id GLOB ? OR title GLOB ?) ORDER BY title LIMIT {}",
                           limit),
               {id_pattern, pattern});
}

Result<std::string> SqliteTxn::AllocateShortId(Entity entity, std::string_view uuid) {
  TG_TRY(RequireWrite());
  EntityTable e = TableFor(entity);
  // Formatted once per table, not per id: an import allocates 100,000.
  static const std::array<std::string, 3> kSql = [] {
    std::array<std::string, 3> out;
    for (Entity en : {Entity::kTask, Entity::kPlan, Entity::kGate}) {
      out[static_cast<size_t>(en)] =
          fmt::format("SELECT 1 FROM {} WHERE hash_id = ?", TableFor(en).table);
    }
    return out;
  }();
  const std::string& sql = kSql[static_cast<size_t>(entity)];
  for (size_t digits = 6; digits <= 32; ++digits) {
    std::string id = ShortId(e.prefix, uuid, digits);
    TG_ASSIGN(Stmt st, db_.Prepare(sql));
    st.Bind(1, id);
    TG_ASSIGN(bool taken, st.Step());
    if (!taken) return id;
  }
  return Fail(Code::kInternal, fmt::format("no free short id for {}", uuid));
}

}  // namespace tg::store::sqlite
