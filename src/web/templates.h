// Page templates: Mustache files under templates/, read once at start with
// their partials written in, and compiled once per thread.
//
// Values are HTML-escaped unless a template asks for raw output with triple
// braces, which the project keeps for the rendered page body only.
#ifndef COPRODUCE_WEB_TEMPLATES_H_
#define COPRODUCE_WEB_TEMPLATES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace coproduce::web {

class TemplateSet {
 public:
  TemplateSet();

  // Loads every *.mustache file under `dir`; the name of templates/admin/users.mustache
  // is "admin/users", and files in templates/partials/ are also partials by their
  // base name ({{> error_summary}}). Fails naming the file of a template that does not parse.
  static StatusOr<std::unique_ptr<TemplateSet>> load(const std::string& dir);

  // Renders template `name` with `data` (objects, arrays, strings, numbers,
  // booleans; null is false). Thread-safe. Unknown names are a programmer error.
  std::string render(const std::string& name, const nlohmann::json& data) const;
  bool has(const std::string& name) const { return sources_.count(name) > 0; }

 private:
  uint64_t serial_;
  std::map<std::string, std::string> sources_;   // with partials inlined
  std::map<std::string, std::string> partials_;  // as written
};

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_TEMPLATES_H_
