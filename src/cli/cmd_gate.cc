// tg gate create|resolve|list
#include <fmt/format.h>

#include "app/graph_ops.h"
#include "app/views.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

void AddCreate(CLI::App& gate, Registry& r) {
  struct Opts {
    std::string name, task, type = "human";
  };
  auto o = std::make_shared<Opts>();
  auto* sub = gate.add_subcommand("create", "Hold a task until an external condition is met");
  sub->add_option("name", o->name, "What must happen")->required();
  sub->add_option("--task", o->task, "The task it holds")->required();
  sub->add_option("--type", o->type, "human (default), ci or webhook");
  r.On(sub, [o](Session& s) -> Result<int> {
    auto type = ParseGateType(o->type);
    if (!type) {
      return Fail(Code::kValidationFailed,
                  fmt::format("--type must be human, ci or webhook, not '{}'", o->type));
    }
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto w, app::CreateGate(*ctx, o->name, o->task, *type));
    if (s.Json()) {
      PrintJson(s, api::GateJson(w.value.gate));
    } else {
      s.io.out << "Gate " << w.value.gate.hash_id << " created: " << w.value.gate.name << " (task "
               << w.value.task.hash_id << " is " << ToString(w.value.task.status) << ")\n";
    }
    return 0;
  });
}

void AddResolve(CLI::App& gate, Registry& r) {
  auto id = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto* sub = gate.add_subcommand("resolve", "Mark a gate's condition as met");
  sub->add_option("gate", *id, "Gate id")->required();
  sub->add_option("--reason", *reason, "Why it is met (recorded with who resolved it)");
  r.On(sub, [id, reason](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    std::optional<std::string> why;
    if (!reason->empty()) why = *reason;
    TG_ASSIGN(auto w, app::ResolveGateCmd(*ctx, *id, why));
    if (s.Json()) {
      PrintJson(s, api::GateJson(w.value.gate));
    } else {
      s.io.out << "Gate " << w.value.gate.hash_id << " resolved (task " << w.value.task.hash_id
               << " is " << ToString(w.value.task.status) << ")\n";
    }
    return 0;
  });
}

void AddGateList(CLI::App& gate, Registry& r) {
  auto pending = std::make_shared<bool>(false);
  auto* sub = gate.add_subcommand("list", "List gates, newest first");
  sub->add_flag("--pending", *pending, "Only pending gates");
  r.On(sub, [pending](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto gates, app::ListGates(*ctx, *pending));
    if (s.Json()) {
      PrintJson(s, api::Array(gates, [](const app::GateRow& g) { return api::GateJson(g.gate); }));
      return 0;
    }
    if (gates.empty()) {
      s.io.out << "No gates.\n";
      return 0;
    }
    Table t({"ID", "NAME", "TYPE", "STATUS", "TASK", "CREATED"}, 1);
    for (const auto& row : gates) {
      const Gate& g = row.gate;
      t.Add({g.hash_id, g.name, std::string(ToString(g.gate_type)), std::string(ToString(g.status)),
             row.task_hash_id, FormatIso(g.created_at).substr(0, 16)});
    }
    t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0);
    return 0;
  });
}

}  // namespace

void AddGateCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "gate")) return;
  auto* gate = app.add_subcommand("gate", "External conditions that hold a task");
  gate->require_subcommand(1);
  AddCreate(*gate, r);
  AddResolve(*gate, r);
  AddGateList(*gate, r);
}

}  // namespace tg::cli
