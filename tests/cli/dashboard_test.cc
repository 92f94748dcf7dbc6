// tg dashboard for real, in tmux (contract section 13): a detached session on its own socket
// per test runs the dashboard; the test reads the screen with `capture-pane`, polling until a
// condition holds or a deadline passes (never a fixed sleep); another process's `tg done`
// changes the frame; `resize-window` redraws it at the new size; `q` and Ctrl-C give the shell
// its screen and terminal modes back. Without tmux the tests are skipped, saying so.
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "support/child.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

bool HaveTmux() { return std::filesystem::exists("/usr/bin/tmux"); }

class Tmux {
 public:
  explicit Tmux(const Sandbox& sb) : sb_(sb), socket_(sb.root() + "/tmux.sock") {}
  ~Tmux() { Cmd({"kill-server"}); }

  RunResult Cmd(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-S", socket_, "-f", "/dev/null"});
    return sb_.RunBinary("/usr/bin/tmux", args, {{"TERM", "xterm-256color"}});
  }
  // A session running `command` (a shell command line) in a w x h window.
  void Start(const std::string& command, int w, int h) {
    RunResult r = Cmd({"-u", "new-session", "-d", "-s", "t", "-x", std::to_string(w), "-y",
                       std::to_string(h), command});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Screen() const { return Cmd({"capture-pane", "-p", "-t", "t"}).out; }
  void Keys(const std::vector<std::string>& keys) const {
    std::vector<std::string> args{"send-keys", "-t", "t"};
    args.insert(args.end(), keys.begin(), keys.end());
    Cmd(args);
  }
  // Polls the screen until `ok` holds; fails with the last screen after `deadline_ms`.
  std::string WaitFor(const std::function<bool(const std::string&)>& ok, const std::string& what,
                      int deadline_ms = 90'000) const {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
    std::string screen;
    while (std::chrono::steady_clock::now() < end) {
      screen = Screen();
      if (ok(screen)) return screen;
      timespec pause{0, 20'000'000};  // between looks, not a synchronisation
      nanosleep(&pause, nullptr);
    }
    ADD_FAILURE() << "timed out waiting for " << what << "; the screen was:\n" << screen;
    return screen;
  }

 private:
  const Sandbox& sb_;
  std::string socket_;
};

bool Has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

// One plan; alice works on "Write parser", "Add docs" is runnable.
struct Graph {
  std::string plan, parser, docs;
};

Graph Build(Sandbox& sb) {
  Graph g;
  g.plan = sb.NewPlan("Importer");
  g.parser = sb.NewTask(g.plan, "Write parser");
  g.docs = sb.NewTask(g.plan, "Add docs");
  sb.Ok({"start", g.parser}, {{"TG_AGENT", "alice"}});
  sb.Ok({"note", g.parser, "--msg", R"({"type":"heartbeat","phase":"mid-work"})"},
        {{"TG_AGENT", "alice"}});
  return g;
}

std::string Tg() { return TgBinary(); }

TEST(DashboardTmux, RedrawsWhenAnotherProcessFinishesATask) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  Sandbox sb;
  Graph g = Build(sb);
  Tmux tmux(sb);
  tmux.Start(Tg() + " dashboard", 100, 30);
  // Every expectation is part of the wait: tmux may show a frame half drawn (the top new, the
  // bottom still the last frame's), so one look that finds the first line proves nothing yet.
  tmux.WaitFor(
      [](const std::string& s) {
        return Has(s, "┌─ Doing") && Has(s, "Write parser") && Has(s, "alice") &&
               Has(s, "mid-work") && Has(s, "nothing done yet") && Has(s, "done 0 · doing 1");
      },
      "the frame with alice's doing task and nothing done");
  sb.Ok({"done", g.parser, "--evidence", "parsed"}, {{"TG_AGENT", "alice"}});
  tmux.WaitFor(
      [](const std::string& s) {
        return Has(s, "nobody is working on a task") && !Has(s, "nothing done yet") &&
               Has(s, "done 1 · doing 0");
      },
      "the frame after done");
}

// Three agents on two plans, a gate, work done: the frame docs/dashboard.txt shows (written
// with TG_UPDATE_DOCS=1).
TEST(DashboardTmux, ABusyGraphShowsEveryAgentGateAndCompletion) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  Sandbox sb;
  auto as = [&](const std::string& agent, const std::vector<std::string>& args) {
    sb.Ok(args, {{"TG_AGENT", agent}});
  };
  std::string api = sb.NewPlan("Public API"), docs = sb.NewPlan("Docs site");
  sb.Ok({"plan", "set-priority", api, "1"});
  std::string schema = sb.NewTask(api, "Define the schema");
  std::string handlers = sb.NewTask(api, "Write the handlers");
  std::string auth = sb.NewTask(api, "Add authentication");
  std::string load = sb.NewTask(api, "Load test");
  std::string guide = sb.NewTask(docs, "Write the guide");
  std::string shots = sb.NewTask(docs, "Take screenshots");
  sb.NewTask(docs, "Publish");
  sb.Ok({"edge", "add", handlers, "blocks", load});
  as("ada", {"start", schema});
  as("ada", {"done", schema, "--evidence", "schema reviewed"});
  as("ada", {"start", handlers});
  as("ada", {"note", handlers, "--msg", R"({"type":"heartbeat","phase":"mid-work"})"});
  as("brian", {"start", auth});
  as("brian", {"note", auth, "--msg", R"({"type":"heartbeat","phase":"start"})"});
  as("chen", {"start", guide});
  as("chen", {"note", guide, "--msg", R"({"type":"heartbeat","phase":"pre-done"})"});
  sb.Ok({"gate", "create", "Security review by Dana", "--task", shots});
  Tmux tmux(sb);
  tmux.Start(Tg() + " dashboard", 100, 34);
  std::string frame = tmux.WaitFor(
      [](const std::string& s) {
        return Has(s, "ada") && Has(s, "brian") && Has(s, "chen") && Has(s, "Security review") &&
               Has(s, "pre-done") && Has(s, "Define the schema") /* recently done */ &&
               Has(s, "done 1 · doing 3");  // the last line: the frame is whole
      },
      "the busy frame");
  if (getenv("TG_UPDATE_DOCS")) std::ofstream(std::string(TG_DOCS_DIR) + "/dashboard.txt") << frame;
}

TEST(DashboardTmux, ResizeRedrawsAtTheNewSize) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  Sandbox sb;
  Build(sb);
  Tmux tmux(sb);
  tmux.Start(Tg() + " dashboard", 100, 30);
  auto top_width = [](const std::string& screen) {
    std::istringstream in(screen);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("┌─ Active plans", 0) == 0) {
        size_t n = 0;
        for (unsigned char c : line) n += (c & 0xC0) != 0x80;
        return n;
      }
    }
    return size_t{0};
  };
  tmux.WaitFor([&](const std::string& s) { return top_width(s) == 100; }, "a 100-column frame");
  ASSERT_EQ(tmux.Cmd({"resize-window", "-t", "t", "-x", "64", "-y", "20"}).exit_code, 0);
  tmux.WaitFor([&](const std::string& s) { return top_width(s) == 64; }, "a 64-column frame");
}

// The shell's screen before the dashboard, and its terminal modes, come back exactly.
void QuitWith(const std::vector<std::string>& keys) {
  Sandbox sb;
  Build(sb);
  Tmux tmux(sb);
  tmux.Start("PS1='$ ' /bin/sh", 90, 30);
  tmux.WaitFor([](const std::string& s) { return Has(s, "$"); }, "the shell prompt");
  tmux.Keys(
      {"stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo BEFORE-$((1+1))",
       "Enter"});
  std::string before =
      tmux.WaitFor([](const std::string& s) { return Has(s, "BEFORE-2"); }, "BEFORE-2");
  tmux.Keys({Tg() + " dashboard", "Enter"});
  tmux.WaitFor([](const std::string& s) { return Has(s, "tg dashboard · overview"); },
               "the dashboard");
  tmux.Keys(keys);
  std::string back = tmux.WaitFor(
      [](const std::string& s) { return !Has(s, "tg dashboard · overview") && Has(s, "BEFORE"); },
      "the shell's screen");
  EXPECT_TRUE(Has(back, "icanon,echo,BEFORE-2")) << back;
  tmux.Keys({"stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo AFTER-$((1+1))",
             "Enter"});
  std::string after =
      tmux.WaitFor([](const std::string& s) { return Has(s, "AFTER-2"); }, "AFTER-2");
  EXPECT_TRUE(Has(after, "icanon,echo,AFTER-2")) << after;  // raw mode undone
  EXPECT_FALSE(Has(after, "Active plans")) << after;
}

TEST(DashboardTmux, QRestoresTheShellScreenAndTerminalModes) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  QuitWith({"q"});
}

TEST(DashboardTmux, CtrlCRestoresTheShellScreenAndTerminalModes) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  QuitWith({"C-c"});
}

TEST(DashboardTmux, AsciiWithoutColourWhenAsked) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  Sandbox sb;
  Build(sb);
  Tmux tmux(sb);
  tmux.Start("TG_ASCII=1 NO_COLOR=1 " + Tg() + " dashboard", 100, 30);
  std::string s =
      tmux.WaitFor([](const std::string& x) { return Has(x, "+- Doing"); }, "an ASCII frame");
  EXPECT_FALSE(Has(s, "┌"));
  RunResult esc = tmux.Cmd({"capture-pane", "-p", "-e", "-t", "t"});  // with attributes
  EXPECT_FALSE(Has(esc.out, "\x1b[36m")) << "colour despite NO_COLOR";
}

TEST(DashboardTmux, ColoursOnATerminal) {
  if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (Debian package tmux)";
  Sandbox sb;
  Build(sb);
  Tmux tmux(sb);
  tmux.Start(Tg() + " dashboard", 100, 30);
  tmux.WaitFor([](const std::string& x) { return Has(x, "alice"); }, "the frame");
  RunResult esc = tmux.Cmd({"capture-pane", "-p", "-e", "-t", "t"});
  EXPECT_TRUE(Has(esc.out, "\x1b[36m")) << esc.out;  // the agent in cyan
}

TEST(Dashboard, WithoutATerminalPrintsOneFrameAndExits) {
  Sandbox sb;
  Graph g = Build(sb);
  RunResult r = sb.Run({"dashboard"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "tg dashboard · overview"));
  EXPECT_TRUE(Has(r.out, g.parser));
  EXPECT_TRUE(Has(r.out, "mid-work"));
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "no colour in a pipe";
  RunResult tasks = sb.Run({"dashboard", "--tasks"});
  EXPECT_TRUE(Has(tasks.out, "Open tasks")) << tasks.out;
  RunResult projects = sb.Run({"dashboard", "--projects"});
  EXPECT_TRUE(Has(projects.out, "Upcoming")) << projects.out;
  RunResult both = sb.Run({"dashboard", "--tasks", "--projects"});
  EXPECT_EQ(both.exit_code, 2);
}

TEST(StatusWatch, PrintsAgainWhenAnotherProcessCommits) {
  Sandbox sb;
  Graph g = Build(sb);
  RunOptions o;
  o.argv = {Tg(), "status", "--watch"};
  o.env = sb.Environment();
  Child watch(o);
  auto until = [&](const std::string& what) {
    for (;;) {
      auto line = watch.ReadLine(90'000);
      if (!line) return false;
      if (Has(*line, what)) return true;
    }
  };
  ASSERT_TRUE(until("Being worked on:"));
  ASSERT_TRUE(until(g.parser));
  sb.Ok({"done", g.parser, "--evidence", "parsed"}, {{"TG_AGENT", "alice"}});
  ASSERT_TRUE(until("Status at"));  // the next summary
  ASSERT_TRUE(until("Recently done:"));
  EXPECT_TRUE(until(g.parser));
}

}  // namespace
}  // namespace tg::test
