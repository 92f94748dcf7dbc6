#include "export/pictures.h"

#include "export/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace tg::exporter {

namespace {

std::string Esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* Fill(TaskStatus s) {
  switch (s) {
    case TaskStatus::kTodo:
      return "#ffffff";
    case TaskStatus::kDoing:
      return "#9fd3f5";
    case TaskStatus::kBlocked:
      return "#f5a3a3";
    case TaskStatus::kDone:
      return "#a8e0a0";
    case TaskStatus::kCanceled:
      return "#d9d9d9";
  }
  return "#ffffff";
}

std::string Field(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end()) return "";
  return it->is_string() ? it->get<std::string>()
                         : it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::vector<std::string> CriticalPath(const GraphSnapshot& g) {
  std::map<std::string, const Task*> open;
  for (const auto& t : g.tasks) {
    if (!IsTerminal(t.status)) open[t.task_id] = &t;
  }
  std::map<std::string, std::vector<std::string>> next;
  std::map<std::string, int> indegree;
  for (const auto& [id, t] : open) indegree[id] = 0;
  for (const auto& e : g.edges) {
    if (e.type != EdgeType::kBlocks || !open.count(e.from_task_id) || !open.count(e.to_task_id)) {
      continue;
    }
    next[e.from_task_id].push_back(e.to_task_id);
    indegree[e.to_task_id] += 1;
  }
  // Kahn's order (the blocks graph has no cycle); best[x] = heaviest chain ending at x.
  std::vector<std::string> order;
  for (const auto& [id, d] : indegree) {
    if (d == 0) order.push_back(id);
  }
  std::map<std::string, int64_t> before, best;  // heaviest chain into / through each task
  std::map<std::string, std::string> prev;
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string id = order[i];
    best[id] = before[id] + std::max(1, open[id]->estimate_mins.value_or(1));
    for (const auto& n : next[id]) {
      if (best[id] > before[n]) {
        before[n] = best[id];
        prev[n] = id;
      }
      if (--indegree[n] == 0) order.push_back(n);
    }
  }
  std::string end;
  for (const auto& [id, b] : best) {
    if (end.empty() || b > best[end]) end = id;
  }
  std::vector<std::string> path;
  for (std::string at = end; !at.empty();) {
    path.push_back(at);
    auto it = prev.find(at);
    at = it == prev.end() ? "" : it->second;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::string ToStyledDot(const GraphSnapshot& g) {
  std::vector<std::string> critical = CriticalPath(g);
  std::set<std::string> on_path(critical.begin(), critical.end());
  std::set<std::pair<std::string, std::string>> path_edges;
  for (size_t i = 1; i < critical.size(); ++i) path_edges.insert({critical[i - 1], critical[i]});
  std::map<std::string, const Task*> by_id;
  for (const auto& t : g.tasks) by_id[t.task_id] = &t;
  std::string out =
      "digraph tg {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  int n = 0;
  for (const auto& p : g.plans) {
    out += fmt::format(
        "  subgraph cluster_{} {{\n    label={};\n    style=\"rounded\";\n"
        "    color=\"#888888\";\n",
        n++, DotString(p.title + " (" + p.hash_id + ")"));
    for (const auto& t : g.tasks) {
      if (t.plan_id != p.plan_id) continue;
      bool hot = on_path.count(t.task_id) > 0;
      out += fmt::format(
          "    {} [id={}, label={}, fillcolor=\"{}\"{}];\n", DotString(t.hash_id),
          DotString("node-" + t.hash_id),
          DotString(t.hash_id + "\n" + t.title + "\n" + std::string(ToString(t.status))),
          Fill(t.status), hot ? ", color=\"#c00000\", penwidth=3" : "");
    }
    out += "  }\n";
  }
  for (const auto& e : g.edges) {
    auto from = by_id.find(e.from_task_id), to = by_id.find(e.to_task_id);
    if (from == by_id.end() || to == by_id.end()) continue;
    bool hot = path_edges.count({e.from_task_id, e.to_task_id}) > 0;
    std::string style = e.type == EdgeType::kRelates ? "style=dashed, arrowhead=none"
                        : hot                        ? "color=\"#c00000\", penwidth=3"
                                                     : "color=\"#444444\"";
    out += fmt::format("  {} -> {} [{}];\n", DotString(from->second->hash_id),
                       DotString(to->second->hash_id), style);
  }
  return out + "}\n";
}

std::string InlineSvg(const std::string& svg) {
  size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  std::string s = svg.substr(start);
  // Comments (Graphviz names itself and the graph in them).
  for (size_t a; (a = s.find("<!--")) != std::string::npos;) {
    size_t b = s.find("-->", a);
    s.erase(a, b == std::string::npos ? std::string::npos : b + 3 - a);
  }
  // Namespace declarations: an HTML parser does not need them, and they are URLs.
  for (const char* attr : {" xmlns:xlink=\"", " xmlns=\""}) {
    for (size_t a; (a = s.find(attr)) != std::string::npos;) {
      size_t b = s.find('"', a + std::char_traits<char>::length(attr));
      s.erase(a, b == std::string::npos ? std::string::npos : b + 1 - a);
    }
  }
  return s;
}

std::string ToHtml(const GraphSnapshot& g, const HtmlPage& page) {
  std::vector<std::string> critical = CriticalPath(g);
  std::set<std::string> on_path(critical.begin(), critical.end());
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + Esc(page.title) + "</title>\n<style>\n";
  o += R"css(body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.4em 0 .4em}
.meta{color:#666;margin:0 0 1em}#q{font-size:1em;padding:.35em .6em;width:22em;max-width:100%}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f0f0}.graph{overflow:auto;background:#fff;border:1px solid #ddd;padding:.5em}
.s-todo{}.s-doing{background:#9fd3f5}.s-blocked{background:#f5a3a3}.s-done{background:#a8e0a0}.s-canceled{background:#d9d9d9}
details{background:#fff;border:1px solid #ddd;margin:.3em 0;padding:.3em .6em}summary{cursor:pointer}
.crit{color:#c00000;font-weight:bold}pre{white-space:pre-wrap;margin:.2em 0;background:#f6f6f6;padding:.3em}
.hidden{display:none}
)css";
  o += "</style>\n</head>\n<body>\n";
  o += "<h1>" + Esc(page.title) + "</h1>\n";
  o += "<p class=\"meta\">Exported " + Esc(page.exported_at) + " · " +
       std::to_string(g.plans.size()) + " plan(s), " + std::to_string(g.tasks.size()) +
       " task(s). Critical path in red.</p>\n";
  o += "<input id=\"q\" type=\"search\" placeholder=\"Search tasks, notes, evidence\" "
       "autocomplete=\"off\">\n";
  if (!page.svg.empty())
    o += "<h2>Graph</h2>\n<div class=\"graph\">" + InlineSvg(page.svg) + "</div>\n";
  o += "<h2>Plans</h2>\n<table id=\"plans\">\n<tr><th>ID</th><th>Plan</th><th>Status</th>"
       "<th>Todo</th><th>Doing</th><th>Blocked</th><th>Done</th><th>Canceled</th></tr>\n";
  for (const auto& p : g.plans) {
    StatusCounts c;
    for (const auto& t : g.tasks) {
      if (t.plan_id != p.plan_id) continue;
      switch (t.status) {
        case TaskStatus::kTodo:
          c.todo++;
          break;
        case TaskStatus::kDoing:
          c.doing++;
          break;
        case TaskStatus::kBlocked:
          c.blocked++;
          break;
        case TaskStatus::kDone:
          c.done++;
          break;
        case TaskStatus::kCanceled:
          c.canceled++;
          break;
      }
    }
    o += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        Esc(p.hash_id), Esc(p.title), ToString(p.status), c.todo, c.doing, c.blocked, c.done,
        c.canceled);
  }
  o += "</table>\n<h2>Tasks</h2>\n<table id=\"tasks\">\n<tr><th>ID</th><th>Task</th><th>Plan</th>"
       "<th>Status</th><th>Agent</th></tr>\n";
  for (const auto& t : g.tasks) {
    std::string st(ToString(t.status));
    o += fmt::format(
        "<tr class=\"task-row\" data-id=\"{}\"><td><a href=\"#task-{}\">{}</a></td>"
        "<td{}>{}</td><td>{}</td><td class=\"s-{}\">{}</td><td>{}</td></tr>\n",
        Esc(t.hash_id), Esc(t.hash_id), Esc(t.hash_id),
        on_path.count(t.task_id) ? " class=\"crit\"" : "", Esc(t.title), Esc(t.plan_title), st, st,
        Esc(t.claimed_by.value_or("")));
  }
  o += "</table>\n<h2>Details</h2>\n<div id=\"details\">\n";
  for (const auto& t : g.tasks) {
    o += fmt::format(
        "<details class=\"task\" id=\"task-{}\" data-id=\"{}\"><summary><b>{}</b> {} "
        "<span class=\"s-{}\">{}</span></summary>\n",
        Esc(t.hash_id), Esc(t.hash_id), Esc(t.hash_id), Esc(t.title), ToString(t.status),
        ToString(t.status));
    o += "<p>Plan: " + Esc(t.plan_title);
    if (t.intent && !t.intent->empty()) o += "<br>Intent: " + Esc(*t.intent);
    if (t.claimed_by) o += "<br>Claimed by: " + Esc(*t.claimed_by);
    if (!t.blocked_by.empty()) {
      std::string list;
      for (const auto& b : t.blocked_by) list += (list.empty() ? "" : ", ") + b;
      o += "<br>Blocked by: " + Esc(list);
    }
    o += "</p>\n";
    auto it = page.events.find(t.task_id);
    if (it != page.events.end()) {
      for (const auto& e : it->second) {
        auto body = nlohmann::json::parse(e.body, nullptr, false);
        if (!body.is_object()) body = nlohmann::json::object();
        std::string when = FormatIso(e.created_at).substr(0, 16);
        if (e.kind == "done") {
          o += "<div class=\"evidence\"><b>Evidence</b> (" + Esc(e.agent) + ", " + when + ")<pre>" +
               Esc(Field(body, "evidence")) + "</pre></div>\n";
        } else if (e.kind == "note") {
          o += "<div class=\"note\"><b>Note</b> (" + Esc(e.agent) + ", " + when + ")<pre>" +
               Esc(Field(body, "message")) + "</pre></div>\n";
        } else {
          o += "<div class=\"event\">" + Esc(e.kind) + " (" + Esc(e.agent) + ", " + when +
               ")</div>\n";
        }
      }
    }
    o += "</details>\n";
  }
  o += "</div>\n<script>\n";
  o += R"js((function(){
var q=document.getElementById('q');
function f(){var v=q.value.toLowerCase();
document.querySelectorAll('.task-row').forEach(function(r){var d=document.getElementById('task-'+r.dataset.id);
var hit=!v||r.textContent.toLowerCase().indexOf(v)>=0||(d&&d.textContent.toLowerCase().indexOf(v)>=0);
r.classList.toggle('hidden',!hit);if(d){d.classList.toggle('hidden',!hit);if(v&&hit)d.open=true;}});
document.querySelectorAll('.graph g.node').forEach(function(n){var id=(n.id||'').replace('node-','');
var r=document.querySelector('.task-row[data-id="'+id+'"]');n.style.opacity=(r&&r.classList.contains('hidden'))?0.2:1;});}
q.addEventListener('input',f);})();
)js";
  o += "</script>\n</body>\n</html>\n";
  return o;
}

}  // namespace tg::exporter
