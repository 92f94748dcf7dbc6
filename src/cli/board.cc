#include "cli/board.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/safe_output.h"
#include "cli/spans.h"
#include "cli/table.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kCyan = "36";
constexpr const char* kYellow = "33";
constexpr const char* kDim = "2";
constexpr const char* kBold = "1";

struct BoardCell {
  std::string text;
  const char* color = nullptr;
};
using BoardRow = std::vector<BoardCell>;

struct BoardColumn {
  std::string header;
  int max = 0;        // widest it may grow (0: no limit)
  bool flex = false;  // takes what is left, cut first
  bool right = false;
};

struct BoardSection {
  std::string title;
  std::vector<BoardColumn> cols;
  std::vector<BoardRow> rows;
  std::string empty;  // the line shown when there are no rows
  int priority = 0;   // lower: gets its rows first when the screen is short
};

class Painter {
 public:
  Painter(const BoardStyle& st, int width) : st_(st), width_(std::max(width, 1)) {}

  std::string Paint(const std::string& text, const char* color) const {
    if (!st_.color || !color || text.empty()) return text;
    return Cat({"\x1b[", color, "m", text, "\x1b[0m"});
  }

  // `s` cut or padded to exactly `w` columns.
  std::string Fit(const std::string& s, size_t w, bool right = false) const {
    size_t n = DisplayWidth(s);
    if (n > w) {
      if (w == 0) return "";
      std::string cut = st_.unicode ? Truncate(s, w) : AsciiCut(s, w);
      n = DisplayWidth(cut);
      return cut + std::string(w - std::min(w, n), ' ');
    }
    std::string pad(w - n, ' ');
    return right ? pad + s : s + pad;
  }

  const char* H() const { return st_.unicode ? "─" : "-"; }
  std::string Rule(int n) const {
    std::string out;
    for (int i = 0; i < n; ++i) out += H();
    return out;
  }

  std::string Top(const std::string& title) const {
    std::string t = Cat({" ", title, " "});
    int inner = width_ - 2;
    int tw = static_cast<int>(DisplayWidth(t));
    if (tw + 1 > inner) t = Fit(t, static_cast<size_t>(std::max(inner - 1, 0))), tw = inner - 1;
    std::string left = st_.unicode ? "┌" : "+";
    std::string right = st_.unicode ? "┐" : "+";
    return Cat({left, H(), Paint(t, kBold), Rule(inner - 1 - tw), right});
  }
  std::string Bottom() const {
    return Cat({st_.unicode ? "└" : "+", Rule(width_ - 2), st_.unicode ? "┘" : "+"});
  }
  // One line inside a box: "│ " + content padded to the inner width + " │".
  std::string Inside(const std::string& content, size_t visible) const {
    size_t inner = static_cast<size_t>(std::max(width_ - 4, 0));
    std::string v = st_.unicode ? "│" : "|";
    return Cat({v, " ", content, std::string(inner - std::min(inner, visible), ' '), " ", v});
  }

  int width() const { return width_; }
  bool unicode() const { return st_.unicode; }

 private:
  static std::string AsciiCut(const std::string& s, size_t w) {
    std::string out;
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) != 0x80) {
        if (n == w - 1) break;
        ++n;
      }
      out += s[i];
    }
    return out + "~";
  }

  const BoardStyle& st_;
  int width_;
};

// Column widths for `s` inside `inner` columns: natural widths capped by each column's max, then
// the flex column shrinks (then the others, from the right) until the row fits.
std::vector<size_t> ColumnWidths(const BoardSection& s, size_t inner) {
  std::vector<size_t> w(s.cols.size());
  for (size_t i = 0; i < s.cols.size(); ++i) {
    w[i] = DisplayWidth(s.cols[i].header);
    for (const auto& r : s.rows) {
      if (i < r.size()) w[i] = std::max(w[i], DisplayWidth(r[i].text));
    }
    if (s.cols[i].max > 0) w[i] = std::min(w[i], static_cast<size_t>(s.cols[i].max));
  }
  auto total = [&] {
    size_t t = 0;
    for (size_t x : w) t += x;
    return t + 2 * (w.empty() ? 0 : w.size() - 1);
  };
  for (size_t i = 0; i < w.size() && total() > inner; ++i) {
    if (!s.cols[i].flex) continue;
    size_t over = total() - inner;
    w[i] -= std::min(over, w[i] > 4 ? w[i] - 4 : 0);
  }
  for (size_t i = w.size(); i-- > 0 && total() > inner;) {
    size_t over = total() - inner;
    size_t keep = i == 0 ? std::min<size_t>(w[i], 4) : 0;
    w[i] -= std::min(over, w[i] - keep);
  }
  return w;
}

// The lines of one section given `rows` data rows of room (at least 1).
std::vector<std::string> DrawSection(const Painter& p, const BoardSection& s, int rows) {
  // The title counts the rows, and says how many are shown when the screen is too short.
  size_t total = s.rows.size();
  size_t shown = rows > 0 ? std::min(total, static_cast<size_t>(rows)) : total;
  std::string title = s.title;
  if (total > 0) {
    title += shown < total ? fmt::format(" ({} of {})", shown, total) : fmt::format(" ({})", total);
  }
  std::vector<std::string> out;
  out.push_back(p.Top(title));
  size_t inner = static_cast<size_t>(std::max(p.width() - 4, 0));
  if (s.rows.empty()) {
    std::string e = p.Fit(s.empty, inner);
    out.push_back(p.Inside(p.Paint(e, kDim), DisplayWidth(e)));
    out.push_back(p.Bottom());
    return out;
  }
  std::vector<size_t> w = ColumnWidths(s, inner);
  auto line = [&](const BoardRow& r, bool header) {
    std::string content;
    size_t visible = 0;
    for (size_t i = 0; i < s.cols.size(); ++i) {
      if (w[i] == 0) continue;
      if (visible) content += "  ", visible += 2;
      std::string text = header ? s.cols[i].header : (i < r.size() ? r[i].text : "");
      std::string cell = p.Fit(text, w[i], s.cols[i].right);
      content += header ? p.Paint(cell, kDim) : p.Paint(cell, i < r.size() ? r[i].color : nullptr);
      visible += w[i];
    }
    return p.Inside(content, visible);
  };
  out.push_back(line({}, true));
  for (size_t i = 0; i < shown; ++i) out.push_back(line(s.rows[i], false));
  out.push_back(p.Bottom());
  return out;
}

std::string SafeText(const std::string& s) { return TerminalSafe(s); }
std::string SafeText(const std::optional<std::string>& s) { return s ? TerminalSafe(*s) : "-"; }

const char* BoardStatusColor(TaskStatus s) {
  switch (s) {
    case TaskStatus::kDone:
      return kGreen;
    case TaskStatus::kDoing:
      return kCyan;
    case TaskStatus::kBlocked:
      return kRed;
    default:
      return nullptr;
  }
}

std::string ProgressBar(const StatusCounts& c, bool unicode) {
  int total = c.total() - c.canceled;
  int filled = total > 0 ? c.done * 10 / total : 0;
  int pct = total > 0 ? c.done * 100 / total : 0;
  std::string bar;
  for (int i = 0; i < 10; ++i) bar += i < filled ? (unicode ? "█" : "#") : (unicode ? "░" : ".");
  return fmt::format("{} {:>3}%", bar, pct);
}

std::string HourMinute(const std::optional<Millis>& t, Millis now) {
  if (!t) return "-";
  std::string iso = FormatIso(*t);
  if (iso.substr(0, 10) == FormatIso(now).substr(0, 10)) return iso.substr(11, 5);
  return Cat({iso.substr(5, 5), " ", iso.substr(11, 5)});
}

BoardSection PlansBox(const std::vector<app::PlanRow>& plans, bool unicode,
                      const std::string& title, bool with_status) {
  BoardSection s{title, {}, {}, "no active plans", 2};
  s.cols = {{"PLAN", 0, true}, {"PROGRESS", 0}};
  if (with_status) s.cols.push_back({"STATUS", 9});
  for (const char* h : {"TODO", "BLOCKED", "DOING", "DONE"}) s.cols.push_back({h, 0, false, true});
  for (const auto& r : plans) {
    BoardRow row{{SafeText(r.plan.title)}, {ProgressBar(r.counts, unicode), kGreen}};
    if (with_status) row.push_back({std::string(ToString(r.plan.status))});
    row.push_back({std::to_string(r.counts.todo)});
    row.push_back({std::to_string(r.counts.blocked), r.counts.blocked ? kRed : nullptr});
    row.push_back({std::to_string(r.counts.doing), r.counts.doing ? kCyan : nullptr});
    row.push_back({std::to_string(r.counts.done)});
    s.rows.push_back(std::move(row));
  }
  return s;
}

BoardSection DoingBox(const app::Activity& a, Millis now) {
  BoardSection s{"Doing", {}, {}, "nobody is working on a task", 0};
  s.cols = {{"ID", 10},    {"TASK", 0, true},        {"AGENT", 14},
            {"PHASE", 10}, {"SEEN", 8, false, true}, {"LEASE", 16}};
  for (const auto& d : a.doing) {
    const Task& t = d.task;
    bool expired = t.lease_expires_at && *t.lease_expires_at <= now;
    std::string seen = d.last_seen ? FormatAgeShort(now - *d.last_seen) : "-";
    std::string lease = !t.lease_expires_at ? "-"
                        : expired           ? Cat({"expired ", HourMinute(t.lease_expires_at, now)})
                                            : Cat({"until ", HourMinute(t.lease_expires_at, now)});
    std::string title = SafeText(t.title);
    if (!t.blocked_by.empty()) title += " (blocked)";
    s.rows.push_back({{t.hash_id},
                      {title, t.blocked_by.empty() ? nullptr : kRed},
                      {SafeText(t.claimed_by), kCyan},
                      {SafeText(d.phase)},
                      {seen, d.last_seen && now - *d.last_seen > 30 * 60'000 ? kYellow : nullptr},
                      {lease, expired ? kYellow : nullptr}});
  }
  return s;
}

BoardSection GatesBox(const app::Activity& a, Millis now) {
  BoardSection s{"Waiting on a gate", {}, {}, "no pending gates", 1};
  s.cols = {{"GATE", 10}, {"NAME", 0, true}, {"TASK", 10}, {"SINCE", 11}};
  for (const auto& g : a.pending_gates) {
    s.rows.push_back({{g.gate.hash_id, kYellow},
                      {SafeText(g.gate.name)},
                      {g.task_hash_id},
                      {HourMinute(g.gate.created_at, now)}});
  }
  return s;
}

BoardSection NextBox(const std::vector<Task>& next, int priority) {
  BoardSection s{"Next up", {}, {}, "nothing runnable", priority};
  s.cols = {{"ID", 10}, {"TASK", 0, true}, {"PLAN", 20}};
  for (const auto& t : next) {
    std::string title = SafeText(t.title);
    if (t.lease_expired) title += " (lease expired)";
    s.rows.push_back({{t.hash_id}, {title}, {SafeText(t.plan_title)}});
  }
  return s;
}

BoardSection DoneBox(const app::Activity& a, Millis now) {
  BoardSection s{"Recently done", {}, {}, "nothing done yet", 4};
  s.cols = {{"ID", 10}, {"TASK", 0, true}, {"BY", 14}, {"AT", 11}};
  for (const auto& d : a.recent_done) {
    s.rows.push_back({{d.task.hash_id, kGreen},
                      {SafeText(d.task.title)},
                      {d.agent.empty() ? "-" : SafeText(d.agent)},
                      {HourMinute(d.task.ended_at, now)}});
  }
  return s;
}

BoardSection OpenTasksBox(const std::vector<Task>& tasks, Millis now) {
  BoardSection s{"Open tasks", {}, {}, "no open tasks", 0};
  s.cols = {{"ID", 10}, {"TASK", 0, true}, {"PLAN", 20}, {"STATUS", 18}, {"AGENT", 14}};
  for (const auto& t : tasks) {
    std::string status(ToString(t.status));
    if (t.status == TaskStatus::kDoing && !t.blocked_by.empty()) status += " (blocked)";
    if (t.LeaseExpired(now)) status += " (expired)";
    s.rows.push_back({{t.hash_id},
                      {SafeText(t.title)},
                      {SafeText(t.plan_title)},
                      {status, BoardStatusColor(t.status)},
                      {t.claimed_by ? SafeText(*t.claimed_by) : ""}});
  }
  return s;
}

BoardSection PlanListBox(const std::vector<Plan>& plans, const std::string& title,
                         const std::string& empty, int priority, Millis now) {
  BoardSection s{title, {}, {}, empty, priority};
  s.cols = {{"ID", 10}, {"PLAN", 0, true}, {"STATUS", 9}, {"PRI", 3, false, true}, {"UPDATED", 11}};
  for (const auto& p : plans) {
    s.rows.push_back(
        {{p.hash_id},
         {SafeText(p.title)},
         {std::string(ToString(p.status)), p.status == PlanStatus::kDone ? kGreen : nullptr},
         {p.priority ? std::to_string(*p.priority) : "-"},
         {HourMinute(p.updated_at, now)}});
  }
  return s;
}

std::string BoardHeader(const Painter& p, BoardView view, Millis now) {
  std::string iso = FormatIso(now);
  const char* name = view == BoardView::kTasks      ? "tasks"
                     : view == BoardView::kProjects ? "projects"
                                                    : "overview";
  std::string left =
      Cat({"tg dashboard · ", name, " · ", iso.substr(0, 10), " ", iso.substr(11, 8), " UTC"});
  if (!p.unicode())
    left = Cat({"tg dashboard - ", name, " - ", iso.substr(0, 10), " ", iso.substr(11, 8), " UTC"});
  std::string right = "q: quit";
  size_t w = static_cast<size_t>(p.width());
  size_t lw = DisplayWidth(left), rw = DisplayWidth(right);
  if (lw + rw + 2 > w) return p.Paint(p.Fit(left, w), kBold);
  return Cat({p.Paint(left, kBold), std::string(w - lw - rw, ' '), p.Paint(right, kDim)});
}

std::string StatsStrip(const Painter& p, const BoardData& d) {
  const auto& s = d.summary;
  std::set<std::string> agents;
  for (const auto& x : d.activity.doing) {
    if (x.task.claimed_by) agents.insert(*x.task.claimed_by);
  }
  auto count = [&](const char* k) {
    auto it = s.status_counts.find(k);
    return it == s.status_counts.end() ? 0 : it->second;
  };
  const char* dot = p.unicode() ? " · " : " | ";
  std::string line = Cat({"done ",
                          std::to_string(s.completed_tasks),
                          dot,
                          "doing ",
                          std::to_string(count("doing")),
                          dot,
                          "blocked ",
                          std::to_string(count("blocked")),
                          dot,
                          "runnable ",
                          std::to_string(s.actionable_count),
                          dot,
                          "agents ",
                          std::to_string(agents.size()),
                          dot,
                          "gates ",
                          std::to_string(d.activity.pending_gates.size()),
                          dot,
                          "plans done ",
                          std::to_string(s.completed_plans)});
  return p.Paint(p.Fit(line, static_cast<size_t>(p.width())), kDim);
}

// `line` cut to `width` visible columns; colour escapes are kept and closed when cut.
std::string ClipLine(const std::string& line, size_t width, bool color) {
  size_t cols = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == 0x1b) {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    if ((c & 0xC0) != 0x80 && cols++ == width) {
      std::string cut = line.substr(0, i);
      return color ? cut + "\x1b[0m" : cut;
    }
  }
  return line;
}

}  // namespace

std::vector<std::string> RenderBoard(const BoardData& d, BoardView view, int width, int height,
                                     Millis now, const BoardStyle& style) {
  Painter p(style, width);
  std::vector<BoardSection> sections;
  if (view == BoardView::kTasks) {
    sections.push_back(OpenTasksBox(d.tasks, now));
    sections.push_back(NextBox(d.summary.next7_runnable_tasks, 1));
    sections.push_back(DoneBox(d.activity, now));
    sections.back().priority = 2;
  } else if (view == BoardView::kProjects) {
    sections.push_back(PlansBox(d.projects, style.unicode, "Plans", true));
    sections.back().priority = 0;
    sections.push_back(
        PlanListBox(d.summary.next7_upcoming_plans, "Upcoming", "no open plans", 1, now));
    sections.push_back(
        PlanListBox(d.summary.last7_completed_plans, "Completed", "no plan done yet", 2, now));
  } else {
    sections.push_back(PlansBox(d.summary.active_plans, style.unicode, "Active plans", false));
    sections.push_back(DoingBox(d.activity, now));
    sections.push_back(GatesBox(d.activity, now));
    sections.push_back(NextBox(d.summary.next7_runnable_tasks, 3));
    sections.push_back(DoneBox(d.activity, now));
  }
  // Rows for each section: on a bounded screen every section that fits gets one row (in
  // priority order), then the rest of the room goes out in the same order.
  std::vector<int> rows(sections.size(), 0);
  std::vector<bool> shown(sections.size(), height <= 0);
  if (height > 0) {
    int room = height - 2;  // header and stats strip
    std::vector<size_t> order(sections.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return sections[a].priority < sections[b].priority;
    });
    for (size_t i : order) {
      int need = sections[i].rows.empty() ? 3 : 4;  // borders, header, one row
      if (room < need) continue;
      shown[i] = true;
      rows[i] = 1;
      room -= need;
    }
    for (size_t i : order) {
      if (!shown[i] || sections[i].rows.empty()) continue;
      int want = static_cast<int>(sections[i].rows.size()) - rows[i];
      int extra = std::min(want, room);
      rows[i] += extra;
      room -= extra;
    }
  }
  std::vector<std::string> out;
  out.push_back(BoardHeader(p, view, now));
  for (size_t i = 0; i < sections.size(); ++i) {
    if (!shown[i]) continue;
    auto lines = DrawSection(p, sections[i], height > 0 ? rows[i] : 0);
    out.insert(out.end(), lines.begin(), lines.end());
  }
  if (height > 0) {
    while (static_cast<int>(out.size()) < height - 1) out.emplace_back();
    out.resize(static_cast<size_t>(std::max(height - 1, 0)));
  }
  out.push_back(StatsStrip(p, d));
  if (height > 0 && static_cast<int>(out.size()) > height) out.resize(static_cast<size_t>(height));
  // Boxes need four columns; a narrower screen gets their left edge.
  for (auto& line : out)
    line = ClipLine(line, static_cast<size_t>(std::max(width, 1)), style.color);
  return out;
}

}  // namespace tg::cli
