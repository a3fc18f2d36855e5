#include "survey/validation.h"

#include "core/translatable.h"
#include "i18n/catalogue.h"
#include "core/text.h"

#include "core/dates.h"

#include <charconv>
#include <cstdio>
#include <cmath>
#include <regex>
#include <sstream>

#include "core/csv.h"

namespace coproduce::survey {

namespace {

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && (text.size() < 2 || !(text[1] >= 'A' && text[1] <= 'Z'))) {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  while (!text.empty() && (text.back() == '?' || text.back() == '.' || text.back() == ':')) text.pop_back();
  return text;
}

// "12" for 12.0, otherwise up to 6 significant digits.
std::string number_text(double x) {
  if (x == std::floor(x) && std::abs(x) < 1e15) return std::to_string(static_cast<long long>(x));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}


}  // namespace

namespace {

// kOtherMissing: 'other' chosen with no details, a form failure about the
// details box rather than the answer.
enum class Failure { kRequired, kConstraint, kForm, kOtherMissing };

// The standard checks; the kind of failure says which of the question's own
// messages, if any, replaces the wording.
std::optional<std::pair<Failure, std::string>> check(const Question& q, const RawAnswer& answer,
                                                    std::string_view language);

}  // namespace

std::optional<AnswerFailure> find_answer_problem(const Question& q, const RawAnswer& answer,
                                                 std::string_view language) {
  auto failure = check(q, answer, language);
  if (!failure) return std::nullopt;
  const Validation& v = q.validation;
  // A message written only in some languages is used in those.
  if (failure->first == Failure::kRequired) {
    const std::string& own = v.required_message_translations.in(language, v.required_message);
    if (!own.empty()) return AnswerFailure{own, AnswerPart::kAnswer};
  }
  if (failure->first == Failure::kConstraint) {
    const std::string& own = v.constraint_message_translations.in(language, v.constraint_message);
    if (!own.empty()) return AnswerFailure{own, AnswerPart::kAnswer};
  }
  return AnswerFailure{std::move(failure->second),
                       failure->first == Failure::kOtherMissing ? AnswerPart::kOtherText : AnswerPart::kAnswer};
}

RawAnswer default_raw_answer(const Question& question) {
  RawAnswer out;
  if (question.default_answer.empty()) return out;
  if (question.type == QuestionType::kMultiple) {
    std::istringstream in(question.default_answer);
    std::string code;
    while (in >> code) out.values.push_back(code);
  } else {
    out.values.push_back(question.default_answer);
  }
  return out;
}

std::optional<std::string> check_answer(const Question& q, const RawAnswer& answer, std::string_view language) {
  auto failure = find_answer_problem(q, answer, language);
  if (!failure) return std::nullopt;
  return std::move(failure->message);
}

std::string choose_offered_message(const Question& q, std::string_view language) {
  const i18n::Catalogues& words = *i18n::installed();
  return words.text(language, q.type == QuestionType::kMultiple ? N_("Select options from the list")
                                                                 : N_("Select an answer from the list"));
}

namespace {

std::optional<std::pair<Failure, std::string>> check(const Question& q, const RawAnswer& answer,
                                                    std::string_view language) {
  using Result = std::optional<std::pair<Failure, std::string>>;
  auto form = [](std::string m) { return Result({Failure::kForm, std::move(m)}); };
  auto required = [](std::string m) { return Result({Failure::kRequired, std::move(m)}); };
  auto broken = [](std::string m) { return Result({Failure::kConstraint, std::move(m)}); };
  auto no_details = [](std::string m) { return Result({Failure::kOtherMissing, std::move(m)}); };
  const Validation& v = q.validation;
  std::vector<std::string> values;
  for (const std::string& value : answer.values) values.emplace_back(csv::trim(value));
  const std::string topic = lower_first(q.text_in(language));
  // Coproduce's own wording in the survey's language (from the message
  // catalogues; English where they have none), each {name} filled in.
  const i18n::Catalogues& words = *i18n::installed();
  auto say = [&](const char* english, std::initializer_list<std::pair<std::string_view, std::string>> names = {}) {
    return i18n::fill(words.text(language, english), names);
  };
  // (scripts/check-messages finds plural messages as words.plural(language, "one", "many", n).)
  if (q.type == QuestionType::kDisplay) return std::nullopt;

  if (q.type == QuestionType::kLikert) {
    auto item = [&](size_t i) { return q.items[i].label_translations.in(language, q.items[i].label); };
    size_t answered = 0;
    for (size_t i = 0; i < values.size() && i < q.items.size(); ++i) {
      if (values[i].empty()) continue;
      if (q.option_index(values[i]) < 0) return form(say(N_("Select an answer from the list for \"{item}\""), {{"item", item(i)}}));
      ++answered;
    }
    if (values.size() > q.items.size()) return form(say(N_("Answer each statement once")));
    if (q.rank) {
      // Each place goes to one thing only.
      for (size_t i = 0; i < values.size(); ++i) {
        for (size_t k = 0; k < i; ++k) {
          if (!values[i].empty() && values[i] == values[k]) {
            return form(say(N_("Give the number {place} to only one of them"), {{"place", values[i]}}));
          }
        }
      }
    }
    if (v.required && answered < q.items.size()) {
      for (size_t i = 0; i < q.items.size(); ++i) {
        if (i >= values.size() || values[i].empty()) return required(say(N_("Select an answer for \"{item}\""), {{"item", item(i)}}));
      }
    }
    return std::nullopt;
  }

  if (q.type == QuestionType::kMultiple) {
    std::vector<std::string> chosen;
    for (const std::string& value : values) {
      if (value.empty()) continue;
      if (q.option_index(value) < 0) return form(say(N_("Select options from the list")));
      for (const std::string& c : chosen) {
        if (c == value) return form(say(N_("Select each option only once")));
      }
      chosen.push_back(value);
    }
    if (chosen.empty()) {
      if (v.required) return required(say(N_("Select at least one option: {topic}"), {{"topic", topic}}));
      if (v.min_choices.value_or(0) > 0) return broken(say(N_("Select at least one option: {topic}"), {{"topic", topic}}));
      return std::nullopt;
    }
    const int n = static_cast<int>(chosen.size());
    if (v.min_choices && n < *v.min_choices) {
      return broken(words.plural(language, "Select at least {n} option", "Select at least {n} options", *v.min_choices));
    }
    if (v.max_choices && n > *v.max_choices) {
      return broken(words.plural(language, "Select no more than {n} option", "Select no more than {n} options",
                                 *v.max_choices));
    }
    if (q.other_specify) {
      bool other = false;
      for (const std::string& c : chosen) other = other || c == "other";
      if (other && csv::trim(answer.other_text).empty()) return no_details(say(N_("Tell us what the other option is")));
    }
    return std::nullopt;
  }

  if (values.size() > 1) return form(say(N_("Give one answer")));
  const std::string value = values.empty() ? std::string() : values[0];
  if (value.empty()) {
    if (!v.required) return std::nullopt;
    if (!q.options.empty()) return required(say(N_("Select an answer: {topic}"), {{"topic", topic}}));
    return required(say(N_("Enter an answer: {topic}"), {{"topic", topic}}));
  }
  switch (q.type) {
    case QuestionType::kSingle:
    case QuestionType::kRating:
    case QuestionType::kYesNo:
      if (q.option_index(value) < 0) return form(say(N_("Select an answer from the list")));
      if (q.other_specify && value == "other" && csv::trim(answer.other_text).empty()) {
        return no_details(say(N_("Tell us what the other answer is")));
      }
      return std::nullopt;
    case QuestionType::kNumber: {
      double x = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
      if (ec != std::errc() || p != value.data() + value.size() || !std::isfinite(x)) {
        return form(say(N_("Enter a number, like 12 or 3.5")));
      }
      if (v.min && v.max && (x < *v.min || x > *v.max)) {
        return broken(say(N_("Enter a number between {min} and {max}"), {{"min", number_text(*v.min)}, {"max", number_text(*v.max)}}));
      }
      if (v.min && x < *v.min) return broken(say(N_("Enter a number that is {min} or more"), {{"min", number_text(*v.min)}}));
      if (v.max && x > *v.max) return broken(say(N_("Enter a number that is {max} or less"), {{"max", number_text(*v.max)}}));
      return std::nullopt;
    }
    case QuestionType::kDate:
      if (!is_date(value)) return form(say(N_("Enter a real date, like 2026-03-01")));
      return std::nullopt;
    case QuestionType::kShortText:
    case QuestionType::kLongText: {
      const double length = static_cast<double>(utf8_length(value));
      if (v.min && length < *v.min) return broken(say(N_("Enter at least {min} characters"), {{"min", number_text(*v.min)}}));
      if (v.max && length > *v.max) return broken(say(N_("Enter no more than {max} characters"), {{"max", number_text(*v.max)}}));
      if (!v.pattern.empty()) {
        try {
          if (!std::regex_match(value, std::regex(v.pattern, std::regex::ECMAScript))) {
            return broken(say(N_("Enter {topic} in the right format"), {{"topic", topic}}));
          }
        } catch (const std::regex_error&) {
          return broken(say(N_("Enter {topic} in the right format"), {{"topic", topic}}));
        }
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

}  // namespace coproduce::survey
