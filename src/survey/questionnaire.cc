#include "survey/questionnaire.h"

#include <algorithm>
#include <functional>

#include "core/translatable.h"

#include <charconv>
#include <regex>
#include <set>
#include <sstream>

#include "core/dates.h"

namespace coproduce::survey {

namespace {

struct TypeName {
  QuestionType type;
  std::string_view name;
};

constexpr TypeName kTypeNames[] = {
    {QuestionType::kSingle, "single"},       {QuestionType::kMultiple, "multiple"},
    {QuestionType::kRating, "rating"},       {QuestionType::kLikert, "likert"},
    {QuestionType::kYesNo, "yes_no"},        {QuestionType::kNumber, "number"},
    {QuestionType::kDate, "date"},           {QuestionType::kShortText, "short_text"},
    {QuestionType::kLongText, "long_text"},  {QuestionType::kDisplay, "display"},
};

bool valid_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  const char c0 = code[0];
  if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z'))) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool valid_option_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

bool is_choice(QuestionType t) {
  return t == QuestionType::kSingle || t == QuestionType::kRating || t == QuestionType::kYesNo ||
         t == QuestionType::kLikert;
}

// A default answer must be one the question could be given.
// Nullopt when it can; otherwise what is wrong.
std::optional<std::string> default_problem(const Question& q) {
  if (q.default_answer.empty()) return std::nullopt;
  auto fail = [](std::string message) { return std::optional<std::string>(std::move(message)); };
  switch (q.type) {
    case QuestionType::kSingle:
    case QuestionType::kRating:
    case QuestionType::kYesNo:
      if (q.option_index(q.default_answer) < 0) {
        return fail("the default answer '" + q.default_answer + "' is not one of the question's options");
      }
      return std::nullopt;
    case QuestionType::kMultiple: {
      std::istringstream in(q.default_answer);
      std::string code;
      while (in >> code) {
        if (q.option_index(code) < 0) return fail("the default answer '" + code + "' is not one of the question's options");
      }
      return std::nullopt;
    }
    case QuestionType::kNumber: {
      double x = 0;
      const std::string& v = q.default_answer;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || end != v.data() + v.size()) return fail("the default answer '" + v + "' is not a number");
      return std::nullopt;
    }
    case QuestionType::kDate:
      if (!is_date(q.default_answer)) return fail("the default answer '" + q.default_answer + "' is not a date YYYY-MM-DD");
      return std::nullopt;
    case QuestionType::kShortText:
    case QuestionType::kLongText:
      return std::nullopt;
    case QuestionType::kLikert:
    case QuestionType::kDisplay:
      return fail("a " + std::string(type_name(q.type)) + " question cannot have a default answer");
  }
  return std::nullopt;
}

// What a name in a show-if condition stands for: the question coded `name`.
std::optional<Operand> condition_operand(const Questionnaire& all, std::string_view name) {
  std::optional<size_t> i = all.find(name);
  if (!i) return std::nullopt;
  const Question& t = all.questions[*i];
  Operand op;
  op.index = static_cast<int>(*i);
  if (t.type == QuestionType::kMultiple) op.kind = Operand::Kind::kMultiple;
  else if (t.type == QuestionType::kNumber) op.kind = Operand::Kind::kNumber;
  else if (is_choice(t.type) && t.type != QuestionType::kLikert) op.kind = Operand::Kind::kChoice;
  else op.kind = Operand::Kind::kText;
  for (const auto& o : t.options) op.option_codes.push_back(o.code);
  op.ordered = t.ordered;
  return op;
}

// Checks the repeats against their questions and fills their derived
// fields (first, end, page, fixed_count, count_question). Conditions are
// resolved later with the questions'.
template <typename Fail>
Status finish_repeats(Questionnaire& all, const std::set<std::string>& question_codes, const Fail& fail) {
  std::set<std::string> repeat_codes;
  for (size_t ri = 0; ri < all.repeats.size(); ++ri) {
    Repeat& r = all.repeats[ri];
    const std::string path = "/repeats/" + std::to_string(ri);
    if (!valid_code(r.code)) {
      return fail(path + "/code", "'" + r.code +
                                      "' is not a usable repeat code: start with a letter and use only letters, digits "
                                      "and _ (at most 64)");
    }
    if (question_codes.count(r.code) > 0 || r.code == "id" || r.code == "response_id" || r.code == "instance" ||
        !repeat_codes.insert(r.code).second) {
      return fail(path + "/code", "the code '" + r.code + "' is used twice: a repeat needs a code of its own");
    }
    if (r.max < 1 || r.max > 100) return fail(path + "/max", "a repeat may be filled in between 1 and 100 times");
    r.first = all.questions.size();
    r.end = 0;
  }
  for (size_t qi = 0; qi < all.questions.size(); ++qi) {
    const Question& q = all.questions[qi];
    if (q.repeat < 0) continue;
    const std::string path = "/questions/" + std::to_string(qi) + "/repeat";
    if (static_cast<size_t>(q.repeat) >= all.repeats.size()) return fail(path, "there is no such repeat");
    Repeat& r = all.repeats[static_cast<size_t>(q.repeat)];
    if (r.end != 0 && r.end != qi) {
      return fail(path, "the questions of the repeat '" + r.code + "' must follow one another");
    }
    if (r.end == 0) {
      r.first = qi;
      r.page = q.page;
    } else if (q.page != r.page) {
      return fail("/questions/" + std::to_string(qi) + "/page",
                  "the questions of the repeat '" + r.code + "' are asked on one page");
    }
    r.end = qi + 1;
  }
  for (size_t ri = 0; ri < all.repeats.size(); ++ri) {
    Repeat& r = all.repeats[ri];
    const std::string path = "/repeats/" + std::to_string(ri);
    if (r.end == 0) return fail(path, "the repeat '" + r.code + "' has no questions");
    if (ri > 0 && r.first < all.repeats[ri - 1].end) return fail(path, "repeats must be listed in question order");
    for (size_t qi = 0; qi < all.questions.size(); ++qi) {
      if ((qi < r.first || qi >= r.end) && all.questions[qi].page == r.page) {
        return fail("/questions/" + std::to_string(qi) + "/page",
                    "page " + std::to_string(r.page) + " holds the repeat '" + r.code +
                        "', which has a page of its own: put this question on another page");
      }
    }
    r.fixed_count = -1;
    r.count_question = -1;
    if (!r.count.empty()) {
      if (std::all_of(r.count.begin(), r.count.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (r.count.size() > 3 || std::stoi(r.count) < 1 || std::stoi(r.count) > r.max) {
          return fail(path + "/count", "a repeat's count must be between 1 and its most, " + std::to_string(r.max));
        }
        r.fixed_count = std::stoi(r.count);
      } else {
        std::optional<size_t> i = all.find(r.count);
        if (!i || *i >= r.first || all.questions[*i].repeat >= 0 ||
            all.questions[*i].type != QuestionType::kNumber) {
          return fail(path + "/count", "a repeat's count is a whole number, or the code of a number question asked "
                                       "once, before the repeat ('" + r.count + "' is neither)");
        }
        r.count_question = static_cast<int>(*i);
      }
    }
  }
  return Status::Ok();
}


Status calculation_error(const std::string& where, const std::string& path, std::string message, long column = 0) {
  Location loc;
  loc.file = where;
  loc.column = column;
  loc.field = path;
  return InvalidInput(std::move(message), std::move(loc));
}

// A ${name} in a calculation or choice filter: an earlier question with
// one answer to read (not a grid, not text shown without a question).
std::function<std::optional<int>(std::string_view)> earlier_question(const Questionnaire& q, size_t before,
                                                                     std::string* refused) {
  return [&q, before, refused](std::string_view name) -> std::optional<int> {
    std::optional<size_t> i = q.find(name);
    if (!i) return std::nullopt;
    const Question& t = q.questions[*i];
    if (*i >= before) {
      *refused = "'" + t.code + "' is not asked before this question, so its answer is not known yet";
    } else if (t.repeat >= 0 && t.repeat != q.questions[before].repeat) {
      *refused = "'" + t.code + "' is asked once for each time the repeat '" +
                 q.repeats[static_cast<size_t>(t.repeat)].code + "' is filled in, so it has no single answer here";
    } else if (t.type == QuestionType::kLikert || t.type == QuestionType::kDisplay) {
      *refused = "'" + t.code + "' has no single answer to read";
    }
    return static_cast<int>(*i);
  };
}

// Compiles a question's calculation and choice filter and checks that
// they fit it.
Status finish_calculations(Questionnaire& all, size_t qi, const std::string& where) {
  Question& q = all.questions[qi];
  const std::string path = "/questions/" + std::to_string(qi);
  std::string refused;
  if (!q.calculation.empty()) {
    const std::string cpath = path + "/calculation";
    auto c = Calculation::parse(q.calculation);
    if (!c.ok()) return calculation_error(where, cpath, c.status().message(), c.status().where().column);
    if (Status s = c->resolve(earlier_question(all, qi, &refused), nullptr); !s.ok()) {
      return calculation_error(where, cpath, s.message(), s.where().column);
    }
    if (!refused.empty()) return calculation_error(where, cpath, refused);
    const CalculationResult result = c->result();
    if (q.type == QuestionType::kNumber) {
      if (result != CalculationResult::kNumber) {
        return calculation_error(where, cpath, "a number question's calculation must give a number");
      }
    } else if (q.type == QuestionType::kSingle) {
      if (result != CalculationResult::kChoice) {
        return calculation_error(where, cpath,
                                 "a single-choice question's calculation must give one of its option codes, "
                                 "like if(${age} >= 65, 'older', 'younger')");
      }
      for (const std::string& text : c->possible_texts()) {
        if (q.option_index(text) < 0) {
          return calculation_error(where, cpath, "the calculation can give '" + text + "', which is not an option");
        }
      }
    } else if (q.type != QuestionType::kShortText && q.type != QuestionType::kLongText) {
      return calculation_error(where, cpath,
                               "a calculation gives a number, text or one of a few codes: make the question number, "
                               "short_text or single");
    }
    if (q.calculated() && (q.validation.required || !q.default_answer.empty() || !q.choice_filter.empty())) {
      return calculation_error(where, cpath, "a worked-out answer cannot be required, have a default or a choice filter");
    }
    q.calculate = std::move(*c);
  }
  if (!q.trigger.empty()) {
    const std::string tpath = path + "/trigger";
    std::optional<size_t> t = all.find(q.trigger);
    if (!t) return calculation_error(where, tpath, "there is no question '" + q.trigger + "'");
    const Question& from = all.questions[*t];
    if (*t >= qi) {
      return calculation_error(where, tpath, "'" + q.trigger + "' is not asked before this question, so it cannot fill it in");
    }
    if (from.type == QuestionType::kDisplay || from.calculated()) {
      return calculation_error(where, tpath, "'" + q.trigger + "' is not answered by the person, so its answer never changes");
    }
    if (from.repeat >= 0 || q.repeat >= 0) {
      return calculation_error(where, tpath, "a trigger works between questions asked once, not in a repeat");
    }
    if (q.type == QuestionType::kLikert || q.type == QuestionType::kDisplay) {
      return calculation_error(where, tpath, "only a question the person answers can be filled in by a trigger");
    }
  }
  if (!q.choice_filter.empty()) {
    const std::string fpath = path + "/choice_filter";
    if (q.options.empty() || q.type == QuestionType::kLikert) {
      return calculation_error(where, fpath, "only a question with options can filter them");
    }
    auto f = Calculation::parse(q.choice_filter);
    if (!f.ok()) return calculation_error(where, fpath, f.status().message(), f.status().where().column);
    // `name` is the option's code; other names are the options' columns.
    q.choice_column_names = {"name"};
    for (const Option& o : q.options) {
      for (const ChoiceColumns& row : o.columns) {
        for (const auto& [column, value] : row) {
          if (std::find(q.choice_column_names.begin(), q.choice_column_names.end(), column) ==
              q.choice_column_names.end()) {
            q.choice_column_names.push_back(column);
          }
        }
      }
    }
    auto column = [&q](std::string_view name) -> std::optional<int> {
      for (size_t i = 0; i < q.choice_column_names.size(); ++i) {
        if (q.choice_column_names[i] == name) return static_cast<int>(i);
      }
      return std::nullopt;
    };
    if (Status s = f->resolve(earlier_question(all, qi, &refused), column); !s.ok()) {
      return calculation_error(where, fpath, s.message(), s.where().column);
    }
    if (!refused.empty()) return calculation_error(where, fpath, refused);
    q.filter = std::move(*f);
  }
  return Status::Ok();
}

}  // namespace

std::string_view type_name(QuestionType type) {
  for (const auto& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "?";
}

std::optional<QuestionType> parse_type(std::string_view name) {
  for (const auto& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

const std::string& Translations::in(std::string_view language, const std::string& fallback) const {
  if (language.empty()) return fallback;
  auto it = by_language.find(std::string(language));
  return it == by_language.end() || it->second.empty() ? fallback : it->second;
}

void Translations::set(const std::string& language, std::string text) {
  if (text.empty()) {
    by_language.erase(language);
  } else {
    by_language[language] = std::move(text);
  }
}

const Language* Questionnaire::find_language(std::string_view code) const {
  for (const Language& l : languages) {
    if (l.code == code) return &l;
  }
  return nullptr;
}

int Question::option_index(std::string_view wanted) const {
  for (size_t i = 0; i < options.size(); ++i) {
    if (options[i].code == wanted) return static_cast<int>(i);
  }
  return -1;
}

std::vector<Option> rank_places(size_t count) {
  std::vector<Option> out;
  for (size_t i = 1; i <= count; ++i) out.push_back({std::to_string(i), std::to_string(i)});
  return out;
}

std::vector<Option> likert_scale(int points) {
  if (points == 7) {
    return {{"strongly_disagree", N_("Strongly disagree")}, {"disagree", N_("Disagree")},
            {"somewhat_disagree", N_("Somewhat disagree")}, {"neither", N_("Neither agree nor disagree")},
            {"somewhat_agree", N_("Somewhat agree")},       {"agree", N_("Agree")},
            {"strongly_agree", N_("Strongly agree")}};
  }
  return {{"strongly_disagree", N_("Strongly disagree")}, {"disagree", N_("Disagree")},
          {"neither", N_("Neither agree nor disagree")},  {"agree", N_("Agree")},
          {"strongly_agree", N_("Strongly agree")}};
}

std::optional<size_t> Questionnaire::find(std::string_view code) const {
  for (size_t i = 0; i < questions.size(); ++i) {
    if (questions[i].code == code) return i;
  }
  return std::nullopt;
}

std::optional<size_t> Questionnaire::find_repeat(std::string_view code) const {
  for (size_t i = 0; i < repeats.size(); ++i) {
    if (repeats[i].code == code) return i;
  }
  return std::nullopt;
}

const Repeat* Questionnaire::repeat_on_page(int page) const {
  for (const Repeat& r : repeats) {
    if (r.page == page) return &r;
  }
  return nullptr;
}

std::string instance_key(std::string_view code, int instance) {
  return std::string(code) + "#" + std::to_string(instance);
}

std::optional<std::pair<std::string, int>> split_instance_key(std::string_view key) {
  const size_t hash = key.find('#');
  if (hash == std::string_view::npos || hash == 0 || hash + 1 >= key.size() || key.size() - hash > 4) return std::nullopt;
  int instance = 0;
  auto [end, ec] = std::from_chars(key.data() + hash + 1, key.data() + key.size(), instance);
  if (ec != std::errc() || end != key.data() + key.size() || instance < 1) return std::nullopt;
  return std::make_pair(std::string(key.substr(0, hash)), instance);
}

std::optional<size_t> Questionnaire::find_variable(std::string_view code) const {
  for (size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].code == code) return i;
  }
  return std::nullopt;
}

Status Questionnaire::finish(const std::string& where) {
  auto fail = [&](const std::string& path, std::string message, long column = 0) {
    Location loc;
    loc.file = where;
    loc.column = column;
    loc.field = path;
    return InvalidInput(std::move(message), std::move(loc));
  };
  if (questions.empty()) return fail("/questions", "the questionnaire has no questions");
  std::set<std::string> language_codes;
  for (size_t li = 0; li < languages.size(); ++li) {
    const std::string& code = languages[li].code;
    if (code.empty() || code.size() > 64 || code.find_first_of(" \t\"'<>&") != std::string::npos) {
      return fail("/languages/" + std::to_string(li) + "/code",
                  "'" + code + "' is not a usable language code: give a short code such as en or cy");
    }
    if (!language_codes.insert(code).second) {
      return fail("/languages/" + std::to_string(li) + "/code", "the language '" + code + "' is listed twice");
    }
  }
  // Translations may only be into the questionnaire's other languages.
  const std::string first_language = default_language();
  auto check_translations = [&](const Translations& t, const std::string& path) -> Status {
    for (const auto& [language, text] : t.by_language) {
      if (language_codes.count(language) == 0 || language == first_language) {
        return fail(path + "/translations/" + language,
                    "'" + language + "' is not one of the questionnaire's other languages (see languages)");
      }
    }
    return Status::Ok();
  };
  if (Status s = check_translations(title_translations, ""); !s.ok()) return s;
  if (Status s = check_translations(description_translations, ""); !s.ok()) return s;
  std::set<std::string> codes;
  pages = 1;
  int last_page = 1;
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    Question& q = questions[qi];
    const std::string path = "/questions/" + std::to_string(qi);
    if (!valid_code(q.code)) {
      return fail(path + "/code", "'" + q.code +
                                      "' is not a usable question code: start with a letter and use only letters, "
                                      "digits and _ (at most 64)");
    }
    if (q.code == "id" || q.code == "started_at" || q.code == "submitted_at" || q.code == "last_page" ||
        (q.code == "language" && languages.size() > 1)) {
      return fail(path + "/code", "'" + q.code + "' is a column of every response file; choose another code");
    }
    if (!codes.insert(q.code).second) return fail(path + "/code", "the code '" + q.code + "' is used twice");
    if (q.page < 1) return fail(path + "/page", "pages count from 1");
    if (q.page < last_page) {
      return fail(path + "/page", "questions must be listed in page order: page " + std::to_string(q.page) +
                                      " comes after page " + std::to_string(last_page));
    }
    last_page = q.page;
    pages = std::max(pages, q.page);
    // Fixed option sets.
    if (q.type == QuestionType::kYesNo && q.options.empty()) q.options = {{"yes", "Yes"}, {"no", "No"}};
    if (q.rank) {
      if (q.type != QuestionType::kLikert) return fail(path + "/type", "only a rank question puts items in order");
      if (q.items.size() < 2) return fail(path + "/items", "a rank question needs at least two things to put in order");
      if (q.dont_know) return fail(path + "/dont_know", "a rank question has no 'don't know'");
      if (q.options.empty()) q.options = rank_places(q.items.size());
      if (q.options.size() != q.items.size()) {
        return fail(path + "/options", "a rank question has one place for each thing it puts in order");
      }
    }
    if (q.type == QuestionType::kLikert) {
      if (q.options.empty()) return fail(path + "/points", "a Likert grid needs a scale: points 5 or 7");
      if (q.dont_know && q.options.back().code != "dont_know") q.options.push_back({"dont_know", "Don't know"});
      q.ordered = true;
      if (q.items.empty()) return fail(path + "/items", "a Likert grid needs at least one statement in items");
    }
    if (q.type == QuestionType::kRating) q.ordered = true;
    if (is_choice(q.type) || q.type == QuestionType::kMultiple) {
      if (q.options.size() < 2 && q.type != QuestionType::kMultiple) {
        return fail(path + "/options", "a " + std::string(type_name(q.type)) + " question needs at least two options");
      }
      if (q.options.empty()) return fail(path + "/options", "a multiple-choice question needs options");
      if (q.type == QuestionType::kMultiple && q.options.size() > kMaxMultipleOptions) {
        return fail(path + "/options", "a multiple-choice question may have at most 64 options");
      }
      if (q.options.size() > 30000) return fail(path + "/options", "too many options");
      std::set<std::string> option_codes;
      for (size_t oi = 0; oi < q.options.size(); ++oi) {
        const Option& o = q.options[oi];
        const std::string opath = path + "/options/" + std::to_string(oi) + "/code";
        if (!valid_option_code(o.code)) {
          return fail(opath, "'" + o.code + "' is not a usable option code: use letters, digits, _, - and . only");
        }
        if (!option_codes.insert(o.code).second) return fail(opath, "the option code '" + o.code + "' is used twice");
      }
      if (q.other_specify && q.option_index("other") < 0) {
        return fail(path + "/other_specify", "'other, please specify' needs an option coded other");
      }
    } else if (!q.options.empty()) {
      return fail(path + "/options", "a " + std::string(type_name(q.type)) + " question has no options");
    }
    std::set<std::string> item_codes;
    for (size_t ii = 0; ii < q.items.size(); ++ii) {
      if (!valid_code(q.items[ii].code) || !item_codes.insert(q.items[ii].code).second) {
        return fail(path + "/items/" + std::to_string(ii) + "/code",
                    "'" + q.items[ii].code + "' is missing, repeated or not a usable code");
      }
    }
    for (const Translations* t : {&q.text_translations, &q.hint_translations, &q.guidance_translations,
                                  &q.validation.required_message_translations,
                                  &q.validation.constraint_message_translations}) {
      if (Status s = check_translations(*t, path); !s.ok()) return s;
    }
    for (size_t oi = 0; oi < q.options.size(); ++oi) {
      const std::string opath = path + "/options/" + std::to_string(oi);
      if (Status s = check_translations(q.options[oi].label_translations, opath); !s.ok()) return s;
    }
    for (size_t ii = 0; ii < q.items.size(); ++ii) {
      const std::string ipath = path + "/items/" + std::to_string(ii);
      if (Status s = check_translations(q.items[ii].label_translations, ipath); !s.ok()) return s;
    }
    if (auto problem = default_problem(q)) return fail(path + "/default", *problem);
    if (q.read_only) {
      if (q.type == QuestionType::kLikert || q.type == QuestionType::kDisplay || q.calculated()) {
        return fail(path + "/read_only", "a " + std::string(q.calculated() ? "worked-out" : type_name(q.type)) +
                                             " question cannot be read-only: only a question with an answer to show can");
      }
      if (q.validation.required) {
        return fail(path + "/read_only", "a read-only question cannot be required: the person cannot answer it");
      }
    }
    const Validation& v = q.validation;
    if (v.min && v.max && *v.min > *v.max) return fail(path + "/validation", "min is larger than max");
    if ((v.min_choices || v.max_choices) && q.type != QuestionType::kMultiple) {
      return fail(path + "/validation", "min_choices and max_choices apply to multiple-choice questions only");
    }
    if (v.min_choices && v.max_choices && *v.min_choices > *v.max_choices) {
      return fail(path + "/validation", "min_choices is larger than max_choices");
    }
    if (!v.pattern.empty()) {
      if (q.type != QuestionType::kShortText) return fail(path + "/validation/pattern", "a pattern applies to short text only");
      try {
        std::regex re(v.pattern, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return fail(path + "/validation/pattern", "the pattern is not a valid regular expression");
      }
    }
  }
  if (Status s = finish_repeats(*this, codes, fail); !s.ok()) return s;
  // Conditions, resolved against the questions (a condition may only read
  // questions asked before it, so the form can decide as the person goes).
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    Question& q = questions[qi];
    const std::string path = "/questions/" + std::to_string(qi) + "/show_if";
    StatusOr<Expression> e = Expression::parse(q.show_if);
    if (!e.ok()) return fail(path, e.status().message(), e.status().where().column);
    Status s = e->resolve([&](std::string_view name) { return condition_operand(*this, name); });
    if (!s.ok()) return fail(path, s.message(), s.where().column);
    for (int ref : e->references()) {
      if (static_cast<size_t>(ref) >= qi) {
        return fail(path, "a condition may only use questions asked before this one ('" +
                              questions[static_cast<size_t>(ref)].code + "' is not)");
      }
      if (questions[static_cast<size_t>(ref)].type == QuestionType::kLikert) {
        return fail(path, "a condition cannot test a Likert grid as a whole");
      }
      if (int r = questions[static_cast<size_t>(ref)].repeat; r >= 0 && r != q.repeat) {
        return fail(path, "a condition may not use '" + questions[static_cast<size_t>(ref)].code +
                              "': it is asked once for each time the repeat '" + repeats[static_cast<size_t>(r)].code +
                              "' is filled in, so it has no single answer here");
      }
    }
    q.condition = std::move(*e);
  }
  // A repeat's own condition and count read questions asked once, before it.
  for (size_t ri = 0; ri < repeats.size(); ++ri) {
    Repeat& r = repeats[ri];
    const std::string path = "/repeats/" + std::to_string(ri) + "/show_if";
    StatusOr<Expression> e = Expression::parse(r.show_if);
    if (!e.ok()) return fail(path, e.status().message(), e.status().where().column);
    Status s = e->resolve([&](std::string_view name) { return condition_operand(*this, name); });
    if (!s.ok()) return fail(path, s.message(), s.where().column);
    for (int ref : e->references()) {
      const Question& t = questions[static_cast<size_t>(ref)];
      if (static_cast<size_t>(ref) >= r.first || t.repeat >= 0 || t.type == QuestionType::kLikert) {
        return fail(path, "a repeat's condition may only use questions asked once, before it ('" + t.code +
                              "' is not one)");
      }
    }
    r.condition = std::move(*e);
  }
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    if (Status s = finish_calculations(*this, qi, where); !s.ok()) return s;
  }
  variables.clear();
  for (Repeat& r : repeats) r.variables.clear();
  for (size_t qi = 0; qi < questions.size(); ++qi) {
    const Question& q = questions[qi];
    if (q.type == QuestionType::kDisplay) continue;
    std::vector<Variable>& into = q.repeat < 0 ? variables : repeats[static_cast<size_t>(q.repeat)].variables;
    if (q.type == QuestionType::kLikert) {
      for (size_t ii = 0; ii < q.items.size(); ++ii) {
        into.push_back({q.code + "[" + q.items[ii].code + "]", qi, static_cast<int>(ii), q.items[ii].label});
      }
    } else {
      into.push_back({q.code, qi, -1, q.text});
    }
  }
  if (variables.empty() && !repeats.empty()) {
    return fail("/questions", "every question is in a repeat: ask at least one question once, before it");
  }
  return Status::Ok();
}

}  // namespace coproduce::survey
