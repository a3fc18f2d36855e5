#include "survey/definition.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace coproduce::survey {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "coproduce-survey/1";

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status fail(const std::string& path, std::string message) const {
    Location loc;
    loc.file = file_;
    loc.field = path.empty() ? "/" : path;
    return InvalidInput(std::move(message), std::move(loc));
  }

  Status check_keys(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool ok = false;
      for (auto a : allowed) ok = ok || it.key() == a;
      if (!ok) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return fail(path + "/" + it.key(), "unknown key '" + it.key() + "' (expected one of: " + list + ")");
      }
    }
    return Status::Ok();
  }

  Status get_string(const json& obj, const std::string& path, const char* key, std::string& out, bool required) const {
    auto it = obj.find(key);
    if (it == obj.end()) return required ? fail(path + "/" + key, std::string("'") + key + "' is missing") : Status::Ok();
    if (!it->is_string()) return fail(path + "/" + key, std::string("'") + key + "' must be text in double quotes");
    out = it->get<std::string>();
    return Status::Ok();
  }

  Status get_number(const json& obj, const std::string& path, const char* key, std::optional<double>& out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_number()) return fail(path + "/" + key, std::string("'") + key + "' must be a number");
    out = it->get<double>();
    return Status::Ok();
  }

  Status get_int(const json& obj, const std::string& path, const char* key, std::optional<int>& out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 100000) {
      return fail(path + "/" + key, std::string("'") + key + "' must be a whole number from 0");
    }
    out = static_cast<int>(it->get<long long>());
    return Status::Ok();
  }

  Status get_bool(const json& obj, const std::string& path, const char* key, bool& out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_boolean()) return fail(path + "/" + key, std::string("'") + key + "' must be true or false");
    out = it->get<bool>();
    return Status::Ok();
  }

  // "translations": {"cy": {"text": "...", "hint": "..."}, ...}: each field
  // named in `fields` goes to its Translations.
  Status get_translations(const json& obj, const std::string& path,
                          std::initializer_list<std::pair<std::string_view, Translations*>> fields) const {
    auto it = obj.find("translations");
    if (it == obj.end()) return Status::Ok();
    const std::string tpath = path + "/translations";
    if (!it->is_object()) return fail(tpath, "translations must be {\"cy\": {...}, ...}, by language code");
    for (auto language = it->begin(); language != it->end(); ++language) {
      const std::string lpath = tpath + "/" + language.key();
      if (!language->is_object()) return fail(lpath, "a language's translations must be an object {...}");
      for (auto field = language->begin(); field != language->end(); ++field) {
        Translations* target = nullptr;
        std::string list;
        for (const auto& [name, t] : fields) {
          if (field.key() == name) target = t;
          list += (list.empty() ? "" : ", ") + std::string(name);
        }
        if (!target) return fail(lpath + "/" + field.key(), "unknown key '" + field.key() + "' (expected one of: " + list + ")");
        if (!field->is_string()) return fail(lpath + "/" + field.key(), "a translation must be text in double quotes");
        target->set(language.key(), field->get<std::string>());
      }
    }
    return Status::Ok();
  }

  Status get_languages(const json& obj, std::vector<Language>& out) const {
    auto it = obj.find("languages");
    if (it == obj.end()) return Status::Ok();
    if (!it->is_array()) return fail("/languages", "'languages' must be a list [...], the default language first");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& l = (*it)[i];
      const std::string lpath = "/languages/" + std::to_string(i);
      if (!l.is_object()) return fail(lpath, "a language must be {\"code\": \"cy\", \"name\": \"Cymraeg\"}");
      if (Status s = check_keys(l, lpath, {"code", "name"}); !s.ok()) return s;
      Language language;
      if (Status s = get_string(l, lpath, "code", language.code, true); !s.ok()) return s;
      if (Status s = get_string(l, lpath, "name", language.name, false); !s.ok()) return s;
      if (language.name.empty()) language.name = language.code;
      out.push_back(std::move(language));
    }
    return Status::Ok();
  }

  // "columns": {"county": "north"}, or a list of such objects when one code
  // stands for several choices-sheet rows.
  Status get_choice_columns(const json& o, const std::string& path, std::vector<ChoiceColumns>& out) const {
    auto it = o.find("columns");
    if (it == o.end()) return Status::Ok();
    const std::string cpath = path + "/columns";
    auto one = [&](const json& row, const std::string& rpath) -> Status {
      if (!row.is_object()) return fail(rpath, "columns must be {\"column\": \"value\", ...}");
      ChoiceColumns columns;
      for (const auto& [name, value] : row.items()) {
        if (!value.is_string()) return fail(rpath + "/" + name, "a column's value must be text in quotes");
        if (name == "name" || name == "label" || name == "list_name" || name.empty()) {
          return fail(rpath + "/" + name, "'" + name + "' cannot be an option's column");
        }
        columns[name] = value.get<std::string>();
      }
      out.push_back(std::move(columns));
      return Status::Ok();
    };
    if (it->is_array()) {
      for (size_t i = 0; i < it->size(); ++i) {
        if (Status s = one((*it)[i], cpath + "/" + std::to_string(i)); !s.ok()) return s;
      }
      return Status::Ok();
    }
    return one(*it, cpath);
  }

  Status get_options(const json& obj, const std::string& path, const char* key, std::vector<Option>& out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_array()) return fail(path + "/" + key, std::string("'") + key + "' must be a list [...]");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& o = (*it)[i];
      const std::string opath = path + "/" + key + "/" + std::to_string(i);
      Option option;
      if (o.is_string()) {  // shorthand: "yes" means {"code": "yes", "label": "yes"}
        option.code = option.label = o.get<std::string>();
      } else if (o.is_object()) {
        if (Status s = check_keys(o, opath, {"code", "label", "translations", "columns"}); !s.ok()) return s;
        if (Status s = get_choice_columns(o, opath, option.columns); !s.ok()) return s;
        if (Status s = get_string(o, opath, "code", option.code, true); !s.ok()) return s;
        if (Status s = get_string(o, opath, "label", option.label, false); !s.ok()) return s;
        if (Status s = get_translations(o, opath, {{"label", &option.label_translations}}); !s.ok()) return s;
        if (option.label.empty()) option.label = option.code;
      } else {
        return fail(opath, "an option must be {\"code\": ..., \"label\": ...}");
      }
      out.push_back(std::move(option));
    }
    return Status::Ok();
  }

  // "repeats": [{"code": "services", "label": "A service you use", "max": 10}]
  Status get_repeats(const json& obj, std::vector<Repeat>& out) {
    auto it = obj.find("repeats");
    if (it == obj.end()) return Status::Ok();
    if (!it->is_array()) return fail("/repeats", "'repeats' must be a list [...]");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      const std::string rpath = "/repeats/" + std::to_string(i);
      if (!r.is_object()) return fail(rpath, "a repeat must be {\"code\": \"services\", \"label\": ...}");
      if (Status s = check_keys(r, rpath, {"code", "label", "hint", "count", "max", "show_if", "translations"}); !s.ok()) {
        return s;
      }
      Repeat repeat;
      if (Status s = get_string(r, rpath, "code", repeat.code, true); !s.ok()) return s;
      if (Status s = get_string(r, rpath, "label", repeat.label, true); !s.ok()) return s;
      if (Status s = get_string(r, rpath, "hint", repeat.hint, false); !s.ok()) return s;
      if (Status s = get_string(r, rpath, "show_if", repeat.show_if, false); !s.ok()) return s;
      if (auto c = r.find("count"); c != r.end() && c->is_number_integer()) {
        repeat.count = std::to_string(c->get<long long>());
      } else if (Status s = get_string(r, rpath, "count", repeat.count, false); !s.ok()) {
        return s;
      }
      std::optional<int> max;
      if (Status s = get_int(r, rpath, "max", max); !s.ok()) return s;
      repeat.max = max.value_or(repeat.max);
      if (Status s = get_translations(r, rpath, {{"label", &repeat.label_translations}, {"hint", &repeat.hint_translations}});
          !s.ok()) {
        return s;
      }
      out.push_back(std::move(repeat));
    }
    repeat_codes_.clear();
    for (const Repeat& r : out) repeat_codes_.push_back(r.code);
    return Status::Ok();
  }

  std::optional<size_t> find_repeat(const std::string& code) const {
    for (size_t i = 0; i < repeat_codes_.size(); ++i) {
      if (repeat_codes_[i] == code) return i;
    }
    return std::nullopt;
  }

  StatusOr<Question> question(const json& q, const std::string& path) const {
    if (!q.is_object()) return fail(path, "a question must be an object {...}");
    if (Status s = check_keys(q, path,
                              {"code", "type", "text", "hint", "guidance", "default", "page", "options", "ordered",
                               "other_specify", "points", "dont_know", "items", "scale", "show_if", "validation",
                               "translations", "calculation", "choice_filter", "repeat", "read_only", "trigger"});
        !s.ok()) {
      return s;
    }
    Question out;
    std::string type;
    if (Status s = get_string(q, path, "code", out.code, true); !s.ok()) return s;
    if (Status s = get_string(q, path, "type", type, true); !s.ok()) return s;
    // A rank question is a grid of places (questionnaire.h).
    out.rank = type == "rank";
    std::optional<QuestionType> t = out.rank ? std::optional<QuestionType>(QuestionType::kLikert) : parse_type(type);
    if (!t) {
      return fail(path + "/type", "unknown question type '" + type +
                                      "' (single, multiple, rating, likert, yes_no, number, date, short_text, "
                                      "long_text, display or rank)");
    }
    out.type = *t;
    if (Status s = get_string(q, path, "text", out.text, out.type != QuestionType::kDisplay); !s.ok()) return s;
    if (Status s = get_string(q, path, "hint", out.hint, false); !s.ok()) return s;
    if (Status s = get_string(q, path, "guidance", out.guidance, false); !s.ok()) return s;
    if (Status s = get_string(q, path, "default", out.default_answer, false); !s.ok()) return s;
    if (Status s = get_translations(q, path,
                                    {{"text", &out.text_translations},
                                     {"hint", &out.hint_translations},
                                     {"guidance", &out.guidance_translations},
                                     {"required_message", &out.validation.required_message_translations},
                                     {"constraint_message", &out.validation.constraint_message_translations}});
        !s.ok()) {
      return s;
    }
    std::optional<int> page;
    if (Status s = get_int(q, path, "page", page); !s.ok()) return s;
    out.page = page.value_or(1);
    if (Status s = get_options(q, path, "options", out.options); !s.ok()) return s;
    if (Status s = get_options(q, path, "items", out.items); !s.ok()) return s;
    if (Status s = get_bool(q, path, "ordered", out.ordered); !s.ok()) return s;
    if (Status s = get_bool(q, path, "read_only", out.read_only); !s.ok()) return s;
    if (Status s = get_bool(q, path, "other_specify", out.other_specify); !s.ok()) return s;
    if (Status s = get_bool(q, path, "dont_know", out.dont_know); !s.ok()) return s;
    if (Status s = get_string(q, path, "show_if", out.show_if, false); !s.ok()) return s;
    if (Status s = get_string(q, path, "calculation", out.calculation, false); !s.ok()) return s;
    if (Status s = get_string(q, path, "trigger", out.trigger, false); !s.ok()) return s;
    if (Status s = get_string(q, path, "choice_filter", out.choice_filter, false); !s.ok()) return s;
    std::string repeat;
    if (Status s = get_string(q, path, "repeat", repeat, false); !s.ok()) return s;
    if (!repeat.empty()) {
      std::optional<size_t> r = find_repeat(repeat);
      if (!r) return fail(path + "/repeat", "there is no repeat coded '" + repeat + "' in repeats");
      out.repeat = static_cast<int>(*r);
    }
    if (out.other_specify && out.type != QuestionType::kMultiple && out.type != QuestionType::kSingle) {
      return fail(path + "/other_specify", "'other, please specify' applies to single and multiple choice");
    }
    if (out.rank) {
      if (q.contains("points") || q.contains("dont_know")) {
        return fail(path, "a rank question has a place for each of its items: points and dont_know do not apply");
      }
    } else if (out.type == QuestionType::kLikert) {
      std::optional<int> points;
      if (Status s = get_int(q, path, "points", points); !s.ok()) return s;
      if (points.value_or(5) != 5 && points.value_or(5) != 7) return fail(path + "/points", "points must be 5 or 7");
      if (out.options.empty()) out.options = likert_scale(points.value_or(5));
    } else if (q.contains("points") || q.contains("dont_know") || q.contains("items")) {
      return fail(path, "points, dont_know and items belong to Likert grids (type likert)");
    }
    if (out.type == QuestionType::kRating) {
      auto it = q.find("scale");
      if (it == q.end() && out.options.empty()) return fail(path + "/scale", "a rating needs a scale {\"min\": 0, \"max\": 10}");
      if (it != q.end()) {
        const std::string spath = path + "/scale";
        if (!it->is_object()) return fail(spath, "scale must be {\"min\": ..., \"max\": ...}");
        if (Status s = check_keys(*it, spath, {"min", "max", "min_label", "max_label"}); !s.ok()) return s;
        std::optional<int> lo, hi;
        if (Status s = get_int(*it, spath, "min", lo); !s.ok()) return s;
        if (Status s = get_int(*it, spath, "max", hi); !s.ok()) return s;
        if (!lo || !hi || *hi <= *lo || *hi - *lo > 100) return fail(spath, "a scale needs whole numbers min < max, at most 100 apart");
        std::string min_label, max_label;
        if (Status s = get_string(*it, spath, "min_label", min_label, false); !s.ok()) return s;
        if (Status s = get_string(*it, spath, "max_label", max_label, false); !s.ok()) return s;
        out.options.clear();
        for (int v = *lo; v <= *hi; ++v) {
          std::string label = std::to_string(v);
          if (v == *lo && !min_label.empty()) label += " (" + min_label + ")";
          if (v == *hi && !max_label.empty()) label += " (" + max_label + ")";
          out.options.push_back({std::to_string(v), label});
        }
      }
    } else if (q.contains("scale")) {
      return fail(path + "/scale", "a scale belongs to rating questions");
    }
    if (auto it = q.find("validation"); it != q.end()) {
      const std::string vpath = path + "/validation";
      if (!it->is_object()) return fail(vpath, "validation must be an object {...}");
      if (Status s = check_keys(*it, vpath,
                                {"required", "min", "max", "pattern", "min_choices", "max_choices", "required_message",
                                 "constraint_message"});
          !s.ok()) {
        return s;
      }
      Validation& v = out.validation;
      if (Status s = get_bool(*it, vpath, "required", v.required); !s.ok()) return s;
      if (Status s = get_number(*it, vpath, "min", v.min); !s.ok()) return s;
      if (Status s = get_number(*it, vpath, "max", v.max); !s.ok()) return s;
      if (Status s = get_string(*it, vpath, "pattern", v.pattern, false); !s.ok()) return s;
      if (Status s = get_int(*it, vpath, "min_choices", v.min_choices); !s.ok()) return s;
      if (Status s = get_int(*it, vpath, "max_choices", v.max_choices); !s.ok()) return s;
      if (Status s = get_string(*it, vpath, "required_message", v.required_message, false); !s.ok()) return s;
      if (Status s = get_string(*it, vpath, "constraint_message", v.constraint_message, false); !s.ok()) return s;
    }
    return out;
  }

 private:
  std::string file_;
  std::vector<std::string> repeat_codes_;
};

// Line and column of byte `offset` in `text` (both from 1).
std::pair<long, long> line_column(std::string_view text, size_t offset) {
  long line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// {"cy": {"text": ..., "hint": ...}}: the fields' translations by language,
// or null when there are none.
nlohmann::ordered_json translations_json(
    std::initializer_list<std::pair<const char*, const Translations*>> fields) {
  std::map<std::string, nlohmann::ordered_json> by_language;
  for (const auto& [name, t] : fields) {
    for (const auto& [language, text] : t->by_language) by_language[language][name] = text;
  }
  if (by_language.empty()) return nullptr;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (auto& [language, j] : by_language) out[language] = std::move(j);
  return out;
}

nlohmann::ordered_json options_json(const std::vector<Option>& options) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& o : options) {
    nlohmann::ordered_json j = {{"code", o.code}, {"label", o.label}};
    if (auto t = translations_json({{"label", &o.label_translations}}); !t.is_null()) j["translations"] = std::move(t);
    if (o.columns.size() == 1) {
      j["columns"] = o.columns.front();
    } else if (!o.columns.empty()) {
      j["columns"] = o.columns;
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

StatusOr<Questionnaire> parse_definition(std::string_view text, const std::string& file_name) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // nlohmann reports the byte just past the problem.
    const size_t at = e.byte > 0 ? e.byte - 1 : 0;
    auto [line, column] = line_column(text, at);
    Location loc;
    loc.file = file_name;
    loc.line = line;
    loc.column = column;
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    return InvalidInput("this is not valid JSON (" + what + ")", loc);
  }
  Reader r(file_name);
  if (!doc.is_object()) return r.fail("", "a definition is a JSON object {...}");
  if (Status s = r.check_keys(doc, "", {"format", "id", "title", "description", "languages", "translations", "repeats",
                                          "questions"});
      !s.ok()) {
    return s;
  }
  std::string format;
  if (Status s = r.get_string(doc, "", "format", format, false); !s.ok()) return s;
  if (!format.empty() && format != kFormat) {
    return r.fail("/format", "unknown format '" + format + "': this version reads " + std::string(kFormat));
  }
  Questionnaire q;
  if (Status s = r.get_string(doc, "", "id", q.id, false); !s.ok()) return s;
  if (Status s = r.get_string(doc, "", "title", q.title, true); !s.ok()) return s;
  if (Status s = r.get_string(doc, "", "description", q.description, false); !s.ok()) return s;
  if (Status s = r.get_languages(doc, q.languages); !s.ok()) return s;
  if (Status s = r.get_translations(doc, "", {{"title", &q.title_translations},
                                              {"description", &q.description_translations}});
      !s.ok()) {
    return s;
  }
  if (Status s = r.get_repeats(doc, q.repeats); !s.ok()) return s;
  auto it = doc.find("questions");
  if (it == doc.end() || !it->is_array()) return r.fail("/questions", "'questions' must be a list [...]");
  for (size_t i = 0; i < it->size(); ++i) {
    StatusOr<Question> question = r.question((*it)[i], "/questions/" + std::to_string(i));
    if (!question.ok()) return question.status();
    q.questions.push_back(std::move(*question));
  }
  if (Status s = q.finish(file_name); !s.ok()) return s;
  return q;
}

StatusOr<Questionnaire> load_definition(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Location loc;
    loc.file = path;
    return InvalidInput("cannot open the file (does it exist, and may this program read it?)", loc);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_definition(buffer.str(), path);
}

std::string definition_to_json(const Questionnaire& questionnaire) {
  // Keys in reading order: what a person editing the file expects.
  using ojson = nlohmann::ordered_json;
  ojson doc;
  doc["format"] = kFormat;
  doc["id"] = questionnaire.id;
  doc["title"] = questionnaire.title;
  if (!questionnaire.description.empty()) doc["description"] = questionnaire.description;
  if (!questionnaire.languages.empty()) {
    ojson languages = ojson::array();
    for (const Language& l : questionnaire.languages) languages.push_back({{"code", l.code}, {"name", l.name}});
    doc["languages"] = std::move(languages);
  }
  if (auto t = translations_json({{"title", &questionnaire.title_translations},
                                  {"description", &questionnaire.description_translations}});
      !t.is_null()) {
    doc["translations"] = std::move(t);
  }
  if (!questionnaire.repeats.empty()) {
    ojson repeats = ojson::array();
    for (const Repeat& r : questionnaire.repeats) {
      ojson j;
      j["code"] = r.code;
      j["label"] = r.label;
      if (!r.hint.empty()) j["hint"] = r.hint;
      if (r.fixed_count > 0) {
        j["count"] = r.fixed_count;
      } else if (!r.count.empty()) {
        j["count"] = r.count;
      }
      j["max"] = r.max;
      if (!r.show_if.empty()) j["show_if"] = r.show_if;
      if (auto t = translations_json({{"label", &r.label_translations}, {"hint", &r.hint_translations}}); !t.is_null()) {
        j["translations"] = std::move(t);
      }
      repeats.push_back(std::move(j));
    }
    doc["repeats"] = std::move(repeats);
  }
  ojson qs = ojson::array();
  for (const Question& q : questionnaire.questions) {
    ojson j;
    j["code"] = q.code;
    j["type"] = q.rank ? std::string_view("rank") : type_name(q.type);
    j["page"] = q.page;
    if (q.repeat >= 0) j["repeat"] = questionnaire.repeats[static_cast<size_t>(q.repeat)].code;
    if (!q.text.empty()) j["text"] = q.text;
    if (!q.hint.empty()) j["hint"] = q.hint;
    if (!q.guidance.empty()) j["guidance"] = q.guidance;
    if (auto t = translations_json({{"text", &q.text_translations},
                                    {"hint", &q.hint_translations},
                                    {"guidance", &q.guidance_translations},
                                    {"required_message", &q.validation.required_message_translations},
                                    {"constraint_message", &q.validation.constraint_message_translations}});
        !t.is_null()) {
      j["translations"] = std::move(t);
    }
    // The fixed option sets (yes/no, a Likert scale) are written out only
    // when they carry translations.
    const bool translated_options = std::any_of(q.options.begin(), q.options.end(),
                                                [](const Option& o) { return !o.label_translations.empty(); });
    if (q.rank) {
      j["items"] = options_json(q.items);
    } else if (q.type == QuestionType::kLikert) {
      j["points"] = q.options.size() - (q.dont_know ? 1 : 0);
      if (q.dont_know) j["dont_know"] = true;
      if (translated_options) j["options"] = options_json(q.options);
      j["items"] = options_json(q.items);
    } else if (!q.options.empty() && (q.type != QuestionType::kYesNo || translated_options)) {
      j["options"] = options_json(q.options);
    }
    if (q.ordered && q.type == QuestionType::kSingle) j["ordered"] = true;
    if (q.other_specify) j["other_specify"] = true;
    if (!q.show_if.empty()) j["show_if"] = q.show_if;
    if (!q.calculation.empty()) j["calculation"] = q.calculation;
    if (!q.trigger.empty()) j["trigger"] = q.trigger;
    if (!q.choice_filter.empty()) j["choice_filter"] = q.choice_filter;
    if (!q.default_answer.empty()) j["default"] = q.default_answer;
    if (q.read_only) j["read_only"] = true;
    const Validation& v = q.validation;
    ojson vj = ojson::object();
    if (v.required) vj["required"] = true;
    if (v.min) vj["min"] = *v.min;
    if (v.max) vj["max"] = *v.max;
    if (!v.pattern.empty()) vj["pattern"] = v.pattern;
    if (v.min_choices) vj["min_choices"] = *v.min_choices;
    if (v.max_choices) vj["max_choices"] = *v.max_choices;
    if (!v.required_message.empty()) vj["required_message"] = v.required_message;
    if (!v.constraint_message.empty()) vj["constraint_message"] = v.constraint_message;
    if (!vj.empty()) j["validation"] = vj;
    qs.push_back(std::move(j));
  }
  doc["questions"] = std::move(qs);
  return doc.dump(2) + "\n";
}

StatusOr<Questionnaire> builtin_template(std::string_view name) {
  if (name == "coproduction") return coproduction_template();
  return NotFound("there is no built-in template called '" + std::string(name) + "' (try coproduction)");
}

const Questionnaire& coproduction_template() {
  static const Questionnaire kTemplate = [] {
    StatusOr<Questionnaire> q = parse_definition(coproduction_template_json(), "template coproduction");
    assert(q.ok() && "the built-in template must load");
    return std::move(*q);
  }();
  return kTemplate;
}

}  // namespace coproduce::survey
