// A YAML document as a small tree with file positions, loaded through libyaml's event API.
// yaml_tree.cc is the only file that talks to the YAML parser.
// Internal to src/plan.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "plan/location.h"

namespace tg::plan {

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };
  Kind kind = Kind::kNull;
  Pos pos;
  // "?" for plain scalars, "!" for quoted and block scalars, else an explicit tag.
  std::string tag;
  std::string value;                   // scalars only
  std::vector<const YamlNode*> items;  // sequences
  // Mappings, in file order, with `<<` merge keys already applied. Keys are unique.
  std::vector<std::pair<const YamlNode*, const YamlNode*>> pairs;
  // Nodes in this subtree with every alias expanded (a scalar is 1). Set once the node is
  // complete; aliases are charged this much against kMaxAliasNodes.
  size_t expanded = 0;

  bool IsString() const;
  // What this node holds, for messages: "a string", "a number", "a list", ...
  std::string Describe() const;
  // The value of `key` in a mapping, or nullptr.
  const YamlNode* Find(std::string_view key) const;
};

// Owns every node; aliases point at shared nodes, so the tree is a graph and is never walked
// recursively without a depth bound.
struct YamlDocument {
  std::deque<YamlNode> arena;
  const YamlNode* root = nullptr;  // nullptr when the text holds no document
};

// Where the YAML text sits in its file, to turn parser marks into file coordinates.
struct YamlSource {
  std::string_view text;
  std::string_view file_name;
  int first_line = 1;  // file line of the text's first line
};

// Aliases share nodes, so a small file can describe an enormous document (a "billion laughs"
// plan: 55 KB that once took 11 s and 4 GB to convert). Every alias reference is charged the
// expanded size of what it names; past this many nodes the file is refused. Real plans use
// aliases for a shared list or two, far below it.
inline constexpr size_t kMaxAliasNodes = 1'000'000;
// Collections nested deeper than this are refused: a plan needs about five levels, and every
// level costs memory even without aliases.
inline constexpr int kMaxYamlDepth = 64;

// Loads exactly one document. Syntax errors, duplicate keys in any mapping, bad merge keys,
// a second document, an alias inside the node it names, aliases expanding past
// kMaxAliasNodes and nesting past kMaxYamlDepth are kParseFailed errors located in the file.
Result<YamlDocument> LoadYaml(const YamlSource& source);

}  // namespace tg::plan
