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
                              const std::function<Status(store::Writer&, ItemResult&)>& op) {
  TG_ASSIGN(auto w, ctx.store.Write(ctx.holder));
  BatchOutcome out;
  std::vector<std::string> changed;
  for (const auto& input : inputs) {
    ItemResult r;
    r.input = input;
    TG_TRY(w->BeginUnit());
    Status st = op(*w, r);
    if (!st) {
      if (IsFatal(st.error().code)) return std::unexpected(st.error());
      r.error = st.error();
      r.changed = false;
      TG_TRY(w->UndoUnit());
    } else {
      if (r.changed) changed.push_back(Name(r));
      TG_TRY(w->EndUnit());
    }
    out.value.push_back(std::move(r));
  }
  std::string message = changed.size() == 1 ? fmt::format("{} {}", verb, changed.front())
                                            : fmt::format("{} {} items: {}", verb, changed.size(),
                                                          fmt::join(changed, ", "));
  TG_ASSIGN(out.commit, w->Commit(ctx.agent, message, ctx.ids, ctx.commit));
  return out;
}

}  // namespace tg::app
