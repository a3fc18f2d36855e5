#include "survey/xlsform.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

using sheets::Cell;
using sheets::Sheet;

// A sheet from rows of text; "" is a blank cell.
Sheet sheet(const std::string& name, const std::vector<std::vector<std::string>>& rows) {
  Sheet s{name, {}};
  for (const auto& r : rows) {
    std::vector<Cell> cells;
    for (const auto& t : r) cells.push_back(t.empty() ? Cell::empty() : Cell::of(t));
    s.rows.push_back(std::move(cells));
  }
  return s;
}

// Writes the sheets as a real .xlsx and imports the bytes, as a person's upload is.
XlsformImport import_sheets(const std::vector<Sheet>& workbook, const std::string& name = "survey.xlsx") {
  auto bytes = sheets::to_xlsx(workbook);
  EXPECT_TRUE(bytes.ok()) << bytes.status().to_string();
  return import_xlsform(bytes.ok() ? *bytes : std::string(), name);
}

std::vector<std::string> all(const std::vector<Status>& statuses) {
  std::vector<std::string> out;
  for (const auto& s : statuses) out.push_back(s.to_string());
  return out;
}

std::string cell(const Sheet& s, size_t r, size_t c) {
  return r < s.rows.size() && c < s.rows[r].size() ? s.rows[r][c].as_text() : "";
}

TEST(Xlsform, TheTemplateComesBackTheSame) {
  const Questionnaire& original = coproduction_template();
  auto bytes = export_xlsform(original);
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  XlsformImport back = import_xlsform(*bytes, "coproduction.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_TRUE(back.warnings.empty()) << all(back.warnings)[0];
  EXPECT_EQ(definition_to_json(*back.questionnaire), definition_to_json(original));
  EXPECT_EQ(back.questionnaire->pages, original.pages);
}

TEST(Xlsform, TheTemplateIsWrittenTheWayKoboReadsIt) {
  auto workbook = xlsform_sheets(coproduction_template());
  ASSERT_TRUE(workbook.ok());
  ASSERT_EQ(workbook->size(), 3u);
  const Sheet& survey = (*workbook)[0];
  EXPECT_EQ(survey.name, "survey");
  EXPECT_EQ((*workbook)[1].name, "choices");
  EXPECT_EQ((*workbook)[2].name, "settings");
  auto find_row = [&survey](const std::string& name) -> size_t {
    for (size_t r = 0; r < survey.rows.size(); ++r) {
      if (cell(survey, r, 1) == name) return r;
    }
    ADD_FAILURE() << "no row named " << name;
    return 0;
  };
  // type, name, label, hint, required, relevant, constraint, appearance
  EXPECT_EQ(cell(survey, 1, 0), "begin_group");
  EXPECT_EQ(cell(survey, 1, 7), "field-list");
  size_t barriers = find_row("barriers");
  EXPECT_EQ(cell(survey, barriers, 0), "select_multiple barriers");
  EXPECT_EQ(cell(survey, barriers, 5), "${group} = 'workforce'");
  EXPECT_EQ(cell(survey, barriers + 1, 0), "text");
  EXPECT_EQ(cell(survey, barriers + 1, 1), "barriers_other");
  EXPECT_EQ(cell(survey, barriers + 1, 5), "selected(${barriers}, 'other')");
  EXPECT_EQ(cell(survey, find_row("role"), 7), "likert");
  EXPECT_EQ(cell(survey, find_row("confidence"), 7), "likert");
  EXPECT_EQ(cell(survey, find_row("meaning"), 6), "string-length(.) <= 2000");
  EXPECT_EQ(cell(survey, find_row("meaning"), 7), "multiline");
  EXPECT_EQ(cell(survey, find_row("group"), 4), "yes");
  size_t views = find_row("views");
  EXPECT_EQ(cell(survey, views, 0), "begin_group");
  EXPECT_EQ(cell(survey, views, 7), "table-list");
  EXPECT_EQ(cell(survey, views + 1, 0), "select_one views");
  EXPECT_EQ(cell(survey, views + 1, 1), "views_listened");
  EXPECT_EQ(cell(survey, find_row("intro"), 0), "note");
  const Sheet& settings = (*workbook)[2];
  EXPECT_EQ(cell(settings, 1, 0), "Understanding co-production");
  EXPECT_EQ(cell(settings, 1, 1), "coproduction");
}

// A form as someone might write it in KoboToolbox: no page groups, a
// translated label column, booleans typed as TRUE, metadata rows, or_other,
// a grid with a header row, and columns Coproduce does not use.
std::vector<Sheet> hand_made_form() {
  return {
      sheet("survey",
            {{"type", "name", "label::English (en)", "hint::English (en)", "required", "required_message", "relevant",
              "constraint", "appearance"},
             {"start", "start", "", "", "", "", "", "", ""},
             {"note", "welcome", "Thank you for taking part", "", "", "", "", "", ""},
             {"select_one who", "who", "Who are you?", "", "TRUE", "Please answer", "", "", ""},
             {"integer", "age", "How old are you?", "In years", "", "", "", ". >= 16 and . <= 120", ""},
             {"begin group", "work", "About your work", "", "", "", "${who} = 'staff'", "", "field-list"},
             {"select_multiple hurdles or_other", "hurdles", "What gets in the way?", "", "", "",
              "${age} >= 18", "count-selected(.) <= 3", ""},
             {"select_one often", "meetings", "How often do you meet people who use services?", "", "", "", "", "",
              "likert"},
             {"end group", "", "", "", "", "", "", "", ""},
             {"begin_group", "grid", "How much do you agree?", "", "", "", "not(${who} = 'staff')", "", "table-list"},
             {"select_one agree", "grid_header", "", "", "", "", "", "", "label"},
             {"select_one agree", "grid_heard", "I feel heard", "", "yes", "", "", "", ""},
             {"select_one agree", "grid_valued", "I feel valued", "", "yes", "", "", "", ""},
             {"end_group", "", "", "", "", "", "", "", ""},
             {"select_one score", "score", "How likely are you to recommend us?", "", "", "", "", "", "likert"},
             {"text", "story", "Tell us more", "", "", "", "${who} != ''", "", "multiline"},
             {"text", "postcode", "Your postcode", "", "", "", "", "regex(., '^[A-Z]{1,2}[0-9]')", ""},
             {"date", "when", "When did you last take part?", "", "", "", "", "", ""},
             {"end", "end", "", "", "", "", "", "", ""}}),
      sheet("choices", {{"list_name", "name", "label::English (en)"},
                        {"who", "person", "I draw on care"},
                        {"who", "staff", "I work in care"},
                        {"hurdles", "time", "Time"},
                        {"hurdles", "money", "Money"},
                        {"often", "never", "Never"},
                        {"often", "sometimes", "Sometimes"},
                        {"often", "often", "Often"},
                        {"agree", "strongly_disagree", "Strongly disagree"},
                        {"agree", "disagree", "Disagree"},
                        {"agree", "neither", "Neither"},
                        {"agree", "agree", "Agree"},
                        {"agree", "strongly_agree", "Strongly agree"},
                        {"agree", "dont_know", "Don't know"},
                        {"score", "1", "1 - not at all"},
                        {"score", "2", "2"},
                        {"score", "3", "3"},
                        {"score", "4", "4"},
                        {"score", "5", "5 - very likely"}}),
      sheet("settings", {{"form_title", "form_id", "version"}, {"Working together", "together", "2026112601"}}),
  };
}

TEST(Xlsform, ReadsAFormWrittenInASpreadsheet) {
  XlsformImport in = import_sheets(hand_made_form(), "together.xlsx");
  ASSERT_TRUE(in.ok()) << in.status().to_string();
  const Questionnaire& q = *in.questionnaire;
  EXPECT_EQ(q.title, "Working together");
  EXPECT_EQ(q.id, "together");
  std::vector<std::string> codes;
  for (const auto& question : q.questions) codes.push_back(question.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"welcome", "who", "age", "hurdles", "meetings", "grid", "score", "story",
                                              "postcode", "when"}));
  auto at = [&q](const char* code) -> const Question& { return q.questions[*q.find(code)]; };

  // Each question outside a group is a page of its own; a group is one page.
  EXPECT_EQ(at("welcome").page, 1);
  EXPECT_EQ(at("who").page, 2);
  EXPECT_EQ(at("age").page, 3);
  EXPECT_EQ(at("hurdles").page, 4);
  EXPECT_EQ(at("meetings").page, 4);
  EXPECT_EQ(at("grid").page, 5);
  EXPECT_EQ(at("when").page, 9);

  EXPECT_EQ(at("welcome").type, QuestionType::kDisplay);
  EXPECT_EQ(at("welcome").text, "Thank you for taking part");
  EXPECT_EQ(at("who").type, QuestionType::kSingle);
  EXPECT_TRUE(at("who").validation.required);
  EXPECT_EQ(at("who").options[1].label, "I work in care");
  EXPECT_EQ(at("age").type, QuestionType::kNumber);
  EXPECT_EQ(at("age").hint, "In years");
  EXPECT_EQ(at("age").validation.min, 16);
  EXPECT_EQ(at("age").validation.max, 120);

  const Question& hurdles = at("hurdles");
  EXPECT_EQ(hurdles.type, QuestionType::kMultiple);
  EXPECT_TRUE(hurdles.other_specify);
  ASSERT_EQ(hurdles.options.size(), 3u);
  EXPECT_EQ(hurdles.options[2].code, "other");
  EXPECT_EQ(hurdles.validation.max_choices, 3);
  // The group's condition applies to every question in it.
  EXPECT_EQ(hurdles.show_if, "who = 'staff' and age >= 18");
  EXPECT_EQ(at("meetings").show_if, "who = 'staff'");
  EXPECT_TRUE(at("meetings").ordered);
  EXPECT_EQ(at("meetings").type, QuestionType::kSingle);

  const Question& grid = at("grid");
  EXPECT_EQ(grid.type, QuestionType::kLikert);
  EXPECT_EQ(grid.text, "How much do you agree?");
  EXPECT_TRUE(grid.dont_know);
  EXPECT_TRUE(grid.validation.required);
  ASSERT_EQ(grid.items.size(), 2u);
  EXPECT_EQ(grid.items[0].code, "heard");
  EXPECT_EQ(grid.items[1].label, "I feel valued");
  EXPECT_EQ(grid.show_if, "not (who = 'staff')");

  EXPECT_EQ(at("score").type, QuestionType::kRating);
  EXPECT_EQ(at("score").options.front().label, "1 - not at all");
  EXPECT_EQ(at("story").type, QuestionType::kLongText);
  EXPECT_EQ(at("story").show_if, "answered(who)");
  EXPECT_EQ(at("postcode").validation.pattern, ".*(?:^[A-Z]{1,2}[0-9]).*");
  EXPECT_EQ(at("when").type, QuestionType::kDate);

  // What was left out is said, with its place.
  std::vector<std::string> warnings = all(in.warnings);
  auto warned = [&warnings](const std::string& start) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& w) { return w.rfind(start, 0) == 0; });
  };
  EXPECT_TRUE(warned("together.xlsx: sheet 'survey', row 2, column 'type': 'start' is recorded by ODK itself"));
  EXPECT_TRUE(warned("together.xlsx: sheet 'survey', row 19, column 'type': 'end' is recorded"));
  // Its one named language is kept, and its message for a missing answer.
  ASSERT_EQ(q.languages.size(), 1u);
  EXPECT_EQ(q.languages[0], (Language{"en", "English"}));
  EXPECT_EQ(at("who").validation.required_message, "Please answer");
}

// ---- One case per feature: a workbook and the questionnaire it gives (in
// the definition format), or the errors it gives. ----

struct XlsformCase {
  const char* name;
  std::vector<Sheet> workbook;
  const char* questionnaire;         // definition JSON; "" when errors are expected
  std::vector<std::string> errors;   // in order, with sheet, row and column
  std::vector<std::string> warnings; // each the start of a warning that must be given
};

std::vector<XlsformCase> xlsform_cases() {
  const Sheet colours = sheet("choices", {{"list_name", "name", "label"}, {"colours", "red", "Red"}, {"colours", "blue", "Blue"}});
  return {
      {"types written with a space",
       {sheet("survey", {{"type", "name", "label"},
                         {"begin group", "about", ""},
                         {"select one colours", "best", "Best colour?"},
                         {"select multiple colours", "liked", "Colours you like?"},
                         {"end group", "", ""},
                         {"Select One colours", "worst", "Worst colour?"}}),
        colours},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "best", "type": "single", "page": 1, "text": "Best colour?",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]},
           {"code": "liked", "type": "multiple", "page": 1, "text": "Colours you like?",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]},
           {"code": "worst", "type": "single", "page": 2, "text": "Worst colour?",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]}]})",
       {},
       {}},
      {"choices from a file are refused where they are written",
       {sheet("survey", {{"type", "name", "label"},
                         {"select_one_from_file towns.csv", "town", "Your town?"},
                         {"select_multiple_from_file towns.csv", "towns", "Towns you visit?"}})},
       "",
       {"survey.xlsx: sheet 'survey', row 2, column 'type': Coproduce cannot read choices from a separate file "
        "('towns.csv'): put the choices on the choices sheet as a list, and write select_one LIST",
        "survey.xlsx: sheet 'survey', row 3, column 'type': Coproduce cannot read choices from a separate file "
        "('towns.csv'): put the choices on the choices sheet as a list, and write select_multiple LIST"},
       {}},
      {"a repeat people add to as often as they need, in either spelling, on a page of its own",
       {sheet("survey", {{"type", "name", "label", "hint"},
                         {"text", "town", "Your town", ""},
                         {"begin repeat", "people", "Someone you care for", "One for each person"},
                         {"text", "who", "Their first name", ""},
                         {"integer", "hours", "Hours a week you care for them", ""},
                         {"end_repeat", "", "", ""},
                         {"text", "overall", "Anything else?", ""}})},
       R"({"title": "survey", "id": "survey",
           "repeats": [{"code": "people", "label": "Someone you care for", "hint": "One for each person", "max": 20}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town"},
           {"code": "who", "type": "short_text", "page": 2, "repeat": "people", "text": "Their first name"},
           {"code": "hours", "type": "number", "page": 2, "repeat": "people", "text": "Hours a week you care for them"},
           {"code": "overall", "type": "short_text", "page": 3, "text": "Anything else?"}]})",
       {},
       {}},
      {"a form in two languages keeps both, the default first",
       {sheet("survey", {{"type", "name", "label::English (en)", "label::Cymraeg (cy)", "hint::English (en)",
                          "hint::Cymraeg (cy)"},
                         {"select_one yn", "carer", "Are you a carer?", "Ydych chi'n ofalwr?", "", ""},
                         {"text", "town", "Your town", "Eich tref", "Where you live", "Lle rydych chi'n byw"}}),
        sheet("choices", {{"list_name", "name", "label::English (en)", "label::Cymraeg (cy)"},
                          {"yn", "yes", "Yes", "Ie"},
                          {"yn", "no", "No", "Na"}}),
        sheet("settings", {{"form_title::English (en)", "form_title::Cymraeg (cy)", "form_id", "default_language"},
                           {"Caring", "Gofalu", "caring", "Cymraeg (cy)"}})},
       R"({"title": "Gofalu", "id": "caring",
           "languages": [{"code": "cy", "name": "Cymraeg"}, {"code": "en", "name": "English"}],
           "translations": {"en": {"title": "Caring"}},
           "questions": [
           {"code": "carer", "type": "single", "page": 1, "text": "Ydych chi'n ofalwr?",
            "translations": {"en": {"text": "Are you a carer?"}},
            "options": [{"code": "yes", "label": "Ie", "translations": {"en": {"label": "Yes"}}},
                        {"code": "no", "label": "Na", "translations": {"en": {"label": "No"}}}]},
           {"code": "town", "type": "short_text", "page": 2, "text": "Eich tref", "hint": "Lle rydych chi'n byw",
            "translations": {"en": {"text": "Your town", "hint": "Where you live"}}}]})",
       {},
       {}},
      {"a text missing in one language shows the default's, and a round trip keeps it missing",
       {sheet("survey", {{"type", "name", "label::English (en)", "label::Cymraeg (cy)"},
                         {"text", "town", "Your town", "Eich tref"},
                         {"text", "street", "Your street", ""}}),
        sheet("settings", {{"form_title::English (en)", "form_id"}, {"Where you live", "home"}})},
       R"({"title": "Where you live", "id": "home",
           "languages": [{"code": "en", "name": "English"}, {"code": "cy", "name": "Cymraeg"}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town",
            "translations": {"cy": {"text": "Eich tref"}}},
           {"code": "street", "type": "short_text", "page": 2, "text": "Your street"}]})",
       {},
       {}},
      {"a form with only language columns is not empty",
       {sheet("survey", {{"type", "name", "label::français"}, {"text", "ville", "Votre ville"}}),
        sheet("settings", {{"form_title::français", "form_id"}, {"Ma ville", "ville"}})},
       R"({"title": "Ma ville", "id": "ville", "languages": [{"code": "français", "name": "français"}],
           "questions": [{"code": "ville", "type": "short_text", "page": 1, "text": "Votre ville"}]})",
       {},
       {}},
      {"messages, guidance and defaults are kept",
       {sheet("survey", {{"type", "name", "label", "required", "required_message", "constraint",
                          "constraint_message", "guidance_hint", "default"},
                         {"integer", "age", "Your age", "yes", "Tell us your age", ". >= 16", "You must be 16 or over",
                          "Ask for age in years", "30"},
                         {"select_multiple colours", "liked", "Colours you like?", "", "", "", "", "", "red blue"}}),
        colours},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "age", "type": "number", "page": 1, "text": "Your age", "guidance": "Ask for age in years",
            "default": "30", "validation": {"required": true, "min": 16, "required_message": "Tell us your age",
            "constraint_message": "You must be 16 or over"}},
           {"code": "liked", "type": "multiple", "page": 2, "text": "Colours you like?", "default": "red blue",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]}]})",
       {},
       {}},
      {"a default that is not an option is named where it is",
       {sheet("survey", {{"type", "name", "label", "default"}, {"select_one colours", "best", "Best?", "green"}}),
        colours},
       "",
       {"survey.xlsx: sheet 'survey', row 2, column 'default': the default answer 'green' is not one of the "
        "question's options"},
       {}},
      {"range: whole steps over at most 11 points are a rating scale, others a number between start and end",
       {sheet("survey", {{"type", "name", "label", "parameters"},
                         {"range", "score", "How good was it?", "start=0 end=10 step=1"},
                         {"range", "usual", "Out of ten?", ""},
                         {"range", "hours", "How many hours?", "start=0 end=48 step=0.5"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "score", "type": "rating", "page": 1, "text": "How good was it?", "scale": {"min": 0, "max": 10}},
           {"code": "usual", "type": "rating", "page": 2, "text": "Out of ten?", "scale": {"min": 1, "max": 10}},
           {"code": "hours", "type": "number", "page": 3, "text": "How many hours?",
            "validation": {"min": 0, "max": 48}}]})",
       {},
       {"survey.xlsx: sheet 'survey', row 4, column 'parameters': the answer is checked to be between start and end"}},
      {"time is a time of day typed on the 24-hour clock, with a hint saying so unless the form gives one",
       {sheet("survey", {{"type", "name", "label", "hint"},
                         {"time", "arrive", "When do you arrive?", ""},
                         {"time", "leave", "When do you leave?", "Roughly is fine"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "arrive", "type": "short_text", "page": 1, "text": "When do you arrive?",
            "hint": "Use the 24-hour clock, like 09:30 or 14:00",
            "validation": {"pattern": "([01]?[0-9]|2[0-3]):[0-5][0-9]"}},
           {"code": "leave", "type": "short_text", "page": 2, "text": "When do you leave?", "hint": "Roughly is fine",
            "validation": {"pattern": "([01]?[0-9]|2[0-3]):[0-5][0-9]"}}]})",
       {},
       {}},
      {"a range that does not go up, or has parameters it cannot read, is refused at its cell",
       {sheet("survey", {{"type", "name", "label", "parameters"},
                         {"range", "down", "Down?", "start=10 end=1"},
                         {"range", "odd", "Odd?", "start=one"},
                         {"range", "what", "What?", "begin=1"}})},
       "",
       {"survey.xlsx: sheet 'survey', row 2, column 'parameters': a range must go up: start below end, and a step above 0",
        "survey.xlsx: sheet 'survey', row 3, column 'parameters': 'start=one': start must be a number, like start=1",
        "survey.xlsx: sheet 'survey', row 4, column 'parameters': 'begin=1' is not understood: a range takes start=, end= "
        "and step="},
       {}},
      {"acknowledge is one box to tick; read_only and trigger are kept",
       {sheet("survey", {{"type", "name", "label", "read_only", "trigger"},
                         {"acknowledge", "agree", "I have read the information", "", ""},
                         {"text", "code", "Your code", "yes", "${agree}"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "agree", "type": "multiple", "page": 1, "text": "I have read the information",
            "options": [{"code": "OK", "label": "OK"}]},
           {"code": "code", "type": "short_text", "page": 2, "text": "Your code", "read_only": true,
            "trigger": "agree"}]})",
       {},
       {}},
      {"a trigger fills in an answer from its calculation when another answer changes",
       {sheet("survey", {{"type", "name", "label", "calculation", "trigger"},
                         {"integer", "hours", "Hours you gave", "", ""},
                         {"decimal", "claim", "How much to claim", "${hours} * 12.5", " ${hours} "},
                         {"text", "note_to_self", "Anything to remember", "", "${hours}"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "hours", "type": "number", "page": 1, "text": "Hours you gave"},
           {"code": "claim", "type": "number", "page": 2, "text": "How much to claim", "calculation": "${hours} * 12.5",
            "trigger": "hours"},
           {"code": "note_to_self", "type": "short_text", "page": 3, "text": "Anything to remember", "trigger": "hours"}]})",
       {},
       {}},
      {"a trigger is one earlier question; elsewhere it is left out",
       {sheet("survey", {{"type", "name", "label", "calculation", "trigger"},
                         {"integer", "hours", "Hours", "", ""},
                         {"note", "thanks", "Thank you", "", "${hours}"},
                         {"text", "both", "Both", "", "${hours} ${thanks}"},
                         {"text", "plain", "Plain", "${hours}", ""}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "hours", "type": "number", "page": 1, "text": "Hours"},
           {"code": "thanks", "type": "display", "page": 2, "text": "Thank you"},
           {"code": "both", "type": "short_text", "page": 3, "text": "Both"},
           {"code": "plain", "type": "short_text", "page": 4, "text": "Plain"}]})",
       {},
       {"survey.xlsx: sheet 'survey', row 3, column 'trigger': a note row is not answered, so a trigger changes nothing",
        "survey.xlsx: sheet 'survey', row 4, column 'trigger': '${hours} ${thanks}' is not one question like ${name}",
        "survey.xlsx: sheet 'survey', row 5, column 'calculation': Coproduce works out answers in calculate rows, or when"}},
      {"a trigger must be answered before the question it fills in",
       {sheet("survey", {{"type", "name", "label", "trigger"},
                         {"text", "first", "First", "${second}"},
                         {"text", "second", "Second", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 2, column 'trigger': 'second' is not asked before this question, so it cannot "
        "fill it in"},
       {}},
      {"a read-only question shows its default, which nobody can change",
       {sheet("survey", {{"type", "name", "label", "default", "read_only"},
                         {"select_one where", "service", "The service you use", "day", "TRUE()"},
                         {"integer", "year", "The year", "2026", "no"}}),
        sheet("choices", {{"list_name", "name", "label"}, {"where", "day", "Day centre"}, {"where", "home", "Home care"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "service", "type": "single", "page": 1, "text": "The service you use", "default": "day",
            "read_only": true, "options": [{"code": "day", "label": "Day centre"}, {"code": "home", "label": "Home care"}]},
           {"code": "year", "type": "number", "page": 2, "text": "The year", "default": "2026"}]})",
       {},
       {}},
      {"read_only is yes or no, and changes nothing on a note or a calculate row",
       {sheet("survey", {{"type", "name", "label", "read_only", "calculation"},
                         {"note", "intro", "Welcome", "yes", ""},
                         {"integer", "hours", "Hours", "${intro} != ''", ""},
                         {"calculate", "double", "", "yes", "${hours} * 2"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "intro", "type": "display", "page": 1, "text": "Welcome"},
           {"code": "hours", "type": "number", "page": 2, "text": "Hours"},
           {"code": "double", "type": "number", "page": 3, "text": "double", "calculation": "${hours} * 2"}]})",
       {},
       {"survey.xlsx: sheet 'survey', row 2, column 'read_only': a note is only read, so read_only changes nothing",
        "survey.xlsx: sheet 'survey', row 3, column 'read_only': '${intro} != ''' is not yes or no",
        "survey.xlsx: sheet 'survey', row 4, column 'read_only': a calculate row is never shown, so read_only changes"}},
      {"a read-only question cannot be required",
       {sheet("survey", {{"type", "name", "label", "required", "read_only", "default"},
                         {"text", "team", "Your team", "yes", "yes", "North"}})},
       "",
       {"survey.xlsx: sheet 'survey', row 2, column 'read_only': a read-only question cannot be required: the person "
        "cannot answer it"},
       {}},
      {"calculate rows give a number, one of a few codes, or text",
       {sheet("survey", {{"type", "name", "label", "calculation"},
                         {"integer", "hours", "Hours you gave", ""},
                         {"decimal", "rate", "Pay per hour", ""},
                         {"integer", "age", "Your age", ""},
                         {"calculate", "owed", "", "${hours} * ${rate}"},
                         {"calculate", "band", "Age band", "if(${age} >= 65, 'older', 'younger')"},
                         {"calculate", "summary", "", "concat(${hours}, ' hours')"},
                         {"text", "thanks", "Anything else?", ""}})},
       R"j({"title": "survey", "id": "survey", "questions": [
           {"code": "hours", "type": "number", "page": 1, "text": "Hours you gave"},
           {"code": "rate", "type": "number", "page": 2, "text": "Pay per hour"},
           {"code": "age", "type": "number", "page": 3, "text": "Your age"},
           {"code": "owed", "type": "number", "page": 4, "text": "owed", "calculation": "${hours} * ${rate}"},
           {"code": "band", "type": "single", "page": 5, "text": "Age band",
            "options": [{"code": "older", "label": "older"}, {"code": "younger", "label": "younger"}],
            "calculation": "if(${age} >= 65, 'older', 'younger')"},
           {"code": "summary", "type": "short_text", "page": 6, "text": "summary",
            "calculation": "concat(${hours}, ' hours')"},
           {"code": "thanks", "type": "short_text", "page": 7, "text": "Anything else?"}]})j",
       {},
       {}},
      {"choices filtered by an earlier answer, with names the settings let repeat",
       {sheet("survey", {{"type", "name", "label", "choice_filter"},
                         {"select_one regions", "region", "Your region?", ""},
                         {"select_one places", "place", "Your nearest centre?", "region = ${region}"}}),
        sheet("choices", {{"list_name", "name", "label", "region", "$kuid"},
                          {"regions", "north", "North", "", "a1"},
                          {"regions", "south", "South", "", "a2"},
                          {"places", "leeds", "Leeds", "north", "a3"},
                          {"places", "online", "Online", "north", "a4"},
                          {"places", "bristol", "Bristol", "south", "a5"},
                          {"places", "online", "Online", "south", "a6"}}),
        sheet("settings", {{"form_id", "allow_choice_duplicates"}, {"centres", "yes"}})},
       R"j({"title": "centres", "id": "centres", "questions": [
           {"code": "region", "type": "single", "page": 1, "text": "Your region?",
            "options": [{"code": "north", "label": "North"}, {"code": "south", "label": "South"}]},
           {"code": "place", "type": "single", "page": 2, "text": "Your nearest centre?",
            "options": [{"code": "leeds", "label": "Leeds", "columns": {"region": "north"}},
                        {"code": "online", "label": "Online", "columns": [{"region": "north"}, {"region": "south"}]},
                        {"code": "bristol", "label": "Bristol", "columns": {"region": "south"}}],
            "choice_filter": "region = ${region}"}]})j",
       {},
       {}},
      {"datetime and the other names pyxform takes for types",
       {sheet("survey", {{"type", "name", "label"},
                         {"dateTime", "visit", "When did we visit?"},
                         {"string", "who", "Who visited?"},
                         {"int", "people", "How many came?"},
                         {"select all that apply colours", "liked", "Colours you like?"},
                         {"select1 colours", "best", "Best colour?"}}),
        colours},
       R"j({"title": "survey", "id": "survey", "questions": [
           {"code": "visit", "type": "short_text", "page": 1, "text": "When did we visit?",
            "hint": "Write the date, then the time on the 24-hour clock, like 2026-03-14 09:30",
            "validation": {"pattern": "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[ T]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?"}},
           {"code": "who", "type": "short_text", "page": 2, "text": "Who visited?"},
           {"code": "people", "type": "number", "page": 3, "text": "How many came?"},
           {"code": "liked", "type": "multiple", "page": 4, "text": "Colours you like?",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]},
           {"code": "best", "type": "single", "page": 5, "text": "Best colour?",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]}]})j",
       {},
       {}},
      {"calculations and filters that cannot be worked out say where",
       {sheet("survey", {{"type", "name", "label", "calculation", "choice_filter"},
                         {"calculate", "early", "", "${later} + 1", ""},
                         {"integer", "later", "A number", "", ""},
                         {"calculate", "age_days", "", "today() - ${later}", ""},
                         {"calculate", "empty", "", "", ""},
                         {"select_one colours", "shade", "A shade", "", "hue = ${later}"}}),
        colours},
       "",
       {"survey.xlsx: sheet 'survey', row 4, column 'calculation': at character 1: Coproduce cannot work out the "
        "function 'today'; it can use if, coalesce, not, true, false, selected, count-selected, string-length, "
        "concat, number, int, round, abs, min, max, pow, once, string",
        "survey.xlsx: sheet 'survey', row 5, column 'calculation': a calculate row needs its calculation, like "
        "${hours} * ${rate}"},
       {}},
      {"a calculation may only read answers given before it",
       {sheet("survey", {{"type", "name", "label", "calculation"},
                         {"calculate", "early", "", "${later} + 1"},
                         {"integer", "later", "A number", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 2, column 'calculation': 'later' is not asked before this question, so its "
        "answer is not known yet"},
       {}},
      {"a filter may only read the choices' own columns",
       {sheet("survey", {{"type", "name", "label", "choice_filter"},
                         {"integer", "later", "A number", ""},
                         {"select_one colours", "shade", "A shade", "hue = ${later}"}}),
        colours},
       "",
       {"survey.xlsx: sheet 'survey', row 3, column 'choice_filter': the choices have no column 'hue'"},
       {}},
      {"rank puts the choices in order, a place each",
       {sheet("survey", {{"type", "name", "label", "required"},
                         {"rank services", "priorities", "Which services matter most to you?", "yes"}}),
        sheet("choices", {{"list_name", "name", "label"},
                          {"services", "day_centre", "Day centre"},
                          {"services", "respite", "A break from caring"},
                          {"services", "advice", "Advice"}})},
       R"j({"title": "survey", "id": "survey", "questions": [
           {"code": "priorities", "type": "rank", "page": 1, "text": "Which services matter most to you?",
            "hint": "Give each one a number: 1 for the one that matters most",
            "items": [{"code": "day_centre", "label": "Day centre"}, {"code": "respite", "label": "A break from caring"},
                      {"code": "advice", "label": "Advice"}],
            "validation": {"required": true}}]})j",
       {},
       {}},
      {"a repeated choice name needs the setting",
       {sheet("survey", {{"type", "name", "label"}, {"select_one colours", "best", "Best?"}}),
        sheet("choices", {{"list_name", "name", "label"}, {"colours", "red", "Red"}, {"colours", "red", "Rouge"}})},
       "",
       {"survey.xlsx: sheet 'choices', row 3, column 'name': the list 'colours' has the choice 'red' twice (if that is "
        "meant, say allow_choice_duplicates yes on the settings sheet)"},
       {}},
      {"a fixed repeat_count, with its most in coproduce_max",
       {sheet("survey", {{"type", "name", "label", "repeat_count", "coproduce_max"},
                         {"text", "town", "Your town", "", ""},
                         {"begin_repeat", "visits", "A visit", "3", "5"},
                         {"date", "visit_date", "When was it?", "", ""},
                         {"end_repeat", "", "", "", ""}})},
       R"({"title": "survey", "id": "survey",
           "repeats": [{"code": "visits", "label": "A visit", "count": 3, "max": 5}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town"},
           {"code": "visit_date", "type": "date", "page": 2, "repeat": "visits", "text": "When was it?"}]})",
       {},
       {}},
      {"the older jr:count column, and a fixed count above the usual most raises it",
       {sheet("survey", {{"type", "name", "label", "jr:count"},
                         {"text", "town", "Your town", ""},
                         {"begin_repeat", "visits", "A visit", "30"},
                         {"date", "visit_date", "When was it?", ""},
                         {"end_repeat", "", "", ""}})},
       R"({"title": "survey", "id": "survey",
           "repeats": [{"code": "visits", "label": "A visit", "count": 30, "max": 30}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town"},
           {"code": "visit_date", "type": "date", "page": 2, "repeat": "visits", "text": "When was it?"}]})",
       {},
       {}},
      {"repeat_count from an earlier number question",
       {sheet("survey", {{"type", "name", "label", "repeat_count"},
                         {"integer", "how_many", "How many services do you use?", ""},
                         {"begin_repeat", "services", "A service you use", "${how_many}"},
                         {"text", "service", "Name of the service", ""},
                         {"end_repeat", "", "", ""}})},
       R"({"title": "survey", "id": "survey",
           "repeats": [{"code": "services", "label": "A service you use", "count": "how_many", "max": 20}],
           "questions": [
           {"code": "how_many", "type": "number", "page": 1, "text": "How many services do you use?"},
           {"code": "service", "type": "short_text", "page": 2, "repeat": "services", "text": "Name of the service"}]})",
       {},
       {}},
      {"a repeat's label and hint in every language",
       {sheet("survey", {{"type", "name", "label::English (en)", "label::Cymraeg (cy)", "hint::English (en)",
                          "hint::Cymraeg (cy)"},
                         {"text", "town", "Your town", "Eich tref", "", ""},
                         {"begin_repeat", "services", "A service you use", "Gwasanaeth rydych chi'n ei ddefnyddio",
                          "One for each", "Un i bob un"},
                         {"text", "service", "Its name", "Ei enw", "", ""},
                         {"end_repeat", "", "", "", "", ""}}),
        sheet("settings", {{"form_title::English (en)", "form_title::Cymraeg (cy)", "form_id"},
                           {"Services", "Gwasanaethau", "services"}})},
       R"({"title": "Services", "id": "services", "translations": {"cy": {"title": "Gwasanaethau"}},
           "languages": [{"code": "en", "name": "English"}, {"code": "cy", "name": "Cymraeg"}],
           "repeats": [{"code": "services", "label": "A service you use", "hint": "One for each", "max": 20,
                        "translations": {"cy": {"label": "Gwasanaeth rydych chi'n ei ddefnyddio",
                                                "hint": "Un i bob un"}}}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town",
            "translations": {"cy": {"text": "Eich tref"}}},
           {"code": "service", "type": "short_text", "page": 2, "repeat": "services", "text": "Its name",
            "translations": {"cy": {"text": "Ei enw"}}}]})",
       {},
       {}},
      {"a repeat's relevant, with the condition of the group around it; a group inside it is on its page",
       {sheet("survey", {{"type", "name", "label", "relevant", "appearance"},
                         {"integer", "age", "Your age", "", ""},
                         {"begin_group", "caring", "", "${age} >= 18", "field-list"},
                         {"select_one colours", "best", "Best colour?", "", ""},
                         {"begin_repeat", "people", "Someone you care for", "${best} = 'red'", ""},
                         {"begin_group", "about", "", "${age} >= 30", "field-list"},
                         {"text", "who", "Their first name", "", ""},
                         {"end_group", "", "", "", ""},
                         {"text", "why", "Why?", "", ""},
                         {"end_repeat", "", "", "", ""},
                         {"text", "after", "Anything else?", "", ""},
                         {"end_group", "", "", "", ""}}),
        colours},
       R"({"title": "survey", "id": "survey",
           "repeats": [{"code": "people", "label": "Someone you care for", "max": 20,
                        "show_if": "age >= 18 and best = 'red'"}],
           "questions": [
           {"code": "age", "type": "number", "page": 1, "text": "Your age"},
           {"code": "best", "type": "single", "page": 2, "text": "Best colour?", "show_if": "age >= 18",
            "options": [{"code": "red", "label": "Red"}, {"code": "blue", "label": "Blue"}]},
           {"code": "who", "type": "short_text", "page": 3, "repeat": "people", "text": "Their first name",
            "show_if": "age >= 30"},
           {"code": "why", "type": "short_text", "page": 3, "repeat": "people", "text": "Why?"},
           {"code": "after", "type": "short_text", "page": 4, "text": "Anything else?", "show_if": "age >= 18"}]})",
       {},
       {}},
      {"a condition inside a repeat reads an answer of the same one",
       {sheet("survey", {{"type", "name", "label", "relevant"},
                         {"text", "town", "Your town", ""},
                         {"begin_repeat", "services", "A service you use", ""},
                         {"text", "service", "Its name", ""},
                         {"integer", "hours", "Hours a week there", "${service} != ''"},
                         {"end_repeat", "", "", ""}})},
       R"j({"title": "survey", "id": "survey",
           "repeats": [{"code": "services", "label": "A service you use", "max": 20}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town"},
           {"code": "service", "type": "short_text", "page": 2, "repeat": "services", "text": "Its name"},
           {"code": "hours", "type": "number", "page": 2, "repeat": "services", "text": "Hours a week there",
            "show_if": "answered(service)"}]})j",
       {},
       {}},
      {"a Likert grid inside a repeat is asked for each one",
       {sheet("survey", {{"type", "name", "label", "appearance"},
                         {"text", "town", "Your town", ""},
                         {"begin_repeat", "services", "A service you use", ""},
                         {"text", "service", "Its name", ""},
                         {"begin_group", "views", "How much do you agree?", "table-list"},
                         {"select_one agree", "views_heard", "They listen to me", ""},
                         {"end_group", "", "", ""},
                         {"end_repeat", "", "", ""}}),
        sheet("choices", {{"list_name", "name", "label"},
                          {"agree", "strongly_disagree", "Strongly disagree"},
                          {"agree", "disagree", "Disagree"},
                          {"agree", "neither", "Neither agree nor disagree"},
                          {"agree", "agree", "Agree"},
                          {"agree", "strongly_agree", "Strongly agree"}})},
       R"({"title": "survey", "id": "survey",
           "repeats": [{"code": "services", "label": "A service you use", "max": 20}],
           "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town"},
           {"code": "service", "type": "short_text", "page": 2, "repeat": "services", "text": "Its name"},
           {"code": "views", "type": "likert", "page": 2, "repeat": "services", "text": "How much do you agree?",
            "points": 5, "items": [{"code": "heard", "label": "They listen to me"}]}]})",
       {},
       {}},
      {"a repeat inside a repeat is refused",
       {sheet("survey", {{"type", "name", "label"},
                         {"text", "town", "Your town"},
                         {"begin_repeat", "people", "Someone you care for"},
                         {"text", "who", "Their first name"},
                         {"begin_repeat", "visits", "A visit"},
                         {"date", "visit_date", "When?"},
                         {"end_repeat", "", ""},
                         {"end_repeat", "", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 5, column 'type': a repeat inside a repeat has no equivalent in Coproduce "
        "('visits' is inside 'people', begun on row 3): end 'people' before beginning 'visits'"},
       {}},
      {"a repeat_count Coproduce cannot work out is refused",
       {sheet("survey", {{"type", "name", "label", "repeat_count"},
                         {"integer", "how_many", "How many?", ""},
                         {"begin_repeat", "services", "A service", "${how_many} + 1"},
                         {"text", "service", "Its name", ""},
                         {"end_repeat", "", "", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 3, column 'repeat_count': '${how_many} + 1' cannot be worked out by "
        "Coproduce: a repeat's count is a whole number, like 3, or the answer to an earlier number question, like "
        "${how_many}"},
       {}},
      {"a repeat_count naming a question that is not an earlier number points at its cell",
       {sheet("survey", {{"type", "name", "label", "jr:count"},
                         {"text", "town", "Your town", ""},
                         {"begin_repeat", "services", "A service", "${town}"},
                         {"text", "service", "Its name", ""},
                         {"end_repeat", "", "", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 3, column 'jr:count': a repeat's count is a whole number, or the code of a "
        "number question asked once, before the repeat ('town' is neither)"},
       {}},
      {"a question after a repeat may not read an answer inside it",
       {sheet("survey", {{"type", "name", "label", "relevant"},
                         {"text", "town", "Your town", ""},
                         {"begin_repeat", "services", "A service", ""},
                         {"integer", "hours", "Hours a week there", ""},
                         {"end_repeat", "", "", ""},
                         {"text", "more", "Tell us more", "${hours} >= 10"}})},
       "",
       {"survey.xlsx: sheet 'survey', row 6, column 'relevant': a condition may not use 'hours': it is asked once "
        "for each time the repeat 'services' is filled in, so it has no single answer here"},
       {}},
      {"end_repeat without a begin_repeat, and a repeat with no questions",
       {sheet("survey", {{"type", "name", "label"},
                         {"text", "town", "Your town"},
                         {"end repeat", "", ""},
                         {"begin_repeat", "services", "A service"},
                         {"end_repeat", "", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 3, column 'type': end_repeat without a begin_repeat before it",
        "survey.xlsx: sheet 'survey', row 4, column 'type': the repeat 'services' has no questions: put the questions "
        "asked for each one between begin_repeat and end_repeat"},
       {}},
      {"a repeat's name is its own",
       {sheet("survey", {{"type", "name", "label"},
                         {"text", "services", "Your services"},
                         {"begin_repeat", "services", "A service"},
                         {"text", "service", "Its name"},
                         {"end_repeat", "", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 3, column 'name': the code 'services' is used twice: a repeat needs a code "
        "of its own"},
       {}},
      {"coproduce_max is a whole number from 1 to 100",
       {sheet("survey", {{"type", "name", "label", "coproduce_max"},
                         {"text", "town", "Your town", ""},
                         {"begin_repeat", "services", "A service", "lots"},
                         {"text", "service", "Its name", ""},
                         {"end_repeat", "", "", ""}})},
       "",
       {"survey.xlsx: sheet 'survey', row 3, column 'coproduce_max': 'lots' is not a whole number from 1 to 100 (the "
        "most times the repeat may be filled in)"},
       {}},
      {"a count or most on a row that is not a repeat is left out, with a warning",
       {sheet("survey", {{"type", "name", "label", "repeat_count", "coproduce_max"},
                         {"text", "town", "Your town", "3", "4"}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "town", "type": "short_text", "page": 1, "text": "Your town"}]})",
       {},
       {"survey.xlsx: sheet 'survey', row 2, column 'repeat_count': only a begin_repeat row has a count",
        "survey.xlsx: sheet 'survey', row 2, column 'coproduce_max': only a begin_repeat row has a most"}},
      {"a repeat closed with end_group, or never closed",
       {sheet("survey", {{"type", "name", "label"},
                         {"text", "town", "Your town"},
                         {"begin_repeat", "services", "A service"},
                         {"text", "service", "Its name"},
                         {"end_group", "", ""},
                         {"begin_repeat", "people", "A person"},
                         {"text", "who", "Their name"}})},
       "",
       {"survey.xlsx: sheet 'survey', row 5, column 'type': the repeat 'services' begun on row 3 is closed with "
        "end_repeat, not end_group",
        "survey.xlsx: sheet 'survey', row 6, column 'type': this repeat is never closed with end_repeat"},
       {}},
      {"an email row with a label asks for an email address; one without is the device's, left out",
       {sheet("survey", {{"type", "name", "label"},
                         {"email", "contact", "Your email address"},
                         {"email", "device_email", ""}})},
       R"({"title": "survey", "id": "survey", "questions": [
           {"code": "contact", "type": "short_text", "page": 1, "text": "Your email address",
            "hint": "For example, name@example.com",
            "validation": {"pattern": "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"}}]})",
       {},
       {"survey.xlsx: sheet 'survey', row 3, column 'type': 'email' is recorded by ODK itself"}},
  };
}

TEST(Xlsform, EachCaseGivesItsQuestionnaireOrItsErrors) {
  for (const XlsformCase& c : xlsform_cases()) {
    SCOPED_TRACE(c.name);
    XlsformImport in = import_sheets(c.workbook);
    EXPECT_EQ(all(in.errors), c.errors);
    std::vector<std::string> warnings = all(in.warnings);
    for (const std::string& w : c.warnings) {
      EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [&](const std::string& x) { return x.rfind(w, 0) == 0; }))
          << "no warning starting " << w;
    }
    if (*c.questionnaire == '\0') {
      EXPECT_FALSE(in.ok());
      continue;
    }
    ASSERT_TRUE(in.ok()) << in.status().to_string();
    auto expected = parse_definition(c.questionnaire, "expected.json");
    ASSERT_TRUE(expected.ok()) << expected.status().to_string();
    EXPECT_EQ(definition_to_json(*in.questionnaire), definition_to_json(*expected));
    // And each goes to XLSForm and back unchanged.
    auto bytes = export_xlsform(*in.questionnaire);
    ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
    XlsformImport back = import_xlsform(*bytes, "again.xlsx");
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(definition_to_json(*back.questionnaire), definition_to_json(*in.questionnaire));
  }
}

TEST(Xlsform, ABilingualFormIsWrittenWithAColumnPerLanguage) {
  const std::vector<XlsformCase> cases = xlsform_cases();
  const XlsformCase& bilingual = cases[3];
  XlsformImport in = import_sheets(bilingual.workbook);
  ASSERT_TRUE(in.ok()) << in.status().to_string();
  auto workbook = xlsform_sheets(*in.questionnaire);
  ASSERT_TRUE(workbook.ok()) << workbook.status().to_string();
  const Sheet& survey = (*workbook)[0];
  EXPECT_EQ(cell(survey, 0, 2), "label::Cymraeg (cy)");
  EXPECT_EQ(cell(survey, 0, 3), "label::English (en)");
  EXPECT_EQ(cell(survey, 0, 4), "hint::Cymraeg (cy)");
  EXPECT_EQ(cell(survey, 2, 2), "Ydych chi'n ofalwr?");
  EXPECT_EQ(cell(survey, 2, 3), "Are you a carer?");
  const Sheet& choices = (*workbook)[1];
  EXPECT_EQ(cell(choices, 0, 3), "label::English (en)");
  EXPECT_EQ(cell(choices, 1, 2), "Ie");
  const Sheet& settings = (*workbook)[2];
  EXPECT_EQ(cell(settings, 0, 3), "default_language");
  EXPECT_EQ(cell(settings, 1, 3), "Cymraeg (cy)");
  EXPECT_EQ(cell(settings, 1, 1), "Caring");
}

TEST(Xlsform, AnImportedFormExportsAndComesBackTheSame) {
  XlsformImport in = import_sheets(hand_made_form());
  ASSERT_TRUE(in.ok()) << in.status().to_string();
  auto bytes = export_xlsform(*in.questionnaire);
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  XlsformImport again = import_xlsform(*bytes, "again.xlsx");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(definition_to_json(*again.questionnaire), definition_to_json(*in.questionnaire));
}

TEST(Xlsform, EveryMistakeIsNamedBySheetRowAndColumnAndNothingIsImported) {
  std::vector<Sheet> form = {
      sheet("survey", {{"type", "name", "label", "relevant", "constraint", "required"},
                       {"select_one colours", "colour", "Favourite colour?", "", "", ""},
                       {"geopoint", "where", "Where are you?", "", "", ""},
                       {"text", "name", "Your name", "${colour} = 'red' and today() > 3", "", ""},
                       {"integer", "age", "", "", "", ""},
                       {"integer", "size", "Size?", "", ". > 0", ""},
                       {"select_one", "pick", "Pick one", "", "", ""},
                       {"text", "", "Nameless", "", "", ""},
                       {"text", "sometimes", "Sometimes required", "", "", "${colour} = 'red'"},
                       {"end_group", "", "", "", "", ""}}),
      sheet("choices", {{"list_name", "name", "label"}, {"shades", "red", "Red"}, {"shades", "red", "Rouge"}}),
  };
  XlsformImport in = import_sheets(form);
  EXPECT_FALSE(in.ok());
  EXPECT_FALSE(in.questionnaire.has_value());
  EXPECT_FALSE(in.more_errors);
  EXPECT_EQ(all(in.errors),
            (std::vector<std::string>{
                "survey.xlsx: sheet 'choices', row 3, column 'name': the list 'shades' has the choice 'red' twice (if "
                "that is meant, say allow_choice_duplicates yes on the settings sheet)",
                "survey.xlsx: sheet 'survey', row 2, column 'type': there is no list 'colours' on the choices sheet",
                "survey.xlsx: sheet 'survey', row 3, column 'type': the type 'geopoint' has no equivalent in Coproduce, "
                "which has select_one, select_multiple, rank, integer, decimal, range, date, time, datetime, text, "
                "note, acknowledge, calculate and groups",
                "survey.xlsx: sheet 'survey', row 4, column 'relevant': at character 23: the function today() has no "
                "equivalent in Coproduce's conditions",
                "survey.xlsx: sheet 'survey', row 5, column 'label': the label is empty: write the question as people "
                "will read it",
                "survey.xlsx: sheet 'survey', row 6, column 'constraint': at character 1: Coproduce's limits include "
                "the number itself: write >= with the smallest or largest number allowed",
                "survey.xlsx: sheet 'survey', row 7, column 'type': select_one needs a list of choices: select_one LIST",
                "survey.xlsx: sheet 'survey', row 8, column 'name': the name is missing (the question's code in the "
                "data)",
                "survey.xlsx: sheet 'survey', row 9, column 'required': '${colour} = 'red'' is not yes or no (Coproduce "
                "cannot make a question required only sometimes)",
                "survey.xlsx: sheet 'survey', row 10, column 'type': end_group without a begin_group before it",
            }));
  // The whole list also reads as one status, for the command line.
  EXPECT_EQ(in.status().to_string().substr(0, 40), "survey.xlsx: sheet 'choices', row 3, col");
}

TEST(Xlsform, ManyMistakesAreCappedAndSaySo) {
  std::vector<std::vector<std::string>> rows = {{"type", "name", "label"}};
  for (int i = 0; i < 30; ++i) rows.push_back({"geotrace", "q" + std::to_string(i), "Where?"});
  XlsformImport in = import_sheets({sheet("survey", rows)});
  EXPECT_EQ(in.errors.size(), kMaxXlsformErrors);
  EXPECT_TRUE(in.more_errors);
  EXPECT_NE(in.status().message().find("(and more problems: the first 20 are shown)"), std::string::npos);
}

TEST(Xlsform, ChecksOfTheWholeFormPointBackToTheirRow) {
  auto first_error = [](const std::vector<Sheet>& form) {
    XlsformImport in = import_sheets(form);
    EXPECT_FALSE(in.ok());
    return in.ok() ? std::string() : in.errors[0].to_string();
  };
  EXPECT_EQ(first_error({sheet("survey", {{"type", "name", "label"}, {"text", "a", "A"}, {"text", "a", "A again"}})}),
            "survey.xlsx: sheet 'survey', row 3, column 'name': the code 'a' is used twice");
  EXPECT_EQ(first_error({sheet("survey", {{"type", "name", "label", "relevant"},
                                          {"text", "a", "A", "${b} != ''"},
                                          {"text", "b", "B", ""}})}),
            "survey.xlsx: sheet 'survey', row 2, column 'relevant': a condition may only use questions asked before "
            "this one ('b' is not)");
  EXPECT_EQ(first_error({sheet("survey", {{"type", "name", "label"}, {"select_one l", "a", "A"}}),
                         sheet("choices", {{"list_name", "name", "label"}, {"l", "x y", "X"}, {"l", "z", "Z"}})}),
            "survey.xlsx: sheet 'choices', row 2, column 'name': 'x y' is not a usable option code: use letters, "
            "digits, _, - and . only");
  EXPECT_EQ(first_error({sheet("survey", {{"type", "name", "label"}, {"text", "first-name", "Name"}})}),
            "survey.xlsx: sheet 'survey', row 2, column 'name': 'first-name' is not a usable question code: start with "
            "a letter and use only letters, digits and _ (at most 64)");
}

TEST(Xlsform, BrokenWorkbooksAndMissingSheetsAreClear) {
  XlsformImport garbage = import_xlsform("this is not a spreadsheet", "form.xlsx");
  ASSERT_EQ(garbage.errors.size(), 1u);
  EXPECT_EQ(garbage.errors[0].to_string(),
            "form.xlsx: not an .xlsx file: it is not a zip archive, or the archive is damaged or cut short");
  XlsformImport no_survey = import_sheets({sheet("questions", {{"type"}})});
  ASSERT_EQ(no_survey.errors.size(), 1u);
  EXPECT_EQ(no_survey.errors[0].to_string(),
            "survey.xlsx: the workbook has no sheet called 'survey': an XLSForm lists its questions there");
  XlsformImport no_type = import_sheets({sheet("survey", {{"name", "label"}, {"a", "A"}})});
  ASSERT_EQ(no_type.errors.size(), 1u);
  EXPECT_EQ(no_type.errors[0].to_string(),
            "survey.xlsx: sheet 'survey', row 1: the sheet needs the columns type and name (missing: type)");
  XlsformImport open_group = import_sheets(
      {sheet("survey", {{"type", "name", "label"}, {"begin_group", "g", ""}, {"text", "a", "A"}})});
  ASSERT_EQ(open_group.errors.size(), 1u);
  EXPECT_EQ(open_group.errors[0].to_string(),
            "survey.xlsx: sheet 'survey', row 2, column 'type': this group is never closed with end_group");
}

TEST(Xlsform, ATableOnAnotherScaleBecomesSeparateQuestions) {
  XlsformImport in = import_sheets({
      sheet("survey", {{"type", "name", "label", "appearance"},
                       {"begin_group", "often", "How often?", "table-list"},
                       {"select_one freq", "often_calls", "Phone calls", ""},
                       {"select_one freq", "often_visits", "Visits", ""},
                       {"end_group", "", "", ""}}),
      sheet("choices", {{"list_name", "name", "label"}, {"freq", "never", "Never"}, {"freq", "weekly", "Weekly"}}),
  });
  ASSERT_TRUE(in.ok()) << in.status().to_string();
  ASSERT_EQ(in.questionnaire->questions.size(), 2u);
  EXPECT_EQ(in.questionnaire->questions[0].code, "often_calls");
  EXPECT_EQ(in.questionnaire->questions[1].page, 1);
  ASSERT_EQ(in.warnings.size(), 1u);
  EXPECT_NE(in.warnings[0].message().find("do not use the 5- or 7-point agreement scale"), std::string::npos);
}

TEST(Xlsform, ExportRefusesNamesItWouldReuse) {
  auto q = parse_definition(R"({"title": "t", "questions": [
      {"code": "barriers", "type": "multiple", "other_specify": true, "options": ["time", "other"], "text": "B"},
      {"code": "barriers_other", "type": "short_text", "text": "Clash"}]})",
                            "clash.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  auto bytes = export_xlsform(*q);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.status().message(),
            "question 'barriers' cannot be written as XLSForm: it needs the name 'barriers_other', which another "
            "question already has");
}

TEST(Xlsform, PageNumbersNobodyIsOnAreNotWrittenAsEmptyGroups) {
  auto q = parse_definition(R"({"title": "t", "questions": [
      {"code": "a", "type": "short_text", "page": 1, "text": "A"},
      {"code": "b", "type": "short_text", "page": 3, "text": "B"}]})",
                            "gap.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  auto workbook = xlsform_sheets(*q);
  ASSERT_TRUE(workbook.ok());
  size_t groups = 0;
  for (const auto& r : (*workbook)[0].rows) groups += cell((*workbook)[0], static_cast<size_t>(&r - &(*workbook)[0].rows[0]), 0) == "begin_group";
  EXPECT_EQ(groups, 2u);
  XlsformImport back = import_sheets(*workbook);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back.questionnaire->questions[1].page, 2);
}

// A questionnaire written in the definition format with two repeats: one
// whose count an earlier answer gives, with its own most and a condition,
// and one of a fixed size with the default most.
TEST(Xlsform, RepeatsAreWrittenAsBeginRepeatAndComeBackTheSame) {
  auto q = parse_definition(R"j({"title": "Caring", "id": "caring",
      "repeats": [{"code": "services", "label": "A service you use", "hint": "One for each", "count": "how_many",
                   "max": 8, "show_if": "how_many >= 1"},
                  {"code": "visits", "label": "A visit", "count": 2}],
      "questions": [
      {"code": "how_many", "type": "number", "page": 1, "text": "How many services do you use?"},
      {"code": "service", "type": "short_text", "page": 2, "text": "Its name", "repeat": "services"},
      {"code": "hours", "type": "number", "page": 2, "text": "Hours a week", "repeat": "services",
       "show_if": "answered(service)"},
      {"code": "visit_date", "type": "date", "page": 3, "text": "When?", "repeat": "visits"},
      {"code": "overall", "type": "long_text", "page": 4, "text": "Anything else?"}]})j",
                            "caring.json");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  auto workbook = xlsform_sheets(*q);
  ASSERT_TRUE(workbook.ok()) << workbook.status().to_string();
  const Sheet& survey = (*workbook)[0];
  std::map<std::string, size_t> column;
  for (size_t c = 0; c < survey.rows[0].size(); ++c) column[cell(survey, 0, c)] = c;
  ASSERT_TRUE(column.count("repeat_count"));
  ASSERT_TRUE(column.count("coproduce_max"));
  std::vector<std::string> types;
  for (size_t r = 1; r < survey.rows.size(); ++r) types.push_back(cell(survey, r, column["type"]));
  EXPECT_EQ(types, (std::vector<std::string>{"begin_group", "decimal", "end_group", "begin_repeat", "text", "decimal",
                                             "end_repeat", "begin_repeat", "date", "end_repeat", "begin_group", "text",
                                             "end_group"}));
  EXPECT_EQ(cell(survey, 4, column["name"]), "services");
  EXPECT_EQ(cell(survey, 4, column["label"]), "A service you use");
  EXPECT_EQ(cell(survey, 4, column["hint"]), "One for each");
  EXPECT_EQ(cell(survey, 4, column["relevant"]), "${how_many} >= 1");
  EXPECT_EQ(cell(survey, 4, column["repeat_count"]), "${how_many}");
  EXPECT_EQ(cell(survey, 4, column["coproduce_max"]), "8");
  EXPECT_EQ(cell(survey, 6, column["relevant"]), "${service} != ''");
  EXPECT_EQ(cell(survey, 8, column["repeat_count"]), "2");
  // The default most is not written.
  EXPECT_EQ(cell(survey, 8, column["coproduce_max"]), "");

  XlsformImport back = import_sheets(*workbook);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_TRUE(back.warnings.empty()) << all(back.warnings)[0];
  EXPECT_EQ(definition_to_json(*back.questionnaire), definition_to_json(*q));
}

TEST(Xlsform, ARepeatWithoutALabelIsShownByItsNameAndSaysSo) {
  XlsformImport in = import_sheets({sheet("survey", {{"type", "name", "label"},
                                                     {"text", "town", "Your town"},
                                                     {"begin_repeat", "services", ""},
                                                     {"text", "service", "Its name"},
                                                     {"end_repeat", "", ""}})});
  ASSERT_TRUE(in.ok()) << in.status().to_string();
  EXPECT_EQ(in.questionnaire->repeats[0].label, "services");
  ASSERT_EQ(in.warnings.size(), 1u);
  EXPECT_EQ(in.warnings[0].to_string(),
            "survey.xlsx: sheet 'survey', row 3, column 'label': the repeat has no label, so people will read its "
            "name, 'services': write what one of them is, like 'A service you use'");
}

TEST(Xlsform, FilesAreReadWithinALimit) {
  XlsformImport missing = import_xlsform_file("/nonexistent/form.xlsx");
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].to_string(),
            "/nonexistent/form.xlsx: cannot open the file (does it exist, and may this program read it?)");

  const char* dir = std::getenv("TMPDIR");
  const std::string path = std::string(dir && *dir ? dir : "/tmp") + "/xlsform-test-" + std::to_string(getpid()) + ".xlsx";
  {
    std::ofstream big(path, std::ios::binary);
    big.seekp(static_cast<std::streamoff>(kMaxXlsformFileBytes));  // sparse: takes no disk space
    big.put('x');
  }
  XlsformImport huge = import_xlsform_file(path);
  std::remove(path.c_str());
  ASSERT_EQ(huge.errors.size(), 1u);
  EXPECT_EQ(huge.errors[0].message(), "the file is larger than 64 MiB; a questionnaire is far smaller");

  auto bytes = export_xlsform(coproduction_template());
  ASSERT_TRUE(bytes.ok());
  {
    std::ofstream out(path, std::ios::binary);
    out << *bytes;
  }
  auto q = load_questionnaire(path);
  std::remove(path.c_str());
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ(q->id, "coproduction");
}

}  // namespace
}  // namespace coproduce::survey
