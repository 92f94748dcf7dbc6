// tg import, tg template apply: plan documents into the graph.
#include <fmt/format.h>

#include <filesystem>

#include "app/import.h"
#include "cli/commands.h"
#include "cli/render.h"

namespace tg::cli {

namespace {

std::string Absolute(const std::string& cwd, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(cwd) / p;
  std::error_code ec;
  auto canon = std::filesystem::weakly_canonical(p, ec);
  return ec ? p.lexically_normal().string() : canon.string();
}

int PrintImport(Session& s, const app::Written<app::ImportOutcome>& w, const std::string& file,
                const std::vector<std::string>& warnings) {
  const auto& o = w.value;
  for (const auto& warning : warnings)
    s.io.err << "tg " << s.command << ": warning: " << warning << '\n';
  for (const auto& c : o.conflicts) {
    s.io.err << "tg " << s.command << ": kept " << c.hash_id << " (" << c.key << ") "
             << c.stored_status << ": the file says " << c.file_status << " but it is " << c.reason
             << '\n';
  }
  if (s.Json()) {
    PrintJson(s, api::ImportJson(w, file, warnings));
    return 0;
  }
  s.io.out << fmt::format("{} {} into plan {} \"{}\"{}: {} new, {} updated, {} unchanged",
                          s.command == "import" ? "Imported" : "Applied", file, o.plan.hash_id,
                          o.plan.title, o.plan_created ? " (new)" : "", o.created, o.updated,
                          o.unchanged);
  if (o.canceled) s.io.out << ", " << o.canceled << " canceled";
  if (o.edges_added || o.edges_removed) {
    s.io.out << fmt::format("; edges +{} -{}", o.edges_added, o.edges_removed);
  }
  s.io.out << (w.commit ? "" : " (nothing changed)") << '\n';
  return 0;
}

Result<plan::Format> FormatArg(const std::string& f) {
  if (f.empty()) return plan::Format::kAuto;
  if (f == "cursor") return plan::Format::kCursor;
  if (f == "legacy") return plan::Format::kLegacy;
  return Fail(Code::kValidationFailed,
              fmt::format("--format must be cursor or legacy, not '{}'", f));
}

void AddImport(CLI::App& app, Registry& r) {
  struct Opts {
    std::string file, plan, format;
    bool force = false, replace = false, lenient = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("import", "Import a plan file (markdown + YAML frontmatter)");
  sub->add_option("file", o->file, "The plan file")->required();
  sub->add_option("--plan", o->plan, "Plan id or title to import into (created if absent)");
  sub->add_option("--format", o->format, "cursor or legacy (default: detected)");
  sub->add_flag("--force", o->force, "Keep tasks whose todo is no longer in the file");
  sub->add_flag("--replace", o->replace, "Cancel tasks whose todo is no longer in the file");
  sub->add_flag("--lenient", o->lenient,
                "Import despite unknown keys and unusable values, warning about each");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(plan::Format format, FormatArg(o->format));
    std::string path = Absolute(s.env.cwd, o->file);
    // Parsing happens before the store is touched: a bad file writes nothing.
    TG_ASSIGN(plan::Plan doc, plan::ReadPlanFile(path, format, o->lenient));
    TG_ASSIGN(auto* ctx, s.Ctx());
    app::ImportOptions opts;
    if (!o->plan.empty()) opts.plan_ref = o->plan;
    opts.force = o->force;
    opts.replace = o->replace;
    opts.source_path = path;
    opts.file_label = o->file;
    TG_ASSIGN(auto w, app::ImportPlan(*ctx, doc, opts));
    return PrintImport(s, w, o->file, doc.warnings);
  });
}

void AddTemplate(CLI::App& app, Registry& r) {
  struct Opts {
    std::string file, plan;
    std::vector<std::string> vars;
    bool force = false, replace = false;
  };
  auto o = std::make_shared<Opts>();
  auto* tmpl = app.add_subcommand("template", "Plan templates");
  tmpl->require_subcommand(1);
  auto* sub = tmpl->add_subcommand("apply", "Create or update a plan from a YAML template");
  sub->add_option("file", o->file, "The template (YAML with {{name}} placeholders)")->required();
  sub->add_option("--plan", o->plan, "Plan id or title (created if absent)")->required();
  sub->add_option("--var", o->vars, "name=value for {{name}} (repeatable)");
  sub->add_flag("--force", o->force, "Keep tasks whose todo is no longer in the template");
  sub->add_flag("--replace", o->replace, "Cancel tasks whose todo is no longer in the template");
  r.On(sub, [o](Session& s) -> Result<int> {
    std::map<std::string, std::string> vars;
    for (const auto& v : o->vars) {
      auto eq = v.find('=');
      std::string key = eq == std::string::npos ? "" : v.substr(0, eq);
      if (key.empty()) {
        return Fail(Code::kValidationFailed,
                    fmt::format("--var '{}' must look like name=value", v));
      }
      vars[key] = v.substr(eq + 1);
    }
    std::string path = Absolute(s.env.cwd, o->file);
    TG_ASSIGN(plan::Plan doc, plan::ReadTemplateFile(path, o->file, vars));
    TG_ASSIGN(auto* ctx, s.Ctx());
    app::ImportOptions opts;
    opts.plan_ref = o->plan;
    opts.force = o->force;
    opts.replace = o->replace;
    opts.source_path = path;
    opts.file_label = o->file;
    opts.verb = "template apply";
    TG_ASSIGN(auto w, app::ImportPlan(*ctx, doc, opts));
    return PrintImport(s, w, o->file, doc.warnings);
  });
}

}  // namespace

void AddImportCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "import")) AddImport(app, r);
  if (Wants(want, "template")) AddTemplate(app, r);
}

}  // namespace tg::cli
