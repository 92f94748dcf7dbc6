// Legacy format scanner. Keywords are case-sensitive prefixes of the trimmed line; "# " and
// "INTENT:" only count at column 1. Other lines are free text, except that a line inside a task
// that looks like a keyword (`BLOCKEDBY:`) is refused as a typo, as an unknown key is in the
// cursor format; `lenient` makes that, and every other unusable line, a warning.
#include "plan/legacy.h"

#include <algorithm>

#include "core/suggest.h"
#include "plan/text.h"

namespace tg::plan {
namespace {

class LegacyScanner {
 public:
  LegacyScanner(std::string_view file, bool lenient, SourcedPlan& out)
      : file_(file), unusable_(file, lenient, out.plan.warnings), out_(out) {}

  const std::optional<Error>& refused() const { return unusable_.refused(); }

  Status Line(std::string_view line, int number) {
    if (line.starts_with("# ")) {
      out_.plan.name = std::string(Trim(line.substr(2)));
      out_.name = Pos{number, 3};
    }
    if (line.starts_with("INTENT:")) out_.plan.overview = std::string(Trim(line.substr(7)));
    std::string_view trimmed = Trim(line);
    int indent = static_cast<int>(trimmed.empty() ? 0 : trimmed.data() - line.data());
    if (in_acceptance_ && trimmed.starts_with("-")) {
      current_->acceptance.emplace_back(Trim(trimmed.substr(1)));
      return Ok();
    }
    in_acceptance_ = false;
    if (trimmed.starts_with("TASK:")) {
      TG_TRY(Finish());
      Start(trimmed.substr(5), number, indent + 5);
      return Ok();
    }
    if (current_) Keyword(trimmed, Pos{number, indent + 1});
    return Ok();
  }

  Status Finish() {
    if (!current_) return Ok();
    if (!has_title_) {
      return ParseErrorAt(file_, Pos{current_->line, 1},
                          "task " + Quote(current_->id) +
                              " has no TITLE: line; add \"TITLE: <title>\" below its TASK: line");
    }
    out_.plan.todos.push_back(std::move(*current_));
    out_.sources.push_back(std::move(source_));
    current_.reset();
    return Ok();
  }

 private:
  // `value` is what follows "TASK:"; `col0` is its 0-based column in the line.
  void Start(std::string_view value, int number, int col0) {
    std::string_view key = Trim(value);
    if (key.empty()) {
      Warn(Pos{number, 1}, "TASK: without a key", "the task is dropped");
      current_.reset();
      return;
    }
    has_title_ = false;
    current_ = Todo{.id = std::string(key), .line = number};
    source_ = TodoSource{.id = Pos{number, col0 + 1 + Offset(value, key)}};
  }

  static int Offset(std::string_view outer, std::string_view inner) {
    return static_cast<int>(inner.data() - outer.data());
  }

  void Keyword(std::string_view line, Pos pos) {
    auto value = [&](size_t prefix) { return std::string(Trim(line.substr(prefix))); };
    Todo& todo = *current_;
    if (line.starts_with("TITLE:")) {
      todo.content = value(6);
      has_title_ = true;
      source_.content = pos;
    } else if (line.starts_with("FEATURE:")) {
      todo.feature = value(8);
    } else if (line.starts_with("AREA:")) {
      todo.area = value(5);
    } else if (line.starts_with("AGENT:")) {
      todo.agent = value(6);
    } else if (line.starts_with("DOMAIN:") || line.starts_with("DOCS:")) {
      AppendAll(todo.docs, SplitList(line.substr(line.find(':') + 1)));
    } else if (line.starts_with("SKILL:")) {
      AppendAll(todo.skills, SplitList(line.substr(6)));
    } else if (line.starts_with("BLOCKED_BY:")) {
      BlockedBy(line, pos);
    } else if (line.starts_with("CHANGE_TYPE:")) {
      std::string type = value(12);
      if (IsValidChangeType(type)) todo.change_type = type;
      if (!IsValidChangeType(type)) Warn(pos, "unknown CHANGE_TYPE " + Quote(type), "ignored");
    } else if (line.starts_with("ACCEPTANCE:")) {
      in_acceptance_ = true;
    } else if (auto word = KeywordLike(line)) {
      static const std::vector<std::string> kKeywords{
          "TASK", "TITLE", "FEATURE",    "AREA",        "AGENT",      "DOMAIN",
          "DOCS", "SKILL", "BLOCKED_BY", "CHANGE_TYPE", "ACCEPTANCE", "INTENT"};
      std::string close = ClosestWord(*word, kKeywords);
      Warn(pos, "unknown keyword " + Quote(std::string(*word) + ":"), "read as free text",
           close.empty() ? "" : "; did you mean " + Quote(close + ":") + "?");
    }
  }

  // "BLOCKEDBY" for a line "BLOCKEDBY: a, b": capitals, digits and underscores before a colon.
  static std::optional<std::string_view> KeywordLike(std::string_view line) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon < 2) return std::nullopt;
    for (size_t i = 0; i < colon; ++i) {
      char c = line[i];
      bool ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) return std::nullopt;
    }
    return line.substr(0, colon);
  }

  void Warn(Pos pos, const std::string& what, std::string_view fate, std::string_view hint = "") {
    unusable_.Report(pos, what, fate, hint);
  }

  static void AppendAll(std::vector<std::string>& list, std::vector<std::string> values) {
    for (auto& v : values) {
      if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(std::move(v));
    }
  }

  // Each entry keeps its own column, so an unknown id is reported exactly where it is written.
  void BlockedBy(std::string_view line, Pos pos) {
    std::string_view rest = line.substr(11);
    size_t base = 11;
    while (true) {
      size_t comma = rest.find(',');
      std::string_view piece = Trim(rest.substr(0, comma));
      auto& refs = current_->blocked_by;
      if (!piece.empty() && std::find(refs.begin(), refs.end(), piece) == refs.end()) {
        refs.emplace_back(piece);
        int col = pos.col + static_cast<int>(base) + Offset(rest, piece);
        source_.blocked_by.push_back(Pos{pos.line, col});
      }
      if (comma == std::string_view::npos) return;
      rest.remove_prefix(comma + 1);
      base += comma + 1;
    }
  }

  std::string_view file_;
  Unusable unusable_;
  SourcedPlan& out_;
  std::optional<Todo> current_;
  TodoSource source_;
  bool has_title_ = false;
  bool in_acceptance_ = false;
};

}  // namespace

Result<SourcedPlan> ParseLegacy(std::string_view text, std::string_view file, bool lenient) {
  SourcedPlan out;
  LegacyScanner scanner(file, lenient, out);
  for (int number = 1; !text.empty(); ++number) {
    size_t nl = std::min(text.find('\n'), text.size());
    TG_TRY(scanner.Line(text.substr(0, nl), number));
    text.remove_prefix(std::min(nl + 1, text.size()));
  }
  TG_TRY(scanner.Finish());
  if (scanner.refused()) return std::unexpected(*scanner.refused());
  // A file without TASK: lines is not a legacy plan: most often a Markdown checklist or notes,
  // which would otherwise become an empty plan named after its heading.
  if (out.plan.todos.empty()) {
    return ParseErrorAt(file, Pos{1, 1},
                        "no plan in this file: it has no \"---\" YAML frontmatter with todos and "
                        "no TASK: lines (a Markdown checklist is not read as a plan; see "
                        "docs/plan-format.md for both formats)");
  }
  return out;
}

}  // namespace tg::plan
