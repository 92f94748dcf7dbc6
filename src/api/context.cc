#include "api/context.h"

#include <algorithm>

#include "app/heartbeat.h"

namespace tg::api {

namespace {

std::string Cut(const std::string& s, size_t n) { return s.size() > n ? s.substr(0, n) + "…" : s; }

// Replace, never throw: a store an older tg filled may hold invalid UTF-8.
std::string Text(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

int Tokens(const Json& j) { return static_cast<int>(Text(j).size() / 4); }

Json Uncompacted(const app::TaskContext& c) {
  const Task& t = c.task;
  Json blockers = Json::array();
  for (const auto& b : c.blockers) {
    blockers.push_back({{"task_id", b.task.task_id},
                        {"hash_id", b.task.hash_id},
                        {"title", b.task.title},
                        {"status", ToString(b.task.status)},
                        {"evidence", b.evidence ? Json(*b.evidence) : Json(nullptr)}});
  }
  Json gates = Json::array();
  for (const auto& g : c.pending_gates) gates.push_back(GateJson(g));
  Json notes = Json::array();
  for (const auto& n : c.notes) {
    notes.push_back({{"agent", n.agent},
                     {"message", app::NoteMessage(n)},
                     {"created_at", FormatIso(n.created_at)}});
  }
  Json doc_paths = Json::array(), skill_docs = Json::array();
  for (const auto& d : c.docs) doc_paths.push_back("docs/" + d + ".md");
  for (const auto& s : c.skills) skill_docs.push_back("docs/skills/" + s + ".md");
  Json j = {{"task_id", t.task_id},
            {"hash_id", t.hash_id},
            {"title", t.title},
            {"status", ToString(t.status)},
            {"claimed_by", t.claimed_by ? Json(*t.claimed_by) : Json(nullptr)},
            {"agent", t.agent ? Json(*t.agent) : Json(nullptr)},
            {"intent", t.intent ? Json(*t.intent) : Json(nullptr)},
            {"change_type", t.change_type ? Json(*t.change_type) : Json(nullptr)},
            {"suggested_changes", t.suggested_changes ? Json(*t.suggested_changes) : Json(nullptr)},
            {"priority", t.priority ? Json(*t.priority) : Json(nullptr)},
            {"risk", ToString(t.risk)},
            {"estimate_mins", t.estimate_mins ? Json(*t.estimate_mins) : Json(nullptr)},
            {"acceptance", ParsedOr(t.acceptance)},
            {"tests", ParsedOr(t.tests)},
            {"plan_tests", ParsedOr(c.plan.tests)},
            {"plan_id", c.plan.plan_id},
            {"plan_name", c.plan.title},
            {"plan_overview", c.plan.overview         ? Json(*c.plan.overview)
                              : c.plan.intent.empty() ? Json(nullptr)
                                                      : Json(c.plan.intent)},
            {"docs", c.docs},
            {"skills", c.skills},
            {"doc_paths", doc_paths},
            {"skill_docs", skill_docs},
            {"file_tree", c.plan.file_tree ? Json(*c.plan.file_tree) : Json(nullptr)},
            {"risks", ParsedOr(c.plan.risks)},
            {"immediate_blockers", blockers},
            {"blocked_by", t.blocked_by},
            {"pending_gates", gates},
            {"notes", notes},
            {"compacted", Json::array()}};
  j["token_estimate"] = Tokens(j);
  return j;
}

// Shrinks the context until it fits the budget, cheapest losses first.
void Compact(Json& j, int budget) {
  auto fits = [&] {
    j["token_estimate"] = Tokens(j);
    return j["token_estimate"].get<int>() <= budget;
  };
  if (budget <= 0 || fits()) return;
  auto step = [&](const char* name, auto&& f) {
    if (fits()) return;
    std::string before = Text(j);
    f();
    if (Text(j) != before) j["compacted"].push_back(name);
  };
  step("blocker_evidence", [&] {
    for (auto& b : j["immediate_blockers"]) {
      if (b["evidence"].is_string()) b["evidence"] = Cut(b["evidence"].get<std::string>(), 100);
    }
  });
  step("notes", [&] {
    Json keep = Json::array();
    for (size_t i = 0; i < j["notes"].size() && i < 3; ++i) {
      Json n = j["notes"][i];
      n["message"] = Cut(n["message"].get<std::string>(), 200);
      keep.push_back(n);
    }
    j["notes"] = keep;
  });
  step("file_tree_truncated", [&] {
    if (j["file_tree"].is_string()) j["file_tree"] = Cut(j["file_tree"].get<std::string>(), 500);
  });
  step("file_tree", [&] { j["file_tree"] = nullptr; });
  step("suggested_changes", [&] {
    if (j["suggested_changes"].is_string()) {
      j["suggested_changes"] = Cut(j["suggested_changes"].get<std::string>(), 500);
    }
  });
  fits();
}

}  // namespace

Json HiveJson(const app::HiveView& hive) {
  Json tasks = Json::array();
  for (const auto& h : hive.entries) {
    Json hb = h.heartbeat ? Json(FormatIso(h.heartbeat->created_at)) : Json(nullptr);
    Json phase = h.beat && h.beat->phase ? Json(*h.beat->phase) : Json(nullptr);
    Json files = h.beat ? Json(h.beat->files) : Json::array();
    Json notes = Json::array();
    for (const auto& n : h.recent_notes) {
      notes.push_back({{"body_text", app::NoteMessage(n)},
                       {"agent", n.agent},
                       {"created_at", FormatIso(n.created_at)}});
    }
    const Task& t = h.task;
    tasks.push_back({{"task_id", t.task_id},
                     {"hash_id", t.hash_id},
                     {"title", t.title},
                     {"agent_name", t.claimed_by ? Json(*t.claimed_by) : Json(nullptr)},
                     {"plan_name", t.plan_title},
                     {"change_type", t.change_type ? Json(*t.change_type) : Json(nullptr)},
                     {"claimed_at", TimeJson(t.claimed_at)},
                     {"started_at", TimeJson(t.started_at)},
                     {"lease_expires_at", TimeJson(t.lease_expires_at)},
                     {"heartbeat_at", hb},
                     {"heartbeat_phase", phase},
                     {"heartbeat_files", files},
                     {"recent_notes", notes}});
  }
  return {{"as_of", FormatIso(hive.as_of)}, {"doing_count", hive.entries.size()}, {"tasks", tasks}};
}

Json AgentsJson(const app::HiveView& hive) {
  std::vector<const app::HiveEntry*> order;
  for (const auto& h : hive.entries) order.push_back(&h);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return std::pair(a->task.claimed_by.value_or(""), a->task.started_at.value_or(0)) <
           std::pair(b->task.claimed_by.value_or(""), b->task.started_at.value_or(0));
  });
  Json agents = Json::array();
  for (const auto* h : order) {
    const Task& t = h->task;
    agents.push_back(
        {{"agent", t.claimed_by ? Json(*t.claimed_by) : Json(nullptr)},
         {"task_id", t.task_id},
         {"hash_id", t.hash_id},
         {"task_title", t.title},
         {"plan_title", t.plan_title},
         {"phase", h->beat && h->beat->phase ? Json(*h->beat->phase) : Json(nullptr)},
         {"files", h->beat ? Json(h->beat->files) : Json::array()},
         {"started_at", TimeJson(t.started_at)},
         {"last_heartbeat_at", h->heartbeat ? Json(FormatIso(h->heartbeat->created_at)) : Json()},
         {"last_seen_at", TimeJson(h->last_seen)},
         {"lease_expires_at", TimeJson(t.lease_expires_at)},
         {"lease_expired", t.LeaseExpired(hive.as_of)}});
  }
  return {{"as_of", FormatIso(hive.as_of)}, {"agents", agents}};
}

Json ContextJson(const app::TaskContext& c) {
  Json j = Uncompacted(c);
  if (c.token_budget) Compact(j, *c.token_budget);
  return j;
}

}  // namespace tg::api
