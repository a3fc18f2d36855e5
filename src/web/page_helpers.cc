#include "web/page_helpers.h"

#include <algorithm>

namespace coproduce::web {

nlohmann::json text_field(const TextFieldSpec& s, const std::string& value, const std::string& error) {
  nlohmann::json f = {{"name", s.name}, {"label", s.label}, {"value", value}, {"type", s.type},
                      {"textarea", s.textarea}, {"autocomplete", "off"}};
  if (*s.hint) f["hint"] = s.hint;
  if (*s.width) f["width"] = s.width;
  if (!error.empty()) f["error"] = error;
  return f;
}

nlohmann::json choice_group(const std::string& name, const std::string& legend, const std::string& hint, bool radios,
                            const std::vector<std::pair<std::string, std::string>>& options,
                            const std::vector<std::string>& picked, const std::string& error) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [value, label] : options) {
    list.push_back({{"value", value}, {"label", label},
                    {"checked", std::find(picked.begin(), picked.end(), value) != picked.end()}});
  }
  nlohmann::json g = {{"name", name}, {"legend", legend}, {"radios", radios}, {"options", list}};
  if (!hint.empty()) g["hint"] = hint;
  if (!error.empty()) g["error"] = error;
  return g;
}

std::optional<int64_t> id_param(const Context& ctx, const std::string& name) {
  const std::string text = ctx.param(name);
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

}  // namespace coproduce::web
