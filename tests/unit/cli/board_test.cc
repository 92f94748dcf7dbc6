// The dashboard's screen model (cli/board.h), golden-tested frame by frame at several sizes,
// styles and views; plus the size rules every frame keeps (exact height, nothing wider than
// the screen) over a sweep of sizes down to a 1x1 terminal.
#include "cli/board.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "cli/table.h"

namespace tg::cli {
namespace {

Millis At(const std::string& hhmm) { return *ParseIso("2026-11-26T" + hhmm + ":00Z"); }

Task MakeTask(const std::string& hash, const std::string& title, const std::string& plan,
              TaskStatus st) {
  Task t;
  t.task_id = "uuid-" + hash;
  t.hash_id = hash;
  t.title = title;
  t.plan_title = plan;
  t.status = st;
  return t;
}

Plan MakePlan(const std::string& hash, const std::string& title, PlanStatus st,
              std::optional<int> pri) {
  Plan p;
  p.plan_id = "uuid-" + hash;
  p.hash_id = hash;
  p.title = title;
  p.status = st;
  p.priority = pri;
  p.updated_at = At("12:00");
  return p;
}

// Two active plans, two agents at work (one gone quiet with an expired lease), a pending gate,
// runnable tasks and recent completions.
BoardData Sample() {
  BoardData d;
  auto& s = d.summary;
  s.now = At("13:30");
  s.completed_tasks = 3;
  s.completed_plans = 1;
  s.status_counts = {{"todo", 4}, {"doing", 2}, {"blocked", 1}, {"done", 3}};
  s.actionable_count = 4;
  app::PlanRow importer{
      MakePlan("p-aa0001", "Import pipeline", PlanStatus::kActive, 1), {2, 1, 1, 2, 0}, 2};
  app::PlanRow docs{MakePlan("p-aa0002", "Docs and a very long plan title that will not fit",
                             PlanStatus::kActive, 2),
                    {2, 1, 0, 1, 1},
                    2};
  s.active_plans = {importer, docs};
  d.projects = s.active_plans;
  d.projects.push_back(
      {MakePlan("p-aa0003", "Launch", PlanStatus::kDone, std::nullopt), {0, 0, 0, 4, 0}, 0});
  s.next7_upcoming_plans = {importer.plan, docs.plan};
  s.last7_completed_plans = {d.projects.back().plan};
  Task parser = MakeTask("tg-000001", "Write parser", "Import pipeline", TaskStatus::kDoing);
  parser.claimed_by = "alice";
  parser.claimed_at = At("12:30");
  parser.lease_expires_at = At("14:30");
  Task guide = MakeTask("tg-000002", "Write guide", "Docs", TaskStatus::kDoing);
  guide.claimed_by = "bob";
  guide.claimed_at = At("11:00");
  guide.lease_expires_at = At("13:00");
  guide.lease_expired = true;
  d.activity.now = s.now;
  d.activity.doing = {{parser, "mid-work", {"src/parse.cc"}, At("13:28")},
                      {guide, std::nullopt, {}, At("11:00")}};
  Gate g;
  g.hash_id = "g-000001";
  g.name = "Schema reviewed by Dana";
  g.created_at = At("12:10");
  d.activity.pending_gates = {{g, "tg-000003", "Wire the CLI"}};
  Task next1 =
      MakeTask("tg-000004", "Benchmark the importer", "Import pipeline", TaskStatus::kTodo);
  Task next2 = MakeTask("tg-000005", "Add screenshots", "Docs", TaskStatus::kTodo);
  Task next3 = MakeTask("tg-000006", "Rename options", "Backlog", TaskStatus::kTodo);
  s.next7_runnable_tasks = {next1, next2, next3};
  s.next_tasks = s.next7_runnable_tasks;
  Task done1 = MakeTask("tg-000007", "Define schema", "Import pipeline", TaskStatus::kDone);
  done1.ended_at = At("12:20");
  Task done2 = MakeTask("tg-000008", "Outline", "Docs", TaskStatus::kDone);
  done2.ended_at = At("09:15");
  d.activity.recent_done = {{done1, "alice"}, {done2, "bob"}};
  Task blocked = MakeTask("tg-000003", "Wire the CLI", "Import pipeline", TaskStatus::kBlocked);
  d.tasks = {parser, blocked, next1, guide, next2, next3};
  return d;
}

std::string Frame(const std::string& name, const std::vector<std::string>& lines, int w, int h) {
  std::string out = "=== " + name + " " + std::to_string(w) + "x" +
                    (h > 0 ? std::to_string(h) : std::string("natural")) + "\n";
  for (const auto& l : lines) out += l + "|\n";
  return out;
}

void ExpectGolden(const std::string& file, const std::string& text) {
  std::string path = std::string(TG_GOLDEN_DIR) + "/" + file;
  const char* update = getenv("TG_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "no golden file " << path << "; create it with TG_UPDATE_GOLDEN=1";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(want.str(), text) << "frames differ from " << path
                              << "; if intended, rewrite with TG_UPDATE_GOLDEN=1 and review";
}

TEST(BoardGolden, OverviewAtSeveralSizes) {
  BoardData d = Sample();
  std::string text;
  for (auto [w, h] :
       std::vector<std::pair<int, int>>{{80, 24}, {120, 40}, {60, 16}, {40, 10}, {80, 0}}) {
    text += Frame("overview", RenderBoard(d, BoardView::kOverview, w, h, At("13:30"), {}), w, h);
  }
  ExpectGolden("dashboard_overview.txt", text);
}

TEST(BoardGolden, FrameByFrameAsWorkLands) {
  BoardData d = Sample();
  std::string text =
      Frame("before", RenderBoard(d, BoardView::kOverview, 80, 24, At("13:30"), {}), 80, 24);
  // alice finishes the parser: it leaves Doing and tops Recently done.
  Task parser = d.activity.doing.front().task;
  d.activity.doing.erase(d.activity.doing.begin());
  parser.status = TaskStatus::kDone;
  parser.ended_at = At("13:31");
  d.activity.recent_done.insert(d.activity.recent_done.begin(), {parser, "alice"});
  d.summary.completed_tasks += 1;
  d.summary.status_counts["doing"] -= 1;
  d.summary.status_counts["done"] += 1;
  d.summary.active_plans[0].counts.doing -= 1;
  d.summary.active_plans[0].counts.done += 1;
  text +=
      Frame("after done", RenderBoard(d, BoardView::kOverview, 80, 24, At("13:31"), {}), 80, 24);
  // Five minutes later with no commit: only the ages move.
  text += Frame("ages only", RenderBoard(d, BoardView::kOverview, 80, 24, At("13:36"), {}), 80, 24);
  ExpectGolden("dashboard_frames.txt", text);
}

TEST(BoardGolden, TasksAndProjectsViewsAsciiAndColour) {
  BoardData d = Sample();
  std::string text;
  text += Frame("tasks", RenderBoard(d, BoardView::kTasks, 80, 24, At("13:30"), {}), 80, 24);
  text += Frame("projects", RenderBoard(d, BoardView::kProjects, 80, 24, At("13:30"), {}), 80, 24);
  BoardStyle ascii{false, false};
  text += Frame("overview ascii", RenderBoard(d, BoardView::kOverview, 80, 24, At("13:30"), ascii),
                80, 24);
  BoardStyle colour{true, true};
  text += Frame("overview colour",
                RenderBoard(d, BoardView::kOverview, 80, 12, At("13:30"), colour), 80, 12);
  ExpectGolden("dashboard_views.txt", text);
}

size_t VisibleWidth(const std::string& line) {
  std::string plain;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    plain += line[i];
  }
  return DisplayWidth(plain);
}

TEST(Board, EveryFrameHasExactlyTheScreenHeightAndNoLineIsWider) {
  BoardData d = Sample();
  for (BoardView v : {BoardView::kOverview, BoardView::kTasks, BoardView::kProjects}) {
    for (int w : {1, 5, 12, 30, 47, 80, 133, 250}) {
      for (int h : {1, 2, 3, 7, 13, 24, 60}) {
        for (bool color : {false, true}) {
          auto lines = RenderBoard(d, v, w, h, At("13:30"), {true, color});
          ASSERT_EQ(lines.size(), static_cast<size_t>(h)) << w << "x" << h;
          for (const auto& l : lines) EXPECT_LE(VisibleWidth(l), static_cast<size_t>(w)) << l;
        }
      }
    }
  }
}

TEST(Board, StoredEscapesAreShownNotSent) {
  BoardData d = Sample();
  d.activity.doing.front().task.title = "evil \x1b]0;pwned\x07 title";
  auto lines = RenderBoard(d, BoardView::kOverview, 100, 0, At("13:30"), {});
  for (const auto& l : lines) EXPECT_EQ(l.find('\x1b'), std::string::npos) << l;
  std::string all;
  for (const auto& l : lines) all += l;
  EXPECT_NE(all.find("\\u001b]0;pwned"), std::string::npos);
}

TEST(Board, AShortScreenKeepsDoingAndSaysHowManyMore) {
  BoardData d = Sample();
  for (int i = 0; i < 30; ++i) d.activity.doing.push_back(d.activity.doing.front());
  auto lines = RenderBoard(d, BoardView::kOverview, 80, 12, At("13:30"), {});
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("Doing"), std::string::npos) << all;
  EXPECT_NE(all.find("Doing (3 of 32)"), std::string::npos) << all;
}

}  // namespace
}  // namespace tg::cli
