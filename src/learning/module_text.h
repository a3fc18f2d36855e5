// The parts of a learning module that people edit as plain text in a form,
// written out from ModuleContent and read back: the learning outcomes, the
// pages (standard and Easy Read) and the knowledge check. Pure: no database,
// no web. Writing then reading gives back the same content.
//
// Outcomes: one on each line; blank lines are skipped.
//
// Pages: Markdown, each page starting with a line "# Page title". Inside a
// page, headings are one level lower than they are kept ("## A heading" is
// kept as "# A heading", which pages render below the page title), so "# "
// at the start of a line always starts a new page.
//
// Questions: one block each, with a blank line between blocks:
//
//   ? Which of these is co-production?
//   * A right answer | Feedback shown to whoever chooses it
//   - A wrong answer | Feedback shown to whoever chooses it
//
//   ?? Which are principles of co-production? Choose all that apply.
//   * Equality | Right.
//   - Efficiency
//
// "? " starts a choose-one question, "?? " a choose-all-that-apply one; "* "
// starts a right answer and "- " a wrong one. The feedback after " | " is
// optional. A "|" inside an answer is written "\|" (and a backslash "\\").
// Each question, answer and feedback is one line: a line break in one
// (possible only in content imported as JSON) is written as a space.
#ifndef COPRODUCE_LEARNING_MODULE_TEXT_H_
#define COPRODUCE_LEARNING_MODULE_TEXT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.h"
#include "learning/content.h"

namespace coproduce::learning {

// Where each item read from a text began, by its path in validate()'s terms
// ("questions.3", "questions.3.options.1", "pages.0", "outcomes.2"), as a
// line number counting from 1.
using TextLines = std::map<std::string, int>;

// What reading one text gives: the items, where each began, and the
// problems found. Each problem's field is the form field ("outcomes",
// "pages", "easy_read" or "questions") and its message starts with the line,
// as in "Line 7: a question needs at least two answers". Reading stops
// listing problems after kMaxTextProblems, saying there are more.
template <typename T>
struct FromText {
  T value;
  TextLines lines;
  std::vector<FieldError> problems;
};

inline constexpr size_t kMaxTextProblems = 10;

// Outcomes, one on each line.
std::string outcomes_text(const std::vector<std::string>& outcomes);
FromText<std::vector<std::string>> outcomes_from_text(std::string_view text);

// Pages in Markdown, each starting "# Page title". `field` is the form field
// the text came from, "pages" or "easy_read"; it names problems and is the
// first part of each path in `lines`. Text before the first page is a
// problem; an empty text is no pages.
std::string pages_text(const std::vector<ContentPage>& pages);
FromText<std::vector<ContentPage>> pages_from_text(std::string_view text, const std::string& field);

// The knowledge check in the question format above. Besides lines it does
// not recognise, reading checks what needs the line to be understood: a
// question has text and at least two answers, each answer has text, a
// choose-one question has exactly one right answer and a choose-all one at
// least one. Everything else (lengths, how many) is left to validate().
std::string questions_text(const std::vector<Question>& questions);
FromText<std::vector<Question>> questions_from_text(std::string_view text);

// validate()'s errors as a form shows them: a path such as
// "questions.3.options" becomes its form field ("questions"), and the message
// starts with the line the item began on when `lines` knows it
// ("Line 12: give question 4 at least 2 answers to choose from").
std::vector<FieldError> errors_on_form(const std::vector<FieldError>& errors, const TextLines& lines);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_MODULE_TEXT_H_
