#include "mcp/arguments.h"

#include <fmt/format.h>

#include <cctype>
#include <limits>

namespace tg::mcp {

namespace {

// "task_id", "TaskID" and "task-id" all mean taskId to a model that half-remembers it.
std::string Folded(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view TypeName(const Json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

constexpr uint64_t kMaxInt = std::numeric_limits<int>::max();

bool Matches(const Json& v, std::string_view type) {
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "integer") return v.is_number_integer();  // unsigned counts as integer
  return true;
}

std::string Names(const Json& props) {
  std::string out;
  for (const auto& [k, _] : props.items()) out += (out.empty() ? "" : ", ") + k;
  return out;
}

}  // namespace

Status CheckArguments(std::string_view tool, const Json& schema, const Json& args) {
  const Json& props = schema["properties"];
  if (!args.is_object()) {
    return Fail(Code::kValidationFailed,
                fmt::format("{}: arguments must be an object, not {}", tool, TypeName(args)));
  }
  for (const auto& [name, value] : args.items()) {
    auto p = props.find(name);
    if (p == props.end()) {
      std::string hint;
      for (const auto& [known, _] : props.items()) {
        if (Folded(known) == Folded(name)) hint = fmt::format("; did you mean '{}'?", known);
      }
      return Fail(Code::kValidationFailed,
                  fmt::format("{}: unknown argument '{}'{} (arguments: {})", tool, name, hint,
                              Names(props)));
    }
    if (value.is_null()) continue;  // an explicit null is an absent optional argument
    auto type = p->find("type");
    if (type != p->end() && !Matches(value, type->get<std::string>())) {
      return Fail(Code::kValidationFailed,
                  fmt::format("{}: {} must be {}, not {}", tool, name,
                              type->get<std::string>() == "integer"   ? "an integer"
                              : type->get<std::string>() == "boolean" ? "a boolean"
                                                                      : "a string",
                              TypeName(value)));
    }
    if (value.is_number_integer()) {
      // Every integer argument is a count that fits an int; say so rather than wrap around.
      bool big = value.is_number_unsigned() ? value.get<uint64_t>() > kMaxInt
                                            : value.get<int64_t>() > static_cast<int64_t>(kMaxInt);
      if (big || value.get<int64_t>() < std::numeric_limits<int>::min()) {
        return Fail(Code::kValidationFailed, fmt::format("{}: {} is out of range", tool, name));
      }
      auto min = p->find("minimum");
      if (min != p->end() && value.get<int64_t>() < min->get<int64_t>()) {
        return Fail(Code::kValidationFailed,
                    fmt::format("{}: {} must be at least {}", tool, name, min->get<int64_t>()));
      }
    }
  }
  if (auto req = schema.find("required"); req != schema.end()) {
    for (const auto& r : *req) {
      auto it = args.find(r.get<std::string>());
      if (it == args.end() || it->is_null()) {
        return Fail(Code::kValidationFailed,
                    fmt::format("{}: {} is required", tool, r.get<std::string>()));
      }
    }
  }
  return Ok();
}

std::optional<std::string> String(const Json& args, std::string_view name) {
  auto it = args.find(std::string(name));
  if (it == args.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool Flag(const Json& args, std::string_view name) {
  auto it = args.find(std::string(name));
  return it != args.end() && it->is_boolean() && it->get<bool>();
}

std::optional<int> Integer(const Json& args, std::string_view name) {
  auto it = args.find(std::string(name));
  if (it == args.end() || !it->is_number_integer()) return std::nullopt;
  return static_cast<int>(it->get<int64_t>());
}

}  // namespace tg::mcp
