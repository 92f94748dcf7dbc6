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

// Loads exactly one document. Syntax errors, duplicate keys in any mapping, bad merge keys
// and a second document are kParseFailed errors located in the file.
Result<YamlDocument> LoadYaml(const YamlSource& source);

}  // namespace tg::plan
