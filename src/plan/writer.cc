// WriteCursor: a small YAML emitter for the plan shape. It picks a scalar style that reads
// back to the same string in libyaml (and js-yaml, and yaml-cpp): plain when clearly safe, a
// literal block for ordinary multi-line text, double quotes with escapes for everything else.
#include "plan/plan.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "core/strings.h"
#include "plan/scalar.h"
#include "plan/text.h"

namespace tg::plan {
namespace {

// Characters that need a quoted or block style wherever they appear.
bool IsSpecialCodePoint(char32_t cp) {
  return !IsPrintable(cp) || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 ||
         cp == 0x2029 || cp == 0xFEFF;
}

// ASCII punctuation a plain scalar may hold inside a flow list. yaml-cpp stops or fails at
// more indicators there than YAML requires ('?' among them), so the set stays minimal.
constexpr std::string_view kFlowPunctuation = " _-./+()";

// Conservative: a plain scalar must start with a letter, digit, '_', '/' or '(' (or any
// non-ASCII character), resolve to a string, and avoid ": ", " #" and edge spaces. In flow
// lists its ASCII punctuation is limited to kFlowPunctuation.
bool IsPlainSafe(std::string_view s, bool flow) {
  if (s.empty() || ResolvePlain(s) != ScalarType::kString) return false;
  unsigned char first = static_cast<unsigned char>(s.front());
  bool first_ok =
      std::isalnum(first) || first == '_' || first == '/' || first == '(' || first >= 0x80;
  if (!first_ok || s.back() == ' ' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t len = DecodeUtf8(s, i, cp);
    if (len == 0 || IsSpecialCodePoint(cp)) return false;
    if (cp == ':' && (flow || s[i + 1] == ' ')) return false;
    if (cp == '#' && s[i - 1] == ' ') return false;
    bool ascii_punct = cp < 0x80 && !std::isalnum(static_cast<unsigned char>(cp));
    if (flow && ascii_punct &&
        kFlowPunctuation.find(static_cast<char>(cp)) == kFlowPunctuation.npos) {
      return false;
    }
    i += len;
  }
  return true;
}

// "|" (text ends in exactly one line feed) or "|-" (no final line feed) when a literal block
// reproduces `s` exactly: the first line is neither empty nor indented (the block's
// indentation is taken from it), no line ends in a blank (so none is blank-only) or starts
// with a tab, and only characters that YAML leaves alone inside a block.
std::optional<std::string_view> LiteralStyle(std::string_view s) {
  if (s.find('\n') == std::string_view::npos || s.ends_with("\n\n")) return std::nullopt;
  std::string_view body = s.ends_with('\n') ? s.substr(0, s.size() - 1) : s;
  size_t line_start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && body[i] != '\n') continue;
    std::string_view line = body.substr(line_start, i - line_start);
    bool first = line_start == 0;
    bool bad_start = !line.empty() && (line.front() == '\t' || (first && line.front() == ' '));
    bool bad_end = !line.empty() && (line.back() == ' ' || line.back() == '\t');
    if (bad_start || bad_end || (first && line.empty())) return std::nullopt;
    line_start = i + 1;
  }
  for (size_t i = 0; i < body.size();) {
    char32_t cp;
    size_t len = DecodeUtf8(body, i, cp);
    if (len == 0 || (cp != '\n' && cp != '\t' && IsSpecialCodePoint(cp))) return std::nullopt;
    i += len;
  }
  return s.ends_with('\n') ? "|" : "|-";
}

void AppendHex(std::string& out, std::string_view prefix, char32_t cp, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
}

std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t len = DecodeUtf8(s, i, cp);
    if (len == 0) {  // not reachable for parsed plans: their text is checked to be UTF-8
      AppendHex(out, "\\x", static_cast<unsigned char>(s[i]), 2);
      ++i;
      continue;
    }
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0:
        out += "\\0";
        break;
      default:
        if (IsSpecialCodePoint(cp)) {  // \u, not \N: yaml-cpp decodes \N to a bare 0x85 byte
          AppendHex(out, "\\u", cp, 4);
        } else {
          out.append(s.substr(i, len));
        }
    }
    i += len;
  }
  return out + "\"";
}

class Writer {
 public:
  // Starts a mapping that is an item of a block sequence: its first key gets the "- ".
  void BeginItem() { item_start_ = true; }

  void Scalar(int indent, std::string_view key, std::string_view value) {
    Key(indent, key);
    Value(indent + 2, value);
  }

  void Optional(int indent, std::string_view key, const std::optional<std::string>& value) {
    if (value) Scalar(indent, key, *value);
  }

  void Raw(int indent, std::string_view key, std::string_view text) {
    Key(indent, key);
    out_ += " ";
    out_ += text;
    out_ += "\n";
  }

  void FlowList(int indent, std::string_view key, const std::vector<std::string>& items) {
    if (items.empty()) return;
    std::string text = "[";
    for (const auto& item : items) {
      if (text.size() > 1) text += ", ";
      text += IsPlainSafe(item, true) ? item : DoubleQuoted(item);
    }
    Raw(indent, key, text + "]");
  }

  void BlockList(int indent, std::string_view key, const std::vector<std::string>& items) {
    if (items.empty()) return;
    Key(indent, key);
    out_ += "\n";
    for (const auto& item : items) {
      out_ += std::string(indent + 2, ' ') + "-";
      Value(indent + 4, item);
    }
  }

  void ListKey(int indent, std::string_view key) {
    Key(indent, key);
    out_ += "\n";
  }

  std::string Finish() {
    // The line feed before the closing "---" is not part of the YAML, so a final "|" block
    // would lose its own line feed: an empty line keeps it.
    return "---\n" + out_ + (last_was_clip_block_ ? "\n" : "") + "---\n";
  }

 private:
  void Key(int indent, std::string_view key) {
    last_was_clip_block_ = false;
    out_ += std::string(item_start_ ? indent - 2 : indent, ' ');
    if (item_start_) out_ += "- ";
    item_start_ = false;
    out_ += key;
    out_ += ":";
  }

  // Writes " <scalar>\n" after a key or a dash; block lines are indented by `block_indent`.
  void Value(int block_indent, std::string_view value) {
    last_was_clip_block_ = false;
    if (IsPlainSafe(value, false)) {
      out_ += " ";
      out_ += value;
      out_ += "\n";
      return;
    }
    auto style = LiteralStyle(value);
    if (!style) {
      out_ += Cat({" ", DoubleQuoted(value), "\n"});
      return;
    }
    out_ += " ";
    out_ += *style;
    out_ += "\n";
    std::string_view body = value.ends_with('\n') ? value.substr(0, value.size() - 1) : value;
    for (size_t start = 0; start <= body.size();) {
      size_t end = std::min(body.find('\n', start), body.size());
      if (end > start) out_ += std::string(block_indent, ' ');
      out_ += body.substr(start, end - start);
      out_ += "\n";
      start = end + 1;
    }
    last_was_clip_block_ = *style == "|";
  }

  std::string out_;
  bool item_start_ = false;
  bool last_was_clip_block_ = false;
};

void WriteTodo(Writer& w, const Todo& todo) {
  constexpr int kIndent = 4;
  w.BeginItem();
  w.Scalar(kIndent, "id", todo.id);
  w.Scalar(kIndent, "content", todo.content);
  if (!todo.status.empty()) w.Scalar(kIndent, "status", todo.status);
  w.FlowList(kIndent, "blockedBy", todo.blocked_by);
  w.FlowList(kIndent, "docs", todo.docs);
  w.FlowList(kIndent, "skill", todo.skills);
  w.Optional(kIndent, "changeType", todo.change_type);
  w.Optional(kIndent, "intent", todo.intent);
  w.Optional(kIndent, "suggestedChanges", todo.suggested_changes);
  w.Optional(kIndent, "agent", todo.agent);
  w.Optional(kIndent, "feature", todo.feature);
  w.Optional(kIndent, "area", todo.area);
  w.BlockList(kIndent, "acceptance", todo.acceptance);
  w.BlockList(kIndent, "tests", todo.tests);
  if (todo.priority) w.Raw(kIndent, "priority", std::to_string(*todo.priority));
  w.Optional(kIndent, "risk", todo.risk);
  if (todo.estimate_mins) w.Raw(kIndent, "estimate", std::to_string(*todo.estimate_mins));
}

}  // namespace

std::string WriteCursor(const Plan& plan) {
  Writer w;
  w.Optional(0, "name", plan.name);
  w.Optional(0, "overview", plan.overview);
  w.Optional(0, "initiative", plan.initiative);
  if (plan.benchmark) w.Raw(0, "benchmark", *plan.benchmark ? "true" : "false");
  w.Optional(0, "fileTree", plan.file_tree);
  if (!plan.risks.empty()) w.ListKey(0, "risks");
  for (const Risk& risk : plan.risks) {
    w.BeginItem();
    w.Scalar(4, "description", risk.description);
    w.Scalar(4, "severity", risk.severity);
    w.Scalar(4, "mitigation", risk.mitigation);
  }
  w.BlockList(0, "tests", plan.tests);
  w.BlockList(0, "objectives", plan.objectives);
  w.BlockList(0, "outcomes", plan.outcomes);
  w.BlockList(0, "outputs", plan.outputs);
  if (plan.todos.empty()) w.Raw(0, "todos", "[]");
  if (!plan.todos.empty()) w.ListKey(0, "todos");
  for (const Todo& todo : plan.todos) WriteTodo(w, todo);
  return w.Finish();
}

}  // namespace tg::plan
