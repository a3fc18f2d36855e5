// Translating conditions and checks between XLSForm and Coproduce.
//
// XLSForm writes show-if conditions in the `relevant` column as XPath:
//   ${group} = 'workforce' and not(selected(${barriers}, 'time'))
// and answer checks in the `constraint` column, with `.` for the answer:
//   . >= 0 and . <= 120          string-length(.) <= 2000
//   regex(., '^[0-9]{5}$')       count-selected(.) <= 3
// Coproduce writes conditions in its own language (expression.h) and checks
// as Validation fields. These functions translate one way or the other, or
// say why they cannot; a failure is an InvalidInput whose Location column is
// the character (from 1) where the problem starts in the text given.
//
// Meaning is kept, including for unanswered questions: in XLSForm
// `${q} != 'a'` holds when q was skipped, so it becomes `not (q = 'a')`; and
// Coproduce's `q != 'a'` (false when skipped) becomes
// `${q} != '' and ${q} != 'a'`, which comes back as `q != 'a'`.
#ifndef COPRODUCE_SURVEY_XLSFORM_EXPRESSION_H_
#define COPRODUCE_SURVEY_XLSFORM_EXPRESSION_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "survey/questionnaire.h"

namespace coproduce::survey {

// An XLSForm `relevant` expression as a Coproduce show-if condition. Names
// are not checked here (Questionnaire::finish does that).
StatusOr<std::string> relevant_to_show_if(std::string_view relevant);

// XLSForm `relevant` expressions joined with `and`, each in parentheses: a
// group's condition applies to every question in it. Empty parts are
// skipped; all empty gives "".
std::string join_relevants(const std::vector<std::string>& relevants);

// A Coproduce show-if condition as an XLSForm `relevant` expression. `q`
// supplies the option order for comparisons by scale position
// (`knowledge >= 'some'` becomes a list of the options at or above it).
StatusOr<std::string> show_if_to_relevant(std::string_view show_if, const Questionnaire& q);

// Reads an XLSForm `constraint` into `validation` for a question of `type`:
// number limits, text length, a pattern and how many choices. Checks that
// cannot be expressed as Validation fields are errors.
Status constraint_to_validation(std::string_view constraint, QuestionType type, Validation& validation);

// The XLSForm `constraint` for a question's validation ("" when none). A
// pattern is anchored as ^(?:pattern)$, since XLSForm's regex() matches
// anywhere in the answer. Fails only for a pattern holding both ' and ".
StatusOr<std::string> validation_to_constraint(const Validation& validation, QuestionType type);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_XLSFORM_EXPRESSION_H_
