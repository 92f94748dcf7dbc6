// tg task new|update, tg split
#include <fmt/format.h>

#include "app/graph_ops.h"
#include "cli/commands.h"
#include "cli/render.h"

namespace tg::cli {

namespace {

// Options shared by task new and task update; empty strings mean "not given".
struct FieldOpts {
  std::string title, intent, area, feature, change_type, acceptance, priority, estimate, risk;
  std::vector<std::string> docs, skills;
  bool docs_given = false, skills_given = false;

  void Add(CLI::App* sub) {
    sub->add_option("--intent", intent, "Why the task exists and what done looks like");
    sub->add_option("--priority", priority, "1 = most important; 'unset' clears");
    sub->add_option("--estimate", estimate, "Estimate in minutes; 'unset' clears");
    sub->add_option("--risk", risk, "low, medium or high");
    sub->add_option("--area", area, "Area of the codebase");
    sub->add_option("--feature", feature, "Feature key");
    sub->add_option("--change-type", change_type,
                    "create, modify, refactor, fix, investigate, test or document");
    sub->add_option("--acceptance", acceptance, "Acceptance criteria as JSON");
    sub->add_option("--doc,--domain", docs, "Doc slug (repeatable)");
    sub->add_option("--skill", skills, "Skill slug (repeatable)");
  }

  Result<app::TaskFields> Fields(const CLI::App* sub) const {
    app::TaskFields f;
    if (!title.empty()) f.title = title;
    if (!intent.empty()) f.intent = intent;
    if (!area.empty()) f.area = area;
    if (!feature.empty()) f.feature_key = feature;
    if (!change_type.empty()) f.change_type = change_type;
    if (!acceptance.empty()) f.acceptance = acceptance;
    if (!priority.empty()) {
      TG_ASSIGN(f.priority, ParseOptionalIntFlag("--priority", priority, kPriorityRange));
    }
    if (!estimate.empty()) {
      TG_ASSIGN(f.estimate_mins,
                ParseOptionalIntFlag("--estimate", estimate, kEstimateMinutesRange));
    }
    if (!risk.empty()) {
      auto r = ParseRisk(risk);
      if (!r) {
        return Fail(Code::kValidationFailed,
                    fmt::format("--risk must be low, medium or high, not '{}'", risk));
      }
      f.risk = *r;
    }
    if (sub->count("--doc") > 0) f.docs = docs;
    if (sub->count("--skill") > 0) f.skills = skills;
    return f;
  }
};

void PrintTask(Session& s, const app::Written<Task>& w, std::string_view what) {
  if (s.Json()) {
    PrintJson(s, TaskJson(w.value));
    return;
  }
  s.io.out << "Task " << w.value.hash_id << " " << what << ": " << w.value.title << " (plan "
           << w.value.plan_title << ", " << ToString(w.value.status) << ")" << CommitNote(w.commit)
           << '\n';
}

void AddTaskNew(CLI::App& task, Registry& r) {
  struct Opts : FieldOpts {
    std::string plan;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = task.add_subcommand("new", "Create a task in a plan");
  sub->add_option("title", o->title, "The task's title")->required();
  sub->add_option("--plan", o->plan, "Plan id or title")->required();
  o->Add(sub);
  r.On(sub, [o, sub](Session& s) -> Result<int> {
    TG_ASSIGN(auto f, o->Fields(sub));
    TG_TRY(app::ValidateTaskFields(f));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto w, app::CreateTask(*ctx, o->plan, f));
    PrintTask(s, w, "created");
    return 0;
  });
}

void AddUpdate(CLI::App& task, Registry& r) {
  struct Opts : FieldOpts {
    std::string id;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = task.add_subcommand("update", "Change a task's fields");
  sub->add_option("id", o->id, "Task id")->required();
  sub->add_option("--title", o->title, "New title");
  o->Add(sub);
  r.On(sub, [o, sub](Session& s) -> Result<int> {
    TG_ASSIGN(auto f, o->Fields(sub));
    if (!f.title && !f.intent && !f.area && !f.feature_key && !f.change_type && !f.acceptance &&
        !f.priority && !f.estimate_mins && !f.risk && !f.docs && !f.skills) {
      return Fail(Code::kUsage, "nothing to update; give at least one field, e.g. --title");
    }
    TG_TRY(app::ValidateTaskFields(f));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto w, app::UpdateTask(*ctx, o->id, f));
    PrintTask(s, w, "updated");
    return 0;
  });
}

void AddSplit(CLI::App& app, Registry& r) {
  struct Opts {
    std::string id, into, direction = "original-to-new";
    bool keep = true;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("split", "Split a task into several new tasks");
  sub->add_option("id", o->id, "Task id")->required();
  sub->add_option("--into", o->into, "New titles separated by '|'")->required();
  sub->add_flag("--keep-original,!--no-keep-original", o->keep,
                "Keep the original task (default) or cancel it");
  sub->add_option("--link-direction", o->direction, "original-to-new (default) or new-to-original");
  r.On(sub, [o](Session& s) -> Result<int> {
    app::SplitOptions opts;
    opts.keep_original = o->keep;
    if (o->direction != "original-to-new" && o->direction != "new-to-original") {
      return Fail(Code::kValidationFailed,
                  "--link-direction must be original-to-new or new-to-original");
    }
    opts.new_to_original = o->direction == "new-to-original";
    std::string cur;
    for (char c : o->into + "|") {
      if (c != '|') {
        cur += c;
        continue;
      }
      auto b = cur.find_first_not_of(" \t"), e = cur.find_last_not_of(" \t");
      if (b != std::string::npos) opts.titles.push_back(cur.substr(b, e - b + 1));
      cur.clear();
    }
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto w, app::Split(*ctx, o->id, opts));
    if (s.Json()) {
      PrintJson(s, api::SplitJson(w.value));
      return 0;
    }
    s.io.out << "Task " << w.value.original.hash_id << " split into:\n";
    for (const auto& t : w.value.created) {
      s.io.out << "  " << t.hash_id << "  " << t.title << " (" << ToString(t.status) << ")\n";
    }
    if (!o->keep) s.io.out << "The original is now canceled.\n";
    return 0;
  });
}

}  // namespace

void AddTaskCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "task")) {
    auto* task = app.add_subcommand("task", "Create and change tasks");
    task->require_subcommand(1);
    AddTaskNew(*task, r);
    AddUpdate(*task, r);
  }
  if (Wants(want, "split")) AddSplit(app, r);
}

}  // namespace tg::cli
