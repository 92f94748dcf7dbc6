// tg export mermaid|dot|markdown|json: the graph (or one plan) in other formats.
#include <fmt/format.h>

#include <filesystem>

#include "app/agent_context.h"
#include "app/init.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "core/file.h"
#include "export/export.h"

namespace tg::cli {

namespace {

// Text formats go to stdout or --out; with --json the text (or where it went) is wrapped in
// an object, like every other command's output. A file is written whole or not at all, and
// never over the store's own files (app::OutputPath).
Status WriteOut(Session& s, app::Context& ctx, const std::string& format, const std::string& out,
                const std::string& text) {
  if (out.empty() || out == "-") {
    if (s.Json()) {
      PrintJson(s, {{"format", format}, {"content", text}});
    } else {
      s.io.out << text;
    }
    return Ok();
  }
  TG_ASSIGN(std::string path, app::OutputPath(ctx, "--out", s.env.cwd, out));
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  TG_TRY(WriteFileAtomically(path, text, /*replace=*/true));
  if (s.Json()) {
    PrintJson(s, {{"format", format}, {"path", path}, {"bytes", text.size()}});
  } else {
    s.io.err << "tg export: wrote " << path << '\n';
  }
  return Ok();
}

void AddFormat(CLI::App& exp, Registry& r, const char* name, const char* help) {
  struct Opts {
    std::string plan, out, as_of;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = exp.add_subcommand(name, help);
  sub->add_option("--as-of", o->as_of, "The graph as it was after this commit or at this time");
  sub->add_option("--plan", o->plan,
                  std::string(name) == "markdown"
                      ? "The plan to export (id or title; required)"
                      : "Only this plan, and the edges among its tasks");
  sub->add_option("--out", o->out, "Write to this file instead of stdout");
  std::string format = name;
  r.On(sub, [o, format](Session& s) -> Result<int> {
    if (format == "markdown" && o->plan.empty()) {
      return Fail(Code::kUsage, "export markdown needs --plan <id or title>");
    }
    TG_ASSIGN(auto* ctx, s.CtxAt(o->as_of));
    std::optional<std::string> plan;
    if (!o->plan.empty()) plan = o->plan;
    TG_ASSIGN(GraphSnapshot g, app::Snapshot(*ctx, plan));
    std::string text;
    if (format == "mermaid") {
      text = exporter::ToMermaid(g);
    } else if (format == "dot") {
      text = exporter::ToDot(g);
    } else if (format == "markdown") {
      TG_ASSIGN(text, exporter::ToPlanFile(g, g.plans.front()));
    } else {
      if (o->out.empty()) {  // already JSON: print it as is
        PrintJson(s, api::SnapshotJson(g));
        return 0;
      }
      text = api::SnapshotJson(g).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    }
    TG_TRY(WriteOut(s, *ctx, format, o->out, text));
    return 0;
  });
}

}  // namespace

void AddExportCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "export")) return;
  auto* exp = app.add_subcommand("export", "Export the graph as Mermaid, DOT, a plan file or JSON");
  exp->require_subcommand(1);
  AddFormat(*exp, r, "mermaid", "Mermaid flowchart");
  AddFormat(*exp, r, "dot", "Graphviz DOT");
  AddFormat(*exp, r, "markdown", "A plan file (cursor format) that `tg import` reads back");
  AddFormat(*exp, r, "json", "Plans, tasks and edges as JSON");
  AddPictureFormats(*exp, r);  // svg, html (cmd_pictures.cc)
}

}  // namespace tg::cli
