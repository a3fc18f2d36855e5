// Page templates: Mustache files under templates/, read once at start with
// their partials written in, and compiled once per thread.
//
// Values are HTML-escaped unless a template asks for raw output with triple
// braces, which the project keeps for the rendered page body only.
//
// Words a person reads are marked {{#t}}...{{/t}} in the templates of pages
// offered in other languages. At load each such section is replaced by its
// translation from the message catalogues (looked up by its text with spaces
// collapsed), once per language, so a page costs no more to show in Welsh
// than in English. A section may hold {{variables}}, never other sections.
#ifndef COPRODUCE_WEB_TEMPLATES_H_
#define COPRODUCE_WEB_TEMPLATES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "i18n/catalogue.h"

namespace coproduce::web {

class TemplateSet {
 public:
  TemplateSet();

  // Loads every *.mustache file under `dir`; the name of templates/admin/users.mustache
  // is "admin/users", and files in templates/partials/ are also partials by their
  // base name ({{> error_summary}}). Fails naming the file of a template that does not
  // parse. Pages are prepared in every language of `catalogues` (English alone when null).
  static StatusOr<std::unique_ptr<TemplateSet>> load(const std::string& dir,
                                                     std::shared_ptr<const i18n::Catalogues> catalogues = nullptr);

  // Renders template `name` in `language` with `data` (objects, arrays, strings,
  // numbers, booleans; null is false). A language the set was not prepared in
  // gives English. Thread-safe. Unknown names are a programmer error.
  std::string render(const std::string& name, const nlohmann::json& data,
                     std::string_view language = i18n::kEnglish) const;
  bool has(const std::string& name) const { return english().count(name) > 0; }
  // The page's own template (not counting its partials) marks its words for
  // translation: it can be shown in every language the catalogues have.
  bool translated(const std::string& name) const { return translated_.count(name) > 0; }
  const i18n::Catalogues& catalogues() const { return *catalogues_; }

 private:
  const std::map<std::string, std::string>& english() const { return sources_.at(std::string(i18n::kEnglish)); }

  uint64_t serial_;
  std::shared_ptr<const i18n::Catalogues> catalogues_;
  // By language, then name: with partials inlined and {{#t}} sections translated.
  std::map<std::string, std::map<std::string, std::string>, std::less<>> sources_;
  std::map<std::string, std::string> partials_;  // as written
  std::set<std::string> translated_;
};

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_TEMPLATES_H_
