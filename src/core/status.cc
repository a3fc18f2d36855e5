#include "core/status.h"

namespace coproduce {

std::string Location::to_string() const {
  std::string out = file;
  auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ", ";
    out += part;
  };
  if (line > 0) add("line " + std::to_string(line));
  if (column > 0) add("column " + std::to_string(column));
  if (!field.empty()) add(file.empty() && line == 0 ? "field " + field : "'" + field + "'");
  return out;
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  std::string w = where_.to_string();
  return w.empty() ? message_ : w + ": " + message_;
}

}  // namespace coproduce
