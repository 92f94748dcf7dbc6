// tg edge add|remove, tg block --on
#include <fmt/format.h>

#include "app/graph_ops.h"
#include "cli/commands.h"
#include "cli/render.h"

namespace tg::cli {

namespace {

Result<EdgeType> TypeArg(const std::string& s) {
  auto t = ParseEdgeType(s);
  if (!t) {
    return Fail(Code::kUsage, fmt::format("edge type must be 'blocks' or 'relates', not '{}'", s));
  }
  return *t;
}

struct EdgeArgs {
  std::string from, type, to, reason;
};

void AddEdgeSub(CLI::App& edge, Registry& r, bool add) {
  auto o = std::make_shared<EdgeArgs>();
  auto* sub = edge.add_subcommand(add ? "add" : "remove",
                                  add ? "Add an edge: <from> blocks|relates <to>"
                                      : "Remove an edge: <from> blocks|relates <to>");
  sub->add_option("from", o->from, "Task id")->required();
  sub->add_option("type", o->type, "blocks or relates")->required();
  sub->add_option("to", o->to, "Task id")->required();
  if (add) sub->add_option("--reason", o->reason, "Why");
  r.On(sub, [o, add](Session& s) -> Result<int> {
    TG_ASSIGN(EdgeType type, TypeArg(o->type));
    TG_ASSIGN(auto* ctx, s.Ctx());
    std::optional<std::string> reason;
    if (!o->reason.empty()) reason = o->reason;
    TG_ASSIGN(auto w, add ? app::AddEdge(*ctx, o->from, type, o->to, reason)
                          : app::RemoveEdge(*ctx, o->from, type, o->to));
    const auto& e = w.value;
    if (s.Json()) {
      PrintJson(s, api::EdgeJson(e));
    } else if (!e.changed) {
      s.io.out << (add ? "Edge already exists: " : "No such edge, nothing removed: ")
               << e.from.hash_id << " " << ToString(e.type) << " " << e.to.hash_id << '\n';
    } else {
      s.io.out << (add ? "Edge added: " : "Edge removed: ") << e.from.hash_id << " "
               << ToString(e.type) << " " << e.to.hash_id << " (" << e.to.hash_id << " is now "
               << ToString(e.to.status) << ")\n";
    }
    return 0;
  });
}

void AddBlock(CLI::App& app, Registry& r) {
  struct Opts {
    std::string task, on, reason;
  };
  auto o = std::make_shared<Opts>();
  auto* sub =
      app.add_subcommand("block", "Make a task wait for another: block <task> --on <blocker>");
  sub->add_option("task", o->task, "The task that must wait")->required();
  sub->add_option("--on", o->on, "The task it waits for")->required();
  sub->add_option("--reason", o->reason, "Why");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    std::optional<std::string> reason;
    if (!o->reason.empty()) reason = o->reason;
    TG_ASSIGN(auto w, app::AddEdge(*ctx, o->on, EdgeType::kBlocks, o->task, reason));
    const auto& e = w.value;
    if (s.Json()) {
      PrintJson(s, api::BlockJson(e));
    } else {
      s.io.out << "Task " << e.to.hash_id << (e.changed ? " now waits for " : " already waits for ")
               << e.from.hash_id << " (" << ToString(e.to.status) << ")\n";
    }
    return 0;
  });
}

}  // namespace

void AddEdgeCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "edge")) {
    auto* edge = app.add_subcommand("edge", "Add or remove dependency edges");
    edge->require_subcommand(1);
    AddEdgeSub(*edge, r, true);
    AddEdgeSub(*edge, r, false);
  }
  if (Wants(want, "block")) AddBlock(app, r);
}

}  // namespace tg::cli
