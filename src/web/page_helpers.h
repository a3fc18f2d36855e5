// Small builders shared by the handlers of several areas: the data the
// text_field and choices partials expect, and reading a numeric {id}.
#ifndef COPRODUCE_WEB_PAGE_HELPERS_H_
#define COPRODUCE_WEB_PAGE_HELPERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/application.h"

namespace coproduce::web {

struct TextFieldSpec {
  const char* name;
  const char* label;
  const char* type = "text";
  const char* hint = "";
  bool textarea = false;
  const char* width = "";
};

// Data for partials/text_field.mustache; `error` may be empty.
nlohmann::json text_field(const TextFieldSpec& spec, const std::string& value, const std::string& error = "");

// Data for partials/choices.mustache. `options` are (value, label) pairs.
nlohmann::json choice_group(const std::string& name, const std::string& legend, const std::string& hint, bool radios,
                            const std::vector<std::pair<std::string, std::string>>& options,
                            const std::vector<std::string>& picked, const std::string& error = "");

// The path parameter `name` as a positive whole number, or nullopt.
std::optional<int64_t> id_param(const Context& ctx, const std::string& name = "id");

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_PAGE_HELPERS_H_
