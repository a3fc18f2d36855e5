#include "survey/translation.h"

#include <charconv>
#include <type_traits>

#include "core/text.h"

namespace coproduce::survey {

namespace {

// Where one text lives in the questionnaire, so reading and writing walk the
// same list. T is Translations, or const Translations for reading.
template <typename T>
struct Slot {
  TranslatableText text;
  T* translations;
};

bool is_number(const std::string& s) {
  double x = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// Options whose words the site's own message catalogues already translate
// (yes and no, the agreement scale) or that are numbers need no translation.
bool options_need_words(const Question& q) {
  if (q.type == QuestionType::kYesNo || q.type == QuestionType::kLikert) return false;
  for (const Option& o : q.options) {
    if (!is_number(o.label)) return true;
  }
  return false;
}

template <typename Q, typename T = std::conditional_t<std::is_const_v<Q>, const Translations, Translations>>
std::vector<Slot<T>> slots(Q& q) {
  std::vector<Slot<T>> out;
  auto add = [&out](std::string field, std::string what, const std::string& text, T& t, bool long_text) {
    if (trim_copy(text).empty()) return;
    out.push_back({{std::move(field), std::move(what), text, "", long_text}, &t});
  };
  add("title", "The survey's title", q.title, q.title_translations, false);
  add("description", "What the survey is about", q.description, q.description_translations, true);
  int number = 0;
  for (size_t qi = 0; qi < q.questions.size(); ++qi) {
    auto& question = q.questions[qi];
    if (question.repeat >= 0 && q.repeats[static_cast<size_t>(question.repeat)].first == qi) {
      // A repeat's own words come before its first question: the heading
      // of each time it is filled in ("Service 2") and its hint.
      auto& r = q.repeats[static_cast<size_t>(question.repeat)];
      const std::string next = std::to_string(number + 1);
      add("r-" + r.code + "-label", "The heading of each repeated set of questions, from question " + next, r.label,
          r.label_translations, false);
      add("r-" + r.code + "-hint", "Hint for the repeated questions, from question " + next, r.hint,
          r.hint_translations, true);
    }
    if (question.calculated()) continue;
    const std::string n = std::to_string(++number);
    const std::string f = "q-" + question.code + "-";
    const bool shown_text = question.type == QuestionType::kDisplay;
    add(f + "text", shown_text ? "Text shown before question " + n : "Question " + n, question.text,
        question.text_translations, shown_text);
    add(f + "hint", "Hint for question " + n, question.hint, question.hint_translations, true);
    add(f + "guidance", "Guidance for whoever helps with question " + n, question.guidance,
        question.guidance_translations, true);
    if (options_need_words(question)) {
      for (auto& o : question.options) {
        add(f + "o-" + o.code, "An answer to question " + n, o.label, o.label_translations, false);
      }
    }
    for (auto& item : question.items) {
      add(f + "i-" + item.code, "A statement in question " + n, item.label, item.label_translations, false);
    }
    add(f + "required_message", "Message when question " + n + " is left empty", question.validation.required_message,
        question.validation.required_message_translations, false);
    add(f + "constraint_message", "Message when an answer to question " + n + " breaks a rule",
        question.validation.constraint_message, question.validation.constraint_message_translations, false);
  }
  return out;
}

// A language code as the questionnaire needs it: short, no spaces or quotes.
bool usable_code(const std::string& code) {
  return !code.empty() && code.size() <= 64 && code.find_first_of(" \t\"'<>&") == std::string::npos;
}

}  // namespace

std::vector<TranslatableText> translatable_texts(const Questionnaire& q, std::string_view language) {
  std::vector<TranslatableText> out;
  for (auto& s : slots(q)) {
    auto it = s.translations->by_language.find(std::string(language));
    if (it != s.translations->by_language.end()) s.text.translation = it->second;
    out.push_back(std::move(s.text));
  }
  return out;
}

std::vector<FieldError> translate(Questionnaire& q, const Language& language, const Language& written_in,
                                  const std::map<std::string, std::string>& typed) {
  std::vector<FieldError> problems;
  Language wanted{trim_copy(language.code), trim_copy(language.name)};
  Language first = q.languages.empty() ? Language{trim_copy(written_in.code), trim_copy(written_in.name)} : q.languages[0];
  if (q.languages.empty()) {
    if (first.name.empty()) {
      problems.push_back({"written_in_name", "Enter the language the survey is written in now", Problem::kMissing});
    }
    if (!usable_code(first.code)) {
      problems.push_back({"written_in_code", "Enter a short code for that language, like en", Problem::kInvalid});
    }
  }
  if (wanted.name.empty()) {
    problems.push_back({"language_name", "Enter the name of the language, like Cymraeg", Problem::kMissing});
  }
  if (!usable_code(wanted.code)) {
    problems.push_back({"language_code", "Enter a short code for the language, like cy", Problem::kInvalid});
  } else if (wanted.code == first.code) {
    problems.push_back({"language_code", "The survey is already written in " + first.name + ": choose another language",
                        Problem::kDuplicate});
  }
  auto all = slots(q);
  for (const auto& s : all) {
    auto it = typed.find(s.text.field);
    const std::string text = it == typed.end() ? std::string() : trim_copy(it->second);
    if (text.empty()) {
      problems.push_back({s.text.field, "Enter the " + wanted.name + " for: " + s.text.what, Problem::kMissing});
    } else if (utf8_length(text) > kMaxTranslationLength) {
      problems.push_back({s.text.field,
                          "The " + wanted.name + " for " + s.text.what + " must be " +
                              std::to_string(kMaxTranslationLength) + " characters or fewer",
                          Problem::kTooLong});
    }
  }
  if (!problems.empty()) return problems;
  if (q.languages.empty()) q.languages.push_back(first);
  bool known = false;
  for (Language& l : q.languages) {
    if (l.code == wanted.code) {
      l.name = wanted.name;
      known = true;
    }
  }
  if (!known) q.languages.push_back(wanted);
  for (auto& s : all) s.translations->set(wanted.code, trim_copy(typed.at(s.text.field)));
  return problems;
}

}  // namespace coproduce::survey
