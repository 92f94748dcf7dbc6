// The JSON contract (spec section 6), shared by every front end (CLI, MCP server, dashboard):
// one function per entity and per result, so the same thing has the same shape everywhere.
// Documented in docs/json.md. Nothing here reads the clock or any process state: every value
// comes from what the use case returned.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/agent_context.h"
#include "app/batch.h"
#include "app/doctor.h"
#include "app/graph_ops.h"
#include "app/import.h"
#include "app/init.h"
#include "app/leases.h"
#include "app/views.h"
#include "core/model.h"

namespace tg::api {

using Json = nlohmann::ordered_json;

Json TimeJson(const std::optional<Millis>& t);
// Stored JSON text (acceptance, risks, a note body) as JSON; text that does not parse stays a
// string, and no text is null.
Json ParsedOr(const std::optional<std::string>& text);
Json ErrorJson(const Error& e);  // {"code", "message"}, and "details" when the error has a list

// ---- entities ----
Json PlanJson(const Plan& p);
Json PlanRowJson(const app::PlanRow& r);  // plan + task counts
Json TaskJson(const Task& t);             // the common task object
Json TaskDetailJson(const app::TaskDetail& d);
Json GateJson(const Gate& g);
Json EventJson(const Event& e);
Json CommitJson(const Commit& c);
Json RelatedJson(const store::Related& r);
template <class T, class F>
Json Array(const std::vector<T>& items, F&& shape) {
  Json a = Json::array();
  for (const auto& x : items) a.push_back(shape(x));
  return a;
}
inline Json TaskArray(const std::vector<Task>& t) { return Array(t, TaskJson); }

// ---- results ----
Json StatusJson(const app::StatusSummary& s);
Json EdgeJson(const app::EdgeOutcome& e);   // edge add / remove
Json BlockJson(const app::EdgeOutcome& e);  // block --on: seen from the waiting task
Json SplitJson(const app::SplitOutcome& s);
Json PlanSummaryJson(const app::PlanSummary& s);
Json SnapshotJson(const GraphSnapshot& g);  // export json
Json ImportJson(const app::Written<app::ImportOutcome>& w, const std::string& file,
                const std::vector<std::string>& warnings);
Json DoctorJson(const std::vector<app::Finding>& findings);
Json InitJson(const app::InitOutcome& o);
Json RecoverJson(const std::vector<app::Recovered>& recovered, bool dry_run);

}  // namespace tg::api
