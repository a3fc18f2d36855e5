#include "survey/expression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

// Answers for three questions: 0 group (choice a/b/workforce), 1 barriers
// (multiple time/cost), 2 age (number), 3 knowledge (ordered none..in_depth),
// 4 score (choice with codes 0..10), 5 note (text).
struct FakeAnswers {
  int group = -1;
  std::uint64_t barriers = 0;
  double age = std::numeric_limits<double>::quiet_NaN();
  int knowledge = -1;
  int score = -1;
  bool note = false;
  int choice(int q) const { return q == 0 ? group : q == 3 ? knowledge : score; }
  std::uint64_t multiple(int) const { return barriers; }
  double number(int) const { return age; }
  bool answered(int q) const {
    switch (q) {
      case 0: return group >= 0;
      case 1: return barriers != 0;
      case 2: return !std::isnan(age);
      case 3: return knowledge >= 0;
      case 4: return score >= 0;
      default: return note;
    }
  }
};

std::optional<Operand> lookup(std::string_view name) {
  Operand op;
  if (name == "group") {
    op.index = 0;
    op.option_codes = {"a", "b", "workforce"};
  } else if (name == "barriers") {
    op.index = 1;
    op.kind = Operand::Kind::kMultiple;
    op.option_codes = {"time", "cost"};
  } else if (name == "age") {
    op.index = 2;
    op.kind = Operand::Kind::kNumber;
  } else if (name == "knowledge") {
    op.index = 3;
    op.option_codes = {"none", "a_little", "some", "in_depth"};
    op.ordered = true;
  } else if (name == "score") {
    op.index = 4;
    for (int i = 0; i <= 10; ++i) op.option_codes.push_back(std::to_string(i));
    op.ordered = true;
  } else if (name == "note") {
    op.index = 5;
    op.kind = Operand::Kind::kText;
  } else {
    return std::nullopt;
  }
  return op;
}

Expression compile(const std::string& text) {
  StatusOr<Expression> e = Expression::parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.status().to_string();
  if (!e.ok()) return {};
  Status s = e->resolve(lookup);
  EXPECT_TRUE(s.ok()) << text << ": " << s.to_string();
  return *e;
}

// The message and 1-based column of a parse or resolve failure.
std::pair<std::string, long> failure(const std::string& text) {
  StatusOr<Expression> e = Expression::parse(text);
  if (!e.ok()) return {e.status().message(), e.status().where().column};
  Status s = e->resolve(lookup);
  if (!s.ok()) return {s.message(), s.where().column};
  return {"", 0};
}

TEST(SurveyExpression, EqualityOnAChoice) {
  FakeAnswers a;
  a.group = 2;
  EXPECT_TRUE(compile("group = 'workforce'").evaluate(a));
  EXPECT_TRUE(compile("${group} == \"workforce\"").evaluate(a));
  EXPECT_FALSE(compile("group = 'a'").evaluate(a));
  EXPECT_TRUE(compile("group != 'a'").evaluate(a));
}

TEST(SurveyExpression, UnansweredComparesFalseButNotIsTrue) {
  FakeAnswers a;  // nothing answered
  EXPECT_FALSE(compile("group = 'a'").evaluate(a));
  EXPECT_FALSE(compile("group != 'a'").evaluate(a));
  EXPECT_TRUE(compile("not (group = 'a')").evaluate(a));
  EXPECT_FALSE(compile("age >= 0").evaluate(a));
  EXPECT_FALSE(compile("answered(note)").evaluate(a));
}

TEST(SurveyExpression, SelectedAndBooleanLogicWithPrecedence) {
  FakeAnswers a;
  a.barriers = 0b10;  // cost
  a.group = 0;
  EXPECT_TRUE(compile("selected(barriers, 'cost')").evaluate(a));
  EXPECT_FALSE(compile("selected(barriers, 'time')").evaluate(a));
  EXPECT_TRUE(compile("selected(group, 'a')").evaluate(a));
  // and binds tighter than or: false or (true and true)
  EXPECT_TRUE(compile("group = 'b' or group = 'a' and selected(barriers, 'cost')").evaluate(a));
  EXPECT_FALSE(compile("(group = 'b' or group = 'a') and selected(barriers, 'time')").evaluate(a));
  EXPECT_TRUE(compile("not not true").evaluate(a));
}

TEST(SurveyExpression, NumbersAndOrderedScales) {
  FakeAnswers a;
  a.age = 17.5;
  a.knowledge = 2;  // some
  a.score = 7;
  EXPECT_TRUE(compile("age < 18 and age >= 17.5").evaluate(a));
  EXPECT_FALSE(compile("age > 17.5").evaluate(a));
  EXPECT_TRUE(compile("knowledge >= 'some'").evaluate(a));
  EXPECT_FALSE(compile("knowledge > 'some'").evaluate(a));
  EXPECT_TRUE(compile("score >= 7").evaluate(a));
  EXPECT_TRUE(compile("score = 7").evaluate(a));
  EXPECT_FALSE(compile("score < 6.5").evaluate(a));
}

TEST(SurveyExpression, EmptyIsAlwaysTrue) {
  StatusOr<Expression> e = Expression::parse("   ");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
  EXPECT_TRUE(e->evaluate(FakeAnswers{}));
}

TEST(SurveyExpression, ErrorsNameThePosition) {
  using P = std::pair<std::string, long>;
  EXPECT_EQ(failure("group = 'workforce"), P("this text is never closed: add the closing '", 9));
  EXPECT_EQ(failure("group = 'x' and"), P("the condition ends too early: expected a question code", 16));
  EXPECT_EQ(failure("group 'a'"), P("expected a comparison such as = 'yes' after group", 7));
  EXPECT_EQ(failure("(group = 'a'"), P("expected ')' but found 'end'", 13));
  EXPECT_EQ(failure("group = 'a' group = 'b'"), P("unexpected 'group': join conditions with and / or", 13));
  EXPECT_EQ(failure("group ! 'a'"), P("'!' on its own is not an operator: write != or not", 7));
  EXPECT_EQ(failure("group = 'a' & age > 3"), P("unexpected character '&'", 13));
  EXPECT_EQ(failure("grup = 'a'"), P("there is no question coded 'grup'", 1));
  EXPECT_EQ(failure("group = 'workforc'"), P("'workforc' is not an option of group (its options: a, b, workforce)", 9));
  EXPECT_EQ(failure("selected(barriers, 'money')"),
            P("'money' is not an option of barriers (its options: time, cost)", 20));
  EXPECT_EQ(failure("barriers = 'time'"), P("'barriers' allows several answers: use selected(barriers, '...')", 1));
  EXPECT_EQ(failure("age = 'old'"), P("'age' is a number question: compare it with a number, not text", 7));
  EXPECT_EQ(failure("note = 'x'"), P("'note' is a text or date question: test it with answered(note)", 1));
  EXPECT_EQ(failure("group > 'a'"), P("'group' is not an ordered scale, so only = and != can compare it", 1));
}

TEST(SurveyExpression, TheTemplateConditionsCompile) {
  const Questionnaire& q = coproduction_template();
  const Question& role = q.questions[*q.find("role")];
  EXPECT_EQ(role.show_if, "group = 'workforce'");
  EXPECT_FALSE(role.condition.empty());
}

}  // namespace
}  // namespace coproduce::survey
