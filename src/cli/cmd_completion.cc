// tg completion bash|zsh|fish, tg manpage, and the hidden `tg __complete`: all generated from
// the command table itself, so they cannot drift from --help. The shell scripts are thin: they
// hand the words typed so far to `tg __complete`, which walks the same CLI11 table the parser
// uses and answers one candidate per line ("value<TAB>help"), or ":files" to let the shell
// complete a path. Task ids and plan titles come from the graph.
#include <fmt/format.h>

#include <set>

#include "cli/commands.h"
#include "cli/completion_scripts.h"
#include "cli/render.h"

namespace tg::cli {

namespace {

constexpr int kMaxIds = 50;

enum class Kind { kNone, kTask, kPlan, kTaskOrPlan, kGate, kFile, kWords };

// What a positional argument or an option's value names, by its name in the table.
Kind KindOf(const CLI::App& cmd, const std::string& name) {
  static const std::set<std::string> tasks{"ids", "id", "task", "from", "to", "--task", "--on"};
  if (name == "ids" && cmd.get_name() == "cancel") return Kind::kTaskOrPlan;
  if (tasks.contains(name)) return Kind::kTask;
  if (name == "plan" || name == "--plan") return Kind::kPlan;
  if (name == "gate") return Kind::kGate;
  if (name == "file" || name == "--out" || name == "--dir" || name == "--path") return Kind::kFile;
  if (name == "type") return Kind::kWords;
  return Kind::kNone;
}

struct Line {
  std::string value, help;
};

// A flag takes no value; every other option one (or more).
bool TakesValue(const CLI::Option& o) { return o.get_expected_max() != 0; }

const CLI::Option* FindOption(const CLI::App* at, std::string_view flag) {
  for (const CLI::App* a = at; a; a = a->get_parent()) {
    for (const CLI::Option* o : a->get_options()) {
      for (const auto& n : o->get_lnames()) {
        if ("--" + n == flag) return o;
      }
      for (const auto& n : o->get_snames()) {
        if ("-" + n == flag) return o;
      }
    }
  }
  return nullptr;
}

std::vector<const CLI::App*> Subcommands(const CLI::App* app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* s :
       const_cast<CLI::App*>(app)->get_subcommands([](CLI::App*) { return true; })) {
    if (!s->get_group().empty()) out.push_back(s);  // hidden commands have no group
  }
  return out;
}

std::vector<const CLI::Option*> Positionals(const CLI::App* app) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* o : app->get_options()) {
    if (o->get_positional()) out.push_back(o);
  }
  return out;
}

void CompleteIds(Session& s, store::Entity e, const std::string& prefix, std::vector<Line>& out) {
  auto ctx = s.Ctx();
  if (!ctx) return;  // no graph here: nothing to offer, and no error in the middle of a line
  auto r = (*ctx)->store.Read();
  if (!r) return;
  auto ids = (*r)->IdsByPrefix(e, prefix, kMaxIds);
  if (!ids) return;
  for (const auto& m : *ids) {
    out.push_back(e == store::Entity::kPlan && !m.title.starts_with(prefix)
                      ? Line{m.hash_id, m.title}
                  : e == store::Entity::kPlan ? Line{m.title, m.hash_id}
                                              : Line{m.hash_id, m.title});
  }
}

// Candidates for the last of `words` (the words after `tg`, the last one being completed).
std::vector<Line> Complete(const CLI::App& root, const std::vector<std::string>& words,
                           Session& s) {
  const CLI::App* at = &root;
  size_t positional = 0;
  const CLI::Option* pending = nullptr;  // an option whose value the next word is
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& w = words[i];
    if (pending) {
      pending = nullptr;
      continue;
    }
    if (w.starts_with("-")) {
      const CLI::Option* o = FindOption(at, w.substr(0, w.find('=')));
      if (o && TakesValue(*o) && w.find('=') == std::string::npos) pending = o;
      continue;
    }
    const CLI::App* sub = nullptr;
    for (const CLI::App* c : Subcommands(at)) {
      if (c->get_name() == w) sub = c;
    }
    if (sub) {
      at = sub;
      positional = 0;
    } else {
      ++positional;
    }
  }
  const std::string cur = words.empty() ? "" : words.back();
  std::vector<Line> out;
  auto values = [&](Kind k, const std::string& name) {
    switch (k) {
      case Kind::kTask:
        CompleteIds(s, store::Entity::kTask, cur, out);
        break;
      case Kind::kPlan:
        CompleteIds(s, store::Entity::kPlan, cur, out);
        break;
      case Kind::kTaskOrPlan:
        CompleteIds(s, store::Entity::kTask, cur, out);
        CompleteIds(s, store::Entity::kPlan, cur, out);
        break;
      case Kind::kGate:
        CompleteIds(s, store::Entity::kGate, cur, out);
        break;
      case Kind::kFile:
        out.push_back({":files", ""});
        break;
      case Kind::kWords:
        if (name == "type" && at->get_name() == "add") {
          out.push_back({"blocks", "the first task must finish before the second"});
          out.push_back({"relates", "a link without ordering"});
        } else if (name == "type" || at->get_name() == "remove") {
          out.push_back({"blocks", ""});
          out.push_back({"relates", ""});
        }
        break;
      case Kind::kNone:
        break;
    }
  };
  if (pending) {
    values(KindOf(*at, pending->get_lnames().empty() ? "" : "--" + pending->get_lnames()[0]), "");
    return out;
  }
  if (cur.starts_with("-")) {
    for (const CLI::App* a = at; a; a = a->get_parent()) {
      for (const CLI::Option* o : a->get_options()) {
        for (const auto& n : o->get_lnames()) {
          std::string flag = "--" + n;
          if (flag.starts_with(cur) && n != "help") out.push_back({flag, o->get_description()});
        }
      }
    }
    return out;
  }
  auto subs = Subcommands(at);
  if (!subs.empty()) {
    for (const CLI::App* c : subs) {
      if (c->get_name().starts_with(cur)) out.push_back({c->get_name(), c->get_description()});
    }
    return out;
  }
  auto pos = Positionals(at);
  if (!pos.empty()) {
    const CLI::Option* o = pos[std::min(positional, pos.size() - 1)];
    values(KindOf(*at, o->get_name()), o->get_name());
  }
  return out;
}

// A roff-escaped line of text.
std::string Roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void ManOptions(std::string& m, const CLI::App* a) {
  for (const CLI::Option* o : a->get_options()) {
    if (o->get_positional() || o->get_lnames().empty() || o->get_lnames()[0] == "help") continue;
    std::string names;
    for (const auto& n : o->get_snames()) names += "\\-" + n + ", ";
    for (const auto& n : o->get_lnames()) names += "\\-\\-" + Roff(n) + ", ";
    names.resize(names.size() - 2);
    m += fmt::format(".TP\n.B {}{}\n{}\n", names, TakesValue(*o) ? " \\fIvalue\\fR" : "",
                     Roff(o->get_description()));
  }
}

void ManCommand(std::string& m, const CLI::App* c, const std::string& path) {
  auto subs = Subcommands(c);
  if (!subs.empty()) {
    for (const CLI::App* sub : subs) ManCommand(m, sub, path + " " + sub->get_name());
    return;
  }
  std::string args;
  for (const CLI::Option* p : Positionals(c)) {
    args += fmt::format(" \\fI{}\\fR{}", p->get_name(), p->get_expected_max() > 1 ? "..." : "");
  }
  m += fmt::format(".SS \"tg {}{}\"\n{}\n", Roff(path), args, Roff(c->get_description()));
  ManOptions(m, c);
}

std::string ManPage(const CLI::App& root, std::string_view version) {
  std::string m = fmt::format(
      ".TH TG 1 \"\" \"{}\" \"User Commands\"\n.SH NAME\ntg \\- a task graph for a "
      "developer and the AI agents working beside them\n.SH SYNOPSIS\n.B tg\n\\fIcommand\\fR "
      "[\\fIoptions\\fR]\n.SH DESCRIPTION\n{}\nEverything is kept in \\fI.taskgraph/\\fR of the "
      "project: plans, tasks, dependency edges, gates, notes and the history of every change. "
      "Agents drive it with \\fBtg next \\-\\-claim\\fR, \\fBtg note\\fR and \\fBtg done\\fR; "
      "people read it with \\fBtg status\\fR and \\fBtg log\\fR.\n.SH COMMANDS\n",
      Roff(version), Roff(root.get_description()));
  for (const CLI::App* c : Subcommands(&root)) ManCommand(m, c, c->get_name());
  m += ".SH GLOBAL OPTIONS\n";
  ManOptions(m, &root);
  m += ".SH ENVIRONMENT\n";
  for (auto [name, what] : std::initializer_list<std::pair<const char*, const char*>>{
           {"TG_DIR", "the folder holding .taskgraph/, like --dir"},
           {"TG_AGENT", "who is acting, like --agent (default: default)"},
           {"TG_LOCK_TIMEOUT", "how long a writer waits for the store (30s; 500ms, 2m)"},
           {"TG_DATABASE_URL",
            "a PostgreSQL graph's database, overriding config.json's database_url"},
           {"TG_CONNECT_TIMEOUT", "how long to wait for a PostgreSQL server (10s; 500ms)"},
           {"TG_NOW", "an ISO-8601 time that replaces the clock, for tests"},
           {"TG_TRACE", "print this command's lock wait on stderr"},
           {"NO_COLOR", "never colour the output"}}) {
    m += fmt::format(".TP\n.B {}\n{}\n", name, Roff(what));
  }
  m += ".SH EXIT STATUS\n";
  for (int code = 0; code <= static_cast<int>(Code::kIoError); ++code) {
    m += fmt::format(".TP\n.B {}\n{}\n", ExitCode(static_cast<Code>(code)),
                     Roff(CodeName(static_cast<Code>(code))));
  }
  m += ".PP\n0 is success; the README's exit-code table explains each code.\n"
       ".SH FILES\n.TP\n.I .taskgraph/config.json\nsettings (lease_minutes, stale_hours, "
       "context_token_budget)\n.TP\n.I .taskgraph/tg.db\nthe graph and its history (SQLite)\n"
       ".SH SEE ALSO\n\\fBtg \\-\\-help\\fR, \\fBtg \\fIcommand\\fB \\-\\-help\\fR\n";
  return m;
}

}  // namespace

void AddCompletionCommands(CLI::App& app, Registry& r, std::string_view want,
                           std::string_view version) {
  if (Wants(want, "completion")) {
    auto shell = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("completion", "Print a shell completion script (bash|zsh|fish)");
    sub->add_option("shell", *shell, "bash, zsh or fish")->required();
    r.On(sub, [shell](Session& s) -> Result<int> {
      auto script = CompletionScript(*shell);
      if (!script) {
        return Fail(Code::kValidationFailed,
                    fmt::format("no completion for shell '{}'; use bash, zsh or fish", *shell));
      }
      s.io.out << *script;
      return 0;
    });
  }
  if (Wants(want, "manpage")) {
    auto* sub = app.add_subcommand("manpage", "Print the manual page (roff), from this table");
    std::string v(version);
    r.On(sub, [&app, v](Session& s) -> Result<int> {
      s.io.out << ManPage(app, v);
      return 0;
    });
  }
  if (Wants(want, "__complete")) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* sub = app.add_subcommand("__complete", "");
    sub->group("");  // hidden from --help
    // The scripts pass the words after "--", so words that look like flags stay words.
    sub->add_option("words", *words, "The words after `tg`, the last one being completed");
    r.On(sub, [&app, words](Session& s) -> Result<int> {
      std::vector<std::string> w = *words;
      if (w.empty()) w.emplace_back();
      // Ids come from the graph the completed command would use.
      for (size_t i = 0; i + 2 < w.size(); ++i) {
        if (w[i] == "--dir") s.g.dir = w[i + 1];
      }
      for (const auto& line : Complete(app, w, s)) {
        s.io.out << line.value << (line.help.empty() ? "" : "\t" + line.help) << '\n';
      }
      return 0;
    });
  }
}

}  // namespace tg::cli
