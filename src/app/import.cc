#include "app/import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <unordered_map>

#include "app/resolve.h"
#include "app/rules.h"
#include "core/graph.h"
#include "core/hash.h"

namespace tg::app {

namespace {

using nlohmann::json;

constexpr const char* kImportReason = "plan import";

std::optional<TaskStatus> FileStatus(const std::string& s) {
  if (s == "completed") return TaskStatus::kDone;
  if (s == "canceled" || s == "cancelled") return TaskStatus::kCanceled;
  return std::nullopt;  // pending, in_progress, absent...: work not finished
}

std::string FileStem(const std::string& label) {
  std::string name = label.substr(label.find_last_of('/') + 1);
  auto dot = name.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::optional<std::string> RisksJson(const plan::Plan& doc) {
  if (doc.risks.empty()) return std::nullopt;
  json a = json::array();
  for (const auto& r : doc.risks) {
    a.push_back(
        {{"description", r.description}, {"severity", r.severity}, {"mitigation", r.mitigation}});
  }
  return a.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> TestsJson(const plan::Plan& doc) {
  if (doc.tests.empty()) return std::nullopt;
  return json(doc.tests).dump(-1, ' ', false, json::error_handler_t::replace);
}

// The plan to import into: --plan by id or title; else the frontmatter name as an exact title;
// else an earlier import of the same file. nullopt: create one.
Result<std::optional<Plan>> FindTarget(store::Reader& r, const plan::Plan& doc,
                                       const ImportOptions& opts) {
  if (opts.plan_ref) {
    auto p = ResolvePlan(r, *opts.plan_ref);
    if (p) return std::optional<Plan>(*p);
    if (p.error().code != Code::kPlanNotFound) return std::unexpected(p.error());
    return std::optional<Plan>();
  }
  if (doc.name) {
    TG_ASSIGN(auto m, r.MatchPlanTitle(*doc.name, 2));
    if (m.size() == 1 && m.front().title == *doc.name) return r.GetPlan(m.front().id);
  }
  return r.FindPlanBySource(opts.source_path);
}

// Sets the plan-level extras the file carries; true if anything changed.
bool ApplyPlanFields(const plan::Plan& doc, Plan& p) {
  Plan before = p;
  if (doc.overview) p.overview = *doc.overview;
  if (doc.file_tree) p.file_tree = *doc.file_tree;
  if (auto r = RisksJson(doc)) p.risks = *r;
  if (auto t = TestsJson(doc)) p.tests = *t;
  return !(before.overview == p.overview && before.file_tree == p.file_tree &&
           before.risks == p.risks && before.tests == p.tests);
}

void ApplyTodoFields(const plan::Todo& todo, Task& t) {
  t.title = todo.content;
  t.intent = todo.intent;
  t.change_type = todo.change_type;
  t.suggested_changes = todo.suggested_changes;
  t.agent = todo.agent;
  t.feature_key = todo.feature;
  t.area = todo.area;
  t.priority = todo.priority;
  t.risk = todo.risk ? ParseRisk(*todo.risk).value_or(Risk::kLow) : Risk::kLow;
  t.estimate_mins = todo.estimate_mins;
  t.tests = todo.tests.empty()
                ? std::nullopt
                : std::optional<std::string>(
                      json(todo.tests).dump(-1, ' ', false, json::error_handler_t::replace));
  t.acceptance =
      todo.acceptance.empty()
          ? std::nullopt
          : std::optional<std::string>(
                json(todo.acceptance).dump(-1, ' ', false, json::error_handler_t::replace));
}

class Importer {
 public:
  Importer(Context& ctx, store::Writer& w, const plan::Plan& doc, const ImportOptions& opts,
           ImportOutcome& out)
      : ctx_(ctx), w_(w), now_(w.Now()), doc_(doc), opts_(opts), out_(out) {}

  Status Run() {
    TG_ASSIGN(auto target, FindTarget(w_, doc_, opts_));
    if (target) {
      out_.plan = *target;
      TG_TRY(LoadExisting());
      TG_TRY(CheckUnmatched());
      if (out_.plan.status == PlanStatus::kAbandoned) {
        return Fail(Code::kInvalidTransition,
                    fmt::format("plan {} is abandoned; import into another plan with --plan",
                                out_.plan.hash_id));
      }
      Plan p = out_.plan;
      if (!p.source_path) p.source_path = opts_.source_path;
      if (ApplyPlanFields(doc_, p) || p.source_path != out_.plan.source_path) {
        p.updated_at = now_;
        TG_TRY(w_.UpdatePlan(p));
        out_.plan = p;
      }
    } else {
      TG_TRY(CreatePlan());
    }
    // Ids for the tasks this import creates, and for their `created` events, ascending in the
    // order they are written (AscendingIdSource).
    size_t fresh = 0;
    for (const auto& todo : doc_.todos) fresh += Match(todo) ? 0 : 1;
    // Sized once: growing them rehashed 100,000 entries several times over.
    by_key_.reserve(by_key_.size() + fresh);
    task_ids_.emplace(ctx_.ids, fresh);
    event_ids_.emplace(ctx_.ids, fresh);
    IndexBlockers();
    task_of_.resize(doc_.todos.size());
    is_new_.resize(doc_.todos.size());
    for (size_t i = 0; i < doc_.todos.size(); ++i) TG_TRY(Upsert(i));
    if (opts_.replace) TG_TRY(CancelUnmatched());
    TG_TRY(InsertCreated());
    TG_TRY(SyncEdges());
    for (size_t i = 0; i < doc_.todos.size(); ++i) {
      if (!is_new_[i]) TG_TRY(SyncBlocked(w_, ctx_.ids, task_of_[i]->task_id, ctx_.agent));
    }
    for (const auto& id : finished_) TG_TRY(SyncDependents(w_, ctx_.ids, id, ctx_.agent));
    TG_TRY(SettlePlan(w_, out_.plan.plan_id));
    TG_ASSIGN(auto plan, w_.GetPlan(out_.plan.plan_id));
    out_.plan = *plan;
    return Ok();
  }

 private:
  Status LoadExisting() {
    TG_ASSIGN(auto tasks, w_.PlanTasks(out_.plan.plan_id));
    for (auto& t : tasks) {
      // Exported from tg without a key: its short id stands in.
      auto& m = t.external_key ? by_key_ : by_hash_;
      m[t.external_key.value_or(t.hash_id)] = t;
    }
    return Ok();
  }

  Status CheckUnmatched() {
    StringSet keys;
    for (const auto& todo : doc_.todos) keys.insert(todo.id);
    std::vector<std::string> open;
    for (const auto& [key, t] : by_key_) {
      if (keys.contains(key) || IsTerminal(t.status)) continue;
      unmatched_.push_back(t);
    }
    // Key order, as the message and the details name them.
    std::sort(unmatched_.begin(), unmatched_.end(),
              [](const Task& a, const Task& b) { return *a.external_key < *b.external_key; });
    for (const Task& t : unmatched_) open.push_back(*t.external_key);
    if (open.empty() || opts_.force || opts_.replace) {
      if (opts_.force) out_.kept_keys = open;
      return Ok();
    }
    std::vector<std::string> shown(open.begin(), open.begin() + std::min<size_t>(10, open.size()));
    // The line names the first ten; the details list every one (contract section 7).
    std::vector<ErrorDetail> details;
    for (const Task& t : unmatched_) {
      details.push_back({{"key", *t.external_key},
                         {"hash_id", t.hash_id},
                         {"title", t.title},
                         {"status", std::string(ToString(t.status))}});
    }
    return Fail(
        Code::kImportConflict,
        fmt::format("{} would leave {} unfinished task(s) of plan {} unmatched: {}{}; use "
                    "--force to keep them or --replace to cancel them",
                    opts_.verb, open.size(), out_.plan.hash_id, fmt::join(shown, ", "),
                    open.size() > 10 ? fmt::format(" (and {} more)", open.size() - 10) : ""),
        std::move(details));
  }

  Status CreatePlan() {
    Plan& p = out_.plan;
    p.title = opts_.plan_ref ? *opts_.plan_ref
              : doc_.name    ? *doc_.name
                             : FileStem(opts_.file_label);
    // The same title rule as `tg plan new`, whichever of the three names the plan.
    TG_TRY(CheckTitle(opts_.plan_ref ? "plan title (--plan)"
                      : doc_.name    ? "plan title (the file's name:)"
                                     : "plan title (from the file name)",
                      p.title));
    p.plan_id = ctx_.ids.NewUuid();
    TG_ASSIGN(p.hash_id, w_.AllocateShortId(store::Entity::kPlan, p.plan_id));
    p.intent = doc_.overview.value_or("Imported from " + opts_.file_label);
    p.source_path = opts_.source_path;
    ApplyPlanFields(doc_, p);
    p.created_at = p.updated_at = now_;
    out_.plan_created = true;
    return w_.InsertPlan(p);
  }

  // The existing task a todo updates: the one with its key, else with its short id.
  Task* Match(const plan::Todo& todo) {
    if (auto it = by_key_.find(todo.id); it != by_key_.end()) return &it->second;
    if (auto h = by_hash_.find(todo.id); h != by_hash_.end()) return &h->second;
    return nullptr;
  }

  Status Upsert(size_t i) {
    const plan::Todo& todo = doc_.todos[i];
    Task* existing = Match(todo);
    std::optional<TaskStatus> wanted = FileStatus(todo.status);
    if (!existing) return Insert(i, wanted);
    Task t = *existing;
    task_of_[i] = existing;
    Task before = t;
    ApplyTodoFields(todo, t);
    TG_ASSIGN(bool moved, MoveForward(todo, wanted, t));
    TG_ASSIGN(auto docs, w_.TaskDocs(t.task_id));
    TG_ASSIGN(auto skills, w_.TaskSkills(t.task_id));
    bool labels = docs != todo.docs || skills != todo.skills;
    if (t == before && !labels) {
      ++out_.unchanged;
      return Ok();
    }
    t.updated_at = now_;
    TG_TRY(w_.UpdateTask(t));
    TG_TRY(w_.SetTaskDocs(t.task_id, todo.docs));
    TG_TRY(w_.SetTaskSkills(t.task_id, todo.skills));
    if (moved) {
      TG_TRY(AddEvent(w_, ctx_.ids, t.task_id, ToString(t.status) == "done" ? "done" : "canceled",
                      {{"reason", fmt::format("marked {} in {}", todo.status, opts_.file_label)}},
                      ctx_.agent));
    }
    *existing = t;
    ++out_.updated;
    return Ok();
  }

  // Applies the file's status if it moves the task forward; reports a refused move.
  Result<bool> MoveForward(const plan::Todo& todo, std::optional<TaskStatus> wanted, Task& t) {
    if (!wanted || *wanted == t.status) return false;
    auto conflict = [&](std::string reason) {
      out_.conflicts.push_back(
          {todo.id, t.hash_id, std::string(ToString(t.status)), todo.status, std::move(reason)});
      return false;
    };
    if (t.status == TaskStatus::kDoing)
      return conflict("claimed by " + t.claimed_by.value_or("an agent"));
    if (IsTerminal(t.status)) return conflict("already " + std::string(ToString(t.status)));
    t.status = *wanted;
    t.ended_at = now_;
    finished_.push_back(t.task_id);
    return true;
  }

  // Prepares a new task; InsertCreated writes it once every status in the file is known.
  Status Insert(size_t i, std::optional<TaskStatus> wanted) {
    const plan::Todo& todo = doc_.todos[i];
    Task t;
    t.task_id = task_ids_->NewUuid();  // the short id comes when the row is written
    t.plan_id = out_.plan.plan_id;
    t.plan_title = out_.plan.title;
    t.external_key = todo.id;
    ApplyTodoFields(todo, t);
    t.status = wanted.value_or(TaskStatus::kTodo);
    if (wanted) t.ended_at = now_;
    t.created_at = t.updated_at = now_;
    task_of_[i] = &(by_key_[todo.id] = std::move(t));
    is_new_[i] = true;
    ++out_.created;
    return Ok();
  }

  // Writes the new tasks, each with the status it starts in: blocked when a blocker the file
  // lists is unfinished (a new task has no other edge and no gate yet). Writing the final row
  // once, rather than inserting and then updating it, halves the rows history records.
  Status InsertCreated() {
    for (size_t i = 0; i < doc_.todos.size(); ++i) {
      if (!is_new_[i]) continue;
      const plan::Todo* todo = &doc_.todos[i];
      Task& t = *task_of_[i];
      if (t.status == TaskStatus::kTodo) {
        for (uint32_t b : Blockers(i)) {
          if (!IsTerminal(task_of_[b]->status)) {
            t.status = TaskStatus::kBlocked;
            break;
          }
        }
      }
      // Allocated only now, one row at a time: allocation checks the table, so ids handed out
      // before any of these rows existed could collide with each other.
      TG_ASSIGN(t.hash_id, w_.AllocateShortId(store::Entity::kTask, t.task_id));
      TG_TRY(w_.InsertTask(t));
      // A new task has no labels yet: only write what the file gives.
      if (!todo->docs.empty()) TG_TRY(w_.SetTaskDocs(t.task_id, todo->docs));
      if (!todo->skills.empty()) TG_TRY(w_.SetTaskSkills(t.task_id, todo->skills));
      TG_TRY(AddEventJson(w_, *event_ids_, t.task_id, "created",
                          StringFieldsJson({{"external_key", todo->id},
                                            {"source", opts_.file_label},
                                            {"status", ToString(t.status)},
                                            {"title", t.title}}),
                          ctx_.agent));
    }
    return Ok();
  }

  Status CancelUnmatched() {
    for (Task t : unmatched_) {
      if (t.status == TaskStatus::kDoing) {
        out_.conflicts.push_back({*t.external_key, t.hash_id, "doing", "removed",
                                  "claimed by " + t.claimed_by.value_or("an agent")});
        continue;
      }
      t.status = TaskStatus::kCanceled;
      t.updated_at = now_;
      TG_TRY(w_.UpdateTask(t));
      TG_TRY(AddEvent(w_, ctx_.ids, t.task_id, "canceled",
                      {{"reason", "removed from " + opts_.file_label}}, ctx_.agent));
      finished_.push_back(t.task_id);
      ++out_.canceled;
    }
    return Ok();
  }

  // Makes the plan's import edges match the file: adds what it lists (refusing cycles with the
  // rest of the graph), removes import edges it no longer lists. Edges made by hand stay.
  Status SyncEdges() {
    // (blocker, blocked) todo indices in file order.
    std::vector<std::pair<uint32_t, uint32_t>> wanted;
    wanted.reserve(blocker_index_.size());
    for (size_t i = 0; i < doc_.todos.size(); ++i) {
      for (uint32_t b : Blockers(i)) wanted.emplace_back(b, static_cast<uint32_t>(i));
    }
    // Only tasks that existed before can have edges to remove or to keep: an import of new
    // tasks alone skips the lookups.
    bool all_new = out_.created == static_cast<int>(doc_.todos.size());
    if (!all_new) {
      StringSet listed;  // "blocker blocked"
      for (const auto& [from, to] : wanted) listed.insert(EdgeKey(Id(from), Id(to)));
      for (size_t i = 0; i < doc_.todos.size(); ++i) {
        if (is_new_[i]) continue;  // no edges yet
        const std::string& to = Id(i);
        TG_ASSIGN(auto blockers, w_.Blockers(to));
        for (const auto& b : blockers) {
          if (b.reason == kImportReason && !listed.contains(EdgeKey(b.task_id, to))) {
            TG_TRY(w_.DeleteEdge(b.task_id, to, EdgeType::kBlocks));
            ++out_.edges_removed;
          }
        }
      }
    }
    std::vector<std::string> heads;
    bool touches_existing = false;  // an added edge with an end outside this import's new tasks
    for (const auto& [b, i] : wanted) {
      const std::string& from = Id(b);
      const std::string& to = Id(i);
      bool existing = !is_new_[b] || !is_new_[i];
      if (!is_new_[b] && !is_new_[i]) {
        TG_ASSIGN(bool exists, w_.EdgeExists(from, to, EdgeType::kBlocks));
        if (exists) continue;
      }
      TG_TRY(w_.InsertEdge(Edge{from, to, EdgeType::kBlocks, kImportReason, now_}));
      if (!all_new) heads.push_back(to);
      touches_existing |= existing;
      ++out_.edges_added;
    }
    // New tasks have no edges but these, and the file has no cycle (the plan layer refused
    // it), so only an edge that reaches an existing task can close one.
    if (!touches_existing) return Ok();
    return CheckNoNewCycle(heads);
  }

  // One check for all the edges just added, instead of a search per edge (quadratic on a large
  // plan): the graph had no cycle before, so a cycle now runs through a new edge and thus
  // through its head, and a search of everything reachable from the heads finds it. The plan
  // layer has already refused cycles within the file; what is left are cycles closed through
  // edges made by hand. The transaction is rolled back on failure, so nothing is written.
  Status CheckNoNewCycle(const std::vector<std::string>& heads) {
    std::vector<std::pair<std::string, std::string>> edges;
    std::set<std::string> seen(heads.begin(), heads.end());
    std::vector<std::string> queue(seen.begin(), seen.end());
    while (!queue.empty()) {
      std::string id = std::move(queue.back());
      queue.pop_back();
      TG_ASSIGN(auto next, w_.BlocksSuccessors(id));
      for (auto& n : next) {
        edges.emplace_back(id, n);
        if (seen.insert(n).second) queue.push_back(std::move(n));
      }
    }
    std::vector<std::pair<std::string_view, std::string_view>> views(edges.begin(), edges.end());
    auto cycle = FindCycle(views);
    if (!cycle) return Ok();
    std::unordered_map<std::string_view, size_t> by_id;
    for (size_t i = 0; i < task_of_.size(); ++i) by_id.emplace(task_of_[i]->task_id, i);
    std::vector<std::string> names;
    for (const auto& id : *cycle) {
      auto it = by_id.find(id);
      if (it != by_id.end()) {
        // A task this import would create has no short id anyone has seen: name its todo.
        const Task& t = *task_of_[it->second];
        names.push_back(is_new_[it->second] ? "todo " + t.external_key.value_or(t.hash_id)
                                            : t.hash_id);
        continue;
      }
      TG_ASSIGN(auto t, w_.GetTask(id));
      names.push_back(t ? t->hash_id : id);
    }
    return Fail(Code::kCycleDetected,
                fmt::format("{} would create a blocking cycle: {}; remove an edge of the cycle "
                            "(`tg edge remove`) or change the file's blockedBy",
                            opts_.verb, FormatPath(names)));
  }

  Context& ctx_;
  store::Writer& w_;
  Millis now_;
  const plan::Plan& doc_;
  const ImportOptions& opts_;
  ImportOutcome& out_;
  static std::string EdgeKey(std::string_view from, std::string_view to) {
    std::string k(from);
    k += ' ';
    k += to;
    return k;
  }

  // The task id of the i-th todo; every todo has a task once Upsert ran.
  const std::string& Id(size_t i) const { return task_of_[i]->task_id; }

  // Each todo's blockers as todo indices, resolved by name once here, so the steps after it
  // index vectors instead of looking up a hash map (an import of 100,000 todos looked each id
  // up several times). The plan layer refused duplicate todo ids and unknown blockers and
  // lists each blocker once (plan::Todo::blocked_by).
  void IndexBlockers() {
    StringMap<uint32_t> index;
    index.reserve(doc_.todos.size());
    for (size_t i = 0; i < doc_.todos.size(); ++i)
      index.emplace(doc_.todos[i].id, static_cast<uint32_t>(i));
    blocker_start_.reserve(doc_.todos.size() + 1);
    for (const auto& todo : doc_.todos) {
      blocker_start_.push_back(blocker_index_.size());
      for (const auto& dep : todo.blocked_by) blocker_index_.push_back(index.find(dep)->second);
    }
    blocker_start_.push_back(blocker_index_.size());
  }
  std::span<const uint32_t> Blockers(size_t i) const {
    return {blocker_index_.data() + blocker_start_[i], blocker_start_[i + 1] - blocker_start_[i]};
  }

  // Nodes of the hash maps do not move, so task_of_ may point into by_key_ and by_hash_.
  StringMap<Task> by_key_, by_hash_;
  std::vector<Task*> task_of_;  // the i-th todo's task, in by_key_ or by_hash_
  std::vector<bool> is_new_;    // whether this import creates the i-th todo's task
  std::vector<size_t> blocker_start_;
  std::vector<uint32_t> blocker_index_;
  std::vector<Task> unmatched_;
  std::optional<AscendingIdSource> task_ids_, event_ids_;
  std::vector<std::string> finished_;  // moved to done/canceled here: their dependents re-sync
};

}  // namespace

Result<Written<ImportOutcome>> ImportPlan(Context& ctx, const plan::Plan& doc,
                                          const ImportOptions& opts) {
  // The plan layer checked the document's own text; these come from the command line and the
  // file system, and end up in the plan's row, its events and the commit message.
  TG_TRY(CheckText("file name", opts.file_label, TextKind::kSingleLine));
  TG_TRY(CheckText("file path", opts.source_path, TextKind::kSingleLine));
  // A file with no plan in it (an empty file, /etc/passwd read as the legacy format) would
  // otherwise become an empty plan named after the file.
  if (doc.todos.empty() && !doc.name) {
    return Fail(Code::kParseFailed,
                fmt::format("{}: no plan in this file: it has no todos and no name; a plan file "
                            "starts with a \"---\" line and YAML holding name: and todos: (see "
                            "docs/plan-format.md)",
                            opts.file_label));
  }
  TG_ASSIGN(auto writer, ctx.store.Write(ctx.holder));
  Written<ImportOutcome> w;
  Importer importer(ctx, *writer, doc, opts, w.value);
  TG_TRY(importer.Run());
  const ImportOutcome& o = w.value;
  std::string message = fmt::format("{}: {} -> {} ({} new, {} updated, {} canceled, +{}/-{} edges)",
                                    opts.verb, opts.file_label, o.plan.hash_id, o.created,
                                    o.updated, o.canceled, o.edges_added, o.edges_removed);
  TG_ASSIGN(w.commit, writer->Commit(ctx.agent, message, ctx.ids, ctx.commit));
  return w;
}

}  // namespace tg::app
