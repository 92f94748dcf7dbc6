#include "mcp/tools.h"

#include <fmt/format.h>
#include <unistd.h>

#include <functional>

#include "api/batch.h"
#include "api/context.h"
#include "api/history_json.h"
#include "api/input.h"
#include "app/agent_context.h"
#include "app/claims.h"
#include "app/graph_ops.h"
#include "app/leases.h"
#include "app/rules.h"
#include "app/versioned.h"
#include "app/views.h"
#include "mcp/arguments.h"
#include "mcp/jsonrpc.h"

namespace tg::mcp {

namespace {

using Handler = std::function<Result<ToolOutput>(app::Context&, const Json&)>;

struct Tool {
  std::string_view name;
  std::string_view description;
  std::string_view input;   // JSON Schema text
  std::string_view output;  // JSON Schema text; every one admits {"error": {...}}
  bool read_only;
  Handler run;
};

ToolOutput Object(Json j) { return ToolOutput{std::move(j), false}; }

// A single-id write answers with the one item of the CLI's batch array; a refused item is a
// tool error that still names the task.
ToolOutput Item(const app::BatchOutcome& o, bool with_plan_completed, bool with_lease = false) {
  Json item = api::BatchJson(o, with_plan_completed, with_lease).at(0);
  bool refused = item.contains("error");
  return ToolOutput{std::move(item), refused};
}

std::vector<std::string> One(const Json& args) { return {*String(args, "taskId")}; }

Result<ToolOutput> RunStatus(app::Context& ctx, const Json& args) {
  app::StatusQuery q;
  q.plan = String(args, "plan");
  TG_ASSIGN(auto s, app::Summarize(ctx, q));
  return Object(api::StatusJson(s));
}

Result<ToolOutput> RunNext(app::Context& ctx, const Json& args) {
  app::NextQuery q;
  q.plan = String(args, "planId");
  q.limit = Integer(args, "limit").value_or(10);
  TG_TRY(api::CheckLimit("limit", q.limit));
  TG_ASSIGN(auto tasks, app::Next(ctx, q));
  return Object({{"tasks", api::TaskArray(tasks)}});
}

Result<ToolOutput> RunShow(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto d, app::Show(ctx, *String(args, "taskId")));
  return Object(api::TaskDetailJson(d));
}

Result<ToolOutput> RunContext(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto c, app::ContextOf(ctx, *String(args, "taskId")));
  return Object(api::ContextJson(c));
}

Result<ToolOutput> RunStart(app::Context& ctx, const Json& args) {
  app::StartOptions opts;
  opts.force = Flag(args, "force");
  TG_ASSIGN(opts.lease, api::ParseLease("lease", String(args, "lease").value_or("")));
  TG_ASSIGN(auto out, app::Start(ctx, One(args), opts));
  return Item(out, false);
}

Result<ToolOutput> RunDone(app::Context& ctx, const Json& args) {
  app::DoneOptions opts;
  opts.evidence = String(args, "evidence").value_or("");
  opts.force = Flag(args, "force");
  if (auto c = args.find("checks"); c != args.end() && !c->is_null()) {
    // The CLI takes --checks as JSON text; a model may send the text or the JSON itself.
    opts.checks = c->is_string() ? c->get<std::string>() : Compact(*c);
  }
  TG_TRY(app::ValidateDone(opts));
  TG_ASSIGN(auto out, app::Done(ctx, One(args), opts));
  return Item(out, true);
}

Result<ToolOutput> RunNote(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto out, app::Note(ctx, One(args), app::NoteOptions{*String(args, "message"), false}));
  return Item(out, false);
}

Result<ToolOutput> RunBlock(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto w, app::AddEdge(ctx, *String(args, "blockerTaskId"), EdgeType::kBlocks,
                                 *String(args, "taskId"), String(args, "reason")));
  return Object(api::BlockJson(w.value));
}

Result<ToolOutput> RunClaimNext(app::Context& ctx, const Json& args) {
  app::ClaimOptions opts;
  opts.query.plan = String(args, "planId");
  TG_ASSIGN(opts.lease, api::ParseLease("lease", String(args, "lease").value_or("")));
  TG_ASSIGN(auto w, app::ClaimNext(ctx, opts));
  return Object({{"task", w.value ? api::TaskJson(*w.value) : Json(nullptr)}});
}

Result<ToolOutput> RunHeartbeat(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto out, app::Heartbeat(ctx, One(args), std::nullopt, false));
  return Item(out, false, /*with_lease=*/true);
}

Result<ToolOutput> RunRelease(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto out, app::Release(ctx, One(args), false));
  return Item(out, false);
}

Result<ToolOutput> RunDiff(app::Context& ctx, const Json& args) {
  TG_ASSIGN(auto d,
            app::Diff(ctx, {String(args, "from"), String(args, "to"), String(args, "taskId")}));
  return Object({{"changes", api::DiffJson(d)}});
}

Result<ToolOutput> RunUndo(app::Context& ctx, const Json& args) {
  app::UndoQuery q;
  q.last = static_cast<int>(Integer(args, "last").value_or(1));
  q.dry_run = Flag(args, "dryRun");
  TG_ASSIGN(auto out, app::Undo(ctx, q));
  return Object(api::RevertJson(out));
}

// The whole tools/list answer must stay under 6 KB (contract section 9): descriptions are one
// line each, argument descriptions only where the name does not say it, and output schemas
// name the main fields and the error form. ToolsTest.ListFitsTheBudget measures it.
#define TG_ID R"("type":"string","description":"tg-xxxxxx id, unique prefix, or UUID")"
#define TG_AGENT R"("agent":{"type":"string","description":"your agent name"})"
#define TG_LEASE R"("lease":{"type":"string","description":"claim length: 90s, 30m, 2h"})"
#define TG_PLAN R"({"type":"string","description":"plan id or title"})"
#define TG_ERROR R"("error":{"type":"object"})"
#define TG_ITEM                                                                                   \
  R"({"type":"object","properties":{"id":{"type":"string"},"status":{"type":"string"},)" TG_ERROR \
  "}}"

const std::vector<Tool>& Tools() {
  static const std::vector<Tool> tools{
      {"tg_status",
       "Overview of the graph: plans, what is being worked on, what is next; use to orient "
       "yourself.",
       R"({"type":"object","properties":{"plan":)" TG_PLAN "}}",
       R"({"type":"object","properties":{"status_counts":{"type":"object"},"next_tasks":{"type":"array"},)" TG_ERROR
       "}}",
       true, RunStatus},
      {"tg_next",
       "List runnable tasks, most important first; use to choose work (tg_claim_next picks and "
       "claims at once).",
       R"({"type":"object","properties":{"planId":)" TG_PLAN
       R"(,"limit":{"type":"integer","minimum":1}}})",
       R"({"type":"object","properties":{"tasks":{"type":"array"},)" TG_ERROR "}}", true, RunNext},
      {"tg_show", "One task in full: fields, blockers, dependents, gates, notes, events.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID R"(}},"required":["taskId"]})",
       R"({"type":"object","properties":{"task_id":{"type":"string"},"status":{"type":"string"},)" TG_ERROR
       "}}",
       true, RunShow},
      {"tg_context",
       "What you need before working on a task: intent, plan overview, docs, risks, blockers' "
       "evidence.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID R"(}},"required":["taskId"]})",
       R"({"type":"object","properties":{"task_id":{"type":"string"},"intent":{},)" TG_ERROR "}}",
       true, RunContext},
      {"tg_start",
       "Claim a task (todo -> doing), atomically: exactly one agent wins; TASK_ALREADY_CLAIMED "
       "means pick another.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID R"(},)" TG_AGENT
       R"(,"force":{"type":"boolean","description":"take over another agent's live claim"},)" TG_LEASE
       R"(},"required":["taskId"]})",
       TG_ITEM, false, RunStart},
      {"tg_done",
       "Finish your task with evidence of what proves it done; unblocks the tasks waiting for it.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID
       R"(},"evidence":{"type":"string","description":"tests run, commit, output"},"checks":{"description":"check results, JSON"},"force":{"type":"boolean","description":"finish a task that is not doing, or still blocked"},)" TG_AGENT
       R"(},"required":["taskId","evidence"]})",
       TG_ITEM, false, RunDone},
      {"tg_note",
       "Leave a note on a task: findings, decisions; a {\"type\":\"heartbeat\"} JSON note extends "
       "your lease.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID
       R"(},"message":{"type":"string"},)" TG_AGENT R"(},"required":["taskId","message"]})",
       TG_ITEM, false, RunNote},
      {"tg_block", "Make a task wait for another (a missing prerequisite); a cycle is refused.",
       R"({"type":"object","properties":{"taskId":{"type":"string","description":"the task that must wait"},"blockerTaskId":{"type":"string","description":"the task it waits for"},"reason":{"type":"string"},)" TG_AGENT
       R"(},"required":["taskId","blockerTaskId"]})",
       R"({"type":"object","properties":{"task_id":{"type":"string"},"status":{"type":"string"},)" TG_ERROR
       "}}",
       false, RunBlock},
      {"tg_claim_next",
       "Pick the most important runnable task and claim it in one step; the best way to get "
       "work. task is null when nothing is runnable.",
       R"({"type":"object","properties":{"planId":)" TG_PLAN "," TG_AGENT "," TG_LEASE "}}",
       R"({"type":"object","properties":{"task":{"type":["object","null"]},)" TG_ERROR "}}", false,
       RunClaimNext},
      {"tg_heartbeat", "Extend the lease of a task you are working on, during long work.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID "}," TG_AGENT
       R"(},"required":["taskId"]})",
       TG_ITEM, false, RunHeartbeat},
      {"tg_release", "Give a claimed task back (doing -> todo) when you cannot finish it.",
       R"({"type":"object","properties":{"taskId":{)" TG_ID "}," TG_AGENT
       R"(},"required":["taskId"]})",
       TG_ITEM, false, RunRelease},
      {"tg_diff", "Row changes of the last commit or of from..to.",
       R"({"type":"object","properties":{"from":{"type":"string"},"to":{"type":"string"},"taskId":{"type":"string"}}})",
       R"({"type":"object","properties":{"changes":{"type":"array"},)" TG_ERROR "}}", true,
       RunDiff},
      {"tg_undo", "Undo your own last commits; others' work stays.",
       R"({"type":"object","properties":{"last":{"type":"integer"},"dryRun":{"type":"boolean"},"agent":{"type":"string"}}})",
       R"({"type":"object","properties":{"commit_id":{},)" TG_ERROR "}}", false, RunUndo},
  };
  return tools;
}

#undef TG_ID
#undef TG_AGENT
#undef TG_LEASE
#undef TG_PLAN
#undef TG_ERROR
#undef TG_ITEM

const Tool* Find(std::string_view name) {
  for (const auto& t : Tools()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const Json& InputSchema(const Tool& t) {
  // Parsed once per tool, in the order of Tools().
  static const std::vector<Json> schemas = [] {
    std::vector<Json> v;
    for (const auto& x : Tools()) v.push_back(Json::parse(x.input));
    return v;
  }();
  return schemas[static_cast<size_t>(&t - Tools().data())];
}

}  // namespace

const Json& ToolList() {
  static const Json list = [] {
    Json a = Json::array();
    for (const auto& t : Tools()) {
      Json j = {{"name", t.name},
                {"description", t.description},
                {"inputSchema", InputSchema(t)},
                {"outputSchema", Json::parse(t.output)}};
      if (t.read_only) j["annotations"] = {{"readOnlyHint", true}};
      a.push_back(std::move(j));
    }
    return a;
  }();
  return list;
}

bool HasTool(std::string_view name) { return Find(name) != nullptr; }

ToolOutput ErrorOutput(const Error& e) {
  return ToolOutput{Json{{"error", api::ErrorJson(e)}}, true};
}

ToolOutput CallTool(std::string_view name, const Json& args, store::Store& store, IdSource& ids,
                    const Identity& who) {
  const Tool* tool = Find(name);
  if (!tool) return ErrorOutput(Error{Code::kInternal, fmt::format("no tool {}", name)});
  try {
    if (Status st = CheckArguments(name, InputSchema(*tool), args); !st) {
      return ErrorOutput(st.error());
    }
    // A fresh context per call: nothing of one call is carried into the next but the store.
    app::Context ctx{store, ids};
    std::string agent = String(args, "agent").value_or("");  // "" names no one
    ctx.agent = agent.empty() ? who.agent : agent;
    ctx.agent_explicit = !agent.empty() || who.explicit_agent;
    // The same rule for who acts as on the command line (one line of valid UTF-8).
    if (Status st = app::CheckActor(ctx.agent, std::nullopt); !st) return ErrorOutput(st.error());
    ctx.holder = fmt::format("{} running `tg mcp` {} (pid {})", ctx.agent, name, getpid());
    Result<ToolOutput> out = tool->run(ctx, args);
    if (!out) return ErrorOutput(out.error());
    return std::move(*out);
  } catch (const std::exception& e) {
    return ErrorOutput(Error{Code::kInternal, fmt::format("{} failed: {}", name, e.what())});
  } catch (...) {
    return ErrorOutput(Error{Code::kInternal, fmt::format("{} failed", name)});
  }
}

std::string CallReply(const Json& id, const ToolOutput& out, bool modern) {
  std::string result = Compact(out.structured);
  std::string reply = R"({"jsonrpc":"2.0","id":)";
  reply += Compact(id);
  reply += R"(,"result":{"content":[{"type":"text","text":)";
  reply += Compact(Json(result));  // the same JSON, as a JSON string
  reply += R"(}],"structuredContent":)";
  reply += result;
  reply += out.is_error ? R"(,"isError":true)" : R"(,"isError":false)";
  if (modern) reply += R"(,"resultType":"complete")";
  reply += "}}";
  return reply;
}

}  // namespace tg::mcp
