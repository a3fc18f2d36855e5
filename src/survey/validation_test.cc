#include "survey/validation.h"

#include <gtest/gtest.h>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

Questionnaire load(const std::string& questions) {
  StatusOr<Questionnaire> q =
      parse_definition(R"({"title": "T", "questions": [)" + questions + "]}", "v.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  return q.ok() ? *q : Questionnaire{};
}

std::string check(const Question& q, std::vector<std::string> values, std::string other = "") {
  RawAnswer a;
  a.values = std::move(values);
  a.other_text = std::move(other);
  std::optional<std::string> e = check_answer(q, a);
  return e ? *e : "ok";
}

TEST(SurveyValidation, RequiredChoiceAndUnknownOptions) {
  const Questionnaire& t = coproduction_template();
  const Question& group = t.questions[*t.find("group")];
  EXPECT_EQ(check(group, {}), "Select an answer: which of these describes you best");
  EXPECT_EQ(check(group, {"carer"}), "ok");
  EXPECT_EQ(check(group, {"staff"}), "Select an answer from the list");
  EXPECT_EQ(check(group, {"carer", "workforce"}), "Give one answer");
  const Question& heard = t.questions[*t.find("heard")];
  EXPECT_EQ(check(heard, {}), "ok");  // not required
}

TEST(SurveyValidation, MultipleChoiceCountsAndOtherPleaseSpecify) {
  const Questionnaire q = load(R"({"code": "b", "type": "multiple", "text": "Barriers?", "other_specify": true,
      "options": ["time", "cost", "power", "other"], "validation": {"min_choices": 2, "max_choices": 3}})");
  const Question& b = q.questions[0];
  EXPECT_EQ(check(b, {}), "Select at least one option: barriers");
  EXPECT_EQ(check(b, {"time"}), "Select at least 2 options");
  EXPECT_EQ(check(b, {"time", "cost", "power", "other"}, "x"), "Select no more than 3 options");
  EXPECT_EQ(check(b, {"time", "time"}), "Select each option only once");
  EXPECT_EQ(check(b, {"time", "money"}), "Select options from the list");
  EXPECT_EQ(check(b, {"time", "other"}), "Tell us what the other option is");
  // The problem is about the details box, not the answer: a page places it
  // there by this value, never by reading the message.
  RawAnswer no_details;
  no_details.values = {"time", "other"};
  auto part = find_answer_problem(b, no_details);
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(part->part, AnswerPart::kOtherText);
  no_details.values = {"nonsense"};
  part = find_answer_problem(b, no_details);
  ASSERT_TRUE(part.has_value());
  EXPECT_EQ(part->part, AnswerPart::kAnswer);
  EXPECT_EQ(check(b, {"time", "other"}, "Parking"), "ok");
}

TEST(SurveyValidation, NumbersDatesAndText) {
  const Questionnaire q = load(R"(
      {"code": "age", "type": "number", "text": "How old are you?", "validation": {"min": 16, "max": 120, "required": true}},
      {"code": "hours", "type": "number", "text": "Hours", "validation": {"min": 0.5}},
      {"code": "d", "type": "date", "text": "When?"},
      {"code": "post", "type": "short_text", "text": "Postcode", "validation": {"pattern": "[A-Z]{1,2}[0-9].*", "max": 8}})");
  EXPECT_EQ(check(q.questions[0], {}), "Enter an answer: how old are you");
  EXPECT_EQ(check(q.questions[0], {"forty"}), "Enter a number, like 12 or 3.5");
  EXPECT_EQ(check(q.questions[0], {"12"}), "Enter a number between 16 and 120");
  EXPECT_EQ(check(q.questions[0], {" 40 "}), "ok");
  EXPECT_EQ(check(q.questions[1], {"0.25"}), "Enter a number that is 0.5 or more");
  EXPECT_EQ(check(q.questions[2], {"2026-02-29"}), "Enter a real date, like 2026-03-01");
  EXPECT_EQ(check(q.questions[2], {"2028-02-29"}), "ok");
  EXPECT_EQ(check(q.questions[3], {"sw1a 1aa"}), "Enter postcode in the right format");
  EXPECT_EQ(check(q.questions[3], {"SW1A 1AAAA"}), "Enter no more than 8 characters");
  EXPECT_EQ(check(q.questions[3], {"SW1A 1AA"}), "ok");
}

TEST(SurveyValidation, LikertGridNeedsEachStatementWhenRequired) {
  const Questionnaire q = load(R"({"code": "g", "type": "likert", "text": "Agree?", "dont_know": true,
      "items": [{"code": "a", "label": "I am listened to"}, {"code": "b", "label": "I am paid fairly"}],
      "validation": {"required": true}})");
  EXPECT_EQ(check(q.questions[0], {"agree", ""}), "Select an answer for \"I am paid fairly\"");
  EXPECT_EQ(check(q.questions[0], {"agree", "maybe"}), "Select an answer from the list for \"I am paid fairly\"");
  EXPECT_EQ(check(q.questions[0], {"agree", "dont_know"}), "ok");
}

TEST(SurveyValidation, AQuestionsOwnMessagesAreShownInTheRespondentsLanguage) {
  StatusOr<Questionnaire> q = parse_definition(R"({"title": "T",
      "languages": [{"code": "en", "name": "English"}, {"code": "cy", "name": "Cymraeg"}],
      "questions": [{"code": "age", "type": "number", "text": "Your age",
        "translations": {"cy": {"text": "Eich oed", "required_message": "Rhowch eich oed",
                                "constraint_message": "Rhaid i chi fod yn 16 oed neu'n hŷn"}},
        "validation": {"required": true, "min": 16, "required_message": "Tell us your age",
                       "constraint_message": "You must be 16 or over"}},
       {"code": "town", "type": "short_text", "text": "Your town", "translations": {"cy": {"text": "Eich tref"}},
        "validation": {"required": true}}]})",
                                              "m.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  const Question& age = q->questions[0];
  auto in = [](const Question& question, std::vector<std::string> values, std::string_view language) {
    RawAnswer a;
    a.values = std::move(values);
    std::optional<std::string> e = check_answer(question, a, language);
    return e ? *e : "ok";
  };
  EXPECT_EQ(in(age, {}, ""), "Tell us your age");
  EXPECT_EQ(in(age, {}, "cy"), "Rhowch eich oed");
  EXPECT_EQ(in(age, {"12"}, "en"), "You must be 16 or over");
  EXPECT_EQ(in(age, {"12"}, "cy"), "Rhaid i chi fod yn 16 oed neu'n hŷn");
  // Not a number at all is not the check's failure: the standard wording stays.
  EXPECT_EQ(in(age, {"twelve"}, "cy"), "Enter a number, like 12 or 3.5");
  EXPECT_EQ(in(age, {"40"}, "cy"), "ok");
  // Without messages of its own, the standard wording names the question in the language chosen.
  EXPECT_EQ(in(q->questions[1], {}, "cy"), "Enter an answer: eich tref");
  // A message written in one language only is used in that one.
  Question welsh_only = q->questions[1];
  welsh_only.validation.required_message_translations.set("cy", "Rhowch eich tref");
  EXPECT_EQ(in(welsh_only, {}, "cy"), "Rhowch eich tref");
  EXPECT_EQ(in(welsh_only, {}, "en"), "Enter an answer: your town");
}

}  // namespace
}  // namespace coproduce::survey
