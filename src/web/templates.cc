#include "web/templates.h"

#include <cassert>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

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

}  // namespace

StatusOr<std::unique_ptr<TemplateSet>> TemplateSet::load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Unavailable("the templates folder " + dir + " does not exist");
  auto set = std::make_unique<TemplateSet>();
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
    set->sources_[name] = source;
    if (entry.path().parent_path().filename() == "partials") {
      set->partials_[entry.path().stem().string()] = source;
    }
  }
  if (ec) return Unavailable("could not read the templates folder " + dir + ": " + ec.message());
  return set;
}

std::string TemplateSet::render(const std::string& name, const nlohmann::json& data) const {
  auto it = sources_.find(name);
  assert(it != sources_.end() && "unknown template");
  if (it == sources_.end()) return "";
  // kainjow's compiled templates are not safe to share between threads, so
  // each render compiles its own; the source is small and this is cheap
  // next to the database work behind a page.
  mus::mustache tmpl{it->second};
  mus::data d = to_data(data.is_object() ? data : nlohmann::json::object());
  for (const auto& [pname, psource] : partials_) {
    const std::string* text = &psource;
    d.set(pname, mus::partial{[text] { return *text; }});
  }
  return tmpl.render(d);
}

}  // namespace coproduce::web
