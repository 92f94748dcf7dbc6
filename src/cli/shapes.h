// The JSON contract (spec section 6): one function per entity, so the same entity has the
// same shape in every command. Documented in docs/json.md.
#pragma once

#include <nlohmann/json.hpp>

#include "app/batch.h"
#include "app/views.h"
#include "core/model.h"

namespace tg::cli {

using json = nlohmann::ordered_json;

// The time this command reads the graph at: `lease_expired` is derived from it in every task
// object, whichever view produced the task. Set once per command (Session::Ctx).
void SetRenderTime(Millis now);

json TimeJson(const std::optional<Millis>& t);
json PlanJson(const Plan& p);
json PlanRowJson(const app::PlanRow& r);  // plan + task counts
json TaskJson(const Task& t);             // the common task object
json TaskDetailJson(const app::TaskDetail& d);
json GateJson(const Gate& g);
json EventJson(const Event& e);
json CommitJson(const Commit& c);
json RelatedJson(const store::Related& r);
// One element of a batch command's array.
json ItemJson(const app::ItemResult& r, bool with_plan_completed);
json ErrorJson(const Error& e);
json StatusJson(const app::StatusSummary& s);

}  // namespace tg::cli
