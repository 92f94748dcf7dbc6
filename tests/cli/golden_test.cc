// Golden tests of the human-readable output: the exact stdout, stderr and exit code of `tg status`
// (summary, --tasks, --projects), `tg next`, `tg show`, `tg log` and the common errors, compared
// with tests/golden/<case>.txt. Every command runs with --human, a fixed clock (TG_NOW) and a fixed
// agent (TG_AGENT). Random ids (short ids, UUIDs, commit ids) are replaced with placeholders of
// exactly the same length (tg-3fa9c1 -> tg-AAAAA1, p-81bd02 -> p-PPPPP1, g-… -> g-GGGGG1, commit
// ids -> CCCCCCCCCC01), so column alignment is kept; nothing else is normalised.
//
// After an intended change of the output, rewrite the golden files and review the diff:
//
//   TG_UPDATE_GOLDEN=1 ctest -R Golden        (from the build folder)
//
// Golden file format: "$ <environment> tg <args>", "[exit N]", then "--- stdout" and "--- stderr",
// each followed by the stream verbatim ("\ no newline at end" marks a stream that does not end in
// a newline).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/strings.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDay = "2026-11-26T";

bool UpdateMode() {
  const char* v = getenv("TG_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

// Placeholder of `width` characters: `fill` repeated, then `n` (zero-padded to `digits`).
std::string Placeholder(char fill, size_t width, int n, size_t digits = 1) {
  std::string num = std::to_string(n);
  if (num.size() < digits) num.insert(0, digits - num.size(), '0');
  if (num.size() >= width) return num.substr(num.size() - width);
  return std::string(width - num.size(), fill) + num;
}

// A UUID's placeholder keeps its dashes: AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAA01.
std::string UuidPlaceholder(const std::string& uuid, char fill, int n) {
  std::string digits = Placeholder(fill, uuid.size() - 4, n, 2);
  std::string out;
  size_t k = 0;
  for (char c : uuid) out += c == '-' ? '-' : digits[k++];
  return out;
}

// Replaces every id the test has learnt with its placeholder.
class Ids {
 public:
  // A short id (tg-…, p-…, g-…): the prefix is kept, the hex digits become `fill` + a number.
  void Short(const std::string& id, char fill) {
    if (id.empty() || map_.count(id)) return;
    size_t dash = id.find('-');
    int n = ++count_[fill];
    map_[id] = id.substr(0, dash + 1) + Placeholder(fill, id.size() - dash - 1, n);
  }
  void Uuid(const std::string& id, char fill) {
    if (id.empty() || map_.count(id)) return;
    map_[id] = UuidPlaceholder(id, fill, ++uuid_count_[fill]);
  }
  void Commit(const std::string& id) {
    if (id.empty() || id == "pending" || map_.count(id)) return;
    map_[id] = Placeholder('C', id.size(), ++count_['C'], 2);
  }
  // Any other id-derived text (an id prefix typed on the command line).
  void Literal(const std::string& real, const std::string& placeholder) {
    ASSERT_EQ(real.size(), placeholder.size());
    map_[real] = placeholder;
  }

  std::string Apply(std::string text) const {
    // Longest first, so tg-3fa9c1d is replaced before tg-3fa9c1 could match inside it.
    std::vector<std::pair<std::string, std::string>> pairs(map_.begin(), map_.end());
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    for (const auto& [real, ph] : pairs) {
      for (size_t at = text.find(real); at != std::string::npos;
           at = text.find(real, at + ph.size())) {
        text.replace(at, real.size(), ph);
      }
    }
    return text;
  }

 private:
  std::map<std::string, std::string> map_;
  std::map<char, int> count_, uuid_count_;
};

std::string Quote(const std::string& arg) {
  bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](unsigned char c) {
    return isalnum(c) || std::string_view("-_./:=,+@").find(c) != std::string_view::npos;
  });
  if (plain) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Stream(const std::string& s) {
  if (s.empty() || s.back() == '\n') return s;
  return s + "\n\\ no newline at end\n";
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A line diff (longest common subsequence; golden files are small): " " kept, "-" expected only,
// "+" actual only.
std::string Diff(const std::string& expected, const std::string& actual) {
  std::vector<std::string> a = Lines(expected), b = Lines(actual);
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out += "  " + a[i++] + "\n";
      ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out += "- " + a[i++] + "\n";
    } else {
      out += "+ " + b[j++] + "\n";
    }
  }
  if (a == b) out += "(the texts differ only in their last line's newline)\n";
  return out;
}

// Compares `text` with tests/golden/<name>.txt, or rewrites the file in update mode.
void ExpectGolden(const std::string& name, const std::string& text) {
  fs::path path = fs::path(TG_GOLDEN_DIR) / (name + ".txt");
  if (UpdateMode()) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "no golden file " << path
                  << "; create it with `TG_UPDATE_GOLDEN=1 ctest -R Golden`";
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == text) return;
  ADD_FAILURE() << "the output differs from " << path << " (- expected, + actual):\n"
                << Diff(expected.str(), text)
                << "If the change is intended, update the golden files with "
                   "`TG_UPDATE_GOLDEN=1 ctest -R Golden` and review the diff.";
}

// One sandbox, a clock the test sets, and the ids it has learnt.
class Golden {
 public:
  Golden() : sb_(false) {
    sb_.SetEnv("TG_AGENT", "alice");
    At("12:00");
    Setup({"init"});
  }

  Sandbox& sb() { return sb_; }
  Ids& ids() { return ids_; }

  // Sets the clock for the commands that follow (HH:MM on 2026-11-26, UTC).
  void At(const std::string& hhmm) { now_ = std::string(kDay) + hhmm + ":00Z"; }

  // A setup command: must succeed; its output is not part of the golden file.
  std::string Setup(std::vector<std::string> args, const std::string& agent = "") {
    return sb_.Ok(args, Env(agent));
  }
  json SetupJson(std::vector<std::string> args, const std::string& agent = "") {
    args.push_back("--json");
    RunResult r = sb_.Run(args, Env(agent));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  std::string Plan(std::vector<std::string> args) {
    args.insert(args.begin(), {"plan", "new"});
    json p = SetupJson(args);
    ids_.Short(p["hash_id"], 'P');
    ids_.Uuid(p["plan_id"], 'P');
    return p["hash_id"];
  }
  std::string Task(std::vector<std::string> args) {
    args.insert(args.begin(), {"task", "new"});
    json t = SetupJson(args);
    ids_.Short(t["hash_id"], 'A');
    ids_.Uuid(t["task_id"], 'A');
    return t["hash_id"];
  }
  std::string Gate(std::vector<std::string> args) {
    args.insert(args.begin(), {"gate", "create"});
    json g = SetupJson(args);
    ids_.Short(g["hash_id"], 'G');
    ids_.Uuid(g["gate_id"], 'G');
    return g["hash_id"];
  }

  // Runs `tg <args> --human` and appends its record to the case's text.
  void Capture(std::vector<std::string> args, const std::string& agent = "") {
    LearnCommits();
    args.push_back("--human");
    RunResult r = sb_.Run(args, Env(agent));
    ASSERT_FALSE(r.timed_out);
    ASSERT_EQ(r.signal, 0);
    // Cat(), not operator+ on a literal: GCC 12 reports false -Wrestrict and -Wstringop-overflow
    // for that at -O3.
    std::string cmd =
        Cat({"$ TG_NOW=", now_, " TG_AGENT=", agent.empty() ? "alice" : agent, " tg"});
    for (const auto& a : args) cmd += Cat({" ", Quote(a)});
    text_ += Cat({ids_.Apply(cmd), "\n[exit ", std::to_string(r.exit_code), "]\n--- stdout\n",
                  ids_.Apply(Stream(r.out)), "--- stderr\n", ids_.Apply(Stream(r.err))});
  }

  void Check(const std::string& name) { ExpectGolden(name, text_); }

 private:
  std::map<std::string, std::string> Env(const std::string& agent) const {
    std::map<std::string, std::string> env{{"TG_NOW", now_}};
    if (!agent.empty()) env["TG_AGENT"] = agent;
    return env;
  }
  // Commit ids, numbered oldest first (reading the log writes nothing).
  void LearnCommits() {
    RunResult r = sb_.Run({"log", "--json", "--limit", "100000"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json log = json::parse(r.out);
    for (auto it = log.rbegin(); it != log.rend(); ++it) ids_.Commit((*it)["commit_id"]);
  }

  Sandbox sb_;
  Ids ids_;
  std::string now_;
  std::string text_;
};

// The graph every case starts from:
//   Import pipeline (priority 1): Define schema (done) blocks Write parser (blocked: also a
//     pending gate; notes), which blocks Wire the CLI and relates to Benchmark the importer.
//   Docs (priority 2): Write guide (doing, bob, 90 min lease) blocks Review guide; Add
//     screenshots (todo).
//   Backlog (no priority): Clean up flags (doing, carol, 30 min lease: expired at 13:05),
//     Rename options (todo).
//   A pending --no-commit note on Benchmark the importer. The clock then stands at 13:30.
struct Graph {
  std::string import, docs, backlog;
  std::string schema, parser, cli, bench, guide, review, shots, flags, rename, gate;
};

Graph Build(Golden& g) {
  Graph x;
  g.At("12:01");
  x.import =
      g.Plan({"Import pipeline", "--priority", "1", "--intent", "Load CSV exports into the store"});
  g.At("12:02");
  x.docs = g.Plan({"Docs", "--priority", "2"});
  g.At("12:03");
  x.backlog = g.Plan({"Backlog"});
  g.At("12:04");
  x.schema = g.Task({"Define schema", "--plan", "Import pipeline", "--priority", "1", "--estimate",
                     "30", "--risk", "low"});
  std::vector<std::string> parser{"Write parser", "--plan", x.import, "--priority", "2"};
  parser.insert(parser.end(), {"--risk", "medium", "--estimate", "90"});
  parser.insert(parser.end(), {"--intent", "Parse CSV rows into records", "--area", "importer",
                               "--feature", "csv-import", "--change-type", "create"});
  parser.insert(parser.end(), {"--acceptance", R"(["parses the sample file","rejects bad rows"])",
                               "--doc", "import", "--skill", "cpp"});
  x.parser = g.Task(parser);
  x.cli = g.Task({"Wire the CLI", "--plan", x.import, "--priority", "3", "--risk", "high",
                  "--estimate", "60"});
  x.bench = g.Task({"Benchmark the importer", "--plan", x.import, "--priority", "4", "--risk",
                    "medium", "--estimate", "120"});
  g.At("12:05");
  x.guide = g.Task({"Write guide", "--plan", "Docs", "--priority", "1", "--estimate", "45"});
  x.review = g.Task({"Review guide", "--plan", "Docs", "--priority", "2"});
  x.shots = g.Task({"Add screenshots", "--plan", "Docs", "--priority", "3", "--risk", "high",
                    "--estimate", "20"});
  x.flags = g.Task({"Clean up flags", "--plan", "Backlog", "--risk", "medium"});
  x.rename = g.Task({"Rename options", "--plan", "Backlog", "--priority", "1"});
  // One minute apart: `show` orders edges by their time only (ties come out in any order).
  g.At("12:06");
  g.Setup(
      {"edge", "add", x.schema, "blocks", x.parser, "--reason", "the parser emits schema rows"});
  g.At("12:07");
  g.Setup({"block", x.cli, "--on", x.parser});
  g.At("12:08");
  g.Setup({"edge", "add", x.parser, "relates", x.bench});
  g.At("12:09");
  g.Setup({"block", x.review, "--on", x.guide, "--reason", "review needs a draft"});
  g.At("12:10");
  x.gate = g.Gate({"Schema reviewed by Dana", "--task", x.parser});
  g.At("12:11");
  g.Setup({"start", x.schema});
  g.At("12:12");
  g.Setup({"note", x.schema, "--msg", "columns agreed with Dana"});
  g.At("12:20");
  g.Setup({"done", x.schema, "--evidence", "migrations pass"});
  g.At("12:21");
  g.Setup({"note", x.parser, "--msg", "waiting for the review"});
  g.At("12:22");
  g.Setup({"note", x.parser, "--msg", R"({"type":"heartbeat","phase":"mid-work"})"});
  g.At("12:30");
  g.Setup({"start", x.guide, "--lease", "90m"}, "bob");
  g.At("12:35");
  g.Setup({"start", x.flags, "--lease", "30m"}, "carol");
  g.At("12:40");
  g.Setup({"note", x.bench, "--msg", "draft numbers", "--no-commit"});
  g.At("13:30");
  return x;
}

TEST(Golden, StatusSummary) {
  Golden g;
  Build(g);
  g.Capture({"status"});
  g.Check("status_summary");
}

// The dashboard without a terminal: one frame of each view, 80 columns, nothing cut.
TEST(Golden, DashboardOneFrame) {
  Golden g;
  Build(g);
  g.Capture({"dashboard"});
  g.Capture({"dashboard", "--tasks"});
  g.Capture({"dashboard", "--projects"});
  g.Check("dashboard_one_frame");
}

TEST(Golden, StatusTasks) {
  Golden g;
  Build(g);
  g.Capture({"status", "--tasks"});
  g.Check("status_tasks");
}

TEST(Golden, StatusProjects) {
  Golden g;
  Build(g);
  g.Capture({"status", "--projects"});
  g.Check("status_projects");
}

TEST(Golden, Next) {
  Golden g;
  Build(g);
  g.Capture({"next"});
  g.Check("next");
}

TEST(Golden, ShowBlockedTaskWithGateNotesAndEdges) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"show", x.parser});
  g.Check("show_blocked");
}

TEST(Golden, ShowDoingTaskWithClaimAndLease) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"show", x.guide});
  g.Check("show_doing");
}

TEST(Golden, Log) {
  Golden g;
  Build(g);
  g.Capture({"log"});
  g.Check("log");
}

// A commit that absorbs two --no-commit changes lists their authors after its own.
// tg diff, human: the last commit, one commit (done: a claim ends, a dependent is unblocked)
// and a range, per task, field: old → new.
TEST(Golden, Diff) {
  Golden g;
  Build(g);
  g.Capture({"diff"});
  g.Capture({"diff", "HEAD~5", "HEAD~4"});
  g.Capture({"diff", "HEAD~12..HEAD~10"});
  g.Check("diff");
}

TEST(Golden, LogCommitWithCoAuthors) {
  Golden g;
  Graph x = Build(g);
  g.At("13:31");
  g.Setup({"note", x.bench, "--msg", "more numbers", "--no-commit"}, "bob");
  g.At("13:32");
  g.Setup({"note", x.bench, "--msg", "numbers checked", "--commit-msg", "Benchmark notes"},
          "carol");
  g.At("13:40");
  g.Capture({"log", "--limit", "3"});
  g.Check("log_co_authors");
}

TEST(Golden, ErrorTaskNotFound) {
  Golden g;
  Build(g);
  g.Capture({"show", "tg-ffffff"});
  g.Check("error_task_not_found");
}

// Filler tasks per batch: 1000 random ids have about 7 pairs sharing a 4-hex prefix.
constexpr int kFillerBatch = 1000;

// Two tasks whose short ids share their first 4 hex digits: import filler tasks until some
// prefix is shared by exactly two, then give those two fixed titles.
TEST(Golden, ErrorAmbiguousTaskPrefix) {
  Golden g;
  Build(g);
  std::vector<std::string> twins;
  for (int batch = 0; twins.empty() && batch < 10; ++batch) {
    // One file per batch: a file imported again updates the plan it made.
    fs::path file = fs::path(g.sb().root()) / ("filler-" + std::to_string(batch) + ".md");
    std::ofstream out(file);
    out << "---\nname: Filler " << batch << "\ntodos:\n";
    for (int i = 0; i < kFillerBatch; ++i) {
      out << "  - id: b" << batch << "-" << i << "\n    content: Filler " << batch << "-" << i
          << "\n";
    }
    out << "---\n";
    out.close();
    g.Setup({"import", file.string()});
    std::map<std::string, std::vector<std::string>> by_prefix;  // "tg-" + 4 hex -> ids
    std::set<std::string> filler;
    for (const auto& t : g.SetupJson({"status", "--tasks", "--all"})) {
      std::string id = t["hash_id"];
      by_prefix[id.substr(0, 7)].push_back(id);
      if (t["plan_title"].get<std::string>().rfind("Filler ", 0) == 0) filler.insert(id);
    }
    for (auto& [prefix, v] : by_prefix) {
      // Both with 6-digit short ids (not the 7 given on a collision): fixed-length placeholders.
      if (v.size() == 2 && filler.count(v[0]) && filler.count(v[1]) && v[0].size() == 9 &&
          v[1].size() == 9) {
        std::sort(v.begin(), v.end());
        twins = v;
        break;
      }
    }
  }
  ASSERT_EQ(twins.size(), 2u) << "no two tasks share a 4-hex prefix";
  g.Setup({"task", "update", twins[0], "--title", "Parse the header"});
  g.Setup({"task", "update", twins[1], "--title", "Parse the body"});
  g.ids().Short(twins[0], 'T');
  g.ids().Short(twins[1], 'T');
  std::string prefix = twins[0].substr(0, 7);
  g.ids().Literal(prefix, "tg-TTTT");
  g.Capture({"show", prefix});
  g.Check("error_ambiguous_task_prefix");
}

TEST(Golden, ErrorAmbiguousPlanTitle) {
  Golden g;
  Build(g);
  g.Plan({"import PIPELINE"});
  g.Capture({"task", "new", "Load the fixtures", "--plan", "IMPORT Pipeline"});
  g.Check("error_ambiguous_plan_title");
}

TEST(Golden, ErrorTaskAlreadyClaimed) {
  Golden g;
  Graph x = Build(g);
  g.Setup({"start", x.shots});
  g.At("13:35");
  g.Capture({"start", x.shots}, "bob");
  g.Check("error_already_claimed");
}

TEST(Golden, ErrorTaskNotRunnable) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"start", x.cli});
  g.Check("error_not_runnable");
}

// A gate holds the task back, not a task: the advice is to resolve it, by its id.
TEST(Golden, ErrorTaskWaitingOnAGate) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"start", x.parser});
  g.Check("error_waiting_on_gate");
}

// A doing task that gained a blocking task and a gate: done names both and how to clear each.
TEST(Golden, ErrorDoneWhileATaskAndAGateHoldItBack) {
  Golden g;
  Graph x = Build(g);
  g.Setup({"edge", "add", x.shots, "blocks", x.guide});
  g.Gate({"Proofread by Sam", "--task", x.guide});
  g.Capture({"done", x.guide, "--evidence", "draft written"}, "bob");
  g.Check("error_done_still_blocked");
}

TEST(Golden, ErrorInvalidTransition) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"done", x.rename, "--evidence", "tests pass"});
  g.Check("error_invalid_transition");
}

TEST(Golden, ErrorCycleDetected) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"edge", "add", x.cli, "blocks", x.schema});
  g.Check("error_cycle");
}

TEST(Golden, ErrorUnknownCommand) {
  Golden g;
  Build(g);
  g.Capture({"statsu"});
  g.Check("error_unknown_command");
}

TEST(Golden, ErrorUnknownFlag) {
  Golden g;
  Build(g);
  g.Capture({"next", "--limt", "3"});
  g.Check("error_unknown_flag");
}

TEST(Golden, ErrorMissingRequiredOption) {
  Golden g;
  Build(g);
  g.Capture({"task", "new", "Load the fixtures"});
  g.Check("error_missing_option");
}

TEST(Golden, ErrorDoneWithoutEvidence) {
  Golden g;
  Graph x = Build(g);
  g.Capture({"done", x.guide}, "bob");
  g.Check("error_done_without_evidence");
}

}  // namespace
}  // namespace tg::test
