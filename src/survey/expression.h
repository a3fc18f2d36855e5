// Show-if conditions: a small expression language over a person's answers.
//
//   group = 'workforce'
//   selected(barriers, 'time') and not (role = 'commissioner')
//   age >= 18 and age < 65
//   (group = 'lived_experience' or group = 'carer') and answered(heard)
//
// Grammar (keywords and names are case-sensitive; `${name}` is accepted for a
// name, as XLSForm writes it):
//   expr    := and ('or' and)*
//   and     := unary ('and' unary)*
//   unary   := 'not' unary | compare
//   compare := operand (('=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>=') literal)?
//   operand := '(' expr ')' | 'selected' '(' name ',' string ')' | 'answered' '(' name ')'
//            | 'true' | 'false' | name
//   literal := 'text' | "text" | number
//
// Meaning: `q = 'code'` is true when q's answer is that option; comparisons
// with an unanswered question are false (so `not (q = 'a')` is true when q
// was skipped). `<`, `>` and friends compare numbers for number questions and
// for options whose codes are numbers (rating scales), and scale positions for
// ordered questions (`knowledge >= 'some'`). `selected(q, 'code')` works for
// multiple and single choice. Text and date questions can only be tested with
// answered().
#ifndef COPRODUCE_SURVEY_EXPRESSION_H_
#define COPRODUCE_SURVEY_EXPRESSION_H_

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace coproduce::survey {

// What a name in an expression refers to, as the questionnaire resolves it.
struct Operand {
  enum class Kind { kChoice, kMultiple, kNumber, kText };
  int index = -1;                       // the question's index
  Kind kind = Kind::kChoice;
  std::vector<std::string> option_codes;  // choice and multiple
  bool ordered = false;                 // choice: comparisons by scale position allowed
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct ExprNode {
  enum class Kind { kOr, kAnd, kNot, kCompare, kSelected, kAnswered, kConstant };
  Kind kind = Kind::kConstant;
  int left = -1, right = -1;       // child nodes (kOr, kAnd: both; kNot: left)
  bool constant = true;            // kConstant
  // kCompare, kSelected, kAnswered:
  std::string name;                // as written
  long name_column = 0;            // where the name starts (1-based)
  CompareOp op = CompareOp::kEq;
  bool literal_is_number = false;
  double number = 0;
  std::string text;
  long literal_column = 0;
  // Filled in by resolve():
  int question = -1;
  Operand::Kind operand_kind = Operand::Kind::kChoice;
  int option = -1;                 // the literal as an option index, or -1
  bool by_position = false;        // ordered comparison of option indices
  std::vector<double> option_values;  // choice with numeric codes: each option's value
};

// A parsed (and, after resolve(), checked) condition. An empty Expression is
// always true. Copyable; immutable after resolve(); thread-safe to evaluate.
class Expression {
 public:
  Expression() = default;

  // Parses `text`. A syntax error is an InvalidInput Status whose Location
  // column is the 1-based character position of the problem.
  static StatusOr<Expression> parse(std::string_view text);

  // Looks up every name with `lookup` (nullopt: no such question) and checks
  // that option codes exist and operators suit the question's type. Errors
  // carry the column of the offending name or literal.
  Status resolve(const std::function<std::optional<Operand>(std::string_view)>& lookup);

  bool empty() const { return root_ < 0; }
  // The question indices the condition reads.
  std::vector<int> references() const;

  // Evaluates against one person's answers. `Answers` provides
  //   int choice(int q) const;          // option index, or -1 when unanswered
  //   std::uint64_t multiple(int q) const;  // bit i set when option i ticked
  //   double number(int q) const;       // NaN when unanswered
  //   bool answered(int q) const;
  template <typename Answers>
  bool evaluate(const Answers& answers) const {
    return root_ < 0 ? true : eval(root_, answers);
  }

 private:
  template <typename Answers>
  bool eval(int i, const Answers& a) const;

  std::vector<ExprNode> nodes_;
  int root_ = -1;
};

inline bool compare_values(double x, CompareOp op, double y) {
  switch (op) {
    case CompareOp::kEq: return x == y;
    case CompareOp::kNe: return x != y;
    case CompareOp::kLt: return x < y;
    case CompareOp::kLe: return x <= y;
    case CompareOp::kGt: return x > y;
    case CompareOp::kGe: return x >= y;
  }
  return false;
}

template <typename Answers>
bool Expression::eval(int i, const Answers& a) const {
  const ExprNode& n = nodes_[static_cast<size_t>(i)];
  switch (n.kind) {
    case ExprNode::Kind::kConstant: return n.constant;
    case ExprNode::Kind::kOr: return eval(n.left, a) || eval(n.right, a);
    case ExprNode::Kind::kAnd: return eval(n.left, a) && eval(n.right, a);
    case ExprNode::Kind::kNot: return !eval(n.left, a);
    case ExprNode::Kind::kAnswered: return a.answered(n.question);
    case ExprNode::Kind::kSelected:
      if (n.operand_kind == Operand::Kind::kMultiple) return (a.multiple(n.question) >> n.option) & 1u;
      return a.choice(n.question) == n.option;
    case ExprNode::Kind::kCompare: {
      if (n.operand_kind == Operand::Kind::kNumber) {
        const double v = a.number(n.question);
        return !std::isnan(v) && compare_values(v, n.op, n.number);
      }
      const int c = a.choice(n.question);
      if (c < 0) return false;
      if (n.op == CompareOp::kEq && n.option >= 0) return c == n.option;
      if (n.op == CompareOp::kNe && n.option >= 0) return c != n.option;
      if (n.by_position) return compare_values(c, n.op, n.option);
      return compare_values(n.option_values[static_cast<size_t>(c)], n.op, n.number);
    }
  }
  return false;
}

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_EXPRESSION_H_
