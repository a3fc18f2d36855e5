#include "library/case_study.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "core/dates.h"
#include "core/text.h"
#include "involvement/groups.h"
#include "library/vocab.h"

namespace coproduce::library {

namespace {

using nlohmann::json;

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxSummary = 600;
constexpr size_t kMaxSection = 20000;
constexpr size_t kMaxAreaOfCare = 200;
constexpr size_t kMaxContact = 300;
constexpr size_t kMaxImages = 20;
constexpr size_t kMaxUrl = 2000;
constexpr size_t kMaxAlt = 500;
constexpr size_t kMaxConsents = 500;
constexpr size_t kMaxConsentWho = 200;
constexpr size_t kMaxConsentHow = 500;
constexpr int kMaxPeople = 100000;

const char* const kRequiredSections[] = {"need", "together", "changed"};

// Field names carry the list index as the JSON holds it, from 0; messages
// count from 1, the way a person reads them.
std::string at(const std::string& list, size_t i) { return list + "." + std::to_string(i); }
std::string nth(size_t i) { return std::to_string(i + 1); }

std::string with_commas(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}
std::string uncapitalised(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

bool is_section(const std::string& key) {
  const auto& s = story_sections();
  return std::any_of(s.begin(), s.end(), [&](const auto& p) { return p.first == key; });
}

std::string heading_of(const std::string& key) {
  for (const auto& [k, heading] : story_sections())
    if (k == key) return heading;
  return key;
}

bool known(const std::vector<std::pair<std::string, std::string>>& choices, const std::string& code) {
  return std::any_of(choices.begin(), choices.end(), [&](const auto& p) { return p.first == code; });
}

std::string label_of(const std::vector<std::pair<std::string, std::string>>& choices, const std::string& code) {
  for (const auto& [c, label] : choices)
    if (c == code) return label;
  return "";
}

// Adds an error when `text` is too long, or blank and `required`.
void check_text(std::vector<FieldError>& errors, const std::string& field, const std::string& text,
                const std::string& what, size_t max, bool required) {
  if (trim_copy(text).empty()) {
    if (required) errors.push_back({field, "Enter " + what, Problem::kMissing});
  } else if (utf8_length(text) > max) {
    errors.push_back(
        {field, capitalised(what) + " must be " + with_commas(max) + " characters or fewer", Problem::kTooLong});
  }
}

// A picture in Markdown with no words for people who cannot see it:
// "![](photo.jpg)" or "![  ][ref]". Only inline images are looked at.
bool has_image_without_alt(std::string_view markdown) {
  for (size_t i = markdown.find("!["); i != std::string_view::npos; i = markdown.find("![", i + 2)) {
    size_t close = markdown.find(']', i + 2);
    if (close == std::string_view::npos) return false;
    bool image = close + 1 < markdown.size() && (markdown[close + 1] == '(' || markdown[close + 1] == '[');
    if (image && trim_copy(markdown.substr(i + 2, close - i - 2)).empty()) return true;
  }
  return false;
}

void check_markdown_images(std::vector<FieldError>& errors, const std::string& field, const std::string& markdown,
                           const std::string& where) {
  if (has_image_without_alt(markdown)) {
    errors.push_back({field, "Every picture in " + where + " needs words saying what it shows (alt text)",
                      Problem::kMissing});
  }
}

// An absolute http or https address with a host and nothing a page could
// mistake for the end of an attribute.
bool is_web_address(std::string_view url) {
  std::string lower;
  for (char c : url.substr(0, 8)) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  size_t start = lower.rfind("https://", 0) == 0 ? 8 : lower.rfind("http://", 0) == 0 ? 7 : 0;
  if (start == 0 || url.size() <= start || url[start] == '/') return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`';
  });
}

void check_people(std::vector<FieldError>& errors, const char* key, int n, const std::string& who) {
  if (n < 0 || n > kMaxPeople) {
    errors.push_back({std::string("people.") + key,
                      "The number of " + who + " must be from 0 to " + with_commas(kMaxPeople),
                      Problem::kOutOfRange});
  }
}

// ---- Reading JSON --------------------------------------------------------

// Reads keys of one JSON object into a case study, noting shape problems.
class Reader {
 public:
  Reader(std::vector<FieldError>& errors, std::set<std::string>& bad) : errors_(errors), bad_(bad) {}

  void shape(const std::string& field, std::string message, Problem kind = Problem::kInvalid) {
    errors_.push_back({field, std::move(message), kind});
    bad_.insert(field);
  }

  // A text value (absent or null: left as it is).
  void text(const json& obj, const std::string& key, const std::string& field, std::string& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_string()) return shape(field, "'" + field + "' must be text");
    out = it->get<std::string>();
  }

  // A whole number; one too big for an int is kept as INT_MAX (or INT_MIN)
  // so validate() reports it with the field's own limits.
  void whole(const json& obj, const std::string& key, const std::string& field, int& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return;
    if (it->is_number_unsigned()) {
      auto n = it->get<unsigned long long>();
      out = n > static_cast<unsigned long long>(INT_MAX) ? INT_MAX : static_cast<int>(n);
    } else if (it->is_number_integer()) {
      out = static_cast<int>(std::clamp<long long>(it->get<long long>(), INT_MIN, INT_MAX));
    } else {
      shape(field, "'" + field + "' must be a whole number");
    }
  }

  // The list under `key`, or null when absent, null or not a list.
  const json* list(const json& obj, const std::string& key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    if (!it->is_array()) {
      shape(key, "'" + key + "' must be a list [...]");
      return nullptr;
    }
    return &*it;
  }

  // The object under `key` with only `allowed` keys, or null when absent,
  // null or not an object.
  const json* object(const json& v, const std::string& field, std::initializer_list<const char*> allowed) {
    if (v.is_null()) return nullptr;
    if (!v.is_object()) {
      shape(field, "'" + field + "' must be an object {...}");
      return nullptr;
    }
    if (allowed.size() > 0) {
      for (const auto& item : v.items()) {
        const std::string& k = item.key();
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }))
          shape(field + "." + k, "'" + k + "' is not one of the keys of '" + field + "'");
      }
    }
    return &v;
  }

 private:
  std::vector<FieldError>& errors_;
  std::set<std::string>& bad_;
};

bool under(const std::string& field, const std::set<std::string>& bad) {
  for (const auto& b : bad) {
    if (field == b || (field.size() > b.size() && field.compare(0, b.size(), b) == 0 && field[b.size()] == '.'))
      return true;
  }
  return false;
}

// ---- Plain text for search ----------------------------------------------

// Markdown with link targets, image addresses and emphasis marks taken out.
void append_plain(std::string& out, std::string_view md) {
  if (trim_copy(md).empty()) return;
  if (!out.empty()) out += '\n';
  for (size_t i = 0; i < md.size(); ++i) {
    char c = md[i];
    if (c == ']' && i + 1 < md.size() && md[i + 1] == '(') {
      size_t close = md.find(')', i + 2);
      if (close != std::string_view::npos) {  // "[text](url)": keep the text only
        i = close;
        continue;
      }
    }
    if (c == '!' && i + 1 < md.size() && md[i + 1] == '[') continue;
    if (c == '#' || c == '*' || c == '_' || c == '`' || c == '>' || c == '[' || c == ']' || c == '~' || c == '|' ||
        c == '<')
      continue;
    out += c;
  }
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& story_sections() {
  static const std::vector<std::pair<std::string, std::string>> k = {
      {"need", "What needed to change"},
      {"who", "Who was involved and how they were found"},
      {"together", "What was done together"},
      {"changed", "What changed as a result"},
      {"cost", "What it cost"},
      {"learned", "What we learned"},
  };
  return k;
}

bool is_unwritten_story_part(const FieldError& e) {
  return e.kind == Problem::kMissing &&
         std::any_of(std::begin(kRequiredSections), std::end(kRequiredSections),
                     [&](const char* key) { return e.field == std::string("story.") + key; });
}

std::vector<FieldError> validate_draft(const CaseStudyInput& s) {
  std::vector<FieldError> errors = validate(s);
  std::erase_if(errors, is_unwritten_story_part);
  return errors;
}

std::vector<Section> story_from_markdown(const std::string& markdown) {
  std::vector<Section> parts;
  std::string key = "together";
  std::string text;
  auto flush = [&] {
    std::string t = trim_copy(text);
    if (t.empty()) return;
    auto it = std::find_if(parts.begin(), parts.end(), [&](const Section& x) { return x.key == key; });
    if (it == parts.end()) parts.push_back({key, t});
    else it->markdown += "\n\n" + t;
  };
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) {
      std::string heading = trim_copy(line.substr(3));
      std::string lower = heading;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto match = std::find_if(story_sections().begin(), story_sections().end(), [&](const auto& kv) {
        std::string h = kv.second;
        for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return h == lower;
      });
      if (match != story_sections().end()) {
        flush();
        key = match->first;
        text.clear();
        continue;
      }
    }
    text += line + "\n";
  }
  flush();
  std::vector<Section> ordered;
  for (const auto& [k, heading] : story_sections())
    for (const auto& p : parts)
      if (p.key == k) ordered.push_back(p);
  return ordered;
}

std::vector<FieldError> validate(const CaseStudyInput& s) {
  std::vector<FieldError> errors;
  check_text(errors, "title", s.title, "the title", kMaxTitle, true);
  check_text(errors, "summary", s.summary, "the summary", kMaxSummary, true);

  std::set<std::string> seen;
  for (const auto& section : s.story) {
    std::string field = "story." + section.key;
    if (!is_section(section.key)) {
      errors.push_back({section.key.empty() ? "story" : field,
                        "'" + section.key + "' is not a part of the story", Problem::kUnknownCode});
      continue;
    }
    if (!seen.insert(section.key).second) {
      errors.push_back({field, "'" + heading_of(section.key) + "' is given more than once", Problem::kDuplicate});
      continue;
    }
    check_text(errors, field, section.markdown, "'" + heading_of(section.key) + "'", kMaxSection, false);
    check_markdown_images(errors, field, section.markdown, "'" + heading_of(section.key) + "'");
  }
  for (const char* key : kRequiredSections) {
    auto it = std::find_if(s.story.begin(), s.story.end(), [&](const Section& x) { return x.key == key; });
    if (it == s.story.end() || trim_copy(it->markdown).empty())
      errors.push_back({std::string("story.") + key, "Enter " + uncapitalised(heading_of(key)), Problem::kMissing});
  }

  if (s.setting.empty()) {
    errors.push_back({"setting", "Select where it happened", Problem::kMissing});
  } else if (!known(settings(), s.setting)) {
    errors.push_back({"setting", "'" + s.setting + "' is not a setting", Problem::kUnknownCode});
  }
  check_text(errors, "area_of_care", s.area_of_care, "the area of care", kMaxAreaOfCare, false);
  if (s.rung.empty()) {
    errors.push_back({"rung", "Select the rung of the ladder of co-production it reached", Problem::kMissing});
  } else if (!known(involvement::ladder_rungs(), s.rung)) {
    errors.push_back({"rung", "'" + s.rung + "' is not a rung of the ladder of co-production", Problem::kUnknownCode});
  }
  std::set<std::string> principles_seen;
  for (const auto& code : s.principles) {
    if (!known(principles(), code)) {
      errors.push_back({"principles", "'" + code + "' is not one of the principles", Problem::kUnknownCode});
    } else if (!principles_seen.insert(code).second) {
      errors.push_back({"principles", "'" + label_of(principles(), code) + "' is chosen more than once",
                        Problem::kDuplicate});
    }
  }

  check_people(errors, "lived_experience", s.people.lived_experience, "people with lived experience");
  check_people(errors, "carers", s.people.carers, "carers");
  check_people(errors, "staff", s.people.staff, "staff");

  check_text(errors, "outcomes", s.outcomes, "the outcomes", kMaxSection, false);
  check_markdown_images(errors, "outcomes", s.outcomes, "the outcomes");
  check_text(errors, "contact", s.contact, "the contact", kMaxContact, false);
  check_text(errors, "easy_read", s.easy_read, "the Easy Read version", kMaxSection, false);
  check_markdown_images(errors, "easy_read", s.easy_read, "the Easy Read version");

  if (s.images.size() > kMaxImages) {
    errors.push_back({"images", "A case study can have at most " + std::to_string(kMaxImages) + " images",
                      Problem::kTooLong});
  }
  for (size_t i = 0; i < s.images.size(); ++i) {
    const Image& image = s.images[i];
    std::string field = at("images", i);
    if (trim_copy(image.url).empty()) {
      errors.push_back({field + ".url", "Enter the address of image " + nth(i), Problem::kMissing});
    } else if (image.url.size() > kMaxUrl) {
      errors.push_back({field + ".url", "The address of image " + nth(i) + " must be " + with_commas(kMaxUrl) +
                                            " characters or fewer",
                        Problem::kTooLong});
    } else if (!is_web_address(image.url)) {
      errors.push_back({field + ".url", "The address of image " + nth(i) + " must start with https:// or http://",
                        Problem::kInvalid});
    }
    check_text(errors, field + ".alt", image.alt, "what image " + nth(i) + " shows, for people who cannot see it",
               kMaxAlt, true);
  }

  if (s.consents.size() > kMaxConsents) {
    errors.push_back({"consents", "A case study can have at most " + std::to_string(kMaxConsents) +
                                      " consent records",
                      Problem::kTooLong});
  }
  if (s.consents.size() < s.images.size()) {
    errors.push_back({"consents",
                      "Record the consent of the people in every image: there " +
                          std::string(s.images.size() == 1 ? "is 1 image" : "are " + std::to_string(s.images.size()) +
                                                                                " images") +
                          " and " + std::to_string(s.consents.size()) + " consent record" +
                          (s.consents.size() == 1 ? "" : "s"),
                      Problem::kMissing});
  }
  for (size_t i = 0; i < s.consents.size(); ++i) {
    const ConsentRecord& c = s.consents[i];
    std::string field = at("consents", i);
    check_text(errors, field + ".who", c.who, "who gave consent " + nth(i), kMaxConsentWho, true);
    if (trim_copy(c.given_on).empty()) {
      errors.push_back({field + ".given_on", "Enter the date consent " + nth(i) + " was given", Problem::kMissing});
    } else if (!is_date(c.given_on)) {
      errors.push_back({field + ".given_on",
                        "The date consent " + nth(i) + " was given must be a real date, like 2026-03-27",
                        Problem::kNotADate});
    }
    check_text(errors, field + ".how", c.how, "how consent " + nth(i) + " was given", kMaxConsentHow, true);
  }
  return errors;
}

json case_study_json(const CaseStudyInput& s) {
  json story = json::object();
  for (const auto& section : s.story)
    if (!section.markdown.empty()) story[section.key] = section.markdown;
  json images = json::array();
  for (const auto& image : s.images) images.push_back({{"url", image.url}, {"alt", image.alt}});
  json consents = json::array();
  for (const auto& c : s.consents) consents.push_back({{"who", c.who}, {"given_on", c.given_on}, {"how", c.how}});
  return {
      {"title", s.title},
      {"summary", s.summary},
      {"story", std::move(story)},
      {"setting", s.setting},
      {"area_of_care", s.area_of_care},
      {"rung", s.rung},
      {"principles", s.principles},
      {"people",
       {{"lived_experience", s.people.lived_experience}, {"carers", s.people.carers}, {"staff", s.people.staff}}},
      {"outcomes", s.outcomes},
      {"contact", s.contact},
      {"easy_read", s.easy_read},
      {"images", std::move(images)},
      {"consents", std::move(consents)},
  };
}

CaseStudyInput case_study_from_json(const json& j, std::vector<FieldError>* errors) {
  assert(errors != nullptr);
  CaseStudyInput s;
  if (!j.is_object()) {
    errors->push_back({"", "A case study must be a JSON object {...}", Problem::kInvalid});
    return s;
  }
  std::set<std::string> bad;
  Reader r(*errors, bad);
  static const char* const kKeys[] = {"title",    "summary",  "story",     "setting", "area_of_care",
                                      "rung",     "principles", "people",  "outcomes", "contact",
                                      "easy_read", "images",  "consents"};
  for (const auto& item : j.items()) {
    const std::string& k = item.key();
    if (std::none_of(std::begin(kKeys), std::end(kKeys), [&](const char* a) { return k == a; }))
      r.shape(k, "'" + k + "' is not one of the keys of a case study");
  }
  r.text(j, "title", "title", s.title);
  r.text(j, "summary", "summary", s.summary);
  if (auto it = j.find("story"); it != j.end()) {
    if (const json* story = r.object(*it, "story", {})) {
      std::map<std::string, std::string> parts;
      for (const auto& [k, v] : story->items()) {
        if (!is_section(k)) {
          r.shape("story." + k, "'" + k + "' is not a part of the story", Problem::kUnknownCode);
        } else {
          r.text(*story, k, "story." + k, parts[k]);
        }
      }
      for (const auto& [key, heading] : story_sections()) {
        if (auto p = parts.find(key); p != parts.end() && !p->second.empty()) s.story.push_back({key, p->second});
      }
    }
  }
  r.text(j, "setting", "setting", s.setting);
  r.text(j, "area_of_care", "area_of_care", s.area_of_care);
  r.text(j, "rung", "rung", s.rung);
  if (const json* list = r.list(j, "principles")) {
    for (size_t i = 0; i < list->size(); ++i) {
      if (!(*list)[i].is_string()) {
        r.shape("principles", "Each of the 'principles' must be text");
        break;
      }
      s.principles.push_back((*list)[i].get<std::string>());
    }
  }
  if (auto it = j.find("people"); it != j.end()) {
    if (const json* p = r.object(*it, "people", {"lived_experience", "carers", "staff"})) {
      r.whole(*p, "lived_experience", "people.lived_experience", s.people.lived_experience);
      r.whole(*p, "carers", "people.carers", s.people.carers);
      r.whole(*p, "staff", "people.staff", s.people.staff);
    }
  }
  r.text(j, "outcomes", "outcomes", s.outcomes);
  r.text(j, "contact", "contact", s.contact);
  r.text(j, "easy_read", "easy_read", s.easy_read);
  if (const json* list = r.list(j, "images")) {
    for (size_t i = 0; i < list->size(); ++i) {
      Image image;
      if (const json* o = r.object((*list)[i], at("images", i), {"url", "alt"})) {
        r.text(*o, "url", at("images", i) + ".url", image.url);
        r.text(*o, "alt", at("images", i) + ".alt", image.alt);
      }
      s.images.push_back(std::move(image));
    }
  }
  if (const json* list = r.list(j, "consents")) {
    for (size_t i = 0; i < list->size(); ++i) {
      ConsentRecord c;
      if (const json* o = r.object((*list)[i], at("consents", i), {"who", "given_on", "how"})) {
        r.text(*o, "who", at("consents", i) + ".who", c.who);
        r.text(*o, "given_on", at("consents", i) + ".given_on", c.given_on);
        r.text(*o, "how", at("consents", i) + ".how", c.how);
      }
      s.consents.push_back(std::move(c));
    }
  }
  for (auto& e : validate(s)) {
    if (!under(e.field, bad)) errors->push_back(std::move(e));
  }
  return s;
}

std::string story_markdown(const CaseStudyInput& s) {
  std::string out;
  for (const auto& [key, heading] : story_sections()) {
    for (const auto& section : s.story) {
      if (section.key != key || trim_copy(section.markdown).empty()) continue;
      if (!out.empty()) out += "\n";
      out += "## " + heading + "\n\n" + trim_copy(section.markdown) + "\n";
    }
  }
  return out;
}

std::string story_text(const CaseStudyInput& s) {
  std::string out;
  append_plain(out, s.title);
  append_plain(out, s.summary);
  append_plain(out, s.area_of_care);
  for (const auto& [key, heading] : story_sections()) {
    for (const auto& section : s.story)
      if (section.key == key) append_plain(out, section.markdown);
  }
  append_plain(out, s.outcomes);
  return out;
}

std::vector<std::string> tags_for(const CaseStudyInput& s) {
  std::vector<std::string> tags;
  if (std::string l = label_of(settings(), s.setting); !l.empty()) tags.push_back(l);
  if (std::string l = label_of(involvement::ladder_rungs(), s.rung); !l.empty()) tags.push_back(l);
  for (const auto& code : s.principles)
    if (std::string l = label_of(principles(), code); !l.empty()) tags.push_back(l);
  return tags;
}

}  // namespace coproduce::library
