#include "survey/xlsform_expression.h"

#include <gtest/gtest.h>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

// One case per line: what a spreadsheet author writes, and what Coproduce
// reads (or the error, starting "error:", with the character it points at).
struct RelevantCase {
  const char* relevant;
  const char* show_if;
};

const RelevantCase kRelevant[] = {
    {"", ""},
    {"${group} = 'workforce'", "group = 'workforce'"},
    {"${group}='lived_experience' or ${group}='carer'", "group = 'lived_experience' or group = 'carer'"},
    {"selected(${barriers}, 'time')", "selected(barriers, 'time')"},
    {"not(selected(${barriers}, 'time'))", "not selected(barriers, 'time')"},
    {"not(${group} = 'carer')", "not (group = 'carer')"},
    {"${age} >= 18 and ${age} < 65", "age >= 18 and age < 65"},
    {"18 <= ${age}", "age >= 18"},
    {"${confidence} >= '5'", "confidence >= '5'"},
    // A skipped question differs from every value in XLSForm.
    {"${group} != 'carer'", "not (group = 'carer')"},
    {"${group} != '' and ${group} != 'carer'", "group != 'carer'"},
    {"${meaning} != ''", "answered(meaning)"},
    {"${meaning} = ''", "not answered(meaning)"},
    {"count-selected(${barriers}) > 0", "answered(barriers)"},
    {"string-length(${meaning}) = 0", "not answered(meaning)"},
    {"(${a} = 'x' or ${b} = 'y') and ${c} = 'z'", "(a = 'x' or b = 'y') and c = 'z'"},
    {"${a} = 'x' or (${b} = 'y' and ${c} = 'z')", "a = 'x' or b = 'y' and c = 'z'"},
    {"${a} = \"it's\"", "a = \"it's\""},
    {"true()", "true"},
    {"${consent}", "answered(consent)"},
    {"${group} = 'workforce' and today() > 3", "error: column 28: the function today() has no equivalent"},
    {"group = 'workforce'", "error: column 1: 'group' is not a question reference: write ${group}"},
    {"${a} + 1 > 3", "error: column 6: arithmetic and paths ('+') have no equivalent in Coproduce"},
    {"${a} = 'x", "error: column 8: this text is never closed"},
    {"${knowledge} > 'some'", "error: column 16: XLSForm compares with <, >, <= and >= as numbers"},
    {"count-selected(${barriers}) >= 2", "error: column 1: Coproduce can only ask whether count-selected"},
    {". > 3", "error: column 1: '.' (this question's answer) belongs in a constraint"},
    {"${a} = ${b}", "error: column 1: compare a question with a value"},
    {"${a} = 'x' and", "error: column 15: the expression ends too early"},
};

TEST(RelevantToShowIf, TranslatesWhatSpreadsheetAuthorsWrite) {
  for (const auto& c : kRelevant) {
    auto out = relevant_to_show_if(c.relevant);
    std::string got = out.ok() ? *out
                               : "error: column " + std::to_string(out.status().where().column) + ": " +
                                     out.status().message();
    std::string want = c.show_if;
    if (want.rfind("error:", 0) == 0) {
      EXPECT_EQ(got.substr(0, want.size()), want) << c.relevant;
    } else {
      EXPECT_EQ(got, want) << c.relevant;
    }
  }
}

// A questionnaire to resolve scale positions against.
const Questionnaire& scales() {
  static const Questionnaire q = [] {
    auto parsed = parse_definition(R"({"title": "t", "questions": [
      {"code": "knowledge", "type": "single", "ordered": true,
       "options": ["none", "a_little", "some", "in_depth"], "text": "k"},
      {"code": "confidence", "type": "rating", "scale": {"min": 0, "max": 10}, "text": "c"},
      {"code": "age", "type": "number", "text": "a"},
      {"code": "group", "type": "single", "options": ["carer", "workforce"], "text": "g"},
      {"code": "barriers", "type": "multiple", "options": ["time", "cost"], "text": "b"},
      {"code": "meaning", "type": "long_text", "text": "m"}]})",
                                   "scales.json");
    EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
    return *parsed;
  }();
  return q;
}

TEST(ShowIfToRelevant, WritesConditionsKoboReads) {
  struct Case {
    const char* show_if;
    const char* relevant;
  };
  const Case cases[] = {
      {"group = 'workforce'", "${group} = 'workforce'"},
      {"group == 'workforce' or group = 'carer'", "${group} = 'workforce' or ${group} = 'carer'"},
      {"group != 'carer'", "${group} != '' and ${group} != 'carer'"},
      {"group <> 'carer' or age > 3", "${group} != '' and ${group} != 'carer' or ${age} > 3"},
      {"not (group != 'carer')", "not(${group} != '' and ${group} != 'carer')"},
      {"selected(barriers, 'time') and not answered(meaning)", "selected(${barriers}, 'time') and not(${meaning} != '')"},
      {"(group = 'carer' or age >= 18) and selected(barriers, 'cost')",
       "(${group} = 'carer' or ${age} >= 18) and selected(${barriers}, 'cost')"},
      {"knowledge >= 'some'", "${knowledge} = 'some' or ${knowledge} = 'in_depth'"},
      {"knowledge < 'none'", "false()"},
      {"age >= 18 and knowledge > 'some'", "${age} >= 18 and ${knowledge} = 'in_depth'"},
      {"confidence >= '7'", "${confidence} >= 7"},
      {"true", "true()"},
  };
  for (const auto& c : cases) {
    auto out = show_if_to_relevant(c.show_if, scales());
    ASSERT_TRUE(out.ok()) << c.show_if << ": " << out.status().to_string();
    EXPECT_EQ(*out, c.relevant) << c.show_if;
  }
}

TEST(ShowIfToRelevant, EveryConditionComesBackMeaningTheSame) {
  // Coproduce -> XLSForm -> Coproduce keeps the condition's text where the
  // languages agree, and its meaning everywhere.
  const char* same[] = {"group = 'workforce'", "group != 'carer'", "selected(barriers, 'time')",
                        "not selected(barriers, 'time')", "age >= 18 and age < 65", "answered(meaning)",
                        "(group = 'carer' or age >= 18) and selected(barriers, 'cost')"};
  for (const char* s : same) {
    auto relevant = show_if_to_relevant(s, scales());
    ASSERT_TRUE(relevant.ok()) << s;
    auto back = relevant_to_show_if(*relevant);
    ASSERT_TRUE(back.ok()) << *relevant << ": " << back.status().to_string();
    EXPECT_EQ(*back, s);
  }
}

TEST(JoinRelevants, GroupConditionsApplyToEveryQuestion) {
  EXPECT_EQ(join_relevants({"", ""}), "");
  EXPECT_EQ(join_relevants({"", "${a} = 'x'"}), "${a} = 'x'");
  EXPECT_EQ(join_relevants({"${a} = 'x' or ${b} = 'y'", "${c} = 'z'"}), "(${a} = 'x' or ${b} = 'y') and (${c} = 'z')");
  auto joined = relevant_to_show_if(join_relevants({"${a} = 'x' or ${b} = 'y'", "${c} = 'z'"}));
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(*joined, "(a = 'x' or b = 'y') and c = 'z'");
}

TEST(Constraints, BecomeValidationRules) {
  Validation v;
  ASSERT_TRUE(constraint_to_validation(". >= 0 and . <= 120", QuestionType::kNumber, v).ok());
  EXPECT_EQ(v.min, 0);
  EXPECT_EQ(v.max, 120);

  v = {};
  ASSERT_TRUE(constraint_to_validation("string-length(.) <= 2000", QuestionType::kLongText, v).ok());
  EXPECT_EQ(v.max, 2000);
  EXPECT_FALSE(v.min);

  v = {};
  ASSERT_TRUE(constraint_to_validation("string-length(.) > 2 and string-length(.) < 10", QuestionType::kShortText, v).ok());
  EXPECT_EQ(v.min, 3);
  EXPECT_EQ(v.max, 9);

  v = {};
  ASSERT_TRUE(constraint_to_validation("count-selected(.) >= 1 and count-selected(.) <= 3", QuestionType::kMultiple, v).ok());
  EXPECT_EQ(v.min_choices, 1);
  EXPECT_EQ(v.max_choices, 3);

  v = {};
  ASSERT_TRUE(constraint_to_validation("regex(., '^[A-Z]{2}[0-9]+$')", QuestionType::kShortText, v).ok());
  EXPECT_EQ(v.pattern, "[A-Z]{2}[0-9]+");
  v = {};
  ASSERT_TRUE(constraint_to_validation("regex(., '^(?:yes|no)$')", QuestionType::kShortText, v).ok());
  EXPECT_EQ(v.pattern, "yes|no");
  v = {};
  // Unanchored XLSForm patterns match anywhere in the answer.
  ASSERT_TRUE(constraint_to_validation("regex(., '[0-9]')", QuestionType::kShortText, v).ok());
  EXPECT_EQ(v.pattern, ".*(?:[0-9]).*");
  v = {};
  ASSERT_TRUE(constraint_to_validation("regex(., '^a|b$')", QuestionType::kShortText, v).ok());
  EXPECT_EQ(v.pattern, ".*(?:^a|b$).*");
}

TEST(Constraints, ThatCannotBeKeptAreErrorsWithTheirPlace) {
  struct Case {
    const char* constraint;
    QuestionType type;
    long column;
    const char* message_start;
  };
  const Case cases[] = {
      {". > 0", QuestionType::kNumber, 1, "Coproduce's limits include the number itself"},
      {". >= 0 and . <= today()", QuestionType::kNumber, 12, "Coproduce can check . against numbers"},
      {"string-length(.) <= 10", QuestionType::kNumber, 1, "string-length(.) applies to text questions"},
      {". >= 1 and . >= 2", QuestionType::kNumber, 12, "the constraint gives a smallest number twice"},
      {"regex(., '[a-z]')", QuestionType::kLongText, 1, "a pattern applies to short text"},
      {"count-selected(.) <= 2.5", QuestionType::kMultiple, 22, "a length or count limit must be a whole number"},
      {". = 3", QuestionType::kNumber, 1, "use >= and <= to give limits"},
      {". >= 0 or . <= 5", QuestionType::kNumber, 1, "Coproduce can check . against numbers"},
  };
  for (const auto& c : cases) {
    Validation v;
    v.required = true;
    Status s = constraint_to_validation(c.constraint, c.type, v);
    ASSERT_FALSE(s.ok()) << c.constraint;
    EXPECT_EQ(s.where().column, c.column) << c.constraint;
    EXPECT_EQ(s.message().rfind(c.message_start, 0), 0u) << c.constraint << ": " << s.message();
    EXPECT_TRUE(v.required && !v.min && !v.max) << "a failed constraint leaves the rules as they were";
  }
}

TEST(Constraints, ComeBackFromValidation) {
  Validation v;
  v.min = 0;
  v.max = 120.5;
  EXPECT_EQ(*validation_to_constraint(v, QuestionType::kNumber), ". >= 0 and . <= 120.5");
  EXPECT_EQ(*validation_to_constraint(v, QuestionType::kLongText), "string-length(.) >= 0 and string-length(.) <= 120.5");
  Validation p;
  p.pattern = "[0-9]{5}";
  EXPECT_EQ(*validation_to_constraint(p, QuestionType::kShortText), "regex(., '^(?:[0-9]{5})$')");
  Validation back;
  ASSERT_TRUE(constraint_to_validation(*validation_to_constraint(p, QuestionType::kShortText), QuestionType::kShortText, back).ok());
  EXPECT_EQ(back.pattern, "[0-9]{5}");
  Validation m;
  m.max_choices = 3;
  EXPECT_EQ(*validation_to_constraint(m, QuestionType::kMultiple), "count-selected(.) <= 3");
  Validation quotes;
  quotes.pattern = "it's \"quoted\"";
  EXPECT_FALSE(validation_to_constraint(quotes, QuestionType::kShortText).ok());
}

}  // namespace
}  // namespace coproduce::survey
