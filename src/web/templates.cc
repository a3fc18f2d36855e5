#include "web/templates.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace coproduce::web {
namespace {

namespace mus = kainjow::mustache;

mus::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mus::data d{mus::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mus::data d{mus::data::type::list};
      for (const auto& v : j) d.push_back(to_data(v));
      return d;
    }
    case nlohmann::json::value_t::string: return mus::data{j.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return mus::data{j.get<bool>() ? mus::data::type::bool_true : mus::data::type::bool_false};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return mus::data{std::to_string(j.get<long long>())};
    case nlohmann::json::value_t::number_float: {
      std::ostringstream out;
      out << j.get<double>();
      return mus::data{out.str()};
    }
    default: return mus::data{mus::data::type::bool_false};
  }
}

// Replaces each partial tag ({{> name}}) in `source` with the partial's own
// text, itself expanded, so a page is parsed once as a whole instead of
// each partial being parsed again every time it is shown. A partial that
// does not exist expands to nothing, as the renderer would show it. False,
// with `error` set, when partials include each other in a loop.
bool inline_partials(const std::string& source, const std::map<std::string, std::string>& partials,
                     std::vector<std::string>& within, std::string& out, std::string& error) {
  size_t at = 0;
  while (true) {
    size_t open = source.find("{{>", at);
    if (open == std::string::npos) break;
    size_t close = source.find("}}", open + 3);
    if (close == std::string::npos) break;  // the parser reports the unclosed tag
    std::string name = source.substr(open + 3, close - open - 3);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    out.append(source, at, open - at);
    at = close + 2;
    auto partial = partials.find(name);
    if (partial == partials.end()) continue;
    if (std::find(within.begin(), within.end(), name) != within.end()) {
      error = "the partial " + name + " includes itself";
      return false;
    }
    within.push_back(name);
    if (!inline_partials(partial->second, partials, within, out, error)) return false;
    within.pop_back();
  }
  out.append(source, at, std::string::npos);
  return true;
}

// Replaces each {{#t}}...{{/t}} section of `source` with its text in
// `language`. False, with `error` set, for a section inside another or one
// that holds a section.
bool translate_sections(const std::string& source, const i18n::Catalogues& catalogues, std::string_view language,
                        std::string& out, std::string& error) {
  static const std::string kOpen = "{{#t}}", kClose = "{{/t}}";
  size_t at = 0;
  while (true) {
    size_t open = source.find(kOpen, at);
    if (open == std::string::npos) break;
    size_t close = source.find(kClose, open + kOpen.size());
    if (close == std::string::npos) {
      error = "a {{#t}} section is not closed";
      return false;
    }
    std::string_view inner(source.data() + open + kOpen.size(), close - open - kOpen.size());
    if (inner.find("{{#") != std::string_view::npos || inner.find("{{^") != std::string_view::npos ||
        inner.find("{{/") != std::string_view::npos) {
      error = "a {{#t}} section holds another section: translate the words inside it instead (" +
              i18n::collapse_space(inner).substr(0, 60) + ")";
      return false;
    }
    out.append(source, at, open - at);
    out += catalogues.text(language, i18n::collapse_space(inner));
    at = close + kClose.size();
  }
  out.append(source, at, std::string::npos);
  return true;
}

// Every set gets its own number, so a thread's compiled templates are never
// mistaken for another set's (one made later at the same address).
std::atomic<uint64_t> next_set{1};

}  // namespace

TemplateSet::TemplateSet()
    : serial_(next_set.fetch_add(1)), catalogues_(std::make_shared<const i18n::Catalogues>()) {
  sources_[std::string(i18n::kEnglish)];
}

StatusOr<std::unique_ptr<TemplateSet>> TemplateSet::load(const std::string& dir,
                                                         std::shared_ptr<const i18n::Catalogues> catalogues) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Unavailable("the templates folder " + dir + " does not exist");
  auto set = std::make_unique<TemplateSet>();
  set->catalogues_ = catalogues ? std::move(catalogues) : std::make_shared<const i18n::Catalogues>();
  for (const auto& language : set->catalogues_->languages()) set->sources_[language.code];
  std::map<std::string, std::string> sources;  // by name, as written
  std::map<std::string, std::string> files;    // the file of each name, for messages
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string source = buf.str();
    mus::mustache check{source};
    if (!check.is_valid()) {
      Location where;
      where.file = entry.path().string();
      return InvalidInput("the template does not parse: " + check.error_message(), where);
    }
    std::string name = fs::relative(entry.path(), dir).replace_extension("").generic_string();
    sources[name] = source;
    files[name] = entry.path().string();
    if (entry.path().parent_path().filename() == "partials") set->partials_[entry.path().stem().string()] = source;
    if (source.find("{{#t}}") != std::string::npos) set->translated_.insert(name);
  }
  if (ec) return Unavailable("could not read the templates folder " + dir + ": " + ec.message());
  for (const auto& [name, source] : sources) {
    std::string whole, error;
    std::vector<std::string> within;
    Location where;
    where.file = files[name];
    if (!inline_partials(source, set->partials_, within, whole, error)) return InvalidInput(error, where);
    for (const auto& language : set->catalogues_->languages()) {
      std::string translated;
      if (!translate_sections(whole, *set->catalogues_, language.code, translated, error)) {
        return InvalidInput(error, where);
      }
      mus::mustache check{translated};
      if (!check.is_valid()) {
        return InvalidInput("the template with its partials does not parse in " + language.name + ": " +
                                check.error_message(),
                            where);
      }
      set->sources_[language.code][name] = std::move(translated);
    }
  }
  return set;
}

std::string TemplateSet::render(const std::string& name, const nlohmann::json& data, std::string_view language) const {
  auto in_language = sources_.find(language);
  if (in_language == sources_.end()) in_language = sources_.find(i18n::kEnglish);
  const auto& sources = in_language->second;
  auto it = sources.find(name);
  assert(it != sources.end() && "unknown template");
  if (it == sources.end()) return "";
  // kainjow's compiled templates keep state while rendering, so they are not
  // shared between threads: each thread compiles a template the first time
  // it shows it and keeps it (parsing on every request was most of a page's
  // cost). Partials are already inlined, so nothing is parsed after that.
  thread_local std::unordered_map<uint64_t, std::unordered_map<std::string, std::unique_ptr<mus::mustache>>> compiled;
  auto& mine = compiled[serial_];
  const std::string key = in_language->first + "/" + name;
  auto found = mine.find(key);
  if (found == mine.end()) found = mine.emplace(key, std::make_unique<mus::mustache>(it->second)).first;
  mus::data d = to_data(data.is_object() ? data : nlohmann::json::object());
  return found->second->render(d);
}

}  // namespace coproduce::web
