// Checking one person's answer to one question against the question's type
// and validation rules, as the survey pages and the API will do before saving.
//
//   RawAnswer answer;
//   answer.values = {"time", "cost"};              // from the form
//   std::optional<std::string> error = check_answer(question, answer);
//   if (error) show *error beside the field and in the error summary
//
// Messages follow the GOV.UK pattern: say what to do, not what went wrong.
#ifndef COPRODUCE_SURVEY_VALIDATION_H_
#define COPRODUCE_SURVEY_VALIDATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "survey/questionnaire.h"

namespace coproduce::survey {

// An answer as a form sends it: one value for most questions (an option
// code, a number, a date YYYY-MM-DD or text), several for multiple choice,
// one per statement (in item order, empty for none) for a Likert grid.
struct RawAnswer {
  std::vector<std::string> values;
  std::string other_text;  // 'other, please specify'
};

// The answer `question.default_answer` gives, as a form would send it
// (multiple choice: its codes split at spaces); empty values when it has none.
RawAnswer default_raw_answer(const Question& question);

// Nullopt when the answer is acceptable (an empty answer is acceptable unless
// the question is required); otherwise the message to show. A question's own
// messages (Validation::required_message when a required answer is missing,
// constraint_message when an answer breaks a rule) replace the standard
// wording, in `language` when given (a code from Questionnaire::languages).
// Thread-safe.
std::optional<std::string> check_answer(const Question& question, const RawAnswer& answer,
                                        std::string_view language = {});

// Which part of an answer a problem is about, so a page can place the
// message without reading it: the answer itself, or the details given for
// 'other, please specify'.
enum class AnswerPart { kAnswer, kOtherText };

struct AnswerFailure {
  std::string message;
  AnswerPart part = AnswerPart::kAnswer;
};

// check_answer with the part of the answer the problem is about.
std::optional<AnswerFailure> find_answer_problem(const Question& question, const RawAnswer& answer,
                                                 std::string_view language = {});

// What a person reads when an answer holds an option the question does not
// offer them now (its choice filter left it out), in `language`.
std::string choose_offered_message(const Question& question, std::string_view language = {});

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_VALIDATION_H_
