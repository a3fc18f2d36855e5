// The words of the survey's two small languages: show-if conditions
// (expression.h) and XLSForm calculations and choice filters
// (calculation.h). Both read names, ${name} references, quoted text,
// numbers, comparison operators, brackets and commas; calculations also
// read arithmetic and XPath's hyphenated names (count-selected).
#ifndef COPRODUCE_SURVEY_TOKENS_H_
#define COPRODUCE_SURVEY_TOKENS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace coproduce::survey {

struct Token {
  enum class Kind { kName, kString, kNumber, kOp, kLParen, kRParen, kComma, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;    // a name, the text inside quotes, an operator, or a number as written
  double number = 0;
  long column = 0;     // where it starts, from 1 (for ${name}, where the name starts)
  bool braced = false; // a name written ${name}
};

struct TokenRules {
  // + - * are operators, and a name may hold - (before a letter) and .,
  // as XPath's do; otherwise a - before a digit starts a negative number.
  bool arithmetic = false;
  // What to write instead of a lone '!'.
  const char* instead_of_bang = "write != or not";
};

// An InvalidInput whose Location column is `column`.
Status error_at(long column, std::string message);

// The tokens of `text`, ending with a kEnd token; a character that belongs
// to no token is an error at its column.
StatusOr<std::vector<Token>> tokenise(std::string_view text, const TokenRules& rules = {});

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_TOKENS_H_
