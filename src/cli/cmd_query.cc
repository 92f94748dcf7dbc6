// tg next, tg show
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/input.h"
#include "app/heartbeat.h"
#include "app/leases.h"
#include "app/views.h"
#include "app/worktree.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

std::string Or(const std::optional<int>& v) { return v ? std::to_string(*v) : "-"; }

Result<int> ClaimNext(Session& s, const app::NextQuery& q, const std::string& wait,
                      const std::string& lease, bool worktree) {
  app::ClaimOptions opts;
  opts.query = q;
  TG_ASSIGN(opts.lease, LeaseFlag(lease));
  if (!wait.empty()) {
    TG_ASSIGN(opts.wait, ParseDurationFlag("--wait", wait, kSecond, kWaitRange));
  }
  TG_ASSIGN(auto* ctx, s.Ctx());
  s.WarnIfDefaultAgent();
  app::ClaimedInWorktree c;
  if (worktree) {
    TG_ASSIGN(c, app::ClaimNextInWorktree(*ctx, opts, s.env.cwd));
  } else {
    TG_ASSIGN(c.claim, app::ClaimNext(*ctx, opts));
  }
  const auto& w = c.claim;
  if (s.Json(true)) {
    json a = json::array();
    if (w.value) a.push_back(TaskJson(*w.value));
    if (w.value && c.worktree) api::AddWorktreeFields(a[0], *c.worktree, false);
    PrintJson(s, a);
  } else if (w.value) {
    s.io.out << w.value->hash_id << " claimed: " << w.value->title << '\n';
    if (c.worktree) PrintWorktree(s, *c.worktree, false);
  } else {
    s.io.out << "No runnable task" << (wait.empty() ? "" : " (waited " + wait + ")") << ".\n";
  }
  return 0;
}

void AddNext(CLI::App& app, Registry& r) {
  struct Opts {
    std::string plan, limit = "10", doc, skill, change_type, wait, lease, as_of;
    bool all = false, claim = false, worktree = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("next", "List runnable tasks, most important first");
  sub->add_option("--plan", o->plan, "Only this plan (id or title)");
  sub->add_option("--limit", o->limit, "At most this many (default 10)");
  sub->add_flag("--all", o->all, "Include abandoned plans");
  sub->add_option("--domain,--doc", o->doc, "Only tasks with this doc slug");
  sub->add_option("--skill", o->skill, "Only tasks with this skill");
  sub->add_option("--change-type", o->change_type, "Only tasks of this change type");
  sub->add_flag("--claim", o->claim, "Claim the first runnable task in the same transaction");
  sub->add_option("--wait", o->wait, "With --claim: wait this long for a runnable task (30s, 5m)");
  sub->add_option("--lease", o->lease, "With --claim: the claim's lease");
  sub->add_flag("--worktree", o->worktree, "With --claim: also make the task's git worktree");
  sub->add_option("--as-of", o->as_of, "The graph as it was after this commit or at this time");
  r.On(sub, [o](Session& s) -> Result<int> {
    s.auto_json = true;
    app::NextQuery q;
    TG_ASSIGN(int64_t limit, ParseIntFlag("--limit", o->limit, kLimitRange));
    q.limit = static_cast<int>(limit);
    if (!o->plan.empty()) q.plan = o->plan;
    if (!o->doc.empty()) q.doc = o->doc;
    if (!o->skill.empty()) q.skill = o->skill;
    if (!o->change_type.empty()) q.change_type = o->change_type;
    q.all = o->all;
    if (!o->claim && (!o->wait.empty() || !o->lease.empty() || o->worktree)) {
      return Fail(Code::kUsage, "--wait, --lease and --worktree go with --claim");
    }
    if (o->claim && !o->as_of.empty()) {
      return Fail(Code::kUsage, "--as-of reads the past; it does not go with --claim");
    }
    if (o->claim) return ClaimNext(s, q, o->wait, o->lease, o->worktree);
    TG_ASSIGN(auto* ctx, s.CtxAt(o->as_of));
    TG_ASSIGN(auto tasks, app::Next(*ctx, q));
    if (s.Json(true)) {
      PrintJson(s, api::TaskArray(tasks));
      return 0;
    }
    if (tasks.empty()) {
      s.io.out << "No runnable tasks.\n";
      return 0;
    }
    Table t({"ID", "TITLE", "PLAN", "PRI", "RISK", "EST"}, 1);
    for (const auto& x : tasks) {
      // The todo key a plan file gave the task, beside its short id ("tg-3fa9c1 (keygen)").
      std::string id = x.external_key ? Cat({x.hash_id, " (", *x.external_key, ")"}) : x.hash_id;
      t.Add({id, x.title, Truncate(x.plan_title, 24), Or(x.priority), std::string(ToString(x.risk)),
             x.estimate_mins ? std::to_string(*x.estimate_mins) + "m" : "-"});
    }
    t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0);
    return 0;
  });
}

void PrintRelated(Session& s, const char* heading, const std::vector<store::Related>& rel) {
  if (rel.empty()) return;
  s.io.out << '\n' << heading << ":\n";
  Table t({"ID", "TYPE", "STATUS", "TITLE"}, 3);
  for (const auto& b : rel) {
    t.Add({b.hash_id, std::string(ToString(b.type)), std::string(ToString(b.status)), b.title});
  }
  t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0, "  ");
}

// A JSON list of strings as one "- item" line each; anything else as it is stored.
void PrintList(std::ostream& out, std::string_view heading, const std::optional<std::string>& j) {
  if (!j) return;
  json list = json::parse(*j, nullptr, false);
  out << '\n' << heading << ":\n";
  if (!list.is_array()) {
    out << "  " << *j << '\n';
    return;
  }
  for (const auto& item : list) {
    out << "  - " << (item.is_string() ? item.get<std::string>() : item.dump()) << '\n';
  }
}

// What the finishing agent reported: the evidence, its checks and its self-reported cost.
void PrintDone(std::ostream& out, const Event& e) {
  json body = json::parse(e.body, nullptr, false);
  if (!body.is_object()) return;
  out << "\nDone by " << e.agent << " at " << FormatIso(e.created_at).substr(0, 19)
      << (body.value("forced", false) ? " (forced)" : "") << ":\n";
  if (body.contains("evidence") && body["evidence"].is_string()) {
    out << "  Evidence: " << body["evidence"].get<std::string>() << '\n';
  }
  if (body.contains("checks")) out << "  Checks:   " << body["checks"].dump() << '\n';
  std::vector<std::string> cost;
  for (auto [key, label] : {std::pair{"tokens_in", " tokens in"},
                            {"tokens_out", " tokens out"},
                            {"tool_calls", " tool calls"}}) {
    if (body.contains(key) && body[key].is_number()) cost.push_back(body[key].dump() + label);
  }
  if (!cost.empty()) out << "  Cost:     " << fmt::format("{}", fmt::join(cost, ", ")) << '\n';
}

void PrintDetail(Session& s, const app::TaskDetail& d, Millis now) {
  const Task& t = d.task;
  auto& out = s.io.out;
  std::string status(ToString(t.status));
  if (t.status == TaskStatus::kDoing && !d.blocked_by.empty()) status += " (blocked while doing)";
  out << t.hash_id << (t.external_key ? Cat({" (", *t.external_key, ")"}) : std::string()) << "  "
      << t.title << '\n';
  std::vector<std::pair<std::string, std::string>> rows{
      {"Status", status},
      {"Plan", t.plan_title},
      {"Task id", t.task_id},
      {"Priority", Or(t.priority)},
      {"Risk", std::string(ToString(t.risk))},
      {"Estimate", t.estimate_mins ? std::to_string(*t.estimate_mins) + " min" : "-"},
  };
  if (t.claimed_by) {
    rows.emplace_back(
        "Claimed by",
        *t.claimed_by + (t.claimed_at ? " since " + FormatShort(*t.claimed_at, now) : ""));
  }
  if (t.lease_expires_at) rows.emplace_back("Lease", LeaseText(t, now));
  if (!d.blocked_by.empty()) {
    std::string b;
    for (const auto& x : d.blocked_by) b += (b.empty() ? "" : ", ") + x;
    rows.emplace_back("Blocked by", b);
  }
  if (t.area) rows.emplace_back("Area", *t.area);
  if (t.feature_key) rows.emplace_back("Feature", *t.feature_key);
  if (t.change_type) rows.emplace_back("Change type", *t.change_type);
  if (t.agent) rows.emplace_back("Agent", *t.agent);
  if (!d.docs.empty()) rows.emplace_back("Docs", fmt::format("{}", fmt::join(d.docs, ", ")));
  if (!d.skills.empty()) rows.emplace_back("Skills", fmt::format("{}", fmt::join(d.skills, ", ")));
  if (t.external_key) rows.emplace_back("Plan key", *t.external_key);
  rows.emplace_back("Created", FormatIso(t.created_at));
  rows.emplace_back("Updated", FormatIso(t.updated_at));
  for (const auto& [k, v] : rows) out << fmt::format("  {:<12} {}\n", k + ":", v);
  if (t.intent) out << "\nIntent:\n  " << *t.intent << '\n';
  PrintList(out, "Acceptance", t.acceptance);
  PrintList(out, "Tests", t.tests);
  if (d.done) PrintDone(out, *d.done);
  PrintRelated(s, "Blockers", d.blockers);
  PrintRelated(s, "Dependents", d.dependents);
  PrintRelated(s, "Related from", d.related);
  if (!d.gates.empty()) {
    out << "\nGates:\n";
    for (const auto& g : d.gates) {
      out << "  " << g.hash_id << "  " << ToString(g.status) << "  " << g.name;
      if (g.resolved_at) {
        out << " (by " << g.resolved_by.value_or("?") << ", "
            << FormatIso(*g.resolved_at).substr(0, 19) << (g.reason ? ": " + *g.reason : "") << ")";
      }
      out << '\n';
    }
  }
  if (!d.notes.empty()) {
    out << "\nNotes (newest first):\n";
    for (const auto& n : d.notes) {
      std::string msg = app::NoteMessage(n);
      out << "  [" << FormatIso(n.created_at).substr(0, 19) << "] " << n.agent << ": " << msg
          << '\n';
    }
  }
  out << "\nRecent events (newest first):\n";
  for (const auto& e : d.events) {
    out << "  " << FormatIso(e.created_at).substr(0, 19) << "  " << fmt::format("{:<10}", e.kind)
        << " " << e.agent << '\n';
  }
}

void AddShow(CLI::App& app, Registry& r) {
  auto id = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("show", "Show one task: fields, edges, gates, notes, events");
  sub->add_option("id", *id, "Task id")->required();
  sub->add_option("--as-of", *as_of, "The task as it was after this commit or at this time");
  r.On(sub, [id, as_of](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.CtxAt(*as_of));
    TG_ASSIGN(auto d, app::Show(*ctx, *id));
    if (s.Json()) {
      PrintJson(s, api::TaskDetailJson(d));
    } else {
      PrintDetail(s, d, d.as_of);
    }
    return 0;
  });
}

}  // namespace

void AddQueryCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "next")) AddNext(app, r);
  if (Wants(want, "show")) AddShow(app, r);
}

}  // namespace tg::cli
