// tg export svg|html: pictures of the graph (contract section 13). The drawing is Graphviz's
// (cli/graphviz.h); the DOT and the page come from export/pictures.h.
#include "app/activity.h"
#include "app/agent_context.h"
#include "app/init.h"
#include "cli/commands.h"
#include "cli/graphviz.h"
#include "cli/render.h"
#include "core/file.h"
#include "export/pictures.h"

namespace tg::cli {

namespace {

Status WritePicture(Session& s, app::Context& ctx, const std::string& format,
                    const std::string& out, const std::string& text) {
  if (out.empty() || out == "-") {
    if (s.Json()) {
      PrintJson(s, {{"format", format}, {"content", text}});
    } else {
      s.io.out << text;
    }
    return Ok();
  }
  TG_ASSIGN(std::string path, app::OutputPath(ctx, "--out", s.env.cwd, out));
  TG_TRY(WriteFileAtomically(path, text, /*replace=*/true));
  if (s.Json()) {
    PrintJson(s, {{"format", format}, {"path", path}, {"bytes", text.size()}});
  } else {
    s.io.err << "tg export: wrote " << path << '\n';
  }
  return Ok();
}

void AddPicture(CLI::App& exp, Registry& r, const std::string& format, const char* help) {
  struct Opts {
    std::string plan, out, as_of;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = exp.add_subcommand(format, help);
  sub->add_option("--as-of", o->as_of, "The graph as it was after this commit or at this time");
  sub->add_option("--plan", o->plan, "Only this plan, and the edges among its tasks");
  sub->add_option("--out", o->out, "Write to this file instead of stdout");
  r.On(sub, [o, format](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.CtxAt(o->as_of));
    std::optional<std::string> plan;
    if (!o->plan.empty()) plan = o->plan;
    TG_ASSIGN(GraphSnapshot g, app::Snapshot(*ctx, plan));
    TG_ASSIGN(std::string svg, DotToSvg(exporter::ToStyledDot(g)));
    if (format == "svg") {
      TG_TRY(WritePicture(s, *ctx, format, o->out, svg));
      return 0;
    }
    exporter::HtmlPage page;
    page.title = g.plans.size() == 1 && plan ? "tg: " + g.plans.front().title : "tg: all plans";
    TG_ASSIGN(auto rd, ctx->store.Read());
    page.exported_at = FormatIso(rd->Now());
    rd.reset();
    page.svg = svg;
    TG_ASSIGN(page.events, app::EventsByTask(*ctx, g));
    TG_TRY(WritePicture(s, *ctx, format, o->out, exporter::ToHtml(g, page)));
    return 0;
  });
}

}  // namespace

void AddPictureFormats(CLI::App& exp, Registry& r) {
  AddPicture(exp, r, "svg", "The graph drawn by Graphviz: plans as clusters, statuses coloured");
  AddPicture(exp, r, "html", "One offline page: the drawing, plans, tasks with details, search");
}

}  // namespace tg::cli
