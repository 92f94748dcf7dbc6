// Builds a YamlDocument from libyaml's parser events. This is the one place that calls a YAML
// parser. The event API keeps every pair of a mapping, so duplicate keys can be reported.
// libyaml (C, from Debian) replaced yaml-cpp here: its scanner was 80% of reading a large plan
// (1.2 s of a 100,000-todo import), libyaml's a small fraction of that.
#include "plan/yaml_tree.h"

#include <yaml.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>

#include "core/strings.h"
#include "plan/scalar.h"
#include "plan/text.h"

namespace tg::plan {
namespace {

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

// Identity of a mapping key for duplicate detection: scalars by text (as js-yaml, which
// compares keys as strings), complex keys by node.
std::string KeyId(const YamlNode& key) {
  if (key.kind == YamlNode::Kind::kScalar) return Cat({"s", key.value});
  if (key.kind == YamlNode::Kind::kNull) return "n";
  return Cat({"p", std::to_string(reinterpret_cast<std::uintptr_t>(&key))});
}

// libyaml's messages name the grammar; the hint names what usually causes each in a plan file.
std::string Explain(std::string_view problem, std::string_view context) {
  struct Hint {
    std::string_view problem, context, hint;
  };
  static constexpr Hint kHints[] = {
      {"found unexpected end of stream", "while scanning a quoted scalar",
       "a quoted string is not closed"},
      {"mapping values are not allowed in this context", "",
       "a value containing \": \" must be quoted"},
      {"found character that cannot start any token", "",
       "check the indentation; tabs cannot indent YAML, and a value starting with @ or ` must "
       "be quoted"},
      {"did not find expected key", "", "check this line's indentation against the lines above"},
      {"did not find expected '-' indicator", "",
       "check this line's indentation against the lines above"},
      {"did not find expected node content", "",
       "check this line's indentation against the lines above"},
      {"found a tab character that violates indentation", "", "tabs cannot indent YAML"},
      {"found a tab character where an indentation space is expected", "",
       "tabs cannot indent YAML"},
      {"could not find expected ':'", "", "a key must be followed by \": \""},
      {"did not find expected comment or line break", "while scanning a block scalar",
       "every line of a | or > block must be indented more than its key"},
      {"did not find expected comment or line break", "",
       "unexpected text after the value on this line; quote the whole value"},
  };
  std::string out(problem);
  for (const auto& h : kHints) {
    if (h.problem == problem && (h.context.empty() || h.context == context)) {
      return out + " (" + std::string(h.hint) + ")";
    }
  }
  return out;
}

bool IsMergeKey(const YamlNode& key) {
  return key.kind == YamlNode::Kind::kScalar && key.tag == "?" && key.value == "<<";
}

std::string TagOf(const yaml_char_t* tag, std::string_view untagged) {
  return tag ? std::string(reinterpret_cast<const char*>(tag)) : std::string(untagged);
}

class TreeBuilder {
 public:
  TreeBuilder(YamlDocument& doc, const YamlSource& source) : doc_(doc), source_(source) {}

  std::optional<Error>& error() { return error_; }

  Pos ToPos(const yaml_mark_t& mark) const {
    return Pos{source_.first_line + static_cast<int>(mark.line), static_cast<int>(mark.column) + 1};
  }

  // Handles one event; false once the text holds nothing more this loader wants.
  bool On(const yaml_event_t& ev) {
    switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents_ == 2) {
          SetError(ToPos(ev.start_mark),
                   "a second YAML document starts here; a plan holds exactly one");
          return false;
        }
        return true;
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
        if (it == anchors_.end()) {
          Add(Leaf(New(YamlNode::Kind::kNull, ev.start_mark, "", nullptr)));
          return true;
        }
        const YamlNode* target = it->second;
        if (target->expanded == 0) {
          SetError(ToPos(ev.start_mark),
                   "this alias names a node that contains it; a plan cannot refer to itself");
          return false;
        }
        alias_nodes_ += target->expanded;
        if (alias_nodes_ > kMaxAliasNodes) {
          SetError(ToPos(ev.start_mark),
                   "aliases (*name) expand this document past " + std::to_string(kMaxAliasNodes) +
                       " nodes; write the plan out instead of repeating aliases");
          return false;
        }
        Add(target);
        return true;
      }
      case YAML_SCALAR_EVENT: {
        const auto& sc = ev.data.scalar;
        bool plain = sc.style == YAML_PLAIN_SCALAR_STYLE;
        // An empty node (`key:` with nothing after it) and the plain null spellings are null,
        // as in every YAML 1.2 core-schema loader.
        std::string_view text(reinterpret_cast<const char*>(sc.value), sc.length);
        if (plain && !sc.tag &&
            (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")) {
          Add(Leaf(New(YamlNode::Kind::kNull, ev.start_mark, "", sc.anchor)));
          return true;
        }
        YamlNode* node = New(YamlNode::Kind::kScalar, ev.start_mark,
                             TagOf(sc.tag, plain ? "?" : "!"), sc.anchor);
        node->value.assign(reinterpret_cast<const char*>(sc.value), sc.length);
        Add(Leaf(node));
        return true;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (open_.size() >= size_t(kMaxYamlDepth)) {
          SetError(ToPos(ev.start_mark), "lists and mappings nest more than " +
                                             std::to_string(kMaxYamlDepth) +
                                             " levels deep here; a plan needs a handful");
          return false;
        }
        bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
        open_.push_back(
            {New(seq ? YamlNode::Kind::kSequence : YamlNode::Kind::kMapping, ev.start_mark,
                 TagOf(seq ? ev.data.sequence_start.tag : ev.data.mapping_start.tag, "?"),
                 seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor),
             nullptr});
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
        Close();
        return true;
      case YAML_MAPPING_END_EVENT:
        FinishMapping(*open_.back().node);
        Close();
        return true;
      case YAML_STREAM_END_EVENT:
        return false;
      default:
        return true;
    }
  }

 private:
  struct Open {
    YamlNode* node;
    const YamlNode* pending_key;  // mappings: the key waiting for its value
  };

  YamlNode* New(YamlNode::Kind kind, const yaml_mark_t& mark, std::string tag,
                const yaml_char_t* anchor) {
    YamlNode& node = doc_.arena.emplace_back();
    node.kind = kind;
    node.pos = ToPos(mark);
    node.tag = std::move(tag);
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = &node;
    return &node;
  }

  static YamlNode* Leaf(YamlNode* node) {
    node->expanded = 1;
    return node;
  }

  // A finished collection: its expanded size is known now (merged pairs included).
  void Close() {
    YamlNode* node = open_.back().node;
    open_.pop_back();
    size_t n = 1;
    for (const YamlNode* item : node->items) n += item->expanded;
    for (const auto& [k, v] : node->pairs) n += k->expanded + v->expanded;
    node->expanded = n;
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
  std::unordered_map<std::string, const YamlNode*> anchors_;
  std::optional<Error> error_;
  int documents_ = 0;
  size_t alias_nodes_ = 0;  // nodes added by alias references so far
};

struct Parser {
  yaml_parser_t p;
  Parser() { yaml_parser_initialize(&p); }
  ~Parser() { yaml_parser_delete(&p); }
};

struct Event {
  yaml_event_t e;
  ~Event() { yaml_event_delete(&e); }
};

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
  Parser parser;
  yaml_parser_set_input_string(
      &parser.p, reinterpret_cast<const unsigned char*>(source.text.data()), source.text.size());
  for (;;) {
    Event ev;
    if (!yaml_parser_parse(&parser.p, &ev.e)) {
      const yaml_parser_t& p = parser.p;
      std::string_view problem = p.problem ? p.problem : "malformed text";
      std::string_view context = p.context ? p.context : "";
      if (problem == "did not find expected <document start>") {
        // Text after a "..." end marker: another document.
        return ParseErrorAt(source.file_name, builder.ToPos(p.problem_mark),
                            "a second YAML document starts here; a plan holds exactly one");
      }
      return ParseErrorAt(source.file_name, builder.ToPos(p.problem_mark),
                          "invalid YAML: " + Explain(problem, context));
    }
    if (!builder.On(ev.e) || builder.error()) break;
  }
  if (builder.error()) return std::unexpected(std::move(*builder.error()));
  return doc;
}

}  // namespace tg::plan
