// Builds a YamlDocument from yaml-cpp parser events. This is the one place that calls the
// yaml-cpp parser; every exception it throws is caught here and becomes a located tg::Error.
// The event API (rather than YAML::Node) keeps every pair of a mapping, so duplicate keys,
// which yaml-cpp accepts silently, can be reported.
#include "plan/yaml_tree.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "plan/scalar.h"
#include "plan/text.h"

namespace tg::plan {
namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

// Identity of a mapping key for duplicate detection: scalars by text (as js-yaml, which
// compares keys as strings), complex keys by node.
std::string KeyId(const YamlNode& key) {
  if (key.kind == YamlNode::Kind::kScalar) return "s" + key.value;
  if (key.kind == YamlNode::Kind::kNull) return "n";
  return "p" + std::to_string(reinterpret_cast<std::uintptr_t>(&key));
}

// yaml-cpp's messages are terse; the hint names what usually causes each in a plan file.
std::string Explain(const std::string& message) {
  static constexpr std::pair<std::string_view, std::string_view> kHints[] = {
      {"end of map not found", "check this line's indentation against the lines above"},
      {"end of sequence not found", "check this line's indentation against the lines above"},
      {"illegal map value", "a value containing \": \" must be quoted"},
      {"illegal EOF in scalar", "a quoted string is not closed"},
      {"unexpected character in block scalar",
       "every line of a | or > block must be indented more than its key"},
      {"illegal block entry", "check the indentation; tabs cannot indent YAML"},
  };
  for (const auto& [known, hint] : kHints) {
    if (message == known) return message + " (" + std::string(hint) + ")";
  }
  return message;
}

bool IsMergeKey(const YamlNode& key) {
  return key.kind == YamlNode::Kind::kScalar && key.tag == "?" && key.value == "<<";
}

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(YamlDocument& doc, const YamlSource& source) : doc_(doc), source_(source) {}

  // The first error seen inside an event (handlers cannot return one).
  std::optional<Error>& error() { return error_; }
  int documents() const { return documents_; }
  Pos second_document_pos() const { return second_document_pos_; }

  Pos ToPos(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0) return EndPos();
    return Pos{source_.first_line + mark.line, mark.column + 1};
  }

  // Where yaml-cpp errors without a mark are reported: the last line of the text.
  Pos EndPos() const {
    int lines = static_cast<int>(std::count(source_.text.begin(), source_.text.end(), '\n'));
    return Pos{source_.first_line + lines, 1};
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) second_document_pos_ = ToPos(mark);
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(New(YamlNode::Kind::kNull, mark, "", anchor));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    Add(it != anchors_.end() ? it->second : New(YamlNode::Kind::kNull, mark, "", 0));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode* node = New(YamlNode::Kind::kScalar, mark, tag, anchor);
    node->value = RepairYamlCppEscapes(value);
    if (!IsValidUtf8(node->value)) {  // not expected: a guard for the store and JSON output
      SetError(node->pos, "this string decodes to invalid UTF-8");
    }
    Add(node);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back({New(YamlNode::Kind::kSequence, mark, tag, anchor), nullptr});
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back({New(YamlNode::Kind::kMapping, mark, tag, anchor), nullptr});
  }
  void OnMapEnd() override {
    FinishMapping(*open_.back().node);
    Close();
  }

 private:
  struct Open {
    YamlNode* node;
    const YamlNode* pending_key;  // mappings: the key waiting for its value
  };

  YamlNode* New(YamlNode::Kind kind, const YAML::Mark& mark, const std::string& tag,
                YAML::anchor_t anchor) {
    YamlNode& node = doc_.arena.emplace_back();
    node.kind = kind;
    node.pos = ToPos(mark);
    node.tag = tag;
    if (anchor != YAML::NullAnchor) anchors_[anchor] = &node;
    return &node;
  }

  void Close() {
    YamlNode* node = open_.back().node;
    open_.pop_back();
    Add(node);
  }

  void Add(const YamlNode* node) {
    if (open_.empty()) {
      if (documents_ == 1) doc_.root = node;
      return;
    }
    Open& top = open_.back();
    if (top.node->kind == YamlNode::Kind::kSequence) {
      top.node->items.push_back(node);
    } else if (top.pending_key == nullptr) {
      top.pending_key = node;
    } else {
      top.node->pairs.emplace_back(top.pending_key, node);
      top.pending_key = nullptr;
    }
  }

  void SetError(Pos pos, std::string what) {
    if (!error_) error_ = ParseErrorAt(source_.file_name, pos, what).error();
  }

  // Rejects duplicate keys, then applies `<<` merge keys: explicit keys win, then earlier
  // merge sources win over later ones (YAML merge-key semantics, as js-yaml).
  void FinishMapping(YamlNode& map) {
    std::unordered_map<std::string, const YamlNode*> seen;
    std::vector<const YamlNode*> sources;
    std::vector<std::pair<const YamlNode*, const YamlNode*>> pairs;
    for (const auto& [key, value] : map.pairs) {
      auto [it, fresh] = seen.emplace(KeyId(*key), key);
      if (!fresh) {
        SetError(key->pos, "duplicate key " + Quote(key->value) + " (first at line " +
                               std::to_string(it->second->pos.line) +
                               "); remove or rename one of them");
      }
      if (!IsMergeKey(*key)) {
        pairs.emplace_back(key, value);
      } else if (!CollectMergeSources(*value, sources)) {
        SetError(value->pos, "the merge key << needs a mapping or a list of mappings");
      }
    }
    for (const YamlNode* source : sources) {
      if (source == &map) continue;  // `&a {<<: *a}` refers to itself
      for (const auto& pair : source->pairs) {
        if (seen.emplace(KeyId(*pair.first), pair.first).second) pairs.push_back(pair);
      }
    }
    map.pairs = std::move(pairs);
  }

  static bool CollectMergeSources(const YamlNode& value, std::vector<const YamlNode*>& out) {
    if (value.kind == YamlNode::Kind::kMapping) {
      out.push_back(&value);
      return true;
    }
    if (value.kind != YamlNode::Kind::kSequence) return false;
    for (const YamlNode* item : value.items) {
      if (item->kind != YamlNode::Kind::kMapping) return false;
      out.push_back(item);
    }
    return true;
  }

  YamlDocument& doc_;
  const YamlSource& source_;
  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, const YamlNode*> anchors_;
  std::optional<Error> error_;
  int documents_ = 0;
  Pos second_document_pos_;
};

// Runs the parser over at most two documents: the second one is only looked for.
void Parse(const YamlSource& source, TreeBuilder& builder) {
  std::istringstream in{std::string(source.text)};
  YAML::Parser parser(in);
  if (parser.HandleNextDocument(builder) && !builder.error()) parser.HandleNextDocument(builder);
}

}  // namespace

bool YamlNode::IsString() const {
  if (kind != Kind::kScalar) return false;
  if (tag == "!" || tag == kStrTag) return true;
  return tag == "?" && ResolvePlain(value) == ScalarType::kString;
}

std::string YamlNode::Describe() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kSequence:
      return "a list";
    case Kind::kMapping:
      return "a mapping";
    case Kind::kScalar:
      break;
  }
  if (IsString()) return "a string";
  if (tag == "?") return std::string(plan::Describe(ResolvePlain(value)));
  return "a value tagged " + tag;
}

const YamlNode* YamlNode::Find(std::string_view key) const {
  for (const auto& [k, v] : pairs) {
    if (k->kind == Kind::kScalar && k->value == key) return v;
  }
  return nullptr;
}

Result<YamlDocument> LoadYaml(const YamlSource& source) {
  YamlDocument doc;
  TreeBuilder builder(doc, source);
  try {
    Parse(source, builder);
  } catch (const YAML::ParserException& e) {
    return ParseErrorAt(source.file_name, builder.ToPos(e.mark), "invalid YAML: " + Explain(e.msg));
  } catch (const std::exception& e) {
    return ParseErrorAt(source.file_name, builder.EndPos(),
                        std::string("invalid YAML: ") + e.what());
  } catch (...) {
    return ParseErrorAt(source.file_name, builder.EndPos(), "invalid YAML");
  }
  if (builder.error()) return std::unexpected(std::move(*builder.error()));
  if (builder.documents() > 1) {
    return ParseErrorAt(source.file_name, builder.second_document_pos(),
                        "a second YAML document starts here; a plan holds exactly one");
  }
  return doc;
}

}  // namespace tg::plan
