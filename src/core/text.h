// The rules for text that people and agents hand tg, defined once and applied wherever text
// enters: flags, the environment, plan files, templates (docs/limits.md lists every field).
//
// Every field must be valid UTF-8. A single-line field (titles, names, agents, reasons, commit
// messages, slugs) holds no control character but tab: a line feed would break the one-line
// views and a stray escape sequence would reach every reader's terminal. A multi-line field
// (notes, evidence, intents, overviews) may also hold line feeds and carriage returns.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tg {

enum class TextKind { kSingleLine, kMultiLine };

// Length limits in characters (code points). Titles have their own, kMaxTitleChars.
inline constexpr size_t kMaxLineChars = 1'000;
inline constexpr size_t kMaxTextChars = 1'000'000;

// C0 controls (U+0000-U+001F), DEL and the C1 controls (U+0080-U+009F).
bool IsControl(char32_t cp);

// Characters a terminal may act on rather than show: the controls above, and the Unicode
// bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what is
// displayed. Human output shows these escaped.
bool IsUnsafeForTerminal(char32_t cp);

// What is wrong with `text` as a field of this kind, as a phrase that completes "the note ..."
// ("is not valid UTF-8 (byte 0xFF at offset 3)", "contains a line break"); nullopt when fine.
std::optional<std::string> TextProblem(std::string_view text, TextKind kind,
                                       size_t max_chars = kMaxTextChars);

// The title rule (plans, tasks, gate names): single-line, not blank, 1 to kMaxTitleChars
// characters. The same phrase form as TextProblem.
std::optional<std::string> TitleProblem(std::string_view title);

// Appends `text` as a JSON string, exactly as the json library serialises it (invalid UTF-8
// replaced): printable ASCII other than '"' and '\\' is quoted as it is, the rest goes through
// the library. For writers of many small JSON strings (an import's event bodies, a commit's
// task list), where a json value per string was a large share of the work.
void AppendJsonString(std::string& out, std::string_view text);

// "U+001B" for messages.
std::string CodePointName(char32_t cp);

}  // namespace tg
