// The way through a survey's pages for one person: which questions are
// shown (their show-if conditions evaluated on the answers so far), which
// pages therefore count, and what each page's answers lack. Pure functions
// of the questionnaire and the answers; thread-safe.
//
//   std::vector<int> pages = visible_pages(q, answers);   // e.g. {1, 3, 4, 6, 7}
//   auto problems = check_page(q, 3, answers);            // [{code, message}]
#ifndef COPRODUCE_COLLECTION_FLOW_H_
#define COPRODUCE_COLLECTION_FLOW_H_

#include <string>
#include <string_view>
#include <vector>

#include "collection/responses.h"
#include "survey/validation.h"
#include "survey/questionnaire.h"

namespace coproduce::collection {

// True when question `index` is shown given `answers` (its condition holds).
bool question_shown(const survey::Questionnaire& q, size_t index, const Answers& answers);

// The pages with at least one shown question, in order. Pages whose
// questions are all hidden are skipped and do not count in "Page N of M".
std::vector<int> visible_pages(const survey::Questionnaire& q, const Answers& answers);

// The indices of the shown questions on `page`.
std::vector<size_t> page_questions(const survey::Questionnaire& q, int page, const Answers& answers);

// The options of question `index` to offer, by index: all of them unless
// its choice filter leaves some out given the answers so far.
std::vector<size_t> offered_options(const survey::Questionnaire& q, size_t index, const Answers& answers);

struct AnswerProblem {
  std::string code;      // the question code
  std::string message;   // what to do, GOV.UK style
  survey::AnswerPart part = survey::AnswerPart::kAnswer;  // the answer, or its 'other' details
};

// Checks every shown question on `page` (survey/validation.h), with the
// questions' own messages in `language` when given. In page order.
std::vector<AnswerProblem> check_page(const survey::Questionnaire& q, int page, const Answers& answers,
                                      std::string_view language = {});

// The answers with those of hidden questions removed, as they are sent.
Answers shown_answers(const survey::Questionnaire& q, const Answers& answers);

// The first visible page with a problem, or 0 when every page is fine.
int first_page_with_problem(const survey::Questionnaire& q, const Answers& answers);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_FLOW_H_
