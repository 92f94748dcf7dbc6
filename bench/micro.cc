// micro: in-process timings (Google Benchmark) of the pieces a command is made of, without
// process start, so a change to one of them shows up on its own:
//
//   ParsePlan/N      plan::ParsePlan of a generated cursor plan of N todos (chains of 10 with
//                    cross links, as bench/import.sh writes), YAML included
//   FindCycle/N      core FindCycle on N edges: chains of 10 plus cross links, acyclic, so the
//                    search visits everything (what import and doctor pay)
//   NextTasks/N      Reader::NextTasks (the `tg next` query, 10 rows) on the benchmark graph of
//                    N tasks (bench/graph_gen.h), one open connection
//   OpenStore/N      opening that store and checking its schema, as every command does
//
//   build-bench/bench/micro [--benchmark_filter=...] [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "graph_gen.h"
#include "plan/plan.h"
#include "store/store.h"

namespace {

using namespace tg;

std::string GeneratedPlan(int todos) {
  std::string s = fmt::format("---\nname: Generated plan of {} todos\ntodos:\n", todos);
  for (int k = 1; k <= todos; ++k) {
    s += fmt::format("  - id: step-{}\n    content: Step {} of the generated plan\n", k, k);
    s += fmt::format("    changeType: {}\n", k % 3 == 0 ? "test" : "modify");
    std::vector<std::string> b;
    if (k % 10 != 1) b.push_back(fmt::format("step-{}", k - 1));
    if (k % 7 == 0 && k > 15) b.push_back(fmt::format("step-{}", k - 15));
    if (!b.empty()) s += fmt::format("    blockedBy: [{}]\n", fmt::join(b, ", "));
  }
  return s + "---\n";
}

void ParsePlanBench(benchmark::State& state) {
  std::string text = GeneratedPlan(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto p = plan::ParsePlan(text, "generated.md", plan::Format::kCursor);
    if (!p) state.SkipWithError(p.error().message.c_str());
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(ParsePlanBench)->Name("ParsePlan")->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

void FindCycleBench(benchmark::State& state) {
  std::vector<std::pair<std::string, std::string>> edges;
  for (int k = 1; static_cast<int64_t>(edges.size()) < state.range(0); ++k) {
    if (k % 10 != 1) edges.emplace_back(fmt::format("t{}", k - 1), fmt::format("t{}", k));
    if (k % 7 == 0 && k > 15) edges.emplace_back(fmt::format("t{}", k - 15), fmt::format("t{}", k));
  }
  std::vector<std::pair<std::string_view, std::string_view>> views(edges.begin(), edges.end());
  for (auto _ : state) {
    auto c = FindCycle(views);
    if (c) state.SkipWithError("the benchmark graph has a cycle");
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(FindCycleBench)->Name("FindCycle")->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

// One generated graph per size, made on first use and removed at exit.
class Graphs {
 public:
  ~Graphs() {
    for (const auto& [n, dir] : dirs_) std::filesystem::remove_all(dir);
  }
  // The folder holding the graph's .taskgraph/, or "" after an error (reported in `error`).
  std::string Get(int tasks, std::string& error) {
    auto it = dirs_.find(tasks);
    if (it != dirs_.end()) return it->second;
    std::string t = (std::filesystem::temp_directory_path() / "tg-micro-XXXXXX").string();
    if (!mkdtemp(t.data())) {
      error = "cannot make a temporary folder";
      return {};
    }
    dirs_[tasks] = t;
    if (auto st = store::Init(t, {}); !st) {
      error = st.error().message;
      return {};
    }
    if (auto st = bench::GenerateGraph(t, tasks, nullptr, nullptr); !st) {
      error = st.error().message;
      return {};
    }
    return t;
  }

 private:
  std::map<int, std::string> dirs_;
};
Graphs graphs;

void NextTasksBench(benchmark::State& state) {
  std::string error;
  std::string dir = graphs.Get(static_cast<int>(state.range(0)), error);
  if (dir.empty()) return state.SkipWithError(error.c_str());
  FixedClock clock(0);
  auto s = store::Open(dir, {}, clock);
  if (!s) return state.SkipWithError(s.error().message.c_str());
  store::TaskFilter f;
  f.limit = 10;
  for (auto _ : state) {
    auto r = (*s)->Read();
    if (!r) return state.SkipWithError(r.error().message.c_str());
    auto rows = (*r)->NextTasks(f);
    if (!rows || rows->size() != 10) state.SkipWithError("next did not return 10 rows");
    benchmark::DoNotOptimize(rows);
  }
}
BENCHMARK(NextTasksBench)->Name("NextTasks")->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void OpenStoreBench(benchmark::State& state) {
  std::string error;
  std::string dir = graphs.Get(static_cast<int>(state.range(0)), error);
  if (dir.empty()) return state.SkipWithError(error.c_str());
  FixedClock clock(0);
  for (auto _ : state) {
    auto s = store::Open(dir, {}, clock);
    if (!s) state.SkipWithError(s.error().message.c_str());
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(OpenStoreBench)->Name("OpenStore")->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
