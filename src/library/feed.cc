#include "library/feed.h"

#include <algorithm>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/text.h"
#include "core/vocabulary.h"
#include "learning/markdown.h"

namespace coproduce::library {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kVersion10 = "https://jsonfeed.org/version/1";
constexpr const char* kVersion11 = "https://jsonfeed.org/version/1.1";
constexpr const char* kWithdrawnText = "This case study has been withdrawn.";
// The keys of the extension that hold the case study itself.
constexpr const char* kStudyKeys[] = {"story",    "setting", "area_of_care", "rung",      "principles",
                                      "people",   "outcomes", "contact",     "easy_read", "images"};
// Limits on a feed read from outside beyond its size: how deep it nests and
// how many values it holds, so a small text cannot take a lot of memory.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxValues = 2000000;
constexpr size_t kMaxIdLength = 2000;
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxSummary = 600;

// ---- Writing ------------------------------------------------------------

ordered_json extension_head(const std::string& organisation, bool withdrawn) {
  ordered_json ext = ordered_json::object();
  ext["about"] = kFeedExtensionAbout;
  ext["version"] = kFeedExtensionVersion;
  ext["organisation"] = organisation;
  ext["withdrawn"] = withdrawn;
  return ext;
}

ordered_json item_json(const FeedItem& item, const std::string& feed_organisation) {
  const CaseStudyInput& s = item.study;
  const std::string& organisation = item.source_organisation.empty() ? feed_organisation : item.source_organisation;
  ordered_json out = ordered_json::object();
  out["id"] = item.id;
  if (!item.url.empty()) out["url"] = item.url;
  out["title"] = s.title;
  if (item.withdrawn) {
    // Spec: every item has content_html or content_text.
    out["content_text"] = kWithdrawnText;
  } else {
    if (!s.summary.empty()) out["summary"] = s.summary;
    out["content_html"] = learning::render_markdown(story_markdown(s), 0);
  }
  if (!item.date_published.empty()) out["date_published"] = item.date_published;
  if (!item.date_modified.empty()) out["date_modified"] = item.date_modified;
  if (item.withdrawn) {
    out["_coproduce"] = extension_head(organisation, true);
    return out;
  }
  if (!item.authors.empty()) {
    ordered_json authors = ordered_json::array();
    for (const auto& name : item.authors) authors.push_back({{"name", name}});
    out["authors"] = std::move(authors);
  }
  if (!item.tags.empty()) out["tags"] = item.tags;

  ordered_json ext = extension_head(organisation, false);
  json study = case_study_json(s);
  for (const char* key : kStudyKeys) ext[key] = ordered_json(study[key]);
  // The story in the order it is told, for people reading the feed.
  ordered_json story = ordered_json::object();
  for (const auto& [key, heading] : story_sections())
    if (study["story"].contains(key)) story[key] = ordered_json(study["story"][key]);
  ext["story"] = std::move(story);
  ext["consents_recorded"] = s.consents.size();
  out["_coproduce"] = std::move(ext);
  return out;
}

// ---- Reading ------------------------------------------------------------

// Checks the text is JSON within the limits, without building it, so a
// broken feed gets the line and column of the mistake.
class Check : public nlohmann::json_sax<json> {
 public:
  explicit Check(std::string_view text) : text_(text) {}

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    size_t end = std::min(position > 0 ? position - 1 : 0, text_.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    where = "line " + std::to_string(line) + ", column " + std::to_string(column);
    message = "This is not JSON: it goes wrong at " + where;
    return false;
  }

  std::string where, message;

 private:
  bool value() {
    if (++values_ <= kMaxValues) return true;
    message = "The feed holds more than " + std::to_string(kMaxValues) + " values";
    return false;
  }
  bool open() {
    if (++depth_ > kMaxDepth) {
      message = "The feed is nested more than " + std::to_string(kMaxDepth) + " levels deep";
      return false;
    }
    return value();
  }
  bool close() {
    --depth_;
    return true;
  }

  std::string_view text_;
  int depth_ = 0;
  size_t values_ = 0;
};

std::string with_commas(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

bool is_web_address(const std::string& url) {
  std::string lower;
  for (char c : url.substr(0, 8)) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  size_t start = lower.rfind("https://", 0) == 0 ? 8 : lower.rfind("http://", 0) == 0 ? 7 : 0;
  if (start == 0 || url.size() <= start || url[start] == '/' || url.size() > kMaxIdLength) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`';
  });
}

bool digits(std::string_view s, size_t from, size_t n) {
  if (from + n > s.size()) return false;
  return std::all_of(s.begin() + static_cast<long>(from), s.begin() + static_cast<long>(from + n),
                     [](char c) { return c >= '0' && c <= '9'; });
}
int number_at(std::string_view s, size_t from) { return (s[from] - '0') * 10 + (s[from + 1] - '0'); }

// "2026-03-27T10:00:00Z", "2026-03-27T10:00:00.5+01:00": RFC 3339's date-time.
bool is_rfc3339(std::string_view s) {
  if (s.size() < 20 || !is_date(s.substr(0, 10))) return false;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  if (!digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2)) return false;
  if (number_at(s, 11) > 23 || number_at(s, 14) > 59 || number_at(s, 17) > 60) return false;
  size_t i = 19;
  if (s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i == s.size()) return false;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) return true;
  if ((s[i] != '+' && s[i] != '-') || i + 6 != s.size()) return false;
  return digits(s, i + 1, 2) && s[i + 3] == ':' && digits(s, i + 4, 2) && number_at(s, i + 1) <= 23 &&
         number_at(s, i + 4) <= 59;
}

// Plain text as HTML paragraphs, for an item that has only content_text.
std::string paragraphs(std::string_view text) {
  std::string out, para;
  auto flush = [&] {
    std::string t = trim_copy(para);
    if (!t.empty()) out += "<p>" + t + "</p>\n";
    para.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      flush();
      while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      continue;
    }
    switch (c) {
      case '&': para += "&amp;"; break;
      case '<': para += "&lt;"; break;
      case '>': para += "&gt;"; break;
      case '"': para += "&quot;"; break;
      case '\'': para += "&#39;"; break;
      case '\n': para += "<br>\n"; break;
      default: para += c;
    }
  }
  flush();
  return out;
}

// "images.0.alt" as the document path "images[0].alt".
std::string document_path(const std::string& field) {
  std::string out;
  for (const std::string& part : split_codes(field, '.')) {
    bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (index) out += "[" + part + "]";
    else out += (out.empty() ? "" : ".") + part;
  }
  return out;
}

// Collects the problems of one item; the item is kept only when there are none.
class ItemProblems {
 public:
  explicit ItemProblems(std::string prefix) : prefix_(std::move(prefix)) {}

  // `path` is under the item ("title", "_coproduce.setting"); "" for the item.
  void add(const std::string& path, std::string message) {
    std::string where = path.empty() ? prefix_ : prefix_ + "." + path;
    for (const auto& p : list_)
      if (p.where == where) return;  // one problem per place is enough
    list_.push_back({std::move(where), std::move(message)});
  }
  bool any() const { return !list_.empty(); }
  const std::vector<FeedProblem>& list() const { return list_; }

  // The text under `key`, when it is text; a problem when it is something else.
  std::string text(const json& obj, const char* key, const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return "";
    if (!it->is_string()) {
      add(path, "'" + std::string(key) + "' must be text");
      return "";
    }
    return it->get<std::string>();
  }

 private:
  std::string prefix_;
  std::vector<FeedProblem> list_;
};

class Reading {
 public:
  ReadFeed result;

  void problem(std::string where, std::string message) {
    if (result.problems.size() < kMaxImportProblems) {
      result.problems.push_back({std::move(where), std::move(message)});
    } else {
      ++result.problems_not_listed;
    }
  }

  // The feed's own title, addresses and organisation (none of them required).
  void read_head(const json& doc) {
    Feed& f = result.feed;
    if (auto it = doc.find("title"); it != doc.end() && it->is_string()) f.title = it->get<std::string>();
    for (auto [key, out] : {std::pair{"home_page_url", &f.home_page_url}, std::pair{"feed_url", &f.feed_url}}) {
      auto it = doc.find(key);
      if (it == doc.end() || it->is_null()) continue;
      if (it->is_string() && is_web_address(it->get<std::string>())) {
        *out = it->get<std::string>();
      } else {
        problem(key, std::string("'") + key + "' must be an address starting https:// or http://");
      }
    }
    if (auto ext = doc.find("_coproduce"); ext != doc.end() && ext->is_object()) {
      if (auto it = ext->find("organisation"); it != ext->end() && it->is_string())
        f.organisation = it->get<std::string>();
    }
    if (f.organisation.empty()) f.organisation = first_author(doc);
  }

  void read_item(const json& item, size_t index) {
    ItemProblems p("items[" + std::to_string(index) + "]");
    FeedItem out;
    if (!item.is_object()) {
      p.add("", "Each item must be an object {...}");
      return keep(p, std::move(out), "");
    }

    // id: required and unique; JSON Feed 1.0 readers take a number as text.
    auto id = item.find("id");
    if (id == item.end() || id->is_null()) {
      p.add("id", "The item has no id");
    } else if (id->is_string()) {
      out.id = id->get<std::string>();
      if (trim_copy(out.id).empty()) p.add("id", "The item has no id");
    } else if (id->is_number_integer()) {
      out.id = id->dump();
    } else {
      p.add("id", "The id must be text");
    }
    if (out.id.size() > kMaxIdLength) {
      p.add("id", "The id must be " + with_commas(kMaxIdLength) + " characters or fewer");
    } else if (!trim_copy(out.id).empty() && !ids_.insert(out.id).second) {
      p.add("id", "The id '" + out.id + "' is used by an earlier item");
    }

    out.url = p.text(item, "url", "url");
    if (!out.url.empty() && !is_web_address(out.url))
      p.add("url", "The item's address must start with https:// or http://");
    out.study.title = p.text(item, "title", "title");
    if (trim_copy(out.study.title).empty()) p.add("title", "The item has no title");
    for (auto [key, date] : {std::pair{"date_published", &out.date_published},
                             std::pair{"date_modified", &out.date_modified}}) {
      *date = p.text(item, key, key);
      if (!date->empty() && !is_rfc3339(*date))
        p.add(key, "'" + *date + "' is not a date and time like 2026-03-27T10:00:00Z (RFC 3339)");
    }

    // The extension, when there is one.
    const json* ext = nullptr;
    if (auto it = item.find("_coproduce"); it != item.end() && !it->is_null()) {
      if (!it->is_object()) {
        p.add("_coproduce", "'_coproduce' must be an object {...}");
      } else {
        ext = &*it;
        auto version = ext->find("version");
        if (version == ext->end() || !version->is_number_integer()) {
          p.add("_coproduce.version", "The '_coproduce' object has no version");
        } else if (version->get<long long>() != kFeedExtensionVersion) {
          p.add("_coproduce.version", "Version " + version->dump() + " of '_coproduce' is not one this reads (" +
                                          std::to_string(kFeedExtensionVersion) + ")");
        }
        if (auto w = ext->find("withdrawn"); w != ext->end() && !w->is_null()) {
          if (w->is_boolean()) out.withdrawn = w->get<bool>();
          else p.add("_coproduce.withdrawn", "'withdrawn' must be true or false");
        }
        out.source_organisation = p.text(*ext, "organisation", "_coproduce.organisation");
      }
    }
    if (out.source_organisation.empty()) out.source_organisation = result.feed.organisation;
    if (out.withdrawn) return keep(p, std::move(out), "");

    out.study.summary = p.text(item, "summary", "summary");
    read_people(item, out.authors, p);
    if (auto tags = item.find("tags"); tags != item.end() && !tags->is_null()) {
      if (!tags->is_array() || !std::all_of(tags->begin(), tags->end(), [](const json& t) { return t.is_string(); }))
        p.add("tags", "'tags' must be a list of text");
      else
        for (const auto& t : *tags) out.tags.push_back(t.get<std::string>());
    }
    std::string html = p.text(item, "content_html", "content_html");
    if (html.empty()) html = paragraphs(p.text(item, "content_text", "content_text"));

    if (ext != nullptr) {
      read_study(*ext, out, p);
    } else {
      if (utf8_length(out.study.title) > kMaxTitle)
        p.add("title", "The title must be " + with_commas(kMaxTitle) + " characters or fewer");
      if (utf8_length(out.study.summary) > kMaxSummary)
        p.add("summary", "The summary must be " + with_commas(kMaxSummary) + " characters or fewer");
    }
    keep(p, std::move(out), std::move(html));
  }

 private:
  static std::string first_author(const json& obj) {
    if (auto a = obj.find("authors"); a != obj.end() && a->is_array()) {
      for (const auto& one : *a) {
        if (auto n = one.find("name"); one.is_object() && n != one.end() && n->is_string()) return n->get<std::string>();
      }
    }
    if (auto a = obj.find("author"); a != obj.end() && a->is_object()) {
      if (auto n = a->find("name"); n != a->end() && n->is_string()) return n->get<std::string>();
    }
    return "";
  }

  // authors [{name}] (1.1), or author {name} (1.0).
  static void read_people(const json& item, std::vector<std::string>& names, ItemProblems& p) {
    auto authors = item.find("authors");
    if (authors == item.end() || authors->is_null()) {
      if (std::string name = first_author(item); !name.empty()) names.push_back(name);
      return;
    }
    if (!authors->is_array()) return p.add("authors", "'authors' must be a list [...]");
    for (size_t i = 0; i < authors->size(); ++i) {
      const json& a = (*authors)[i];
      std::string path = "authors[" + std::to_string(i) + "]";
      if (!a.is_object()) return p.add(path, "Each author must be an object {\"name\": ...}");
      std::string name = p.text(a, "name", path + ".name");
      if (!name.empty()) names.push_back(name);
    }
  }

  // The case study from the extension, checked as the library checks its own.
  static void read_study(const json& ext, FeedItem& out, ItemProblems& p) {
    json j = json::object();
    j["title"] = out.study.title;
    j["summary"] = out.study.summary;
    for (const char* key : kStudyKeys)
      if (auto it = ext.find(key); it != ext.end()) j[key] = *it;
    std::vector<FieldError> errors;
    CaseStudyInput study = case_study_from_json(j, &errors);
    for (const FieldError& e : errors) {
      // Consent records stay with the publisher; consents_recorded stands for them.
      if (e.field == "consents" || e.field.rfind("consents.", 0) == 0) continue;
      bool top = e.field == "title" || e.field == "summary";
      p.add(top ? e.field : "_coproduce" + (e.field.empty() ? "" : "." + document_path(e.field)), e.message);
    }
    size_t recorded = 0;
    if (auto it = ext.find("consents_recorded"); it != ext.end() && !it->is_null()) {
      if (it->is_number_unsigned()) recorded = it->get<size_t>();
      else p.add("_coproduce.consents_recorded", "'consents_recorded' must be a whole number, 0 or more");
    }
    if (recorded < study.images.size()) {
      p.add("_coproduce.consents_recorded",
            "The feed does not say the consent of the people in every image was recorded: " +
                std::to_string(study.images.size()) + " image" + (study.images.size() == 1 ? "" : "s") + " and " +
                std::to_string(recorded) + " consent record" + (recorded == 1 ? "" : "s"));
    }
    out.study = std::move(study);
  }

  void keep(const ItemProblems& p, FeedItem item, std::string html) {
    for (const auto& one : p.list()) problem(one.where, one.message);
    if (p.any()) return;
    result.feed.items.push_back(std::move(item));
    result.content_html.push_back(std::move(html));
  }

  std::set<std::string> ids_;
};

}  // namespace

std::string write_feed(const Feed& feed) {
  ordered_json out = ordered_json::object();
  out["version"] = kVersion11;
  out["title"] = feed.title;
  if (!feed.home_page_url.empty()) out["home_page_url"] = feed.home_page_url;
  if (!feed.feed_url.empty()) out["feed_url"] = feed.feed_url;
  if (!feed.organisation.empty()) {
    ordered_json author = ordered_json::object();
    author["name"] = feed.organisation;
    out["authors"] = ordered_json::array();
    out["authors"].push_back(std::move(author));
  }
  ordered_json ext = ordered_json::object();
  ext["about"] = kFeedExtensionAbout;
  ext["version"] = kFeedExtensionVersion;
  ext["organisation"] = feed.organisation;
  out["_coproduce"] = std::move(ext);
  ordered_json items = ordered_json::array();
  for (const auto& item : feed.items) items.push_back(item_json(item, feed.organisation));
  out["items"] = std::move(items);
  return out.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

ReadFeed read_feed(std::string_view text) {
  Reading r;
  if (text.size() > kMaxFeedBytes) {
    r.problem("", "The feed is larger than 64 MB (" + with_commas(kMaxFeedBytes) + " bytes)");
    return std::move(r.result);
  }
  Check check(text);
  if (!json::sax_parse(text, &check)) {
    r.problem(check.where, check.message.empty() ? "This is not JSON" : check.message);
    return std::move(r.result);
  }
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {  // not expected once the check has passed
    r.problem("", "This is not JSON");
    return std::move(r.result);
  }
  if (!doc.is_object()) {
    r.problem("", "A JSON Feed must be a JSON object {...}");
    return std::move(r.result);
  }
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_string()) {
    r.problem("version", std::string("This is not a JSON Feed: it has no version (") + kVersion11 + ")");
    return std::move(r.result);
  }
  if (const auto& v = version->get_ref<const std::string&>(); v != kVersion10 && v != kVersion11) {
    r.problem("version", "'" + version->get<std::string>() + "' is not a JSON Feed version this reads (" +
                             kVersion10 + " or " + kVersion11 + ")");
    return std::move(r.result);
  }
  auto items = doc.find("items");
  if (items == doc.end() || !items->is_array()) {
    r.problem("items", "A JSON Feed needs its items as a list [...]");
    return std::move(r.result);
  }
  if (items->size() > kMaxFeedItems) {
    r.problem("items", "The feed has " + with_commas(items->size()) + " items; at most " +
                           with_commas(kMaxFeedItems) + " can be read");
    return std::move(r.result);
  }
  r.read_head(doc);
  for (size_t i = 0; i < items->size(); ++i) r.read_item((*items)[i], i);
  return std::move(r.result);
}

}  // namespace coproduce::library
