// dashboard_bench: the CPU one dashboard redraw costs when a commit lands, on the benchmark
// graph (bench/graph_gen.h) with 16 agents at work. Each round another "agent" commits a note
// (not timed), then the dashboard's work is timed with the process CPU clock: reading the
// frame's data (cli::LoadBoard) and rendering it (cli::RenderBoard) at 120x40. Prints the
// median and p90 per view.
//
//   build/bench/dashboard_bench [tasks=10000] [rounds=200]
//   TG_BENCH_SPLIT=1 ...   also prints where the overview's read goes (summary, activity, and
//                          the store queries behind them), once, after the last round
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/activity.h"
#include "app/claims.h"
#include "app/views.h"
#include "cli/board.h"
#include "graph_gen.h"
#include "store/store.h"

namespace {

using namespace tg;

double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

class TickClock final : public Clock {
 public:
  Millis Now() const override { return t_ += 1000; }

 private:
  mutable Millis t_ = 1'800'000'000'000;
};

int Fail(const Error& e) {
  fmt::print(stderr, "dashboard_bench: {}\n", e.message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int tasks = argc > 1 ? std::atoi(argv[1]) : 10'000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 200;
  std::string dir = (std::filesystem::temp_directory_path() / "tg-dash-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 1;
  if (auto st = store::Init(dir, {}); !st) return Fail(st.error());
  if (auto st = bench::GenerateGraph(dir, tasks, nullptr, nullptr); !st) return Fail(st.error());
  TickClock clock;
  auto opened = store::Open(dir, {}, clock);
  if (!opened) return Fail(opened.error());
  store::Store& store = **opened;
  SequentialIdSource ids(1'000'000);
  app::Context ctx{store, ids};
  // 16 agents claim the first 16 runnable tasks.
  std::vector<std::string> doing;
  {
    app::NextQuery q;
    q.limit = 16;
    auto next = app::Next(ctx, q);
    if (!next) return Fail(next.error());
    for (size_t i = 0; i < next->size(); ++i) {
      app::Context agent{store, ids, fmt::format("agent-{}", i + 1), true};
      auto r = app::Start(agent, {(*next)[i].task_id}, {});
      if (!r) return Fail(r.error());
      doing.push_back((*next)[i].task_id);
    }
  }
  for (auto view : {cli::BoardView::kOverview, cli::BoardView::kTasks, cli::BoardView::kProjects}) {
    std::vector<double> load, render;
    for (int i = 0; i < rounds; ++i) {
      const std::string& id = doing[static_cast<size_t>(i) % doing.size()];
      app::Context agent{store, ids, fmt::format("agent-{}", i % doing.size() + 1), true};
      auto n = app::Note(agent, {id}, {R"({"type":"heartbeat","phase":"mid-work"})", false});
      if (!n) return Fail(n.error());
      if (getenv("TG_BENCH_SPLIT") && view == cli::BoardView::kOverview) {
        double a = CpuMs();
        auto sum = app::Summarize(ctx, {});
        double b = CpuMs();
        app::ActivityQuery aq;
        auto act = app::ReadActivity(ctx, aq);
        double c = CpuMs();
        if (i == rounds - 1) fmt::print("summarize {:.3f} ms, activity {:.3f} ms\n", b - a, c - b);
        if (i == rounds - 1) {
          auto r = store.Read();
          double q0 = CpuMs();
          (void)(*r)->GraphTotals();
          double q1 = CpuMs();
          (void)(*r)->PlansWithCounts({}, std::nullopt);
          double q2 = CpuMs();
          store::TaskFilter tf;
          tf.limit = 7;
          tf.include_expired = true;
          (void)(*r)->NextTasks(tf);
          double q3 = CpuMs();
          tf.include_expired = false;
          (void)(*r)->RecentlyDone(7, tf);
          double q4 = CpuMs();
          (void)(*r)->TasksWithStatus(TaskStatus::kDoing);
          double q5 = CpuMs();
          fmt::print("totals {:.3f} plans {:.3f} next {:.3f} recent {:.3f} doing {:.3f}\n", q1 - q0,
                     q2 - q1, q3 - q2, q4 - q3, q5 - q4);
        }
      }
      double t0 = CpuMs();
      auto d = cli::LoadBoard(ctx, view);
      if (!d) return Fail(d.error());
      double t1 = CpuMs();
      auto lines = cli::RenderBoard(*d, view, 120, 40, d->summary.now, {true, true});
      double t2 = CpuMs();
      if (lines.size() != 40) return 1;
      load.push_back(t1 - t0);
      render.push_back(t2 - t1);
    }
    auto pct = [](std::vector<double> v, double p) {
      std::sort(v.begin(), v.end());
      return v[std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())))];
    };
    std::vector<double> total(load.size());
    for (size_t i = 0; i < load.size(); ++i) total[i] = load[i] + render[i];
    const char* name = view == cli::BoardView::kOverview ? "overview"
                       : view == cli::BoardView::kTasks  ? "--tasks"
                                                         : "--projects";
    fmt::print(
        "{:<10} tasks={} rounds={}  cpu/redraw median {:.3f} ms p90 {:.3f} ms  "
        "(read {:.3f} ms, render {:.3f} ms)\n",
        name, tasks, rounds, pct(total, 0.5), pct(total, 0.9), pct(load, 0.5), pct(render, 0.5));
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
