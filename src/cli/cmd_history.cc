// tg diff, tg revert, tg undo: the versioned graph (contract section 12). Rules and JSON live
// in app/versioned.h and api/history_json.h; this file parses flags and writes text.
#include <fmt/format.h>

#include "api/history_json.h"
#include "app/versioned.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"
#include "core/limits.h"

namespace tg::cli {

namespace {

std::string DiffCell(const store::Value& v) {
  std::string s = app::DisplayValue(v);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return Truncate(s, 60);
}

const store::Value* CellOf(const std::vector<store::Cell>& cells, std::string_view column) {
  for (const auto& c : cells) {
    if (c.column == column) return &c.value;
  }
  return nullptr;
}

std::string ShortOf(const app::DiffResult& d, const store::Value* id) {
  const auto* s = id ? std::get_if<std::string>(id) : nullptr;
  if (!s) return "?";
  auto it = d.names.find(*s);
  return it == d.names.end() ? s->substr(0, 8) : it->second.hash_id;
}

// One line per change, under the task (or plan) it is about.
std::vector<std::string> ChangeLines(const app::DiffResult& d, const store::Change& c) {
  std::vector<std::string> out;
  const char* sign = c.op == store::ChangeOp::kInsert ? "+" : "-";
  const auto& cells = c.op == store::ChangeOp::kDelete ? c.before : c.after;
  auto cell = [&](std::string_view col) {
    const store::Value* v = CellOf(cells, col);
    return v ? DiffCell(*v) : std::string("?");
  };
  if (c.op == store::ChangeOp::kUpdate) {
    std::string what = c.table == "tasks" || c.table == "plans" ? ""
                       : c.table == "gates"                     ? "gate "
                                                                : c.table + " ";
    if (what == "events ") what = "event ";
    for (size_t i = 0; i < c.after.size(); ++i) {
      if (store::IsBookkeepingColumn(c.table, c.after[i].column)) continue;
      const store::Value* b = CellOf(c.before, c.after[i].column);
      out.push_back(fmt::format("  {}{}: {} → {}", what, app::FieldName(c.table, c.after[i].column),
                                b ? DiffCell(*b) : "(none)", DiffCell(c.after[i].value)));
    }
    return out;
  }
  if (c.table == "tasks" || c.table == "plans") {
    out.push_back(
        fmt::format("  {} {}", sign, c.op == store::ChangeOp::kInsert ? "created" : "deleted"));
  } else if (c.table == "edges") {
    bool blocks = cell("type") == "blocks";
    out.push_back(fmt::format(
        "  {} {} {}{}", sign, blocks ? "blocked by" : "relates to",
        ShortOf(d, CellOf(cells, "from_task_id")),
        CellOf(cells, "reason") && cell("reason") != "(none)" ? " (" + cell("reason") + ")" : ""));
  } else if (c.table == "events") {
    out.push_back(fmt::format("  {} event \"{}\" by {}", sign, cell("kind"), cell("agent")));
  } else if (c.table == "gates") {
    out.push_back(fmt::format("  {} gate {} ({})", sign, cell("name"), cell("status")));
  } else if (c.table == "task_docs") {
    out.push_back(fmt::format("  {} domain {}", sign, cell("doc")));
  } else if (c.table == "task_skills") {
    out.push_back(fmt::format("  {} skill {}", sign, cell("skill")));
  } else {
    out.push_back(fmt::format("  {} {} row", sign, c.table));
  }
  return out;
}

void PrintDiff(Session& s, const app::DiffResult& d) {
  if (!d.to) {
    s.io.out << "No history yet.\n";
    return;
  }
  if (d.commits == 1) {
    s.io.out << fmt::format("commit {}  {}  {}\n", d.to->commit_id, d.to->author, d.to->message);
  } else {
    s.io.out << fmt::format("{} commits: {}..{}\n", d.commits,
                            d.from ? d.from->commit_id : std::string("the start"), d.to->commit_id);
  }
  // Grouped by the task or plan each change is about, in the order they first appear.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> lines;
  for (const auto& c : d.changes) {
    std::string owner;
    if (c.table == "plans") {
      owner = std::get_if<std::string>(&c.key.front().value)
                  ? std::get<std::string>(c.key.front().value)
                  : "";
    } else {
      owner = app::TaskOfChange(c).value_or("");
    }
    auto add = ChangeLines(d, c);
    if (add.empty()) continue;
    if (!lines.contains(owner)) order.push_back(owner);
    auto& l = lines[owner];
    l.insert(l.end(), add.begin(), add.end());
  }
  if (order.empty()) {
    s.io.out << "No changes.\n";
    return;
  }
  for (const auto& owner : order) {
    auto it = d.names.find(owner);
    bool plan = false;
    for (const auto& c : d.changes) {
      if (c.table == "plans" && std::get_if<std::string>(&c.key.front().value) &&
          std::get<std::string>(c.key.front().value) == owner) {
        plan = true;
      }
    }
    std::string head = it == d.names.end() ? owner : it->second.hash_id + "  " + it->second.title;
    s.io.out << (plan ? "plan " : "") << head << '\n';
    for (const auto& l : lines[owner]) s.io.out << l << '\n';
  }
}

void PrintReverted(Session& s, const app::RevertOutcome& o, std::string_view verb) {
  for (const auto& k : o.kept) {
    s.io.err << fmt::format("tg {}: kept {} {} at '{}' (commit {} wrote '{}')\n", verb, k.task,
                            k.field, k.now, k.commit_id, k.wrote);
  }
  std::string ids;
  for (size_t i = 0; i < o.reverted.size(); ++i) ids += (i ? ", " : "") + o.reverted[i].commit_id;
  if (o.dry_run) {
    s.io.out << fmt::format(
        "Would {} {} ({} row change{}){}\n", verb, ids, o.changes, o.changes == 1 ? "" : "s",
        o.kept.empty() ? ""
                       : fmt::format("; {} conflict{} (see above)", o.kept.size(),
                                     o.kept.size() == 1 ? "" : "s"));
    for (const auto& c : o.reverted) {
      s.io.out << fmt::format("  {}  {}  {}\n", c.commit_id, FormatIso(c.time).substr(0, 19),
                              c.message);
    }
    return;
  }
  if (!o.commit || o.commit->commit_id.empty()) {
    s.io.out << (o.kept.empty()
                     ? fmt::format("Nothing to {}: the changes of {} are already taken back.\n",
                                   verb, ids)
                     : fmt::format("Nothing to {}: every change of {} conflicts (kept above).\n",
                                   verb, ids));
    return;
  }
  s.io.out << fmt::format("{} {} as commit {} ({} change{})\n",
                          verb == "undo" ? "Undid" : "Reverted", ids, o.commit->commit_id,
                          o.commit->changes, o.commit->changes == 1 ? "" : "s");
}

}  // namespace

void AddHistoryCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "diff")) {
    struct Opts {
      std::vector<std::string> refs;
      std::string task;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("diff", "Show the row changes between two commits");
    sub->add_option("commits", o->refs,
                    "[<from>] [<to>] or <from>..<to> (default: the last commit)")
        ->expected(0, 2);
    sub->add_option("--task", o->task, "Only changes about this task");
    r.On(sub, [o](Session& s) -> Result<int> {
      app::DiffQuery q;
      std::vector<std::string> refs = o->refs;
      if (refs.size() == 1 && refs[0].find("..") != std::string::npos) {
        std::string a = refs[0].substr(0, refs[0].find("..")),
                    b = refs[0].substr(refs[0].find("..") + 2);
        refs.clear();
        refs.push_back(a.empty() ? "" : a);
        if (!b.empty()) refs.push_back(b);
        if (a.empty()) {
          return Fail(Code::kUsage, "a range needs its start: <from>..<to> or <from>..");
        }
      }
      if (!refs.empty()) q.from = refs[0];
      if (refs.size() > 1) q.to = refs[1];
      if (!o->task.empty()) q.task = o->task;
      TG_ASSIGN(auto* ctx, s.Ctx());
      TG_ASSIGN(auto d, app::Diff(*ctx, q));
      if (s.Json()) {
        PrintJson(s, api::DiffJson(d));
      } else {
        PrintDiff(s, d);
      }
      return 0;
    });
  }
  if (Wants(want, "revert")) {
    struct Opts {
      std::string commit;
      bool force = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand("revert", "Take back one commit's changes in a new commit");
    sub->add_option("commit", o->commit, "The commit (id prefix, HEAD, HEAD~N)")->required();
    sub->add_flag("--force", o->force,
                  "Revert what does not conflict; keep the current value of cells that do");
    r.On(sub, [o](Session& s) -> Result<int> {
      TG_ASSIGN(auto* ctx, s.Ctx());
      TG_ASSIGN(auto out, app::Revert(*ctx, o->commit, o->force));
      if (s.Json()) {
        PrintJson(s, api::RevertJson(out));
      } else {
        PrintReverted(s, out, "revert");
      }
      return 0;
    });
  }
  if (Wants(want, "undo")) {
    struct Opts {
      std::string last = "1";
      bool dry_run = false, force = false;
    };
    auto o = std::make_shared<Opts>();
    auto* sub = app.add_subcommand(
        "undo", "Take back the acting agent's (--agent) last commits, leaving others' work alone");
    sub->add_option("--last,-n", o->last, "How many of the agent's commits (default 1)");
    sub->add_flag("--dry-run", o->dry_run, "Say what would be undone and write nothing");
    sub->add_flag("--force", o->force,
                  "Undo what does not conflict; keep the current value of cells that do");
    r.On(sub, [o](Session& s) -> Result<int> {
      TG_ASSIGN(int64_t last, ParseIntFlag("--last", o->last, kUndoLastRange));
      TG_ASSIGN(auto* ctx, s.Ctx());
      app::UndoQuery q;
      q.last = static_cast<int>(last);
      q.dry_run = o->dry_run;
      q.force = o->force;
      TG_ASSIGN(auto out, app::Undo(*ctx, q));
      if (s.Json()) {
        PrintJson(s, api::RevertJson(out));
      } else {
        PrintReverted(s, out, "undo");
      }
      return 0;
    });
  }
}

}  // namespace tg::cli
