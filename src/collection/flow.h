// The way through a survey's pages for one person: which questions are
// shown (their show-if conditions evaluated on the answers so far), which
// pages therefore count, and what each page's answers lack. Pure functions
// of the questionnaire and the answers; thread-safe.
//
//   std::vector<int> pages = visible_pages(q, answers);   // e.g. {1, 3, 4, 6, 7}
//   auto problems = check_page(q, 3, answers);            // [{code, message}]
//
// Repeats (survey/questionnaire.h): a repeat's questions are asked once per
// instance on a page of their own, their answers stored under
// instance_key(code, k) ("service#2"). The functions taking an `instance`
// read a repeat question's answers of that instance (from 1); 0 means a
// question asked once. A question asked once ignores `instance`.
#ifndef COPRODUCE_COLLECTION_FLOW_H_
#define COPRODUCE_COLLECTION_FLOW_H_

#include <string>
#include <string_view>
#include <vector>

#include "collection/responses.h"
#include "survey/validation.h"
#include "survey/questionnaire.h"

namespace coproduce::collection {

// True when question `index` is shown given `answers` (its condition holds),
// in `instance` for a question of a repeat.
bool question_shown(const survey::Questionnaire& q, size_t index, const Answers& answers, int instance = 0);

// True when repeat `r` is asked at all: its show-if condition holds.
bool repeat_shown(const survey::Repeat& r, const survey::Questionnaire& q, const Answers& answers);

// How many instances repeat `r` has given `answers`:
//  - a fixed count ("count": 3): that number;
//  - a count question: its answer, when a whole number, at most r.max; 0
//    when unanswered, negative or not whole (the repeat is then skipped);
//  - otherwise the person adds as many as they need: the number stored
//    under the repeat's own code, 1 when none is stored yet, kept between
//    1 and r.max. The page always keeps at least one instance: someone who
//    has nothing to tell leaves it blank (when its questions are not
//    required), and shown_answers() then sends none of it; a survey that
//    wants people to say "none" in so many words asks first and gives the
//    repeat a show_if.
// Does not look at whether the repeat is shown (repeat_shown()).
int instance_count(const survey::Repeat& r, const survey::Questionnaire& q, const Answers& answers);

// The pages with at least one shown question, in order. Pages whose
// questions are all hidden are skipped and do not count in "Page N of M".
// A repeat's page counts when the repeat is shown and has at least one
// instance (a count question answered 0 skips it).
std::vector<int> visible_pages(const survey::Questionnaire& q, const Answers& answers);

// The indices of the shown questions on `page`: on a repeat's page those
// shown in `instance`, or with `instance` 0 those shown in at least one
// of its instances.
std::vector<size_t> page_questions(const survey::Questionnaire& q, int page, const Answers& answers,
                                   int instance = 0);

// The options of question `index` to offer, by index: all of them unless
// its choice filter leaves some out given the answers so far (in
// `instance` for a repeat question).
std::vector<size_t> offered_options(const survey::Questionnaire& q, size_t index, const Answers& answers,
                                    int instance = 0);

struct AnswerProblem {
  std::string code;      // the question code; for a repeat question the instance key ("service#2")
  std::string message;   // what to do, GOV.UK style
  survey::AnswerPart part = survey::AnswerPart::kAnswer;  // the answer, or its 'other' details
};

// Checks every shown question on `page` (survey/validation.h), with the
// questions' own messages in `language` when given. In page order; on a
// repeat's page every shown question of instance 1, then of instance 2, ...
std::vector<AnswerProblem> check_page(const survey::Questionnaire& q, int page, const Answers& answers,
                                      std::string_view language = {});

// The answers with those of hidden questions removed, as they are sent,
// with calculations worked out. For a repeat that is shown and has
// instances: the answers of instances 1..instance_count() (each question
// shown or not by its condition in that instance) and the count under the
// repeat's code ("2"); nothing of a hidden repeat, one with no instances,
// or one people add to as they go whose only instance is empty.
Answers shown_answers(const survey::Questionnaire& q, const Answers& answers);

// Fills in the questions whose trigger (Question::trigger) was answered
// differently in `before` than in `after`: each gets its calculation worked
// out from the answers sent so far (shown_answers of `after`), or loses its
// answer when there is no calculation or it gives nothing. Others keep what
// the person gave, so an answer filled in and then changed stays changed
// until the trigger's answer changes again.
void apply_triggers(const survey::Questionnaire& q, const Answers& before, Answers& after);

// The first visible page with a problem, or 0 when every page is fine.
int first_page_with_problem(const survey::Questionnaire& q, const Answers& answers);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_FLOW_H_
