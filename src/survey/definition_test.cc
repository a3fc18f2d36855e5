#include "survey/definition.h"

#include <gtest/gtest.h>

#include <set>

#include "survey/responses.h"
#include "survey/validation.h"

namespace coproduce::survey {
namespace {

std::string error_of(const std::string& text) {
  StatusOr<Questionnaire> q = parse_definition(text, "survey.json");
  return q.ok() ? std::string("(loaded)") : q.status().to_string();
}

// Wraps questions in a minimal document.
std::string doc(const std::string& questions) {
  return R"({"format": "coproduce-survey/1", "title": "T", "questions": [)" + questions + "]}";
}

std::vector<std::string> option_codes(const Question& q) {
  std::vector<std::string> out;
  for (const Option& o : q.options) out.push_back(o.code);
  return out;
}

// The codes the analysis, the findings report and the demo data rely on (issue 6).
TEST(SurveyTemplate, HasExactlyTheIssueCodes) {
  const Questionnaire& q = coproduction_template();
  EXPECT_EQ(q.id, "coproduction");
  EXPECT_EQ(q.title, "Understanding co-production");
  using V = std::vector<std::string>;
  auto question = [&](const char* code) -> const Question& { return q.questions.at(q.find(code).value()); };
  EXPECT_EQ(question("group").type, QuestionType::kSingle);
  EXPECT_EQ(option_codes(question("group")), (V{"lived_experience", "carer", "workforce", "other"}));
  EXPECT_EQ(option_codes(question("role")),
            (V{"direct_care", "supervisor", "registered_manager", "senior_manager", "commissioner", "other_role"}));
  EXPECT_TRUE(question("role").ordered);
  EXPECT_EQ(question("role").show_if, "group = 'workforce'");
  EXPECT_EQ(option_codes(question("heard")), (V{"yes", "no", "not_sure"}));
  EXPECT_EQ(option_codes(question("knowledge")), (V{"none", "a_little", "some", "in_depth"}));
  EXPECT_TRUE(question("knowledge").ordered);
  for (const char* code : {"involved_own_care", "involved_services"}) {
    EXPECT_EQ(option_codes(question(code)), (V{"yes", "no", "not_sure"})) << code;
    EXPECT_EQ(question(code).show_if, "group = 'lived_experience' or group = 'carer'") << code;
  }
  EXPECT_EQ(question("barriers").type, QuestionType::kMultiple);
  EXPECT_EQ(option_codes(question("barriers")),
            (V{"time", "culture", "cost", "communication", "power", "training", "other"}));
  EXPECT_TRUE(question("barriers").other_specify);
  EXPECT_EQ(question("barriers").show_if, "group = 'workforce'");
  EXPECT_EQ(question("meaning").type, QuestionType::kLongText);
}

TEST(SurveyTemplate, RoundTripsThroughTheDefinitionFormat) {
  const Questionnaire& q = coproduction_template();
  StatusOr<Questionnaire> again = parse_definition(definition_to_json(q), "copy.json");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(definition_to_json(*again), definition_to_json(q));
  EXPECT_EQ(response_columns(*again), response_columns(q));
}

TEST(SurveyTemplate, ResponseLayout) {
  const std::vector<std::string> cols = response_columns(coproduction_template());
  ASSERT_GE(cols.size(), 8u);
  EXPECT_EQ(std::vector<std::string>(cols.begin(), cols.begin() + 5),
            (std::vector<std::string>{"id", "started_at", "submitted_at", "last_page", "group"}));
  const std::set<std::string> all(cols.begin(), cols.end());
  EXPECT_TRUE(all.count("barriers[time]"));
  EXPECT_TRUE(all.count("barriers_other"));
  EXPECT_TRUE(all.count("views[listened]"));
  EXPECT_FALSE(all.count("barriers"));
  EXPECT_FALSE(all.count("intro"));  // display text has no column
}

TEST(SurveyDefinition, QuestionTypesAndDefaults) {
  StatusOr<Questionnaire> q = parse_definition(doc(R"(
    {"code": "ok", "type": "yes_no", "text": "OK?"},
    {"code": "score", "type": "rating", "text": "Score", "scale": {"min": 1, "max": 5, "max_label": "best"}},
    {"code": "grid", "type": "likert", "text": "Agree?", "points": 7, "dont_know": true, "page": 2,
     "items": [{"code": "one", "label": "One"}, {"code": "two", "label": "Two"}]},
    {"code": "n", "type": "number", "text": "How many?", "page": 2, "validation": {"min": 0, "max": 10, "required": true}},
    {"code": "d", "type": "date", "text": "When?", "page": 3},
    {"code": "name", "type": "short_text", "text": "Name", "page": 3, "validation": {"pattern": "[A-Z].*"}},
    {"code": "info", "type": "display", "page": 3}
  )"), "s.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ(q->pages, 3);
  EXPECT_EQ(option_codes(q->questions[0]), (std::vector<std::string>{"yes", "no"}));
  EXPECT_EQ(option_codes(q->questions[1]), (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(q->questions[1].options[4].label, "5 (best)");
  EXPECT_EQ(q->questions[2].options.size(), 8u);  // 7 points + don't know
  EXPECT_EQ(q->questions[2].options.back().code, "dont_know");
  EXPECT_EQ(q->questions[3].validation.max, 10);
  // Variables: a Likert grid gives one per statement; display gives none.
  std::vector<std::string> vars;
  for (const Variable& v : q->variables) vars.push_back(v.code);
  EXPECT_EQ(vars, (std::vector<std::string>{"ok", "score", "grid[one]", "grid[two]", "n", "d", "name"}));
}

TEST(SurveyDefinition, MalformedJsonNamesLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"title\": \"T\",\n  \"questions\": [,]\n}"),
            "survey.json, line 3, column 17: this is not valid JSON (syntax error while parsing value - unexpected ','; "
            "expected '[', '{', or a literal)");
}

TEST(SurveyDefinition, CalculationsAndChoiceFiltersAreCheckedWhereTheyAreWritten) {
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "number", "text": "A"},
                             {"code": "b", "type": "single", "text": "B", "options": ["x", "y"],
                              "calculation": "if(${a} > 1, 'x', 'z')"})j")),
            "survey.json, '/questions/1/calculation': the calculation can give 'z', which is not an option");
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "number", "text": "A", "calculation": "concat('x', 'y')"})j")),
            "survey.json, '/questions/0/calculation': a number question's calculation must give a number");
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "number", "text": "A"},
                             {"code": "b", "type": "number", "text": "B", "calculation": "${a} +* 2"})j")),
            "survey.json, column 7, '/questions/1/calculation': expected a value but found *");
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "single", "text": "A", "options": ["x", "y"],
                              "choice_filter": "${b} = 'x'"},
                             {"code": "b", "type": "number", "text": "B"})j")),
            "survey.json, '/questions/0/choice_filter': 'b' is not asked before this question, so its answer is not "
            "known yet");
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "single", "text": "A",
                              "options": [{"code": "x", "columns": {"name": "y"}}, "y"]})j")),
            "survey.json, '/questions/0/options/0/columns/name': 'name' cannot be an option's column");
}

TEST(SurveyDefinition, ARankQuestionGivesEachThingAPlaceOnce) {
  auto q = parse_definition(R"j({"id": "r", "title": "R", "questions": [
      {"code": "order", "type": "rank", "text": "Put these in order", "items": ["time", "money", "advice"],
       "validation": {"required": true}}]})j", "r.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  const Question& rank = q->questions[0];
  EXPECT_EQ(rank.options.size(), 3u);
  EXPECT_EQ(rank.options[0].code, "1");
  EXPECT_EQ(q->variables.size(), 3u);
  EXPECT_EQ(q->variables[1].code, "order[money]");
  EXPECT_EQ(check_answer(rank, RawAnswer{{"2", "1", "3"}, ""}), std::nullopt);
  EXPECT_EQ(check_answer(rank, RawAnswer{{"1", "1", "3"}, ""}), "Give the number 1 to only one of them");
  EXPECT_EQ(check_answer(rank, RawAnswer{{"1", "4", "3"}, ""}), "Select an answer from the list for \"money\"");
  // Written out and read back, it is the same question.
  auto again = parse_definition(definition_to_json(*q), "again.json");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(definition_to_json(*again), definition_to_json(*q));
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "rank", "text": "A", "items": ["x"]})j")),
            "survey.json, '/questions/0/items': a rank question needs at least two things to put in order");
  EXPECT_EQ(error_of(doc(R"j({"code": "a", "type": "rank", "text": "A", "items": ["x", "y"], "points": 5})j")),
            "survey.json, '/questions/0': a rank question has a place for each of its items: points and dont_know do "
            "not apply");
}

TEST(SurveyDefinition, MistakesNameTheJsonPath) {
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "single", "text": "A", "options": ["x", "y"]},
                            {"code": "a", "type": "yes_no", "text": "B"})")),
            "survey.json, '/questions/1/code': the code 'a' is used twice");
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "singel", "text": "A"})")),
            "survey.json, '/questions/0/type': unknown question type 'singel' (single, multiple, rating, likert, "
            "yes_no, number, date, short_text, long_text, display or rank)");
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "single", "text": "A", "options": ["x", "x"]})")),
            "survey.json, '/questions/0/options/1/code': the option code 'x' is used twice");
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "single", "text": "A", "options": ["x", "y"], "colour": 1})")),
            "survey.json, '/questions/0/colour': unknown key 'colour' (expected one of: code, type, text, hint, guidance, "
            "default, page, options, ordered, other_specify, points, dont_know, items, scale, show_if, validation, "
            "translations, calculation, choice_filter, repeat, read_only, trigger)");
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "multiple", "text": "A", "options": ["x", "y"], "other_specify": true})")),
            "survey.json, '/questions/0/other_specify': 'other, please specify' needs an option coded other");
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "likert", "text": "A", "points": 6, "items": ["p"]})")),
            "survey.json, '/questions/0/points': points must be 5 or 7");
  EXPECT_EQ(error_of(doc(R"({"code": "2a", "type": "yes_no", "text": "A"})")),
            "survey.json, '/questions/0/code': '2a' is not a usable question code: start with a letter and use only "
            "letters, digits and _ (at most 64)");
  EXPECT_EQ(error_of(doc(R"({"code": "a", "type": "yes_no", "text": "A", "page": 2},
                            {"code": "b", "type": "yes_no", "text": "B", "page": 1})")),
            "survey.json, '/questions/1/page': questions must be listed in page order: page 1 comes after page 2");
  EXPECT_EQ(error_of(doc(R"({"code": "n", "type": "number", "text": "N", "validation": {"min": 5, "max": 1}})")),
            "survey.json, '/questions/0/validation': min is larger than max");
  EXPECT_EQ(error_of(doc(R"({"code": "t", "type": "short_text", "text": "T", "validation": {"pattern": "(["}})")),
            "survey.json, '/questions/0/validation/pattern': the pattern is not a valid regular expression");
  EXPECT_EQ(error_of(R"({"title": "T", "questions": []})"), "survey.json, '/questions': the questionnaire has no questions");
  EXPECT_EQ(error_of(R"({"format": "xlsform", "title": "T", "questions": []})"),
            "survey.json, '/format': unknown format 'xlsform': this version reads coproduce-survey/1");
}

TEST(SurveyDefinition, ConditionErrorsNamePathAndColumn) {
  const std::string group = R"({"code": "group", "type": "single", "text": "G", "options": ["workforce", "carer"]},)";
  EXPECT_EQ(error_of(doc(group + R"({"code": "r", "type": "yes_no", "text": "R", "show_if": "group = 'workfroce'"})")),
            "survey.json, column 9, '/questions/1/show_if': 'workfroce' is not an option of group (its options: "
            "workforce, carer)");
  EXPECT_EQ(error_of(doc(R"({"code": "r", "type": "yes_no", "text": "R", "show_if": "later = 'yes'"},
                            {"code": "later", "type": "yes_no", "text": "L"})")),
            "survey.json, '/questions/0/show_if': a condition may only use questions asked before this one ('later' "
            "is not)");
}

TEST(SurveyDefinition, MissingFileIsNamed) {
  StatusOr<Questionnaire> q = load_definition("/nonexistent/survey.json");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().to_string(),
            "/nonexistent/survey.json: cannot open the file (does it exist, and may this program read it?)");
}

TEST(SurveyDefinition, UnknownTemplate) {
  EXPECT_FALSE(builtin_template("wellbeing").ok());
  EXPECT_TRUE(builtin_template("coproduction").ok());
}

TEST(SurveyDefinition, EveryLanguageIsReadAndWrittenBack) {
  const char* text = R"({
  "format": "coproduce-survey/1",
  "id": "caring",
  "title": "Caring",
  "languages": [{"code": "en", "name": "English"}, {"code": "cy", "name": "Cymraeg"}],
  "translations": {"cy": {"title": "Gofalu"}},
  "questions": [
    {"code": "carer", "type": "yes_no", "page": 1, "text": "Are you a carer?",
     "translations": {"cy": {"text": "Ydych chi'n ofalwr?", "hint": "Atebwch ie neu na"}}, "hint": "Yes or no",
     "options": [{"code": "yes", "label": "Yes", "translations": {"cy": {"label": "Ie"}}},
                 {"code": "no", "label": "No", "translations": {"cy": {"label": "Na"}}}]},
    {"code": "views", "type": "likert", "page": 2, "text": "How much do you agree?",
     "items": [{"code": "heard", "label": "I feel heard", "translations": {"cy": {"label": "Rwy'n teimlo fy mod yn cael fy nghlywed"}}}]}
  ]})";
  auto q = parse_definition(text, "caring.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ(q->default_language(), "en");
  EXPECT_EQ(q->title_translations.in("cy", q->title), "Gofalu");
  EXPECT_EQ(q->questions[0].text_in("cy"), "Ydych chi'n ofalwr?");
  EXPECT_EQ(q->questions[0].text_in("en"), "Are you a carer?");
  EXPECT_EQ(q->questions[0].options[0].label_translations.in("cy", "?"), "Ie");
  EXPECT_EQ(q->questions[1].items[0].label_translations.in("cy", "?"), "Rwy'n teimlo fy mod yn cael fy nghlywed");
  // A language with no translation of a text falls back to the default.
  EXPECT_EQ(q->questions[1].text_in("cy"), "How much do you agree?");
  auto again = parse_definition(definition_to_json(*q), "again.json");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(definition_to_json(*again), definition_to_json(*q));
}

TEST(SurveyDefinition, TranslationsMustBeIntoTheQuestionnairesLanguages) {
  auto q = parse_definition(R"({"title": "T", "languages": [{"code": "en"}, {"code": "cy"}],
      "questions": [{"code": "a", "type": "short_text", "text": "A", "translations": {"fr": {"text": "Un"}}}]})",
                            "t.json");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().to_string(),
            "t.json, '/questions/0/translations/fr': 'fr' is not one of the questionnaire's other languages (see "
            "languages)");
  auto twice = parse_definition(R"({"title": "T", "languages": [{"code": "cy"}, {"code": "cy"}],
      "questions": [{"code": "a", "type": "short_text", "text": "A"}]})",
                                "t.json");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().to_string(), "t.json, '/languages/1/code': the language 'cy' is listed twice");
}


// A repeat: the carers' survey asks about each service a person uses.
std::string with_repeat(const std::string& repeat, const std::string& questions) {
  return R"({"format": "coproduce-survey/1", "title": "T", "repeats": [)" + repeat + R"(], "questions": [)" +
         questions + "]}";
}

const char* const kServiceRepeat = R"({"code": "services", "label": "A service you use", "max": 5,
    "translations": {"cy": {"label": "Gwasanaeth rydych chi'n ei ddefnyddio"}}})";
const char* const kServiceQuestions = R"j(
    {"code": "how_many", "type": "number", "page": 1, "text": "How many services do you use?"},
    {"code": "service", "type": "short_text", "page": 2, "text": "Name of the service", "repeat": "services"},
    {"code": "helpful", "type": "yes_no", "page": 2, "text": "Is it helpful?", "repeat": "services",
     "show_if": "answered(service)"},
    {"code": "overall", "type": "long_text", "page": 3, "text": "Anything else?"})j";

TEST(SurveyDefinition, ReadsARepeatAndKeepsItsQuestionsOutOfTheMainColumns) {
  const std::string languages = R"("languages": [{"code": "en", "name": "English"}, {"code": "cy", "name": "Cymraeg"}], )";
  std::string text = with_repeat(kServiceRepeat, kServiceQuestions);
  text.insert(text.find("\"repeats\""), languages);
  StatusOr<Questionnaire> q = parse_definition(text, "survey.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  ASSERT_EQ(q->repeats.size(), 1u);
  const Repeat& r = q->repeats[0];
  EXPECT_EQ(r.first, 1u);
  EXPECT_EQ(r.end, 3u);
  EXPECT_EQ(r.page, 2);
  EXPECT_EQ(r.max, 5);
  EXPECT_EQ(r.label_in("cy"), "Gwasanaeth rydych chi'n ei ddefnyddio");
  EXPECT_EQ(q->repeat_on_page(2), &r);
  EXPECT_EQ(q->repeat_on_page(1), nullptr);
  ASSERT_EQ(r.variables.size(), 2u);
  EXPECT_EQ(r.variables[0].code, "service");
  EXPECT_EQ(r.variables[1].code, "helpful");
  std::vector<std::string> main;
  for (const Variable& v : q->variables) main.push_back(v.code);
  EXPECT_EQ(main, (std::vector<std::string>{"how_many", "overall"}));

  // Written back and read again, it is the same questionnaire.
  StatusOr<Questionnaire> again = parse_definition(definition_to_json(*q), "copy.json");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(definition_to_json(*again), definition_to_json(*q));
  EXPECT_EQ(again->questions[2].repeat, 0);
}

TEST(SurveyDefinition, ARepeatCountIsANumberOrAnEarlierNumberQuestion) {
  StatusOr<Questionnaire> fixed =
      parse_definition(with_repeat(R"({"code": "services", "label": "S", "count": 3})", kServiceQuestions), "s.json");
  ASSERT_TRUE(fixed.ok()) << fixed.status().to_string();
  EXPECT_EQ(fixed->repeats[0].fixed_count, 3);
  StatusOr<Questionnaire> asked = parse_definition(
      with_repeat(R"({"code": "services", "label": "S", "count": "how_many"})", kServiceQuestions), "s.json");
  ASSERT_TRUE(asked.ok()) << asked.status().to_string();
  EXPECT_EQ(asked->repeats[0].count_question, 0);
  EXPECT_NE(error_of(with_repeat(R"({"code": "services", "label": "S", "count": "overall"})", kServiceQuestions))
                .find("/repeats/0/count"),
            std::string::npos);
  EXPECT_NE(error_of(with_repeat(R"({"code": "services", "label": "S", "count": 9, "max": 5})", kServiceQuestions))
                .find("between 1 and its most, 5"),
            std::string::npos);
}

TEST(SurveyDefinition, RefusesRepeatsThatCannotBeAsked) {
  // A question asked once may not read an answer given in a repeat.
  std::string reads_inside = kServiceQuestions;
  const std::string asked = R"("text": "Anything else?")";
  reads_inside.replace(reads_inside.find(asked), asked.size(), asked + R"(, "show_if": "helpful = 'yes'")");
  const std::string e1 = error_of(with_repeat(kServiceRepeat, reads_inside));
  EXPECT_NE(e1.find("/questions/3/show_if"), std::string::npos) << e1;
  EXPECT_NE(e1.find("asked once for each time the repeat 'services'"), std::string::npos) << e1;
  // Its questions fill a page of their own.
  std::string shares = kServiceQuestions;
  shares.replace(shares.find(R"("page": 3)"), 9, R"("page": 2)");
  EXPECT_NE(error_of(with_repeat(kServiceRepeat, shares)).find("has a page of its own"), std::string::npos);
  // A question names a repeat that is listed.
  EXPECT_NE(error_of(with_repeat(R"({"code": "other", "label": "S"})", kServiceQuestions))
                .find("'/questions/1/repeat': there is no repeat coded 'services'"),
            std::string::npos);
  // A repeat's code is its own.
  EXPECT_NE(error_of(with_repeat(R"({"code": "service", "label": "S"})", R"({"code": "service", "type": "short_text",
      "text": "Q", "repeat": "service"})")).find("used twice"),
            std::string::npos);
  // And a repeat with no questions is a mistake.
  EXPECT_NE(error_of(with_repeat(R"({"code": "services", "label": "S"}, {"code": "people", "label": "P"})",
                                 kServiceQuestions))
                .find("the repeat 'people' has no questions"),
            std::string::npos);
}

TEST(SurveyDefinition, InstanceKeysNameTheQuestionAndTheInstance) {
  EXPECT_EQ(instance_key("service", 2), "service#2");
  auto split = split_instance_key("service#12");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->first, "service");
  EXPECT_EQ(split->second, 12);
  EXPECT_FALSE(split_instance_key("service").has_value());
  EXPECT_FALSE(split_instance_key("service#0").has_value());
  EXPECT_FALSE(split_instance_key("service#x").has_value());
  EXPECT_FALSE(split_instance_key("#2").has_value());
}

}  // namespace
}  // namespace coproduce::survey
