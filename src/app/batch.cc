#include "app/batch.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tg::app {

namespace {

// Errors that mean the store itself failed, as opposed to this one item being refused.
bool IsFatal(Code c) {
  return c == Code::kStoreBusy || c == Code::kIoError || c == Code::kStoreCorrupt ||
         c == Code::kReadOnly || c == Code::kInternal || c == Code::kSchemaTooNew;
}

std::string Name(const ItemResult& r) {
  if (r.task) return r.task->hash_id;
  if (r.plan) return r.plan->hash_id;
  return r.input;
}

}  // namespace

Result<BatchOutcome> RunBatch(Context& ctx, const std::vector<std::string>& inputs,
                              std::string_view verb,
                              const std::function<Status(store::Db&, Millis, ItemResult&)>& op) {
  TG_ASSIGN(auto txn, store::WriteTxn::Begin(ctx.store, ctx.holder));
  store::Db& db = txn->db();
  Millis now = ctx.clock.Now();
  BatchOutcome out;
  std::vector<std::string> changed;
  for (const auto& input : inputs) {
    ItemResult r;
    r.input = input;
    TG_TRY(db.Exec("SAVEPOINT item"));
    Status st = op(db, now, r);
    if (!st) {
      if (IsFatal(st.error().code)) return std::unexpected(st.error());
      r.error = st.error();
      r.changed = false;
      TG_TRY(db.Exec("ROLLBACK TO item"));
    } else if (r.changed) {
      changed.push_back(Name(r));
    }
    TG_TRY(db.Exec("RELEASE item"));
    out.value.push_back(std::move(r));
  }
  std::string message = changed.size() == 1 ? fmt::format("{} {}", verb, changed.front())
                                            : fmt::format("{} {} items: {}", verb, changed.size(),
                                                          fmt::join(changed, ", "));
  TG_ASSIGN(out.commit, txn->Finish(ctx.agent, message, now, ctx.ids, ctx.commit));
  return out;
}

}  // namespace tg::app
