#include "export/export.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace tg::exporter {

namespace {

// Mermaid labels sit in double quotes; it has its own entity syntax for the quote itself.
std::string MermaidLabel(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"') {
      out += "#quot;";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string NodeId(const Task& t) {
  std::string id = t.hash_id;
  for (char& c : id) {
    if (c == '-') c = '_';
  }
  return id;
}

std::string StatusWord(TaskStatus s) {
  switch (s) {
    case TaskStatus::kDone:
      return "completed";
    case TaskStatus::kCanceled:
      return "canceled";
    case TaskStatus::kDoing:
      return "in_progress";
    default:
      return "pending";
  }
}

}  // namespace

std::string DotString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string ToMermaid(const GraphSnapshot& g) {
  std::map<std::string, const Task*> by_id;
  std::string out = "graph TD\n";
  for (const auto& t : g.tasks) {
    by_id[t.task_id] = &t;
    out += fmt::format("  {}[\"{} ({})\"]\n", NodeId(t), MermaidLabel(t.title), ToString(t.status));
  }
  for (const auto& e : g.edges) {
    out +=
        fmt::format("  {} {} {}\n", NodeId(*by_id.at(e.from_task_id)),
                    e.type == EdgeType::kBlocks ? "-->" : "-.-", NodeId(*by_id.at(e.to_task_id)));
  }
  return out;
}

std::string ToDot(const GraphSnapshot& g) {
  std::map<std::string, const Task*> by_id;
  std::string out = "digraph tg {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const auto& t : g.tasks) {
    by_id[t.task_id] = &t;
    out += fmt::format("  {} [label={}];\n", DotString(t.hash_id),
                       DotString(t.title + "\n(" + std::string(ToString(t.status)) + ")"));
  }
  for (const auto& e : g.edges) {
    out += fmt::format("  {} -> {} [label={}{}];\n", DotString(by_id.at(e.from_task_id)->hash_id),
                       DotString(by_id.at(e.to_task_id)->hash_id),
                       DotString(std::string(ToString(e.type))),
                       e.type == EdgeType::kRelates ? ", style=dashed" : "");
  }
  return out + "}\n";
}

plan::Plan ToPlanDocument(const GraphSnapshot& g, const Plan& p) {
  plan::Plan doc;
  doc.name = p.title;
  if (p.overview) {
    doc.overview = *p.overview;
  } else if (!p.intent.empty()) {
    doc.overview = p.intent;
  }
  doc.file_tree = p.file_tree;
  if (p.risks) {
    auto j = nlohmann::json::parse(*p.risks, nullptr, false);
    if (j.is_array()) {
      for (const auto& r : j) {
        if (!r.is_object()) continue;  // stored JSON is read tolerantly: skip what is not a risk
        doc.risks.push_back({StringField(r, "description"), StringField(r, "severity"),
                             StringField(r, "mitigation")});
      }
    }
  }
  if (p.tests) {
    auto j = nlohmann::json::parse(*p.tests, nullptr, false);
    if (j.is_array()) {
      for (const auto& t : j) {
        if (t.is_string()) doc.tests.push_back(t.get<std::string>());
      }
    }
  }
  std::map<std::string, std::string> key_of;
  for (const auto& t : g.tasks) {
    if (t.plan_id == p.plan_id) key_of[t.task_id] = t.external_key.value_or(t.hash_id);
  }
  std::map<std::string, std::vector<std::string>> blockers;
  for (const auto& e : g.edges) {
    if (e.type == EdgeType::kBlocks && key_of.contains(e.from_task_id) &&
        key_of.contains(e.to_task_id)) {
      blockers[e.to_task_id].push_back(key_of.at(e.from_task_id));
    }
  }
  for (const auto& t : g.tasks) {
    if (t.plan_id != p.plan_id) continue;
    plan::Todo todo;
    todo.id = key_of.at(t.task_id);
    todo.content = t.title;
    todo.status = StatusWord(t.status);
    todo.blocked_by = blockers[t.task_id];
    if (auto it = g.docs.find(t.task_id); it != g.docs.end()) todo.docs = it->second;
    if (auto it = g.skills.find(t.task_id); it != g.skills.end()) todo.skills = it->second;
    todo.change_type = t.change_type;
    todo.intent = t.intent;
    todo.suggested_changes = t.suggested_changes;
    todo.agent = t.agent;
    todo.feature = t.feature_key;
    todo.area = t.area;
    todo.priority = t.priority;
    if (t.risk != Risk::kLow) todo.risk = std::string(ToString(t.risk));
    todo.estimate_mins = t.estimate_mins;
    if (t.tests) {
      auto j = nlohmann::json::parse(*t.tests, nullptr, false);
      if (j.is_array()) {
        for (const auto& a : j) {
          if (a.is_string()) todo.tests.push_back(a.get<std::string>());
        }
      }
    }
    if (t.acceptance) {
      auto j = nlohmann::json::parse(*t.acceptance, nullptr, false);
      if (j.is_array()) {
        for (const auto& a : j) {
          if (a.is_string()) todo.acceptance.push_back(a.get<std::string>());
        }
      }
    }
    doc.todos.push_back(std::move(todo));
  }
  return doc;
}

Result<std::string> ToPlanFile(const GraphSnapshot& g, const Plan& p) {
  // The title rule of `tg task new` and of import, so the file says exactly why.
  if (auto problem = TitleProblem(p.title)) {
    return Fail(Code::kValidationFailed,
                fmt::format("plan {} cannot be exported: its title {}; `tg import` would refuse "
                            "the file",
                            p.hash_id, *problem));
  }
  for (const auto& t : g.tasks) {
    if (t.plan_id != p.plan_id) continue;
    if (auto problem = TitleProblem(t.title)) {
      return Fail(Code::kValidationFailed,
                  fmt::format("task {} cannot be exported: its title {}; change it with `tg task "
                              "update {} --title ...`, then export again",
                              t.hash_id, *problem, t.hash_id));
    }
  }
  std::string text = plan::WriteCursor(ToPlanDocument(g, p));
  // Whatever else an older store may hold: export never writes a file import refuses.
  if (auto back = plan::ParsePlan(text, "the exported file", plan::Format::kCursor); !back) {
    return Fail(Code::kValidationFailed,
                fmt::format("plan {} cannot be exported as a plan file that `tg import` reads "
                            "back: {}",
                            p.hash_id, back.error().message));
  }
  return text;
}

}  // namespace tg::exporter
