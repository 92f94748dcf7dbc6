// Entry points of the plan library: format detection, text checks, file reading, templates.
#include "plan/plan.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/file.h"
#include "core/limits.h"
#include "plan/cursor.h"
#include "plan/frontmatter.h"
#include "plan/legacy.h"
#include "plan/text.h"
#include "plan/validate.h"
#include "plan/yaml_tree.h"

namespace tg::plan {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// YAML forbids raw control characters and the store and JSON output need UTF-8, so a file
// that breaks either rule is refused up front, at the offending byte.
Status CheckText(std::string_view text, std::string_view file) {
  auto bad = FindInvalidByte(text);
  if (!bad) return Ok();
  LineCol lc = LineColOf(text, *bad);
  char32_t cp;
  bool utf8 = DecodeUtf8(text, *bad, cp) != 0;
  char hex[16];
  std::snprintf(hex, sizeof hex, utf8 ? "U+%04X" : "0x%02X",
                utf8 ? static_cast<unsigned>(cp) : static_cast<unsigned char>(text[*bad]));
  return ParseErrorAt(
      file, Pos{lc.line, lc.col},
      utf8 ? std::string("control character ") + hex +
                 " is not allowed; plan files must be printable text"
           : std::string("invalid UTF-8 (byte ") + hex + "); plan files must be UTF-8");
}

// The frontmatter handed to the YAML parser never ends with a line feed (it stops before the
// "\n" of the closing line). For a literal block that ends the frontmatter, js-yaml still adds
// a final line feed; libyaml (like yaml-cpp before it) does not. We keep that value: 4 corpus
// files differ from the original only by that line feed.
Result<SourcedPlan> ParseCursor(std::string_view text, std::string_view file, bool lenient) {
  if (text.starts_with(kBom)) {
    return ParseErrorAt(file, Pos{1, 1},
                        "the file starts with a UTF-8 byte-order mark; save it without one so "
                        "that \"---\" is its first line");
  }
  auto front = FindFrontmatter(text);
  if (!front) {
    return ParseErrorAt(file, Pos{1, 1},
                        "no YAML frontmatter: the file must start with a \"---\" line and the "
                        "YAML must end at a line starting with \"---\"");
  }
  TG_ASSIGN(YamlDocument doc, LoadYaml(YamlSource{front->yaml, file, front->first_line}));
  return ConvertDocument(doc, "YAML frontmatter", Pos{front->first_line, 1}, file, nullptr,
                         lenient);
}

Format Detect(std::string_view text) {
  bool cursor = text.starts_with("---") ||
                (text.starts_with(kBom) && text.substr(kBom.size()).starts_with("---"));
  return cursor ? Format::kCursor : Format::kLegacy;
}

}  // namespace

bool IsValidChangeType(std::string_view change_type) {
  static constexpr std::array<std::string_view, 7> kTypes = {
      "create", "modify", "refactor", "fix", "investigate", "test", "document"};
  return std::find(kTypes.begin(), kTypes.end(), change_type) != kTypes.end();
}

Result<Plan> ParsePlan(std::string_view text, std::string_view file_name, Format format,
                       bool lenient) {
  TG_TRY(CheckText(text, file_name));
  std::string normalized = NormalizeNewlines(text);
  if (format == Format::kAuto) format = Detect(normalized);
  TG_ASSIGN(SourcedPlan sourced, format == Format::kLegacy
                                     ? ParseLegacy(normalized, file_name, lenient)
                                     : ParseCursor(normalized, file_name, lenient));
  TG_TRY(Validate(sourced, file_name));
  return std::move(sourced.plan);
}

Result<Plan> ReadPlanFile(const std::string& path, Format format, bool lenient) {
  TG_ASSIGN(std::string text, ReadBoundedFile(path, FileRules{"plan file", kMaxPlanFileBytes}));
  return ParsePlan(text, path, format, lenient);
}

Result<Plan> ReadTemplateFile(const std::string& path, std::string_view label,
                              const std::map<std::string, std::string>& vars) {
  TG_ASSIGN(std::string text, ReadBoundedFile(path, FileRules{"template", kMaxPlanFileBytes}));
  return ParseTemplate(text, label, vars);
}

Result<Plan> ParseTemplate(std::string_view text, std::string_view file_name,
                           const std::map<std::string, std::string>& vars) {
  TG_TRY(CheckText(text, file_name));
  std::string normalized = NormalizeNewlines(text);
  TG_ASSIGN(YamlDocument doc, LoadYaml(YamlSource{normalized, file_name, 1}));
  TG_ASSIGN(SourcedPlan sourced, ConvertDocument(doc, "template", Pos{1, 1}, file_name, &vars,
                                                 /*lenient=*/false));
  TG_TRY(Validate(sourced, file_name));
  return std::move(sourced.plan);
}

std::string SubstitutePlaceholders(std::string_view text,
                                   const std::map<std::string, std::string>& vars,
                                   size_t max_bytes) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() <= max_bytes) {
    if (!text.substr(i).starts_with("{{")) {
      out += text[i++];
      continue;
    }
    size_t name_end = i + 2;
    while (name_end < text.size() && is_word(text[name_end])) ++name_end;
    bool placeholder = name_end > i + 2 && text.substr(name_end).starts_with("}}");
    auto it =
        placeholder ? vars.find(std::string(text.substr(i + 2, name_end - i - 2))) : vars.end();
    if (it == vars.end()) {
      out += text[i++];
      continue;
    }
    out += it->second;
    i = name_end + 2;
  }
  return out;
}

}  // namespace tg::plan
