#include "survey/translation.h"

#include <gtest/gtest.h>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

Questionnaire carers() {
  auto q = parse_definition(R"j({"id": "c", "title": "Caring", "description": "About caring", "questions": [
      {"code": "carer", "type": "yes_no", "page": 1, "text": "Are you a carer?", "hint": "Unpaid"},
      {"code": "help", "type": "single", "page": 1, "text": "What helps?", "options": [
         {"code": "time", "label": "Time"}, {"code": "money", "label": "Money"}]},
      {"code": "score", "type": "rating", "page": 2, "text": "How good is it?", "scale": {"min": 0, "max": 3}},
      {"code": "band", "type": "single", "page": 2, "text": "Band", "options": ["x", "y"],
       "calculation": "if(${score} > 1, 'x', 'y')"}]})j", "c.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  return *q;
}

TEST(Translation, ListsEveryTextARespondentReadsOnce) {
  std::vector<std::string> fields;
  for (const auto& t : translatable_texts(carers(), "cy")) fields.push_back(t.field);
  // Yes/no and numbered scales are translated by the site's own words;
  // a worked-out question is never read.
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "description", "q-carer-text", "q-carer-hint", "q-help-text",
                                              "q-help-o-time", "q-help-o-money", "q-score-text"}));
}

TEST(Translation, PutsAWholeTranslationInPlaceAndNamesTheLanguages) {
  Questionnaire q = carers();
  std::map<std::string, std::string> typed = {
      {"title", "Gofalu"},           {"description", "Am ofalu"}, {"q-carer-text", "Ydych chi'n ofalwr?"},
      {"q-carer-hint", "Di-dâl"},    {"q-help-text", "Beth sy'n helpu?"}, {"q-help-o-time", "Amser"},
      {"q-help-o-money", " Arian "}, {"q-score-text", "Pa mor dda ydyw?"}};
  EXPECT_TRUE(translate(q, {"cy", "Cymraeg"}, {"en", "English"}, typed).empty());
  ASSERT_EQ(q.languages.size(), 2u);
  EXPECT_EQ(q.languages[0].code, "en");
  EXPECT_EQ(q.languages[1].name, "Cymraeg");
  EXPECT_EQ(q.title_translations.in("cy", q.title), "Gofalu");
  EXPECT_EQ(q.questions[1].options[1].label_translations.in("cy", ""), "Arian");
  // It survives being written out and read back.
  ASSERT_TRUE(q.finish("c.json").ok());
  auto again = parse_definition(definition_to_json(q), "again.json");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(translatable_texts(*again, "cy")[2].translation, "Ydych chi'n ofalwr?");
}

TEST(Translation, ProblemsNameTheFieldAndNothingChanges) {
  Questionnaire q = carers();
  auto problems = translate(q, {"en", ""}, {"en", "English"}, {{"title", "Gofalu"}, {"q-help-o-time", std::string(4001, 'a')}});
  ASSERT_GE(problems.size(), 4u);
  EXPECT_EQ(problems[0].field, "language_name");
  EXPECT_EQ(problems[0].kind, Problem::kMissing);
  EXPECT_EQ(problems[1].field, "language_code");
  EXPECT_EQ(problems[1].kind, Problem::kDuplicate);
  EXPECT_EQ(problems[2].field, "description");
  EXPECT_EQ(problems[2].kind, Problem::kMissing);
  bool too_long = false;
  for (const auto& p : problems) too_long = too_long || (p.field == "q-help-o-time" && p.kind == Problem::kTooLong);
  EXPECT_TRUE(too_long);
  EXPECT_TRUE(q.languages.empty());
  EXPECT_TRUE(q.title_translations.empty());
  auto unnamed = translate(q, {"cy", "Cymraeg"}, {"", ""}, {});
  EXPECT_EQ(unnamed[0].field, "written_in_name");
  EXPECT_EQ(unnamed[1].field, "written_in_code");
}

TEST(Translation, ARepeatsHeadingAndHintComeBeforeItsFirstQuestion) {
  auto q = parse_definition(R"j({"id": "s", "title": "Services", "repeats": [
      {"code": "services", "label": "A service you use", "hint": "One for each service"}], "questions": [
      {"code": "town", "type": "short_text", "page": 1, "text": "Your town"},
      {"code": "service", "type": "short_text", "page": 2, "text": "Its name", "repeat": "services"}]})j", "s.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  std::vector<std::string> fields;
  for (const auto& t : translatable_texts(*q, "cy")) fields.push_back(t.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"title", "q-town-text", "r-services-label", "r-services-hint",
                                              "q-service-text"}));
  std::map<std::string, std::string> typed = {{"title", "Gwasanaethau"},
                                              {"q-town-text", "Eich tref"},
                                              {"r-services-label", "Gwasanaeth rydych chi'n ei ddefnyddio"},
                                              {"r-services-hint", "Un i bob gwasanaeth"},
                                              {"q-service-text", "Ei enw"}};
  EXPECT_TRUE(translate(*q, {"cy", "Cymraeg"}, {"en", "English"}, typed).empty());
  EXPECT_EQ(q->repeats[0].label_in("cy"), "Gwasanaeth rydych chi'n ei ddefnyddio");
  EXPECT_EQ(q->repeats[0].hint_translations.in("cy", ""), "Un i bob gwasanaeth");
  // Left empty, the heading is named like any other text.
  typed.erase("r-services-label");
  auto problems = translate(*q, {"fr", "français"}, {"en", "English"}, typed);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].field, "r-services-label");
  EXPECT_EQ(problems[0].kind, Problem::kMissing);
}

}  // namespace
}  // namespace coproduce::survey
