// The questionnaire model: questions, their options, pages, show-if
// conditions and validation rules.
//
// A Questionnaire is a plain value. Build one with load_definition() (from the
// project's JSON definition format, see definition.h) or coproduction_template();
// both check it with Questionnaire::finish(), which resolves the show-if
// conditions against the questions. After that the object is immutable and
// safe to share between threads.
#ifndef COPRODUCE_SURVEY_QUESTIONNAIRE_H_
#define COPRODUCE_SURVEY_QUESTIONNAIRE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "survey/expression.h"

namespace coproduce::survey {

enum class QuestionType {
  kSingle,     // one option
  kMultiple,   // any number of options (optionally one of them 'other, please specify')
  kRating,     // a numbered scale, e.g. 0 to 10; options are the points "0".."10"
  kLikert,     // a grid of statements (items) each rated on the same 5- or 7-point scale
  kYesNo,      // options yes, no
  kNumber,
  kDate,       // YYYY-MM-DD
  kShortText,
  kLongText,
  kDisplay,    // text shown to the person; no answer
};

// "single", "multiple", ... as written in a definition file.
std::string_view type_name(QuestionType type);
std::optional<QuestionType> parse_type(std::string_view name);

struct Option {
  std::string code;
  std::string label;
};

struct Validation {
  bool required = false;
  std::optional<double> min;          // number: smallest value; text: fewest characters
  std::optional<double> max;          // number: largest value; text: most characters
  std::string pattern;                // short text: an ECMAScript regular expression the whole answer matches
  std::optional<int> min_choices;     // multiple: fewest options ticked
  std::optional<int> max_choices;     // multiple: most options ticked
};

struct Question {
  std::string code;     // letters, digits and _, starting with a letter
  QuestionType type = QuestionType::kSingle;
  std::string text;     // the question as asked
  std::string hint;
  int page = 1;         // pages count from 1
  // Options in the order shown. For ordinal questions (rating, Likert and any
  // single question marked `ordered`) the order is the order of the scale.
  std::vector<Option> options;
  bool ordered = false;
  bool other_specify = false;         // multiple: the option coded "other" asks for details
  bool dont_know = false;             // Likert: adds the option dont_know after the scale
  std::vector<Option> items;          // Likert: the statements
  std::string show_if;                // the condition as written; empty means always shown
  Expression condition;               // compiled by Questionnaire::finish()
  Validation validation;

  bool has_options() const { return !options.empty(); }
  // The index of the option coded `code`, or -1.
  int option_index(std::string_view code) const;
};

// A question or Likert item as one analysable column of data.
struct Variable {
  std::string code;     // the question code, or code[item] for a Likert item
  size_t question = 0;  // index into Questionnaire::questions
  int item = -1;        // Likert item index, or -1
  std::string label;
};

struct Questionnaire {
  std::string id;       // a short name, e.g. "coproduction"
  std::string title;
  std::string description;
  std::vector<Question> questions;

  // Derived by finish():
  int pages = 1;
  std::vector<Variable> variables;   // every non-display question, Likert items expanded

  // Checks codes, options and rules, compiles every show-if condition and
  // fills `pages` and `variables`. `where` names the source for messages
  // (the definition file); the Location's field is set to a JSON path such as
  // /questions/3/show_if. Must be called once before the questionnaire is used.
  Status finish(const std::string& where);

  // The index of the question coded `code`, or nullopt.
  std::optional<size_t> find(std::string_view code) const;
  // The index into `variables` of `code` ("group" or "grid[item]"), or nullopt.
  std::optional<size_t> find_variable(std::string_view code) const;
};

// The standard Likert scale of 5 or 7 points, least to most agreement.
std::vector<Option> likert_scale(int points);

// The maximum number of options a multiple-choice question may have (they are
// stored as bits of a 64-bit word).
inline constexpr size_t kMaxMultipleOptions = 64;

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_QUESTIONNAIRE_H_
