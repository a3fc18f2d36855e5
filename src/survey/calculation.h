// Values worked out from answers: XLSForm `calculate` rows and
// `choice_filter` expressions.
//
// A calculation is written as XLSForm writes it (XPath 1.0 with ODK's
// functions), so a form's text is kept as it is and written back unchanged:
//
//   ${cost_per_hour} * ${hours}
//   if(${age} >= 65, 'older', 'younger')
//   count-selected(${services}) + coalesce(${other_services}, 0)
//   round(${total} div ${people}, 1)
//
// Grammar (names of functions and keywords are case-sensitive):
//   expr    := and ('or' and)*
//   and     := compare ('and' compare)*
//   compare := sum (('=' | '!=' | '<' | '<=' | '>' | '>=') sum)?
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | 'div' | 'mod') unary)*
//   unary   := '-' unary | primary
//   primary := number | 'text' | "text" | ${question} | name | '(' expr ')'
//            | function '(' (expr (',' expr)*)? ')'
// `${question}` reads a person's answer. A bare `name` means a column of the
// choices sheet (choice_filter only: `name`, or any other column such as
// `county`); in a calculation it is an error.
//
// Values follow XPath: an unanswered question is the empty text; text that
// is not a number is NaN in arithmetic, and a calculation whose result is
// NaN or empty leaves its answer empty. `=` compares as numbers when either
// side is a number, otherwise as text. Functions: if, coalesce, not, true,
// false, selected, count-selected, string-length, concat, number, int,
// round, abs, min, max, pow, and `once` (which, in a web form worked out
// on the server, is the calculation itself).
#ifndef COPRODUCE_SURVEY_CALCULATION_H_
#define COPRODUCE_SURVEY_CALCULATION_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace coproduce::survey {

// What a calculation works out.
enum class CalculationResult {
  kNumber,   // arithmetic, counts and numbers
  kText,     // anything else (concat, a choice's code, text)
  kChoice,   // one of a few fixed texts, e.g. if(${age} >= 65, 'older', 'younger')
};

// One step of a parsed calculation (see Calculation).
struct CalculationNode {
  enum class Kind { kNumber, kText, kAnswer, kChoiceColumn, kUnary, kBinary, kAnd, kOr, kCall };
  Kind kind = Kind::kNumber;
  double number = 0;
  std::string text;        // kText; kBinary: the operator; kCall: the function
  std::string name;        // kAnswer, kChoiceColumn: as written
  long column = 0;         // where it starts (from 1)
  int index = -1;          // kAnswer, kChoiceColumn: filled in by resolve()
  std::vector<int> args;   // children
};

class Calculation {
 public:
  Calculation() = default;

  // Parses `text`. A mistake is an InvalidInput whose Location column is the
  // character (from 1) where it starts.
  static StatusOr<Calculation> parse(std::string_view text);

  // Resolves each ${question} with `question` (its index, or nullopt when
  // there is no such question) and each bare name with `choice_column` (its
  // index, or nullopt). Either function may be empty: then no name of that
  // kind is allowed. Errors carry the column of the name.
  Status resolve(const std::function<std::optional<int>(std::string_view)>& question,
                 const std::function<std::optional<int>(std::string_view)>& choice_column);

  bool empty() const { return root_ < 0; }
  // The question indices read, in the order first met.
  std::vector<int> references() const;
  // What the calculation gives, from its shape.
  CalculationResult result() const;
  // For kChoice: the texts it can give, in the order written.
  std::vector<std::string> possible_texts() const;

  // Where the values come from while working out.
  struct Source {
    // A person's answer to question `index` as text: a number, an option
    // code, several codes separated by spaces, a date or text; "" when
    // unanswered.
    std::function<std::string(int index)> answer;
    // The value of choices-sheet column `index` for the choice being
    // filtered ("" when the choice has none).
    std::function<std::string(int index)> choice_column;
  };

  // The result as an answer would be stored: numbers written shortest
  // ("2.5", "3"), "" for NaN, true/false as "true"/"false".
  std::string evaluate(const Source& source) const;
  // The result as a condition: XPath's boolean() of it.
  bool holds(const Source& source) const;

 private:
  struct Value;
  Value eval(int node, const Source& source) const;

  std::vector<CalculationNode> nodes_;
  int root_ = -1;
};

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_CALCULATION_H_
