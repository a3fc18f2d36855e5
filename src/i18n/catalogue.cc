#include "i18n/catalogue.h"

#include "core/text.h"

#include <algorithm>
#include <boost/locale.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace coproduce::i18n {
namespace {

const char kDomain[] = "coproduce";

bool is_language_code(const std::string& s) {
  if (s.size() < 2 || s.size() > 3) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// An Accept-Language item, trimmed and lower-cased ("cy-GB" is "cy-gb").
std::string lower_trimmed(std::string_view s) {
  std::string out = trim_copy(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string fill(std::string text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string tag = "{" + std::string(name) + "}";
    for (size_t at = text.find(tag); at != std::string::npos; at = text.find(tag, at + value.size())) {
      text.replace(at, tag.size(), value);
    }
  }
  return text;
}

std::string collapse_space(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

Catalogues::Catalogues() { languages_.push_back({std::string(kEnglish), "English"}); }

StatusOr<std::shared_ptr<const Catalogues>> Catalogues::load(const std::string& dir) {
  namespace fs = std::filesystem;
  auto out = std::make_shared<Catalogues>();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::shared_ptr<const Catalogues>(out);
  std::vector<std::string> codes;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string code = entry.path().filename().string();
    if (!is_language_code(code) || code == kEnglish) continue;
    if (fs::is_regular_file(entry.path() / "LC_MESSAGES" / (std::string(kDomain) + ".mo"))) codes.push_back(code);
  }
  if (ec) return Unavailable("could not read the message catalogues in " + dir + ": " + ec.message());
  std::sort(codes.begin(), codes.end());
  for (const auto& code : codes) {
    try {
      boost::locale::generator gen;
      gen.add_messages_path(dir);
      gen.add_messages_domain(kDomain);
      std::locale loc = gen(code + ".UTF-8");
      // Reading a message makes Boost.Locale load (and check) the catalogue now,
      // at start, not on the first page someone asks for.
      std::string name = boost::locale::translate("language name", "English").str(loc);
      out->languages_.push_back({code, name == "English" ? code : name});
      out->locales_.emplace(code, std::move(loc));
    } catch (const std::exception& e) {
      Location where;
      where.file = (fs::path(dir) / code / "LC_MESSAGES" / (std::string(kDomain) + ".mo")).string();
      return InvalidInput(std::string("the message catalogue could not be read: ") + e.what(), where);
    }
  }
  return std::shared_ptr<const Catalogues>(out);
}

bool Catalogues::has(std::string_view code) const {
  return std::any_of(languages_.begin(), languages_.end(), [&](const Language& l) { return l.code == code; });
}

std::string Catalogues::name(std::string_view code) const {
  for (const auto& l : languages_) {
    if (l.code == code) return l.name;
  }
  return std::string(code);
}

std::string Catalogues::text(std::string_view code, std::string_view english) const {
  auto it = locales_.find(code);
  if (it == locales_.end()) return std::string(english);
  return boost::locale::translate(std::string(english)).str(it->second);
}

std::string Catalogues::plural(std::string_view code, std::string_view singular, std::string_view plural_form,
                               long n) const {
  auto it = locales_.find(code);
  std::string form;
  if (it == locales_.end()) {
    form = std::string(n == 1 ? singular : plural_form);
  } else {
    form = boost::locale::translate(std::string(singular), std::string(plural_form), n).str(it->second);
  }
  return fill(std::move(form), {{"n", std::to_string(n)}});
}

std::string Catalogues::long_date(std::string_view code, const std::string& iso, bool weekday) const {
  auto it = locales_.find(code);
  if (it == locales_.end() || iso.size() < 10) return "";
  std::tm tm{};
  int y = 0, m = 0, d = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return "";
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = 12;
  const std::time_t t = timegm(&tm);
  std::ostringstream out;
  out.imbue(it->second);
  out << boost::locale::as::gmt << boost::locale::as::ftime(weekday ? "%A %e %B %Y" : "%e %B %Y") << t;
  return collapse_space(out.str());
}

std::string Catalogues::negotiate(std::string_view header) const {
  std::string best;
  double best_q = 0;
  size_t at = 0;
  while (at <= header.size()) {
    size_t comma = header.find(',', at);
    std::string_view item = header.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at);
    at = comma == std::string_view::npos ? header.size() + 1 : comma + 1;
    size_t semi = item.find(';');
    std::string tag = lower_trimmed(item.substr(0, semi));
    double q = 1.0;
    if (semi != std::string_view::npos) {
      std::string param = lower_trimmed(item.substr(semi + 1));
      if (param.rfind("q=", 0) == 0) {
        try {
          q = std::stod(param.substr(2));
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    std::string primary = tag.substr(0, tag.find('-'));
    if (q > best_q && has(primary)) {
      best = primary;
      best_q = q;
    }
  }
  return best;
}

namespace {
std::shared_ptr<const Catalogues>& installed_slot() {
  static std::shared_ptr<const Catalogues> slot = std::make_shared<const Catalogues>();
  return slot;
}
}  // namespace

void install(std::shared_ptr<const Catalogues> catalogues) {
  installed_slot() = catalogues ? std::move(catalogues) : std::make_shared<const Catalogues>();
}

std::shared_ptr<const Catalogues> installed() { return installed_slot(); }

}  // namespace coproduce::i18n
